import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextareaField } from "~/components/ui/textarea-field";
import { ErasePersonSchema } from "~/domain/forms/personal-data";
import { personSummary } from "~/models/personal-data.server";
import { erasePerson } from "~/services/personal-data.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "Personal data",
  back: "Back to People",
  facts: { email: "Email", created: "Account created", roles: "Roles held (ever)", sessions: "Signed-in sessions", status: "Status" },
  status: { active: "Active", disabled: "Disabled", erased: (when: string) => `Erased on ${when.slice(0, 10)}` },
  exportTitle: "Subject access request",
  exportIntro:
    "Download everything the portal holds about this person as one JSON file: their account (without the password), roles, organisations, proposals, interest declarations, scores, votes, messages, sessions, sign-in attempts, emails and audit events. The download is recorded in the audit trail.",
  exportLink: "Download this person's data (JSON)",
  eraseTitle: "Erase this person",
  eraseIntro: [
    "Erasure is for a request under UK GDPR where the portal's public task does not need the person's identity any more. It cannot be undone.",
    "Their name becomes “Erased person”, their email a non-deliverable placeholder, and their password, sessions, sign-in attempts, reset links and emails to them are deleted. Interest declaration details and notes they wrote about people are cleared, and any other mention of their name or email is replaced.",
    "Decisions, amounts, scores and votes stay, attributed to “Erased person”. The audit trail still verifies: their personal values in it become unreadable.",
  ],
  reason: "Why is this person being erased?",
  reasonHint: "For example the request's reference. Do not type the person's name or email: the reason is kept in the audit trail.",
  confirm: "I understand that erasure cannot be undone",
  erase: "Erase this person",
  erased: "This person has been erased. Their decisions and the audit trail remain; their personal data does not.",
  left: (n: number) =>
    `${n} audit ${n === 1 ? "event still mentions" : "events still mention"} them in free text that was not marked personal when it was written; those cannot be changed without breaking the chain.`,
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "person.manage");
  const person = await personSummary(getDb(), params.userId ?? "");
  if (!person) throw notFound("There is no such person.");
  return json({ person });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "person.manage");
  const form = await readVerifiedForm(request);
  const userId = params.userId ?? "";
  if (!(await personSummary(getDb(), userId))) throw notFound("There is no such person.");
  return submitForm(form, ErasePersonSchema, async (data) => {
    const result = await erasePerson(getDb(), admin, userId, data.reason);
    return json({ done: copy.erased, auditMentionsLeft: result.auditMentionsLeft });
  });
}

export default function PersonalData() {
  const { person } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as (FormActionData & { done?: string; auditMentionsLeft?: number }) | undefined;
  const errors = actionData?.errors;
  const status = person.erased_at ? copy.status.erased(person.erased_at) : person.disabled_at ? copy.status.disabled : copy.status.active;
  return (
    <div>
      <p>
        <Link to="/admin/users">{copy.back}</Link>
      </p>
      <h1>
        {copy.title}: {person.name}
      </h1>
      <ErrorSummary errors={errors} />
      {actionData?.done ? (
        <div role="status" className="panel font-semibold">
          <p>{actionData.done}</p>
          {actionData.auditMentionsLeft ? <p>{copy.left(actionData.auditMentionsLeft)}</p> : null}
        </div>
      ) : null}
      <dl className="grid gap-x-6 sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold">{copy.facts.email}</dt>
        <dd className="break-all">{person.email}</dd>
        <dt className="font-semibold">{copy.facts.created}</dt>
        <dd>{person.created_at.slice(0, 10)}</dd>
        <dt className="font-semibold">{copy.facts.roles}</dt>
        <dd>{person.memberships}</dd>
        <dt className="font-semibold">{copy.facts.sessions}</dt>
        <dd>{person.sessions}</dd>
        <dt className="font-semibold">{copy.facts.status}</dt>
        <dd>{status}</dd>
      </dl>

      <h2>{copy.exportTitle}</h2>
      <p>{copy.exportIntro}</p>
      <p>
        <a href={`/admin/people/${person.id}/export.json`} download>
          {copy.exportLink}
        </a>
      </p>

      {person.erased_at ? null : (
        <section aria-labelledby="erase-title">
          <h2 id="erase-title">{copy.eraseTitle}</h2>
          {copy.eraseIntro.map((p) => (
            <p key={p}>{p}</p>
          ))}
          <Form method="post" noValidate>
            <CsrfInput />
            <TextareaField
              name="reason"
              label={copy.reason}
              hint={copy.reasonHint}
              error={errors?.reason}
              defaultValue={actionData?.values?.reason ?? ""}
              rows={3}
            />
            <div className={`mb-6 ${errors?.confirm ? "border-l-4 border-red-700 pl-3" : ""}`}>
              {errors?.confirm ? (
                <p id="confirm-error" className="mb-1 font-semibold text-red-800">
                  <span className="sr-only">Error: </span>
                  {errors.confirm}
                </p>
              ) : null}
              <div className="flex items-start gap-2">
                <input
                  type="checkbox"
                  id="confirm"
                  name="confirm"
                  value="yes"
                  className="mt-0.5 h-6 w-6 shrink-0"
                  aria-describedby={errors?.confirm ? "confirm-error" : undefined}
                  aria-invalid={errors?.confirm ? true : undefined}
                />
                <label htmlFor="confirm">{copy.confirm}</label>
              </div>
            </div>
            <button type="submit" className="btn-warning">
              {copy.erase}
            </button>
          </Form>
        </section>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

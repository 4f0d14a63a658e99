import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, TypedResponse } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { YouSaidWeDidSchema } from "~/domain/forms/you-said-we-did";
import { formatDate } from "~/domain/phases";
import { getFund } from "~/models/fund.server";
import { listYouSaidWeDid } from "~/models/you-said-we-did.server";
import { addYouSaidWeDid } from "~/services/you-said-we-did.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "You said, we did",
  back: "Back to the fund",
  intro:
    "Tell people what you changed because of what they told you: in surveys, at meetings, or in feedback on the round. Each entry shows on the fund's public page as soon as you add it.",
  publicPage: "See the public page",
  add: "Add an entry",
  youSaid: "What people said",
  youSaidHint: "In their words where you can, without naming anyone. For example: The form was too long.",
  weDid: "What we did",
  weDidHint: "For example: We cut the form to six questions for the next round.",
  doneOn: "Date of the change",
  doneOnHint: "For example, 2026-11-30",
  save: "Add entry",
  added: "Entry added. It is on the public page now.",
  entries: "Entries so far",
  none: "No entries yet.",
  saidLabel: "You said:",
  didLabel: "We did:",
};

type ActionData = FormActionData;

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const db = getDb();
  const fund = await getFund(db, params.fundId ?? "");
  if (!fund) throw notFound();
  const entries = await listYouSaidWeDid(db, fund.id);
  return json({ fund: { id: fund.id, name: fund.name }, entries });
}

export async function action({ request, params }: ActionFunctionArgs): Promise<TypedResponse<ActionData>> {
  const admin = await requirePermission(request, "fund.manage");
  const form = await readVerifiedForm(request);
  const fundId = params.fundId ?? "";
  return submitForm(form, YouSaidWeDidSchema, async (data) => {
    await addYouSaidWeDid(getDb(), admin, fundId, data, data.submission);
    return redirect(`/admin/funds/${encodeURIComponent(fundId)}/you-said-we-did?added=1`, 303);
  });
}

export default function AdminYouSaidWeDid() {
  const { fund, entries } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const values = actionData?.values ?? {};
  const errors = actionData?.errors;
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/admin/funds/${fund.id}`}>{copy.back}</Link>
      </p>
      <ErrorSummary errors={errors} />
      {searchParams.get("added") && !errors ? (
        <p role="status" className="panel font-semibold">
          {copy.added}
        </p>
      ) : null}
      <h1>
        {copy.title}: {fund.name}
      </h1>
      <p>{copy.intro}</p>
      <p>
        <Link to={`/funds/${fund.id}/you-said-we-did`}>{copy.publicPage}</Link>
      </p>
      <h2>{copy.add}</h2>
      <Form method="post" noValidate>
        <CsrfInput />
        <TextareaField name="youSaid" label={copy.youSaid} hint={copy.youSaidHint} defaultValue={values.youSaid} error={errors?.youSaid} rows={3} />
        <TextareaField name="weDid" label={copy.weDid} hint={copy.weDidHint} defaultValue={values.weDid} error={errors?.weDid} rows={3} />
        <TextField name="doneOn" label={copy.doneOn} hint={copy.doneOnHint} defaultValue={values.doneOn} error={errors?.doneOn} className="max-w-[12rem]" />
        <button type="submit" className="btn">
          {copy.save}
        </button>
      </Form>
      <h2>{copy.entries}</h2>
      {entries.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <ul className="list-none space-y-4 pl-0">
          {entries.map((e) => (
            <li key={e.id} className="border-l-4 border-slate-300 pl-3">
              <p className="mb-1 font-semibold">{formatDate(e.done_on)}</p>
              <p className="mb-1 whitespace-pre-line break-words">
                <span className="font-semibold">{copy.saidLabel}</span> {e.you_said}
              </p>
              <p className="whitespace-pre-line break-words">
                <span className="font-semibold">{copy.didLabel}</span> {e.we_did}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

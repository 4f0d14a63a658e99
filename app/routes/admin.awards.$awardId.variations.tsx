import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { DecideVariationSchema } from "~/domain/forms/monitoring";
import { getAwardFacts, listVariations } from "~/models/monitoring.server";
import { approveVariation, rejectVariation } from "~/services/variations.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";
import { VariationRequests, VersionsTable } from "~/components/award-variations";
import { variationsView } from "~/models/variations-view.server";

const copy = {
  title: "Changes to the award",
  pending: "Requests waiting for a decision",
  nonePending: "No requests are waiting.",
  note: "Note to the group",
  noteHint: "Needed when you reject a request. The group will read it.",
  approve: "Approve and apply",
  reject: "Reject",
  saved: "Decision recorded.",
  back: "Back to the award",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const db = getDb();
  const award = await getAwardFacts(db, params.awardId ?? "");
  if (!award) throw notFound();
  return json(await variationsView(db, award));
}

type ActionData = FormActionData & { variationId?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const admin = await requirePermission(request, "admin.access");
  const db = getDb();
  const award = await getAwardFacts(db, params.awardId ?? "");
  if (!award) throw notFound();
  const intent = form.get("intent");
  // Which request's form was sent, so its message shows beside it.
  const variationId = String(form.get("variationId") ?? "");
  return submitForm(
    form,
    DecideVariationSchema,
    async (data, values) => {
      const variation = (await listVariations(db, award.id)).find((v) => v.id === data.variationId);
      if (!variation) throw notFound();
      if (intent === "approve") await approveVariation(db, admin, variation.id, data.note);
      else if (intent === "reject") await rejectVariation(db, admin, variation.id, data.note);
      else return formError({ form: "Choose approve or reject" }, values, { variationId });
      return redirect(`/admin/awards/${award.id}/variations?saved=1`);
    },
    { extra: { variationId }, errorField: "note" },
  );
}

export default function AdminAwardVariations() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [search] = useSearchParams();
  const errors = actionData?.errors;
  const pending = data.variations.filter((v) => v.status === "requested");
  return (
    <div className="max-w-4xl">
      <ErrorSummary errors={errors} />
      {!errors && search.get("saved") ? (
        <p role="status" className="panel font-semibold">
          {copy.saved}
        </p>
      ) : null}
      <p className="mb-1 text-slate-700">
        {data.award.reference} · {data.award.title} · {data.award.organisation}
      </p>
      <h1>{copy.title}</h1>
      <p>{data.currentTerms}</p>

      <h2>{copy.pending}</h2>
      {pending.length ? (
        pending.map((v) => {
          const mine = actionData?.variationId === v.id ? errors : undefined;
          const message = mine?.note ?? mine?.form;
          return (
            <section key={v.id} className="mb-6 border-t pt-4" aria-labelledby={`variation-${v.id}`}>
              <h3 id={`variation-${v.id}`}>{v.change}</h3>
              <p>
                <strong>Reason:</strong> {v.reason}
              </p>
              <p className="text-slate-700">Asked on {v.requestedOn}</p>
              <Form method="post" noValidate>
                <CsrfInput />
                <input type="hidden" name="variationId" value={v.id} />
                <div className={`mb-6 ${message ? "border-l-4 border-red-700 pl-3" : ""}`}>
                  <label htmlFor={mine ? "note" : `note-${v.id}`} className="mb-1 block font-semibold">
                    {copy.note}
                  </label>
                  <p id={`note-hint-${v.id}`} className="mb-1 text-slate-700">
                    {copy.noteHint}
                  </p>
                  {message ? (
                    <p id={`note-error-${v.id}`} className="mb-1 font-semibold text-red-800">
                      <span className="sr-only">Error: </span>
                      {message}
                    </p>
                  ) : null}
                  <textarea
                    id={mine ? "note" : `note-${v.id}`}
                    name="note"
                    rows={3}
                    aria-describedby={message ? `note-hint-${v.id} note-error-${v.id}` : `note-hint-${v.id}`}
                    aria-invalid={message ? true : undefined}
                    className={`input ${message ? "input-error" : ""}`}
                    defaultValue={mine ? actionData?.values?.note : ""}
                  />
                </div>
                <div className="flex flex-wrap gap-4">
                  <button type="submit" name="intent" value="approve" className="btn">
                    {copy.approve}
                  </button>
                  <button type="submit" name="intent" value="reject" className="btn-warning">
                    {copy.reject}
                  </button>
                </div>
              </Form>
            </section>
          );
        })
      ) : (
        <p>{copy.nonePending}</p>
      )}

      <VariationRequests variations={data.variations} />
      <VersionsTable versions={data.versions} />

      <p className="mt-8">
        <Link to={`/admin/awards/${data.award.id}`}>{copy.back}</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

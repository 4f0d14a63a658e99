import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { CloseSchema, WithdrawSchema } from "~/domain/forms/monitoring";
import { formatPence } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { getAwardFacts, paidPenceOf } from "~/models/monitoring.server";
import { closeAward, withdrawAward } from "~/services/award-closure.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "Close or withdraw the award",
  paid: (paid: string, amount: string) => `Paid so far: ${paid} of ${amount}.`,
  finalApproved: "The final report has been approved.",
  finalMissing: "The final report has not been approved yet, so the award cannot be closed.",
  closeHeading: "Close the award",
  outcomeSummary: "Outcome summary",
  outcomeHint: "What the project achieved. The group will read it.",
  close: "Close the award",
  withdrawHeading: "Withdraw the award",
  withdrawHint: "Withdraw the award if the project cannot go ahead or the terms were broken.",
  reason: "Reason for withdrawing",
  clawback: "Amount to claw back, in pounds",
  clawbackHint: (paid: string) => `From 0 up to what has been paid (${paid}).`,
  withdraw: "Withdraw the award",
  closed: (on: string) => `This award was closed on ${on}.`,
  withdrawn: (on: string) => `This award was withdrawn on ${on}.`,
  notOpen: "This award is no longer open.",
  reports: "Review the reports",
  back: "Back to the award",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const db = getDb();
  const award = await getAwardFacts(db, params.awardId ?? "");
  if (!award) throw notFound();
  const [paid, final] = await Promise.all([
    paidPenceOf(db, award.id),
    db
      .selectFrom("monitoring_report")
      .select("id")
      .where("award_id", "=", award.id)
      .where("kind", "=", "final")
      .where("status", "=", "approved")
      .executeTakeFirst(),
  ]);
  return json({
    award: {
      id: award.id,
      reference: award.reference,
      title: award.title,
      organisation: award.organisation_name,
      status: award.status,
      amount: formatPence(award.amount_pence),
      closedOn: formatDate(award.closed_at),
      withdrawnOn: formatDate(award.withdrawn_at),
      outcomeSummary: award.outcome_summary,
      withdrawalReason: award.withdrawal_reason,
      clawback: award.clawback_pence === null ? null : formatPence(award.clawback_pence),
    },
    paid: formatPence(paid),
    hasApprovedFinal: Boolean(final),
  });
}

type ActionData = FormActionData & { intent?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const admin = await requirePermission(request, "admin.access");
  const db = getDb();
  const award = await getAwardFacts(db, params.awardId ?? "");
  if (!award) throw notFound();
  const intent = String(form.get("intent") ?? "");
  if (intent === "close") {
    return submitForm(
      form,
      CloseSchema,
      async (data) => {
        await closeAward(db, admin, award.id, data);
        return redirect(`/admin/awards/${award.id}/close?done=closed`);
      },
      { extra: { intent }, errorField: "outcomeSummary" },
    );
  }
  if (intent === "withdraw") {
    return submitForm(
      form,
      WithdrawSchema,
      async (data) => {
        await withdrawAward(db, admin, award.id, { reason: data.reason, clawbackPence: data.clawback });
        return redirect(`/admin/awards/${award.id}/close?done=withdrawn`);
      },
      { extra: { intent }, errorField: "reason" },
    );
  }
  return formError({ form: "Choose to close or withdraw the award" });
}

export default function AdminAwardClose() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [search] = useSearchParams();
  const errors = actionData?.errors;
  const on = (intent: string) => (actionData?.intent === intent ? errors : undefined);
  const values = actionData?.values ?? {};
  const isOpen = data.award.status === "offered" || data.award.status === "accepted";
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      {search.get("done") && !errors ? (
        <p role="status" className="panel font-semibold">
          {data.award.status === "closed" ? copy.closed(data.award.closedOn) : copy.withdrawn(data.award.withdrawnOn)}
        </p>
      ) : null}
      <p className="mb-1 text-slate-700">
        {data.award.reference} · {data.award.title} · {data.award.organisation}
      </p>
      <h1>{copy.title}</h1>
      <p>{copy.paid(data.paid, data.award.amount)}</p>

      {data.award.status === "closed" ? (
        <>
          <p className="panel">{copy.closed(data.award.closedOn)}</p>
          <p className="whitespace-pre-wrap">{data.award.outcomeSummary}</p>
        </>
      ) : data.award.status === "withdrawn" ? (
        <>
          <p className="panel">{copy.withdrawn(data.award.withdrawnOn)}</p>
          <p className="whitespace-pre-wrap">{data.award.withdrawalReason}</p>
          {data.award.clawback ? <p>Clawback: {data.award.clawback}</p> : null}
        </>
      ) : !isOpen ? (
        <p className="panel">{copy.notOpen}</p>
      ) : (
        <>
          <h2>{copy.closeHeading}</h2>
          <p>
            {data.hasApprovedFinal ? copy.finalApproved : copy.finalMissing} <Link to={`/admin/awards/${data.award.id}/reports`}>{copy.reports}</Link>
          </p>
          <Form method="post" noValidate className="mb-8">
            <CsrfInput />
            <input type="hidden" name="intent" value="close" />
            <TextareaField
              name="outcomeSummary"
              label={copy.outcomeSummary}
              hint={copy.outcomeHint}
              error={on("close")?.outcomeSummary}
              defaultValue={on("close") ? values.outcomeSummary : ""}
            />
            <button type="submit" className="btn">
              {copy.close}
            </button>
          </Form>

          <h2>{copy.withdrawHeading}</h2>
          <p>{copy.withdrawHint}</p>
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="withdraw" />
            <TextareaField name="reason" label={copy.reason} error={on("withdraw")?.reason} defaultValue={on("withdraw") ? values.reason : ""} rows={3} />
            <TextField
              name="clawback"
              inputMode="decimal"
              label={copy.clawback}
              hint={copy.clawbackHint(data.paid)}
              error={on("withdraw")?.clawback}
              defaultValue={on("withdraw") ? values.clawback : "0"}
              className="max-w-[12rem]"
            />
            <button type="submit" className="btn-warning">
              {copy.withdraw}
            </button>
          </Form>
        </>
      )}

      <p className="mt-8">
        <Link to={`/admin/awards/${data.award.id}`}>{copy.back}</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

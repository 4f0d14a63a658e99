import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { SelectField, TextField } from "~/components/ui/field";
import { PaymentDecision } from "~/components/awards/payment-decision";
import {
  ApprovePaymentSchema,
  instalmentField,
  RecordPaymentSchema,
  RejectPaymentSchema,
  SCHEDULE_ROWS,
  ScheduleFormSchema,
  type InstalmentField,
} from "~/domain/forms/payments";
import { formatPence, penceToPoundsInput } from "~/domain/money";
import { PAYMENT_STATUS_LABELS, RELEASED_BY_LABELS, summarisePayments, type ReleasedBy } from "~/domain/payments";
import { getAwardPaymentFacts } from "~/models/award-payments.server";
import { approvePayment, recordPayment, rejectPayment, saveSchedule, ScheduleError } from "~/services/award-payments.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "Payments",
  back: "Back to the award",
  figures: "Payment figures",
  award: "Award",
  paid: "Paid",
  awaiting: "Awaiting a second approval",
  remaining: "Remaining (award less paid)",
  outstanding: "Conditions not yet met",
  blocked: "No payment can be made while a condition is outstanding. Sign off the conditions first.",
  schedule: "Payment schedule",
  scheduleIntro:
    "List each instalment with its amount, due date and what releases it. The instalments must add up to the award exactly. Leave unused rows blank. The schedule can be replaced until a payment is recorded.",
  scheduleColumns: ["Instalment", "Amount", "Due", "Released by", "Released?", "Paid against it", "Left (less paid and awaiting)"],
  noSchedule: "No schedule yet.",
  rowLegend: (n: number) => `Instalment ${n}`,
  amount: "Amount in pounds",
  dueOn: "Due date (YYYY-MM-DD)",
  releasedBy: "Released by",
  report: "Report whose approval releases it",
  saveSchedule: "Save the schedule",
  payments: "Payments recorded",
  noPayments: "No payments recorded yet.",
  paymentColumns: ["Paid on", "Amount", "Reference", "Status", "Recorded by", "Action"],
  record: "Record a payment",
  recordIntro: (threshold: string) => `Payments above ${threshold} need a second administrator's approval before they count as paid.`,
  instalment: "Instalment (optional)",
  noInstalment: "Not against an instalment",
  instalmentHint: (payable: string) =>
    `A payment against an instalment can be no more than is left of that instalment, and only once it is released. A payment not against an instalment can only use money that is released: at most ${payable} can be paid now.`,
  paidOn: "Date paid (YYYY-MM-DD)",
  reference: "Payment reference",
  referenceHint: "Each payment on an award has its own reference.",
  recordSubmit: "Record payment",
  yes: "Yes",
  no: "Not yet",
  done: {
    schedule: "Schedule saved.",
    paid: "Payment recorded as paid. The group has been told.",
    awaiting_approval: "Payment recorded. Another administrator must approve it before it counts as paid.",
    approved: "Payment approved and marked as paid. The group has been told.",
    rejected: "Payment rejected.",
  } as Record<string, string>,
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${copy.title}${data ? ` for ${data.award.reference}` : ""} – Community Grant Decisions` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "payment.manage");
  const record = await getAwardPaymentFacts(getDb(), params.awardId ?? "");
  if (!record) throw notFound("We could not find that award.");
  const done = new URL(request.url).searchParams.get("done");
  return json({
    adminId: admin.id,
    award: record.award,
    summary: summarisePayments(record.facts),
    reports: record.reports,
    payments: record.payments,
    done: done && done in copy.done ? done : null,
  });
}

type ActionData = FormActionData & { intent?: string; paymentId?: string };

/** The domain's schedule messages ("rows.N.field", N counting only filled rows) on the form rows they came from. */
function scheduleErrorsForForm(errors: Record<string, string>, rowIndexes: number[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(errors)) {
    const match = /^rows\.(\d+)\.(\w+)$/.exec(key);
    out[match ? instalmentField(rowIndexes[Number(match[1])] ?? 0, match[2] as InstalmentField) : instalmentField(0, "amount")] = message;
  }
  return out;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "payment.manage");
  const form = await readVerifiedForm(request);
  const awardId = params.awardId ?? "";
  const db = getDb();
  const intent = String(form.get("intent") ?? "");
  const back = (done: string) => redirect(`/admin/awards/${awardId}/payments?done=${done}`);

  if (intent === "schedule") {
    return submitForm(
      form,
      ScheduleFormSchema,
      async ({ instalments }, values) => {
        try {
          await saveSchedule(db, admin, awardId, instalments.rows);
        } catch (error) {
          if (!(error instanceof ScheduleError)) throw error;
          return formError(scheduleErrorsForForm(error.errors, instalments.rowIndexes), values, { intent });
        }
        return back("schedule");
      },
      { extra: { intent } },
    );
  }
  if (intent === "record") {
    return submitForm(
      form,
      RecordPaymentSchema,
      async (data) => {
        const payment = await recordPayment(db, admin, awardId, {
          instalmentId: data.instalmentId,
          amountPence: data.amount,
          paidOn: data.paidOn,
          reference: data.reference,
          submission: data.submission,
        });
        return back(payment.status);
      },
      { extra: { intent } },
    );
  }
  if (intent === "approve" || intent === "reject") {
    // Each awaiting payment has its own reason box ("reason-<paymentId>"), so ids stay unique on the page.
    const id = String(form.get("paymentId") ?? "");
    const fields = new URLSearchParams({ paymentId: id, reason: String(form.get(`reason-${id}`) ?? "") });
    return submitForm(
      fields,
      intent === "approve" ? ApprovePaymentSchema : RejectPaymentSchema,
      async () => {
        if (intent === "approve") await approvePayment(db, admin, id, awardId);
        else await rejectPayment(db, admin, id, fields.get("reason") ?? "", awardId);
        return back(intent === "approve" ? "approved" : "rejected");
      },
      { extra: { intent, paymentId: id } },
    );
  }
  return formError({ form: "Choose what to do on this page" });
}

export default function AwardPayments() {
  const { adminId, award, summary, reports, payments, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  const isScheduleError = actionData?.intent === "schedule";
  const isRecordError = actionData?.intent === "record" || (actionData && !actionData.intent);
  const isLocked = payments.some((p) => p.status !== "rejected");
  const reportOptions = reports.map((r) => ({ value: r.id, label: `${r.kind === "final" ? "Final" : "Progress"} report due ${r.due_on}` }));
  const releasedOptions = (Object.keys(RELEASED_BY_LABELS) as ReleasedBy[]).map((k) => ({ value: k, label: RELEASED_BY_LABELS[k] }));
  const rowValue = (name: InstalmentField, i: number): string | undefined => {
    if (isScheduleError) return values[instalmentField(i, name)];
    const inst = summary.instalments[i];
    if (!inst) return name === "releasedBy" ? "acceptance" : undefined;
    if (name === "amount") return penceToPoundsInput(inst.amountPence);
    if (name === "dueOn") return inst.dueOn;
    if (name === "releasedBy") return inst.releasedBy;
    return inst.reportId ?? undefined;
  };

  return (
    <div>
      <ErrorSummary errors={errors} />
      {done && !actionData ? (
        <p role="status" className="panel font-semibold">
          {copy.done[done]}
        </p>
      ) : null}
      <p>
        <Link to={`/admin/awards/${award.id}`}>{copy.back}</Link>
      </p>
      <h1>
        {copy.title}: {award.reference}
      </h1>
      <p>
        {award.title} – {award.organisation_name} ({award.group_name}, {award.fund_name})
      </p>

      <h2>{copy.figures}</h2>
      <dl className="grid max-w-xl grid-cols-1 gap-x-4 sm:grid-cols-2">
        <dt className="font-semibold">{copy.award}</dt>
        <dd>{formatPence(summary.awardPence)}</dd>
        <dt className="font-semibold">{copy.paid}</dt>
        <dd>{formatPence(summary.paidPence)}</dd>
        <dt className="font-semibold">{copy.awaiting}</dt>
        <dd>{formatPence(summary.awaitingPence)}</dd>
        <dt className="font-semibold">{copy.remaining}</dt>
        <dd>{formatPence(summary.remainingPence)}</dd>
        <dt className="font-semibold">{copy.outstanding}</dt>
        <dd>{summary.outstandingConditions}</dd>
      </dl>
      {summary.outstandingConditions > 0 ? <p className="panel">{copy.blocked}</p> : null}

      <h2>{copy.schedule}</h2>
      {summary.instalments.length === 0 ? (
        <p>{copy.noSchedule}</p>
      ) : (
        <DataTable caption={copy.schedule} columns={copy.scheduleColumns}>
          {summary.instalments.map((i) => (
            <tr key={i.id}>
              <th scope="row">{i.position}</th>
              <td>{formatPence(i.amountPence)}</td>
              <td>{i.dueOn}</td>
              <td>{RELEASED_BY_LABELS[i.releasedBy]}</td>
              <td>{i.isReleased ? copy.yes : copy.no}</td>
              <td>{formatPence(i.paidPence)}</td>
              <td>{formatPence(i.outstandingPence)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {isLocked ? null : (
        <Form method="post" noValidate className="max-w-3xl">
          <CsrfInput />
          <input type="hidden" name="intent" value="schedule" />
          <p>{copy.scheduleIntro}</p>
          {Array.from({ length: SCHEDULE_ROWS }, (_, i) => (
            <fieldset key={i} className="mb-4 border border-slate-400 p-3">
              <legend className="font-semibold">{copy.rowLegend(i + 1)}</legend>
              <TextField
                name={instalmentField(i, "amount")}
                label={copy.amount}
                inputMode="decimal"
                className="max-w-[12rem]"
                defaultValue={rowValue("amount", i)}
                error={errors?.[instalmentField(i, "amount")]}
              />
              <TextField
                name={instalmentField(i, "dueOn")}
                label={copy.dueOn}
                className="max-w-[12rem]"
                defaultValue={rowValue("dueOn", i)}
                error={errors?.[instalmentField(i, "dueOn")]}
              />
              <SelectField
                name={instalmentField(i, "releasedBy")}
                label={copy.releasedBy}
                options={releasedOptions}
                defaultValue={rowValue("releasedBy", i)}
                error={errors?.[instalmentField(i, "releasedBy")]}
              />
              {reportOptions.length ? (
                <SelectField
                  name={instalmentField(i, "reportId")}
                  label={copy.report}
                  options={reportOptions}
                  defaultValue={rowValue("reportId", i)}
                  error={errors?.[instalmentField(i, "reportId")]}
                />
              ) : null}
            </fieldset>
          ))}
          <button type="submit" className="btn">
            {copy.saveSchedule}
          </button>
        </Form>
      )}

      <h2>{copy.payments}</h2>
      {payments.length === 0 ? (
        <p>{copy.noPayments}</p>
      ) : (
        <DataTable caption={copy.payments} columns={copy.paymentColumns}>
          {payments.map((p) => (
            <tr key={p.id}>
              <th scope="row">{p.paid_on}</th>
              <td>{formatPence(p.amount_pence)}</td>
              <td className="break-all">{p.reference}</td>
              <td>
                {PAYMENT_STATUS_LABELS[p.status]}
                {p.approver_name ? ` (${p.approver_name})` : ""}
              </td>
              <td>{p.recorder_name}</td>
              <td>
                {p.status === "awaiting_approval" && p.recorded_by !== adminId ? (
                  <PaymentDecision paymentId={p.id} label={`${formatPence(p.amount_pence)} paid on ${p.paid_on}`} actionData={actionData} />
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      {award.status === "accepted" ? (
        <div className="max-w-3xl">
          <h2>{copy.record}</h2>
          <p>{copy.recordIntro(formatPence(award.payment_approval_threshold_pence))}</p>
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="record" />
            <SelectField
              name="instalmentId"
              label={copy.instalment}
              placeholder={copy.noInstalment}
              hint={copy.instalmentHint(formatPence(summary.payableNowPence))}
              options={summary.instalments.map((i) => ({ value: i.id, label: `${i.position}: ${formatPence(i.amountPence)} due ${i.dueOn}` }))}
              defaultValue={isRecordError ? values.instalmentId : undefined}
              error={isRecordError ? errors?.instalmentId : undefined}
            />
            <TextField
              name="amount"
              label={copy.amount}
              inputMode="decimal"
              className="max-w-[12rem]"
              defaultValue={isRecordError ? values.amount : undefined}
              error={isRecordError ? errors?.amount : undefined}
            />
            <TextField
              name="paidOn"
              label={copy.paidOn}
              className="max-w-[12rem]"
              defaultValue={isRecordError ? values.paidOn : undefined}
              error={isRecordError ? errors?.paidOn : undefined}
            />
            <TextField
              name="reference"
              label={copy.reference}
              hint={copy.referenceHint}
              defaultValue={isRecordError ? values.reference : undefined}
              error={isRecordError ? errors?.reference : undefined}
            />
            <button type="submit" className="btn">
              {copy.recordSubmit}
            </button>
          </Form>
        </div>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

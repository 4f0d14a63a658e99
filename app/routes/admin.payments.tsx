import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { PaymentDecision, type PaymentDecisionData } from "~/components/awards/payment-decision";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { ApprovePaymentSchema, RejectPaymentSchema } from "~/domain/forms/payments";
import { formatPence } from "~/domain/money";
import { listPaymentsAwaitingApproval } from "~/models/award-payments.server";
import { approvePayment, rejectPayment } from "~/services/award-payments.server";
import { getDb } from "~/utils/db.server";
import { formError, submitForm } from "~/utils/forms.server";

const copy = {
  title: "Payments to approve",
  intro:
    "Payments above a fund's threshold need a second administrator's approval before they count as paid. You cannot approve or reject a payment you recorded.",
  none: "No payments are waiting for approval.",
  caption: "Payments awaiting a second approval",
  columns: ["Award", "Group and project", "Amount", "Paid on", "Reference", "Recorded by", "Action"],
  own: "You recorded this: another administrator must approve it.",
  done: { approved: "Payment approved and marked as paid. The group has been told.", rejected: "Payment rejected." } as Record<string, string>,
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "payment.manage");
  const payments = await listPaymentsAwaitingApproval(getDb());
  const done = new URL(request.url).searchParams.get("done");
  return json({ adminId: admin.id, payments, done: done && done in copy.done ? done : null });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "payment.manage");
  const form = await readVerifiedForm(request);
  const intent = String(form.get("intent") ?? "");
  const id = String(form.get("paymentId") ?? "");
  const fields = new URLSearchParams({ paymentId: id, reason: String(form.get(`reason-${id}`) ?? "") });
  if (intent !== "approve" && intent !== "reject") return formError({ form: "Choose approve or reject" });
  return submitForm(
    fields,
    intent === "approve" ? ApprovePaymentSchema : RejectPaymentSchema,
    async () => {
      if (intent === "approve") await approvePayment(getDb(), admin, id);
      else await rejectPayment(getDb(), admin, id, fields.get("reason") ?? "");
      return redirect(`/admin/payments?done=${intent === "approve" ? "approved" : "rejected"}`);
    },
    { extra: { paymentId: id } },
  );
}

export default function PaymentsToApprove() {
  const { adminId, payments, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as PaymentDecisionData | undefined;
  return (
    <div>
      <ErrorSummary errors={actionData?.errors} />
      {done && !actionData ? (
        <p role="status" className="panel font-semibold">
          {copy.done[done]}
        </p>
      ) : null}
      <h1>{copy.title}</h1>
      <p className="max-w-3xl">{copy.intro}</p>
      {payments.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <DataTable caption={copy.caption} columns={copy.columns}>
          {payments.map((p) => (
            <tr key={p.id}>
              <th scope="row">
                <Link to={`/admin/awards/${p.award_id}/payments`}>{p.award_reference}</Link>
              </th>
              <td>
                {p.organisation_name}
                <br />
                {p.title}
              </td>
              <td>{formatPence(p.amount_pence)}</td>
              <td>{p.paid_on}</td>
              <td className="break-all">{p.reference}</td>
              <td>{p.recorder_name}</td>
              <td>
                {p.recorded_by === adminId ? (
                  copy.own
                ) : (
                  <PaymentDecision paymentId={p.id} label={`${formatPence(p.amount_pence)} to ${p.organisation_name}`} actionData={actionData} />
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

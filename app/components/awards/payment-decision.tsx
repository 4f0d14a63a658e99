import { Form } from "@remix-run/react";
import { CsrfInput } from "~/components/ui/csrf-input";
import { TextareaField } from "~/components/ui/textarea-field";

const copy = { approve: "Approve", reject: "Reject", rejectReason: "Reason for rejecting" };

export interface PaymentDecisionData {
  paymentId?: string;
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

/** Approve, or reject with a reason, one payment awaiting a second administrator. Posts intent approve|reject to the current route. */
export function PaymentDecision({ paymentId, label, actionData }: { paymentId: string; label: string; actionData?: PaymentDecisionData }) {
  const isThis = actionData?.paymentId === paymentId;
  return (
    <div className="space-y-2">
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="approve" />
        <input type="hidden" name="paymentId" value={paymentId} />
        <button type="submit" className="btn">
          {copy.approve}
          <span className="sr-only"> {label}</span>
        </button>
      </Form>
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="reject" />
        <input type="hidden" name="paymentId" value={paymentId} />
        <TextareaField
          name={`reason-${paymentId}`}
          label={
            <>
              {copy.rejectReason}
              <span className="sr-only"> {label}</span>
            </>
          }
          rows={2}
          defaultValue={isThis ? actionData?.values?.reason : undefined}
          error={isThis ? (actionData?.errors?.reason ?? actionData?.errors?.form) : undefined}
        />
        <button type="submit" className="btn-secondary">
          {copy.reject}
          <span className="sr-only"> {label}</span>
        </button>
      </Form>
    </div>
  );
}

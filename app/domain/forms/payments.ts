import { z } from "zod";
import { parsePoundsToPence } from "../money";
import { type ReleasedBy, type ScheduleRow } from "../payments";
import { isoDateField } from "./fields";

const amountField = z
  .string({ required_error: "Enter the amount in pounds" })
  .trim()
  .min(1, "Enter the amount in pounds")
  .max(20, "Enter the amount in pounds, like 12500 or 12,500.50")
  .refine((v) => parsePoundsToPence(v) !== null, "Enter the amount in pounds, like 12500 or 12,500.50")
  .transform((v) => parsePoundsToPence(v)!);

/** Recording one payment against an award. The rules (conditions, the award's total) are the service's. */
export const RecordPaymentSchema = z.object({
  instalmentId: z
    .string()
    .trim()
    .max(64)
    .optional()
    .transform((v) => v || null),
  amount: amountField,
  paidOn: isoDateField({ required: "Enter the date paid", invalid: "Enter a real date paid, for example 2027-03-31" }),
  reference: z
    .string({ required_error: "Enter the payment reference from the bank or finance system" })
    .trim()
    .min(1, "Enter the payment reference from the bank or finance system")
    .max(100, "The reference must be 100 characters or fewer"),
});

export const RejectPaymentSchema = z.object({
  paymentId: z.string().trim().min(1, "Choose a payment").max(64),
  reason: z
    .string({ required_error: "Write why you are rejecting this payment" })
    .trim()
    .min(1, "Write why you are rejecting this payment")
    .max(2000, "The reason must be 2,000 characters or fewer"),
});

export const ApprovePaymentSchema = z.object({ paymentId: z.string().trim().min(1, "Choose a payment").max(64) });

const RELEASED: readonly ReleasedBy[] = ["acceptance", "conditions_met", "report_approved"];

/** How many schedule rows the form offers. */
export const SCHEDULE_ROWS = 6;

/**
 * The schedule form's rows ("amount-N", "dueOn-N", "releasedBy-N",
 * "reportId-N"); blank rows are skipped. Errors are keyed "amount-N" etc.
 * (N from 0, as on the form).
 */
export function parseScheduleForm(form: FormData): { rows: ScheduleRow[]; errors: Record<string, string>; rowIndexes: number[] } {
  const rows: ScheduleRow[] = [];
  const rowIndexes: number[] = [];
  const errors: Record<string, string> = {};
  for (let i = 0; i < SCHEDULE_ROWS; i++) {
    const text = (name: string) => {
      const v = form.get(`${name}-${i}`);
      return typeof v === "string" ? v.trim() : "";
    };
    const amount = text("amount");
    const dueOn = text("dueOn");
    if (!amount && !dueOn) continue;
    const n = i + 1;
    const amountPence = parsePoundsToPence(amount);
    if (amountPence === null) errors[`amount-${i}`] = `Enter the amount of instalment ${n} in pounds, like 12500`;
    const released = text("releasedBy");
    if (!RELEASED.includes(released as ReleasedBy)) errors[`releasedBy-${i}`] = `Choose what releases instalment ${n}`;
    rows.push({
      amountPence: amountPence ?? 0,
      dueOn,
      releasedBy: (RELEASED.includes(released as ReleasedBy) ? released : "acceptance") as ReleasedBy,
      reportId: text("reportId") || null,
    });
    rowIndexes.push(i);
  }
  return { rows, errors, rowIndexes };
}

import { z } from "zod";
import { parsePoundsToPence } from "../money";
import { type ReleasedBy, type ScheduleRow } from "../payments";
import { isoDateField, rowsField } from "./fields";

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

export type InstalmentField = "amount" | "dueOn" | "releasedBy" | "reportId";

/** The name of a schedule row's field, "instalments[0].amount" and so on; a row's message is keyed the same way. */
export const instalmentField = (i: number, field: InstalmentField) => `instalments[${i}].${field}`;

const rowText = z
  .string()
  .optional()
  .transform((v) => (v ?? "").trim());

const InstalmentRowSchema = z
  .object({ amount: rowText, dueOn: rowText, releasedBy: rowText, reportId: rowText })
  .optional()
  .transform((row) => row ?? { amount: "", dueOn: "", releasedBy: "", reportId: "" });

/**
 * The schedule form: rows of instalments, blank rows skipped. The rows' own
 * rules (dates in order, the total) are the domain's, checked when saving;
 * rowIndexes says which form row each instalment came from, so those
 * messages go on the right row too.
 */
export const ScheduleFormSchema = z.object({
  instalments: rowsField(InstalmentRowSchema, SCHEDULE_ROWS, `Enter ${SCHEDULE_ROWS} instalments or fewer`).transform((rows, ctx) => {
    const schedule: { rows: ScheduleRow[]; rowIndexes: number[] } = { rows: [], rowIndexes: [] };
    rows.forEach((row, i) => {
      if (!row.amount && !row.dueOn) return;
      const n = i + 1;
      const amountPence = parsePoundsToPence(row.amount);
      if (amountPence === null) ctx.addIssue({ code: "custom", path: [i, "amount"], message: `Enter the amount of instalment ${n} in pounds, like 12500` });
      const isReleasedBy = RELEASED.includes(row.releasedBy as ReleasedBy);
      if (!isReleasedBy) ctx.addIssue({ code: "custom", path: [i, "releasedBy"], message: `Choose what releases instalment ${n}` });
      schedule.rows.push({
        amountPence: amountPence ?? 0,
        dueOn: row.dueOn,
        releasedBy: (isReleasedBy ? row.releasedBy : "acceptance") as ReleasedBy,
        reportId: row.reportId || null,
      });
      schedule.rowIndexes.push(i);
    });
    return schedule;
  }),
});

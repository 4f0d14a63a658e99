import { z } from "zod";
import { parsePoundsToPence } from "../money";
import type { BudgetLine, Outcome } from "../proposal";
import { isoDateField, isRealIsoDate, rowsField } from "./fields";

const text = (max: number, required: string, tooLong: string) => z.string({ required_error: required }).trim().min(1, required).max(max, tooLong);
const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, tooLong)
    .optional()
    .transform((v) => v ?? "");
const date = (message: string) => isoDateField({ invalid: message });
const pounds = (message: string) =>
  z
    .string({ required_error: message })
    .trim()
    .refine((v) => parsePoundsToPence(v) !== null, message)
    .transform((v) => parsePoundsToPence(v)!);

/** One reporting date added by hand. */
export const AddReportSchema = z.object({
  kind: z.enum(["progress", "final"], { errorMap: () => ({ message: "Choose a progress or final report" }) }),
  dueOn: date("Enter the due date as a date, for example 2027-03-31"),
});

/** A schedule: progress reports every N months from the start, and a final report at the end. */
export const ScheduleSchema = z.object({
  startOn: date("Enter the start date as a date, for example 2027-01-01"),
  endOn: date("Enter the end date as a date, for example 2027-12-31"),
  everyMonths: z
    .string({ required_error: "Enter how many months between progress reports" })
    .trim()
    .regex(/^\d{1,2}$/, "Enter how many months between progress reports, from 1 to 24")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 24, "Enter how many months between progress reports, from 1 to 24"),
});

export const ReviewSchema = z.object({
  reportId: z.string().trim().min(1, "Choose a report").max(64),
  note: optionalText(4000, "The note must be 4,000 characters or fewer"),
});

export const ProgressSchema = z.object({
  progress: text(8000, "Describe the progress the project has made", "Progress must be 8,000 characters or fewer"),
});

/** Spend to date for one budget line, in pounds ("0" if nothing yet). */
export const spendField = pounds("Enter the amount spent in pounds, for example 1250 or 0");

/** A report has a row for each line and outcome of the award's plan; anything past the plan is not read. */
const MAX_REPORT_ROWS = 100;

/**
 * A monitoring report: the progress, the spend to date on each budget line of
 * the plan ("spend[0]", "spend[1]"… in the plan's order) and what was
 * achieved on each outcome ("achieved[0]"…). Each row's message names its
 * line or outcome and is keyed by the row's field. `tooManyFiles` is the
 * message when more files came than are allowed (the upload counts them).
 */
export const reportFormSchema = (plan: { budgetLines: readonly BudgetLine[]; outcomes: readonly Outcome[] }, options: { tooManyFiles?: string } = {}) =>
  ProgressSchema.extend({
    spend: rowsField(z.string().optional(), MAX_REPORT_ROWS, "Enter the spend on each budget line of the plan").transform((rows, ctx) =>
      plan.budgetLines.map((line, i) => {
        const result = spendField.safeParse(rows[i] ?? "");
        if (!result.success) {
          ctx.addIssue({ code: "custom", path: [i], message: `${line.item}: ${result.error.issues[0]?.message ?? "Enter the amount spent"}` });
        }
        return { item: line.item, budget_pence: line.costPence, spent_pence: result.success ? result.data : 0 };
      }),
    ),
    achieved: rowsField(z.string().optional(), MAX_REPORT_ROWS, "Say what was achieved on each outcome of the plan").transform((rows, ctx) =>
      plan.outcomes.map((o, i) => {
        const achieved = (rows[i] ?? "").trim();
        if (achieved.length > 2000) ctx.addIssue({ code: "custom", path: [i], message: `${o.outcome}: what you achieved must be 2,000 characters or fewer` });
        return { outcome: o.outcome, measure: o.measure, achieved };
      }),
    ),
    files: z.unknown().superRefine((_, ctx) => {
      if (options.tooManyFiles) ctx.addIssue({ code: "custom", message: options.tooManyFiles });
    }),
  });

export const VariationSchema = z
  .object({
    kind: z.enum(["amount", "timeline", "scope"], { errorMap: () => ({ message: "Choose what you want to change" }) }),
    amount: optionalText(20, "Enter the new amount in pounds, for example 52000"),
    endDate: optionalText(10, "Enter the new end date as a date, for example 2027-12-31"),
    scope: optionalText(4000, "The change must be 4,000 characters or fewer"),
    reason: text(4000, "Give the reason for the change", "The reason must be 4,000 characters or fewer"),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "amount" && parsePoundsToPence(v.amount) === null) {
      ctx.addIssue({ code: "custom", path: ["amount"], message: "Enter the new amount in pounds, for example 52000" });
    }
    if (v.kind === "timeline" && !isRealIsoDate(v.endDate)) {
      ctx.addIssue({ code: "custom", path: ["endDate"], message: "Enter the new end date as a date, for example 2027-12-31" });
    }
    if (v.kind === "scope" && !v.scope) {
      ctx.addIssue({ code: "custom", path: ["scope"], message: "Describe the change to what the project will build or buy" });
    }
  })
  .transform((v) => ({ kind: v.kind, amountPence: parsePoundsToPence(v.amount), endDate: v.endDate, scope: v.scope, reason: v.reason }));

export const DecideVariationSchema = z.object({
  variationId: z.string().trim().min(1, "Choose a request").max(64),
  note: optionalText(4000, "The note must be 4,000 characters or fewer"),
});

export const CloseSchema = z.object({
  outcomeSummary: text(8000, "Write a summary of what the project achieved", "The summary must be 8,000 characters or fewer"),
});

export const WithdrawSchema = z.object({
  reason: text(4000, "Give the reason for withdrawing the award", "The reason must be 4,000 characters or fewer"),
  clawback: pounds("Enter the amount to claw back in pounds (0 if none)"),
});

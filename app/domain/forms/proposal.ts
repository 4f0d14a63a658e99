import { z } from "zod";
import { parsePoundsToPence } from "../money";
import { isRealIsoDate, optionalIsoDateField, rowsField } from "./fields";
import {
  amountProblem,
  MAX_BUDGET_LINES,
  MAX_OUTCOMES,
  NEED_TYPES,
  SUMMARY_MAX_WORDS,
  wordCount,
  type BudgetLine,
  type GroupLimits,
  type NeedType,
  type Outcome,
  type ProposalContent,
} from "../proposal";

export type FormValues = Record<string, string>;

/**
 * Field names of the repeating rows, "budgetLines[0].item" and so on: the
 * shared form parser reads them as arrays of rows, and a row's message is
 * keyed by the same name. The input id is the name, so error links work.
 */
export const budgetItemField = (i: number) => `budgetLines[${i}].item`;
export const budgetCostField = (i: number) => `budgetLines[${i}].cost`;
export const outcomeField = (i: number) => `outcomes[${i}].outcome`;
export const measureField = (i: number) => `outcomes[${i}].measure`;

/** Blank budget rows shown below the filled ones, so more can be added without JavaScript. */
export const BLANK_BUDGET_ROWS = 3;

export const TEXT_MAX = 5000;
export const TITLE_MAX = 150;

const text = (max: number, label: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .refine((v) => v.length <= max, `${label} must be ${max.toLocaleString("en-GB")} characters or fewer`);

const optionalDate = (label: string) => optionalIsoDateField(`${label} must be a real date, like 2027-04-01`);

const rowText = z
  .string()
  .optional()
  .transform((v) => (v ?? "").trim());

/** One budget row as typed; a row left blank (or never drawn) is skipped. */
const BudgetRowSchema = z
  .object({ item: rowText, cost: rowText })
  .optional()
  .transform((row) => row ?? { item: "", cost: "" });

/**
 * Each budget line needs both what it is for and its cost; the message names
 * the line, on the row's own field. Rows stay as typed here (a transform
 * after a failed check would hide the other fields' messages) and become
 * BudgetLines when the whole form is read.
 */
const budgetLinesField = rowsField(BudgetRowSchema, MAX_BUDGET_LINES, `Enter ${MAX_BUDGET_LINES} budget lines or fewer`).superRefine((rows, ctx) => {
  rows.forEach(({ item, cost }, i) => {
    if (!item && !cost) return;
    const line = i + 1;
    const problem = (field: "item" | "cost", message: string) => ctx.addIssue({ code: "custom", path: [i, field], message });
    if (!item) problem("item", `Say what budget line ${line} is for`);
    else if (item.length > 200) problem("item", `Budget line ${line} must be 200 characters or fewer`);
    const costPence = cost ? parsePoundsToPence(cost) : null;
    if (!cost) problem("cost", `Enter the cost of budget line ${line}${item ? ` (${item.slice(0, 40)})` : ""}`);
    else if (costPence === null) problem("cost", `Enter the cost of budget line ${line} in pounds, like 1250 or 1250.50`);
    else if (costPence === 0) problem("cost", `The cost of budget line ${line} must be more than £0`);
  });
});

const budgetLinesOf = (rows: readonly { item: string; cost: string }[]): BudgetLine[] =>
  rows.flatMap(({ item, cost }) => {
    const costPence = parsePoundsToPence(cost);
    return item && costPence ? [{ item, costPence }] : [];
  });

/** One outcome row as typed. */
const OutcomeRowSchema = z
  .object({ outcome: rowText, measure: rowText })
  .optional()
  .transform((row) => row ?? { outcome: "", measure: "" });

/** Each outcome needs a measure, and each measure an outcome. */
const outcomesField = rowsField(OutcomeRowSchema, MAX_OUTCOMES, `Enter ${MAX_OUTCOMES} outcomes or fewer`).superRefine((rows, ctx) => {
  rows.forEach(({ outcome, measure }, i) => {
    if (!outcome && !measure) return;
    const n = i + 1;
    const problem = (field: "outcome" | "measure", message: string) => ctx.addIssue({ code: "custom", path: [i, field], message });
    if (!outcome) problem("outcome", `Describe outcome ${n}, or clear how it will be measured`);
    else if (outcome.length > 500) problem("outcome", `Outcome ${n} must be 500 characters or fewer`);
    if (!measure) problem("measure", `Say how you will measure outcome ${n}`);
    else if (measure.length > 500) problem("measure", `How you will measure outcome ${n} must be 500 characters or fewer`);
  });
});

/**
 * The outline form's fields, in the order of the page, so the error summary
 * follows it. Numbers stay text until the whole form is read, so that one bad
 * amount does not stop the checks across fields.
 */
const ProposalFieldsSchema = z.object({
  title: text(TITLE_MAX, "Title"),
  summary: text(TEXT_MAX, "Summary").refine(
    (v) => wordCount(v) <= SUMMARY_MAX_WORDS,
    (v) => ({ message: `Summary must be ${SUMMARY_MAX_WORDS} words or fewer. It has ${wordCount(v)} words` }),
  ),
  needType: z
    .string()
    .optional()
    .transform((v) => v || null)
    .refine((v): v is NeedType | null => v === null || (NEED_TYPES as readonly string[]).includes(v), "Choose the kind of need from the list"),
  needEvidence: text(TEXT_MAX, "Evidence of need"),
  beneficiaries: text(TEXT_MAX, "Who benefits"),
  beneficiaryCount: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim().replace(/,/g, ""))
    .refine((v) => v === "" || /^\d{1,9}$/.test(v), "Enter how many people benefit as a whole number, like 250"),
  whatBuilt: text(TEXT_MAX, "What will be built or bought"),
  budgetLines: budgetLinesField,
  amountRequested: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .refine((v) => v === "" || parsePoundsToPence(v) !== null, "Enter the amount requested in pounds, like 50000 or 50000.50"),
  startDate: optionalDate("Start date"),
  endDate: optionalDate("End date"),
  outcomes: outcomesField,
});

/**
 * The outline form, read into ProposalContent. Any subset may be filled in
 * (it is a draft); what is filled in must make sense: money in pounds, real
 * dates, the end after the start, a short summary, each budget line with both
 * an item and a cost, each outcome with a measure. When the decision group's
 * limits are given, the amount is checked against them too. Every problem is
 * reported at once.
 */
export const proposalFormSchema = (limits?: GroupLimits) =>
  ProposalFieldsSchema.superRefine((v, ctx) => {
    // Checks across fields run on whatever parsed, so they are reported with everything else, not in a second round.
    if (v.startDate && v.endDate && isRealIsoDate(v.startDate) && isRealIsoDate(v.endDate) && v.endDate < v.startDate) {
      ctx.addIssue({ code: "custom", path: ["endDate"], message: "The end date must be the same as or after the start date" });
    }
    const amountPence = v.amountRequested ? parsePoundsToPence(v.amountRequested) : null;
    if (limits && amountPence !== null) {
      const problem = amountProblem(amountPence, limits);
      if (problem) ctx.addIssue({ code: "custom", path: ["amountRequested"], message: problem });
    }
  }).transform((d): ProposalContent => ({
    title: d.title,
    summary: d.summary,
    needType: d.needType,
    needEvidence: d.needEvidence,
    beneficiaries: d.beneficiaries,
    beneficiaryCount: d.beneficiaryCount === "" ? null : Number(d.beneficiaryCount),
    whatBuilt: d.whatBuilt,
    budgetLines: budgetLinesOf(d.budgetLines),
    amountRequestedPence: d.amountRequested === "" ? null : parsePoundsToPence(d.amountRequested),
    startDate: d.startDate,
    endDate: d.endDate,
    outcomes: d.outcomes.filter((o): o is Outcome => Boolean(o.outcome && o.measure)),
  }));

/** The form's fields for content already saved, to fill the inputs. */
export function valuesOf(content: ProposalContent, penceToPounds: (p: number | null) => string): FormValues {
  const values: FormValues = {
    title: content.title,
    summary: content.summary,
    needType: content.needType ?? "",
    needEvidence: content.needEvidence,
    beneficiaries: content.beneficiaries,
    beneficiaryCount: content.beneficiaryCount === null ? "" : String(content.beneficiaryCount),
    whatBuilt: content.whatBuilt,
    amountRequested: penceToPounds(content.amountRequestedPence),
    startDate: content.startDate ?? "",
    endDate: content.endDate ?? "",
  };
  content.budgetLines.forEach((line, i) => {
    values[budgetItemField(i)] = line.item;
    values[budgetCostField(i)] = penceToPounds(line.costPence);
  });
  content.outcomes.forEach((o, i) => {
    values[outcomeField(i)] = o.outcome;
    values[measureField(i)] = o.measure;
  });
  return values;
}

/** How many budget rows to draw: the filled ones plus some blank ones, within the maximum. */
export function budgetRowCount(values: FormValues, requested = 0): number {
  let last = -1;
  for (let i = 0; i < MAX_BUDGET_LINES; i += 1) {
    if ((values[budgetItemField(i)] ?? "").trim() || (values[budgetCostField(i)] ?? "").trim()) last = i;
  }
  return Math.min(MAX_BUDGET_LINES, Math.max(last + 1 + BLANK_BUDGET_ROWS, requested));
}

/** The edit form's buttons. */
export const ProposalIntentSchema = z.enum(["save", "submit", "more_lines", "hand_to_group"], {
  errorMap: () => ({ message: "Choose what you want to do" }),
});

export interface EligibilityQuestionForForm {
  id: string;
  text: string;
  options: string[];
}

/** The eligibility step: one answer per question, from the answers offered. */
export function eligibilityAnswersSchema(questions: readonly EligibilityQuestionForForm[]) {
  return z.object(
    Object.fromEntries(
      questions.map((q) => [
        `q_${q.id}`,
        z.string({ required_error: `Answer the question: ${q.text}` }).refine((v) => q.options.includes(v), `Answer the question: ${q.text}`),
      ]),
    ),
  );
}

/** A lead organisation says which community group it is helping: one from the list, or a new one by name. */
export const OnBehalfSchema = z
  .object({
    organisationId: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || null),
    newGroupName: z
      .string()
      .trim()
      .max(150, "Group name must be 150 characters or fewer")
      .optional()
      .transform((v) => v || null),
  })
  .superRefine((v, ctx) => {
    if (v.organisationId && v.newGroupName) {
      ctx.addIssue({ code: "custom", path: ["newGroupName"], message: "Choose a group from the list or enter a new group's name, not both" });
    } else if (!v.organisationId && !v.newGroupName) {
      ctx.addIssue({ code: "custom", path: ["organisationId"], message: "Choose the community group you are helping, or enter a new group's name" });
    }
  });

/** Everyone else starts a proposal for their own group: nobody to choose. */
export const NotOnBehalfSchema = z.object({}).transform(() => ({ organisationId: null as string | null, newGroupName: null as string | null }));

/** The group's reply to its lead organisation. */
export const GroupReplySchema = z.object({
  reply: z.string({ required_error: "Write your reply" }).trim().min(1, "Write your reply").max(3000, "Your reply must be 3,000 characters or fewer"),
});

import { z } from "zod";
import { parsePoundsToPence } from "../money";
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

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string>;

/** Field names of the repeating rows; the input id is the name, so error links work. */
export const budgetItemField = (i: number) => `budgetItem${i}`;
export const budgetCostField = (i: number) => `budgetCost${i}`;
export const outcomeField = (i: number) => `outcome${i}`;
export const measureField = (i: number) => `measure${i}`;

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

const isRealDate = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
};

const optionalDate = (label: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim() || null)
    .refine((v) => v === null || isRealDate(v), `${label} must be a real date, like 2027-04-01`);

/** The single-value fields of the outline form. Budget lines and outcomes are read row by row below. */
export const ProposalFieldsSchema = z.object({
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
    .refine((v) => v === "" || (/^\d{1,9}$/.test(v)), "Enter how many people benefit as a whole number, like 250")
    .transform((v) => (v === "" ? null : Number(v))),
  whatBuilt: text(TEXT_MAX, "What will be built or bought"),
  amountRequested: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .refine((v) => v === "" || parsePoundsToPence(v) !== null, "Enter the amount requested in pounds, like 50000 or 50000.50")
    .transform((v) => (v === "" ? null : parsePoundsToPence(v))),
  startDate: optionalDate("Start date"),
  endDate: optionalDate("End date"),
});

/** Every field name of the outline form, top to bottom, so the error summary follows the page. */
export const FORM_ORDER: readonly string[] = [
  "title",
  "summary",
  "needType",
  "needEvidence",
  "beneficiaries",
  "beneficiaryCount",
  "whatBuilt",
  ...Array.from({ length: MAX_BUDGET_LINES }, (_, i) => [budgetItemField(i), budgetCostField(i)]).flat(),
  "amountRequested",
  "startDate",
  "endDate",
  ...Array.from({ length: MAX_OUTCOMES }, (_, i) => [outcomeField(i), measureField(i)]).flat(),
];

function inFormOrder(errors: FieldErrors): FieldErrors {
  const rank = (field: string) => {
    const at = FORM_ORDER.indexOf(field);
    return at === -1 ? FORM_ORDER.length : at;
  };
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)));
}

export type ParsedProposalForm =
  | { ok: true; content: ProposalContent; values: FormValues }
  | { ok: false; errors: FieldErrors; values: FormValues };

const str = (form: FormData | URLSearchParams, name: string): string => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

/**
 * Reads the outline form into ProposalContent. Any subset may be filled in
 * (it is a draft); what is filled in must make sense: money in pounds, real
 * dates, the end after the start, a short summary, each budget line with both
 * an item and a cost, each outcome with a measure. When the decision group's
 * limits are given, the amount is checked against them too.
 * On failure every problem is reported at once, with the input kept.
 */
export function parseProposalForm(form: FormData | URLSearchParams, limits?: GroupLimits): ParsedProposalForm {
  const values: FormValues = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && key !== "csrf" && key !== "intent") values[key] = value;
  }
  const errors: FieldErrors = {};
  const raw: Record<string, string> = {};
  for (const key of Object.keys(ProposalFieldsSchema.shape)) raw[key] = str(form, key);
  const fields = ProposalFieldsSchema.safeParse(raw);
  if (!fields.success) {
    for (const issue of fields.error.issues) errors[String(issue.path[0])] ??= issue.message;
  }

  const budgetLines: BudgetLine[] = [];
  for (let i = 0; i < MAX_BUDGET_LINES; i += 1) {
    const item = str(form, budgetItemField(i)).trim();
    const cost = str(form, budgetCostField(i)).trim();
    if (!item && !cost) continue;
    const line = i + 1;
    if (item.length > 200) errors[budgetItemField(i)] = `Budget line ${line} must be 200 characters or fewer`;
    if (!item) errors[budgetItemField(i)] = `Say what budget line ${line} is for`;
    const costPence = cost ? parsePoundsToPence(cost) : null;
    if (!cost) errors[budgetCostField(i)] = `Enter the cost of budget line ${line}${item ? ` (${item.slice(0, 40)})` : ""}`;
    else if (costPence === null) errors[budgetCostField(i)] = `Enter the cost of budget line ${line} in pounds, like 1250 or 1250.50`;
    else if (costPence === 0) errors[budgetCostField(i)] = `The cost of budget line ${line} must be more than £0`;
    if (item && costPence) budgetLines.push({ item, costPence });
  }

  const outcomes: Outcome[] = [];
  for (let i = 0; i < MAX_OUTCOMES; i += 1) {
    const outcome = str(form, outcomeField(i)).trim();
    const measure = str(form, measureField(i)).trim();
    if (!outcome && !measure) continue;
    const n = i + 1;
    if (!outcome) errors[outcomeField(i)] = `Describe outcome ${n}, or clear how it will be measured`;
    else if (outcome.length > 500) errors[outcomeField(i)] = `Outcome ${n} must be 500 characters or fewer`;
    if (!measure) errors[measureField(i)] = `Say how you will measure outcome ${n}`;
    else if (measure.length > 500) errors[measureField(i)] = `How you will measure outcome ${n} must be 500 characters or fewer`;
    if (outcome && measure) outcomes.push({ outcome, measure });
  }

  // Checks across fields run on whatever parsed, so they are reported with everything else, not in a second round.
  const startDate = raw.startDate!.trim();
  const endDate = raw.endDate!.trim();
  if (isRealDate(startDate) && isRealDate(endDate) && endDate < startDate) {
    errors.endDate = "The end date must be the same as or after the start date";
  }
  const amountRequested = raw.amountRequested!.trim() ? parsePoundsToPence(raw.amountRequested!) : null;
  if (limits && amountRequested !== null && !errors.amountRequested) {
    const problem = amountProblem(amountRequested, limits);
    if (problem) errors.amountRequested = problem;
  }

  if (!fields.success || Object.keys(errors).length > 0) return { ok: false, errors: inFormOrder(errors), values };
  const d = fields.data;
  return {
    ok: true,
    values,
    content: {
      title: d.title,
      summary: d.summary,
      needType: d.needType,
      needEvidence: d.needEvidence,
      beneficiaries: d.beneficiaries,
      beneficiaryCount: d.beneficiaryCount,
      whatBuilt: d.whatBuilt,
      budgetLines,
      amountRequestedPence: d.amountRequested,
      startDate: d.startDate,
      endDate: d.endDate,
      outcomes,
    },
  };
}

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
    organisationId: z.string().trim().optional().transform((v) => v || null),
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

/** The group's reply to its lead organisation. */
export const GroupReplySchema = z.object({
  reply: z
    .string({ required_error: "Write your reply" })
    .trim()
    .min(1, "Write your reply")
    .max(3000, "Your reply must be 3,000 characters or fewer"),
});

import { z } from "zod";
import { DECISION_METHODS } from "../community-ballot";
import { FUND_TYPES, grantRangeProblem, linesOf, phasesProblems, PHASES, SCORE_BANDS, YES_NO_OPTIONS, type Phases } from "../fund";
import { parsePoundsToPence } from "../money";
import { isOnsAreaCode } from "../three-sixty-giving";
import { emailField, isRealIsoDate, optionalIsoDateField, repeatedField, rowsField } from "./fields";

/** The most any amount may be: keeps sums far from unsafe integers. */
export const MAX_MONEY_PENCE = 100_000_000_000; // £1,000,000,000

const requiredText = (missing: string, max: number, tooLong: string) => z.string({ required_error: missing }).trim().min(1, missing).max(max, tooLong);

const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, tooLong)
    .optional()
    .transform((v) => v ?? "");

/**
 * An amount of money typed in pounds, as integer pence.
 * `what` is the field's name in a sentence ("the total budget"), `What` at its start.
 */
export function moneyField(what: string, What: string, { allowZero = false } = {}) {
  return z
    .string({ required_error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .transform((value, ctx) => {
      if (value.includes("-")) {
        ctx.addIssue({ code: "custom", message: allowZero ? `${What} must be £0 or more` : `${What} must be more than £0` });
        return z.NEVER;
      }
      const pence = parsePoundsToPence(value);
      if (pence === null) {
        ctx.addIssue({ code: "custom", message: `Enter ${what} as an amount of money, like 50000 or £50,000.00` });
        return z.NEVER;
      }
      if (!allowZero && pence === 0) {
        ctx.addIssue({ code: "custom", message: `${What} must be more than £0` });
        return z.NEVER;
      }
      if (pence > MAX_MONEY_PENCE) {
        ctx.addIssue({ code: "custom", message: `${What} must be £1,000,000,000 or less` });
        return z.NEVER;
      }
      return pence;
    });
}

const dateField = (noun: string) => optionalIsoDateField(`Enter ${noun} as a real date, like 2026-11-23`);

export const FundSchema = z
  .object({
    name: requiredText("Enter the fund's name", 120, "The fund's name must be 120 characters or fewer"),
    purpose: requiredText("Enter the fund's purpose", 2000, "The purpose must be 2,000 characters or fewer"),
    type: z.enum(FUND_TYPES as [string, ...string[]], { errorMap: () => ({ message: "Choose whether the fund is capital or revenue" }) }),
    budget: moneyField("the total budget", "The total budget"),
    opensOn: dateField(PHASES[0].noun),
    closesOn: dateField(PHASES[1].noun),
    reviewOn: dateField(PHASES[2].noun),
    decisionsOn: dateField(PHASES[3].noun),
    awardsOn: dateField(PHASES[4].noun),
    isPublished: z.enum(["yes", "no"], { errorMap: () => ({ message: "Choose whether the fund is published" }) }),
    // Optional so older forms and scripts keep working: left out, a new fund is decided by a panel and an edit keeps the method.
    decisionMethod: z.enum(DECISION_METHODS as [string, ...string[]], { errorMap: () => ({ message: "Choose who decides" }) }).optional(),
  })
  .superRefine((v, ctx) => {
    // A date that is not a real date already has its own message; leave it out of the order check.
    const real = (d: string | null) => (d && isRealIsoDate(d) ? d : null);
    const phases: Phases = {
      opensOn: real(v.opensOn),
      closesOn: real(v.closesOn),
      reviewOn: real(v.reviewOn),
      decisionsOn: real(v.decisionsOn),
      awardsOn: real(v.awardsOn),
    };
    for (const [field, message] of Object.entries(phasesProblems(phases, v.isPublished === "yes"))) {
      ctx.addIssue({ code: "custom", path: [field], message });
    }
  })
  .transform((v) => ({
    ...v,
    type: v.type as (typeof FUND_TYPES)[number],
    isPublished: v.isPublished === "yes",
    decisionMethod: v.decisionMethod as (typeof DECISION_METHODS)[number] | undefined,
  }));

export type FundInput = z.infer<typeof FundSchema>;

export const MAX_CHOICE_OPTIONS = 12;

export const EligibilityQuestionSchema = z
  .object({
    questionId: z.string().trim().optional(),
    text: requiredText("Enter the question", 500, "The question must be 500 characters or fewer"),
    kind: z.enum(["yes_no", "choice"], { errorMap: () => ({ message: "Choose how the question is answered" }) }),
    options: optionalText(4000, "The answers must be 4,000 characters or fewer in total"),
    ineligibleIfYes: z.string().optional(),
    ineligibleIfNo: z.string().optional(),
    ineligibleChoices: optionalText(4000, "The answers that make a group ineligible must be 4,000 characters or fewer"),
    ineligibleReason: requiredText(
      "Enter the reason a group cannot apply when it gives one of these answers",
      1000,
      "The reason must be 1,000 characters or fewer",
    ),
  })
  .superRefine((v, ctx) => {
    for (const issue of answersOf(v).issues) ctx.addIssue({ code: "custom", ...issue });
  })
  .transform((v) => {
    const { options, ineligibleAnswers } = answersOf(v);
    return {
      questionId: v.questionId || null,
      text: v.text,
      kind: v.kind,
      options,
      ineligibleAnswers,
      ineligibleReason: v.ineligibleReason,
    };
  });

interface RawAnswers {
  kind: "yes_no" | "choice";
  options: string;
  ineligibleIfYes?: string;
  ineligibleIfNo?: string;
  ineligibleChoices: string;
}

/** A question's answers and the ones that make a group ineligible, with any problems, from the form's fields. */
function answersOf(v: RawAnswers): { options: string[]; ineligibleAnswers: string[]; issues: { path: string[]; message: string }[] } {
  const issues: { path: string[]; message: string }[] = [];
  if (v.kind === "yes_no") {
    const options = [...YES_NO_OPTIONS];
    const ineligibleAnswers = [v.ineligibleIfYes ? "Yes" : null, v.ineligibleIfNo ? "No" : null].filter((a): a is string => a !== null);
    if (ineligibleAnswers.length === 0) {
      issues.push({ path: ["ineligibleIfYes"], message: "Choose the answer that makes a group ineligible" });
    } else if (ineligibleAnswers.length === options.length) {
      issues.push({ path: ["ineligibleIfYes"], message: "At least one answer must let a group apply" });
    }
    return { options, ineligibleAnswers, issues };
  }
  const options = linesOf(v.options);
  const seen = new Set<string>();
  const duplicate = options.find((o) => (seen.has(o.toLowerCase()) ? true : (seen.add(o.toLowerCase()), false)));
  if (options.length < 2) {
    issues.push({ path: ["options"], message: "Enter at least 2 answers, one on each line" });
  } else if (options.length > MAX_CHOICE_OPTIONS) {
    issues.push({ path: ["options"], message: `Enter ${MAX_CHOICE_OPTIONS} answers or fewer` });
  } else if (duplicate) {
    issues.push({ path: ["options"], message: `The answer "${duplicate}" is listed more than once` });
  } else if (options.some((o) => o.length > 200)) {
    issues.push({ path: ["options"], message: "Each answer must be 200 characters or fewer" });
  }
  const byLower = new Map(options.map((o) => [o.toLowerCase(), o]));
  const chosen = linesOf(v.ineligibleChoices);
  const unknown = chosen.find((c) => !byLower.has(c.toLowerCase()));
  // Stored in the option's own spelling, so answers match exactly later.
  const ineligibleAnswers = [...new Set(chosen.map((c) => byLower.get(c.toLowerCase()) ?? c))];
  if (chosen.length === 0) {
    issues.push({ path: ["ineligibleChoices"], message: "Enter at least one answer that makes a group ineligible" });
  } else if (unknown) {
    issues.push({
      path: ["ineligibleChoices"],
      message: `"${unknown}" is not one of the answers. Write each answer that makes a group ineligible exactly as it is in the list of answers`,
    });
  } else if (options.length >= 2 && ineligibleAnswers.length >= options.length) {
    issues.push({ path: ["ineligibleChoices"], message: "At least one answer must let a group apply" });
  }
  return { options, ineligibleAnswers, issues };
}

export type EligibilityQuestionInput = z.infer<typeof EligibilityQuestionSchema>;

/** Removing a question, criterion or similar row of a fund. */
export const RemoveRowSchema = z.object({ id: z.string({ required_error: "Choose what to remove" }).trim().min(1, "Choose what to remove") });

/** The name of one score band's guidance box, "guidance[0]" to "guidance[5]"; its message is keyed the same way. */
export const guidanceField = (score: number) => `guidance[${score}]`;

export const CriterionSchema = z
  .object({
    criterionId: z.string().trim().optional(),
    name: requiredText("Enter the criterion's name", 120, "The name must be 120 characters or fewer"),
    weight: z
      .string({ required_error: "Enter the weight" })
      .trim()
      .min(1, "Enter the weight")
      .refine((v) => /^\d+$/.test(v), "Enter the weight as a whole number, like 1, 2 or 3")
      .transform(Number)
      .refine((n) => n >= 1, "The weight must be 1 or more")
      .refine((n) => n <= 100, "The weight must be 100 or less"),
    // One box per score band, in band order; a band left blank has no guidance.
    guidance: rowsField(optionalText(1000, "Guidance must be 1,000 characters or fewer"), SCORE_BANDS.length, "Give guidance for the six score bands only"),
  })
  .transform((v) => ({
    criterionId: v.criterionId || null,
    name: v.name,
    weight: v.weight,
    guidance: SCORE_BANDS.map((score) => v.guidance[score] ?? ""),
  }));

export type CriterionInput = z.infer<typeof CriterionSchema>;

/** The decision group form; its lead organisations are checkboxes, one name sent once per box ticked. */
export const DecisionGroupSchema = z
  .object({
    name: requiredText("Enter the decision group's name", 120, "The name must be 120 characters or fewer"),
    area: requiredText("Enter the area or community of interest", 300, "The area or community of interest must be 300 characters or fewer"),
    areaCode: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ?? "").replace(/\s+/g, "").toUpperCase())
      .refine((v) => v === "" || isOnsAreaCode(v), "Enter the area's ONS code as a letter and 8 digits, like E05010897, or leave it empty")
      .transform((v) => v || null),
    pot: moneyField("the pot", "The pot"),
    minGrant: moneyField("the minimum grant", "The minimum grant", { allowZero: true }),
    maxGrant: moneyField("the maximum grant", "The maximum grant"),
    leadOrganisationIds: repeatedField(
      z
        .array(z.string().trim().min(1, "Choose lead organisations from the list"))
        .min(1, "Choose at least one lead organisation")
        .max(50, "Choose 50 lead organisations or fewer"),
    ),
  })
  .superRefine((v, ctx) => {
    const problem = grantRangeProblem({ potPence: v.pot, minGrantPence: v.minGrant, maxGrantPence: v.maxGrant });
    if (problem) ctx.addIssue({ code: "custom", path: [problem.field], message: problem.message });
  })
  // Deduplicated only once everything passed: a transform on the list itself would hide the grant range messages.
  .transform((v) => ({ ...v, leadOrganisationIds: [...new Set(v.leadOrganisationIds)] }));

export type DecisionGroupInput = z.infer<typeof DecisionGroupSchema>;

const UK_POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/;

export const LeadOrganisationSchema = z.object({
  name: requiredText("Enter the organisation's name", 200, "The name must be 200 characters or fewer"),
  contactName: requiredText("Enter the name of the contact person", 120, "The contact's name must be 120 characters or fewer"),
  contactEmail: z.string({ required_error: "Enter the contact's email address" }).trim().min(1, "Enter the contact's email address").pipe(emailField),
  contactPhone: optionalText(30, "The phone number must be 30 characters or fewer").refine(
    (v) => v === "" || /^[+\d][\d ()-]{5,}$/.test(v),
    "Enter a phone number, like 0117 496 0000 or +44 117 496 0000",
  ),
  address: optionalText(500, "The address must be 500 characters or fewer"),
  postcode: optionalText(10, "Enter a real postcode, like BS1 5TR")
    .transform((v) => v.toUpperCase().replace(/\s+/g, " "))
    .refine((v) => v === "" || UK_POSTCODE.test(v), "Enter a real postcode, like BS1 5TR"),
});

export type LeadOrganisationInput = z.infer<typeof LeadOrganisationSchema>;

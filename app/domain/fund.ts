import type { FundType } from "../../db/schema";
import { formatPence } from "./money";

export type { FundType };

export const FUND_TYPES: readonly FundType[] = ["capital", "revenue"];

export const FUND_TYPE_LABELS: Record<FundType, string> = {
  capital: "Capital",
  revenue: "Revenue",
};

export const FUND_TYPE_HINTS: Record<FundType, string> = {
  capital: "Pays for something physical, such as building work or equipment",
  revenue: "Pays for running costs, such as staff time or a service",
};

/** The phases of a fund, in the order they must happen. */
export const PHASES = [
  { field: "opensOn", column: "opens_on", label: "Proposals open", noun: "the date proposals open" },
  { field: "closesOn", column: "closes_on", label: "Proposals close", noun: "the date proposals close" },
  { field: "reviewOn", column: "review_on", label: "Panel review starts", noun: "the date panel review starts" },
  { field: "decisionsOn", column: "decisions_on", label: "Decisions made", noun: "the date decisions are made" },
  { field: "awardsOn", column: "awards_on", label: "Awards made", noun: "the date awards are made" },
] as const;

export type PhaseField = (typeof PHASES)[number]["field"];
export type Phases = Record<PhaseField, string | null>;

/**
 * Problems with a fund's dates, one message per field: each date must be on
 * or after the one before it, and a published fund needs every date.
 */
export function phasesProblems(phases: Phases, isPublished: boolean): Partial<Record<PhaseField, string>> {
  // One pass in the form's order, so the error summary lists fields top to bottom.
  const problems: Partial<Record<PhaseField, string>> = {};
  let previous: (typeof PHASES)[number] | null = null;
  for (const phase of PHASES) {
    const date = phases[phase.field];
    if (!date) {
      if (isPublished) problems[phase.field] = `Enter ${phase.noun} before you publish the fund`;
      continue;
    }
    if (previous && date < phases[previous.field]!) {
      problems[phase.field] = `${capitalise(phase.noun)} must be the same as or after ${previous.noun}`;
    }
    previous = phase;
  }
  return problems;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** How far the pots together go over the budget, in pence (0 when they fit). */
export function potsOverBudget(budgetPence: number, potsPence: readonly number[]): number {
  const total = potsPence.reduce((sum, pot) => sum + pot, 0);
  return Math.max(0, total - budgetPence);
}

/** Why a fund's decision-group pots do not fit its budget, saying by how much; or null. */
export function potsProblem(budgetPence: number, potsPence: readonly number[]): string | null {
  const over = potsOverBudget(budgetPence, potsPence);
  if (over === 0) return null;
  const total = potsPence.reduce((sum, pot) => sum + pot, 0);
  return `The decision groups' pots would add up to ${formatPence(total)}, which is ${formatPence(over)} more than the fund's total budget of ${formatPence(budgetPence)}`;
}

/** Why a budget cannot be lowered this far, or null: it must still cover the pots already set. */
export function budgetProblem(budgetPence: number, potsPence: readonly number[]): string | null {
  const over = potsOverBudget(budgetPence, potsPence);
  if (over === 0) return null;
  const total = potsPence.reduce((sum, pot) => sum + pot, 0);
  return `The total budget must be at least ${formatPence(total)}, the sum of the decision groups' pots. It is ${formatPence(over)} too low: lower the pots first, or raise the budget`;
}

export interface GrantRange {
  potPence: number;
  minGrantPence: number;
  maxGrantPence: number;
}

/** Minimum ≤ maximum ≤ pot, as one message on the field to fix; or null. */
export function grantRangeProblem(range: GrantRange): { field: "minGrant" | "maxGrant"; message: string } | null {
  if (range.minGrantPence > range.maxGrantPence) {
    return { field: "minGrant", message: "The minimum grant must be the same as or less than the maximum grant" };
  }
  if (range.maxGrantPence > range.potPence) {
    return {
      field: "maxGrant",
      message: `The maximum grant must be the same as or less than the pot (${formatPence(range.potPence)})`,
    };
  }
  return null;
}

/** The non-empty lines of a textarea, trimmed. */
export function linesOf(text: string | null | undefined): string[] {
  return (text ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

export const YES_NO_OPTIONS = ["Yes", "No"] as const;

export const SCORE_BANDS = [0, 1, 2, 3, 4, 5] as const;

/** An eligibility question as a sentence for the public: what stops a group applying. */
export function eligibilityRuleText(question: { ineligibleAnswers: readonly string[] }): string {
  const answers = question.ineligibleAnswers.map((a) => `"${a}"`);
  if (answers.length === 0) return "Any answer is accepted.";
  const list = answers.length === 1 ? answers[0] : `${answers.slice(0, -1).join(", ")} or ${answers.at(-1)}`;
  return `Groups that answer ${list} cannot apply.`;
}

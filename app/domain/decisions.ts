/**
 * Decisions on proposals: the words, the money checks and the notice the
 * applicant reads. Pure: the service loads the facts and calls these.
 * Every "no" carries a reason the applicant can read (docs/glossary.md), and nothing
 * here ever mentions a scorer or an individual score.
 */
import type { DecisionOutcome } from "../../db/schema";
import { formatPence } from "./money";

export type { DecisionOutcome };

export const DECISION_OUTCOMES: readonly DecisionOutcome[] = ["funded", "not_funded", "reserve"];

export const OUTCOME_LABELS: Record<DecisionOutcome, string> = {
  funded: "Funded",
  not_funded: "Not funded",
  reserve: "Reserve list",
};

/** The proposal action (proposal-status.ts) each outcome takes. */
export const OUTCOME_ACTIONS = {
  funded: "decide_funded",
  not_funded: "decide_not_funded",
  reserve: "decide_reserve",
} as const satisfies Record<DecisionOutcome, string>;

export interface GrantLimits {
  minGrantPence: number;
  maxGrantPence: number;
  potPence: number;
  /** Funded amounts already decided for the group's other proposals. */
  alreadyFundedPence: number;
  /** What the proposal asked for; a grant is never more than this. */
  askPence: number | null;
}

/** What is left in the pot once the other funded decisions are counted. */
export const remainingPot = (limits: Pick<GrantLimits, "potPence" | "alreadyFundedPence">) => Math.max(0, limits.potPence - limits.alreadyFundedPence);

/** A plain-English problem with a funded amount, or null when it is allowed. */
export function grantAmountProblem(amountPence: number, limits: GrantLimits): string | null {
  if (!Number.isSafeInteger(amountPence) || amountPence <= 0) return "Enter the amount to fund, in pounds, more than £0";
  if (amountPence < limits.minGrantPence || amountPence > limits.maxGrantPence) {
    return `The amount must be between ${formatPence(limits.minGrantPence)} and ${formatPence(limits.maxGrantPence)}, the grant range for this decision group`;
  }
  if (limits.askPence !== null && amountPence > limits.askPence) {
    return `The amount must be no more than the ${formatPence(limits.askPence)} the group asked for`;
  }
  const left = remainingPot(limits);
  if (amountPence > left) {
    return `The pot has ${formatPence(left)} left (${formatPence(limits.potPence)} in the pot, ${formatPence(limits.alreadyFundedPence)} already funded), so ${formatPence(amountPence)} does not fit. Fund less, or change another decision first`;
  }
  return null;
}

/**
 * The names of panel members written into text meant for the applicant.
 * Whole names only, matched as whole words and ignoring case, so "Hall" the
 * surname does not trip on "community hall" unless someone is called just "Hall".
 */
export function namesIn(text: string, names: readonly string[]): string[] {
  const haystack = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ")} `;
  const found = new Set<string>();
  for (const name of names) {
    const needle = name
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
    if (needle.length < 3) continue;
    if (haystack.includes(` ${needle} `)) found.add(name);
  }
  return [...found];
}

export interface DecisionNotice {
  outcome: DecisionOutcome;
  amountPence: number | null;
  conditions: string;
  reason: string;
  feedback: string;
}

export const DECISION_HEADINGS = {
  amount: "Amount",
  conditions: "Conditions to meet before money is paid",
  reason: "The panel's reason",
  feedback: "Feedback from the panel",
};

/** The subject of the email and notice to the applicant group. */
export const decisionSubject = (outcome: DecisionOutcome) =>
  outcome === "funded" ? "Your proposal has been funded" : outcome === "reserve" ? "Your proposal is on the reserve list" : "Your proposal was not funded";

/** The text the applicant group receives: the decision, amount, conditions, reason and feedback, and nothing about who scored what. */
export function decisionNoticeText(title: string, notice: DecisionNotice): string {
  const lines: string[] = [];
  if (notice.outcome === "funded") {
    lines.push(`The decision panel has decided to fund "${title}"${notice.amountPence !== null ? ` with ${formatPence(notice.amountPence)}` : ""}.`);
  } else if (notice.outcome === "reserve") {
    lines.push(`The decision panel has put "${title}" on the reserve list. It may be funded if money becomes available, and we will tell you if it is.`);
  } else {
    lines.push(`The decision panel has decided not to fund "${title}" this time.`);
  }
  if (notice.outcome === "funded" && notice.conditions) lines.push("", `${DECISION_HEADINGS.conditions}:`, notice.conditions);
  lines.push("", `${DECISION_HEADINGS.reason}:`, notice.reason);
  if (notice.feedback) lines.push("", `${DECISION_HEADINGS.feedback}:`, notice.feedback);
  return lines.join("\n");
}

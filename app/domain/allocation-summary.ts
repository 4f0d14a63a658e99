/**
 * The allocation page's first line: the recommendation in one plain sentence,
 * compared with going down the ranking. For example "Fund P-0002 Bike hub and
 * P-0003 Food bank, £60,000, 18 points more than going down the ranking."
 * Pure: it only reads the result of the allocation (app/domain/allocation.ts),
 * so it does not care how that result was worked out.
 */
import { formatPence } from "./money";

export interface SummaryProposal {
  reference: string;
  title: string;
  /** In the recommended (optimal) set. */
  isFunded: boolean;
  /** In the set that going down the ranking gives. */
  isFundedByGreedy: boolean;
}

export interface AllocationSummaryInput {
  /** The candidates the viewer may see, in ranking order. */
  proposals: readonly SummaryProposal[];
  /** Total value (points) of each plan; null when it is not shown to this viewer. */
  optimumValue: number | null;
  greedyValue: number | null;
  /** What the recommendation gives out in all. */
  optimumPence: number;
  /** The money the recommendation could use. */
  availablePence: number;
  /** Proposals were pinned in or out for a what-if. */
  hasPins?: boolean;
}

/** Named in full up to this many; a longer list names the first few and counts the rest. */
const MAX_NAMED = 5;
const NAMED_WHEN_LONG = 3;

const nameOf = (p: SummaryProposal) => (p.title.trim() ? `${p.reference} ${p.title.trim()}` : p.reference);

/** "A", "A and B", "A, B and C". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function namesOf(funded: readonly SummaryProposal[]): string {
  if (funded.length <= MAX_NAMED) return listInWords(funded.map(nameOf));
  const first = funded.slice(0, NAMED_WHEN_LONG).map(nameOf);
  return `${funded.length} proposals: ${first.join(", ")} and ${funded.length - NAMED_WHEN_LONG} more`;
}

/** Points to two decimal places at most, without trailing zeros: 18, 18.5, 0.25. */
export function pointsInWords(points: number): string {
  const rounded = Math.round(Math.abs(points) * 100) / 100;
  return `${rounded} ${rounded === 1 ? "point" : "points"}`;
}

/** How the recommendation compares with going down the ranking, or null when the points are not shown. */
function comparison(input: AllocationSummaryInput, funded: readonly SummaryProposal[]): string | null {
  const isSameSet = input.proposals.every((p) => p.isFunded === p.isFundedByGreedy);
  if (isSameSet) return "the same as going down the ranking";
  if (input.optimumValue === null || input.greedyValue === null) return null;
  // Rounded to the hundredth shown, so floating-point noise never reads as a gain.
  const gain = Math.round((input.optimumValue - input.greedyValue) * 100) / 100;
  if (gain > 0) return `${pointsInWords(gain)} more than going down the ranking`;
  if (gain < 0) return `${pointsInWords(gain)} fewer than going down the ranking`;
  return funded.length ? "the same points as going down the ranking, with a different set of proposals" : null;
}

/** The recommendation in one sentence, naming each funded proposal by its reference and title. */
export function recommendationSentence(input: AllocationSummaryInput): string {
  const prefix = input.hasPins ? "With your pins: " : "";
  if (input.proposals.length === 0) return `${prefix}There is nothing to fund yet: no proposal is a candidate.`;
  const funded = input.proposals.filter((p) => p.isFunded);
  if (funded.length === 0) {
    return `${prefix}Fund none of them: no proposal fits in the ${formatPence(input.availablePence)} left in the pot.`;
  }
  const compared = comparison(input, funded);
  return `${prefix}Fund ${namesOf(funded)}, ${formatPence(input.optimumPence)}${compared ? `, ${compared}` : ""}.`;
}

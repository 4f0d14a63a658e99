/**
 * Whether a decision departs from what the panel voted or from the allocation
 * the group adopted. The one rule: the service uses it to require a reason
 * that says so, and the decisions page, the minutes and the public results
 * use it to flag the decision. Pure: facts in, plain-English departures out.
 */
import type { DecisionOutcome } from "../../db/schema";
import { OUTCOME_LABELS } from "./decisions";
import { formatPence } from "./money";

/** A closed per-proposal vote: fund or don't fund, with its counts. (An approval ballot ranks proposals and says neither.) */
export interface PanelVote {
  outcome: "fund" | "dont_fund";
  fund: number;
  dontFund: number;
}

/** What the allocation recommendation in force said about the proposal. */
export interface AdoptedAllocation {
  isRecommended: boolean;
  recommendedAmountPence: number | null;
}

export interface DepartureFacts {
  outcome: DecisionOutcome;
  amountPence: number | null;
  vote: PanelVote | null;
  allocation: AdoptedAllocation | null;
}

export interface Departure {
  from: "vote" | "allocation";
  /** One plain-English sentence, safe to publish: counts and amounts, never who voted or scored what. */
  text: string;
}

export const DEPARTURE_REASON_LABEL = "Why the decision differs from the panel's vote or the allocation";

const votes = (n: number) => `${n} ${n === 1 ? "vote" : "votes"}`;
const decisionWords = (outcome: DecisionOutcome, amountPence: number | null) =>
  outcome === "funded" && amountPence !== null ? `funded with ${formatPence(amountPence)}` : OUTCOME_LABELS[outcome].toLowerCase();

/** Each way the decision goes against the panel's vote or the adopted allocation; empty when it follows both. */
export function decisionDepartures(facts: DepartureFacts): Departure[] {
  const departures: Departure[] = [];
  const isFunded = facts.outcome === "funded";
  const decided = decisionWords(facts.outcome, facts.amountPence);
  if (facts.vote && (facts.vote.outcome === "fund") !== isFunded) {
    departures.push({
      from: "vote",
      text: `The panel voted ${facts.vote.outcome === "fund" ? "to fund" : "not to fund"} (${votes(facts.vote.fund)} to fund, ${votes(facts.vote.dontFund)} not to fund), but the decision is ${decided}.`,
    });
  }
  const allocation = facts.allocation;
  if (allocation) {
    const recommended = allocation.recommendedAmountPence;
    if (allocation.isRecommended && !isFunded) {
      departures.push({
        from: "allocation",
        text: `The adopted allocation funds it${recommended !== null ? ` with ${formatPence(recommended)}` : ""}, but the decision is ${decided}.`,
      });
    } else if (!allocation.isRecommended && isFunded) {
      departures.push({ from: "allocation", text: `The adopted allocation does not fund it, but the decision is ${decided}.` });
    } else if (isFunded && recommended !== null && facts.amountPence !== null && facts.amountPence !== recommended) {
      departures.push({ from: "allocation", text: `The adopted allocation funds it with ${formatPence(recommended)}, but the decision is ${decided}.` });
    }
  }
  return departures;
}

/** The 400 message when a departing decision comes without its reason, or null when none is needed or one is given. */
export function departureReasonProblem(departures: readonly Departure[], departureReason: string): string | null {
  if (departures.length === 0 || departureReason.trim()) return null;
  const what = departures.some((d) => d.from === "vote")
    ? departures.some((d) => d.from === "allocation")
      ? "the panel's vote and the allocation"
      : "the panel's vote"
    : "the allocation";
  return `This decision differs from ${what}. ${departures.map((d) => d.text).join(" ")} Say why in "${DEPARTURE_REASON_LABEL}": it is published with the decision.`;
}

const parse = (text: string | null): unknown => {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
};
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** The panel's vote from a stored vote result (vote_item.result, decision.vote_counts), or null when there is no fund / don't-fund outcome. */
export function panelVoteFrom(stored: unknown): PanelVote | null {
  const value = typeof stored === "string" ? parse(stored) : stored;
  if (!isRecord(value) || value.method !== "per_proposal" || (value.outcome !== "fund" && value.outcome !== "dont_fund")) return null;
  const counts = isRecord(value.counts) ? value.counts : {};
  return { outcome: value.outcome, fund: Number(counts.fund ?? 0), dontFund: Number(counts.dontFund ?? 0) };
}

/** The adopted allocation as the decision stored it (decision.allocation), or null when none had been adopted. */
export function adoptedAllocationFrom(stored: string | null): AdoptedAllocation | null {
  const value = parse(stored);
  if (!isRecord(value) || typeof value.isRecommended !== "boolean") return null;
  const amount = value.recommendedAmountPence;
  return { isRecommended: value.isRecommended, recommendedAmountPence: typeof amount === "number" && Number.isSafeInteger(amount) ? amount : null };
}

/** The departures of a stored decision row. */
export function storedDecisionDepartures(row: {
  outcome: DecisionOutcome;
  amount_pence: number | null;
  vote_counts: string | null;
  allocation: string | null;
}): Departure[] {
  return decisionDepartures({
    outcome: row.outcome,
    amountPence: row.amount_pence,
    vote: panelVoteFrom(row.vote_counts),
    allocation: adoptedAllocationFrom(row.allocation),
  });
}

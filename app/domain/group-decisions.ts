/**
 * Deciding a whole decision group in one step, from the allocation the group
 * adopted: what each row is filled in with, the default reasons, and the form.
 * Pure: the page loads the facts, the decisions service checks and records
 * each row as it records a single decision (app/services/decisions.server.ts).
 */
import { z } from "zod";
import { decisionDepartures, type Departure, type PanelVote } from "./decision-departures";
import { DecisionSchema, type DecisionInput } from "./forms/decision";
import type { DecisionOutcome } from "./decisions";
import { DomainError } from "./errors";
import { penceToPoundsInput } from "./money";

/** The default reasons: the applicant group reads them, so they are plain and may be edited. */
export const DEFAULT_REASONS = {
  funded: "Funded: the panel's chosen allocation includes it.",
  notFunded: "Not funded: the budget was used for proposals with higher scores.",
  votedDown: "Not funded: the panel voted not to fund it.",
} as const;

export interface GroupDecisionFacts {
  /** The amount the adopted allocation gives it, or null when the allocation leaves it out. */
  recommendedPence: number | null;
  /** The panel's latest closed vote on it, if any. */
  panelVote: PanelVote | null;
}

export interface PrefilledDecision {
  outcome: DecisionOutcome;
  /** Pounds, as the amount field shows it; empty unless funded. */
  amount: string;
  reason: string;
  /** How the pre-filled decision goes against the vote or the allocation: those rows need their own reason. */
  departures: Departure[];
}

/** What a row says before anyone edits it: funded with the allocation's amount if the allocation includes it, otherwise not funded. */
export function prefilledDecision(facts: GroupDecisionFacts): PrefilledDecision {
  const isRecommended = facts.recommendedPence !== null;
  const outcome: DecisionOutcome = isRecommended ? "funded" : "not_funded";
  const reason = isRecommended ? DEFAULT_REASONS.funded : facts.panelVote?.outcome === "dont_fund" ? DEFAULT_REASONS.votedDown : DEFAULT_REASONS.notFunded;
  return {
    outcome,
    amount: isRecommended ? penceToPoundsInput(facts.recommendedPence) : "",
    reason,
    departures: decisionDepartures({
      outcome,
      amountPence: facts.recommendedPence,
      vote: facts.panelVote,
      allocation: { isRecommended, recommendedAmountPence: facts.recommendedPence },
    }),
  };
}

/** At most this many rows in one step (row names allow 1,000). */
export const MAX_GROUP_DECISIONS = 500;

/** The one-step form: one row per proposal, each exactly what the single decision form sends. */
export const GroupDecisionsSchema = z.object({
  decisions: z
    .array(DecisionSchema, { required_error: "There are no decisions to record", invalid_type_error: "There are no decisions to record" })
    .min(1, "There are no decisions to record")
    .max(MAX_GROUP_DECISIONS, `Record at most ${MAX_GROUP_DECISIONS} decisions at once`),
});

export type GroupDecisionRow = Omit<DecisionInput, "proposalId">;

/** The fields of a row that the one-step form shows; a message for any other goes on the row's decision. */
export const GROUP_DECISION_FIELDS = ["outcome", "amount", "conditions", "reason", "departureReason"] as const;

/** The input name of a row's field: "decisions[2].reason". */
export const rowField = (index: number, field: string) => `decisions[${index}].${field}`;

/**
 * Some rows of a one-step decision cannot be recorded: one message per row
 * field, keyed by its input name. Nothing was recorded.
 */
export class RowProblems extends DomainError {
  constructor(readonly errors: Record<string, string>) {
    super("Some decisions need changes. Nothing was recorded.");
    this.name = "RowProblems";
  }
}

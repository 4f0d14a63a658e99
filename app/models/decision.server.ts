import type { DB } from "../../db/client";
import type { DecisionOutcome } from "../../db/schema";
import { storedDecisionDepartures, type Departure } from "~/domain/decision-departures";

export const DECISION_COLUMNS = [
  "decision.id",
  "decision.proposal_id",
  "decision.meeting_id",
  "decision.outcome",
  "decision.amount_pence",
  "decision.conditions",
  "decision.reason",
  "decision.feedback",
  "decision.vote_counts",
  "decision.attendance",
  "decision.quorum",
  "decision.allocation",
  "decision.decided_by",
  "decision.decided_at",
] as const;

/** The decision on a proposal, or undefined. */
export function getDecision(db: DB, proposalId: string) {
  return db.selectFrom("decision").select(DECISION_COLUMNS).where("decision.proposal_id", "=", proposalId).executeTakeFirst();
}

/** What the applicant may read about a decision: never who scored or voted what. */
export function getDecisionForApplicant(db: DB, proposalId: string) {
  return db
    .selectFrom("decision")
    .select(["decision.outcome", "decision.amount_pence", "decision.conditions", "decision.reason", "decision.feedback", "decision.decided_at"])
    .where("decision.proposal_id", "=", proposalId)
    .executeTakeFirst();
}

/** The sum of funded amounts already decided in a group, leaving out one proposal (the one being decided again). */
export async function fundedTotalOf(db: DB, groupId: string, exceptProposalId?: string): Promise<number> {
  let query = db
    .selectFrom("decision")
    .innerJoin("proposal", "proposal.id", "decision.proposal_id")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("decision.amount_pence"), eb.lit(0)).as("total"))
    .where("proposal.decision_group_id", "=", groupId)
    .where("decision.outcome", "=", "funded");
  if (exceptProposalId) query = query.where("decision.proposal_id", "!=", exceptProposalId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.total);
}

export interface DecisionListRow {
  proposalId: string;
  outcome: DecisionOutcome;
  amountPence: number | null;
  reason: string;
  decidedAt: string;
  /** Decided at a meeting that was not quorate (recorded, and flagged wherever the decision is listed). */
  isNotQuorate: boolean;
  /** How the decision differs from the panel's vote or the adopted allocation (flagged wherever it is listed), and why. */
  departures: Departure[];
  departureReason: string;
}

function isNotQuorate(quorum: string | null): boolean {
  if (!quorum) return false;
  try {
    return (JSON.parse(quorum) as { isQuorate?: unknown }).isQuorate === false;
  } catch {
    return false;
  }
}

/** Every decision in a group, keyed by proposal; only those on the given proposals when proposalIds is given (one page of a list). */
export async function listGroupDecisions(db: DB, groupId: string, proposalIds?: readonly string[]): Promise<Map<string, DecisionListRow>> {
  if (proposalIds && proposalIds.length === 0) return new Map();
  let query = db
    .selectFrom("decision")
    .innerJoin("proposal", "proposal.id", "decision.proposal_id")
    .select([
      "decision.proposal_id",
      "decision.outcome",
      "decision.amount_pence",
      "decision.reason",
      "decision.decided_at",
      "decision.quorum",
      "decision.vote_counts",
      "decision.allocation",
      "decision.departure_reason",
    ])
    .where("proposal.decision_group_id", "=", groupId);
  if (proposalIds) query = query.where("decision.proposal_id", "in", proposalIds);
  const rows = await query.execute();
  return new Map(
    rows.map((r) => [
      r.proposal_id,
      {
        proposalId: r.proposal_id,
        outcome: r.outcome,
        amountPence: r.amount_pence,
        reason: r.reason,
        decidedAt: r.decided_at,
        isNotQuorate: isNotQuorate(r.quorum),
        departures: storedDecisionDepartures(r),
        departureReason: r.departure_reason,
      },
    ]),
  );
}

export interface Recommendation {
  eventId: number;
  at: string;
  /** Proposal id → recommended amount in pence. */
  amounts: Record<string, number>;
  pinnedIn: string[];
  pinnedOut: string[];
  availablePence: number;
}

export const RECOMMENDATION_ACTION = "allocation.recommended";

/**
 * The allocation the chair or administrator last chose to use, which the
 * decisions form is pre-filled from. It lives in its audit event: the audit
 * trail is append-only, so the latest one is always the one in force.
 */
export async function latestRecommendation(db: DB, groupId: string): Promise<Recommendation | null> {
  const event = await db
    .selectFrom("audit_event")
    .select(["id", "after", "time"])
    .where("entity_type", "=", "decision_group")
    .where("entity_id", "=", groupId)
    .where("action", "=", RECOMMENDATION_ACTION)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!event?.after) return null;
  try {
    const after = JSON.parse(event.after) as Partial<Recommendation>;
    const amounts: Record<string, number> = {};
    for (const [id, pence] of Object.entries(after.amounts ?? {})) if (Number.isSafeInteger(pence)) amounts[id] = pence;
    return {
      eventId: event.id,
      at: event.time,
      amounts,
      pinnedIn: Array.isArray(after.pinnedIn) ? after.pinnedIn.map(String) : [],
      pinnedOut: Array.isArray(after.pinnedOut) ? after.pinnedOut.map(String) : [],
      availablePence: Number(after.availablePence ?? 0),
    };
  } catch {
    return null;
  }
}

import type { DB } from "../../db/client";
import type { ProposalStatus } from "../../db/schema";
import { PANEL_STATUSES } from "./group-results.server";

/** The statuses a proposal waits for a decision in (a reserve decision can be decided again). */
export const AWAITING_DECISION: readonly ProposalStatus[] = ["eligible", "under_review", "reserve"];

/** A group's proposals waiting for a decision, by reference, for the one-step decisions form and the allocation. One query. */
export function listAwaitingDecision(db: DB, groupId: string) {
  return db
    .selectFrom("proposal")
    .select(["id", "reference", "title", "status", "amount_requested_pence", "part_funding_floor_pence"])
    .where("decision_group_id", "=", groupId)
    .where("status", "in", AWAITING_DECISION)
    .orderBy("reference")
    .execute();
}

/**
 * A group's panel-stage proposals by reference, with whether each has a
 * decision: what the decisions page lists, without the decisions' text (the
 * page fetches that only for the decided rows it shows, listGroupDecisions).
 * One query.
 */
export function listPanelProposals(db: DB, groupId: string) {
  return db
    .selectFrom("proposal")
    .leftJoin("decision", "decision.proposal_id", "proposal.id")
    .select([
      "proposal.id",
      "proposal.reference",
      "proposal.title",
      "proposal.status",
      "proposal.amount_requested_pence",
      "proposal.part_funding_floor_pence",
      "decision.id as decision_id",
    ])
    .where("proposal.decision_group_id", "=", groupId)
    .where("proposal.status", "in", PANEL_STATUSES)
    .orderBy("proposal.reference")
    .execute();
}

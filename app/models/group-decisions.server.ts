import type { DB } from "../../db/client";
import type { ProposalStatus } from "../../db/schema";

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

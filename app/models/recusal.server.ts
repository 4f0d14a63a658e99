import type { Expression, ExpressionBuilder } from "kysely";
import type { DB } from "../../db/client";
import type { Database } from "../../db/schema";

/**
 * SQL condition: the member has declared an interest in this proposal, in its
 * applicant organisation, or in one of its decision group's lead organisations.
 * Such a member is recused (Localism Act 2011 s.31 principle): they cannot see
 * others' scores, adviser input or discussion notes on it, score it, or vote on it.
 * Use inside a query that has `proposal` in scope. userId may be a column
 * (e.g. sql.ref("vote.user_id")) to leave recused voters out of a tally.
 */
export function recusedFrom(eb: ExpressionBuilder<Database, "proposal">, userId: string | Expression<string>) {
  return eb.exists(
    eb
      .selectFrom("interest_declaration as d")
      .select("d.id")
      .where("d.user_id", "=", userId)
      .where((inner) =>
        inner.or([
          inner("d.proposal_id", "=", inner.ref("proposal.id")),
          inner("d.organisation_id", "=", inner.ref("proposal.organisation_id")),
          inner(
            "d.organisation_id",
            "in",
            inner
              .selectFrom("decision_group_lead_org as l")
              .select("l.organisation_id")
              .whereRef("l.decision_group_id", "=", "proposal.decision_group_id"),
          ),
        ]),
      ),
  );
}

/** True when the member is recused from the proposal. */
export async function isRecused(db: DB, userId: string, proposalId: string): Promise<boolean> {
  const row = await db
    .selectFrom("proposal")
    .select("proposal.id")
    .where("proposal.id", "=", proposalId)
    .where((eb) => recusedFrom(eb, userId))
    .executeTakeFirst();
  return Boolean(row);
}

/** The proposals in a decision group the member is recused from (for leaving them out of queues and tallies). */
export async function recusedProposalIds(db: DB, userId: string, decisionGroupId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom("proposal")
    .select("proposal.id")
    .where("proposal.decision_group_id", "=", decisionGroupId)
    .where((eb) => recusedFrom(eb, userId))
    .execute();
  return new Set(rows.map((r) => r.id));
}

import type { Expression, ExpressionBuilder } from "kysely";
import type { DB } from "../../db/client";
import type { Database } from "../../db/schema";
import { recusalScope, type Actor } from "~/domain/permissions";

/** Whose recusals hide rows from this viewer (the policy's recusalScope): their own id, or null for someone who sees every row. */
export function recusedViewerId(viewer: Actor): string | null {
  const scope = recusalScope(viewer);
  return scope.kind === "unless_recused" ? scope.userId : null;
}

/**
 * SQL condition: the member is recused from this proposal (Localism Act 2011
 * s.31 principle), so they cannot see others' scores, adviser input or
 * discussion notes on it, score it, or vote on it. Either
 * - they declared an interest, under their panel membership of the proposal's
 *   decision group, in the proposal, its applicant organisation, or one of its
 *   decision group's lead organisations; or
 * - one of their own memberships, ended or not, ties them to it: they belong
 *   to the applicant group, or work for the lead organisation that prepared it
 *   or one of the decision group's lead organisations. This follows the person
 *   across memberships, whatever they declared.
 * Use inside a query that has `proposal` in scope. userId may be a column
 * (e.g. sql.ref("vote.user_id")) to leave recused voters out of a tally.
 */
export function recusedFrom(eb: ExpressionBuilder<Database, "proposal">, userId: string | Expression<string>) {
  const leadOrganisations = eb
    .selectFrom("decision_group_lead_org as l")
    .select("l.organisation_id")
    .whereRef("l.decision_group_id", "=", "proposal.decision_group_id");
  return eb.or([
    eb.exists(
      eb
        .selectFrom("interest_declaration as d")
        .innerJoin("membership as dm", "dm.id", "d.membership_id")
        .select("d.id")
        .where("d.user_id", "=", userId)
        .whereRef("dm.decision_group_id", "=", "proposal.decision_group_id")
        .where((inner) =>
          inner.or([
            inner("d.proposal_id", "=", inner.ref("proposal.id")),
            inner("d.organisation_id", "=", inner.ref("proposal.organisation_id")),
            inner("d.organisation_id", "in", leadOrganisations),
          ]),
        ),
    ),
    eb.exists(
      eb
        .selectFrom("membership as own")
        .select("own.id")
        .where("own.user_id", "=", userId)
        .where((inner) =>
          inner.or([
            inner.and([inner("own.role", "=", "applicant"), inner("own.organisation_id", "=", inner.ref("proposal.organisation_id"))]),
            inner.and([
              inner("own.role", "=", "lead_org"),
              inner.or([
                inner("own.organisation_id", "=", inner.ref("proposal.prepared_by_organisation_id")),
                inner("own.organisation_id", "in", leadOrganisations),
              ]),
            ]),
          ]),
        ),
    ),
  ]);
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

import type { DB } from "../../db/client";
import type { BulkInviteContext } from "~/domain/bulk-invitations";

/**
 * What a bulk invitation file is checked against: the decision groups, lead
 * organisations and funds by name, and, for the addresses in the file only,
 * the roles they hold now and the invitations still waiting. Five queries,
 * however long the file.
 */
export async function loadBulkInviteContext(db: DB, emails: readonly string[], now = new Date()): Promise<BulkInviteContext> {
  const addresses = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  const [decisionGroups, leadOrganisations, funds, memberships, pendingInvitations] = await Promise.all([
    db
      .selectFrom("decision_group")
      .innerJoin("fund", "fund.id", "decision_group.fund_id")
      .select(["decision_group.id", "decision_group.name", "fund.name as fundName"])
      .orderBy("decision_group.name")
      .execute(),
    db.selectFrom("organisation").select(["id", "name"]).where("kind", "=", "lead_org").orderBy("name").execute(),
    db.selectFrom("fund").select(["id", "name"]).orderBy("name").execute(),
    addresses.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom("membership")
          .innerJoin("user", "user.id", "membership.user_id")
          .select([
            "user.email",
            "membership.role",
            "membership.organisation_id as organisationId",
            "membership.decision_group_id as decisionGroupId",
            "membership.fund_id as fundId",
          ])
          .where("membership.ended_at", "is", null)
          .where("user.email", "in", addresses)
          .execute(),
    addresses.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom("invitation")
          .select(["email", "role", "organisation_id as organisationId", "decision_group_id as decisionGroupId", "fund_id as fundId"])
          .where("accepted_at", "is", null)
          .where("expires_at", ">", now.toISOString())
          .where("email", "in", addresses)
          .execute(),
  ]);
  return { decisionGroups, leadOrganisations, funds, memberships, pendingInvitations };
}

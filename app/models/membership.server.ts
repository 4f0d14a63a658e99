import type { DB } from "../../db/client";
import type { Role } from "../../db/schema";
import { sortMemberships, type MembershipSummary } from "~/domain/memberships";

/** A person's memberships that have not ended, with their scopes' names, in the order they are listed. */
export async function listActiveMemberships(db: DB, userId: string): Promise<MembershipSummary[]> {
  const rows = await db
    .selectFrom("membership as m")
    .leftJoin("organisation as o", "o.id", "m.organisation_id")
    .leftJoin("decision_group as g", "g.id", "m.decision_group_id")
    .leftJoin("fund as f", "f.id", "m.fund_id")
    .select([
      "m.id",
      "m.role",
      "m.organisation_id",
      "o.name as organisation_name",
      "m.decision_group_id",
      "g.name as decision_group_name",
      "m.fund_id",
      "f.name as fund_name",
      "m.constituency",
      "m.is_chair",
      "m.started_at",
      "m.ended_at",
    ])
    .where("m.user_id", "=", userId)
    .where("m.ended_at", "is", null)
    .execute();
  return sortMemberships(
    rows.map((r) => ({
      id: r.id,
      role: r.role,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name,
      decisionGroupId: r.decision_group_id,
      decisionGroupName: r.decision_group_name,
      fundId: r.fund_id,
      fundName: r.fund_name,
      constituency: r.constituency,
      isChair: r.is_chair === 1,
      startedAt: r.started_at,
      endedAt: r.ended_at,
    })),
  );
}

/** The person's current membership with this role in this decision group (a panel member's or adviser's), if any. */
export function findGroupMembership(db: DB, userId: string, role: Role, decisionGroupId: string) {
  return db
    .selectFrom("membership")
    .selectAll()
    .where("user_id", "=", userId)
    .where("role", "=", role)
    .where("decision_group_id", "=", decisionGroupId)
    .where("ended_at", "is", null)
    .executeTakeFirst();
}

/** User ids of a decision group's current chairs whose accounts are enabled. */
export async function chairIdsOf(db: DB, decisionGroupId: string): Promise<string[]> {
  const rows = await currentPanel(db, decisionGroupId)
    .select("membership.user_id")
    .where("membership.is_chair", "=", 1)
    .where("user.disabled_at", "is", null)
    .execute();
  return rows.map((r) => r.user_id);
}

/**
 * Current panel memberships joined to their people, for a query to narrow and
 * select from: `membership` has the constituency, chair and name consent.
 */
export function currentPanel(db: DB, decisionGroupId: string) {
  return db
    .selectFrom("membership")
    .innerJoin("user", "user.id", "membership.user_id")
    .where("membership.role", "=", "panel_member")
    .where("membership.decision_group_id", "=", decisionGroupId)
    .where("membership.ended_at", "is", null);
}

/** The enabled people who currently belong to these organisations (a group's members, a lead organisation's staff). */
export function currentMembersOf(db: DB, organisationIds: readonly string[]) {
  return db
    .selectFrom("membership")
    .innerJoin("user", "user.id", "membership.user_id")
    .select(["membership.organisation_id", "user.id", "user.email", "user.name"])
    .where("membership.organisation_id", "in", organisationIds.length ? organisationIds : [""])
    .where("membership.role", "in", ["applicant", "lead_org"])
    .where("membership.ended_at", "is", null)
    .where("user.disabled_at", "is", null)
    .orderBy("membership.started_at")
    .orderBy("user.id")
    .execute();
}

/** The acting panel member's current membership of their decision group, read inside the caller's transaction. */
export async function actingPanelMembership(db: DB, actor: { id: string; decisionGroupId: string | null }) {
  return actor.decisionGroupId ? findGroupMembership(db, actor.id, "panel_member", actor.decisionGroupId) : undefined;
}

/** A community group is online when someone currently belongs to it (a current applicant membership). */
export async function isOnline(db: DB, organisationId: string): Promise<boolean> {
  const row = await db
    .selectFrom("membership")
    .select("id")
    .where("organisation_id", "=", organisationId)
    .where("role", "=", "applicant")
    .where("ended_at", "is", null)
    .executeTakeFirst();
  return Boolean(row);
}

import type { DB } from "../../db/client";
import type { Constituency } from "../../db/schema";
import { comingBack, type ComingBack } from "~/domain/rounds";

/** The rounds either side of a fund: the fund it was started from, and the one started from it. */
export async function getRoundLinks(db: DB, fundId: string) {
  const [previous, next] = await Promise.all([
    db.selectFrom("fund as f").innerJoin("fund as p", "p.id", "f.previous_fund_id").select(["p.id", "p.name"]).where("f.id", "=", fundId).executeTakeFirst(),
    db.selectFrom("fund").select(["id", "name"]).where("previous_fund_id", "=", fundId).orderBy("created_at").orderBy("id").executeTakeFirst(),
  ]);
  return { previous: previous ?? null, next: next ?? null };
}

/**
 * A fund's decision groups as the next-round form lists them (by name), with
 * the money the form starts from. The form's rows follow this order.
 */
export function listRoundGroups(db: DB, fundId: string) {
  return db
    .selectFrom("decision_group")
    .select(["id", "name", "area", "pot_pence", "min_grant_pence", "max_grant_pence"])
    .where("fund_id", "=", fundId)
    .orderBy("name")
    .orderBy("id")
    .execute();
}

export interface ReturningMember {
  userId: string;
  name: string;
  email: string;
  constituency: Constituency | null;
  /** When their membership of last round's panel ended, if it has. */
  leftOn: string | null;
  status: ComingBack;
}

export interface GroupToRefill {
  id: string;
  name: string;
  previous: { id: string; name: string; fundName: string };
  members: ReturningMember[];
}

/**
 * For a fund started as a next round: each decision group copied from a group
 * of the previous round, with that group's panel and where each member stands
 * with the new group (on its panel, invited, or not yet invited).
 *
 * "Last round's panel" is every panel membership the old group had, ended or
 * not: memberships end when a round is over (0013) and those people are still
 * last round's panel. Four queries however many groups and people.
 */
export async function listLastRoundPanels(db: DB, fundId: string, now = new Date()): Promise<GroupToRefill[]> {
  const groups = await db
    .selectFrom("decision_group as g")
    .innerJoin("decision_group as old", "old.id", "g.previous_decision_group_id")
    .innerJoin("fund as oldFund", "oldFund.id", "old.fund_id")
    .select(["g.id", "g.name", "old.id as oldId", "old.name as oldName", "oldFund.name as oldFundName"])
    .where("g.fund_id", "=", fundId)
    .orderBy("g.name")
    .orderBy("g.id")
    .execute();
  if (groups.length === 0) return [];
  const [members, current, invitations] = await Promise.all([
    db
      .selectFrom("membership")
      .innerJoin("user", "user.id", "membership.user_id")
      .select(["membership.decision_group_id", "membership.constituency", "membership.ended_at", "user.id", "user.name", "user.email", "user.disabled_at"])
      .where("membership.role", "=", "panel_member")
      .where(
        "membership.decision_group_id",
        "in",
        groups.map((g) => g.oldId),
      )
      .orderBy("user.name")
      .orderBy("user.id")
      .execute(),
    db
      .selectFrom("membership")
      .select(["decision_group_id", "user_id", "started_at"])
      .where("role", "=", "panel_member")
      .where("ended_at", "is", null)
      .where(
        "decision_group_id",
        "in",
        groups.map((g) => g.id),
      )
      .execute(),
    db
      .selectFrom("invitation")
      .select(["decision_group_id", "email", "created_at", "expires_at", "accepted_at"])
      .where("role", "=", "panel_member")
      .where(
        "decision_group_id",
        "in",
        groups.map((g) => g.id),
      )
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
  ]);
  return groups.map((g) => ({
    id: g.id,
    name: g.name,
    previous: { id: g.oldId, name: g.oldName, fundName: g.oldFundName },
    members: members
      .filter((m) => m.decision_group_id === g.oldId)
      .map((m) => {
        // Oldest first, so the last match is their latest invitation to the new group.
        const invitation = invitations.filter((i) => i.decision_group_id === g.id && i.email === m.email).at(-1);
        return {
          userId: m.id,
          name: m.name,
          email: m.email,
          constituency: m.constituency,
          leftOn: m.ended_at,
          status: comingBack(
            {
              membershipStartedAt: current.find((c) => c.decision_group_id === g.id && c.user_id === m.id)?.started_at ?? null,
              invitation: invitation ? { createdAt: invitation.created_at, expiresAt: invitation.expires_at, acceptedAt: invitation.accepted_at } : null,
              isDisabled: m.disabled_at !== null,
            },
            now,
          ),
        };
      }),
  }));
}

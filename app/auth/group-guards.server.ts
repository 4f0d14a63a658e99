import { redirect } from "@remix-run/node";
import { can, mustDeclareInterestsFirst } from "~/domain/permissions";
import { getGroupFacts, groupScores, type GroupFacts } from "~/models/group-results.server";
import { getInterestsDeclaredAt } from "~/models/scoring.server";
import { getDb } from "~/utils/db.server";
import { forbidden, notFound } from "~/utils/http.server";
import { requireUser } from "./guards.server";
import type { SessionUser } from "./session.server";

export interface GroupAccess {
  user: SessionUser;
  group: GroupFacts;
  /** May use the allocation and decisions pages: an administrator or this group's chair. */
  canDecide: boolean;
  /**
   * May see other members' scores (the policy's scores.read): an administrator
   * always, the group's panel (chair included) once scoring has closed. The
   * results, allocation and decisions pages all take this one flag.
   */
  canSeeScores: boolean;
}

/**
 * The signed-in user and the decision group, when the user may do `action`
 * to it: 404 for an unknown group, 403 otherwise. A panel member is sent to
 * declare their interests first, as on every other panel page, because
 * recusal (which rows they may see) depends on them.
 */
export async function requireGroupAccess(request: Request, groupId: string | undefined, action: "results.read" | "decision.record"): Promise<GroupAccess> {
  const user = await requireUser(request);
  const db = getDb();
  const group = await getGroupFacts(db, groupId ?? "");
  if (!group) throw can(user, "admin.access") ? notFound() : forbidden();
  const panel = { type: "panel" as const, decisionGroupId: group.id, chairIds: group.chairIds };
  if (!can(user, action, panel)) throw forbidden();
  if (mustDeclareInterestsFirst(user)) {
    if (!(await getInterestsDeclaredAt(db, user.membershipId))) throw redirect("/panel/interests");
  }
  return { user, group, canDecide: can(user, "decision.record", panel), canSeeScores: can(user, "scores.read", groupScores(group)) };
}

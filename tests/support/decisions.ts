import type { Constituency } from "~/domain/roles";
import { getDb } from "~/utils/db.server";
import { newId, nowIso } from "~/utils/ids.server";
import { makeCriterion, makeUser } from "../factories";
import { sessionCookieFor } from "./http";

/** A weighted criterion for the results and allocation tests (position keeps their order). */
export const addCriterion = (fundId: string, weight: number, position: number) =>
  makeCriterion(fundId, { position, weight, name: `Criterion ${position}`, guidance: [] });

/** A panel member of the group who has declared their interests, with their session cookie. */
export async function panelMember(
  groupId: string,
  overrides: { name?: string; isChair?: boolean; isNamePublic?: boolean; constituency?: Constituency; hasDeclared?: boolean } = {},
) {
  const user = await makeUser({ role: "panel_member", decisionGroupId: groupId, name: overrides.name, constituency: overrides.constituency ?? "resident" });
  await getDb()
    .updateTable("membership")
    .set({
      is_chair: overrides.isChair ? 1 : 0,
      is_name_public: overrides.isNamePublic ? 1 : 0,
      interests_declared_at: overrides.hasDeclared === false ? null : nowIso(),
    })
    .where("id", "=", user.membershipId!)
    .execute();
  return { ...user, cookie: await sessionCookieFor(user.id) };
}

/** One member's score sheet: marks keyed by criterion id, submitted unless isDraft. */
export async function scoreSheet(proposalId: string, userId: string, marks: Record<string, number>, { isDraft = false } = {}) {
  const sheetId = newId();
  const now = nowIso();
  await getDb()
    .insertInto("score_sheet")
    .values({ id: sheetId, proposal_id: proposalId, user_id: userId, overall_comment: "", submitted_at: isDraft ? null : now, updated_at: now })
    .execute();
  for (const [criterionId, mark] of Object.entries(marks)) {
    await getDb().insertInto("score").values({ id: newId(), score_sheet_id: sheetId, criterion_id: criterionId, mark, comment: "" }).execute();
  }
  return sheetId;
}

export { declareInterestIn } from "../factories";

export async function closeScoring(groupId: string) {
  await getDb().updateTable("decision_group").set({ scoring_closed_at: nowIso() }).where("id", "=", groupId).execute();
}

/** Sets a group's pot and grant range, in pence. */
export async function setGroupMoney(groupId: string, money: { pot: number; min: number; max: number }) {
  await getDb()
    .updateTable("decision_group")
    .set({ pot_pence: money.pot, min_grant_pence: money.min, max_grant_pence: money.max })
    .where("id", "=", groupId)
    .execute();
}

import type { Constituency, TieRule, VotingMethod } from "../../db/schema";
import { getDb } from "~/utils/db.server";
import { newId, nowIso } from "~/utils/ids.server";
import { declareInterestIn, makeCriterion as makeAnyCriterion, makeDecisionGroup, makeFund, makeOrganisation, makeProposal, makeUser } from "../factories";
import { sessionCookieFor } from "./http";

export interface PanelRules {
  votingMethod?: VotingMethod;
  approvalMax?: number | null;
  tieRule?: TieRule;
  quorumMinPresent?: number;
  compositionRules?: object;
}

/**
 * A fund and decision group with a panel: one signed-in member per
 * constituency given (the first is the chair), each having declared their
 * interests (so meeting pages let them in).
 */
export async function makePanel(constituencies: Constituency[], rules: PanelRules = {}) {
  const fund = await makeFund();
  await getDb()
    .updateTable("fund")
    .set({
      voting_method: rules.votingMethod ?? "per_proposal",
      approval_max: rules.approvalMax ?? null,
      tie_rule: rules.tieRule ?? "chair",
      quorum_min_present: rules.quorumMinPresent ?? 1,
      composition_rules: JSON.stringify(rules.compositionRules ?? {}),
    })
    .where("id", "=", fund.id)
    .execute();
  const group = await makeDecisionGroup({ fundId: fund.id });
  const members = [];
  for (const [i, constituency] of constituencies.entries()) {
    const user = await makeUser({ role: "panel_member", constituency, decisionGroupId: group.id, name: `Member ${i + 1}` });
    await getDb()
      .updateTable("membership")
      .set({ interests_declared_at: nowIso(), is_chair: i === 0 ? 1 : 0 })
      .where("id", "=", user.membershipId!)
      .execute();
    members.push({ ...user, cookie: await sessionCookieFor(user.id) });
  }
  const admin = await makeUser({ role: "admin" });
  return { fund, group, members, admin: { ...admin, cookie: await sessionCookieFor(admin.id) } };
}

/** A proposal on the group's agenda (under panel review unless told). */
export async function makeAgendaProposal(groupId: string, overrides: { status?: "eligible" | "under_review"; title?: string } = {}) {
  const org = await makeOrganisation();
  return makeProposal({
    decisionGroupId: groupId,
    organisationId: org.id,
    status: overrides.status ?? "under_review",
    content: overrides.title ? { title: overrides.title } : undefined,
  });
}

export async function makeMeeting(groupId: string, openedBy: string) {
  const meeting = {
    id: newId(),
    decision_group_id: groupId,
    title: "Decision meeting",
    held_on: "2027-03-14",
    status: "open" as const,
    minutes: "",
    opened_by: openedBy,
    created_at: nowIso(),
    closed_at: null,
  };
  await getDb().insertInto("meeting").values(meeting).execute();
  return meeting;
}

/** Records attendance directly: the given members present, nobody else recorded. */
export async function markPresent(meetingId: string, members: readonly { id: string; constituency: Constituency | null }[]) {
  if (members.length === 0) return;
  await getDb()
    .insertInto("meeting_attendance")
    .values(members.map((m) => ({ meeting_id: meetingId, user_id: m.id, constituency: m.constituency!, is_present: 1 as const })))
    .execute();
}

/** A declared interest in a proposal: the member is recused from it. */
export const declareInterest = (userId: string, proposalId: string) => declareInterestIn(userId, proposalId, "trustee");

export const makeCriterion = (fundId: string, weight = 1) => makeAnyCriterion(fundId, { position: 0, weight, guidance: [] });

/** A submitted score sheet with one mark on the (single) criterion. */
export async function submitScore(proposalId: string, userId: string, criterionId: string, mark: number) {
  const sheet = { id: newId(), proposal_id: proposalId, user_id: userId, overall_comment: "", submitted_at: nowIso(), updated_at: nowIso() };
  await getDb().insertInto("score_sheet").values(sheet).execute();
  await getDb().insertInto("score").values({ id: newId(), score_sheet_id: sheet.id, criterion_id: criterionId, mark, comment: "" }).execute();
}

export async function openVoteItem(meetingId: string, proposalId: string) {
  const item = { id: newId(), meeting_id: meetingId, proposal_id: proposalId, status: "open" as const, result: null, opened_at: nowIso(), closed_at: null };
  await getDb().insertInto("vote_item").values(item).execute();
  return item;
}

export function votesOn(voteItemId: string) {
  return getDb().selectFrom("vote").selectAll().where("vote_item_id", "=", voteItemId).execute();
}

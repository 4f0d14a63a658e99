import { sql, type ExpressionBuilder } from "kysely";
import type { DB } from "../../db/client";
import type { Database, ProposalStatus } from "../../db/schema";
import { currentPanel } from "./membership.server";
import { recusedFrom } from "./recusal.server";
import { inProposalScope, PROPOSAL_COLUMNS } from "./proposal.server";
import { proposalScope, type Actor } from "~/domain/permissions";

/** Proposals the panel scores: eligible ones, and those the administrator has opened for review. */
export const SCORABLE_STATUSES: readonly ProposalStatus[] = ["eligible", "under_review"];
/** Proposals the panel may read once they have reached it. */
const PANEL_VISIBLE_STATUSES: ProposalStatus[] = ["eligible", "under_review", "funded", "not_funded", "reserve"];

/** recusedFrom, correlated to the `user` in scope, for queries across a whole panel (oversight and reminders). */
const memberRecusedFrom = (eb: ExpressionBuilder<Database, "proposal" | "user">) => recusedFrom(eb, sql.ref<string>("user.id"));

/** When this panel membership's interests were declared, or null (each round asks afresh). */
export function getInterestsDeclaredAt(db: DB, membershipId: string | null | undefined) {
  return db
    .selectFrom("membership")
    .select("interests_declared_at")
    .where("id", "=", membershipId ?? "")
    .executeTakeFirst()
    .then((r) => r?.interests_declared_at ?? null);
}

/** The declarations made under a panel membership, newest first, with what they are about. */
export function listDeclarations(db: DB, membershipId: string | null | undefined) {
  return db
    .selectFrom("interest_declaration as d")
    .leftJoin("organisation as o", "o.id", "d.organisation_id")
    .leftJoin("proposal as p", "p.id", "d.proposal_id")
    .select([
      "d.id",
      "d.relationship",
      "d.is_pecuniary",
      "d.details",
      "d.created_at",
      "o.name as organisationName",
      "p.reference as proposalReference",
      "p.title as proposalTitle",
    ])
    .where("d.membership_id", "=", membershipId ?? "")
    .orderBy("d.created_at", "desc")
    .orderBy("d.id")
    .execute();
}

/** Organisations a member may declare a connection to: the group's own first (lead organisations and applicants), then all others. */
export async function listInterestOrganisations(db: DB, decisionGroupId: string) {
  const [inGroup, all] = await Promise.all([
    db
      .selectFrom("organisation")
      .select(["organisation.id", "organisation.name", "organisation.kind"])
      .where((eb) =>
        eb.or([
          eb("organisation.id", "in", eb.selectFrom("decision_group_lead_org").select("organisation_id").where("decision_group_id", "=", decisionGroupId)),
          eb("organisation.id", "in", eb.selectFrom("proposal").select("organisation_id").where("decision_group_id", "=", decisionGroupId)),
        ]),
      )
      .orderBy("organisation.kind", "desc")
      .orderBy("organisation.name")
      .execute(),
    db.selectFrom("organisation").select(["id", "name", "kind"]).orderBy("name").execute(),
  ]);
  const ids = new Set(inGroup.map((o) => o.id));
  return { inGroup, others: all.filter((o) => !ids.has(o.id)) };
}

/** The member's scoring queue: scorable proposals in their group they are not recused from, with their own sheet's state. */
export function listScoringQueue(db: DB, userId: string, decisionGroupId: string) {
  return db
    .selectFrom("proposal")
    .innerJoin("organisation", "organisation.id", "proposal.organisation_id")
    .leftJoin("score_sheet", (join) => join.onRef("score_sheet.proposal_id", "=", "proposal.id").on("score_sheet.user_id", "=", userId))
    .select([
      "proposal.id",
      "proposal.reference",
      "proposal.title",
      "proposal.status",
      "proposal.amount_requested_pence",
      "organisation.name as organisationName",
      "score_sheet.id as sheetId",
      "score_sheet.submitted_at",
    ])
    .where("proposal.decision_group_id", "=", decisionGroupId)
    .where("proposal.status", "in", SCORABLE_STATUSES)
    .where((eb) => eb.not(recusedFrom(eb, userId)))
    .orderBy("proposal.reference")
    .execute();
}

/** Scorable proposals in the group the member is recused from (shown apart, never scored). */
export function listRecusedProposals(db: DB, userId: string, decisionGroupId: string) {
  return db
    .selectFrom("proposal")
    .select(["proposal.id", "proposal.reference", "proposal.title"])
    .where("proposal.decision_group_id", "=", decisionGroupId)
    .where("proposal.status", "in", SCORABLE_STATUSES)
    .where((eb) => recusedFrom(eb, userId))
    .orderBy("proposal.reference")
    .execute();
}

/** A proposal in the member's group that they may work on: not recused, in the WHERE clause. */
export function findPanelProposal(db: DB, user: { id: string; decisionGroupId: string | null }, proposalId: string) {
  return db
    .selectFrom("proposal")
    .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .innerJoin("organisation", "organisation.id", "proposal.organisation_id")
    .select([
      ...PROPOSAL_COLUMNS,
      "decision_group.name as groupName",
      "decision_group.scoring_closed_at",
      "fund.id as fundId",
      "fund.name as fundName",
      "fund.score_scale_max",
      "organisation.name as organisationName",
    ])
    .where("proposal.id", "=", proposalId)
    .where("proposal.decision_group_id", "=", user.decisionGroupId ?? "")
    .where("proposal.status", "in", PANEL_VISIBLE_STATUSES)
    .where((eb) => eb.not(recusedFrom(eb, user.id)))
    .executeTakeFirst();
}

/** True when the proposal is in the member's group and visible to the panel, whether or not they are recused (to tell 403 from 404). */
export async function isInPanelGroup(db: DB, decisionGroupId: string | null, proposalId: string): Promise<boolean> {
  const row = await db
    .selectFrom("proposal")
    .select("id")
    .where("id", "=", proposalId)
    .where("decision_group_id", "=", decisionGroupId ?? "")
    .where("status", "in", PANEL_VISIBLE_STATUSES)
    .executeTakeFirst();
  return Boolean(row);
}

/** One member's sheet for a proposal, with its marks. */
export async function getOwnSheet(db: DB, userId: string, proposalId: string) {
  const sheet = await db
    .selectFrom("score_sheet")
    .select(["id", "overall_comment", "submitted_at", "updated_at"])
    .where("proposal_id", "=", proposalId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!sheet) return null;
  const scores = await db.selectFrom("score").select(["criterion_id", "mark", "comment"]).where("score_sheet_id", "=", sheet.id).execute();
  return { ...sheet, scores };
}

/**
 * Other members' submitted sheets for a proposal, with their marks, in two
 * queries. Sheets of members since recused from it are left out.
 */
export async function listOtherSubmittedSheets(db: DB, proposalId: string, userId: string) {
  const sheets = await db
    .selectFrom("score_sheet")
    .innerJoin("user", "user.id", "score_sheet.user_id")
    .innerJoin("proposal", "proposal.id", "score_sheet.proposal_id")
    .leftJoin("membership", (join) =>
      join
        .onRef("membership.user_id", "=", "score_sheet.user_id")
        .onRef("membership.decision_group_id", "=", "proposal.decision_group_id")
        .on("membership.role", "=", "panel_member"),
    )
    .select(["score_sheet.id", "score_sheet.overall_comment", "score_sheet.submitted_at", "user.name", "membership.constituency"])
    .where("score_sheet.proposal_id", "=", proposalId)
    .where("score_sheet.user_id", "!=", userId)
    .where("score_sheet.submitted_at", "is not", null)
    .where((eb) => eb.not(memberRecusedFrom(eb)))
    .orderBy("user.name")
    .orderBy("score_sheet.id")
    .execute();
  if (!sheets.length) return [];
  const scores = await db
    .selectFrom("score")
    .select(["score_sheet_id", "criterion_id", "mark", "comment"])
    .where(
      "score_sheet_id",
      "in",
      sheets.map((s) => s.id),
    )
    .execute();
  return sheets.map((s) => ({ ...s, scores: scores.filter((x) => x.score_sheet_id === s.id) }));
}

export function listSpecialistInput(db: DB, proposalId: string) {
  return db
    .selectFrom("specialist_input")
    .innerJoin("user", "user.id", "specialist_input.user_id")
    .select([
      "specialist_input.id",
      "specialist_input.feasibility",
      "specialist_input.cost_realism",
      "specialist_input.risks",
      "specialist_input.updated_at",
      "user.name as adviserName",
    ])
    .where("specialist_input.proposal_id", "=", proposalId)
    .orderBy("specialist_input.updated_at")
    .execute();
}

export function getOwnSpecialistInput(db: DB, userId: string, proposalId: string) {
  return db
    .selectFrom("specialist_input")
    .select(["id", "feasibility", "cost_realism", "risks", "updated_at"])
    .where("proposal_id", "=", proposalId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

/**
 * The proposals an adviser gives input on (the policy's proposalScope: their decision group's, or every decision
 * group's of their fund) that the panel is scoring, with whether they have written input.
 */
export function listAdviserQueue(db: DB, adviser: Actor) {
  return db
    .selectFrom("proposal")
    .innerJoin("organisation", "organisation.id", "proposal.organisation_id")
    .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
    .leftJoin("specialist_input", (join) => join.onRef("specialist_input.proposal_id", "=", "proposal.id").on("specialist_input.user_id", "=", adviser.id))
    .select([
      "proposal.id",
      "proposal.reference",
      "proposal.title",
      "proposal.status",
      "organisation.name as organisationName",
      "decision_group.name as decisionGroupName",
      "specialist_input.updated_at as inputUpdatedAt",
    ])
    .where(inProposalScope(proposalScope(adviser)))
    .where("proposal.status", "in", SCORABLE_STATUSES)
    .orderBy("proposal.reference")
    .execute();
}

/** Questions on a proposal, oldest first, with who asked (for the panel; applicants are not shown names). */
export function listQuestions(db: DB, proposalId: string) {
  return db
    .selectFrom("clarification_question as q")
    .innerJoin("user as asker", "asker.id", "q.asked_by")
    .select(["q.id", "q.body", "q.asked_at", "q.answer", "q.answered_at", "asker.name as askerName"])
    .where("q.proposal_id", "=", proposalId)
    .orderBy("q.asked_at")
    .orderBy("q.id")
    .execute();
}

/** Questions for the applicant, with no names of who asked. */
export function listQuestionsForApplicant(db: DB, proposalId: string) {
  return db
    .selectFrom("clarification_question")
    .select(["id", "body", "asked_at", "answer", "answered_at"])
    .where("proposal_id", "=", proposalId)
    .orderBy("asked_at")
    .orderBy("id")
    .execute();
}

export function getGroupForOversight(db: DB, groupId: string) {
  return db
    .selectFrom("decision_group")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .select(["decision_group.id", "decision_group.name", "decision_group.scoring_closed_at", "fund.id as fundId", "fund.name as fundName"])
    .where("decision_group.id", "=", groupId)
    .executeTakeFirst();
}

/**
 * Every (member, scorable proposal) pair in a group that the member is not
 * recused from, with their sheet's state: one query for the whole panel.
 */
export function listPanelWork(db: DB, groupId: string) {
  return currentPanel(db, groupId)
    .innerJoin("proposal", (join) => join.on("proposal.decision_group_id", "=", groupId).on("proposal.status", "in", SCORABLE_STATUSES))
    .leftJoin("score_sheet", (join) => join.onRef("score_sheet.proposal_id", "=", "proposal.id").onRef("score_sheet.user_id", "=", "user.id"))
    .select(["user.id as userId", "proposal.id as proposalId", "score_sheet.id as sheetId", "score_sheet.submitted_at"])
    .where("user.disabled_at", "is", null)
    .where((eb) => eb.not(memberRecusedFrom(eb)))
    .execute();
}

export function listPanelMembers(db: DB, groupId: string) {
  return currentPanel(db, groupId)
    .select(["user.id", "user.name", "user.email", "membership.constituency", "membership.interests_declared_at"])
    .where("user.disabled_at", "is", null)
    .orderBy("user.name")
    .orderBy("user.id")
    .execute();
}

export function listGroupProposals(db: DB, groupId: string) {
  return db
    .selectFrom("proposal")
    .select(["id", "reference", "title", "status"])
    .where("decision_group_id", "=", groupId)
    .where("status", "in", SCORABLE_STATUSES)
    .orderBy("reference")
    .execute();
}

/** Submitted sheets in a group, with member names, for the reopen form. */
export function listSubmittedSheets(db: DB, groupId: string) {
  return db
    .selectFrom("score_sheet")
    .innerJoin("proposal", "proposal.id", "score_sheet.proposal_id")
    .innerJoin("user", "user.id", "score_sheet.user_id")
    .select(["score_sheet.id", "score_sheet.submitted_at", "user.name as memberName", "proposal.reference", "proposal.title"])
    .where("proposal.decision_group_id", "=", groupId)
    .where("score_sheet.submitted_at", "is not", null)
    .orderBy("user.name")
    .orderBy("proposal.reference")
    .execute();
}

/** One question on a proposal of the applicant's organisation (ownership in the WHERE clause), or undefined. */
export function findQuestionForApplicant(db: DB, organisationId: string | null, proposalId: string, questionId: string) {
  return db
    .selectFrom("clarification_question as q")
    .innerJoin("proposal", "proposal.id", "q.proposal_id")
    .select(["q.id", "q.body", "q.asked_at", "q.answer", "q.answered_at", "proposal.id as proposalId", "proposal.reference", "proposal.title"])
    .where("q.id", "=", questionId)
    .where("proposal.id", "=", proposalId)
    .where("proposal.organisation_id", "=", organisationId ?? "")
    .executeTakeFirst();
}

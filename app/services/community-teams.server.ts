import { inTransaction, type DB } from "../../db/client";
import { assertIdeaTransition, canBecomeProposal, type TeamIdeaStatus } from "~/domain/community-teams";
import { DomainError } from "~/domain/errors";
import type { EngagementInput, NewTeamInput, TeamIdeaInput } from "~/domain/forms/community-teams";
import type { TeamSupportInput } from "~/domain/forms/support";
import { can, type Actor } from "~/domain/permissions";
import { EMPTY_CONTENT } from "~/domain/proposal";
import type { Submission } from "~/domain/submissions";
import { appendAuditEvent } from "~/models/audit.server";
import { newId, nowIso } from "~/utils/ids.server";
import { saveDraft, startProposal } from "./proposals.server";
import { inTransactionOnce } from "./submissions.server";

/**
 * Community teams (docs/decisions/0048). Every write checks the access
 * policy against the team's record, then writes the change and its audit
 * event in one transaction.
 */

export const TEAM_NOT_FOUND = "We could not find that community team, or you are not one of its members.";

/** The team, if the actor may work on it; read inside the caller's transaction. */
async function teamFor(trx: DB, actor: Actor, teamId: string) {
  const team = await trx.selectFrom("community_team").select(["id", "fund_id", "organisation_id"]).where("id", "=", teamId).executeTakeFirst();
  if (!team || !can(actor, "community_team.work", { type: "community_team", organisationId: team.organisation_id })) throw new DomainError(TEAM_NOT_FOUND);
  return team;
}

async function ideaOf(trx: DB, teamId: string, ideaId: string) {
  const idea = await trx.selectFrom("community_team_idea").selectAll().where("team_id", "=", teamId).where("id", "=", ideaId).executeTakeFirst();
  if (!idea) throw new DomainError("We could not find that idea in this team.");
  return idea;
}

/** An administrator sets up a community team for a fund: a community group on the portal with the team's name, and the team's area and term. */
export async function createTeam(db: DB, actor: Actor, fundId: string, input: NewTeamInput, submission?: Submission | null): Promise<string> {
  if (!can(actor, "community_team.manage")) throw new DomainError("Only a fund administrator can set up a community team.");
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    const fund = await trx.selectFrom("fund").select("id").where("id", "=", fundId).executeTakeFirst();
    if (!fund) throw new DomainError("That fund does not exist.");
    const stamp = nowIso();
    const organisation = { id: newId(), name: input.name, kind: "community_group" as const, created_at: stamp, created_by: actor.id };
    await trx.insertInto("organisation").values(organisation).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "organisation.created",
      entityType: "organisation",
      entityId: organisation.id,
      after: organisation,
    });
    const team = {
      id: newId(),
      fund_id: fund.id,
      organisation_id: organisation.id,
      area: input.area,
      term_starts_on: input.termStartsOn,
      term_ends_on: input.termEndsOn,
      created_by: actor.id,
      created_at: stamp,
    };
    await trx.insertInto("community_team").values(team).execute();
    await appendAuditEvent(trx, { actor: actor.id, action: "community_team.created", entityType: "community_team", entityId: team.id, after: team });
    return team.id;
  });
}

/** A team records an idea it is working on; it starts as "idea". */
export async function recordIdea(db: DB, actor: Actor, teamId: string, input: TeamIdeaInput, submission?: Submission | null): Promise<string> {
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    const team = await teamFor(trx, actor, teamId);
    const stamp = nowIso();
    const idea = {
      id: newId(),
      team_id: team.id,
      title: input.title,
      summary: input.summary,
      area: input.area,
      status: "idea" as const,
      proposal_id: null,
      created_by: actor.id,
      created_at: stamp,
      updated_at: stamp,
    };
    await trx.insertInto("community_team_idea").values(idea).execute();
    await appendAuditEvent(trx, { actor: actor.id, action: "community_team.idea_recorded", entityType: "community_team_idea", entityId: idea.id, after: idea });
    return idea.id;
  });
}

/** Moves an idea on to "developing", or back to "idea" (the transitions are the domain's). */
export async function moveIdea(db: DB, actor: Actor, teamId: string, ideaId: string, to: TeamIdeaStatus): Promise<void> {
  await inTransaction(db, async (trx) => {
    const team = await teamFor(trx, actor, teamId);
    const idea = await ideaOf(trx, team.id, ideaId);
    assertIdeaTransition(idea.status, to);
    await trx.updateTable("community_team_idea").set({ status: to, updated_at: nowIso() }).where("id", "=", idea.id).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "community_team.idea_moved",
      entityType: "community_team_idea",
      entityId: idea.id,
      before: { status: idea.status },
      after: { status: to },
    });
  });
}

/** How many people the team engaged, where, when and how: a count, never a person. */
export async function recordEngagement(db: DB, actor: Actor, teamId: string, input: EngagementInput, submission?: Submission | null): Promise<string> {
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    const team = await teamFor(trx, actor, teamId);
    const row = {
      id: newId(),
      team_id: team.id,
      engaged_on: input.engagedOn,
      area: input.area,
      activity: input.activity,
      people_count: input.peopleCount,
      recorded_by: actor.id,
      created_at: nowIso(),
    };
    await trx.insertInto("community_team_engagement").values(row).execute();
    await appendAuditEvent(trx, { actor: actor.id, action: "community_team.engagement_recorded", entityType: "community_team", entityId: team.id, after: row });
    return row.id;
  });
}

/** Mentoring or training the team had, on its support log. */
export async function logTeamSupport(db: DB, actor: Actor, teamId: string, input: TeamSupportInput, submission?: Submission | null): Promise<string> {
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    const team = await teamFor(trx, actor, teamId);
    const row = {
      id: newId(),
      team_id: team.id,
      given_on: input.givenOn,
      kind: input.kind,
      minutes: input.minutes,
      given_by: input.givenBy,
      notes: input.notes,
      recorded_by: actor.id,
      created_at: nowIso(),
    };
    await trx.insertInto("community_team_support").values(row).execute();
    await appendAuditEvent(trx, { actor: actor.id, action: "community_team.support_logged", entityType: "community_team", entityId: team.id, after: row });
    return row.id;
  });
}

/**
 * A team member turns an idea into a draft outline proposal for one of the
 * fund's decision groups, through the proposal service (so the fund's
 * eligibility questions and the policy's start rules apply as for any group),
 * with the idea's title and summary. The idea links to it from then on.
 */
export async function turnIdeaIntoProposal(
  db: DB,
  actor: Actor,
  teamId: string,
  ideaId: string,
  input: { decisionGroupId: string; eligibilityAnswers: Record<string, string> },
  submission?: Submission | null,
): Promise<string> {
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    const team = await teamFor(trx, actor, teamId);
    const idea = await ideaOf(trx, team.id, ideaId);
    if (!canBecomeProposal(idea.status) || idea.proposal_id) throw new DomainError("This idea is already a proposal.");
    const group = await trx
      .selectFrom("decision_group")
      .select("id")
      .where("id", "=", input.decisionGroupId)
      .where("fund_id", "=", team.fund_id)
      .executeTakeFirst();
    if (!group) throw new DomainError("Choose one of the fund's decision groups.", "decisionGroupId");
    const proposalId = await startProposal(trx, actor, {
      decisionGroupId: group.id,
      organisationId: team.organisation_id,
      eligibilityAnswers: input.eligibilityAnswers,
    });
    await saveDraft(trx, actor, proposalId, { ...EMPTY_CONTENT, title: idea.title, summary: idea.summary });
    await trx.updateTable("community_team_idea").set({ status: "proposal", proposal_id: proposalId, updated_at: nowIso() }).where("id", "=", idea.id).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "community_team.idea_proposed",
      entityType: "community_team_idea",
      entityId: idea.id,
      before: { status: idea.status, proposal_id: null },
      after: { status: "proposal", proposal_id: proposalId },
    });
    return proposalId;
  });
}

import type { AwardStatus, ProposalStatus } from "../../db/schema";
import { isEditable } from "./proposal-status";
import type { Role } from "./roles";

/**
 * The person acting, under one of their memberships (the "hat"): its role and
 * scope. role is null for someone signed in with no membership yet.
 */
export interface Actor {
  id: string;
  role: Role | null;
  organisationId: string | null;
  decisionGroupId: string | null;
  /** A specialist adviser for a whole fund. */
  fundId?: string | null;
  membershipId?: string | null;
}

/**
 * Resources carry the facts a rule needs, loaded by the caller:
 * ownership (organisationId), area (decisionGroupId, leadOrganisationIds).
 */
export type Resource =
  | { type: "site" }
  | { type: "user"; id: string }
  | { type: "organisation"; id: string }
  | { type: "decision_group"; id: string; leadOrganisationIds: readonly string[] }
  /** A decision group's panel, with the ids of its chair(s) (is_chair). */
  | { type: "panel"; decisionGroupId: string; chairIds: readonly string[] }
  /**
   * A community group, with the lead organisations that serve it (those of the
   * decision groups it has a proposal in) and the lead organisation(s) of the
   * person who created it (a group recorded by a lead organisation or import).
   */
  | { type: "community_group"; id: string; servingLeadOrganisationIds: readonly string[]; creatorOrganisationIds: readonly string[] }
  | ProposalResource
  /** A file on a proposal: read and changed on its proposal's terms. */
  | { type: "attachment"; proposal: ProposalFacts }
  /** A proposal about to be started: in which decision group, and for which community group. */
  | NewProposalResource
  /** An award: the funded group (organisationId) and its decision group. */
  | { type: "award"; organisationId: string; decisionGroupId: string; status: AwardStatus }
  /** A payment waiting for approval, and who recorded it (four eyes: never the same administrator). */
  | { type: "payment"; recordedBy: string | null }
  /** A paper community ballot and the people who have keyed it so far (two different people key each paper). */
  | { type: "paper_ballot"; keyedBy: readonly string[] }
  /** One vote: the member's recusal from the proposal and whether they are recorded as present. */
  | { type: "vote"; decisionGroupId: string; isRecused: boolean; isPresent: boolean }
  /** One member's score sheet on one proposal. */
  | { type: "score_sheet"; decisionGroupId: string; ownerId: string; scoringClosed: boolean; isRecused: boolean }
  /**
   * Other members' scores: a whole group's figures (results, allocation, the
   * decisions page), or one proposal's (hasSubmittedOwnSheet, isRecused given).
   */
  | ScoresResource
  /** A fund's community team, and the community group on the portal that holds its members (docs/decisions/0048). */
  | { type: "community_team"; organisationId: string };

/** What the proposal rules need to know about one proposal; the models load it (proposalFacts). */
export interface ProposalFacts {
  status: ProposalStatus;
  /** The community group it belongs to. */
  organisationId: string;
  decisionGroupId: string;
  /** The fund of its decision group (proposalFacts loads it): a specialist adviser for a whole fund reads by it. */
  fundId?: string | null;
  /** The lead organisation that prepared it with the group, or null when the group wrote it. */
  preparedByOrganisationId: string | null;
  /** The lead organisations of its decision group (its area). */
  leadOrganisationIds: readonly string[];
  /** It has been submitted at least once, so the area's lead organisations may read it. */
  wasSubmitted: boolean;
  /** The acting panel member is recused from it (docs/glossary.md: recusal); false for anyone else. */
  isViewerRecused: boolean;
}

export type ProposalResource = { type: "proposal" } & ProposalFacts;

export interface NewProposalResource {
  type: "new_proposal";
  decisionGroupId: string;
  leadOrganisationIds: readonly string[];
  /** The community group it will belong to. */
  organisationId: string;
  /** The group has a current member on the portal, so its members start their own proposals. */
  isOrganisationOnline: boolean;
}

export interface ScoresResource {
  type: "scores";
  decisionGroupId: string;
  scoringClosed: boolean;
  /** One proposal's figures: the viewer has submitted their own sheet on it. Absent for a whole group's figures. */
  hasSubmittedOwnSheet?: boolean;
  /** One proposal's figures: the viewer is recused from it. */
  isRecused?: boolean;
}

export type Action =
  | "admin.access"
  | "audit.read"
  | "outbox.read"
  | "invitation.create"
  | "user.disable"
  | "user.read"
  // Personal data rights: subject access exports and erasure (decision record 0022).
  | "person.manage"
  | "home.applicant"
  | "home.lead_org"
  | "home.panel_member"
  | "home.adviser"
  | "organisation.read"
  | "organisation.edit"
  | "decision_group.read"
  | "fund.manage"
  | "organisation.create_profile"
  | "proposal.start"
  | "proposal.screen"
  | "proposal.export"
  | "proposal.import"
  | "lead.queue"
  | "panel.take_part"
  | "proposal.score"
  | "proposal.advise"
  | "proposal.ask_question"
  | "question.answer"
  | "scoring.oversee"
  | "results.read"
  | "decision.record"
  | "meeting.read"
  | "meeting.run"
  | "meeting.take_part"
  | "payment.manage"
  | "awards.oversee"
  | "group_member.invite"
  | "join_request.decide"
  // Proposals and their files (resource: proposal or attachment, unless "site").
  | "proposals.write"
  | "proposal.start_for_group"
  | "proposal.read"
  | "proposal.edit"
  | "proposal.submit"
  | "proposal.hand_to_group"
  | "proposal.lead_decide"
  | "proposal.reply"
  | "proposal.open_review"
  | "attachment.read"
  | "attachment.change"
  // Awards (resource: award).
  | "award.read"
  | "award.act"
  | "payment.approve"
  // Panel work.
  | "vote.cast"
  | "score_sheet.save"
  | "scores.read"
  // Community teams (resource: community_team, or "site" for the list of a fund's teams).
  | "community_team.manage"
  | "community_team.work"
  // Paper community ballots (docs/decisions/0044): keying a paper, and choosing the right keying of a mismatch.
  | "paper_ballot.key"
  | "paper_ballot.resolve";

/** The one place that says who may do what, to which record. Pure. */
export function can(user: Actor | null, action: Action, resource: Resource = { type: "site" }): boolean {
  if (!user) return false;
  switch (action) {
    case "admin.access":
    case "fund.manage":
    case "proposal.screen":
    case "proposal.export":
    case "proposal.import":
    case "audit.read":
    case "outbox.read":
    case "invitation.create":
    case "user.disable":
    case "person.manage":
      return user.role === "admin";
    // Award payments (schedules, recording, four-eyes approval), dashboards and exports.
    case "payment.manage":
    case "awards.oversee":
      return user.role === "admin";
    case "user.read":
      return user.role === "admin" || (resource.type === "user" && resource.id === user.id);
    // Someone with no membership yet is a group member to be: their home offers to set up a group.
    case "home.applicant":
      return user.role === "applicant" || user.role === null;
    // Anyone signed in may set up a community group, and becomes its first member.
    case "organisation.create_profile":
      return true;
    // On "site": may this hat start proposals at all. On a new_proposal: this one (see startRefusal).
    case "proposal.start":
      if (resource.type === "new_proposal") return startRefusal(user, resource) === null;
      return (user.role === "applicant" || user.role === "lead_org") && user.organisationId !== null;
    case "lead.queue":
      return user.role === "lead_org" && user.organisationId !== null;
    case "home.lead_org":
      return user.role === "lead_org";
    case "home.panel_member":
      return user.role === "panel_member";
    case "home.adviser":
      return user.role === "adviser";
    case "panel.take_part":
    case "proposal.score":
      // Advisers give written input only: they never score or vote.
      return user.role === "panel_member" && user.decisionGroupId !== null;
    // An adviser for a decision group, or for a whole fund (every decision group of it); on a proposal, one in their scope.
    case "proposal.advise":
      if (resource.type === "proposal") return user.role === "adviser" && isInProposalScope(proposalScope(user), resource);
      return user.role === "adviser" && (user.decisionGroupId !== null || Boolean(user.fundId));
    case "proposal.ask_question":
      return user.role === "admin" || (user.role === "panel_member" && user.decisionGroupId !== null);
    // On "site": this hat answers questions at all; on a proposal: its own group's.
    case "question.answer":
      if (resource.type === "proposal") return isMemberOf(user, resource.organisationId);
      return user.role === "applicant" && user.organisationId !== null;
    case "scoring.oversee":
      return user.role === "admin";
    case "organisation.read":
    case "organisation.edit":
      if (resource.type !== "organisation") return false;
      if (action === "organisation.read" && user.role === "admin") return true;
      return (user.role === "applicant" || user.role === "lead_org") && user.organisationId === resource.id;
    case "decision_group.read":
      if (resource.type !== "decision_group") return false;
      if (user.role === "admin") return true;
      if (user.role === "panel_member" || user.role === "adviser") return user.decisionGroupId === resource.id;
      if (user.role === "lead_org") {
        return user.organisationId !== null && resource.leadOrganisationIds.includes(user.organisationId);
      }
      return false;
    // Results: administrators, and the group's own panel (the page also waits for scoring to close).
    case "results.read":
      if (resource.type !== "panel") return false;
      return user.role === "admin" || (user.role === "panel_member" && user.decisionGroupId === resource.decisionGroupId);
    // Allocation and decisions: administrators, and the group's chair.
    case "decision.record":
      if (resource.type !== "panel") return false;
      if (user.role === "admin") return true;
      return user.role === "panel_member" && user.decisionGroupId === resource.decisionGroupId && resource.chairIds.includes(user.id);
    // Meetings: admins run any group's; the chair runs their own group's; members take part in their own.
    case "meeting.read":
      if (resource.type !== "panel") return false;
      return user.role === "admin" || (user.role === "panel_member" && user.decisionGroupId === resource.decisionGroupId);
    case "meeting.run":
      if (resource.type !== "panel") return false;
      if (user.role === "admin") return true;
      return user.role === "panel_member" && user.decisionGroupId === resource.decisionGroupId && resource.chairIds.includes(user.id);
    case "meeting.take_part":
      if (resource.type !== "panel") return false;
      return user.role === "panel_member" && user.decisionGroupId === resource.decisionGroupId;
    // Bringing people into a community group (an invitation, or approving a request to join):
    // the administrator; the group's own members; a lead organisation that serves it or recorded it.
    case "group_member.invite":
    case "join_request.decide":
      if (resource.type !== "community_group") return false;
      if (user.role === "admin") return true;
      if (user.role === "applicant") return user.organisationId === resource.id;
      if (user.role === "lead_org" && user.organisationId !== null) {
        return resource.servingLeadOrganisationIds.includes(user.organisationId) || resource.creatorOrganisationIds.includes(user.organisationId);
      }
      return false;

    /* -------------------------------------------------------------- proposals and their files */
    // The hats that write proposals at all (the edit and files pages answer 403 to any other).
    case "proposals.write":
      return user.role === "applicant" || user.role === "lead_org";
    // A lead organisation starts proposals on a community group's behalf.
    case "proposal.start_for_group":
      return user.role === "lead_org" && user.organisationId !== null;
    // Reading is the scope (proposalScope), so a page and its query cannot disagree.
    case "proposal.read":
      return resource.type === "proposal" && isInProposalScope(proposalScope(user), resource);
    case "attachment.read":
      return resource.type === "attachment" && isInProposalScope(proposalScope(user), resource.proposal);
    // Only the group's own members edit its proposal, and a lead organisation only one it prepared; both only while it is editable.
    case "proposal.edit":
    case "proposal.submit":
    case "attachment.change": {
      const proposal = resource.type === "proposal" ? resource : resource.type === "attachment" ? resource.proposal : null;
      return proposal !== null && isEditable(proposal.status) && (isMemberOf(user, proposal.organisationId) || isPreparingLead(user, proposal));
    }
    case "proposal.hand_to_group":
      return resource.type === "proposal" && isEditable(resource.status) && isPreparingLead(user, resource);
    // Support, decline or ask for changes: a lead organisation of the proposal's area (the status is the state machine's).
    case "proposal.lead_decide":
      return (
        resource.type === "proposal" && user.role === "lead_org" && user.organisationId !== null && resource.leadOrganisationIds.includes(user.organisationId)
      );
    // The group answers its lead organisation while they read it or after they asked for changes.
    case "proposal.reply":
      return resource.type === "proposal" && isMemberOf(user, resource.organisationId) && REPLY_STATUSES.includes(resource.status);
    case "proposal.open_review":
      return user.role === "admin";

    /* -------------------------------------------------------------- awards and payments */
    // "May act on this award" is this one rule: a member of the funded group (accept, decline, evidence, refine, reports, changes).
    case "award.act":
      return resource.type === "award" && isMemberOf(user, resource.organisationId);
    case "award.read":
      return resource.type === "award" && (user.role === "admin" || isMemberOf(user, resource.organisationId));
    // Four eyes: a second administrator, never the one who recorded the payment.
    case "payment.approve":
      return resource.type === "payment" && user.role === "admin" && resource.recordedBy !== user.id;

    /* -------------------------------------------------------------- paper community ballots */
    // Administrators key paper ballots. On a paper: only someone who has not keyed it yet, so its
    // keyings are independent; choosing between a mismatch's keyings is likewise for someone who keyed neither.
    case "paper_ballot.key":
    case "paper_ballot.resolve":
      if (user.role !== "admin") return false;
      return resource.type !== "paper_ballot" || !resource.keyedBy.includes(user.id);

    /* -------------------------------------------------------------- panel work */
    case "vote.cast":
      return resource.type === "vote" && isPanelMemberOf(user, resource.decisionGroupId) && !resource.isRecused && resource.isPresent;
    case "score_sheet.save":
      return (
        resource.type === "score_sheet" &&
        isPanelMemberOf(user, resource.decisionGroupId) &&
        resource.ownerId === user.id &&
        !resource.scoringClosed &&
        !resource.isRecused
      );
    // Other members' scores: administrators always; the group's own panel once scoring has closed, or (for one
    // proposal) once they have submitted their own sheet on it and are not recused from it. Chairs wait like everyone.
    case "scores.read":
      if (resource.type !== "scores") return false;
      if (user.role === "admin") return true;
      if (!isPanelMemberOf(user, resource.decisionGroupId) || resource.isRecused === true) return false;
      return resource.scoringClosed || resource.hasSubmittedOwnSheet === true;

    /* -------------------------------------------------------------- community teams */
    // Administrators set teams up and add their members.
    case "community_team.manage":
      return user.role === "admin";
    // The team's page, ideas, engagement counts and support log: its own members, and administrators.
    case "community_team.work":
      return resource.type === "community_team" && (user.role === "admin" || isTeamMember(user, resource.organisationId));
  }
}

/* ------------------------------------------------------------------ helpers the rules share */

/** The group may reply to its lead organisation in these statuses. */
const REPLY_STATUSES: readonly ProposalStatus[] = ["submitted", "changes_requested"];

/** Acting as a member of this community group. */
export const isMemberOf = (actor: Actor, organisationId: string): boolean => actor.role === "applicant" && actor.organisationId === organisationId;

/** A member of a community team: a member of the community group that holds the team (docs/decisions/0048). */
export const isTeamMember = (actor: Actor, teamOrganisationId: string): boolean => isMemberOf(actor, teamOrganisationId);

const isPanelMemberOf = (actor: Actor, decisionGroupId: string): boolean => actor.role === "panel_member" && actor.decisionGroupId === decisionGroupId;

/** Acting for the lead organisation that prepared this proposal with the group (so submitting it needs the group's confirmation). */
export const isPreparingLead = (actor: Actor, proposal: Pick<ProposalFacts, "preparedByOrganisationId">): boolean =>
  actor.role === "lead_org" && actor.organisationId !== null && actor.organisationId === proposal.preparedByOrganisationId;

/** The lead organisation a new proposal is recorded as prepared by: the starter's, when a lead organisation starts it. */
export const preparedByOf = (actor: Actor): string | null => (actor.role === "lead_org" ? actor.organisationId : null);

/** A panel member is sent to declare their interests before any panel page, because recusal decides what they see. */
export const mustDeclareInterestsFirst = (actor: Actor): boolean => actor.role === "panel_member";

export type StartRefusal = "cannot_start" | "not_own_group" | "not_served" | "group_online";

/**
 * Why this actor may not start this proposal, or null when they may. A
 * group's member starts only their own group's; a lead organisation only in a
 * decision group it serves, and only for a community group that is not online
 * (one that has members on the portal writes its own).
 */
export function startRefusal(actor: Actor, proposal: Omit<NewProposalResource, "type">): StartRefusal | null {
  if (actor.role === "applicant" && actor.organisationId) return actor.organisationId === proposal.organisationId ? null : "not_own_group";
  if (actor.role === "lead_org" && actor.organisationId) {
    if (!proposal.leadOrganisationIds.includes(actor.organisationId)) return "not_served";
    return proposal.isOrganisationOnline ? "group_online" : null;
  }
  return "cannot_start";
}

/* ------------------------------------------------------------------ scopes: the same rules as data, for WHERE clauses */

/** Statuses in which a decision group's panel and advisers see a proposal. */
export const PANEL_VISIBLE_STATUSES: readonly ProposalStatus[] = ["eligible", "under_review", "funded", "not_funded", "reserve"];

/**
 * Which proposals a viewer may read. The models turn it into a WHERE clause
 * (findProposalFor); can(…, "proposal.read") asks the same question of one
 * proposal's facts (isInProposalScope).
 * - organisation: a community group's own proposals;
 * - lead_organisation: those it prepared, and those of the decision groups it serves once submitted;
 * - decision_group: that group's, in these statuses (its panel and advisers),
 *   less those unlessRecused (a panel member's own id) is recused from;
 * - fund: those of every decision group of the fund, in these statuses (a specialist adviser for a whole fund).
 */
export type ProposalScope =
  | { kind: "all" }
  | { kind: "organisation"; organisationId: string }
  | { kind: "lead_organisation"; leadOrganisationId: string }
  | { kind: "decision_group"; decisionGroupId: string; statuses: readonly ProposalStatus[]; unlessRecused: string | null }
  | { kind: "fund"; fundId: string; statuses: readonly ProposalStatus[] }
  | { kind: "none" };

export function proposalScope(actor: Actor | null): ProposalScope {
  if (!actor) return { kind: "none" };
  if (actor.role === "admin") return { kind: "all" };
  if (actor.role === "applicant" && actor.organisationId) return { kind: "organisation", organisationId: actor.organisationId };
  if (actor.role === "lead_org" && actor.organisationId) return { kind: "lead_organisation", leadOrganisationId: actor.organisationId };
  // A panel member recused from a proposal takes no part in it, so does not read it either; advisers give input on every one.
  if (actor.role === "panel_member" && actor.decisionGroupId) {
    return { kind: "decision_group", decisionGroupId: actor.decisionGroupId, statuses: PANEL_VISIBLE_STATUSES, unlessRecused: actor.id };
  }
  if (actor.role === "adviser" && actor.decisionGroupId) {
    return { kind: "decision_group", decisionGroupId: actor.decisionGroupId, statuses: PANEL_VISIBLE_STATUSES, unlessRecused: null };
  }
  if (actor.role === "adviser" && actor.fundId) return { kind: "fund", fundId: actor.fundId, statuses: PANEL_VISIBLE_STATUSES };
  return { kind: "none" };
}

/** The scope's rule for one proposal: the same answer its WHERE clause gives. */
export function isInProposalScope(scope: ProposalScope, proposal: ProposalFacts): boolean {
  switch (scope.kind) {
    case "all":
      return true;
    case "none":
      return false;
    case "organisation":
      return proposal.organisationId === scope.organisationId;
    case "lead_organisation":
      return (
        proposal.preparedByOrganisationId === scope.leadOrganisationId ||
        (proposal.wasSubmitted && proposal.leadOrganisationIds.includes(scope.leadOrganisationId))
      );
    case "decision_group":
      return (
        proposal.decisionGroupId === scope.decisionGroupId &&
        scope.statuses.includes(proposal.status) &&
        !(scope.unlessRecused !== null && proposal.isViewerRecused)
      );
    case "fund":
      return proposal.fundId === scope.fundId && scope.statuses.includes(proposal.status);
  }
}

/** The decision groups a starter may start a proposal in: every open one, or those their lead organisation serves. */
export type StartScope = { kind: "all" } | { kind: "served_by"; leadOrganisationId: string } | { kind: "none" };

export function startScope(actor: Actor): StartScope {
  if (actor.role === "applicant" && actor.organisationId) return { kind: "all" };
  if (actor.role === "lead_org" && actor.organisationId) return { kind: "served_by", leadOrganisationId: actor.organisationId };
  return { kind: "none" };
}

/** Which awards (and award files) a viewer may see: administrators all, a group's member their own group's. */
export type AwardScope = { kind: "all" } | { kind: "organisation"; organisationId: string } | { kind: "none" };

export function awardScope(actor: Actor): AwardScope {
  if (actor.role === "admin") return { kind: "all" };
  if (actor.role === "applicant" && actor.organisationId) return { kind: "organisation", organisationId: actor.organisationId };
  return { kind: "none" };
}

/** Which decision groups' meetings a viewer may see: administrators all, a panel member their own group's. */
export type MeetingScope = { kind: "all" } | { kind: "decision_group"; decisionGroupId: string } | { kind: "none" };

export function meetingScope(actor: Actor): MeetingScope {
  if (actor.role === "admin") return { kind: "all" };
  if (actor.role === "panel_member" && actor.decisionGroupId) return { kind: "decision_group", decisionGroupId: actor.decisionGroupId };
  return { kind: "none" };
}

/**
 * Whose conflicts hide rows from this viewer (docs/glossary.md: recusal):
 * nobody's for an administrator, who sees every row; otherwise the viewer's own.
 */
export type RecusalScope = { kind: "everything" } | { kind: "unless_recused"; userId: string };

export function recusalScope(actor: Actor): RecusalScope {
  return actor.role === "admin" ? { kind: "everything" } : { kind: "unless_recused", userId: actor.id };
}

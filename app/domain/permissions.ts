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
  | { type: "community_group"; id: string; servingLeadOrganisationIds: readonly string[]; creatorOrganisationIds: readonly string[] };

export type Action =
  | "admin.access"
  | "audit.read"
  | "outbox.read"
  | "invitation.create"
  | "user.disable"
  | "user.read"
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
  | "join_request.decide";

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
      return user.role === "admin";
    // Award payments (schedules, recording, four-eyes approval), dashboards and exports.
    case "payment.manage":
    case "awards.oversee":
      return user.role === "admin";
    case "user.read":
      return user.role === "admin" || (resource.type === "user" && resource.id === user.id);
    case "home.applicant":
      return user.role === "applicant";
    // Anyone signed in may set up a community group, and becomes its first member.
    case "organisation.create_profile":
      return true;
    case "proposal.start":
      return (user.role === "applicant" && user.organisationId !== null) || (user.role === "lead_org" && user.organisationId !== null);
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
    case "proposal.advise":
      return user.role === "adviser" && user.decisionGroupId !== null;
    case "proposal.ask_question":
      return user.role === "admin" || (user.role === "panel_member" && user.decisionGroupId !== null);
    case "question.answer":
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
  }
}

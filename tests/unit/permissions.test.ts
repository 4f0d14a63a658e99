import { describe, expect, it } from "vitest";
import {
  awardScope,
  can,
  isInProposalScope,
  meetingScope,
  proposalScope,
  recusalScope,
  startRefusal,
  startScope,
  type Action,
  type Actor,
  type NewProposalResource,
  type ProposalResource,
  type ScoresResource,
} from "~/domain/permissions";
import { ROLES, type Role } from "~/domain/roles";

const actor = (role: Role, overrides: Partial<Actor> = {}): Actor => ({
  id: `${role}-1`,
  role,
  organisationId: null,
  decisionGroupId: null,
  ...overrides,
});

const ADMIN_ACTIONS: Action[] = ["admin.access", "audit.read", "outbox.read", "invitation.create", "user.disable"];

const HOMES: Record<Role, Action> = {
  admin: "admin.access",
  applicant: "home.applicant",
  lead_org: "home.lead_org",
  panel_member: "home.panel_member",
  adviser: "home.adviser",
};

describe("can(): administration", () => {
  it.each(ADMIN_ACTIONS)("only an administrator may %s", (action) => {
    for (const role of ROLES) {
      expect(can(actor(role), action), `${role} → ${action}`).toBe(role === "admin");
    }
  });

  it("nobody signed in may do anything", () => {
    const everything: Action[] = [...ADMIN_ACTIONS, "user.read", "home.applicant", "home.lead_org", "home.panel_member", "home.adviser"];
    for (const action of everything) expect(can(null, action)).toBe(false);
    expect(can(null, "organisation.read", { type: "organisation", id: "org-1" })).toBe(false);
    expect(can(null, "organisation.edit", { type: "organisation", id: "org-1" })).toBe(false);
    expect(can(null, "decision_group.read", { type: "decision_group", id: "g-1", leadOrganisationIds: ["org-1"] })).toBe(false);
  });
});

describe("can(): home pages", () => {
  it("each role's home page is open to that role and no other", () => {
    for (const home of ["home.applicant", "home.lead_org", "home.panel_member", "home.adviser"] as const) {
      for (const role of ROLES) {
        expect(can(actor(role), home), `${role} → ${home}`).toBe(HOMES[role] === home);
      }
    }
  });
});

describe("can(): user records", () => {
  it("a user may read their own record but not someone else's", () => {
    const me = actor("applicant", { id: "me" });
    expect(can(me, "user.read", { type: "user", id: "me" })).toBe(true);
    expect(can(me, "user.read", { type: "user", id: "someone-else" })).toBe(false);
  });

  it("an administrator may read any user's record", () => {
    expect(can(actor("admin"), "user.read", { type: "user", id: "someone-else" })).toBe(true);
  });
});

describe("can(): organisations", () => {
  const own = { type: "organisation" as const, id: "org-own" };
  const other = { type: "organisation" as const, id: "org-other" };

  it("an applicant may read and edit their own organisation, not another", () => {
    const applicant = actor("applicant", { organisationId: "org-own" });
    expect(can(applicant, "organisation.read", own)).toBe(true);
    expect(can(applicant, "organisation.edit", own)).toBe(true);
    expect(can(applicant, "organisation.read", other)).toBe(false);
    expect(can(applicant, "organisation.edit", other)).toBe(false);
  });

  it("lead organisation staff may read and edit their own organisation, not another", () => {
    const lead = actor("lead_org", { organisationId: "org-own" });
    expect(can(lead, "organisation.read", own)).toBe(true);
    expect(can(lead, "organisation.edit", own)).toBe(true);
    expect(can(lead, "organisation.read", other)).toBe(false);
    expect(can(lead, "organisation.edit", other)).toBe(false);
  });

  it("an applicant with no organisation yet may not touch any organisation", () => {
    const applicant = actor("applicant");
    expect(can(applicant, "organisation.read", own)).toBe(false);
    expect(can(applicant, "organisation.edit", own)).toBe(false);
  });

  it("an administrator may read any organisation but not edit it", () => {
    expect(can(actor("admin"), "organisation.read", other)).toBe(true);
    expect(can(actor("admin"), "organisation.edit", other)).toBe(false);
  });

  it("panel members and advisers may not read or edit organisations, even with a matching id", () => {
    for (const role of ["panel_member", "adviser"] as const) {
      const someone = actor(role, { organisationId: "org-own" });
      expect(can(someone, "organisation.read", own)).toBe(false);
      expect(can(someone, "organisation.edit", own)).toBe(false);
    }
  });

  it("an organisation rule asked about a different kind of record says no", () => {
    const applicant = actor("applicant", { organisationId: "org-own" });
    expect(can(applicant, "organisation.read", { type: "user", id: "org-own" })).toBe(false);
    expect(can(applicant, "organisation.edit")).toBe(false);
  });
});

describe("can(): decision groups", () => {
  const group = { type: "decision_group" as const, id: "group-1", leadOrganisationIds: ["lead-a", "lead-b"] };

  it("a panel member may read only the decision group they sit on", () => {
    expect(can(actor("panel_member", { decisionGroupId: "group-1" }), "decision_group.read", group)).toBe(true);
    expect(can(actor("panel_member", { decisionGroupId: "group-2" }), "decision_group.read", group)).toBe(false);
    expect(can(actor("panel_member"), "decision_group.read", group)).toBe(false);
  });

  it("an adviser may read only the decision group they advise", () => {
    expect(can(actor("adviser", { decisionGroupId: "group-1" }), "decision_group.read", group)).toBe(true);
    expect(can(actor("adviser", { decisionGroupId: "group-2" }), "decision_group.read", group)).toBe(false);
  });

  it("a lead organisation may read a decision group only where it is listed as a lead", () => {
    expect(can(actor("lead_org", { organisationId: "lead-b" }), "decision_group.read", group)).toBe(true);
    expect(can(actor("lead_org", { organisationId: "lead-c" }), "decision_group.read", group)).toBe(false);
    expect(can(actor("lead_org"), "decision_group.read", group)).toBe(false);
  });

  it("a lead organisation's decision group id does not stand in for being listed", () => {
    expect(can(actor("lead_org", { organisationId: "lead-c", decisionGroupId: "group-1" }), "decision_group.read", group)).toBe(false);
  });

  it("an applicant may not read a decision group, even one their organisation's id matches", () => {
    expect(can(actor("applicant", { organisationId: "lead-a", decisionGroupId: "group-1" }), "decision_group.read", group)).toBe(false);
  });

  it("an administrator may read any decision group", () => {
    expect(can(actor("admin"), "decision_group.read", group)).toBe(true);
  });

  it("a decision group rule asked about a different kind of record says no", () => {
    expect(can(actor("panel_member", { decisionGroupId: "group-1" }), "decision_group.read", { type: "organisation", id: "group-1" })).toBe(false);
  });
});

/* ------------------------------------------------------------------ proposals (issue 8, leak 1) */

const proposal = (overrides: Partial<ProposalResource> = {}): ProposalResource => ({
  type: "proposal",
  status: "draft",
  organisationId: "group-own",
  decisionGroupId: "dg-1",
  preparedByOrganisationId: null,
  leadOrganisationIds: ["lead-area"],
  wasSubmitted: false,
  isViewerRecused: false,
  ...overrides,
});

const member = actor("applicant", { organisationId: "group-own" });
const otherMember = actor("applicant", { organisationId: "group-other" });
const areaLead = actor("lead_org", { organisationId: "lead-area" });
const otherLead = actor("lead_org", { organisationId: "lead-elsewhere" });
const panel = actor("panel_member", { decisionGroupId: "dg-1" });

describe("can(): reading a proposal", () => {
  it("the group reads its own proposal in every status; another group never", () => {
    for (const status of ["draft", "submitted", "funded"] as const) {
      expect(can(member, "proposal.read", proposal({ status }))).toBe(true);
      expect(can(otherMember, "proposal.read", proposal({ status }))).toBe(false);
    }
  });

  it("a lead organisation of the area does not read a draft the group wrote itself, only once it has been submitted", () => {
    expect(can(areaLead, "proposal.read", proposal())).toBe(false);
    expect(can(areaLead, "proposal.read", proposal({ status: "submitted", wasSubmitted: true }))).toBe(true);
    expect(can(areaLead, "proposal.read", proposal({ status: "changes_requested", wasSubmitted: true }))).toBe(true);
    expect(can(areaLead, "attachment.read", { type: "attachment", proposal: proposal() })).toBe(false);
    expect(can(areaLead, "attachment.read", { type: "attachment", proposal: proposal({ status: "submitted", wasSubmitted: true }) })).toBe(true);
  });

  it("a lead organisation reads a proposal it prepared, even a draft, and nothing from an area it does not serve", () => {
    expect(can(areaLead, "proposal.read", proposal({ preparedByOrganisationId: "lead-area" }))).toBe(true);
    expect(can(otherLead, "proposal.read", proposal({ status: "submitted", wasSubmitted: true }))).toBe(false);
  });

  it("the group's panel reads it once it is eligible; an administrator always; someone with no membership never", () => {
    expect(can(panel, "proposal.read", proposal({ status: "supported", wasSubmitted: true }))).toBe(false);
    expect(can(panel, "proposal.read", proposal({ status: "eligible", wasSubmitted: true }))).toBe(true);
    expect(can(actor("panel_member", { decisionGroupId: "dg-2" }), "proposal.read", proposal({ status: "eligible", wasSubmitted: true }))).toBe(false);
    expect(can(actor("admin"), "proposal.read", proposal())).toBe(true);
    expect(
      can({ id: "new", role: null, organisationId: null, decisionGroupId: null }, "proposal.read", proposal({ status: "submitted", wasSubmitted: true })),
    ).toBe(false);
  });

  it("a panel member recused from a proposal does not read it; an adviser's reading does not depend on recusal", () => {
    const underReview = proposal({ status: "under_review", wasSubmitted: true });
    expect(can(panel, "proposal.read", { ...underReview, isViewerRecused: true })).toBe(false);
    expect(can(actor("adviser", { decisionGroupId: "dg-1" }), "proposal.read", { ...underReview, isViewerRecused: true })).toBe(true);
    expect(can(panel, "attachment.read", { type: "attachment", proposal: { ...underReview, isViewerRecused: true } })).toBe(false);
  });

  it("a specialist adviser for a whole fund reads and advises on every decision group's proposals of that fund once with the panel, and no other fund's", () => {
    const fundAdviser = actor("adviser", { fundId: "fund-1" });
    const inFund = proposal({ status: "under_review", wasSubmitted: true, fundId: "fund-1", decisionGroupId: "dg-9" });
    expect(proposalScope(fundAdviser)).toMatchObject({ kind: "fund", fundId: "fund-1" });
    expect(can(fundAdviser, "proposal.read", inFund)).toBe(true);
    expect(can(fundAdviser, "proposal.advise", inFund)).toBe(true);
    expect(can(fundAdviser, "proposal.advise")).toBe(true);
    expect(can(fundAdviser, "proposal.read", { ...inFund, status: "submitted" })).toBe(false);
    expect(can(fundAdviser, "proposal.read", { ...inFund, fundId: "fund-2" })).toBe(false);
    expect(can(fundAdviser, "proposal.advise", { ...inFund, fundId: "fund-2" })).toBe(false);
    expect(can(fundAdviser, "proposal.score")).toBe(false);
    expect(can(actor("panel_member", { fundId: "fund-1" }), "proposal.read", inFund)).toBe(false);
    expect(can(actor("adviser"), "proposal.advise")).toBe(false);
  });

  it("can() and the scope a model turns into its WHERE clause give the same answer", () => {
    const actors = [member, otherMember, areaLead, otherLead, panel, actor("adviser", { decisionGroupId: "dg-1" }), actor("admin")];
    const proposals = [
      proposal(),
      proposal({ preparedByOrganisationId: "lead-area" }),
      proposal({ status: "submitted", wasSubmitted: true }),
      proposal({ status: "under_review", wasSubmitted: true }),
      proposal({ decisionGroupId: "dg-2", leadOrganisationIds: ["lead-elsewhere"], status: "eligible", wasSubmitted: true }),
    ];
    for (const a of actors) for (const p of proposals) expect(can(a, "proposal.read", p)).toBe(isInProposalScope(proposalScope(a), p));
  });

  it("proposalScope describes each hat's proposals as data", () => {
    expect(proposalScope(actor("admin"))).toEqual({ kind: "all" });
    expect(proposalScope(member)).toEqual({ kind: "organisation", organisationId: "group-own" });
    expect(proposalScope(areaLead)).toEqual({ kind: "lead_organisation", leadOrganisationId: "lead-area" });
    expect(proposalScope(panel)).toMatchObject({ kind: "decision_group", decisionGroupId: "dg-1", unlessRecused: panel.id });
    expect(proposalScope(actor("adviser", { decisionGroupId: "dg-1" }))).toMatchObject({ kind: "decision_group", unlessRecused: null });
    expect(proposalScope(actor("applicant"))).toEqual({ kind: "none" });
    expect(proposalScope(null)).toEqual({ kind: "none" });
  });
});

describe("can(): changing a proposal", () => {
  it("only the group's own members edit their proposal, while it is a draft or changes were asked for", () => {
    expect(can(member, "proposal.edit", proposal())).toBe(true);
    expect(can(member, "proposal.edit", proposal({ status: "changes_requested", wasSubmitted: true }))).toBe(true);
    expect(can(member, "proposal.edit", proposal({ status: "submitted", wasSubmitted: true }))).toBe(false);
    expect(can(otherMember, "proposal.edit", proposal())).toBe(false);
  });

  it("a lead organisation of the area cannot edit, submit or change the files of the group's own proposal", () => {
    for (const p of [proposal(), proposal({ status: "changes_requested", wasSubmitted: true })]) {
      expect(can(areaLead, "proposal.edit", p)).toBe(false);
      expect(can(areaLead, "proposal.submit", p)).toBe(false);
      expect(can(areaLead, "attachment.change", { type: "attachment", proposal: p })).toBe(false);
      expect(can(areaLead, "proposal.hand_to_group", p)).toBe(false);
    }
  });

  it("a lead organisation edits, submits and hands over a proposal it prepared, while it is editable", () => {
    const prepared = proposal({ preparedByOrganisationId: "lead-area" });
    expect(can(areaLead, "proposal.edit", prepared)).toBe(true);
    expect(can(areaLead, "proposal.submit", prepared)).toBe(true);
    expect(can(areaLead, "attachment.change", { type: "attachment", proposal: prepared })).toBe(true);
    expect(can(areaLead, "proposal.hand_to_group", prepared)).toBe(true);
    expect(can(areaLead, "proposal.edit", { ...prepared, status: "submitted", wasSubmitted: true })).toBe(false);
    expect(can(otherLead, "proposal.edit", prepared)).toBe(false);
    // The group edits a proposal prepared with it too.
    expect(can(member, "proposal.edit", prepared)).toBe(true);
  });

  it("the area's lead organisations decide on a proposal; the group replies while it is being read or changes were asked for", () => {
    const submitted = proposal({ status: "submitted", wasSubmitted: true });
    expect(can(areaLead, "proposal.lead_decide", submitted)).toBe(true);
    expect(can(otherLead, "proposal.lead_decide", submitted)).toBe(false);
    expect(can(member, "proposal.lead_decide", submitted)).toBe(false);
    expect(can(member, "proposal.reply", submitted)).toBe(true);
    expect(can(member, "proposal.reply", proposal())).toBe(false);
    expect(can(areaLead, "proposal.reply", submitted)).toBe(false);
  });

  it("proposals.write is for the hats that write proposals; panel members, advisers and administrators do not", () => {
    expect(["applicant", "lead_org", "panel_member", "adviser", "admin"].map((r) => can(actor(r as Role), "proposals.write"))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

/* ------------------------------------------------------------------ starting a proposal (leak 3) */

describe("can(): starting a proposal", () => {
  const start = (overrides: Partial<NewProposalResource> = {}): NewProposalResource => ({
    type: "new_proposal",
    decisionGroupId: "dg-1",
    leadOrganisationIds: ["lead-area"],
    organisationId: "group-offline",
    isOrganisationOnline: false,
    ...overrides,
  });

  it("a lead organisation starts one only in a decision group it serves, for a group that is not online", () => {
    expect(can(areaLead, "proposal.start", start())).toBe(true);
    expect(can(areaLead, "proposal.start", start({ organisationId: "group-own", isOrganisationOnline: true }))).toBe(false);
    expect(startRefusal(areaLead, start({ isOrganisationOnline: true }))).toBe("group_online");
    expect(can(otherLead, "proposal.start", start())).toBe(false);
    expect(startRefusal(otherLead, start())).toBe("not_served");
  });

  it("a group's member starts one only for their own group; other hats never", () => {
    expect(can(member, "proposal.start", start({ organisationId: "group-own", isOrganisationOnline: true }))).toBe(true);
    expect(startRefusal(member, start())).toBe("not_own_group");
    expect(startRefusal(panel, start())).toBe("cannot_start");
    expect(startRefusal(actor("admin"), start())).toBe("cannot_start");
  });

  it("startScope: a group's member may pick any open decision group, a lead organisation those it serves", () => {
    expect(startScope(member)).toEqual({ kind: "all" });
    expect(startScope(areaLead)).toEqual({ kind: "served_by", leadOrganisationId: "lead-area" });
    expect(startScope(panel)).toEqual({ kind: "none" });
  });
});

/* ------------------------------------------------------------------ scores (leak 2) */

describe("can(): reading other members' scores", () => {
  const chair = actor("panel_member", { id: "chair-1", decisionGroupId: "dg-1" });
  const group = (overrides: Partial<ScoresResource> = {}): ScoresResource => ({ type: "scores", decisionGroupId: "dg-1", scoringClosed: false, ...overrides });

  it("the chair, like every member, waits for scoring to close before seeing a whole group's figures", () => {
    expect(can(chair, "scores.read", group())).toBe(false);
    expect(can(chair, "scores.read", group({ scoringClosed: true }))).toBe(true);
  });

  it("on one proposal, a member sees others' scores once their own sheet is in, unless recused", () => {
    expect(can(panel, "scores.read", group({ hasSubmittedOwnSheet: false }))).toBe(false);
    expect(can(panel, "scores.read", group({ hasSubmittedOwnSheet: true }))).toBe(true);
    expect(can(panel, "scores.read", group({ hasSubmittedOwnSheet: true, isRecused: true }))).toBe(false);
    expect(can(panel, "scores.read", group({ scoringClosed: true, isRecused: true }))).toBe(false);
  });

  it("administrators always may; another group's panel, advisers and lead organisations never", () => {
    expect(can(actor("admin"), "scores.read", group())).toBe(true);
    expect(can(actor("panel_member", { decisionGroupId: "dg-2" }), "scores.read", group({ scoringClosed: true }))).toBe(false);
    expect(can(actor("adviser", { decisionGroupId: "dg-1" }), "scores.read", group({ scoringClosed: true }))).toBe(false);
    expect(can(areaLead, "scores.read", group({ scoringClosed: true }))).toBe(false);
  });

  it("a score sheet is saved only by its owner, on their own group's panel, while scoring is open and they are not recused", () => {
    const sheet = { type: "score_sheet" as const, decisionGroupId: "dg-1", ownerId: panel.id, scoringClosed: false, isRecused: false };
    expect(can(panel, "score_sheet.save", sheet)).toBe(true);
    expect(can(panel, "score_sheet.save", { ...sheet, scoringClosed: true })).toBe(false);
    expect(can(panel, "score_sheet.save", { ...sheet, isRecused: true })).toBe(false);
    expect(can(panel, "score_sheet.save", { ...sheet, ownerId: "someone-else" })).toBe(false);
    expect(can(actor("adviser", { decisionGroupId: "dg-1" }), "score_sheet.save", { ...sheet, ownerId: "adviser-1" })).toBe(false);
  });
});

/* ------------------------------------------------------------------ awards, payments, votes */

describe("can(): awards and payments", () => {
  const award = { type: "award" as const, organisationId: "group-own", decisionGroupId: "dg-1", status: "accepted" as const };

  it("'may act on this award' is one rule: a member of the funded group", () => {
    expect(can(member, "award.act", award)).toBe(true);
    expect(can(otherMember, "award.act", award)).toBe(false);
    expect(can(actor("admin"), "award.act", award)).toBe(false);
    expect(can(areaLead, "award.act", award)).toBe(false);
  });

  it("the group and administrators read an award; nobody else", () => {
    expect(can(member, "award.read", award)).toBe(true);
    expect(can(actor("admin"), "award.read", award)).toBe(true);
    expect(can(otherMember, "award.read", award)).toBe(false);
    expect(can(panel, "award.read", award)).toBe(false);
  });

  it("awardScope: administrators all awards, a group's member their own group's, anyone else none", () => {
    expect(awardScope(actor("admin"))).toEqual({ kind: "all" });
    expect(awardScope(member)).toEqual({ kind: "organisation", organisationId: "group-own" });
    expect(awardScope(areaLead)).toEqual({ kind: "none" });
  });

  it("a payment is approved by an administrator other than the one who recorded it", () => {
    expect(can(actor("admin", { id: "second" }), "payment.approve", { type: "payment", recordedBy: "first" })).toBe(true);
    expect(can(actor("admin", { id: "first" }), "payment.approve", { type: "payment", recordedBy: "first" })).toBe(false);
    expect(can(member, "payment.approve", { type: "payment", recordedBy: "first" })).toBe(false);
  });
});

describe("can(): meetings and votes", () => {
  const vote = { type: "vote" as const, decisionGroupId: "dg-1", isRecused: false, isPresent: true };

  it("a member of the group's panel votes when present and not recused", () => {
    expect(can(panel, "vote.cast", vote)).toBe(true);
    expect(can(panel, "vote.cast", { ...vote, isPresent: false })).toBe(false);
    expect(can(panel, "vote.cast", { ...vote, isRecused: true })).toBe(false);
    expect(can(actor("panel_member", { decisionGroupId: "dg-2" }), "vote.cast", vote)).toBe(false);
    expect(can(actor("admin"), "vote.cast", vote)).toBe(false);
  });

  it("meetingScope and recusalScope: administrators see every group's meetings and every row; a member their own group's, less what they are recused from", () => {
    expect(meetingScope(actor("admin"))).toEqual({ kind: "all" });
    expect(meetingScope(panel)).toEqual({ kind: "decision_group", decisionGroupId: "dg-1" });
    expect(meetingScope(member)).toEqual({ kind: "none" });
    expect(recusalScope(actor("admin"))).toEqual({ kind: "everything" });
    expect(recusalScope(panel)).toEqual({ kind: "unless_recused", userId: panel.id });
  });
});

import { describe, expect, it } from "vitest";
import { can, type Action, type Actor } from "~/domain/permissions";
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

import type { Constituency, Role } from "../../db/schema";

export type { Constituency, Role };

export const ROLES: readonly Role[] = ["admin", "lead_org", "applicant", "panel_member", "adviser"];
export const INVITABLE_ROLES: readonly Role[] = ["admin", "lead_org", "panel_member", "adviser"];
export const CONSTITUENCIES: readonly Constituency[] = ["resident", "councillor", "vcse"];

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Fund administrator",
  lead_org: "Lead organisation",
  applicant: "Applicant",
  panel_member: "Panel member",
  adviser: "Specialist adviser",
};

export const CONSTITUENCY_LABELS: Record<Constituency, string> = {
  resident: "Resident",
  councillor: "Councillor",
  vcse: "VCSE representative",
};

/** A constituency in running text ("You sit on this panel as a VCSE representative"): the label keeps its capitals. */
export const CONSTITUENCY_IN_SENTENCE: Record<Constituency, string> = {
  resident: "a resident",
  councillor: "a councillor",
  vcse: "a VCSE representative",
};

/** Where each role lands after signing in. */
export const ROLE_HOME: Record<Role, string> = {
  admin: "/admin",
  lead_org: "/lead",
  applicant: "/applicant",
  panel_member: "/panel",
  adviser: "/adviser",
};

/**
 * What a membership with each role is scoped to (docs/glossary.md,
 * Memberships): the whole portal, an organisation (a community group or a
 * lead organisation), or a decision group (an adviser may instead advise a
 * whole fund). Data about roles, not a rule about who may do what: that is
 * can() in permissions.ts.
 */
export const ROLE_SCOPE: Record<Role, "portal" | "organisation" | "decision_group"> = {
  admin: "portal",
  lead_org: "organisation",
  applicant: "organisation",
  panel_member: "decision_group",
  adviser: "decision_group",
};

/** Only a specialist adviser may be invited for a whole fund (every decision group of it) instead of one decision group. */
export const ROLE_MAY_COVER_FUND: Record<Role, boolean> = {
  admin: false,
  lead_org: false,
  applicant: false,
  panel_member: false,
  adviser: true,
};

/** Only a panel member sits for a constituency. */
export const ROLE_HAS_CONSTITUENCY: Record<Role, boolean> = {
  admin: false,
  lead_org: false,
  applicant: false,
  panel_member: true,
  adviser: false,
};

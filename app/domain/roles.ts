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

/** Where each role lands after signing in. */
export const ROLE_HOME: Record<Role, string> = {
  admin: "/admin",
  lead_org: "/lead",
  applicant: "/applicant",
  panel_member: "/panel",
  adviser: "/adviser",
};

export function roleLabel(user: { role: Role; constituency: Constituency | null }): string {
  if (user.role === "panel_member" && user.constituency) {
    return `${ROLE_LABELS.panel_member} (${CONSTITUENCY_LABELS[user.constituency]})`;
  }
  return ROLE_LABELS[user.role];
}

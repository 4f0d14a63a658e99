import type { Role } from "./roles";
import { ROLE_HOME } from "./roles";

type Link = { to: string; label: string };

/** The menu of each role's hat, as data. Pages still check permissions themselves (can() in permissions.ts). */
const MENUS: Record<Role, Link[]> = {
  admin: [
    { to: "/admin", label: "Overview" },
    { to: "/admin/dashboard", label: "Dashboard" },
    { to: "/admin/payments", label: "Payments to approve" },
    { to: "/admin/funds", label: "Funds" },
    { to: "/admin/awards", label: "Awards" },
    { to: "/admin/reports", label: "Reports" },
    { to: "/admin/organisations", label: "Lead organisations" },
    { to: "/admin/community-groups", label: "Community groups" },
    { to: "/admin/screening", label: "Screening" },
    { to: "/panel/meetings", label: "Meetings" },
    { to: "/public-meetings", label: "Public meetings" },
    { to: "/admin/proposals/import", label: "Import proposals" },
    { to: "/admin/users", label: "People" },
    { to: "/admin/invitations", label: "Invite someone" },
    { to: "/admin/audit", label: "Audit trail" },
    { to: "/admin/outbox", label: "Outbox" },
  ],
  lead_org: [
    { to: "/lead", label: "Proposals" },
    { to: "/proposals/new", label: "Start a proposal for a group" },
  ],
  applicant: [
    { to: "/applicant", label: "Home" },
    { to: "/applicant/group", label: "Your group" },
    { to: "/proposals/new", label: "Start a proposal" },
  ],
  panel_member: [
    { to: "/panel", label: "Home" },
    { to: "/panel/results", label: "Scoring results" },
    { to: "/panel/meetings", label: "Meetings" },
  ],
  adviser: [{ to: ROLE_HOME.adviser, label: "Home" }],
};

/** The menu each role sees (someone with no membership yet: null, who has only their roles page). */
export function navigationFor(role: Role | null): Link[] {
  return role ? MENUS[role] : [{ to: "/home", label: "Home" }];
}

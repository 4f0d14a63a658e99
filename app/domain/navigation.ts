import type { Role } from "./roles";
import { ROLE_HOME } from "./roles";

/** The menu each role sees (someone with no membership yet: null). Pages still check permissions themselves. */
export function navigationFor(role: Role | null): { to: string; label: string }[] {
  if (role === null) return [{ to: "/home", label: "Home" }];
  if (role === "admin") {
    return [
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
      { to: "/admin/proposals/import", label: "Import proposals" },
      { to: "/admin/users", label: "People" },
      { to: "/admin/invitations", label: "Invite someone" },
      { to: "/admin/audit", label: "Audit trail" },
      { to: "/admin/outbox", label: "Outbox" },
    ];
  }
  if (role === "lead_org") return [{ to: "/lead", label: "Proposals" }, { to: "/proposals/new", label: "Start a proposal for a group" }];
  if (role === "applicant") {
    return [
      { to: "/applicant", label: "Home" },
      { to: "/applicant/group", label: "Your group" },
      { to: "/proposals/new", label: "Start a proposal" },
    ];
  }
  if (role === "panel_member") {
    return [
      { to: "/panel", label: "Home" },
      { to: "/panel/results", label: "Scoring results" },
      { to: "/panel/meetings", label: "Meetings" },
    ];
  }
  return [{ to: ROLE_HOME[role], label: "Home" }];
}

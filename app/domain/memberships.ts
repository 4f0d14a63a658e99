import type { Constituency, Role } from "./roles";
import { CONSTITUENCY_LABELS, ROLE_HOME, ROLE_LABELS } from "./roles";

/** One of a person's memberships, with the names of its scope, as the pages show it. */
export interface MembershipSummary {
  id: string;
  role: Role;
  organisationId: string | null;
  organisationName: string | null;
  decisionGroupId: string | null;
  decisionGroupName: string | null;
  fundId: string | null;
  fundName: string | null;
  constituency: Constituency | null;
  isChair: boolean;
  startedAt: string;
  endedAt: string | null;
}

/** Order in which a person's memberships are listed, and the first one is worn after sign-in. */
const ROLE_ORDER: Record<Role, number> = { admin: 0, panel_member: 1, adviser: 2, lead_org: 3, applicant: 4 };

export function sortMemberships<T extends Pick<MembershipSummary, "role" | "startedAt">>(memberships: readonly T[]): T[] {
  return [...memberships].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || b.startedAt.localeCompare(a.startedAt));
}

/** "Panel member (Resident, chair), South Bristol": the hat a page says it is acting under. */
export function hatLabel(m: Pick<MembershipSummary, "role" | "constituency" | "isChair" | "organisationName" | "decisionGroupName" | "fundName">): string {
  const details = [m.constituency ? CONSTITUENCY_LABELS[m.constituency] : null, m.isChair ? "chair" : null].filter(Boolean);
  const role = details.length ? `${ROLE_LABELS[m.role]} (${details.join(", ")})` : ROLE_LABELS[m.role];
  const scope = m.organisationName ?? m.decisionGroupName ?? m.fundName;
  return scope ? `${role}, ${scope}` : role;
}

/** Where a membership's work starts. */
export const homeOf = (role: Role | null): string => ROLE_HOME[role ?? "applicant"];

/** Where someone lands after signing in: straight to the work of their only membership, or to the list of their memberships. */
export const landingPath = (memberships: readonly Pick<MembershipSummary, "role">[]): string =>
  memberships.length > 1 ? "/home" : homeOf(memberships[0]?.role ?? null);

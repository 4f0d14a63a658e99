import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * Table types. Timestamps are ISO-8601 text, booleans are 0/1 integers,
 * money is integer pence in columns ending `_pence`, and ids are generated
 * by the app (text UUIDs), except audit_event whose id is its chain position.
 */

export type Role = "admin" | "lead_org" | "applicant" | "panel_member" | "adviser";
export type Constituency = "resident" | "councillor" | "vcse";
export type OrganisationKind = "community_group" | "lead_org";
export type FundType = "capital" | "revenue";

export interface UserTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  constituency: Constituency | null;
  decision_group_id: string | null;
  organisation_id: string | null;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  /** sha256 of the cookie value, so a copy of the database cannot be replayed as a cookie. */
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface LoginAttemptTable {
  id: string;
  email: string;
  at: string;
  is_success: 0 | 1;
}

export interface InvitationTable {
  id: string;
  token_hash: string;
  email: string;
  name: string;
  role: Role;
  constituency: Constituency | null;
  decision_group_id: string | null;
  organisation_id: string | null;
  invited_by: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
}

export interface PasswordResetTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface AuditEventTable {
  /** Position in the chain: 1, 2, 3… */
  id: number;
  /** The acting user's id, or "system". */
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  /** Canonical JSON text, or null. */
  before: string | null;
  after: string | null;
  time: string;
  prev_hash: string;
  hash: string;
}

export interface EmailOutboxTable {
  id: string;
  to_address: string;
  subject: string;
  body_text: string;
  created_at: string;
  sent_at: string | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface OrganisationTable {
  id: string;
  name: string;
  kind: OrganisationKind;
  created_at: string;
}

export interface FundTable {
  id: string;
  name: string;
  purpose: string;
  type: FundType;
  budget_pence: number;
  is_published: 0 | 1;
  created_at: string;
}

export interface DecisionGroupTable {
  id: string;
  fund_id: string;
  name: string;
  area: string;
  pot_pence: number;
  min_grant_pence: number;
  max_grant_pence: number;
  created_at: string;
}

export interface DecisionGroupLeadOrgTable {
  decision_group_id: string;
  organisation_id: string;
}

export interface Database {
  user: UserTable;
  session: SessionTable;
  login_attempt: LoginAttemptTable;
  invitation: InvitationTable;
  password_reset: PasswordResetTable;
  audit_event: AuditEventTable;
  email_outbox: EmailOutboxTable;
  organisation: OrganisationTable;
  fund: FundTable;
  decision_group: DecisionGroupTable;
  decision_group_lead_org: DecisionGroupLeadOrgTable;
}

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type AuditEvent = Selectable<AuditEventTable>;
export type Invitation = Selectable<InvitationTable>;
export type Organisation = Selectable<OrganisationTable>;
export type Fund = Selectable<FundTable>;
export type DecisionGroup = Selectable<DecisionGroupTable>;
export type OutboxEmail = Selectable<EmailOutboxTable>;

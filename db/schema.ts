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

export type OrganisationType = "unincorporated" | "charity" | "cic" | "clg" | "other";

export interface OrganisationTable {
  id: string;
  name: string;
  kind: OrganisationKind;
  created_at: string;
  org_type: OrganisationType | null;
  registration_number: string | null;
  address: string | null;
  postcode: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  created_by: string | null;
}

export interface FundTable {
  id: string;
  name: string;
  purpose: string;
  type: FundType;
  budget_pence: number;
  is_published: 0 | 1;
  created_at: string;
  opens_on: string | null;
  closes_on: string | null;
  review_on: string | null;
  decisions_on: string | null;
  awards_on: string | null;
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

export type ProposalStatus =
  | "draft"
  | "submitted"
  | "changes_requested"
  | "supported"
  | "declined"
  | "eligible"
  | "ineligible"
  | "under_review"
  | "funded"
  | "not_funded"
  | "reserve"
  | "withdrawn";

export type NeedType = "felt" | "expressed" | "comparative" | "normative";

export interface EligibilityQuestionTable {
  id: string;
  fund_id: string;
  position: number;
  text: string;
  kind: "yes_no" | "choice";
  /** JSON array of the answers offered. */
  options: string;
  /** JSON array of the answers that make a group ineligible. */
  ineligible_answers: string;
  ineligible_reason: string;
}

export interface CriterionTable {
  id: string;
  fund_id: string;
  position: number;
  name: string;
  /** JSON array: guidance for each score band, lowest first. */
  guidance: string;
  weight: number;
}

export interface ProposalTable {
  id: string;
  /** Short human reference, e.g. CRF-0001. */
  reference: string;
  decision_group_id: string;
  organisation_id: string;
  status: ProposalStatus;
  title: string;
  summary: string;
  need_type: NeedType | null;
  need_evidence: string;
  beneficiaries: string;
  beneficiary_count: number | null;
  what_built: string;
  /** JSON array of { item, cost_pence }. */
  budget_lines: string;
  amount_requested_pence: number | null;
  start_date: string | null;
  end_date: string | null;
  /** JSON array of { outcome, measure }. */
  outcomes: string;
  /** JSON object { questionId: answer }. */
  eligibility_answers: string;
  prepared_by_organisation_id: string | null;
  group_confirmation: string | null;
  created_by: string;
  imported_by: string | null;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  version: number;
}

export interface ProposalVersionTable {
  id: string;
  proposal_id: string;
  version: number;
  snapshot: string;
  submitted_by: string;
  submitted_at: string;
}

export type ProposalMessageKind =
  | "changes_requested"
  | "support_statement"
  | "decline_reason"
  | "eligible"
  | "ineligible_reason"
  | "group_reply"
  | "handed_to_group";

export interface ProposalMessageTable {
  id: string;
  proposal_id: string;
  kind: ProposalMessageKind;
  body: string;
  author_id: string;
  author_role: Role;
  created_at: string;
}

export interface AttachmentTable {
  id: string;
  proposal_id: string;
  original_name: string;
  stored_name: string;
  mime_type: string;
  size_bytes: number;
  uploaded_by: string;
  created_at: string;
  removed_at: string | null;
}

export interface NotificationTable {
  id: string;
  organisation_id: string;
  proposal_id: string | null;
  body: string;
  created_at: string;
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
  eligibility_question: EligibilityQuestionTable;
  criterion: CriterionTable;
  proposal: ProposalTable;
  proposal_version: ProposalVersionTable;
  proposal_message: ProposalMessageTable;
  attachment: AttachmentTable;
  notification: NotificationTable;
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
export type Proposal = Selectable<ProposalTable>;
export type EligibilityQuestion = Selectable<EligibilityQuestionTable>;
export type Criterion = Selectable<CriterionTable>;
export type Attachment = Selectable<AttachmentTable>;

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

/**
 * A person's account. What they may do comes from their memberships. The
 * table still has organisation_id and decision_group_id columns, emptied by
 * the memberships migration (SQLite cannot drop a foreign-key column).
 */
export interface UserTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
  /** When an administrator erased the person (name, email and password gone; decision record 0022). */
  erased_at: Generated<string | null>;
}

/**
 * One role held by one person, in one scope, for a time: a member of a
 * community group (organisation_id), staff of a lead organisation
 * (organisation_id), a panel member of a decision group (with constituency,
 * chair and name consent), a specialist adviser for a decision group or a
 * whole fund, or an administrator. Ended, never deleted, so history stays true.
 */
export interface MembershipTable {
  id: string;
  user_id: string;
  role: Role;
  organisation_id: string | null;
  decision_group_id: string | null;
  fund_id: string | null;
  constituency: Constituency | null;
  is_chair: Generated<0 | 1>;
  is_name_public: Generated<0 | 1>;
  /** Panel members: when this membership's interests were declared (each round asks afresh). */
  interests_declared_at: string | null;
  started_at: string;
  ended_at: string | null;
  created_by: string | null;
}

export interface SessionTable {
  /** sha256 of the cookie value, so a copy of the database cannot be replayed as a cookie. */
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  /** The membership this session acts under (the "hat"), or null for none yet. */
  membership_id: Generated<string | null>;
  /** The browser's User-Agent at sign-in (first 300 characters), to describe the device on /account/sessions. */
  user_agent: Generated<string | null>;
}

export interface LoginAttemptTable {
  id: string;
  email: string;
  at: string;
  /** Written as 0 before the password is checked (a reservation), set to 1 when it was right. */
  is_success: 0 | 1;
  /** The client's address (an IPv6 /64 as one), or null when the server did not know it. */
  client: Generated<string | null>;
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
  /** A specialist adviser invited for a whole fund. */
  fund_id: Generated<string | null>;
  invited_by: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
}

/** A registration waiting for its owner to open the link emailed to the address. */
export interface RegistrationRequestTable {
  id: string;
  token_hash: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface PasswordResetTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Where the audit chain was last checked (migration 2026_12_01_1750): "latest" and "full". */
export interface AuditCheckpointTable {
  kind: "latest" | "full";
  event_id: number;
  hash: string;
  checked_at: string;
  is_ok: number;
  broken_at_id: number | null;
  reason: string | null;
}

/** A fund's published results as they stood when published (docs/decisions/0035); the highest version wins. */
export interface ResultsSnapshotTable {
  id: string;
  fund_id: string;
  version: number;
  content: string;
  hash: string;
  created_at: string;
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

/**
 * One AES-256-GCM key per person (subject_id = their user id), or per record
 * when no person can be named ("record:<type>:<id>"). Personal values in audit
 * events are sealed with it; erasing the person deletes the key (0022).
 */
export interface PersonKeyTable {
  id: string;
  subject_id: string;
  /** 32 random bytes, base64. */
  key: string;
  created_at: string;
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
  /** While set and in the future, one server is sending this email (docs/decisions/0052). */
  claimed_until: string | null;
  claimed_by: string | null;
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
  charity_number: string | null;
  company_number: string | null;
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
  score_scale_max: Generated<number>;
  voting_method: Generated<VotingMethod>;
  approval_max: number | null;
  tie_rule: Generated<TieRule>;
  quorum_min_present: Generated<number>;
  /** JSON: CompositionRules (app/domain/panel-composition.ts). */
  composition_rules: Generated<string>;
  results_published_at: string | null;
  /** Payments above this need a second administrator's approval. */
  payment_approval_threshold_pence: Generated<number>;
  /** 360Giving: grant identifiers start with this, e.g. "360G-bristolcc". */
  funder_prefix: Generated<string>;
  funder_org_id: Generated<string>;
  funder_org_name: Generated<string>;
  /** The fund this one was started from as its next round, or null. */
  previous_fund_id: string | null;
  /** Who decides: the panel, a community ballot, or both (app/domain/community-ballot.ts). */
  decision_method: Generated<DecisionMethod>;
}

export type DecisionMethod = "panel" | "ballot" | "shortlist_then_ballot" | "ballot_advises_panel";
export type BallotKind = "approval" | "points" | "knapsack";

/** A fund's community ballot; its rules are frozen (rules_json, rules_hash) when it is opened. */
export interface CommunityBallotTable {
  id: string;
  fund_id: string;
  kind: BallotKind;
  max_choices: number | null;
  points_total: number | null;
  points_min_projects: number | null;
  budget_pence: number | null;
  /** A counting rule id of app/domain/ballot-rules.ts (greedy, optimum, equal-shares, phragmen). */
  counting_rule: string;
  /** A tie rule id of app/domain/ballot-rules.ts. */
  tie_rule: string;
  opens_at: string;
  closes_at: string;
  min_age: number | null;
  /** JSON: string[] of normalised postcode prefixes; [] when the list in community_ballot_postcode is used. */
  postcode_prefixes: Generated<string>;
  rules_json: string | null;
  rules_hash: string | null;
  opened_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  /** When the count's winners were recorded as decisions (recordBallotDecisions); null until then. */
  decisions_recorded_at: string | null;
}

export interface CommunityBallotProjectTable {
  ballot_id: string;
  proposal_id: string;
  cost_pence: number;
  position: number;
}

export interface CommunityBallotPostcodeTable {
  ballot_id: string;
  postcode: string;
}

export interface BallotVoterCodeTable {
  id: string;
  ballot_id: string;
  code_hash: string;
  created_by: string;
  created_at: string;
  used_at: string | null;
}

export interface BallotVoterTable {
  id: string;
  ballot_id: string;
  email_hash: string | null;
  voter_code_id: string | null;
  postcode: string | null;
  age_confirmed: Generated<0 | 1>;
  joined_at: string;
}

export interface BallotVoterChallengeTable {
  id: string;
  ballot_id: string;
  email_hash: string;
  postcode: string;
  age_confirmed: Generated<0 | 1>;
  code_hash: string;
  attempts: Generated<number>;
  expires_at: string;
  used_at: string | null;
  created_at: string;
  /** The client address the join was started from (app/domain/client-address.ts), for the per-address limit; null when unknown. */
  client_key: string | null;
}

export interface BallotVoterSessionTable {
  token_hash: string;
  voter_id: string;
  expires_at: string;
  created_at: string;
}

/** The count of a ballot, written once after the close and never changed (docs/decisions/0043). */
export interface BallotResultTable {
  ballot_id: string;
  rules_hash: string;
  /** The BallotResult (app/domain/ballot-result.ts) as canonical JSON, and its SHA-256. */
  result_json: string;
  result_hash: string;
  /** The counted ballots, anonymised: a sorted JSON array of canonical choices, and its SHA-256. */
  ballots_json: string;
  ballots_hash: string;
  ballot_count: number;
  counted_by: string;
  counted_at: string;
  /** Voters' equality groups at the count (PublishedVoterEquality, groups under 10 hidden); null for counts made before it was kept (docs/decisions/0049). */
  equality_json: string | null;
  /** Funded money by voters' equality group (PublishedEqualityMoney, app/domain/equality-money.ts), from voters who agreed; null for counts made before it was collected (docs/decisions/0055). */
  equality_money_json: string | null;
}

/** One ballot cast; the voter's last one is counted, earlier ones are kept with is_counted 0. */
export interface BallotPaperTable {
  id: string;
  ballot_id: string;
  voter_id: string;
  /** JSON: { proposalId: points } (1 for an approval or knapsack choice). Never shown before the close. */
  choices: string;
  /** SHA-256 of salt + canonical choices: what the audit trail holds instead of the choices. */
  choices_hash: string;
  salt: string;
  is_counted: 0 | 1;
  cast_at: string;
  /** How it was cast: online, or on paper keyed twice (docs/decisions/0044). */
  channel: Generated<BallotChannel>;
}

export type BallotChannel = "online" | "paper";

/** A community venue that hands out and collects paper ballots; the papers issued and returned are counted there. */
export interface BallotVenueTable {
  id: string;
  ballot_id: string;
  name: string;
  postcode: string | null;
  papers_issued: Generated<number>;
  papers_returned: Generated<number>;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export type PaperBallotStatus = "waiting" | "mismatch" | "counted" | "spoilt" | "refused";

/** One paper handed in, known by its printed voter code; its keyings decide what it says. */
export interface PaperBallotTable {
  id: string;
  ballot_id: string;
  voter_code_id: string;
  venue_id: string;
  status: PaperBallotStatus;
  /** The counted ballot it became, once its keyings agreed (or an administrator chose one). */
  ballot_paper_id: string | null;
  /** The administrator who chose the right keying of a mismatch; null when two keyings agreed. */
  resolved_by: string | null;
  created_at: string;
  settled_at: string | null;
}

/** One person's typing of one paper. JSON choices like ballot_paper's; null when keyed as spoilt. Never shown before the close except to resolve a mismatch. */
export interface PaperKeyingTable {
  id: string;
  paper_ballot_id: string;
  venue_id: string;
  keyed_by: string;
  is_spoilt: 0 | 1;
  choices: string | null;
  keyed_at: string;
}

/** A ballot refused because its voter already had a counted one (online or paper), for the administrator to look at. */
export interface BallotFlagTable {
  id: string;
  ballot_id: string;
  voter_id: string;
  channel: BallotChannel;
  paper_ballot_id: string | null;
  reason: string;
  created_at: string;
}

/** That a voter answered the equality questions, so they are not asked again; never linked to the answer. */
export interface BallotVoterEqualityTable {
  voter_id: string;
}

/**
 * A voter who agreed, on About you, to keep their anonymous answer with their
 * vote until the count: the answer, and the voter (so their counted ballot).
 * The count deletes every link of the fund (docs/decisions/0055).
 */
export interface VoterEqualityLinkTable {
  response_id: string;
  fund_id: string;
  voter_id: string;
}

/** How people get into a public meeting: anyone with the door code, a printed card too, or on the fund's ballot electorate too. */
export type MeetingAdmission = "open" | "card" | "electorate";
/** How a question at a public meeting is decided. */
export type MeetingRule = "majority" | "approval" | "points";
/** draft → open → closed (may reopen) → recorded (final). */
export type MeetingQuestionStatus = "draft" | "open" | "closed" | "recorded";

/** A meeting in public where the people in the room vote (issue 13). */
export interface PublicMeetingTable {
  id: string;
  fund_id: string;
  decision_group_id: string | null;
  title: string;
  venue: string;
  starts_at: string;
  /** Six characters shown at the entrance; kept plain because it is shown, with an expiry (docs/decisions/0047). */
  door_code: string;
  door_code_expires_at: string;
  admission: MeetingAdmission;
  minutes_note: Generated<string>;
  minutes_published_at: string | null;
  /** Goes up with every change the projector shows. */
  version: Generated<number>;
  created_by: string;
  created_at: string;
}

export interface PublicMeetingCardTable {
  id: string;
  meeting_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

export interface PublicMeetingAttendeeTable {
  id: string;
  meeting_id: string;
  card_id: string | null;
  ballot_voter_id: string | null;
  joined_at: string;
}

export interface PublicMeetingAttendeeSessionTable {
  token_hash: string;
  attendee_id: string;
  expires_at: string;
  created_at: string;
}

/** A wrong door code typed at /meet, by client address: the join throttle counts these. */
export interface PublicMeetingJoinFailureTable {
  id: string;
  client: string;
  at: string;
}

export interface PublicMeetingQuestionTable {
  id: string;
  meeting_id: string;
  position: number;
  title: string;
  rule: MeetingRule;
  points_total: number | null;
  budget_pence: number | null;
  /** A majority question about one proposal. */
  proposal_id: string | null;
  status: Generated<MeetingQuestionStatus>;
  opened_at: string | null;
  /** The countdown the chair set, if any. */
  closes_at: string | null;
  closed_at: string | null;
  /** JSON: counts from a show of hands, entered by the chair; kept apart from phone votes. */
  hands: string | null;
  /** JSON: the recorded result (MeetingResult). */
  result: string | null;
  recorded_at: string | null;
  decisions_confirmed_at: string | null;
}

export interface PublicMeetingOptionTable {
  id: string;
  question_id: string;
  position: number;
  label: string;
  proposal_id: string | null;
  cost_pence: number | null;
}

/** One attendee's vote on one question (unique), changed in place while the question is open. Never shown before the close. */
export interface PublicMeetingVoteTable {
  id: string;
  question_id: string;
  attendee_id: string;
  /** JSON: { optionId: points } (1 for a tick; "yes"/"no"/"abstain": 1 for a majority question). */
  choices: string;
  choices_hash: string;
  salt: string;
  cast_at: string;
  changes: Generated<number>;
}

export type VotingMethod = "per_proposal" | "approval";
export type TieRule = "chair" | "higher_score";

export interface DecisionGroupTable {
  id: string;
  fund_id: string;
  name: string;
  area: string;
  pot_pence: number;
  min_grant_pence: number;
  max_grant_pence: number;
  created_at: string;
  scoring_closed_at: string | null;
  /** In a fund started as a next round: the group of the previous round it was copied from. */
  previous_decision_group_id: string | null;
  /** The ONS code of the group's area (e.g. E05010897 for a ward), published as the 360Giving beneficiary location; null when unknown. */
  area_code: string | null;
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
  /** The least the group could accept, if the panel part-funds; null means all or nothing. */
  part_funding_floor_pence: number | null;
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
  "changes_requested" | "support_statement" | "decline_reason" | "eligible" | "ineligible_reason" | "group_reply" | "handed_to_group";

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

/** The bytes of an uploaded file, when files are kept in the database (db/file-store.ts, docs/decisions/0054). */
export interface StoredFileTable {
  stored_name: string;
  /** A Buffer on both databases (SQLite blob, PostgreSQL bytea). */
  bytes: Buffer;
  byte_size: number;
  created_at: string;
}

export interface NotificationTable {
  id: string;
  organisation_id: string;
  proposal_id: string | null;
  body: string;
  created_at: string;
}

export type InterestRelationship = "member" | "trustee" | "employee" | "family" | "other";

export interface InterestDeclarationTable {
  id: string;
  user_id: string;
  /** The panel membership it was declared under: each round asks afresh. */
  membership_id: string | null;
  organisation_id: string | null;
  proposal_id: string | null;
  relationship: InterestRelationship;
  is_pecuniary: 0 | 1;
  details: string;
  created_at: string;
}

export interface ScoreSheetTable {
  id: string;
  proposal_id: string;
  user_id: string;
  overall_comment: string;
  /** Null while a draft; set when submitted, which locks the sheet. */
  submitted_at: string | null;
  updated_at: string;
}

export interface ScoreTable {
  id: string;
  score_sheet_id: string;
  criterion_id: string;
  mark: number;
  comment: string;
}

export interface SpecialistInputTable {
  id: string;
  proposal_id: string;
  user_id: string;
  feasibility: string;
  cost_realism: string;
  risks: string;
  updated_at: string;
}

export interface ClarificationQuestionTable {
  id: string;
  proposal_id: string;
  asked_by: string;
  body: string;
  asked_at: string;
  answer: string | null;
  answered_by: string | null;
  answered_at: string | null;
}

export interface MeetingTable {
  id: string;
  decision_group_id: string;
  title: string;
  held_on: string;
  status: "open" | "closed";
  minutes: string;
  opened_by: string;
  created_at: string;
  closed_at: string | null;
}

export interface MeetingAttendanceTable {
  meeting_id: string;
  user_id: string;
  constituency: Constituency;
  is_present: 0 | 1;
}

export interface MeetingNoteTable {
  id: string;
  meeting_id: string;
  proposal_id: string;
  author_id: string;
  body: string;
  created_at: string;
}

export interface VoteItemTable {
  id: string;
  meeting_id: string;
  proposal_id: string;
  status: "open" | "closed";
  /** JSON tally, once closed. */
  result: string | null;
  opened_at: string;
  closed_at: string | null;
}

export type VoteChoice = "fund" | "dont_fund" | "abstain" | "approve";

export interface VoteTable {
  id: string;
  vote_item_id: string;
  user_id: string;
  choice: VoteChoice;
  cast_at: string;
}

export type DecisionOutcome = "funded" | "not_funded" | "reserve";

export interface DecisionTable {
  id: string;
  proposal_id: string;
  meeting_id: string | null;
  outcome: DecisionOutcome;
  amount_pence: number | null;
  conditions: string;
  reason: string;
  /** Panel feedback chosen by the chair or administrator; never names scorers. */
  feedback: string;
  vote_counts: string | null;
  attendance: string | null;
  quorum: string | null;
  allocation: string | null;
  decided_by: string;
  decided_at: string;
  /** Why the decision differs from the panel's vote or the adopted allocation; empty when it follows both. */
  departure_reason: Generated<string>;
}

export type AwardStatus = "offered" | "accepted" | "declined" | "closed" | "withdrawn";

export interface AwardTable {
  id: string;
  reference: string;
  proposal_id: string;
  decision_id: string;
  organisation_id: string;
  decision_group_id: string;
  status: AwardStatus;
  amount_pence: number;
  offered_at: string;
  accepted_at: string | null;
  accepted_by: string | null;
  signatory_name: string | null;
  signatory_role: string | null;
  declined_at: string | null;
  decline_reason: string | null;
  closed_at: string | null;
  outcome_summary: string | null;
  withdrawn_at: string | null;
  withdrawal_reason: string | null;
  clawback_pence: number | null;
  version: Generated<number>;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface AwardVersionTable {
  id: string;
  award_id: string;
  version: number;
  /** JSON of the award's terms at this version. */
  snapshot: string;
  reason: string;
  created_by: string;
  created_at: string;
}

export interface AwardConditionTable {
  id: string;
  award_id: string;
  position: number;
  text: string;
  status: "outstanding" | "evidence_submitted" | "met";
  evidence_note: string | null;
  signed_off_by: string | null;
  signed_off_at: string | null;
  created_at: string;
}

export interface AwardFileTable {
  id: string;
  award_id: string;
  condition_id: string | null;
  report_id: string | null;
  original_name: string;
  stored_name: string;
  mime_type: string;
  size_bytes: number;
  uploaded_by: string;
  created_at: string;
}

export interface SupportLogTable {
  id: string;
  award_id: string;
  kind: "meeting" | "advice" | "referral" | "other";
  status: "offered" | "given";
  description: string;
  minutes: Generated<number>;
  occurred_on: string;
  recorded_by: string;
  created_at: string;
}

export interface MonitoringReportTable {
  id: string;
  award_id: string;
  kind: "progress" | "final";
  due_on: string;
  status: "due" | "submitted" | "approved" | "more_requested";
  progress: Generated<string>;
  /** JSON [{ item, budget_pence, spent_pence }]. */
  spend: Generated<string>;
  /** JSON [{ outcome, measure, achieved }]. */
  outcomes: Generated<string>;
  submitted_by: string | null;
  submitted_at: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note: string | null;
  reminded_at: string | null;
}

export interface PaymentInstalmentTable {
  id: string;
  award_id: string;
  position: number;
  amount_pence: number;
  due_on: string;
  released_by: "acceptance" | "conditions_met" | "report_approved";
  report_id: string | null;
}

export interface PaymentTable {
  id: string;
  award_id: string;
  instalment_id: string | null;
  amount_pence: number;
  paid_on: string;
  reference: string;
  status: "awaiting_approval" | "paid" | "rejected";
  recorded_by: string;
  recorded_at: string;
  approved_by: string | null;
  approved_at: string | null;
}

export interface AwardVariationTable {
  id: string;
  award_id: string;
  kind: "amount" | "timeline" | "scope";
  reason: string;
  /** JSON: { amount_pence } | { end_date } | { scope }. */
  requested_change: string;
  status: "requested" | "approved" | "rejected";
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
}

export type JoinRequestStatus = "pending" | "approved" | "refused";

/**
 * Someone asks to join a community group already on the portal, instead of
 * setting up a duplicate. Approved (an applicant membership) or refused with
 * a reason by a member, a lead organisation serving the group, or the
 * administrator. Decided, never deleted.
 */
export interface JoinRequestTable {
  id: string;
  organisation_id: string;
  user_id: string;
  /** The group's name as the person typed it. */
  name_given: string;
  message: Generated<string>;
  status: Generated<JoinRequestStatus>;
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
  refusal_reason: string | null;
  membership_id: string | null;
}

/**
 * A person's TOTP (RFC 6238) second factor. Secrets are encrypted at rest
 * (app/auth/two-factor-secret.server.ts). pending_secret waits for a first code
 * from a new app, then becomes secret (confirmed_at set). last_used_step is the
 * 30-second step of the last code accepted, so no code works twice.
 */
export interface TwoFactorTable {
  user_id: string;
  secret: string | null;
  pending_secret: string | null;
  confirmed_at: string | null;
  last_used_step: number | null;
  /** Wrong codes since failed_since, across sign-in attempts. */
  failed_count: Generated<number>;
  failed_since: string | null;
  created_at: string;
  updated_at: string;
}

/** A single-use recovery code, stored as its hash only. */
export interface RecoveryCodeTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: string | null;
  created_at: string;
}

/** Between a right password and a right code: opens the second step and nothing else. id is the cookie's sha256. */
export interface PendingSignInTable {
  id: string;
  user_id: string;
  redirect_to: string | null;
  failed_count: Generated<number>;
  created_at: string;
  expires_at: string;
}

/**
 * A form sent once with its one-time submission key (issue 9): the first
 * wins, and a repeat with the same key and fields gets the first's result
 * (JSON) back instead of doing it again. fingerprint: sha256 of the fields.
 */
export interface SubmissionTable {
  user_id: string;
  submission_key: string;
  fingerprint: string;
  result: string | null;
  created_at: string;
}

/** "You said, we did": a change a fund made because of participants' feedback. Public. */
export interface YouSaidWeDidTable {
  id: string;
  fund_id: string;
  you_said: string;
  we_did: string;
  /** YYYY-MM-DD: when the change was made. */
  done_on: string;
  created_by: string;
  created_at: string;
}

/** A fund's evaluation settings: when its survey was sent, and its running costs (issue 10, item 15). */
export interface FundEvaluationTable {
  fund_id: string;
  survey_sent_at: string | null;
  survey_sent_by: string | null;
  /** What running the round cost, entered by an administrator; null until entered. */
  running_costs_pence: number | null;
  running_costs_note: Generated<string>;
  updated_at: string;
}

export type SurveyRoleGroup = "panel" | "applicant" | "lead_org";
export type SurveyChoice = "yes" | "partly" | "no" | "not_sure";

/** One anonymous survey answer: no user id, no time (decision record 0029). */
export interface SurveyAnswerTable {
  id: string;
  fund_id: string;
  role_group: SurveyRoleGroup;
  take_part_again: SurveyChoice;
  gained_confidence: SurveyChoice;
  felt_listened_to: SurveyChoice;
  feedback_useful: SurveyChoice;
  comment: Generated<string>;
}

/** Who has answered a fund's survey (one answer each); never linked to the answer. */
export interface SurveyRespondentTable {
  fund_id: string;
  user_id: string;
}

export type EqualityRoleGroup = "panel" | "applicant";

export interface EqualityQuestionTable {
  id: string;
  fund_id: string;
  text: string;
  position: number;
  created_by: string;
  created_at: string;
}

export interface EqualityOptionTable {
  id: string;
  question_id: string;
  label: string;
  position: number;
  is_prefer_not_to_say: Generated<0 | 1>;
  /** The area's share in tenths of a percent (0–1000); null when not known. */
  reference_tenths: number | null;
}

/** One anonymous answer: no user id, no time (docs/decisions/0030). */
export interface EqualityResponseTable {
  id: string;
  fund_id: string;
  /** "voter": a community ballot's voter, answering after they voted (docs/decisions/0044). */
  role_group: EqualityRoleGroup | "voter";
}

export interface EqualityResponseChoiceTable {
  response_id: string;
  question_id: string;
  option_id: string;
}

/** That a person has answered for a fund, so they are not asked again; never linked to the answer. */
export interface EqualityParticipationTable {
  fund_id: string;
  user_id: string;
  role_group: EqualityRoleGroup;
}

/** A fund's community team (All In): a community group of paid residents, with its area and paid term. The name is its organisation's. */
export interface CommunityTeamTable {
  id: string;
  fund_id: string;
  organisation_id: string;
  area: string;
  /** YYYY-MM-DD, the first and last day of the paid term. */
  term_starts_on: string;
  term_ends_on: string;
  created_by: string;
  created_at: string;
}

export type TeamIdeaStatus = "idea" | "developing" | "proposal" | "decided";

/** An idea a community team is developing; proposal_id once it became an outline proposal. */
export interface CommunityTeamIdeaTable {
  id: string;
  team_id: string;
  title: string;
  summary: string;
  area: string;
  status: TeamIdeaStatus;
  proposal_id: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** How many people a team engaged, where, when and how: a count, never a person. */
export interface CommunityTeamEngagementTable {
  id: string;
  team_id: string;
  engaged_on: string;
  area: string;
  activity: string;
  people_count: number;
  recorded_by: string;
  created_at: string;
}

export type TeamSupportKind = "mentoring" | "training" | "other";

/** Mentoring and training a community team had, like an award's development-support log. */
export interface CommunityTeamSupportTable {
  id: string;
  team_id: string;
  given_on: string;
  kind: TeamSupportKind;
  minutes: number;
  given_by: string;
  notes: string;
  recorded_by: string;
  created_at: string;
}

export interface Database {
  user: UserTable;
  session: SessionTable;
  login_attempt: LoginAttemptTable;
  invitation: InvitationTable;
  password_reset: PasswordResetTable;
  registration_request: RegistrationRequestTable;
  audit_event: AuditEventTable;
  audit_checkpoint: AuditCheckpointTable;
  results_snapshot: ResultsSnapshotTable;
  person_key: PersonKeyTable;
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
  interest_declaration: InterestDeclarationTable;
  membership: MembershipTable;
  score_sheet: ScoreSheetTable;
  score: ScoreTable;
  specialist_input: SpecialistInputTable;
  clarification_question: ClarificationQuestionTable;
  meeting: MeetingTable;
  meeting_attendance: MeetingAttendanceTable;
  meeting_note: MeetingNoteTable;
  vote_item: VoteItemTable;
  vote: VoteTable;
  decision: DecisionTable;
  award: AwardTable;
  award_version: AwardVersionTable;
  award_condition: AwardConditionTable;
  award_file: AwardFileTable;
  support_log: SupportLogTable;
  monitoring_report: MonitoringReportTable;
  payment_instalment: PaymentInstalmentTable;
  payment: PaymentTable;
  award_variation: AwardVariationTable;
  join_request: JoinRequestTable;
  submission: SubmissionTable;
  two_factor: TwoFactorTable;
  recovery_code: RecoveryCodeTable;
  pending_sign_in: PendingSignInTable;
  you_said_we_did: YouSaidWeDidTable;
  fund_evaluation: FundEvaluationTable;
  survey_answer: SurveyAnswerTable;
  survey_respondent: SurveyRespondentTable;
  equality_question: EqualityQuestionTable;
  equality_option: EqualityOptionTable;
  equality_response: EqualityResponseTable;
  equality_response_choice: EqualityResponseChoiceTable;
  equality_participation: EqualityParticipationTable;
  community_ballot: CommunityBallotTable;
  community_ballot_project: CommunityBallotProjectTable;
  community_ballot_postcode: CommunityBallotPostcodeTable;
  ballot_voter_code: BallotVoterCodeTable;
  ballot_voter: BallotVoterTable;
  ballot_voter_challenge: BallotVoterChallengeTable;
  ballot_voter_session: BallotVoterSessionTable;
  ballot_paper: BallotPaperTable;
  ballot_result: BallotResultTable;
  community_team: CommunityTeamTable;
  community_team_idea: CommunityTeamIdeaTable;
  community_team_engagement: CommunityTeamEngagementTable;
  community_team_support: CommunityTeamSupportTable;
  ballot_venue: BallotVenueTable;
  paper_ballot: PaperBallotTable;
  paper_keying: PaperKeyingTable;
  ballot_flag: BallotFlagTable;
  ballot_voter_equality: BallotVoterEqualityTable;
  voter_equality_link: VoterEqualityLinkTable;
  public_meeting: PublicMeetingTable;
  public_meeting_card: PublicMeetingCardTable;
  public_meeting_attendee: PublicMeetingAttendeeTable;
  public_meeting_attendee_session: PublicMeetingAttendeeSessionTable;
  public_meeting_join_failure: PublicMeetingJoinFailureTable;
  stored_file: StoredFileTable;
  public_meeting_question: PublicMeetingQuestionTable;
  public_meeting_option: PublicMeetingOptionTable;
  public_meeting_vote: PublicMeetingVoteTable;
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

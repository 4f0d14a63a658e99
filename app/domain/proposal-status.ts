import type { ProposalStatus, Role } from "../../db/schema";
import { DomainError } from "./errors";

export type { ProposalStatus };

/**
 * Every arrow in a proposal's life is one action by one role (docs/glossary.md).
 * The transition table below is derived from this, so the two cannot drift.
 */
export const PROPOSAL_ACTIONS = {
  submit: { from: ["draft", "changes_requested"], to: "submitted", roles: ["applicant", "lead_org"] },
  request_changes: { from: ["submitted"], to: "changes_requested", roles: ["lead_org"] },
  support: { from: ["submitted"], to: "supported", roles: ["lead_org"] },
  decline: { from: ["submitted"], to: "declined", roles: ["lead_org"] },
  mark_eligible: { from: ["supported"], to: "eligible", roles: ["admin"] },
  mark_ineligible: { from: ["supported"], to: "ineligible", roles: ["admin"] },
  open_review: { from: ["eligible"], to: "under_review", roles: ["admin"] },
  decide_funded: { from: ["under_review", "reserve"], to: "funded", roles: ["admin", "panel_member"] },
  decide_not_funded: { from: ["under_review", "reserve"], to: "not_funded", roles: ["admin", "panel_member"] },
  decide_reserve: { from: ["under_review"], to: "reserve", roles: ["admin", "panel_member"] },
  withdraw: { from: ["draft", "submitted", "changes_requested", "supported", "eligible"], to: "withdrawn", roles: ["applicant"] },
} as const satisfies Record<string, { from: readonly ProposalStatus[]; to: ProposalStatus; roles: readonly Role[] }>;

export type ProposalAction = keyof typeof PROPOSAL_ACTIONS;

export const PROPOSAL_STATUSES: readonly ProposalStatus[] = [
  "draft",
  "submitted",
  "changes_requested",
  "supported",
  "declined",
  "eligible",
  "ineligible",
  "under_review",
  "funded",
  "not_funded",
  "reserve",
  "withdrawn",
];

export const TRANSITIONS: Record<ProposalStatus, ProposalStatus[]> = Object.fromEntries(
  PROPOSAL_STATUSES.map((status) => [
    status,
    [
      ...new Set(
        Object.values(PROPOSAL_ACTIONS)
          .filter((a) => (a.from as readonly string[]).includes(status))
          .map((a) => a.to),
      ),
    ],
  ]),
) as Record<ProposalStatus, ProposalStatus[]>;

export const STATUS_LABELS: Record<ProposalStatus, string> = {
  draft: "Draft",
  submitted: "Submitted to lead organisation",
  changes_requested: "Changes requested",
  supported: "Supported by lead organisation",
  declined: "Not supported by lead organisation",
  eligible: "Eligible",
  ineligible: "Not eligible",
  under_review: "Under panel review",
  funded: "Funded",
  not_funded: "Not funded",
  reserve: "On the reserve list",
  withdrawn: "Withdrawn",
};

/** What happens next, in plain English, from the applicant's side. */
export const NEXT_STEP: Record<ProposalStatus, string> = {
  draft: "Finish the checklist. Then submit it to your lead organisation before the closing date.",
  submitted: "Your lead organisation is reading the proposal. They will support it, ask for changes, or turn it down with a reason.",
  changes_requested: "Your lead organisation has asked for changes. Read their note, change the proposal and submit it again.",
  supported: "The fund administrator will check that the proposal meets the rules.",
  declined: "Your lead organisation did not support this proposal. Their reason is below.",
  eligible: "Your proposal meets the rules. The decision panel will read it when the panel review starts.",
  ineligible: "The fund administrator found that this proposal does not meet the rules, so it is not eligible. The reason is below.",
  under_review: "The decision panel is reading the proposals and scoring them. Then it will make its decisions.",
  funded: "Your proposal has been funded. We will send you an offer letter.",
  not_funded: "Your proposal was not funded this time. The panel's reason is below.",
  reserve: "Your proposal is on the reserve list. It may get money if some becomes free.",
  withdrawn: "This proposal has been withdrawn.",
};

/** The main path, for drawing a timeline. Side branches (declined, ineligible…) end it. */
export const MAIN_PATH: readonly ProposalStatus[] = ["draft", "submitted", "supported", "eligible", "under_review", "funded"];

export const isEditable = (status: ProposalStatus): boolean => status === "draft" || status === "changes_requested";

export function canTransition(from: ProposalStatus, to: ProposalStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws a DomainError, in words an applicant understands, unless `from → to` is allowed. */
export function assertTransition(from: ProposalStatus, to: ProposalStatus): void {
  if (!canTransition(from, to)) {
    throw new DomainError(`This proposal is "${STATUS_LABELS[from]}", so it cannot be moved to "${STATUS_LABELS[to]}".`);
  }
}

/** Checks the role and the current status for an action, and returns the status it leads to. */
export function nextStatus(action: ProposalAction, from: ProposalStatus, role: Role | null): ProposalStatus {
  const rule = PROPOSAL_ACTIONS[action];
  if (!role || !(rule.roles as readonly Role[]).includes(role)) {
    throw new DomainError("Your role cannot do that to a proposal.");
  }
  if (!(rule.from as readonly ProposalStatus[]).includes(from)) {
    if (action === "submit" && from !== "draft") {
      throw new DomainError(`This proposal is "${STATUS_LABELS[from]}", so it has already been submitted and cannot be submitted again now.`);
    }
    throw new DomainError(`This proposal is "${STATUS_LABELS[from]}", so you cannot do that now.`);
  }
  assertTransition(from, rule.to);
  return rule.to;
}

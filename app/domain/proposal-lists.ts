/**
 * The lists of proposals that lead organisations and administrators work
 * through: which statuses each lead-organisation tab holds, and the sort
 * orders the screening queue allows. Pure.
 */
import type { ProposalStatus } from "./proposal-status";

export const LEAD_VIEWS = ["new", "waiting", "supported", "declined"] as const;
export type LeadView = (typeof LEAD_VIEWS)[number];

/**
 * "waiting" also holds drafts the lead organisation prepared itself (added
 * in the query, because it depends on who prepared them). "supported" keeps
 * showing a proposal after screening, so the lead organisation sees what
 * happened to the ones it endorsed.
 */
export const LEAD_VIEW_STATUSES: Record<LeadView, readonly ProposalStatus[]> = {
  new: ["submitted"],
  waiting: ["changes_requested"],
  supported: ["supported", "eligible", "ineligible", "under_review", "funded", "not_funded", "reserve"],
  declined: ["declined", "withdrawn"],
};

export const leadViewFrom = (value: string | null): LeadView => ((LEAD_VIEWS as readonly string[]).includes(value ?? "") ? (value as LeadView) : "new");

/** The only columns the screening queue and the export may be sorted by. */
export const SCREENING_SORTS = ["submitted", "amount", "title", "reference"] as const;
export type ScreeningSort = (typeof SCREENING_SORTS)[number];
export type SortDirection = "asc" | "desc";

export const DEFAULT_SORT: ScreeningSort = "submitted";
export const DEFAULT_DIRECTION: SortDirection = "asc";

export const SORT_LABELS: Record<ScreeningSort, string> = {
  submitted: "Date submitted",
  amount: "Amount requested",
  title: "Title",
  reference: "Reference",
};

/** The screening queue's default: proposals the lead organisation supported, awaiting the eligibility check. */
export const DEFAULT_SCREENING_STATUS: ProposalStatus = "supported";

export interface ScreeningFilters {
  fundId?: string;
  decisionGroupId?: string;
  /** undefined: any status. */
  status?: ProposalStatus;
  leadOrganisationId?: string;
  sort: ScreeningSort;
  direction: SortDirection;
}

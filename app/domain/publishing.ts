/**
 * When a fund's results may be published. Pure: the service loads the
 * proposals still waiting and calls these.
 */
import type { ProposalStatus } from "../../db/schema";

/**
 * Proposals that reached the fund and are still waiting for an answer: supported
 * by the lead organisation but not yet screened, or eligible and not yet decided.
 * A reserve decision counts as a decision.
 */
export const AWAITING_DECISION_STATUSES = ["supported", "eligible", "under_review"] as const satisfies readonly ProposalStatus[];

export interface UndecidedProposal {
  id: string;
  reference: string;
  title: string;
  decisionGroupId: string;
  decisionGroupName: string;
  status: (typeof AWAITING_DECISION_STATUSES)[number];
}

/** The plain-English reason publishing is refused, or null when every proposal has its decision. */
export function publishRefusal(undecided: readonly Pick<UndecidedProposal, "reference" | "title">[]): string | null {
  if (undecided.length === 0) return null;
  const n = undecided.length;
  const list = undecided.map((p) => (p.title ? `${p.reference} (${p.title})` : p.reference)).join(", ");
  return `The results cannot be published yet: ${n} ${n === 1 ? "proposal has" : "proposals have"} no decision (${list}). Record a decision on each one, or mark it not eligible, then publish.`;
}

import { formatDate, submissionWindow } from "./phases";
import { MAIN_PATH, STATUS_LABELS, type ProposalStatus } from "./proposal-status";

export type StepState = "done" | "current" | "upcoming" | "stopped";

export interface TimelineStep {
  key: string;
  label: string;
  state: StepState;
}

/** Words for each state, so the timeline never relies on colour alone. */
export const STEP_STATE_LABELS: Record<StepState, string> = {
  done: "Done",
  current: "Now",
  upcoming: "To come",
  stopped: "Stopped here",
};

/** Side branches: the main-path step they follow, and whether the path goes on afterwards. */
const BRANCHES: Partial<Record<ProposalStatus, { after: ProposalStatus; isEnd: boolean }>> = {
  changes_requested: { after: "submitted", isEnd: false },
  declined: { after: "submitted", isEnd: true },
  ineligible: { after: "supported", isEnd: true },
  not_funded: { after: "under_review", isEnd: true },
  reserve: { after: "under_review", isEnd: false },
};

const STEP_LABELS: Partial<Record<ProposalStatus, string>> = {
  draft: "Draft written",
  submitted: "Submitted to lead organisation",
  supported: "Supported by lead organisation",
  eligible: "Checked and eligible",
  under_review: "Panel review",
  funded: "Decision: funded",
};

/** The last step before the decision is made: it must not read as if the proposal were already funded ("Decision: funded – Not yet"). */
const DECISION_TO_COME = "The panel's decision";

/**
 * The life of a proposal (docs/glossary.md) as steps, with where this one is.
 * A side branch (changes requested, declined, not eligible…) appears after
 * the step it leaves from; a branch that ends the journey hides the rest.
 */
export function timelineFor(status: ProposalStatus): TimelineStep[] {
  const main = MAIN_PATH.map((s) => ({ key: s, label: STEP_LABELS[s] ?? STATUS_LABELS[s] }));
  if (status === "withdrawn") {
    return [...main.slice(0, 1).map((s) => ({ ...s, state: "done" as const })), { key: "withdrawn", label: STATUS_LABELS.withdrawn, state: "stopped" }];
  }
  const branch = BRANCHES[status];
  if (!branch) {
    const at = MAIN_PATH.indexOf(status);
    return main.map((s, i) => {
      const state = i < at ? "done" : i === at ? (status === "funded" ? "done" : "current") : "upcoming";
      return { ...s, label: s.key === "funded" && state !== "done" ? DECISION_TO_COME : s.label, state };
    });
  }
  const from = MAIN_PATH.indexOf(branch.after);
  const before = main.slice(0, from + 1).map((s) => ({ ...s, state: "done" as const }));
  const here: TimelineStep = { key: status, label: STATUS_LABELS[status], state: branch.isEnd ? "stopped" : "current" };
  if (branch.isEnd) return [...before, here];
  // Changes requested goes back to the same step: the rest is still ahead.
  const rest = main.slice(from + 1).map((s) => ({ ...s, label: s.key === "funded" ? DECISION_TO_COME : s.label, state: "upcoming" as const }));
  return [...before, here, ...rest];
}

export interface FundDates {
  opens_on: string | null;
  closes_on: string | null;
  review_on: string | null;
  decisions_on: string | null;
  awards_on: string | null;
}

/** When the next thing happens, in words, from the fund's dates; null when there is no date to give. */
export function whenNext(status: ProposalStatus, fund: FundDates, now = new Date()): string | null {
  switch (status) {
    case "draft":
    case "changes_requested": {
      const window = submissionWindow(fund, now);
      if (window === "closed") return `Proposals for this fund closed on ${formatDate(fund.closes_on)}.`;
      if (window === "not_open") return `You can submit from ${formatDate(fund.opens_on)}${fund.closes_on ? ` until ${formatDate(fund.closes_on)}` : ""}.`;
      return fund.closes_on ? `The closing date is ${formatDate(fund.closes_on)}.` : null;
    }
    case "supported":
      return fund.review_on ? `We check it before the panel review starts on ${formatDate(fund.review_on)}.` : null;
    case "eligible":
      return fund.review_on ? `The panel review starts on ${formatDate(fund.review_on)}.` : null;
    case "under_review":
    case "reserve":
      return fund.decisions_on ? `Decisions are due on ${formatDate(fund.decisions_on)}.` : null;
    case "funded":
      return fund.awards_on ? `Offers are due from ${formatDate(fund.awards_on)}.` : null;
    default:
      return null;
  }
}

/**
 * "What happens next" for the group, worked out in one place from the
 * proposal's status, the fund's dates and, once an offer exists, the award's
 * state. The applicant home, the proposal page and the award page all call
 * this, so they cannot disagree (issue 10, item 7: the home page still
 * promised an offer letter after the award had closed). Pure: no I/O.
 */
import { awardNextStep, type AwardFacts } from "./award";
import { formatDate as formatIsoDate, ukDate } from "./phases";
import { NEXT_STEP, type ProposalStatus } from "./proposal-status";
import { whenNext, type FundDates } from "./proposal-timeline";

export interface NextStepInput {
  proposalStatus: ProposalStatus;
  /** The fund's dates; not needed once there is an award. */
  fund?: FundDates | null;
  /** The award made from the proposal's funded decision, if an offer has been made. */
  award?: AwardFacts | null;
  now?: Date;
  formatDate?: (iso: string) => string;
}

export interface NextStep {
  /** What happens next, in plain English. */
  step: string;
  /** When, from the fund's or the award's dates; null when there is no date to give. */
  when: string | null;
}

/** The group's next step, from the award when there is one, otherwise from the proposal and the fund's dates. */
export function nextStep({ proposalStatus, fund, award, now = new Date(), formatDate = formatIsoDate }: NextStepInput): NextStep {
  if (award) return awardStep(award, now, formatDate);
  return { step: NEXT_STEP[proposalStatus], when: fund ? whenNext(proposalStatus, fund, now) : null };
}

/** The next step and its date as one sentence or two, for a table cell. */
export function nextStepText(input: NextStepInput): string {
  const { step, when } = nextStep(input);
  return when ? `${step} ${when}` : step;
}

function awardStep(award: AwardFacts, now: Date, formatDate: (iso: string) => string): NextStep {
  // An overdue report comes first whatever else is under way: payments may wait on it.
  const isOpen = award.status === "accepted";
  if (isOpen && award.nextReportDueOn && award.nextReportDueOn < ukDate(now)) {
    return {
      step: `Your monitoring report is late. It was due on ${formatDate(award.nextReportDueOn)}. Send it from the award's page as soon as you can.`,
      when: null,
    };
  }
  const step = awardNextStep(award, "applicant", formatDate);
  // awardNextStep names the report only once everything is paid; while money is still coming, say when the next one is due too.
  const reportDue =
    isOpen && award.nextReportDueOn && !step.includes("report") ? `Your next monitoring report is due on ${formatDate(award.nextReportDueOn)}.` : null;
  return { step, when: reportDue };
}

import { DomainError } from "./errors";
import { formatPence } from "./money";

export type ReportKind = "progress" | "final";
export type ReportStatus = "due" | "submitted" | "approved" | "more_requested";
export type VariationKind = "amount" | "timeline" | "scope";

export interface ScheduledReport {
  kind: ReportKind;
  dueOn: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date in YYYY-MM-DD form. */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Adds whole months to a date, keeping to the last day of a shorter month (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

/**
 * Reporting dates from a schedule: a progress report every `everyMonths`
 * months after the start (before the end), and a final report on the end date.
 */
export function reportSchedule(startOn: string, endOn: string, everyMonths: number): ScheduledReport[] {
  if (!isIsoDate(startOn)) throw new DomainError("Enter the start date as a real date", "startOn");
  if (!isIsoDate(endOn)) throw new DomainError("Enter the end date as a real date", "endOn");
  if (endOn <= startOn) throw new DomainError("The end date must be after the start date", "endOn");
  if (!Number.isInteger(everyMonths) || everyMonths < 1 || everyMonths > 24) {
    throw new DomainError("Progress reports must be due every 1 to 24 months", "everyMonths");
  }
  const reports: ScheduledReport[] = [];
  for (let i = 1; ; i++) {
    const due = addMonths(startOn, i * everyMonths);
    if (due >= endOn) break;
    reports.push({ kind: "progress", dueOn: due });
  }
  reports.push({ kind: "final", dueOn: endOn });
  return reports;
}

/** Reports the group still owes. */
export const OWED_REPORT_STATUSES = ["due", "more_requested"] as const satisfies readonly ReportStatus[];
/** Awards still open, whose reports are still owed: once an award is closed or withdrawn nothing is overdue on it. */
export const AWARD_STATUSES_OWING_REPORTS = ["offered", "accepted"] as const;

/**
 * A report is overdue once its due date has passed (UK date, ukDate()) and the
 * group still owes it, on an award that is still open (when its status is
 * given). The one definition: the reports list and the dashboard's count use
 * these constants in their queries (models/monitoring.server.ts overdueReports).
 */
export function isOverdue(report: { dueOn: string; status: ReportStatus }, today: string, awardStatus?: string): boolean {
  if (awardStatus !== undefined && !(AWARD_STATUSES_OWING_REPORTS as readonly string[]).includes(awardStatus)) return false;
  return report.dueOn < today && (OWED_REPORT_STATUSES as readonly string[]).includes(report.status);
}

export interface SpendLine {
  item: string;
  budgetPence: number;
  spentPence: number;
}

export interface SpendSummary {
  lines: (SpendLine & { differencePence: number; over: boolean })[];
  budgetPence: number;
  spentPence: number;
  /** Positive: underspent; negative: overspent. */
  remainingPence: number;
}

/** Spend against the budget lines: totals, and over or under for each line. */
export function spendAgainstBudget(lines: readonly SpendLine[]): SpendSummary {
  const out = lines.map((l) => ({ ...l, differencePence: l.budgetPence - l.spentPence, over: l.spentPence > l.budgetPence }));
  const budgetPence = lines.reduce((s, l) => s + l.budgetPence, 0);
  const spentPence = lines.reduce((s, l) => s + l.spentPence, 0);
  return { lines: out, budgetPence, spentPence, remainingPence: budgetPence - spentPence };
}

/** A spend line's difference (budget minus spent) in words: "Under by £250", "Over by £1,000", or "On budget". */
export function spendDifferenceText(differencePence: number): string {
  if (differencePence === 0) return "On budget";
  return `${differencePence > 0 ? "Under by" : "Over by"} ${formatPence(Math.abs(differencePence))}`;
}

/** A report can be submitted while due or after more was asked for. */
export function canSubmitReport(status: ReportStatus): boolean {
  return status === "due" || status === "more_requested";
}

export interface AwardTerms {
  amountPence: number;
  endDate: string | null;
  scope: string;
}

export type VariationChange = { amount_pence: number } | { end_date: string } | { scope: string };

/** Checks a requested change against the rules; returns the stored change or throws with the field to fix. */
export function validateVariation(
  kind: VariationKind,
  input: { amountPence?: number | null; endDate?: string; scope?: string },
  facts: { paidPence: number; startDate: string | null },
): VariationChange {
  switch (kind) {
    case "amount": {
      const amount = input.amountPence;
      if (amount === null || amount === undefined || !Number.isSafeInteger(amount) || amount <= 0) {
        throw new DomainError("Enter the new amount in pounds, for example 12500", "amount");
      }
      if (amount < facts.paidPence) {
        throw new DomainError(`The new amount cannot be less than what has already been paid (${formatPence(facts.paidPence)})`, "amount");
      }
      return { amount_pence: amount };
    }
    case "timeline": {
      const end = (input.endDate ?? "").trim();
      if (!isIsoDate(end)) throw new DomainError("Enter the new end date as a real date", "endDate");
      if (facts.startDate && end <= facts.startDate) throw new DomainError("The new end date must be after the project's start date", "endDate");
      return { end_date: end };
    }
    case "scope": {
      const scope = (input.scope ?? "").trim();
      if (!scope) throw new DomainError("Describe the change to what the project will build or buy", "scope");
      return { scope };
    }
  }
}

/** The award's terms after an approved variation. */
export function applyVariation(terms: AwardTerms, change: VariationChange): AwardTerms {
  if ("amount_pence" in change) return { ...terms, amountPence: change.amount_pence };
  if ("end_date" in change) return { ...terms, endDate: change.end_date };
  return { ...terms, scope: terms.scope ? `${terms.scope}\n\nVariation: ${change.scope}` : change.scope };
}

/** Plain English for a change, for lists and notices. */
export function describeChange(change: VariationChange, formatMoney: (p: number) => string): string {
  if ("amount_pence" in change) return `Change the amount to ${formatMoney(change.amount_pence)}`;
  if ("end_date" in change) return `Change the end date to ${change.end_date}`;
  return `Change the scope: ${change.scope}`;
}

/** An award closes with an approved final report and an outcome summary. */
export function closureProblem(input: { hasApprovedFinalReport: boolean; outcomeSummary: string; status: string }): { message: string; field?: string } | null {
  if (input.status !== "accepted") return { message: "Only an accepted award that is still open can be closed." };
  if (!input.outcomeSummary.trim()) return { message: "Write a summary of what the project achieved", field: "outcomeSummary" };
  if (!input.hasApprovedFinalReport) return { message: "The group's final report must be approved before the award can be closed." };
  return null;
}

/** A withdrawal needs a reason, and any clawback between nothing and what has been paid. */
export function withdrawalProblem(input: {
  reason: string;
  clawbackPence: number | null;
  paidPence: number;
  status: string;
}): { message: string; field?: string } | null {
  if (input.status !== "offered" && input.status !== "accepted") return { message: "This award is already closed, declined or withdrawn." };
  if (!input.reason.trim()) return { message: "Give the reason for withdrawing the award", field: "reason" };
  const c = input.clawbackPence;
  if (c === null || !Number.isSafeInteger(c) || c < 0) return { message: "Enter the amount to claw back in pounds (0 if none)", field: "clawback" };
  if (c > input.paidPence) return { message: `The clawback cannot be more than has been paid (${formatPence(input.paidPence)})`, field: "clawback" };
  return null;
}

/** One request to change an award, as the group's and the administrator's variations pages show it. */
export interface VariationRow {
  id: string;
  status: "requested" | "approved" | "rejected";
  /** The change asked for, in words. */
  change: string;
  reason: string;
  requestedOn: string;
  decidedOn: string | null;
  note: string | null;
}

/** One version of an award's terms, as the variations pages show it. */
export interface AwardVersionRow {
  id: string;
  version: number;
  amount: string;
  endDate: string;
  reason: string;
  createdOn: string;
}

import type { SurveyChoice, SurveyRoleGroup } from "../../db/schema";
import { BRISTOL_REFERENCE } from "./evaluation-reference";

/**
 * The round's own evaluation (issue 10, items 13 and 15): the survey's
 * questions, the anonymous report (groups under 5 hidden), and the process
 * figures. Pure: the models load the rows, this works the figures out.
 */

export const SURVEY_ROLE_GROUPS = ["panel", "applicant", "lead_org"] as const satisfies readonly SurveyRoleGroup[];
export const SURVEY_CHOICES = ["yes", "partly", "no", "not_sure"] as const satisfies readonly SurveyChoice[];

export const ROLE_GROUP_LABELS: Record<SurveyRoleGroup, string> = {
  panel: "Panel members",
  applicant: "Community groups that applied",
  lead_org: "Lead organisations",
};

/** How a person took part, in their own words, for the survey page. */
export const ROLE_GROUP_CHOICE_LABELS: Record<SurveyRoleGroup, string> = {
  panel: "On the decision panel",
  applicant: "As a community group that applied",
  lead_org: "As a lead organisation",
};

export type SurveyQuestionKey = "takePartAgain" | "gainedConfidence" | "feltListenedTo" | "feedbackUseful";
export type SurveyColumn = "take_part_again" | "gained_confidence" | "felt_listened_to" | "feedback_useful";

export interface SurveyQuestion {
  key: SurveyQuestionKey;
  column: SurveyColumn;
  text: string;
  hint?: string;
  labels: Record<SurveyChoice, string>;
  /** Bristol's share answering yes, for panel members, where Bristol asked the same thing. */
  bristolPercent: number | null;
}

export const SURVEY_QUESTIONS: readonly SurveyQuestion[] = [
  {
    key: "takePartAgain",
    column: "take_part_again",
    text: "Would you take part again?",
    labels: { yes: "Yes", partly: "Maybe", no: "No", not_sure: "Not sure" },
    bristolPercent: BRISTOL_REFERENCE.takePartAgainPercent,
  },
  {
    key: "gainedConfidence",
    column: "gained_confidence",
    text: "Did you gain confidence by taking part?",
    hint: "For example, to speak up, or to deal with the council.",
    labels: { yes: "Yes", partly: "A little", no: "No", not_sure: "Not sure" },
    bristolPercent: BRISTOL_REFERENCE.gainedConfidencePercent,
  },
  {
    key: "feltListenedTo",
    column: "felt_listened_to",
    text: "Did you feel listened to?",
    labels: { yes: "Yes", partly: "Partly", no: "No", not_sure: "Not sure" },
    bristolPercent: null,
  },
  {
    key: "feedbackUseful",
    column: "feedback_useful",
    text: "Was the feedback you got useful?",
    hint: "The reasons and notes we sent you about the decisions.",
    labels: { yes: "Yes", partly: "Partly", no: "No", not_sure: "Not sure, or I did not get any" },
    bristolPercent: null,
  },
];

/** A group with fewer answers than this is not shown, so nobody's answers can be picked out. */
export const MIN_GROUP_SIZE = 5;
export const HIDDEN_GROUP_MESSAGE = "Fewer than 5 answers: hidden to keep answers anonymous";

export interface SurveyAnswerRow {
  role_group: SurveyRoleGroup;
  take_part_again: SurveyChoice;
  gained_confidence: SurveyChoice;
  felt_listened_to: SurveyChoice;
  feedback_useful: SurveyChoice;
  comment: string;
}

/**
 * Whole percentages that add up to exactly 100 (largest remainder: round
 * down, then give the points left to the largest remainders, earlier first on
 * a tie). All zeros when there is nothing to share.
 */
export function percentagesOf(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return counts.map(() => 0);
  const exact = counts.map((c) => (c * 100) / total);
  const floors = exact.map(Math.floor);
  let left = 100 - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, rest: e - Math.floor(e) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i]! += 1;
    left -= 1;
  }
  return floors;
}

export interface QuestionSummary {
  key: SurveyQuestionKey;
  text: string;
  choices: { choice: SurveyChoice; label: string; count: number; percent: number }[];
  /** Bristol's figure beside this group's "yes", when Bristol asked this group this question. */
  bristolPercent: number | null;
}

export type GroupSummary =
  | { roleGroup: SurveyRoleGroup | "everyone"; label: string; state: "empty" }
  | { roleGroup: SurveyRoleGroup | "everyone"; label: string; state: "hidden" }
  | { roleGroup: SurveyRoleGroup | "everyone"; label: string; state: "shown"; count: number; questions: QuestionSummary[]; comments: string[] };

function summariseGroup(roleGroup: SurveyRoleGroup | "everyone", label: string, rows: readonly SurveyAnswerRow[]): GroupSummary {
  if (rows.length === 0) return { roleGroup, label, state: "empty" };
  if (rows.length < MIN_GROUP_SIZE) return { roleGroup, label, state: "hidden" };
  const questions = SURVEY_QUESTIONS.map((q): QuestionSummary => {
    const counts = SURVEY_CHOICES.map((choice) => rows.filter((r) => r[q.column] === choice).length);
    const percents = percentagesOf(counts);
    return {
      key: q.key,
      text: q.text,
      choices: SURVEY_CHOICES.map((choice, i) => ({ choice, label: q.labels[choice], count: counts[i]!, percent: percents[i]! })),
      bristolPercent: roleGroup === BRISTOL_REFERENCE.roleGroup ? q.bristolPercent : null,
    };
  });
  const comments = rows.map((r) => r.comment.trim()).filter(Boolean);
  return { roleGroup, label, state: "shown", count: rows.length, questions, comments };
}

export interface SurveyReport {
  total: number;
  groups: GroupSummary[];
  /**
   * Everyone together, only when no group is hidden: with one group hidden,
   * "everyone" less the groups shown would give the hidden group's answers away.
   */
  everyone: GroupSummary | null;
}

/** The report: each role group's answers, hidden below MIN_GROUP_SIZE; free text only with the figures. */
export function summariseSurvey(rows: readonly SurveyAnswerRow[]): SurveyReport {
  const groups = SURVEY_ROLE_GROUPS.map((g) =>
    summariseGroup(
      g,
      ROLE_GROUP_LABELS[g],
      rows.filter((r) => r.role_group === g),
    ),
  );
  const isAnyHidden = groups.some((g) => g.state === "hidden");
  const shownGroups = groups.filter((g) => g.state === "shown").length;
  return {
    total: rows.length,
    groups,
    everyone: !isAnyHidden && shownGroups > 1 ? summariseGroup("everyone", "Everyone", rows) : null,
  };
}

/** CSV rows for the report: only what the page shows (hidden groups are a line saying so), so each question's counts add up to the group's answers. */
export function surveyReportCsvRows(report: SurveyReport): string[][] {
  const rows: string[][] = [["group", "answers", "question", "answer", "count", "percent", "bristol_percent"]];
  for (const group of [...report.groups, ...(report.everyone ? [report.everyone] : [])]) {
    if (group.state !== "shown") {
      rows.push([
        group.label,
        group.state === "empty" ? "0" : "fewer than 5",
        group.state === "empty" ? "No answers yet" : HIDDEN_GROUP_MESSAGE,
        "",
        "",
        "",
        "",
      ]);
      continue;
    }
    for (const q of group.questions) {
      for (const c of q.choices) {
        rows.push([
          group.label,
          String(group.count),
          q.text,
          c.label,
          String(c.count),
          String(c.percent),
          c.choice === "yes" && q.bristolPercent !== null ? String(q.bristolPercent) : "",
        ]);
      }
    }
  }
  return rows;
}

/* ------------------------------------------------------------------ who may answer, and when */

/** The survey opens once the round's results are published, or when an administrator sends it. */
export const isSurveyOpen = (fund: { resultsPublishedAt: string | null; surveySentAt: string | null }): boolean =>
  fund.resultsPublishedAt !== null || fund.surveySentAt !== null;

/** The role group an answer counts in: the one chosen, which must be one of the person's; or their only one. */
export function roleGroupFor(groups: readonly SurveyRoleGroup[], chosen: string | null | undefined): SurveyRoleGroup | null {
  if (chosen) return (groups as readonly string[]).includes(chosen) ? (chosen as SurveyRoleGroup) : null;
  return groups.length === 1 ? groups[0]! : null;
}

/* ------------------------------------------------------------------ process figures (item 15) */

const DAY_MS = 86_400_000;

/** Whole days from one YYYY-MM-DD date to another (negative if the second is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The middle value (the mean of the two middle ones, rounded, for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

export interface ProcessFacts {
  budgetPence: number;
  /** The day the proposal window closed (YYYY-MM-DD), or null if not set. */
  closesOn: string | null;
  /** The UK date of each decision in the round. */
  decisionDates: readonly string[];
  /** Proposals waiting for a decision (eligible or under review, not decided). */
  undecided: number;
  /** Each award: the UK date of its decision, and of its first payment made (null while none). */
  awards: readonly { decidedOn: string; firstPaidOn: string | null }[];
  /** Decided proposals, and how many of those decisions came with written feedback from the panel. */
  decided: number;
  decidedWithFeedback: number;
  runningCostsPence: number | null;
}

export interface ProcessFigures {
  windowToDecisions: { days: number | null; lastDecisionOn: string | null; undecided: number };
  decisionToFirstPayment: { medianDays: number | null; fastestDays: number | null; slowestDays: number | null; paid: number; notYetPaid: number };
  feedback: { withFeedback: number; decided: number; percent: number | null };
  runningCosts: { pence: number | null; percentOfFund: number | null; bristolPercent: number };
}

/** Percent to one decimal place; null when there is nothing to divide by. */
export function percentToOneDecimal(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part * 1000) / whole) / 10;
}

/** The round's process figures, from facts the model loads. */
export function processFigures(facts: ProcessFacts): ProcessFigures {
  const lastDecisionOn = facts.decisionDates.length ? [...facts.decisionDates].sort().at(-1)! : null;
  const paidDays = facts.awards.filter((a) => a.firstPaidOn !== null).map((a) => daysBetween(a.decidedOn, a.firstPaidOn!));
  return {
    windowToDecisions: {
      days: facts.closesOn && lastDecisionOn ? daysBetween(facts.closesOn, lastDecisionOn) : null,
      lastDecisionOn,
      undecided: facts.undecided,
    },
    decisionToFirstPayment: {
      medianDays: median(paidDays),
      fastestDays: paidDays.length ? Math.min(...paidDays) : null,
      slowestDays: paidDays.length ? Math.max(...paidDays) : null,
      paid: paidDays.length,
      notYetPaid: facts.awards.length - paidDays.length,
    },
    feedback: {
      withFeedback: facts.decidedWithFeedback,
      decided: facts.decided,
      percent: facts.decided > 0 ? Math.round((facts.decidedWithFeedback * 100) / facts.decided) : null,
    },
    runningCosts: {
      pence: facts.runningCostsPence,
      percentOfFund: facts.runningCostsPence === null ? null : percentToOneDecimal(facts.runningCostsPence, facts.budgetPence),
      bristolPercent: BRISTOL_REFERENCE.runningCostsPercent,
    },
  };
}

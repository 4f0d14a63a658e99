/**
 * Public meetings where the room votes (issue 13, docs/decisions/0047): the
 * rules for a question, how a question moves on, what a vote may be, and the
 * count. Pure: no clock, no database, no randomness.
 */
import type { MeetingAdmission, MeetingQuestionStatus, MeetingRule } from "../../db/schema";
import { ballotFromChoices, validateBallot } from "./ballot-rules";
import type { Choices } from "./community-ballot";
import { DomainError } from "./errors";
import { formatPence } from "./money";

export type { MeetingAdmission, MeetingQuestionStatus, MeetingRule };

export const MEETING_RULES: readonly MeetingRule[] = ["majority", "approval", "points"];

export const MEETING_RULE_LABELS: Record<MeetingRule, string> = {
  majority: "Majority: yes, no or abstain",
  approval: "Approval: choose any of the ideas you support",
  points: "Points: share your points between the ideas",
};

export const ADMISSIONS: readonly MeetingAdmission[] = ["open", "card", "electorate"];

export const ADMISSION_LABELS: Record<MeetingAdmission, string> = {
  open: "Anyone in the room with the door code",
  card: "The door code and a single-use attendee card handed out at the door",
  electorate: "The door code, and only people who have joined the fund's community vote",
};

/** The answers to a majority question, in the order they are shown. */
export const MAJORITY_ANSWERS = ["yes", "no", "abstain"] as const;
export type MajorityAnswer = (typeof MAJORITY_ANSWERS)[number];
export const MAJORITY_LABELS: Record<MajorityAnswer, string> = { yes: "Yes", no: "No", abstain: "Abstain" };

/** Door codes and attendee cards use letters and digits nobody mixes up: no 0/O, 1/I/L. */
export const READABLE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const DOOR_CODE_LENGTH = 6;

/** What someone typed as a door code or card: capitals, no spaces or dashes. */
export const normaliseCode = (raw: string): string => raw.toUpperCase().replace(/[^A-Z0-9]/g, "");

// ---------------------------------------------------------------------------
// A question's life.

const TRANSITIONS: Record<MeetingQuestionStatus, readonly MeetingQuestionStatus[]> = {
  draft: ["open"],
  open: ["closed"],
  closed: ["open", "recorded"],
  recorded: [],
};

const REFUSALS: Partial<Record<MeetingQuestionStatus, string>> = {
  open: "This question is open. Close it first.",
  recorded: "The result of this question is recorded, so it cannot be opened or changed again.",
  draft: "This question has not been opened yet.",
  closed: "This question is closed.",
};

/** Throws a DomainError in plain words unless a question may move from one status to the other. */
export function assertQuestionTransition(from: MeetingQuestionStatus, to: MeetingQuestionStatus): void {
  if (!TRANSITIONS[from].includes(to)) throw new DomainError(REFUSALS[from] ?? "That cannot be done to this question now.");
}

/**
 * Counts from a show of hands are entered after the phones close and before
 * the result is recorded: never while open, so no count is written anywhere
 * (not even the audit trail) before the close.
 */
export const canEnterHands = (status: MeetingQuestionStatus): boolean => status === "closed";

/** How long a door code works: from when it is made until this long after the meeting starts. */
export const DOOR_CODE_HOURS_AFTER_START = 12;

/** The longest countdown a chair may set, in seconds. */
export const MAX_COUNTDOWN_SECONDS = 60 * 60;

/** Counts are shown only after the close: never while a question is being voted on. */
export const areCountsVisible = (status: MeetingQuestionStatus): boolean => status === "closed" || status === "recorded";

// ---------------------------------------------------------------------------
// One vote.

export interface MeetingOption {
  id: string;
  label: string;
  position: number;
  proposalId: string | null;
  costPence: number | null;
}

export interface QuestionRules {
  rule: MeetingRule;
  pointsTotal: number | null;
  options: readonly MeetingOption[];
}

/** Why this vote breaks the question's rule, in plain words; or null. */
export function meetingVoteProblem(question: QuestionRules, choices: Choices): string | null {
  if (question.rule === "majority") {
    const chosen = Object.entries(choices).filter(([, n]) => n > 0);
    if (chosen.length !== 1 || !(MAJORITY_ANSWERS as readonly string[]).includes(chosen[0]![0])) return "Choose yes, no or abstain.";
    return null;
  }
  // The room is one pot, and an idea costs nothing: the ballot's own check, with the question's limits.
  const room = { id: "room", name: "", budgetPence: 0 };
  const check = validateBallot(
    ballotFromChoices(question.rule, choices),
    {
      ballot:
        question.rule === "approval"
          ? { kind: "approval", maxProjects: question.options.length }
          : { kind: "points", totalPoints: question.pointsTotal ?? 0, minProjects: 1 },
      pots: [room],
    },
    question.options.map((o) => ({ id: o.id, costPence: 0, potId: room.id })),
  );
  const problem = check.isValid ? null : check.errors[0]!;
  return problem?.replace(/projects?/g, (w) => (w === "project" ? "idea" : "ideas")) ?? null;
}

/** Counts from a show of hands: people who voted by hand, and the count for each answer or idea. */
export interface Hands {
  voters: number;
  counts: Record<string, number>;
}

/** Why these show-of-hands counts cannot be right, in plain words; or null. */
export function handsProblem(question: QuestionRules, hands: Hands): string | null {
  const keys = question.rule === "majority" ? [...MAJORITY_ANSWERS] : question.options.map((o) => o.id);
  if (Object.keys(hands.counts).some((k) => !keys.includes(k))) return "Reload the page: the ideas on this question have changed.";
  const values = [hands.voters, ...Object.values(hands.counts)];
  if (values.some((n) => !Number.isInteger(n) || n < 0 || n > 100_000)) return "Enter each count as a whole number, 0 or more.";
  if (question.rule === "majority") return null;
  if (question.rule === "approval" && Object.values(hands.counts).some((n) => n > hands.voters)) {
    return "An idea cannot have more hands than the number of people who voted by hand.";
  }
  if (question.rule === "points") {
    const total = Object.values(hands.counts).reduce((a, b) => a + b, 0);
    if (total > hands.voters * (question.pointsTotal ?? 0)) return "More points were counted than the people voting by hand had to give.";
  }
  return null;
}

/** How many people a show of hands counted: for a majority question, the hands up; otherwise as entered. */
export const handsVoters = (rule: MeetingRule, hands: Hands | null): number =>
  !hands ? 0 : rule === "majority" ? MAJORITY_ANSWERS.reduce((sum, a) => sum + (hands.counts[a] ?? 0), 0) : hands.voters;

// ---------------------------------------------------------------------------
// The count.

export interface ResultRow {
  key: string;
  label: string;
  proposalId: string | null;
  costPence: number | null;
  phone: number;
  hands: number;
  total: number;
  isWinner: boolean;
}

export interface MeetingResult {
  rule: MeetingRule;
  phoneVoters: number;
  handsVoters: number;
  turnout: number;
  rows: ResultRow[];
  /** One sentence for the projector and the minutes. */
  outcome: string;
  /** How the count works, including the tie rule. */
  explanation: string;
}

export interface TallyInput extends QuestionRules {
  budgetPence: number | null;
  /** The counted phone votes, one per attendee. */
  votes: readonly Choices[];
  hands: Hands | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

const TIE_RULE = "Where ideas have the same total, the one that asks for less money comes first, then the one listed first.";

/**
 * Counts a question: phone votes and show-of-hands counts, kept apart and
 * added together. Majority: carried when yes is more than no (a tie is not
 * carried). Approval and points: ideas ranked by total; with a budget, ideas
 * win in that order while the money lasts; without one, the top idea wins.
 */
export function tallyQuestion(input: TallyInput): MeetingResult {
  const phoneOf = new Map<string, number>();
  for (const vote of input.votes) for (const [key, n] of Object.entries(vote)) phoneOf.set(key, (phoneOf.get(key) ?? 0) + n);
  const handsOf = (key: string) => input.hands?.counts[key] ?? 0;
  const phoneVoters = input.votes.length;
  const byHand = handsVoters(input.rule, input.hands);
  const common = { rule: input.rule, phoneVoters, handsVoters: byHand, turnout: phoneVoters + byHand };
  const counted = `${plural(phoneVoters, "person", "people")} voted by phone and ${plural(byHand, "person", "people")} by show of hands.`;

  if (input.rule === "majority") {
    const rows = MAJORITY_ANSWERS.map((key) => ({
      key,
      label: MAJORITY_LABELS[key],
      proposalId: null,
      costPence: null,
      phone: phoneOf.get(key) ?? 0,
      hands: handsOf(key),
      total: (phoneOf.get(key) ?? 0) + handsOf(key),
      isWinner: false,
    }));
    const [yes, no] = [rows[0]!.total, rows[1]!.total];
    const isCarried = yes > no;
    rows[isCarried ? 0 : 1]!.isWinner = true;
    return {
      ...common,
      rows,
      outcome: `${isCarried ? "Carried" : "Not carried"}: ${plural(yes, "vote")} yes, ${plural(no, "vote")} no, ${plural(rows[2]!.total, "abstention")}.`,
      explanation: `${counted} A question is carried when more people vote yes than no. Abstentions are not counted either way, and a tie is not carried.`,
    };
  }

  const rows: ResultRow[] = input.options.map((o) => ({
    key: o.id,
    label: o.label,
    proposalId: o.proposalId,
    costPence: o.costPence,
    phone: phoneOf.get(o.id) ?? 0,
    hands: handsOf(o.id),
    total: (phoneOf.get(o.id) ?? 0) + handsOf(o.id),
    isWinner: false,
  }));
  const position = new Map(input.options.map((o) => [o.id, o.position]));
  rows.sort((a, b) => b.total - a.total || (a.costPence ?? 0) - (b.costPence ?? 0) || position.get(a.key)! - position.get(b.key)!);
  const unit = input.rule === "points" ? "point" : "vote";
  const ranked = `Ideas are ranked by their ${unit}s, phone and hands together. ${TIE_RULE}`;
  if (input.budgetPence !== null) {
    let left = input.budgetPence;
    for (const row of rows) {
      const cost = row.costPence ?? 0;
      if (row.total > 0 && cost <= left) {
        row.isWinner = true;
        left -= cost;
      }
    }
    const winners = rows.filter((r) => r.isWinner);
    return {
      ...common,
      rows,
      outcome: winners.length ? `Chosen: ${winners.map((r) => r.label).join("; ")}.` : "No idea was chosen.",
      explanation: `${counted} ${ranked} Going down the list, each idea with at least one ${unit} is chosen if its cost fits in what is left of the ${formatPence(input.budgetPence)} budget.`,
    };
  }
  if (rows[0] && rows[0].total > 0) rows[0].isWinner = true;
  return {
    ...common,
    rows,
    outcome: rows[0]?.isWinner ? `Chosen: ${rows[0].label} (${plural(rows[0].total, unit)}).` : "No idea was chosen.",
    explanation: `${counted} ${ranked} The idea at the top is chosen.`,
  };
}

/** A result stored as JSON, read back; throws if it is not one. */
export function parseResult(json: string): MeetingResult {
  const value = JSON.parse(json) as MeetingResult;
  if (!value || !Array.isArray(value.rows)) throw new DomainError("This result could not be read.");
  return value;
}

/** The countdown in whole seconds left, never below 0; null without one. */
export function secondsLeft(closesAt: string | null, nowMs: number): number | null {
  if (!closesAt) return null;
  return Math.max(0, Math.ceil((Date.parse(closesAt) - nowMs) / 1000));
}

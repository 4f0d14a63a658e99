import type { BallotKind, DecisionMethod } from "../../db/schema";
import { canonicalJson } from "./audit-chain";
import { BALLOT_RULES_VERSION, type BallotPot, type BallotProject, type BallotRules, type CountingRuleId, type TieRuleId } from "./ballot-rules";

export type { BallotKind, DecisionMethod };

/**
 * Community ballots (issue 12): who decides a fund, the administrator's
 * settings, postcodes, the ballot's phase, and reading a voter's form.
 * Pure: no clock (now is passed in), no database. The rules model itself
 * (the snapshot frozen at opening, its canonical JSON and hash, the counting
 * rule ids and checking a voter's ballot) is ballot-rules.ts, and the counts
 * are ballot-counting.ts: this module only turns the settings into that
 * snapshot (`rulesFromSettings`). See docs/decisions/0043.
 */

export const DECISION_METHODS: readonly DecisionMethod[] = ["panel", "ballot", "shortlist_then_ballot", "ballot_advises_panel"];

export const DECISION_METHOD_LABELS: Record<DecisionMethod, string> = {
  panel: "A panel decides",
  ballot: "Residents decide by a community vote",
  shortlist_then_ballot: "Both: the panel makes a shortlist, then residents vote on it",
  ballot_advises_panel: "Both: residents vote, and the panel decides with the vote in front of it",
};

/** What the public fund page says about who decides, in plain words. */
export const WHO_DECIDES: Record<DecisionMethod, string> = {
  panel: "A panel of local people decides. It reads, scores and votes on each idea.",
  ballot: "People who live in the area decide. They vote, and the ideas with the most support get the money.",
  shortlist_then_ballot: "A panel of local people picks a shortlist. Then people who live in the area vote on it, and the vote decides.",
  ballot_advises_panel: "People who live in the area vote. A panel of local people then decides. It sees the vote beside its own scores.",
};

/** A fund whose method includes a community vote. */
export const usesBallot = (method: DecisionMethod): boolean => method !== "panel";

export const BALLOT_KINDS: readonly BallotKind[] = ["approval", "points", "knapsack"];

export const BALLOT_KIND_LABELS: Record<BallotKind, string> = {
  approval: "Approval: choose up to a set number of projects",
  points: "Points: share out points, over at least a set number of projects",
  knapsack: "Budget: choose projects whose costs fit the budget",
};

/** A ballot's rules as the administrator sets them. */
export interface BallotSettings {
  kind: BallotKind;
  maxChoices: number | null;
  pointsTotal: number | null;
  pointsMinProjects: number | null;
  budgetPence: number | null;
  countingRule: CountingRuleId;
  tieRule: TieRuleId;
  opensAt: string;
  closesAt: string;
  minAge: number | null;
}

/**
 * The rules frozen when the vote opens: the settings, the pots (decision
 * groups, each with its budget) and the projects on the ballot (proposals,
 * with their costs), as the one rules model. Approval, points and budget
 * limits apply in each pot. Equal Shares values an approval by the project's
 * cost (decision 0041).
 */
export function rulesFromSettings(
  ids: { fundId: string; ballotId: string },
  settings: BallotSettings,
  pots: readonly BallotPot[],
  projects: readonly BallotProject[],
): BallotRules {
  const ballot: BallotRules["ballot"] =
    settings.kind === "approval"
      ? { kind: "approval", maxProjects: settings.maxChoices ?? 0 }
      : settings.kind === "points"
        ? { kind: "points", totalPoints: settings.pointsTotal ?? 0, minProjects: settings.pointsMinProjects ?? 0 }
        : settings.budgetPence
          ? { kind: "knapsack", voterBudgetPence: settings.budgetPence }
          : { kind: "knapsack" };
  return {
    version: BALLOT_RULES_VERSION,
    ballot,
    pots: [...pots],
    counting: settings.countingRule,
    equalSharesUtility: "cost",
    tieRule: settings.tieRule,
    projects: [...projects],
    vote: { fundId: ids.fundId, ballotId: ids.ballotId, opensAt: settings.opensAt, closesAt: settings.closesAt, minAge: settings.minAge },
  };
}

/** Problems with the settings, by field: the limits each kind needs, and the times in order. */
export function settingsProblems(settings: BallotSettings, projectCount: number | null = null): Record<string, string> {
  const problems: Record<string, string> = {};
  if (settings.kind === "approval") {
    if (!settings.maxChoices) problems.maxChoices = "Enter how many projects each person may choose";
    else if (projectCount !== null && projectCount > 0 && settings.maxChoices > projectCount)
      problems.maxChoices = `Each person can choose at most ${projectCount} projects, because that is how many are on the ballot`;
  }
  if (settings.kind === "points") {
    if (!settings.pointsTotal) problems.pointsTotal = "Enter how many points each person shares out";
    if (!settings.pointsMinProjects) problems.pointsMinProjects = "Enter the fewest projects each person must give points to";
    else if (settings.pointsTotal && settings.pointsMinProjects > settings.pointsTotal)
      problems.pointsMinProjects = "The fewest projects must be the same as or less than the number of points";
  }
  if (settings.kind === "knapsack" && !settings.budgetPence) problems.budgetPence = "Enter the budget each person fills";
  if (settings.closesAt <= settings.opensAt) problems.closesAt = "The vote must close after it opens";
  return problems;
}

// ---------------------------------------------------------------------------
// Postcodes.

/** A UK postcode in one form: capitals, one space before the last three characters ("bs5 0ab" → "BS5 0AB"). */
export function normalisePostcode(raw: string): string {
  const compact = raw.toUpperCase().replace(/[^A-Z0-9]/g, "");
  if (compact.length < 5) return compact;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

const POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$/;

/** Whether a normalised postcode has the shape of a UK postcode. */
export const isPostcodeShape = (postcode: string): boolean => POSTCODE.test(postcode);

/**
 * The postcodes in an uploaded list (CSV or one a line): every cell that looks
 * like a postcode, normalised, without repeats; and the cells that do not
 * (a header such as "postcode" is skipped quietly).
 */
export function parsePostcodeList(text: string): { postcodes: string[]; rejected: string[] } {
  const found = new Set<string>();
  const rejected: string[] = [];
  for (const cell of text.split(/[\r\n,;\t]+/)) {
    const trimmed = cell.trim().replace(/^"|"$/g, "").trim();
    if (!trimmed) continue;
    const postcode = normalisePostcode(trimmed);
    if (isPostcodeShape(postcode)) found.add(postcode);
    else if (!/^post\s*codes?$/i.test(trimmed)) rejected.push(trimmed);
  }
  return { postcodes: [...found].sort(), rejected };
}

/** Prefixes typed by the administrator ("BS5, BS2 9"), normalised to capitals with single spaces. */
export function parsePrefixes(text: string): string[] {
  const prefixes = new Set<string>();
  for (const part of text.split(/[\r\n,;]+/)) {
    const prefix = part.toUpperCase().trim().replace(/\s+/g, " ");
    if (/^[A-Z]{1,2}[0-9A-Z ]*$/.test(prefix)) prefixes.add(prefix);
  }
  return [...prefixes].sort();
}

/**
 * Whether a normalised postcode is in the area: on the list, or starting with
 * a prefix. "BS5" matches "BS5 0AB" but not "BS50 1AA": a prefix is a whole
 * outward code, or an outward code and the start of the inward one.
 */
export function postcodeInArea(postcode: string, area: { prefixes: readonly string[]; isOnList: boolean }): boolean {
  if (area.isOnList) return true;
  return area.prefixes.some((prefix) => {
    if (!prefix.includes(" ")) return postcode.split(" ")[0] === prefix;
    return postcode.startsWith(prefix);
  });
}

// ---------------------------------------------------------------------------
// Time.

export type BallotPhase = "draft" | "scheduled" | "open" | "closed";

/** Where a ballot is: not opened yet (rules can change), opened but before its start, taking votes, or closed. */
export function ballotPhase(ballot: { opened_at: string | null; opens_at: string; closes_at: string }, now: Date): BallotPhase {
  if (!ballot.opened_at) return "draft";
  const at = now.toISOString();
  if (at >= ballot.closes_at) return "closed";
  if (at < ballot.opens_at) return "scheduled";
  return "open";
}

/** Minutes between UTC and UK time at a moment (0 in winter, 60 in summer). */
function ukOffsetMinutes(utcMillis: number): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London",
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(new Date(utcMillis));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return Math.round((asUtc - utcMillis) / 60000);
}

/** "2026-12-01T18:30" typed as UK time → an ISO instant; null when it is not a real time. */
export function ukLocalToIso(local: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(local.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(guess);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
  return new Date(guess - ukOffsetMinutes(guess) * 60000).toISOString();
}

/** An ISO instant as UK time for a datetime-local box ("2026-12-01T18:30"). */
export function isoToUkLocal(iso: string): string {
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) return "";
  return new Date(millis + ukOffsetMinutes(millis) * 60000).toISOString().slice(0, 16);
}

/** An ISO instant in words, UK time: "1 December 2026 at 18:30". */
export function formatUkDateTime(iso: string): string {
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) return "";
  const date = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric" }).format(millis);
  const time = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(millis);
  return `${date} at ${time}`;
}

// ---------------------------------------------------------------------------
// One voter's choices.

/** Points (or 1 for a plain choice) by proposal id. */
export type Choices = Record<string, number>;

/** The choices in one fixed form (sorted keys), for storing and hashing. */
export const canonicalChoices = (choices: Choices): string => canonicalJson(Object.fromEntries(Object.entries(choices).filter(([, n]) => n > 0)));

/** The form names a ballot page uses: one checkbox list, or one number box per project. */
export const CHOICE_FIELD = "choice";
export const pointsField = (proposalId: string) => `points-${proposalId}`;

/**
 * A ballot form's fields as choices: ticked projects (approval, budget) or
 * points typed per project; a points box that is not a whole number is a problem.
 */
export function choicesFromForm(
  kind: BallotKind,
  projectIds: readonly string[],
  raw: Record<string, unknown>,
): { choices: Choices; problem: null } | { choices: null; problem: string } {
  const choices: Choices = {};
  if (kind === "points") {
    for (const id of projectIds) {
      const value = raw[pointsField(id)];
      const text = typeof value === "string" ? value.trim() : "";
      if (!text) continue;
      if (!/^\d{1,4}$/.test(text)) return { choices: null, problem: "Give each project a whole number of points, like 3, or leave it empty." };
      if (Number(text) > 0) choices[id] = Number(text);
    }
    return { choices, problem: null };
  }
  const ticked = raw[CHOICE_FIELD];
  for (const id of Array.isArray(ticked) ? ticked : typeof ticked === "string" ? [ticked] : []) {
    if (typeof id === "string") choices[id.slice(0, 64)] = 1;
  }
  return { choices, problem: null };
}

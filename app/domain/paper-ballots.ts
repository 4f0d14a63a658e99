import type { BallotChannel, PaperBallotStatus } from "../../db/schema";
import { shownCounts } from "./equality";

export type { BallotChannel, PaperBallotStatus };

/**
 * Paper community ballots, keyed twice (issue 12 part 7), and who took part
 * (part 8). Pure: no clock, no database. See docs/decisions/0044.
 */

export const CHANNELS: readonly BallotChannel[] = ["online", "paper"];

export const CHANNEL_LABELS: Record<BallotChannel, string> = { online: "Online", paper: "Paper" };

export const PAPER_STATUS_LABELS: Record<PaperBallotStatus, string> = {
  waiting: "Keyed once: waiting for a second person",
  mismatch: "The keyings differ: to resolve",
  counted: "Counted",
  spoilt: "Spoilt",
  refused: "Refused: this voter already had a counted ballot",
};

/** What one person typed from one paper. `choices` is canonical JSON, or null for a spoilt paper. */
export interface Keying {
  id: string;
  keyedBy: string;
  venueId: string;
  isSpoilt: boolean;
  choices: string | null;
}

/** The parts of a keying two people can disagree on, in the words the mismatch list uses. */
export function keyingDifferences(a: Keying, b: Keying): string[] {
  const differences: string[] = [];
  if (a.venueId !== b.venueId) differences.push("the venue");
  if (a.isSpoilt !== b.isSpoilt) differences.push("whether the paper is spoilt");
  else if (!a.isSpoilt && a.choices !== b.choices) differences.push("the choices");
  return differences;
}

export type KeyingOutcome =
  /** Only one keying so far. */
  | { kind: "waiting" }
  /** Two or more keyings, and no two agree. */
  | { kind: "mismatch" }
  /** Two keyings by different people agree: this one (the earlier of them) says what the paper says. */
  | { kind: "agreed"; keying: Keying };

/**
 * What a paper's keyings (in the order they were made) settle: the first pair
 * by different people that agree on everything, or a mismatch once there are
 * two keyings and no such pair; a third keying can settle a mismatch.
 */
export function settleKeyings(keyings: readonly Keying[]): KeyingOutcome {
  for (let j = 1; j < keyings.length; j++) {
    for (let i = 0; i < j; i++) {
      const [a, b] = [keyings[i]!, keyings[j]!];
      if (a.keyedBy !== b.keyedBy && keyingDifferences(a, b).length === 0) return { kind: "agreed", keying: a };
    }
  }
  return keyings.length < 2 ? { kind: "waiting" } : { kind: "mismatch" };
}

/**
 * One person, one counted ballot across channels: why a new ballot from a voter
 * is refused, or null. Online, a voter may change their own online ballot
 * until the close; once they have a counted paper ballot, nothing later is
 * taken. A paper ballot is taken only from a voter with no counted ballot.
 */
export function doubleVoteReason(counted: BallotChannel | null, incoming: BallotChannel): string | null {
  if (counted === null) return null;
  if (incoming === "online" && counted === "online") return null;
  return counted === "paper"
    ? `This voter code was already used for a paper ballot that is counted, so this ${incoming} ballot was refused.`
    : "This voter code was already used to vote online, and that vote is counted, so this paper ballot was refused.";
}

/** What a voter is told when their online ballot is refused because their paper ballot counts. */
export const ONLINE_REFUSED =
  "Your paper ballot has been counted, so you cannot vote again online. If you did not hand in a paper ballot, tell the fund's team.";

// ---------------------------------------------------------------------------
// Venue reconciliation.

export interface VenueCounts {
  id: string;
  name: string;
  issued: number;
  returned: number;
  /** Papers by status (each paper once, however many times it was keyed). */
  counted: number;
  spoilt: number;
  refused: number;
  waiting: number;
  mismatch: number;
}

export interface VenueLine extends VenueCounts {
  /** Papers keyed at least once: counted + spoilt + refused + waiting + mismatch. */
  keyed: number;
  /** Returned but not keyed yet (negative when more were keyed than returned). */
  notKeyed: number;
  /** Issued but not returned. */
  notReturned: number;
  problems: string[];
}

const FIGURES = ["issued", "returned", "counted", "spoilt", "refused", "waiting", "mismatch", "keyed", "notKeyed", "notReturned"] as const;

/**
 * Each venue's papers, and the totals. By construction returned = keyed + not
 * keyed, keyed = counted + spoilt + refused + waiting + mismatch, and issued =
 * returned + not returned; a negative remainder is a problem to look into
 * (more keyed than returned, or more returned than issued).
 */
export function reconcileVenues(venues: readonly VenueCounts[]): { lines: VenueLine[]; totals: VenueLine } {
  const lines = venues.map((v) => {
    const keyed = v.counted + v.spoilt + v.refused + v.waiting + v.mismatch;
    const line: VenueLine = { ...v, keyed, notKeyed: v.returned - keyed, notReturned: v.issued - v.returned, problems: [] };
    if (line.notReturned < 0) line.problems.push(`${-line.notReturned} more returned than issued`);
    if (line.notKeyed < 0) line.problems.push(`${-line.notKeyed} more keyed than returned`);
    return line;
  });
  const totals: VenueLine = {
    id: "total",
    name: "Total",
    issued: 0,
    returned: 0,
    counted: 0,
    spoilt: 0,
    refused: 0,
    waiting: 0,
    mismatch: 0,
    keyed: 0,
    notKeyed: 0,
    notReturned: 0,
    problems: [],
  };
  for (const line of lines) for (const f of FIGURES) totals[f] += line[f];
  totals.problems = lines.flatMap((l) => l.problems.map((p) => `${l.name}: ${p}`));
  return { lines, totals };
}

/** The reconciliation's figures, in the order of their columns (on the page and in the CSV). */
export const VENUE_FIGURE_LABELS = [
  "Issued",
  "Returned",
  "Keyed",
  "Counted",
  "Spoilt",
  "Refused (double vote)",
  "Waiting for a second keying",
  "Keyings differ",
  "Returned, not keyed yet",
  "Not returned",
] as const;

/** One venue's (or the totals') figures, in the order of VENUE_FIGURE_LABELS. */
export const venueFigures = (l: VenueLine): number[] => [
  l.issued,
  l.returned,
  l.keyed,
  l.counted,
  l.spoilt,
  l.refused,
  l.waiting,
  l.mismatch,
  l.notKeyed,
  l.notReturned,
];

/** The reconciliation as CSV rows, the totals last. */
export function venueCsvRows(report: ReturnType<typeof reconcileVenues>): (string | number)[][] {
  const row = (l: VenueLine) => [l.name, ...venueFigures(l), l.problems.join("; ")];
  return [["Venue", ...VENUE_FIGURE_LABELS, "Problems"], ...report.lines.map(row), row(report.totals)];
}

// ---------------------------------------------------------------------------
// Participation (turnout, never votes for projects).

/** The outward code of a UK postcode, its district ("CO9 2AB" → "CO9"); null when not known. */
export function postcodeDistrict(postcode: string | null): string | null {
  const outward = postcode?.trim().toUpperCase().split(/\s+/)[0];
  return outward ? outward : null;
}

export const AREA_NOT_KNOWN = "Not known";

/** Counted ballots grouped by the voter's postcode (or, for a paper ballot from a voter with none, its venue's). */
export interface TurnoutGroup {
  voterPostcode: string | null;
  venuePostcode: string | null;
  channel: BallotChannel;
  count: number;
}

export interface TurnoutReport {
  total: number;
  byChannel: Record<BallotChannel, number>;
  byArea: { area: string; online: number; paper: number; total: number }[];
}

/**
 * Turnout by area and by channel. A voter who joined online gave a postcode;
 * a printed-code voter did not, so their paper ballot counts in its venue's
 * district, and anyone else with no postcode in "Not known". Areas are sorted
 * with the lowest turnout first, so outreach can see where to go.
 */
export function turnoutReport(groups: readonly TurnoutGroup[]): TurnoutReport {
  const byChannel: Record<BallotChannel, number> = { online: 0, paper: 0 };
  const areas = new Map<string, { area: string; online: number; paper: number; total: number }>();
  for (const g of groups) {
    byChannel[g.channel] += g.count;
    const area = postcodeDistrict(g.voterPostcode) ?? (g.channel === "paper" ? postcodeDistrict(g.venuePostcode) : null) ?? AREA_NOT_KNOWN;
    const row = areas.get(area) ?? { area, online: 0, paper: 0, total: 0 };
    row[g.channel] += g.count;
    row.total += g.count;
    areas.set(area, row);
  }
  const byArea = [...areas.values()].sort((a, b) => a.total - b.total || (a.area < b.area ? -1 : a.area > b.area ? 1 : 0));
  return { total: byChannel.online + byChannel.paper, byChannel, byArea };
}

/** Voters' equality answers are shown only for groups of this many or more. */
export const SMALLEST_VOTER_GROUP = 10;

export const VOTER_GROUP_HIDDEN = "Fewer than 10: hidden";

export interface VoterEqualityQuestion {
  id: string;
  text: string;
  options: readonly { id: string; label: string }[];
}

export interface VoterEqualityRow {
  question: string;
  /** How many answered it; null when fewer than 10 (the whole question is hidden). */
  answered: number | null;
  options: { label: string; count: number | null }[];
}

/**
 * Voters' anonymous equality answers, question by question: each count shown
 * only when 10 or more gave it, and none when fewer than 10 answered; a single
 * hidden count that the total would give away is hidden with the smallest shown one.
 */
export function voterEqualityReport(questions: readonly VoterEqualityQuestion[], counts: ReadonlyMap<string, number>): VoterEqualityRow[] {
  return questions.map((q) => {
    const raw = q.options.map((o) => counts.get(o.id) ?? 0);
    const answered = raw.reduce((s, c) => s + c, 0);
    const shown = shownCounts(raw, SMALLEST_VOTER_GROUP);
    return {
      question: q.text,
      answered: answered < SMALLEST_VOTER_GROUP ? null : answered,
      options: q.options.map((o, i) => ({ label: o.label, count: shown[i] ? raw[i]! : null })),
    };
  });
}

/** One answer on the published result: how many voters gave it (null: hidden), their share of those who answered, and the area's share if known. */
export interface PublishedVoterEqualityOption {
  label: string;
  count: number | null;
  /** The area's share, in tenths of a percent; null when the fund has not given it. */
  referenceTenths: number | null;
}

/** The voters' equality groups as the results page publishes them (stored with the count). */
export interface PublishedVoterEquality {
  version: 1;
  questions: { question: string; answered: number | null; options: PublishedVoterEqualityOption[] }[];
}

/**
 * The voters' equality answers for the public results page: the same hiding
 * as the participation report (voterEqualityReport: no group under 10), with
 * the area's figure beside each answer. A question fewer than 10 answered
 * stays listed, with every count hidden, so the page can say so.
 */
export function publishedVoterEquality(
  questions: readonly (VoterEqualityQuestion & { options: readonly { id: string; label: string; referenceTenths: number | null }[] })[],
  counts: ReadonlyMap<string, number>,
): PublishedVoterEquality {
  const report = voterEqualityReport(questions, counts);
  return {
    version: 1,
    questions: report.map((row, i) => ({
      question: row.question,
      answered: row.answered,
      options: row.options.map((o, j) => ({ ...o, referenceTenths: questions[i]!.options[j]!.referenceTenths })),
    })),
  };
}

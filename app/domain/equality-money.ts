import type { BallotKind } from "./ballot-rules";
import { shownCounts } from "./equality";
import { SMALLEST_VOTER_GROUP } from "./paper-ballots";

/**
 * Funded money by voters' equality group (issue 12, docs/decisions/0055).
 *
 * Each funded project's cost is shared among the voters whose counted ballot
 * chose it: equally on an approval or knapsack ballot, in proportion to the
 * points given on a points ballot. A voter's share is the sum over the funded
 * projects they chose, so all voters' shares add up to the money spent on
 * funded projects that anyone chose. Only voters who agreed (on About you) to
 * keep their answers with their vote until the count are attributed to a group.
 */

/** One voter who agreed: their counted ballot's choices (points, or 1, by project id) and their answers (option id by question id). */
export interface LinkedVoter {
  choices: Readonly<Record<string, number>>;
  answers: Readonly<Record<string, string>>;
}

export interface EqualityMoneyQuestion {
  id: string;
  text: string;
  options: readonly { id: string; label: string; referenceTenths: number | null }[];
}

export interface EqualityMoneyInput {
  kind: BallotKind;
  /** The projects the rule frozen at opening funded, with their cost on the ballot. */
  funded: readonly { id: string; costPence: number }[];
  /** Every counted ballot's choices (the linked voters' among them). */
  ballots: readonly Readonly<Record<string, number>>[];
  linked: readonly LinkedVoter[];
  questions: readonly EqualityMoneyQuestion[];
}

/** One answer: how many linked voters gave it and the funded money attributed to them (pence); null when hidden. */
export interface EqualityMoneyOption {
  label: string;
  count: number | null;
  pence: number | null;
  /** The area's share, in tenths of a percent; null when the fund has not given it. */
  referenceTenths: number | null;
}

export interface EqualityMoneyRow {
  question: string;
  /** Linked voters who answered this question, and the money attributed to them; null when fewer than 10 (the whole question is hidden). */
  answered: number | null;
  pence: number | null;
  options: EqualityMoneyOption[];
}

/** What the results page publishes, stored with the count (ballot_result.equality_money_json). */
export interface PublishedEqualityMoney {
  version: 1;
  /** Money funded by the rule frozen at opening (pence). */
  fundedPence: number;
  /** Voters who agreed and have a counted ballot; null when fewer than 10 (then nothing else is shown). */
  consented: number | null;
  /** The funded money attributed to them (pence); null with `consented`. */
  consentedPence: number | null;
  questions: EqualityMoneyRow[];
}

/** A non-negative exact fraction n/d (d > 0), kept exact until the end so rounding happens once. */
export interface Fraction {
  n: bigint;
  d: bigint;
}

const ZERO: Fraction = { n: 0n, d: 1n };

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

function add(a: Fraction, b: Fraction): Fraction {
  const n = a.n * b.d + b.n * a.d;
  const d = a.d * b.d;
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

/** Half a penny or more rounds up. */
const roundHalfUp = (f: Fraction): number => Number((2n * f.n + f.d) / (2n * f.d));

/**
 * Whole pence for parts whose exact sum rounds to `total`: each part rounded
 * down, and the pence left over given one each to the parts with the largest
 * remainders (ties: the earlier part). So the parts always add up to the total.
 */
export function largestRemainder(parts: readonly Fraction[], total: number): number[] {
  const floors = parts.map((p) => Number(p.n / p.d));
  const rest = parts.map((p) => ({ n: p.n % p.d, d: p.d }));
  let left = total - floors.reduce((s, f) => s + f, 0);
  const order = parts.map((_, i) => i).sort((a, b) => Number(rest[b]!.n * rest[a]!.d - rest[a]!.n * rest[b]!.d) || a - b);
  const result = [...floors];
  for (const i of order) {
    if (left <= 0) break;
    if (rest[i]!.n === 0n) continue;
    result[i]! += 1;
    left -= 1;
  }
  return result;
}

/** How much a ballot gives a project: its points on a points ballot, 1 for a choice on the others. */
const weightOf = (kind: BallotKind, choices: Readonly<Record<string, number>>, projectId: string): number => {
  const n = choices[projectId] ?? 0;
  if (n <= 0) return 0;
  return kind === "points" ? n : 1;
};

/**
 * The funded money by equality group, with the voters' groups' hiding rule
 * (shownCounts with 10, as voterEqualityReport): a group's money is hidden
 * exactly when its count is, and nothing is shown of a question fewer than 10
 * linked voters answered, nor of anything when fewer than 10 agreed.
 * Amounts are exact fractions until the end: each question's total is
 * rounded to the nearest penny, and its groups are shared out by largest
 * remainder so they add up to it.
 */
export function equalityMoney(input: EqualityMoneyInput): PublishedEqualityMoney {
  const fundedPence = input.funded.reduce((s, p) => s + p.costPence, 0);
  const totalWeight = new Map<string, number>();
  for (const b of input.ballots) {
    for (const p of input.funded) totalWeight.set(p.id, (totalWeight.get(p.id) ?? 0) + weightOf(input.kind, b, p.id));
  }
  /**
   * The exact money reaching a set of voters: for each funded project, its
   * cost times the set's weight on it over everyone's. Weights are summed as
   * whole numbers first, so fractions are added once per project, not per voter.
   */
  const moneyOf = (voters: readonly LinkedVoter[]): Fraction =>
    input.funded.reduce((sum, p) => {
      const w = voters.reduce((s, v) => s + weightOf(input.kind, v.choices, p.id), 0);
      const all = totalWeight.get(p.id) ?? 0;
      return w === 0 || all === 0 ? sum : add(sum, { n: BigInt(p.costPence) * BigInt(w), d: BigInt(all) });
    }, ZERO);
  const consented = input.linked.length;
  const isShown = consented >= SMALLEST_VOTER_GROUP;

  const questions = input.questions.map((q): EqualityMoneyRow => {
    const groups = q.options.map((o) => input.linked.filter((v) => v.answers[q.id] === o.id));
    const counts = groups.map((g) => g.length);
    const money = groups.map(moneyOf);
    const answered = counts.reduce((s, c) => s + c, 0);
    const total = roundHalfUp(money.reduce(add, ZERO));
    const pence = largestRemainder(money, total);
    const shown = isShown ? shownCounts(counts, SMALLEST_VOTER_GROUP) : counts.map(() => false);
    const isQuestionShown = isShown && answered >= SMALLEST_VOTER_GROUP;
    return {
      question: q.text,
      answered: isQuestionShown ? answered : null,
      pence: isQuestionShown ? total : null,
      options: q.options.map((o, i) => ({
        label: o.label,
        count: shown[i] ? counts[i]! : null,
        pence: shown[i] ? pence[i]! : null,
        referenceTenths: o.referenceTenths,
      })),
    };
  });
  return {
    version: 1,
    fundedPence,
    consented: isShown ? consented : null,
    consentedPence: isShown ? roundHalfUp(moneyOf(input.linked)) : null,
    questions,
  };
}

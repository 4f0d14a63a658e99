/**
 * Scoring statistics for a decision group's panel: each scorer's weighted
 * total for a proposal, the spread of those totals across scorers, an optional
 * normalised score that corrects for harsh and lenient markers, and the sort
 * orders the panel uses to find its strongest and most disputed proposals.
 *
 * Pure and deterministic: no clocks, no randomness, and ties are broken by a
 * rule that is returned with the result so the page can say it. The caller
 * passes only eligible score sets (never a recused member's), one list per
 * proposal, so recusal is decided where the interest declarations live.
 */
import { DomainError } from "./errors";

/** A named, weighted scoring question. Weights are whole numbers, 1 or more (as the set-up form allows). */
export interface ScoringCriterion {
  id: string;
  name: string;
  weight: number;
}

/** The marks a scorer may give for one criterion, both ends included. */
export interface ScoreScale {
  min: number;
  max: number;
}

export const DEFAULT_SCORE_SCALE: ScoreScale = { min: 0, max: 5 };

/** One panel member's marks for one proposal, keyed by criterion id; every criterion must be marked. */
export interface ScoreSet {
  scorerId: string;
  marks: Readonly<Record<string, number>>;
}

/** The eligible score sets for one proposal. */
export interface ProposalScores {
  reference: string;
  scoreSets: readonly ScoreSet[];
}

export interface ScorerTotal {
  scorerId: string;
  /** Sum of mark × weight over the criteria. */
  total: number;
  /** The total as a percentage of the most a scorer could give (top mark on every criterion). */
  percent: number;
}

export interface ProposalStatistics {
  reference: string;
  scorerCount: number;
  /** Each scorer's weighted total, ordered by scorer id so the list reads the same however it was fetched. */
  totals: ScorerTotal[];
  /** The statistics below are of the weighted totals, and null when nobody scored the proposal. */
  mean: number | null;
  median: number | null;
  minimum: number | null;
  maximum: number | null;
  /** Population standard deviation (see STANDARD_DEVIATION_DEFINITION). */
  standardDeviation: number | null;
  /** Maximum minus minimum. */
  range: number | null;
  /** The mean as a percentage of the most a scorer could give. */
  meanPercent: number | null;
}

export interface ScoreTally {
  /** The highest weighted total a scorer can give: top mark × the sum of the weights. */
  maximumTotal: number;
  proposals: ProposalStatistics[];
}

/**
 * The panel's scorers are everyone whose opinion counts, not a sample of a
 * larger population, so the spread is the population standard deviation
 * (divide by n). It is also defined for a single scorer (0), where the
 * sample version (divide by n − 1) is not.
 */
export const STANDARD_DEVIATION_DEFINITION =
  "Standard deviation is the population standard deviation of the scorers' weighted totals: the square root of the average squared distance from the mean (dividing by the number of scorers, not one less).";

/** Rejects a scale, criteria list or score set the statistics would be meaningless for. */
function assertCriteriaAndScale(criteria: readonly ScoringCriterion[], scale: ScoreScale): void {
  if (!Number.isInteger(scale.min) || !Number.isInteger(scale.max) || scale.min < 0 || scale.max <= scale.min) {
    throw new DomainError("The score scale must be whole numbers from 0 or more, with the top mark above the bottom mark");
  }
  if (criteria.length === 0) throw new DomainError("There must be at least one scoring criterion");
  const ids = new Set<string>();
  for (const criterion of criteria) {
    if (!Number.isInteger(criterion.weight) || criterion.weight < 1) {
      throw new DomainError(`The weight of "${criterion.name}" must be a whole number, 1 or more`);
    }
    if (ids.has(criterion.id)) throw new DomainError(`The criterion "${criterion.name}" is listed twice`);
    ids.add(criterion.id);
  }
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Weighted totals and their statistics for every proposal; throws a
 * DomainError for an incomplete or out-of-scale score set, or a scorer who
 * appears twice on one proposal.
 */
export function tallyScores(criteria: readonly ScoringCriterion[], proposals: readonly ProposalScores[], scale: ScoreScale = DEFAULT_SCORE_SCALE): ScoreTally {
  assertCriteriaAndScale(criteria, scale);
  const weightSum = criteria.reduce((sum, c) => sum + c.weight, 0);
  const maximumTotal = scale.max * weightSum;
  const references = new Set<string>();

  const results = proposals.map((proposal): ProposalStatistics => {
    if (references.has(proposal.reference)) throw new DomainError(`The proposal ${proposal.reference} is listed twice`);
    references.add(proposal.reference);
    const seen = new Set<string>();
    const totals: ScorerTotal[] = proposal.scoreSets.map((set) => {
      if (seen.has(set.scorerId)) {
        throw new DomainError(`Scorer ${set.scorerId} has more than one set of scores for ${proposal.reference}`);
      }
      seen.add(set.scorerId);
      let total = 0;
      for (const criterion of criteria) {
        const mark = set.marks[criterion.id];
        if (mark === undefined) {
          throw new DomainError(`Scorer ${set.scorerId} has not scored "${criterion.name}" for ${proposal.reference}`);
        }
        if (!Number.isInteger(mark) || mark < scale.min || mark > scale.max) {
          throw new DomainError(
            `Scorer ${set.scorerId}'s mark for "${criterion.name}" on ${proposal.reference} must be a whole number from ${scale.min} to ${scale.max}`,
          );
        }
        total += mark * criterion.weight;
      }
      // A mark for a criterion that is not in the list would silently not count.
      if (Object.keys(set.marks).length !== criteria.length) {
        throw new DomainError(`Scorer ${set.scorerId} has marks for criteria that are not in the list, on ${proposal.reference}`);
      }
      return { scorerId: set.scorerId, total, percent: (total / maximumTotal) * 100 };
    });
    return statisticsFromTotals(proposal.reference, totals, maximumTotal);
  });
  return { maximumTotal, proposals: results };
}

/**
 * A proposal's statistics from its scorers' weighted totals (already checked:
 * one per scorer, from complete score sets), the same figures tallyScores
 * gives. For callers that add the totals up in the database.
 */
export function statisticsFromTotals(
  reference: string,
  scorerTotals: readonly { scorerId: string; total: number; percent?: number }[],
  maximumTotal: number,
): ProposalStatistics {
  const totals: ScorerTotal[] = scorerTotals.map((t) => ({ scorerId: t.scorerId, total: t.total, percent: t.percent ?? (t.total / maximumTotal) * 100 }));
  totals.sort((a, b) => byCodeUnits(a.scorerId, b.scorerId));
  return { reference, ...spreadOf(totals.map((t) => t.total)), totals, ...percentOf(totals, maximumTotal) };
}

/**
 * The population standard deviation from a count and the exact integer sums
 * of the totals and of their squares: the same number spreadOf gives for
 * those totals, so a list sorted by it matches the results page.
 */
export function standardDeviationFromSums(count: number, sum: number, sumOfSquares: number): number | null {
  if (count === 0) return null;
  // Population variance = (nΣx² − (Σx)²) / n², exact in integers before the one division.
  const variance = (count * sumOfSquares - sum * sum) / (count * count);
  return Math.sqrt(Math.max(0, variance));
}

function percentOf(totals: readonly ScorerTotal[], maximumTotal: number): { meanPercent: number | null } {
  if (totals.length === 0) return { meanPercent: null };
  const sum = totals.reduce((s, t) => s + t.total, 0);
  return { meanPercent: (sum / totals.length / maximumTotal) * 100 };
}

type Spread = Pick<ProposalStatistics, "scorerCount" | "mean" | "median" | "minimum" | "maximum" | "standardDeviation" | "range">;

/**
 * The totals are whole numbers, so the sums below are exact and the same
 * whatever order the scores arrived in: a proposal's statistics (and so the
 * ranking) can never change because the database returned rows differently.
 */
function spreadOf(values: readonly number[]): Spread {
  const n = values.length;
  if (n === 0) {
    return { scorerCount: 0, mean: null, median: null, minimum: null, maximum: null, standardDeviation: null, range: null };
  }
  let sum = 0;
  let sumOfSquares = 0;
  let minimum = Infinity;
  let maximum = -Infinity;
  for (const v of values) {
    sum += v;
    sumOfSquares += v * v;
    if (v < minimum) minimum = v;
    if (v > maximum) maximum = v;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return {
    scorerCount: n,
    mean: sum / n,
    median,
    minimum,
    maximum,
    standardDeviation: standardDeviationFromSums(n, sum, sumOfSquares),
    range: maximum - minimum,
  };
}

export const NORMALISED_SCORE_LABEL = "Normalised score (adjusted for harsh and lenient scorers)";

export const NORMALISED_SCORE_EXPLANATION =
  "Each scorer's weighted totals are turned into z-scores: how many of that scorer's own standard deviations a total is above (positive) or below (negative) that scorer's own average, across every proposal they scored. A proposal's normalised score is the average of its scorers' z-scores. A scorer who gave every proposal the same total, or scored only one proposal, has no spread to measure, so all their z-scores count as 0.";

export interface ScorerProfile {
  scorerId: string;
  proposalsScored: number;
  /** The scorer's average weighted total across the proposals they scored. */
  mean: number;
  /** Population standard deviation of the scorer's totals; 0 means every z-score of theirs is 0. */
  standardDeviation: number;
}

export interface NormalisedProposalScore {
  reference: string;
  scorerCount: number;
  /** Mean of the scorers' z-scores; null when nobody scored the proposal. */
  normalisedScore: number | null;
}

export interface NormalisedScores {
  label: string;
  explanation: string;
  proposals: NormalisedProposalScore[];
  /** Ordered by scorer id. */
  scorers: ScorerProfile[];
}

/**
 * The optional normalised score: z-scores per scorer (across every proposal in
 * the tally that they scored), averaged per proposal. Never NaN: a scorer with
 * no spread contributes z = 0.
 */
export function normaliseScores(tally: ScoreTally): NormalisedScores {
  // Integer sums per scorer first, so the result is independent of proposal order.
  const sums = new Map<string, { count: number; sum: number; sumOfSquares: number }>();
  for (const proposal of tally.proposals) {
    for (const { scorerId, total } of proposal.totals) {
      const entry = sums.get(scorerId);
      if (entry) {
        entry.count += 1;
        entry.sum += total;
        entry.sumOfSquares += total * total;
      } else {
        sums.set(scorerId, { count: 1, sum: total, sumOfSquares: total * total });
      }
    }
  }
  const profiles = new Map<string, ScorerProfile>();
  for (const [scorerId, { count, sum, sumOfSquares }] of sums) {
    const variance = (count * sumOfSquares - sum * sum) / (count * count);
    // variance is exactly 0 for identical totals and for a single proposal, because the sums are exact integers.
    profiles.set(scorerId, { scorerId, proposalsScored: count, mean: sum / count, standardDeviation: Math.sqrt(Math.max(0, variance)) });
  }
  const proposals = tally.proposals.map((proposal): NormalisedProposalScore => {
    if (proposal.totals.length === 0) return { reference: proposal.reference, scorerCount: 0, normalisedScore: null };
    let zSum = 0;
    // totals are in scorer-id order, so this floating-point sum is in a fixed order too.
    for (const { scorerId, total } of proposal.totals) {
      const profile = profiles.get(scorerId)!;
      if (profile.standardDeviation > 0) zSum += (total - profile.mean) / profile.standardDeviation;
    }
    return { reference: proposal.reference, scorerCount: proposal.totals.length, normalisedScore: zSum / proposal.totals.length };
  });
  const scorers = [...profiles.values()].sort((a, b) => byCodeUnits(a.scorerId, b.scorerId));
  return { label: NORMALISED_SCORE_LABEL, explanation: NORMALISED_SCORE_EXPLANATION, proposals, scorers };
}

export type ScoreMeasure = "mean" | "median" | "normalisedScore";
export type DisagreementMeasure = "standardDeviation" | "range";

const MEASURE_WORDS: Record<ScoreMeasure | DisagreementMeasure, string> = {
  mean: "mean score",
  median: "median score",
  normalisedScore: "normalised score",
  standardDeviation: "standard deviation",
  range: "range (highest minus lowest total)",
};

export interface Ranked<T> {
  items: T[];
  /** The order and its tie rule in plain English, for the page to show. */
  rule: string;
}

type HasReference = { reference: string };

/**
 * Highest first by the chosen measure, ties by reference A–Z, proposals with
 * no value last. Exact equality is a tie: the measures are computed from exact
 * integer sums, so equal totals give equal measures.
 */
function rankBy<T extends HasReference>(items: readonly T[], valueOf: (item: T) => number | null, measure: string): Ranked<T> {
  const sorted = [...items].sort((a, b) => {
    const va = valueOf(a);
    const vb = valueOf(b);
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1;
    } else if (va !== vb) {
      return vb - va;
    }
    return byCodeUnits(a.reference, b.reference);
  });
  return {
    items: sorted,
    rule: `Sorted by ${measure}, highest first. Proposals with the same ${measure} are listed by reference (A to Z). Proposals nobody scored come last.`,
  };
}

/** Proposals from highest to lowest score (mean or median of the weighted totals). */
export function sortByScore(proposals: readonly ProposalStatistics[], measure: "mean" | "median" = "mean"): Ranked<ProposalStatistics> {
  return rankBy(proposals, (p) => p[measure], MEASURE_WORDS[measure]);
}

/** Proposals from highest to lowest normalised score. */
export function sortByNormalisedScore(proposals: readonly NormalisedProposalScore[]): Ranked<NormalisedProposalScore> {
  return rankBy(proposals, (p) => p.normalisedScore, MEASURE_WORDS.normalisedScore);
}

/** Proposals the scorers disagreed about most, first: by standard deviation or by range. */
export function sortByDisagreement(proposals: readonly ProposalStatistics[], measure: DisagreementMeasure = "standardDeviation"): Ranked<ProposalStatistics> {
  return rankBy(proposals, (p) => p[measure], MEASURE_WORDS[measure]);
}

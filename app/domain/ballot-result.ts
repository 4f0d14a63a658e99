/**
 * Counting and publishing a community ballot (issue 12; docs/decisions/0043).
 * Pure: from the frozen rules (ballot-rules.ts) and the counted ballots to
 * the result the portal stores once and publishes, and to the anonymised
 * `.pb` files anyone can recount. The counting itself is ballot-counting.ts:
 * this module only calls it (every rule, so the page can compare them) and
 * keeps what the results page shows.
 */
import { canonicalJson } from "./audit-chain";
import type { Ballot, BallotRules, CountingRuleId } from "./ballot-rules";
import { ballotFromChoices, COUNTING_RULES, countingRuleText, tieRuleText } from "./ballot-rules";
import {
  checkEjr,
  checkPriceSystem,
  countEveryRule,
  summariseOutcome,
  type CountInput,
  type CountOutcome,
  type EjrCheck,
  type PriceSystemCheck,
} from "./ballot-counting";
import { DomainError } from "./errors";
import { pabulibFilesForCount } from "./pabulib";

export const BALLOT_RESULT_VERSION = 1;

export interface RulePotResult {
  potId: string;
  fundedIds: string[];
  spentPence: number;
  budgetPence: number;
}

/** What one counting rule funds, and how fair its outcome is. */
export interface RuleResult {
  rule: CountingRuleId;
  fundedIds: string[];
  pots: RulePotResult[];
  spentPence: number;
  budgetPence: number;
  votersWithFundedProject: number;
  /** EJR for approval ballots (exact, small pots only); absent for other kinds. */
  ejr?: EjrCheck;
  /** Equal Shares only: whether its own winners in each pot are priceable (checked against the price system it returned). */
  priceable?: { potId: string; check: PriceSystemCheck; fundedAfterwardsIds: string[] }[];
}

/** The stored count: every rule's outcome, the votes per project, and which rule decides. */
export interface BallotResult {
  version: typeof BALLOT_RESULT_VERSION;
  rulesHash: string;
  /** The rule frozen at opening: its winners are the result. */
  chosenRule: CountingRuleId;
  ballotCount: number;
  /** Votes (approvals, or points) per project id. */
  votes: Record<string, number>;
  rules: Record<CountingRuleId, RuleResult>;
}

/** The counted ballots' choices (as stored: points, or 1, by project id) as ballots of the rules' kind. */
export function ballotsFromChoices(rules: BallotRules, choices: readonly Readonly<Record<string, number>>[]): Ballot[] {
  return choices.map((c) => ballotFromChoices(rules.ballot.kind, c));
}

/** What the counting rules read: the frozen pots and projects, and the ballots. */
export function countInputOf(rules: BallotRules, ballots: readonly Ballot[]): CountInput {
  if (!rules.projects) throw new DomainError("The frozen rules have no projects, so there is nothing to count.");
  return {
    pots: rules.pots.map(({ id, budgetPence }) => ({ id, budgetPence })),
    projects: rules.projects.map(({ id, costPence, potId }) => ({ id, costPence, potId })),
    ballots,
  };
}

/**
 * The anonymised ballots in one fixed order: each ballot's choices as
 * canonical JSON, sorted. Nothing says who cast which, or when.
 */
export function anonymisedBallots(choices: readonly Readonly<Record<string, number>>[]): Record<string, number>[] {
  const texts = choices.map((c) => canonicalJson(Object.fromEntries(Object.entries(c).filter(([, n]) => n > 0)))).sort();
  return texts.map((t) => JSON.parse(t) as Record<string, number>);
}

function ruleResult(input: CountInput, outcome: CountOutcome, rules: BallotRules): RuleResult {
  const summary = summariseOutcome(input, outcome);
  const result: RuleResult = {
    rule: outcome.rule,
    fundedIds: outcome.fundedIds,
    pots: outcome.pots.map((p) => ({ potId: p.potId, fundedIds: p.fundedIds, spentPence: p.spentPence, budgetPence: p.budgetPence })),
    spentPence: outcome.spentPence,
    budgetPence: outcome.budgetPence,
    votersWithFundedProject: summary.votersWithFundedProject,
  };
  if (rules.ballot.kind === "approval") result.ejr = checkEjr(input, outcome, rules.equalSharesUtility);
  if (outcome.equalShares) {
    result.priceable = outcome.equalShares.map((detail) => ({
      potId: detail.potId,
      check: checkPriceSystem(input, detail.potId, detail.fundedByEqualShares, detail.priceSystem),
      fundedAfterwardsIds: detail.fundedByGreedyStep,
    }));
  }
  return result;
}

/** Counts the ballots by every rule (the frozen one decides) and checks each outcome's fairness. */
export function countBallot(rules: BallotRules, rulesHash: string, ballots: readonly Ballot[]): BallotResult {
  const input = countInputOf(rules, ballots);
  const every = countEveryRule(input, rules.equalSharesUtility);
  const votes: Record<string, number> = Object.fromEntries(input.projects.map((p) => [p.id, 0]));
  for (const ballot of ballots) {
    const entries: [string, number][] = ballot.kind === "points" ? Object.entries(ballot.points) : ballot.projectIds.map((id) => [id, 1]);
    for (const [id, n] of entries) if (id in votes) votes[id] += n;
  }
  return {
    version: BALLOT_RESULT_VERSION,
    rulesHash,
    chosenRule: rules.counting,
    ballotCount: ballots.length,
    votes,
    rules: Object.fromEntries(COUNTING_RULES.map((rule) => [rule, ruleResult(input, every[rule], rules)])) as Record<CountingRuleId, RuleResult>,
  };
}

/** The result as canonical JSON (sorted keys): what is stored and hashed. */
export const canonicalResultJson = (result: BallotResult): string => canonicalJson(result);

/** The rule's plain-English text and its tie rule, for the results page. */
export const ruleWords = (rule: CountingRuleId) => ({ text: countingRuleText(rule), tie: tieRuleText(rule) });

/** pabulib's names for the counting rules (its `rule` META row). */
const PABULIB_RULE: Record<CountingRuleId, string> = {
  greedy: "greedy",
  optimum: "optimal",
  "equal-shares": "equalshares",
  phragmen: "phragmen",
};

/**
 * The anonymised `.pb` files (one per pot) of a counted ballot: projects by
 * their reference, with title, votes and whether the frozen rule funded them;
 * ballots numbered in sorted order; the rules' SHA-256 in META so a reader can
 * match the file to the published rules.
 */
export function ballotPabulibFiles(rules: BallotRules, rulesHash: string, ballots: readonly Ballot[], result: BallotResult, fundName: string) {
  const projects = rules.projects ?? [];
  const ref = new Map(projects.map((p) => [p.id, p.reference ?? p.id]));
  const rename = (id: string) => ref.get(id) ?? id;
  const input = countInputOf(rules, ballots);
  const renamed: CountInput = {
    pots: input.pots,
    projects: input.projects.map((p) => ({ ...p, id: rename(p.id) })),
    ballots: input.ballots.map((b): Ballot =>
      b.kind === "points"
        ? { kind: "points", points: Object.fromEntries(Object.entries(b.points).map(([id, n]) => [rename(id), n])) }
        : { kind: b.kind, projectIds: b.projectIds.map(rename) },
    ),
  };
  const limits = rules.ballot;
  return pabulibFilesForCount(
    renamed,
    {
      description: `${fundName}: community vote`,
      country: "United Kingdom",
      unit: fundName,
      instance: (rules.vote?.closesAt ?? "").slice(0, 4) || "vote",
      rule: PABULIB_RULE[rules.counting],
      ...(rules.vote ? { dateBegin: rules.vote.opensAt.slice(0, 10), dateEnd: rules.vote.closesAt.slice(0, 10) } : {}),
      ...(limits.kind === "approval" ? { maxLength: limits.maxProjects } : {}),
      ...(limits.kind === "points" ? { minLength: limits.minProjects, maxSumPoints: limits.totalPoints } : {}),
      extra: { rules_sha256: rulesHash },
    },
    {
      potNames: Object.fromEntries(rules.pots.map((p) => [p.id, p.name])),
      projectNames: Object.fromEntries(projects.map((p) => [rename(p.id), p.title ?? rename(p.id)])),
      fundedIds: result.rules[result.chosenRule].fundedIds.map(rename),
    },
  );
}

// ---------------------------------------------------------------------------
// What the public results page shows.

export interface ResultProjectRow {
  id: string;
  reference: string;
  title: string;
  costPence: number;
  votes: number;
  /** Whether each rule funds it. */
  fundedBy: Record<CountingRuleId, boolean>;
}

export interface ResultPotView {
  id: string;
  name: string;
  budgetPence: number;
  /** The chosen rule's spending in this pot. */
  spentPence: number;
  /** The chosen rule's winners, in the order it funded them. */
  winners: ResultProjectRow[];
  /** Every project in the pot, most votes first (then reference). */
  projects: ResultProjectRow[];
}

export interface RuleComparisonRow {
  rule: CountingRuleId;
  isChosen: boolean;
  fundedCount: number;
  spentPence: number;
  budgetPence: number;
  votersWithFundedProject: number;
  /** Plain words: whether the outcome satisfies EJR, or why it was not checked. */
  ejr: string | null;
  /** Plain words: whether the outcome is priceable (Equal Shares only). */
  priceability: string | null;
}

export interface ResultsView {
  chosenRule: CountingRuleId;
  ballotCount: number;
  pots: ResultPotView[];
  comparison: RuleComparisonRow[];
}

const fairnessWords = {
  ejrSatisfied: "Satisfies EJR: every group of voters who agree, and is big enough, gets its fair share.",
  ejrViolated: (voters: number, refs: string, pot: string) =>
    `Does not satisfy EJR: ${voters} voters all chose ${refs} in ${pot}. Their share of the money would pay for it, but they got less.`,
  ejrTooBig: "Not checked: the check tries every set of projects, so it only runs when each area has 14 projects with votes or fewer.",
  ejrNotApproval: "Not checked: EJR is checked for approval ballots.",
  priceable: "Priceable: each voter's equal share pays for the projects Equal Shares chose, and no other project's voters had enough left to buy it.",
  priceableWithTopUp: (n: number) =>
    `Priceable: each voter's equal share pays for the projects Equal Shares chose. Then ${n} more ${n === 1 ? "was" : "were"} funded from money left over. The check does not cover ${n === 1 ? "it" : "them"}.`,
  notPriceable: (reason: string) => `Not priceable: ${reason}`,
};

/** Everything the results page shows, from the frozen rules and the stored result. */
export function resultsView(rules: BallotRules, result: BallotResult): ResultsView {
  const projects = rules.projects ?? [];
  const refOf = new Map(projects.map((p) => [p.id, p.reference ?? p.id]));
  const potName = new Map(rules.pots.map((p) => [p.id, p.name]));
  const fundedSets = Object.fromEntries(COUNTING_RULES.map((rule) => [rule, new Set(result.rules[rule].fundedIds)])) as Record<CountingRuleId, Set<string>>;
  const rows = new Map(
    projects.map((p): [string, ResultProjectRow] => [
      p.id,
      {
        id: p.id,
        reference: p.reference ?? p.id,
        title: p.title ?? p.reference ?? p.id,
        costPence: p.costPence,
        votes: result.votes[p.id] ?? 0,
        fundedBy: Object.fromEntries(COUNTING_RULES.map((rule) => [rule, fundedSets[rule].has(p.id)])) as Record<CountingRuleId, boolean>,
      },
    ]),
  );
  const chosen = result.rules[result.chosenRule];
  const pots = rules.pots.map((pot): ResultPotView => {
    const outcome = chosen.pots.find((p) => p.potId === pot.id);
    return {
      id: pot.id,
      name: pot.name,
      budgetPence: pot.budgetPence,
      spentPence: outcome?.spentPence ?? 0,
      winners: (outcome?.fundedIds ?? []).map((id) => rows.get(id)!).filter(Boolean),
      projects: projects
        .filter((p) => p.potId === pot.id)
        .map((p) => rows.get(p.id)!)
        .sort((a, b) => b.votes - a.votes || (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0)),
    };
  });
  const ejrWords = (check: EjrCheck | undefined): string | null => {
    if (!check) return null;
    if (check.status === "satisfied") return fairnessWords.ejrSatisfied;
    if (check.status === "violated")
      return fairnessWords.ejrViolated(
        check.voterCount,
        check.projectIds.map((id) => refOf.get(id) ?? id).join(" and "),
        potName.get(check.potId) ?? "the pot",
      );
    return rules.ballot.kind === "approval" ? fairnessWords.ejrTooBig : fairnessWords.ejrNotApproval;
  };
  const priceWords = (r: RuleResult): string | null => {
    if (!r.priceable) return null;
    const failed = r.priceable.find((p) => !p.check.isPriceable);
    if (failed && !failed.check.isPriceable) return fairnessWords.notPriceable(failed.check.reason);
    const toppedUp = r.priceable.reduce((n, p) => n + p.fundedAfterwardsIds.length, 0);
    return toppedUp > 0 ? fairnessWords.priceableWithTopUp(toppedUp) : fairnessWords.priceable;
  };
  const comparison = COUNTING_RULES.map((rule): RuleComparisonRow => {
    const r = result.rules[rule];
    return {
      rule,
      isChosen: rule === result.chosenRule,
      fundedCount: r.fundedIds.length,
      spentPence: r.spentPence,
      budgetPence: r.budgetPence,
      votersWithFundedProject: r.votersWithFundedProject,
      ejr: ejrWords(r.ejr),
      priceability: priceWords(r),
    };
  });
  return { chosenRule: result.chosenRule, ballotCount: result.ballotCount, pots, comparison };
}

/** A share as a whole percentage ("62%"); 0% with no voters. */
export const percentOf = (part: number, whole: number): string => `${whole === 0 ? 0 : Math.round((part / whole) * 100)}%`;

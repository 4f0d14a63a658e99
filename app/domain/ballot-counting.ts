/**
 * Counting a community ballot (issue 12, "Counting rules"): pure functions
 * from the projects (id, cost in pence, pot) and the ballots (approval sets or
 * points) to the funded projects of each pot. Each pot (area) is counted on
 * its own, with its own budget and the voters who chose something in it.
 *
 * The rules (details and sources on each function):
 * - `countGreedy`: most votes first, skipping what no longer fits;
 * - `countOptimum`: the most votes in total that fit, by the exact search in
 *   allocation.ts (value = votes);
 * - `countEqualShares`: the Method of Equal Shares with its completion
 *   (add £1 to every voter's share while the winners still fit, then greedy);
 * - `countPhragmen`: sequential Phragmén.
 * Also: `summariseOutcome` (voters with a funded project, money used),
 * `checkEjr` (exact, by brute force, for small pots) and
 * `checkPriceSystem` (the price system Equal Shares returns).
 *
 * "Votes" for a project are the voters who chose it (approval and knapsack
 * ballots) or the points it was given (points ballots). A project nobody
 * voted for is never funded.
 *
 * Arithmetic: money and votes are whole numbers and greedy, the optimum, the
 * EJR check and the totals are exact. Equal Shares and Phragmén divide money
 * between voters; they work in double-precision floating point in one fixed
 * order (so every run gives the same answer), and treat two prices or times
 * within a billionth of each other as level, so the stated tie rule decides,
 * never rounding noise. Exact fractions were too slow for a city of 79,000
 * ballots counted dozens of times by the completion (decision 0041).
 *
 * Tie rule (Equal Shares, Phragmén, greedy): the cheaper project first; at the
 * same cost, more votes first; then the reference earlier from A to Z
 * (code-unit order). This is the order equalshares.net recommends, with the
 * reference in place of a lot. The optimum uses allocation.ts's own tie rule.
 */
import { recommendAllocation } from "./allocation";
import type { Ballot, CountingRuleId, EqualSharesUtility } from "./ballot-rules";
import { countingRuleText, tieRuleText } from "./ballot-rules";
import { DomainError } from "./errors";

export interface CountProject {
  id: string;
  costPence: number;
  potId: string;
}

export interface CountPot {
  id: string;
  budgetPence: number;
}

export interface CountInput {
  pots: readonly CountPot[];
  projects: readonly CountProject[];
  /** One per voter (the last ballot each voter cast). Unknown project ids are an error. */
  ballots: readonly Ballot[];
}

export interface PotOutcome {
  potId: string;
  budgetPence: number;
  /** In the order the rule funded them. */
  fundedIds: string[];
  spentPence: number;
  /** Voters who chose at least one project in this pot. */
  voterCount: number;
}

/** What Equal Shares did in one pot, and the price system that shows its winners are priceable. */
export interface EqualSharesPotDetail {
  potId: string;
  /** Each voter's share in the run whose winners were kept (the pot's budget ÷ voters, plus any £1 steps). */
  perVoterSharePence: number;
  /** How many £1 steps the completion added to each share. */
  completionSteps: number;
  /** Funded by Equal Shares itself, in order. */
  fundedByEqualShares: string[];
  /** Funded afterwards by the greedy step, from money Equal Shares left. */
  fundedByGreedyStep: string[];
  priceSystem: PriceSystem;
}

/** A price system: each voter's budget and what each paid towards each project (pence; fractions allowed). */
export interface PriceSystem {
  perVoterBudgetPence: number;
  /** voter = the ballot's index in `CountInput.ballots`. Only payments above 0 are listed. */
  payments: { voter: number; projectId: string; amountPence: number }[];
}

export interface CountOutcome {
  rule: CountingRuleId;
  /** Every pot's funded projects, pot by pot (in the order of `CountInput.pots`). */
  fundedIds: string[];
  pots: PotOutcome[];
  spentPence: number;
  budgetPence: number;
  ruleText: string;
  tieRuleText: string;
  /** Equal Shares only. */
  equalShares?: EqualSharesPotDetail[];
}

/** Two prices or times this close (relative) count as level, and the tie rule decides. */
export const LEVEL_TOLERANCE = 1e-9;

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One pot, ready to count: projects in reference order, each voter's choices as indices. */
interface PotView {
  pot: CountPot;
  projects: CountProject[];
  /** Votes (approvals or points) per project. */
  votes: number[];
  /** supporters[j]: local voter indices; weights[j]: their points (1 for approval). */
  supporters: Int32Array[];
  weights: Float64Array[];
  /** choices[v]: project indices voter v chose (points above 0). */
  choices: number[][];
  /** voterBallot[v]: the voter's index in the input's ballots. */
  voterBallot: Int32Array;
  isPoints: boolean;
}

/** Throws a DomainError for invalid input; returns each pot ready to count. */
function prepare(input: CountInput): PotView[] {
  const potIds = new Set<string>();
  for (const pot of input.pots) {
    if (potIds.has(pot.id)) throw new DomainError(`The pot ${pot.id} is listed twice`);
    potIds.add(pot.id);
    if (!Number.isSafeInteger(pot.budgetPence) || pot.budgetPence < 0)
      throw new DomainError(`The budget of ${pot.id} must be a whole number of pence, 0 or more`);
  }
  const projectById = new Map<string, CountProject>();
  for (const project of input.projects) {
    if (projectById.has(project.id)) throw new DomainError(`The project ${project.id} is listed twice`);
    if (!Number.isSafeInteger(project.costPence) || project.costPence <= 0)
      throw new DomainError(`The cost of ${project.id} must be a whole number of pence, more than 0`);
    if (!potIds.has(project.potId)) throw new DomainError(`The project ${project.id} is in a pot that is not listed (${project.potId})`);
    projectById.set(project.id, project);
  }
  const kinds = new Set(input.ballots.map((b) => (b.kind === "points" ? "points" : "approval")));
  if (kinds.size > 1) throw new DomainError("The ballots mix points with approval ballots; count one kind at a time");
  const isPoints = kinds.has("points");

  // One pass over the ballots for every pot: city-scale counts have tens of thousands of ballots.
  const pots = input.pots.map((pot) => {
    const projects = input.projects.filter((p) => p.potId === pot.id).sort((a, b) => byCodeUnits(a.id, b.id));
    return {
      pot,
      projects,
      sup: projects.map((): number[] => []),
      wts: projects.map((): number[] => []),
      choices: [] as number[][],
      voterBallot: [] as number[],
    };
  });
  const where = new Map<string, { k: number; j: number }>();
  pots.forEach((p, k) => p.projects.forEach((project, j) => where.set(project.id, { k, j })));
  // The ballot being read: its choices in each pot (mine[k], the first mineCount[k]), and the pots it touched.
  const mine = pots.map((): number[] => []);
  const mineCount = new Int32Array(pots.length);
  const touched = new Int32Array(pots.length);
  let touchedCount = 0;
  const choose = (id: string, weight: number) => {
    const at = where.get(id);
    if (!at) throw new DomainError(`A ballot chooses ${id}, which is not on the ballot`);
    if (!Number.isSafeInteger(weight) || weight < 0) throw new DomainError(`A ballot gives ${id} ${weight} points; points must be whole numbers, 0 or more`);
    if (weight === 0) return;
    const list = mine[at.k];
    const count = mineCount[at.k];
    for (let i = 0; i < count; i += 1) if (list[i] === at.j) throw new DomainError(`A ballot chooses ${id} twice`);
    if (count === 0) touched[touchedCount++] = at.k;
    list[count] = at.j;
    mineCount[at.k] = count + 1;
    const target = pots[at.k];
    target.sup[at.j].push(target.voterBallot.length);
    target.wts[at.j].push(weight);
  };
  input.ballots.forEach((ballot, b) => {
    if (ballot.kind === "points") for (const [id, weight] of Object.entries(ballot.points)) choose(id, weight);
    else for (const id of ballot.projectIds) choose(id, 1);
    for (let t = 0; t < touchedCount; t += 1) {
      const k = touched[t];
      pots[k].voterBallot.push(b);
      pots[k].choices.push(mine[k].slice(0, mineCount[k]));
      mineCount[k] = 0;
    }
    touchedCount = 0;
  });
  return pots.map(({ pot, projects, sup, wts, choices, voterBallot }) => ({
    pot,
    projects,
    votes: wts.map((w) => w.reduce((s, x) => s + x, 0)),
    supporters: sup.map((s) => Int32Array.from(s)),
    weights: wts.map((w) => Float64Array.from(w)),
    choices,
    voterBallot: Int32Array.from(voterBallot),
    isPoints,
  }));
}

/** The stated tie rule over project indices: cheaper first, then more votes, then reference A to Z. */
function tieOrder(view: PotView) {
  return (a: number, b: number) =>
    view.projects[a].costPence - view.projects[b].costPence || view.votes[b] - view.votes[a] || byCodeUnits(view.projects[a].id, view.projects[b].id);
}

/** Greedy order: more votes first, then the tie rule. Projects without votes are left out. */
function greedyOrder(view: PotView): number[] {
  const tie = tieOrder(view);
  return view.projects
    .map((_, j) => j)
    .filter((j) => view.votes[j] > 0)
    .sort((a, b) => view.votes[b] - view.votes[a] || tie(a, b));
}

function finish(rule: CountingRuleId, views: PotView[], funded: number[][], extra: Partial<CountOutcome> = {}): CountOutcome {
  const pots = views.map((view, k): PotOutcome => {
    const ids = funded[k].map((j) => view.projects[j].id);
    const spent = funded[k].reduce((s, j) => s + view.projects[j].costPence, 0);
    return { potId: view.pot.id, budgetPence: view.pot.budgetPence, fundedIds: ids, spentPence: spent, voterCount: view.voterBallot.length };
  });
  return {
    rule,
    fundedIds: pots.flatMap((p) => p.fundedIds),
    pots,
    spentPence: pots.reduce((s, p) => s + p.spentPence, 0),
    budgetPence: pots.reduce((s, p) => s + p.budgetPence, 0),
    ruleText: countingRuleText(rule),
    tieRuleText: tieRuleText(rule),
    ...extra,
  };
}

/**
 * Greedy by votes, in each pot: go down the projects from most votes to
 * fewest, funding each that still fits in what is left of the pot, and
 * skipping (not stopping at) one that does not. Tie rule: at equal votes the
 * cheaper project first, then the reference A to Z. Exact (whole numbers).
 */
export function countGreedy(input: CountInput): CountOutcome {
  return greedyOf(prepare(input));
}

function greedyOf(views: PotView[]): CountOutcome {
  return finish(
    "greedy",
    views,
    views.map((view) => greedyFill(view, [], view.pot.budgetPence)),
  );
}

/** Adds projects in greedy order that fit in `left`, after those already funded. */
function greedyFill(view: PotView, already: readonly number[], left: number): number[] {
  const funded = [...already];
  const isFunded = new Set(already);
  for (const j of greedyOrder(view)) {
    if (isFunded.has(j)) continue;
    if (view.projects[j].costPence <= left) {
      funded.push(j);
      left -= view.projects[j].costPence;
    }
  }
  return funded;
}

/**
 * The exact optimum in each pot: of every set of projects whose costs fit in
 * the pot, the one with the most votes added together. It reuses the
 * allocation's branch and bound (`recommendAllocation`, value = votes, no
 * part-funding), so it is exact, and its tie rule is the allocation's (better
 * value for money where equal sets first differ; `tieRuleText("optimum")`).
 * Funded projects are listed in the allocation's ranking order (votes, then reference).
 */
export function countOptimum(input: CountInput): CountOutcome {
  return optimumOf(prepare(input));
}

function optimumOf(views: PotView[]): CountOutcome {
  const funded = views.map((view) => {
    const candidates = view.projects.map((p, j) => ({ reference: p.id, value: view.votes[j], askPence: p.costPence })).filter((c) => c.value > 0);
    if (candidates.length === 0) return [];
    const maxCost = candidates.reduce((m, c) => Math.max(m, c.askPence), 0);
    const result = recommendAllocation(candidates, {
      potPence: view.pot.budgetPence,
      minGrantPence: 0,
      maxGrantPence: Math.max(maxCost, view.pot.budgetPence),
      isPartFundingAllowed: false,
    });
    if (!result.isFeasible) throw new DomainError(result.reason);
    const index = new Map(view.projects.map((p, j) => [p.id, j]));
    return result.optimum.fundedReferences.map((id) => index.get(id)!);
  });
  return finish("optimum", views, funded);
}

export interface EqualSharesOptions {
  /** How approval and knapsack ballots are valued (points ballots use the points). Default "cost". */
  utility?: EqualSharesUtility;
  /** Run the completion (add £1 per voter, then greedy). Default true; false gives the plain method. */
  isCompleted?: boolean;
}

/** The completion raises each voter's share by this much at a time (£1, as equalshares.net's "100, 101, 102…"). */
export const COMPLETION_STEP_PENCE = 100;

interface MesRun {
  funded: number[];
  spent: number;
  /** Every payment, in the order paid: voter class, project, amount (each voter of the class paid it). */
  payClass: number[];
  payProject: number[];
  payAmount: number[];
}

/**
 * The Method of Equal Shares (Peters & Skowron 2020, "Proportionality and the
 * limits of welfarism"; Peters, Pierczyński & Skowron 2021, "Proportional
 * participatory budgeting with additive utilities"), in each pot:
 * 1. The pot is shared equally between the voters who chose something in it.
 * 2. A project can be funded if its supporters can pay its cost from what
 *    they have left, each paying in proportion to their utility for it but
 *    never more than they have (the cost is split as equally as possible).
 *    Of those, the one needing the smallest price per unit of utility is
 *    funded and its supporters pay. With utility "cost" this is the project
 *    with the highest "effective vote count" (equalshares.net); with
 *    "approval" it is the one with the smallest largest payment.
 * 3. Repeat until no project can be paid for.
 * Completion (equalshares.net, "Completion"): while some project with votes
 * still fits in the money left, add £1 to every voter's starting share and
 * count again; keep the last outcome that fits in the pot and stop at the
 * first that does not (or once one share alone is the whole pot). Then fund
 * projects by greedy (most votes first) with what is left.
 * Tie rule: the cheaper project, then more votes, then reference A to Z.
 * Returns, per pot, the price system of the kept run (`checkPriceSystem`).
 *
 * At city scale (decision 0045): voters who chose the same projects (with the
 * same points) always hold and pay the same, so each such class is counted
 * once, weighted by its size; and a project is priced again only when its last
 * price (prices only rise) could still be level with the best. The winners,
 * the steps and the shares are those of counting voter by voter.
 */
export function countEqualShares(input: CountInput, options: EqualSharesOptions = {}): CountOutcome {
  return equalSharesOf(prepare(input), options);
}

function equalSharesOf(views: PotView[], options: EqualSharesOptions): CountOutcome {
  const utility = options.utility ?? "cost";
  const isCompleted = options.isCompleted ?? true;
  const details: EqualSharesPotDetail[] = [];
  const funded = views.map((view) => {
    const n = view.voterBallot.length;
    const budget = view.pot.budgetPence;
    const empty: EqualSharesPotDetail = {
      potId: view.pot.id,
      perVoterSharePence: 0,
      completionSteps: 0,
      fundedByEqualShares: [],
      fundedByGreedyStep: [],
      priceSystem: { perVoterBudgetPence: 0, payments: [] },
    };
    if (n === 0) {
      details.push(empty);
      return [];
    }
    const classes = voterClasses(view, utilities(view, utility));
    const start = budget / n;
    let share = start;
    let steps = 0;
    let kept = runEqualShares(view, classes, share, Infinity, true);
    if (isCompleted) {
      while (!isExhaustive(view, kept.funded, budget - kept.spent)) {
        const next = start + (steps + 1) * COMPLETION_STEP_PENCE;
        if (next > budget + COMPLETION_STEP_PENCE) break;
        // A run stops as soon as it overspends: that outcome is not kept whatever it would fund next.
        const run = runEqualShares(view, classes, next, budget, false);
        if (run.spent > budget) break;
        kept = run;
        share = next;
        steps += 1;
      }
      // The payments of the run kept: the same run again, this time writing them down.
      if (steps > 0) kept = runEqualShares(view, classes, share, Infinity, true);
    }
    const all = isCompleted ? greedyFill(view, kept.funded, budget - kept.spent) : kept.funded;
    details.push({
      ...empty,
      perVoterSharePence: share,
      completionSteps: steps,
      fundedByEqualShares: kept.funded.map((j) => view.projects[j].id),
      fundedByGreedyStep: all.slice(kept.funded.length).map((j) => view.projects[j].id),
      priceSystem: { perVoterBudgetPence: share, payments: voterPayments(view, classes, kept) },
    });
    return all;
  });
  return finish("equal-shares", views, funded, { equalShares: details });
}

/** utilities[j][k]: the utility of project j to its k-th supporter. */
function utilities(view: PotView, utility: EqualSharesUtility): Float64Array[] {
  if (view.isPoints) return view.weights;
  if (utility === "approval") return view.weights; // all 1
  return view.weights.map((w, j) => w.map(() => view.projects[j].costPence));
}

/** True when no unfunded project with votes fits in `left`. */
function isExhaustive(view: PotView, funded: readonly number[], left: number): boolean {
  const isFunded = new Set(funded);
  return view.projects.every((p, j) => isFunded.has(j) || view.votes[j] === 0 || p.costPence > left);
}

const isLevel = (a: number, b: number) => Math.abs(a - b) <= LEVEL_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));

/** A pot's voters grouped by what they chose (and the points they gave): every voter of a class holds and pays the same. */
interface VoterClasses {
  /** classOf[v]: the class of local voter v. */
  classOf: Int32Array;
  /** How many voters each class has. */
  size: Float64Array;
  /** Per project: the classes that chose it, their utility for it, and their size. */
  supClass: Int32Array[];
  supUtil: Float64Array[];
  supSize: Float64Array[];
  /** Per project: its supporters' utilities added up. No price per unit of utility is below cost ÷ this. */
  utilSum: Float64Array;
  /** Per project: the projects that share a class with it (itself included), whose prices change when it is paid for. */
  neighbours: Int32Array[];
}

function voterClasses(view: PotView, util: Float64Array[]): VoterClasses {
  const n = view.voterBallot.length;
  const m = view.projects.length;
  // A voter's key: the set chosen as a number (a bit per project) for approval ballots in a pot of up to 52 projects;
  // otherwise text listing each project chosen and the points given (the utility follows from them).
  const bit = view.isPoints || m > 52 ? null : Array.from({ length: m }, (_, j) => 2 ** j);
  let textKeys: string[] | null = null;
  if (!bit) {
    const keys = new Array<string>(n).fill("");
    view.supporters.forEach((sup, j) => sup.forEach((v, k) => (keys[v] += `${j}:${view.weights[j][k]},`)));
    textKeys = keys;
  }
  const index = new Map<number | string, number>();
  const classOf = new Int32Array(n);
  const sizes: number[] = [];
  const firstVoter: number[] = [];
  for (let v = 0; v < n; v += 1) {
    let key: number | string;
    if (bit) {
      key = 0;
      for (const j of view.choices[v]) key += bit[j];
    } else key = textKeys![v];
    let c = index.get(key);
    if (c === undefined) {
      c = sizes.length;
      index.set(key, c);
      sizes.push(0);
      firstVoter.push(v);
    }
    sizes[c] += 1;
    classOf[v] = c;
  }
  const classCount = sizes.length;
  const size = new Float64Array(classCount);
  const utilOf = new Float64Array(classCount);
  const supClass: Int32Array[] = [];
  const supUtil: Float64Array[] = [];
  const supSize: Float64Array[] = [];
  const utilSum = new Float64Array(m);
  view.supporters.forEach((sup, j) => {
    const seen: number[] = [];
    sup.forEach((v, k) => {
      const c = classOf[v];
      utilSum[j] += util[j][k];
      if (size[c] === 0) seen.push(c);
      size[c] += 1;
      utilOf[c] = util[j][k];
    });
    // In class order, so that pricing and paying walk the budgets from start to end.
    const cs = Int32Array.from(seen).sort();
    supClass.push(cs);
    supUtil.push(Float64Array.from(cs, (c) => utilOf[c]));
    supSize.push(Float64Array.from(cs, (c) => size[c]));
    for (const c of cs) size[c] = 0;
  });
  const neighbours = supClass.map((cs) => {
    const isNeighbour = new Uint8Array(m);
    for (const c of cs) for (const other of view.choices[firstVoter[c]]) isNeighbour[other] = 1;
    return Int32Array.from(view.projects.keys()).filter((j) => isNeighbour[j] === 1);
  });
  return { classOf, size: Float64Array.from(sizes), supClass, supUtil, supSize, utilSum, neighbours };
}

/**
 * A project whose last price is more than this fraction above the best price
 * priced this round cannot be level with it (prices only rise as voters pay),
 * so it is not priced again this round. Far wider than LEVEL_TOLERANCE and the
 * money tolerance, so it never hides a project that could win or tie.
 */
const STALE_SLACK = 1e-4;

/**
 * One run of the plain method with every voter starting at `share` pence. It
 * stops early once more than `spendLimit` is spent (the completion throws such
 * a run away). Payments are written down only when `isRecorded`.
 */
function runEqualShares(view: PotView, classes: VoterClasses, share: number, spendLimit: number, isRecorded: boolean): MesRun {
  const m = view.projects.length;
  const { supClass, supUtil, supSize } = classes;
  const budget = new Float64Array(classes.size.length).fill(share);
  const payClass: number[] = [];
  const payProject: number[] = [];
  const payAmount: number[] = [];
  const tie = tieOrder(view);
  const isOpen = Uint8Array.from(view.votes, (v) => (v > 0 ? 1 : 0));
  // price[j]: the price per unit of utility when isFresh[j], otherwise a lower bound (an earlier price, or cost ÷ utilities).
  const price = Float64Array.from(view.projects, (p, j) => p.costPence / classes.utilSum[j]);
  const isFresh = new Uint8Array(m);
  const funded: number[] = [];
  let spent = 0;

  // The smallest price per unit of utility ρ at which supporters can pay for j (each pays min(budget, utility × ρ)),
  // or Infinity. Found by capping: start from an equal split, take everything from those who cannot pay their part,
  // split the rest among the others, and repeat until nobody new is capped (ρ only rises, so at most one pass per
  // class, and two or three in practice).
  const priceOf = (j: number): number => {
    const sup = supClass[j];
    const u = supUtil[j];
    const w = supSize[j];
    const cost = view.projects[j].costPence;
    let rho = cost / classes.utilSum[j];
    // The first pass adds up what the supporters hold, and caps at the equal split.
    let total = 0;
    let remaining = cost;
    let uncapped = 0;
    let count = 0;
    let largest = 0;
    for (let k = 0; k < sup.length; k += 1) {
      const b = budget[sup[k]];
      total += w[k] * b;
      if (b < u[k] * rho) {
        remaining -= w[k] * b;
        count += 1;
        largest = Math.max(largest, b / u[k]);
      } else uncapped += w[k] * u[k];
    }
    if (total < cost - moneyTolerance(cost)) return Infinity;
    let cappedCount = -1;
    for (;;) {
      // Everyone capped: they pay all they have, which (within rounding) is the cost.
      if (uncapped === 0) return largest;
      if (count === cappedCount) return rho;
      cappedCount = count;
      const next = Math.max(rho, remaining / uncapped);
      // The same ρ caps the same voters again.
      if (next === rho) return rho;
      rho = next;
      remaining = cost;
      uncapped = 0;
      count = 0;
      largest = 0;
      for (let k = 0; k < sup.length; k += 1) {
        const b = budget[sup[k]];
        if (b < u[k] * rho) {
          remaining -= w[k] * b;
          count += 1;
          largest = Math.max(largest, b / u[k]);
        } else uncapped += w[k] * u[k];
      }
    }
  };

  for (;;) {
    // Price again, lowest bound first, every project that could be level with or below the best price so far.
    for (;;) {
      let bestFresh = Infinity;
      let stale = -1;
      for (let j = 0; j < m; j += 1) {
        if (!isOpen[j]) continue;
        if (isFresh[j]) bestFresh = Math.min(bestFresh, price[j]);
        else if (stale === -1 || price[j] < price[stale]) stale = j;
      }
      if (stale === -1 || price[stale] > bestFresh * (1 + STALE_SLACK)) break;
      const rho = priceOf(stale);
      // Budgets only go down, so a project that cannot be paid for now never can.
      if (rho === Infinity) isOpen[stale] = 0;
      else {
        price[stale] = rho;
        isFresh[stale] = 1;
      }
    }
    // The projects not priced again are far above the best, so this is the choice among every project.
    let best = -1;
    for (let j = 0; j < m; j += 1) {
      if (!isOpen[j] || !isFresh[j]) continue;
      if (best === -1 || (isLevel(price[j], price[best]) ? tie(j, best) < 0 : price[j] < price[best])) best = j;
    }
    if (best === -1) break;
    isOpen[best] = 0;
    funded.push(best);
    spent += view.projects[best].costPence;
    const sup = supClass[best];
    const u = supUtil[best];
    const rho = price[best];
    let isPaid = false;
    for (let k = 0; k < sup.length; k += 1) {
      const c = sup[k];
      const pay = Math.min(budget[c], u[k] * rho);
      if (pay <= 0) continue;
      budget[c] -= pay;
      isPaid = true;
      if (isRecorded) {
        payClass.push(c);
        payProject.push(best);
        payAmount.push(pay);
      }
    }
    // Its neighbours' prices may have risen (priced again only when they could win). Pricing again a project whose
    // voters did not pay gives the price it had.
    if (isPaid) for (const other of classes.neighbours[best]) isFresh[other] = 0;
    if (spent > spendLimit) break;
  }
  return { funded, spent, payClass, payProject, payAmount };
}

/** A run's payments voter by voter: project by project as paid, each project's payers in ballot order. */
function voterPayments(view: PotView, classes: VoterClasses, run: MesRun): PriceSystem["payments"] {
  const payments: PriceSystem["payments"] = [];
  const amount = new Float64Array(classes.size.length);
  for (let i = 0; i < run.payProject.length;) {
    const j = run.payProject[i];
    const from = i;
    for (; i < run.payProject.length && run.payProject[i] === j; i += 1) amount[run.payClass[i]] = run.payAmount[i];
    const projectId = view.projects[j].id;
    for (const v of view.supporters[j]) {
      const a = amount[classes.classOf[v]];
      if (a > 0) payments.push({ voter: view.voterBallot[v], projectId, amountPence: a });
    }
    for (let k = from; k < i; k += 1) amount[run.payClass[k]] = 0;
  }
  return payments;
}

/** Money sums of many voters' shares carry rounding of about a millionth of a penny. */
function moneyTolerance(cost: number): number {
  return Math.max(1e-6, cost * 1e-12);
}

/**
 * Sequential Phragmén (Phragmén 1894; as stated in Brill, Freeman, Janson &
 * Lackner 2017 and Lackner & Skowron 2023, "Multi-winner voting with approval
 * preferences", extended to costs as in Los, Christoff & Grossi 2022): every
 * voter earns money at the same steady rate. A project can be bought once its
 * supporters together hold its cost; the first project that can be bought is
 * funded, and its supporters spend everything they hold on it (their "load"
 * becomes the time of purchase). A project that no longer fits in what is left
 * of the pot is dropped, and the count goes on with the rest. Points ballots
 * are read as approval of every project given at least one point.
 * Tie rule: the cheaper project, then more votes, then reference A to Z.
 */
export function countPhragmen(input: CountInput): CountOutcome {
  return phragmenOf(prepare(input));
}

function phragmenOf(views: PotView[]): CountOutcome {
  const funded = views.map((view) => {
    const n = view.voterBallot.length;
    const m = view.projects.length;
    const load = new Float64Array(n);
    const loadSum = new Float64Array(m);
    const isOpen = view.projects.map((_, j) => view.supporters[j].length > 0);
    const tie = tieOrder(view);
    const chosen: number[] = [];
    let left = view.pot.budgetPence;
    for (;;) {
      let best = -1;
      let bestTime = Infinity;
      for (let j = 0; j < m; j += 1) {
        if (!isOpen[j]) continue;
        const cost = view.projects[j].costPence;
        if (cost > left) {
          isOpen[j] = false;
          continue;
        }
        const time = (cost + loadSum[j]) / view.supporters[j].length;
        if (best === -1 || (isLevel(time, bestTime) ? tie(j, best) < 0 : time < bestTime)) {
          best = j;
          bestTime = time;
        }
      }
      if (best === -1) break;
      isOpen[best] = false;
      chosen.push(best);
      left -= view.projects[best].costPence;
      for (const v of view.supporters[best]) {
        const change = bestTime - load[v];
        load[v] = bestTime;
        for (const other of view.choices[v]) loadSum[other] += change;
      }
    }
    return chosen;
  });
  return finish("phragmen", views, funded);
}

/** Counts by the named rule (Equal Shares with its completion and the given utility). */
export function countByRule(input: CountInput, rule: CountingRuleId, utility: EqualSharesUtility = "cost"): CountOutcome {
  switch (rule) {
    case "greedy":
      return countGreedy(input);
    case "optimum":
      return countOptimum(input);
    case "equal-shares":
      return countEqualShares(input, { utility });
    case "phragmen":
      return countPhragmen(input);
  }
}

/** Every rule's outcome, for the results page's comparison. The ballots are read once for all four. */
export function countEveryRule(input: CountInput, utility: EqualSharesUtility = "cost"): Record<CountingRuleId, CountOutcome> {
  const views = prepare(input);
  return {
    greedy: greedyOf(views),
    optimum: optimumOf(views),
    "equal-shares": equalSharesOf(views, { utility }),
    phragmen: phragmenOf(views),
  };
}

export interface OutcomeSummary {
  /** Every ballot counted (voters with nothing chosen included). */
  voterCount: number;
  /** Voters who chose at least one funded project. */
  votersWithFundedProject: number;
  /** votersWithFundedProject ÷ voterCount (0 with no voters). */
  shareWithFundedProject: number;
  spentPence: number;
  budgetPence: number;
  /** Money used per pot (area), in the order of the input's pots. */
  byPot: { potId: string; spentPence: number; budgetPence: number; fundedCount: number }[];
}

/** The share of voters with at least one funded project, and money used in all and per pot. Exact counts. */
export function summariseOutcome(input: CountInput, outcome: CountOutcome): OutcomeSummary {
  const funded = new Set(outcome.fundedIds);
  let withFunded = 0;
  for (const ballot of input.ballots) {
    const ids = ballot.kind === "points" ? Object.keys(ballot.points).filter((id) => ballot.points[id] > 0) : ballot.projectIds;
    if (ids.some((id) => funded.has(id))) withFunded += 1;
  }
  return {
    voterCount: input.ballots.length,
    votersWithFundedProject: withFunded,
    shareWithFundedProject: input.ballots.length === 0 ? 0 : withFunded / input.ballots.length,
    spentPence: outcome.spentPence,
    budgetPence: outcome.budgetPence,
    byPot: outcome.pots.map((p) => ({ potId: p.potId, spentPence: p.spentPence, budgetPence: p.budgetPence, fundedCount: p.fundedIds.length })),
  };
}

export type EjrCheck =
  | { status: "satisfied"; method: string }
  | { status: "violated"; method: string; potId: string; projectIds: string[]; voterCount: number }
  | { status: "not-checked"; method: string; reason: string };

/** Pots with more projects than this (with votes) are not checked: the check tries every set of them. */
export const EJR_MAX_PROJECTS = 14;

/**
 * Extended Justified Representation for approval ballots (Peters,
 * Pierczyński & Skowron 2021, for costs): a group of voters who all chose
 * every project of a set T, and whose share of the pot (group size ÷ voters
 * × budget) pays for T, must contain someone who already gains at least
 * what T would give them from the funded projects: |T| funded projects they
 * chose ("approval" utility) or that much money ("cost" utility).
 *
 * Exact, by brute force: every set T in every pot is tried, and for each the
 * largest such group (everyone who chose all of T and gains less than T
 * gives). So only pots with up to EJR_MAX_PROJECTS projects with votes are
 * checked; otherwise the answer is "not-checked". Whole numbers only. Points
 * ballots are "not-checked" (EJR here is stated for approval ballots).
 */
export function checkEjr(input: CountInput, outcome: CountOutcome, utility: EqualSharesUtility = "approval"): EjrCheck {
  const method = `Exact check by trying every set of projects (pots of up to ${EJR_MAX_PROJECTS} projects with votes), valuing a funded project as ${utility === "cost" ? "its cost" : "1"}.`;
  const views = prepare(input);
  if (views.some((v) => v.isPoints)) return { status: "not-checked", method, reason: "EJR is checked for approval ballots only." };
  const funded = new Set(outcome.fundedIds);
  for (const view of views) {
    const live = view.projects.map((_, j) => j).filter((j) => view.votes[j] > 0);
    if (live.length > EJR_MAX_PROJECTS) {
      return { status: "not-checked", method, reason: `${view.pot.id} has ${live.length} projects with votes; the exact check stops at ${EJR_MAX_PROJECTS}.` };
    }
    const bit = new Map(live.map((j, k) => [j, k]));
    const cost = live.map((j) => view.projects[j].costPence);
    const fundedMask = live.reduce((mask, j, k) => (funded.has(view.projects[j].id) ? mask | (1 << k) : mask), 0);
    const masks = view.choices.map((list) => list.reduce((mask, j) => mask | (1 << bit.get(j)!), 0));
    const valueOf = (mask: number) => {
      let total = 0;
      for (let k = 0; k < live.length; k += 1) if (mask & (1 << k)) total += utility === "cost" ? cost[k] : 1;
      return total;
    };
    const n = BigInt(view.voterBallot.length);
    const budget = BigInt(view.pot.budgetPence);
    const gains = masks.map((mask) => valueOf(mask & fundedMask));
    for (let t = 1; t < 1 << live.length; t += 1) {
      let costOfT = 0;
      for (let k = 0; k < live.length; k += 1) if (t & (1 << k)) costOfT += cost[k];
      if (costOfT > view.pot.budgetPence) continue;
      const valueOfT = valueOf(t);
      let group = 0;
      for (let v = 0; v < masks.length; v += 1) if ((masks[v] & t) === t && gains[v] < valueOfT) group += 1;
      // Cohesive: group/n × budget ≥ cost(T), compared exactly.
      if (group > 0 && BigInt(group) * budget >= BigInt(costOfT) * n) {
        return {
          status: "violated",
          method,
          potId: view.pot.id,
          projectIds: live.filter((_, k) => t & (1 << k)).map((j) => view.projects[j].id),
          voterCount: group,
        };
      }
    }
  }
  return { status: "satisfied", method };
}

export type PriceSystemCheck = { isPriceable: true } | { isPriceable: false; reason: string };

/**
 * Checks that a price system supports the funded projects of one pot
 * (Peters & Skowron 2020; Peters, Pierczyński & Skowron 2021): voters pay only
 * for funded projects they chose; nobody pays more than their budget; each
 * funded project is paid for exactly; and no unfunded project's supporters
 * hold more, between them, than its cost. Amounts within a millionth of a
 * penny count as equal.
 */
export function checkPriceSystem(input: CountInput, potId: string, fundedIds: readonly string[], priceSystem: PriceSystem): PriceSystemCheck {
  const view = prepare(input).find((v) => v.pot.id === potId);
  if (!view) return { isPriceable: false, reason: `There is no pot ${potId}.` };
  const funded = new Set(fundedIds);
  const local = new Map(Array.from(view.voterBallot, (b, v) => [b, v]));
  const index = new Map(view.projects.map((p, j) => [p.id, j]));
  const spent = new Float64Array(view.voterBallot.length);
  const paid = new Float64Array(view.projects.length);
  for (const { voter, projectId, amountPence } of priceSystem.payments) {
    const v = local.get(voter);
    const j = index.get(projectId);
    if (v === undefined || j === undefined || !view.choices[v].includes(j))
      return { isPriceable: false, reason: `Voter ${voter} pays for ${projectId}, which they did not choose.` };
    if (!funded.has(projectId)) return { isPriceable: false, reason: `Voter ${voter} pays for ${projectId}, which is not funded.` };
    if (amountPence < 0) return { isPriceable: false, reason: `Voter ${voter} pays a negative amount.` };
    spent[v] += amountPence;
    paid[j] += amountPence;
  }
  const b = priceSystem.perVoterBudgetPence;
  for (let v = 0; v < spent.length; v += 1) {
    if (spent[v] > b + moneyTolerance(b)) return { isPriceable: false, reason: `Voter ${view.voterBallot[v]} pays more than their budget.` };
  }
  for (const [j, project] of view.projects.entries()) {
    if (funded.has(project.id)) {
      if (Math.abs(paid[j] - project.costPence) > moneyTolerance(project.costPence))
        return { isPriceable: false, reason: `${project.id} is not paid for exactly.` };
    } else {
      let left = 0;
      for (const v of view.supporters[j]) left += b - spent[v];
      if (left > project.costPence + moneyTolerance(project.costPence)) {
        return { isPriceable: false, reason: `${project.id} is not funded, but its supporters have more than its cost left.` };
      }
    }
  }
  return { isPriceable: true };
}

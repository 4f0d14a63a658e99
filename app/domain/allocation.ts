/**
 * The allocation recommendation: among the proposals a decision group's panel
 * supports, the set with the greatest total value (a score, or a count of
 * votes) that fits the group's pot, with each grant between the group's
 * minimum and maximum grant, and optionally part-funding down to the floor
 * each applicant said they could accept. The chair can pin proposals in or
 * out to see a what-if.
 *
 * It is an exact optimum (0/1 knapsack by branch and bound), not a walk down
 * the ranking; that walk ("greedy") is returned beside it so the panel sees
 * what the optimum gains. Pure and deterministic: money is integer pence, no
 * clocks or randomness, and every rule is returned in plain English.
 *
 * Method, and why (decisions 0034 and 0039):
 * - Value does not depend on the amount offered, so a set can be funded
 *   exactly when its floors (or full asks, without part-funding) fit the pot.
 *   The search uses those as weights; leftover money is then shared out.
 * - Pots are hundreds of millions of pence, so dynamic programming over money
 *   is out; over value it would need values rounded coarsely. The search is
 *   branch and bound, with four things that make it fast on the hard inputs
 *   (values nearly all equal that rise with the ask, and scores of 35–38 out
 *   of 50 that drift up with it), which once took minutes for 1,000:
 *   1. A Lagrangian bound. At most `count` proposals fit in the pot, so for any
 *      λ ≥ 0 no set is worth more than λ·count plus Dantzig's fractional bound
 *      on the values less λ. The best λ is found by a golden-section search.
 *      When values are nearly equal this is far tighter than Dantzig alone.
 *   2. A good set to start from: the best of going down the ranking, down the
 *      value-for-money order and down the order of value less λ per pound,
 *      then improved by swapping one proposal for another while that helps.
 *   3. Reduction. Each proposal's reduced value (v − λ − μ·w, with μ the value
 *      per pound where the bound's fill stops) is how far the bound falls if
 *      it is forced the other way. If that takes the bound below the start
 *      set, no set as good decides it the other way: it is fixed in or out. On
 *      the score-like groups this leaves 15–45 of 1,000 proposals to search.
 *   4. Exact bounds. Bounds are rounded down to a whole millionth (or to the
 *      values' common step) in exact integer arithmetic, and the Lagrangian
 *      bound also uses that at most `count` more can be added (so no more than
 *      the `count` largest values less λ). Values that rise with the ask leave
 *      nothing to fix, and these make the bound exact there.
 * - Values are rounded to the nearest millionth and searched as whole numbers,
 *   so equal totals are recognised as equal (0.1 + 0.2 is 0.3) and ties are
 *   broken by the stated rule, not by floating-point noise.
 * - The tie rule costs nothing. Reduction only fixes a proposal when no set as
 *   good as one already found decides it the other way, so every optimal set
 *   agrees on it. The rest is searched depth first in value-for-money order
 *   (value per pound of the floor or ask), trying "fund" before "don't fund",
 *   from one below the start set's value, accepting only strictly better sets.
 *   So the first best set it finds is, among all equally valuable sets, the one
 *   that funds the better value-for-money proposal where they first differ. It
 *   stops there if that set reaches the root bound.
 * - Knapsack is NP-hard, so some inputs can still be slow: the search runs in
 *   steps (`startAllocation(...).step(n)`), and the server stops it at a time
 *   limit and says how far from the best it could be. In `npm run bench` every
 *   adversarial group of 300 and 1,000 proves its optimum, the slowest 1,000 in
 *   about half a second on a very busy machine; one harder variant we tried
 *   (every third floor at exactly 70% of the ask) still takes seconds.
 * - Leftover money and the greedy comparison follow the ranking (value, then
 *   reference), which is the order the panel reads.
 */
import { DomainError } from "./errors";
import { formatPence } from "./money";

export interface AllocationCandidate {
  reference: string;
  /** What funding the proposal is worth, for example its mean score or its votes: 0 or more. */
  value: number;
  askPence: number;
  /** The least the applicant said they could accept; used only when part-funding is allowed. Missing means the full ask. */
  floorPence?: number | null;
}

export interface AllocationRules {
  potPence: number;
  minGrantPence: number;
  maxGrantPence: number;
  isPartFundingAllowed: boolean;
}

export interface AllocationWhatIf {
  /** Must be funded. */
  pinnedIn?: readonly string[];
  /** Must not be funded. */
  pinnedOut?: readonly string[];
}

export interface AllocationRow {
  reference: string;
  value: number;
  askPence: number;
  /** The least this proposal can be offered: its floor with part-funding, otherwise its ask. */
  floorPence: number;
  isPinnedIn: boolean;
  isPinnedOut: boolean;
  /** In the recommended (optimal) set. */
  isFunded: boolean;
  amountPence: number;
  /** In the greedy set shown for comparison. */
  isFundedByGreedy: boolean;
  greedyAmountPence: number;
}

export interface AllocationPlan {
  /** In ranking order. */
  fundedReferences: string[];
  totalValue: number;
  totalAllocatedPence: number;
  leftoverPence: number;
}

export interface AllocationRuleTexts {
  method: string;
  tieRule: string;
  leftoverRule: string;
  greedyRule: string;
  ranking: string;
}

export type AllocationResult =
  | {
      isFeasible: true;
      /** Every candidate, in ranking order. */
      rows: AllocationRow[];
      optimum: AllocationPlan;
      greedy: AllocationPlan;
      rules: AllocationRuleTexts;
      /** False when the search was stopped before it had checked every set: `optimum` is then the best set found so far. */
      isProvenOptimal: boolean;
      /** The most any set could beat `optimum` by (0 when proven optimal), in units of value. */
      maxShortfall: number;
    }
  | { isFeasible: false; reason: string; rules: AllocationRuleTexts };

/** Values are searched as whole millionths. */
export const VALUE_SCALE = 1_000_000;

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function ruleTexts(rules: AllocationRules): AllocationRuleTexts {
  const weightWord = rules.isPartFundingAllowed ? "the least each applicant said it could accept" : "each full ask";
  return {
    ranking: "Proposals are ranked by value, highest first; equal values are ranked by reference, A to Z.",
    method: `Exact optimum: of every possible set of proposals, the one with the highest total value whose grants fit in the pot of ${formatPence(rules.potPence)}, counting ${weightWord}. Every other set was checked or ruled out by branch and bound.`,
    tieRule:
      "If more than one set of proposals reaches the same highest total value, the recommendation is the set that funds the better value for money (value per pound of the least each proposal can be given) at the first place where the sets differ; equal value for money goes to the higher value, then to the reference earlier from A to Z. Values are compared to the nearest millionth.",
    leftoverRule: rules.isPartFundingAllowed
      ? "Each funded proposal is first given the least it said it could accept. Any money left in the pot then goes to the funded proposals in ranking order, raising each to its full ask before moving on to the next."
      : "Part-funding is off, so each funded proposal gets its full ask, and any money left in the pot is not allocated.",
    greedyRule:
      "For comparison, 'going down the ranking': fund proposals from the highest value down, skipping any that no longer fit in what is left of the pot, then share out any leftover by the same rule.",
  };
}

/** Throws a DomainError for amounts or values the allocation cannot use. */
function assertValid(candidates: readonly AllocationCandidate[], rules: AllocationRules, whatIf: AllocationWhatIf): void {
  const { potPence, minGrantPence, maxGrantPence } = rules;
  for (const [name, amount] of [
    ["pot", potPence],
    ["minimum grant", minGrantPence],
    ["maximum grant", maxGrantPence],
  ] as const) {
    if (!Number.isSafeInteger(amount) || amount < 0) throw new DomainError(`The ${name} must be a whole number of pence, 0 or more`);
  }
  if (minGrantPence > maxGrantPence) throw new DomainError("The minimum grant must be the same as or less than the maximum grant");
  const references = new Set<string>();
  for (const c of candidates) {
    if (!c.reference) throw new DomainError("Every proposal needs a reference");
    if (references.has(c.reference)) throw new DomainError(`The proposal ${c.reference} is listed twice`);
    references.add(c.reference);
    if (!Number.isFinite(c.value) || c.value < 0) throw new DomainError(`The value of ${c.reference} must be a number, 0 or more`);
    if (!Number.isSafeInteger(c.askPence) || c.askPence <= 0) {
      throw new DomainError(`The amount ${c.reference} asks for must be a whole number of pence, more than 0`);
    }
    if (c.askPence < minGrantPence || c.askPence > maxGrantPence) {
      throw new DomainError(
        `${c.reference} asks for ${formatPence(c.askPence)}, outside the grant range of ${formatPence(minGrantPence)} to ${formatPence(maxGrantPence)}`,
      );
    }
    if (c.floorPence !== undefined && c.floorPence !== null) {
      if (!Number.isSafeInteger(c.floorPence) || c.floorPence < 0) {
        throw new DomainError(`The least ${c.reference} can accept must be a whole number of pence, 0 or more`);
      }
      if (c.floorPence > c.askPence) {
        throw new DomainError(`The least ${c.reference} can accept (${formatPence(c.floorPence)}) is more than it asks for (${formatPence(c.askPence)})`);
      }
      if (c.floorPence < minGrantPence) {
        throw new DomainError(`The least ${c.reference} can accept (${formatPence(c.floorPence)}) is below the minimum grant of ${formatPence(minGrantPence)}`);
      }
    }
  }
  const pinnedIn = new Set(whatIf.pinnedIn ?? []);
  for (const reference of [...pinnedIn, ...(whatIf.pinnedOut ?? [])]) {
    if (!references.has(reference)) throw new DomainError(`${reference} is pinned but is not one of the proposals`);
  }
  for (const reference of whatIf.pinnedOut ?? []) {
    if (pinnedIn.has(reference)) throw new DomainError(`${reference} cannot be pinned both in and out`);
  }
}

interface Item {
  reference: string;
  value: number;
  scaled: number;
  askPence: number;
  weight: number;
}

/**
 * The recommended allocation and the greedy one beside it, or an infeasible
 * result saying why when the proposals pinned in cannot all be funded. Throws
 * a DomainError for invalid amounts, values or pins. Runs the search to the end.
 */
export function recommendAllocation(candidates: readonly AllocationCandidate[], rules: AllocationRules, whatIf: AllocationWhatIf = {}): AllocationResult {
  const search = startAllocation(candidates, rules, whatIf);
  while (!search.step(Infinity));
  return search.result();
}

/** A search that can be run a slice at a time, so a caller can let other work in between and stop at a time limit. */
export interface AllocationSearch {
  /** Visits at most `nodes` more branches; true when the search is finished. */
  step(nodes: number): boolean;
  /** The result: the proven optimum once `step` returned true, otherwise the best set found so far and how far it could be from the best. */
  result(): AllocationResult;
}

/** Starts the allocation search (see recommendAllocation). Throws a DomainError for invalid amounts, values or pins. */
export function startAllocation(candidates: readonly AllocationCandidate[], rules: AllocationRules, whatIf: AllocationWhatIf = {}): AllocationSearch {
  assertValid(candidates, rules, whatIf);
  const texts = ruleTexts(rules);

  const items: Item[] = candidates.map((c) => ({
    reference: c.reference,
    value: c.value,
    scaled: Math.round(c.value * VALUE_SCALE),
    askPence: c.askPence,
    weight: rules.isPartFundingAllowed ? (c.floorPence ?? c.askPence) : c.askPence,
  }));
  const totalScaled = items.reduce((sum, item) => sum + item.scaled, 0);
  if (!Number.isSafeInteger(totalScaled)) throw new DomainError("The values are too large to add up exactly; use smaller numbers");
  items.sort((a, b) => b.scaled - a.scaled || byCodeUnits(a.reference, b.reference));

  const pinnedIn = new Set(whatIf.pinnedIn ?? []);
  const pinnedOut = new Set(whatIf.pinnedOut ?? []);
  const pinnedItems = items.filter((item) => pinnedIn.has(item.reference));
  const pinnedWeight = pinnedItems.reduce((sum, item) => sum + item.weight, 0);
  if (pinnedWeight > rules.potPence) {
    const names = pinnedItems.map((item) => item.reference).join(", ");
    const need = rules.isPartFundingAllowed ? "at least" : "";
    const infeasible: AllocationResult = {
      isFeasible: false,
      reason: `The proposals pinned in (${names}) need ${need ? `${need} ` : ""}${formatPence(pinnedWeight)} between them, ${formatPence(pinnedWeight - rules.potPence)} more than the pot of ${formatPence(rules.potPence)}. Unpin one or more of them to see a recommendation.`,
      rules: texts,
    };
    return { step: () => true, result: () => infeasible };
  }
  const capacity = rules.potPence - pinnedWeight;
  // Proposals that cannot fit even alone are out of the search, which keeps its bound tight.
  const free = items.filter((item) => !pinnedIn.has(item.reference) && !pinnedOut.has(item.reference) && item.weight <= capacity);

  // The walks and the search's own sorting are done by the first step, so starting never holds the caller long.
  let greedyFree: Item[] = [];
  let search: ReturnType<typeof bestSet> | null = null;
  const begin = () => {
    greedyFree = walkDownRanking(free, capacity);
    const byValueForMoney = walkDownRanking([...free].sort(compareValueForMoney), capacity);
    search = bestSet(free, capacity, sumScaled(byValueForMoney) > sumScaled(greedyFree) ? byValueForMoney : greedyFree);
    return search;
  };

  const result = (): AllocationResult => {
    const { chosen: optimumFree, upperBound, isDone } = (search ?? begin()).state();
    const optimum = plan(items, new Set([...pinnedIn, ...optimumFree.map((i) => i.reference)]), rules);
    const greedy = plan(items, new Set([...pinnedIn, ...greedyFree.map((i) => i.reference)]), rules);
    const rows = items.map((item): AllocationRow => ({
      reference: item.reference,
      value: item.value,
      askPence: item.askPence,
      floorPence: item.weight,
      isPinnedIn: pinnedIn.has(item.reference),
      isPinnedOut: pinnedOut.has(item.reference),
      isFunded: optimum.amounts.has(item.reference),
      amountPence: optimum.amounts.get(item.reference) ?? 0,
      isFundedByGreedy: greedy.amounts.has(item.reference),
      greedyAmountPence: greedy.amounts.get(item.reference) ?? 0,
    }));
    const shortfall = isDone ? 0 : Math.max(0, upperBound - sumScaled(optimumFree)) / VALUE_SCALE;
    return { isFeasible: true, rows, optimum: optimum.plan, greedy: greedy.plan, rules: texts, isProvenOptimal: isDone, maxShortfall: shortfall };
  };
  return {
    step: (nodes) => {
      if (search) return search.step(nodes);
      begin();
      return false;
    },
    result,
  };
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

const sumScaled = (items: readonly Item[]) => items.reduce((sum, item) => sum + item.scaled, 0);

/** Going down the ranking, funding whatever still fits. */
function walkDownRanking(ranked: readonly Item[], capacity: number): Item[] {
  const chosen: Item[] = [];
  let left = capacity;
  for (const item of ranked) {
    if (item.weight <= left) {
      chosen.push(item);
      left -= item.weight;
    }
  }
  return chosen;
}

/**
 * Best value per pound first (value ÷ the floor, or the ask without
 * part-funding); equal value per pound: higher value first, then reference
 * A to Z. Compared by cross-multiplying, exactly (in BigInt when the products
 * are too large for exact doubles), because this order is the tie rule.
 */
function compareValueForMoney(a: { scaled: number; weight: number; reference: string }, b: typeof a): number {
  const left = b.scaled * a.weight;
  const right = a.scaled * b.weight;
  let byDensity: number;
  if (Number.isSafeInteger(left) && Number.isSafeInteger(right)) {
    byDensity = left - right;
  } else {
    const difference = BigInt(b.scaled) * BigInt(a.weight) - BigInt(a.scaled) * BigInt(b.weight);
    byDensity = difference > 0n ? 1 : difference < 0n ? -1 : 0;
  }
  return byDensity || b.scaled - a.scaled || byCodeUnits(a.reference, b.reference);
}

/**
 * A step is about one pass over the items (one branch of the search). Sorting
 * the items counts as this many steps, so `step(n)` holds its caller for about
 * the same time whatever the stage.
 */
const SORT_STEPS = 50;

function* pause(steps: number): Generator<void, void> {
  for (let i = 0; i < steps; i += 1) yield;
}

/**
 * The exact search over `items` (see the method at the top of this file).
 * `known` is some feasible set: the answer until a better one is found.
 * Returns step/state so it can run a slice at a time: every unit of work is a
 * `yield` of one generator, and `step(n)` runs n of them.
 */
function bestSet(items: readonly Item[], capacity: number, known: readonly Item[]) {
  const order = [...items].sort(compareValueForMoney);
  const n = order.length;
  const weight = Float64Array.from(order, (i) => i.weight);
  const value = Float64Array.from(order, (i) => i.scaled);
  // Every set's value is a whole number of `unit`s, so any bound can be rounded down to one. For votes (whole
  // numbers, so multiples of VALUE_SCALE) this makes the bounds far tighter.
  const unit = order.reduce((g, item) => gcd(g, item.scaled), 0) || 1;
  const position = new Map(order.map((item, i) => [item.reference, i]));

  // The best set found so far (1 = funded, by position in `order`) and its value.
  let best: Uint8Array = new Uint8Array(n);
  for (const item of known) best[position.get(item.reference)!] = 1;
  let bestValue = sumScaled(known);
  // No set is worth more than this (Dantzig's bound to start with; tightened below).
  const rootBounds = subproblemBounds(weight, value, unit);
  let ceiling = Math.max(bestValue, rootBounds.dantzig(0, capacity).bound);
  // While the last stage runs: the value of the proposals fixed as funded, and the ceilings of its open branches.
  let fixedValue = 0;
  let openCeilings: readonly number[] = [];
  let isInLastStage = false;
  let isDone = false;

  const adopt = (chosen: Uint8Array, total: number) => {
    best = chosen;
    bestValue = total;
  };

  function* solve(): Generator<void, void> {
    if (n === 0) return;
    // 1. The Lagrangian bound: at most `count` proposals fit, so for any λ ≥ 0 the best set is worth at most
    //    λ·count plus Dantzig's bound on the values less λ. The best λ is found by a golden-section search.
    const count = rootBounds.count(0, capacity);
    const lambda = yield* bestMultiplier(weight, value, unit, capacity, count);
    rootBounds.setMultiplier(lambda);
    yield* pause(2 * SORT_STEPS);
    ceiling = Math.max(bestValue, Math.min(ceiling, rootBounds.cardinality(0, capacity)));
    // 2. A good set to start from: the Lagrangian's own order, then improved by swaps.
    yield* improve(lambda);
    if (bestValue >= ceiling) ceiling = bestValue;
    // 3. Reduction. With μ the value per pound where the Lagrangian's fill stops, each proposal's reduced value
    //    v − λ − μ·w says how much the bound falls if it is forced the other way. Where that drops the bound below
    //    the best set found, no set as good (so no optimal set, and no tie) decides it the other way: it is fixed.
    const mu = breakDensity(weight, value, capacity, lambda);
    yield* pause(SORT_STEPS);
    let total = lambda * count + mu * capacity;
    const reduced = new Float64Array(n);
    for (let i = 0; i < n; i += 1) {
      reduced[i] = value[i] - lambda - mu * weight[i];
      if (reduced[i] > 0) total += reduced[i];
    }
    // Floating point: a margin far above its rounding error, so only a proposal that is clearly decided is fixed.
    const margin = 1 + Math.abs(total) * 1e-9;
    const isFixedIn = new Uint8Array(n);
    const core: number[] = [];
    let fixedWeight = 0;
    for (let i = 0; i < n; i += 1) {
      yield;
      if (total - Math.abs(reduced[i]) < bestValue - margin) {
        if (reduced[i] > 0) {
          isFixedIn[i] = 1;
          fixedWeight += weight[i];
          fixedValue += value[i];
        }
      } else core.push(i);
    }
    // 4. Branch and bound over the rest, in value-for-money order (see branchAndBound).
    isInLastStage = true;
    const coreWeight = Float64Array.from(core, (i) => weight[i]);
    const coreValue = Float64Array.from(core, (i) => value[i]);
    const search = branchAndBound(coreWeight, coreValue, unit, capacity - fixedWeight, bestValue - fixedValue, ceiling - fixedValue);
    for (;;) {
      const next = search.next();
      openCeilings = search.openCeilings;
      if (next.done) return;
      if (next.value) {
        const { chosen, total: found } = next.value;
        const full = isFixedIn.slice();
        core.forEach((i, j) => (full[i] = chosen[j]));
        adopt(full, fixedValue + found);
      }
      yield;
    }
  }

  /** Improves the best set: first a walk in the Lagrangian's order, then single swaps while any helps. */
  function* improve(lambda: number): Generator<void, void> {
    const byReduced = Array.from({ length: n }, (_, i) => i).sort((a, b) => (value[b] - lambda) * weight[a] - (value[a] - lambda) * weight[b] || a - b);
    yield* pause(SORT_STEPS);
    const walked = new Uint8Array(n);
    let room = capacity;
    let total = 0;
    for (const i of byReduced) {
      if (weight[i] <= room) {
        walked[i] = 1;
        room -= weight[i];
        total += value[i];
      }
    }
    if (total > bestValue) adopt(walked, total);
    const chosen = best.slice();
    total = bestValue;
    room = capacity;
    for (let i = 0; i < n; i += 1) if (chosen[i]) room -= weight[i];
    // Each pass looks at every pair, so the passes are capped: the search proves the optimum whatever this finds.
    for (let pass = 0; pass < 50; pass += 1) {
      // Add anything that still fits and is worth something.
      for (let j = 0; j < n; j += 1) {
        if (!chosen[j] && value[j] > 0 && weight[j] <= room) {
          chosen[j] = 1;
          room -= weight[j];
          total += value[j];
        }
      }
      // The single swap (one out, one in) that gains most; equal gains: the one that leaves most room.
      let gain = 0;
      let swapOut = -1;
      let swapIn = -1;
      let swapWeight = 0;
      for (let j = 0; j < n; j += 1) {
        if (chosen[j]) continue;
        yield;
        for (let i = 0; i < n; i += 1) {
          if (!chosen[i]) continue;
          const extra = weight[j] - weight[i];
          const more = value[j] - value[i];
          if (extra <= room && (more > gain || (more === gain && more > 0 && extra < swapWeight))) {
            gain = more;
            swapOut = i;
            swapIn = j;
            swapWeight = extra;
          }
        }
      }
      if (swapIn < 0) break;
      chosen[swapOut] = 0;
      chosen[swapIn] = 1;
      room -= swapWeight;
      total += gain;
      if (total >= ceiling) break;
    }
    if (total > bestValue) adopt(chosen, total);
  }

  const work = solve();
  const step = (nodes: number): boolean => {
    for (let visited = 0; !isDone && visited < nodes; visited += 1) if (work.next().done) isDone = true;
    return isDone;
  };
  const state = () => {
    let upperBound = ceiling;
    if (isDone) upperBound = bestValue;
    else if (isInLastStage) {
      let open = bestValue;
      for (const c of openCeilings) open = Math.max(open, fixedValue + c);
      upperBound = Math.min(ceiling, open);
    }
    return { chosen: order.filter((_, i) => best[i] === 1), upperBound: Math.max(bestValue, upperBound), isDone };
  };
  return { step, state };
}

/**
 * Depth-first branch and bound over items already in value-for-money order,
 * trying "fund" before "don't fund" and accepting only strictly better sets,
 * so the first best set it finds is, of all the optimal sets, the first in
 * that order: the tie rule. It starts one below `known` (the value of a set
 * already found), so an equal set is still found in order. It yields after
 * every branch, and yields each better set it finds; `openCeilings` are the
 * most each branch still to visit could reach. It stops early when it finds a
 * set worth `ceiling`, as none can be worth more.
 */
function branchAndBound(weight: Float64Array, value: Float64Array, unit: number, capacity: number, known: number, ceiling: number) {
  const n = weight.length;
  const bounds = subproblemBounds(weight, value, unit);
  const chosen = new Uint8Array(n);
  // Depth-first with an explicit stack. Each entry is a node still to visit: item k-1 was just decided (`take`),
  // items k… are open; `ceiling` is its parent's bound, which is what the node could still reach at most.
  const stackK: number[] = [0];
  const stackRoom: number[] = [capacity];
  const stackSum: number[] = [0];
  const stackTake: number[] = [0];
  const stackCeiling: number[] = [ceiling];

  function* run(): Generator<{ chosen: Uint8Array; total: number } | void, void> {
    let best = known - 1;
    bounds.setMultiplier(yield* bestMultiplier(weight, value, unit, capacity, bounds.count(0, capacity)));
    yield* pause(2 * SORT_STEPS);
    while (stackK.length > 0) {
      yield;
      const k = stackK.pop()!;
      const room = stackRoom.pop()!;
      const sum = stackSum.pop()!;
      const take = stackTake.pop()!;
      stackCeiling.pop();
      if (k > 0) chosen[k - 1] = take;
      const { bound, isExact } = bounds.dantzig(k, room);
      if (sum + bound <= best) continue;
      if (isExact) {
        // Funding every remaining item that fits is both the best completion and the first in search order.
        best = sum + bound;
        const found = chosen.slice();
        for (let i = k; i < n; i += 1) found[i] = weight[i] <= room ? 1 : 0;
        yield { chosen: found, total: best };
        if (best >= ceiling) return;
        continue;
      }
      const nodeCeiling = Math.min(sum + bound, sum + bounds.cardinality(k, room));
      if (nodeCeiling <= best) continue;
      // Not exact, so some item from k on fits: k < n here. "Don't fund" goes on the stack first, so "fund" is visited first.
      stackK.push(k + 1);
      stackRoom.push(room);
      stackSum.push(sum);
      stackTake.push(0);
      stackCeiling.push(nodeCeiling);
      if (weight[k] <= room) {
        stackK.push(k + 1);
        stackRoom.push(room - weight[k]);
        stackSum.push(sum + value[k]);
        stackTake.push(1);
        stackCeiling.push(nodeCeiling);
      }
    }
  }
  const generator = run();
  return Object.assign(generator, { openCeilings: stackCeiling as readonly number[] });
}

/** ⌊a·b/c⌋ for whole numbers (c > 0), exactly while a·b is an exact double; above that, rounded up a little (never too low). */
function fractionDown(a: number, b: number, c: number): number {
  const product = a * b;
  if (product <= Number.MAX_SAFE_INTEGER) {
    const quotient = Math.floor(product / c);
    return quotient * c > product ? quotient - 1 : quotient;
  }
  return Math.ceil((product / c) * (1 + 1e-9)) + 1;
}

/** The bounds on what items k… of one (sub)problem can add in `room`. */
function subproblemBounds(weight: Float64Array, value: Float64Array, unit: number) {
  const n = weight.length;
  const byWeight = Int32Array.from(weight.keys()).sort((a, b) => weight[a] - weight[b] || a - b);
  let lambda = 0;
  // Items in the order of value less the multiplier, per pound: the order the Lagrangian bound fills in.
  let byReducedDensity = new Int32Array(0);
  // And in the order of value less the multiplier, largest first.
  let byReducedValue = new Int32Array(0);
  const down = (x: number) => Math.floor(x / unit) * unit;
  return {
    /**
     * Dantzig's bound: fill in value-for-money order (the items' order) and take a fraction of the first that
     * does not fit. Items too big for `room` on their own are skipped, which keeps it valid and tighter. It is
     * exact when everything that fits alone also fits together.
     */
    dantzig(k: number, room: number): { bound: number; isExact: boolean } {
      let total = 0;
      let left = room;
      for (let i = k; i < n; i += 1) {
        const w = weight[i];
        if (w > room) continue;
        if (w <= left) {
          total += value[i];
          left -= w;
        } else return { bound: total + down(fractionDown(value[i], left, w)), isExact: false };
      }
      return { bound: total, isExact: true };
    },
    /** How many of items k… (at most) fit in `room`: the lightest first. */
    count(k: number, room: number): number {
      let count = 0;
      let left = room;
      for (let j = 0; j < n; j += 1) {
        const i = byWeight[j];
        if (i < k) continue;
        if (weight[i] > left) break;
        left -= weight[i];
        count += 1;
      }
      return count;
    },
    setMultiplier(found: number) {
      lambda = found;
      byReducedDensity = Int32Array.from(
        Array.from({ length: n }, (_, i) => i)
          .filter((i) => value[i] > lambda)
          .sort((a, b) => (value[b] - lambda) * weight[a] - (value[a] - lambda) * weight[b] || a - b),
      );
      byReducedValue = Int32Array.from(byReducedDensity).sort((a, b) => value[b] - value[a] || a - b);
    },
    /**
     * The Lagrangian (cardinality) bound: at most `count` of items k… fit in `room`, so what they add is at
     * most λ·count plus Dantzig's bound on the values less λ. When values are nearly equal this is far
     * tighter than Dantzig's bound alone.
     */
    cardinality(k: number, room: number): number {
      if (lambda <= 0) return Infinity;
      const count = this.count(k, room);
      // No more than `count` items can be added, so no more than the `count` largest values less λ.
      let largest = 0;
      for (let j = 0, taken = 0; j < byReducedValue.length && taken < count; j += 1) {
        const i = byReducedValue[j];
        if (i < k || weight[i] > room) continue;
        largest += value[i] - lambda;
        taken += 1;
      }
      let total = lambda * count;
      let left = room;
      for (let j = 0; j < byReducedDensity.length; j += 1) {
        const i = byReducedDensity[j];
        if (i < k) continue;
        const w = weight[i];
        if (w > room) continue;
        if (w <= left) {
          total += value[i] - lambda;
          left -= w;
        } else return Math.min(total + down(fractionDown(value[i] - lambda, left, w)), lambda * count + largest);
      }
      return Math.min(total, lambda * count + largest);
    },
  };
}

/** Value less λ per pound of the item where filling the pot in that order stops (0 if everything fits). */
function breakDensity(weight: Float64Array, value: Float64Array, capacity: number, lambda: number): number {
  const order = Array.from(weight.keys())
    .filter((i) => value[i] > lambda)
    .sort((a, b) => (value[b] - lambda) * weight[a] - (value[a] - lambda) * weight[b] || a - b);
  let left = capacity;
  for (const i of order) {
    if (weight[i] > left) return (value[i] - lambda) / weight[i];
    left -= weight[i];
  }
  return 0;
}

/**
 * The multiplier λ (a whole number of `unit`s) that makes the cardinality bound
 * tightest at the root: the bound is convex in λ, so a ternary search finds it.
 */
function* bestMultiplier(weight: Float64Array, value: Float64Array, unit: number, capacity: number, count: number): Generator<void, number> {
  const n = weight.length;
  const keys = new Float64Array(n);
  const rootBound = (lambda: number) => {
    const order: number[] = [];
    for (let i = 0; i < n; i += 1) {
      if (value[i] > lambda && weight[i] <= capacity) {
        keys[i] = (value[i] - lambda) / weight[i];
        order.push(i);
      }
    }
    order.sort((a, b) => keys[b] - keys[a]);
    let total = lambda * count;
    let left = capacity;
    for (const i of order) {
      if (weight[i] <= left) {
        total += value[i] - lambda;
        left -= weight[i];
      } else return total + ((value[i] - lambda) * left) / weight[i];
    }
    return total;
  };
  // Golden-section search over whole units; about 40 evaluations even for values in millionths.
  let lo = 0;
  let hi = Math.ceil(value.reduce((m, v) => Math.max(m, v), 0) / unit);
  while (hi - lo > 3) {
    const a = lo + Math.floor((hi - lo) * 0.382);
    const b = hi - Math.floor((hi - lo) * 0.382);
    yield* pause(2 * SORT_STEPS);
    if (rootBound(a * unit) <= rootBound(b * unit)) hi = b;
    else lo = a;
  }
  let bestLambda = lo;
  for (let l = lo + 1; l <= hi; l += 1) {
    yield* pause(SORT_STEPS);
    if (rootBound(l * unit) < rootBound(bestLambda * unit)) bestLambda = l;
  }
  return bestLambda * unit;
}

/** Floors first, then leftover money to funded proposals in ranking order, each up to its ask. */
function plan(ranked: readonly Item[], funded: ReadonlySet<string>, rules: AllocationRules) {
  const amounts = new Map<string, number>();
  let left = rules.potPence;
  let totalScaled = 0;
  const fundedReferences: string[] = [];
  for (const item of ranked) {
    if (!funded.has(item.reference)) continue;
    amounts.set(item.reference, item.weight);
    left -= item.weight;
    totalScaled += item.scaled;
    fundedReferences.push(item.reference);
  }
  for (const item of ranked) {
    if (left === 0) break;
    if (!funded.has(item.reference)) continue;
    const raise = Math.min(item.askPence - item.weight, left);
    amounts.set(item.reference, item.weight + raise);
    left -= raise;
  }
  return {
    amounts,
    plan: {
      fundedReferences,
      totalValue: totalScaled / VALUE_SCALE,
      totalAllocatedPence: rules.potPence - left,
      leftoverPence: left,
    },
  };
}

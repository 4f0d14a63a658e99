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
 * Method, and why:
 * - Value does not depend on the amount offered, so a set can be funded
 *   exactly when its floors (or full asks, without part-funding) fit the pot.
 *   The search uses those as weights; leftover money is then shared out.
 * - Pots are hundreds of millions of pence, so dynamic programming over money
 *   is out; over value it would need values rounded coarsely. Branch and bound
 *   with the Dantzig (fractional, value-per-pound) bound is exact for any
 *   values and fast on realistic groups of about 1,000 proposals.
 * - Values are rounded to the nearest millionth and searched as whole numbers,
 *   so equal totals are recognised as equal (0.1 + 0.2 is 0.3) and ties are
 *   broken by the stated rule, not by floating-point noise.
 * - The search visits proposals in value-for-money order (value per pound of
 *   the floor or ask), trying "fund" before "don't fund", and only accepts a
 *   strictly better set. So the first best set it finds is, among all equally
 *   valuable sets, the one that funds the better value-for-money proposal where
 *   they first differ: the tie rule costs nothing and needs no list of ties.
 *   (Searching in ranking order instead made ties follow the ranking, but
 *   took seconds, not milliseconds, when values rise with the amount asked.)
 * - Knapsack is NP-hard, so some inputs are slow whatever the method: with
 *   values that are nearly all equal and rise slightly with the ask (10 plus
 *   the ask in £m), one of four random groups of 1,000 took about 2–4 s here.
 *   Scores and votes, which do not track the ask, take milliseconds.
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

  const greedyFree = walkDownRanking(free, capacity);
  const byValueForMoney = walkDownRanking([...free].sort(compareValueForMoney), capacity);
  const search = bestSet(free, capacity, sumScaled(byValueForMoney) > sumScaled(greedyFree) ? byValueForMoney : greedyFree);

  const result = (): AllocationResult => {
    const { chosen: optimumFree, upperBound, isDone } = search.state();
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
  return { step: (nodes) => search.step(nodes), result };
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
 * Branch and bound over `items` in value-for-money order, trying "fund"
 * before "don't fund" and accepting only strictly better sets, so the set
 * returned is, of the optimal sets, the first in that order: the tie rule.
 * `known` is some feasible set, whose value lets the search prune from the
 * start; it starts one below it so an equal set is still found in order. It is
 * also the answer if the search is stopped before it finds a better one.
 */
function bestSet(items: readonly Item[], capacity: number, known: readonly Item[]) {
  const knownValue = sumScaled(known);
  const order = [...items].sort(compareValueForMoney);
  const n = order.length;
  const weight = Float64Array.from(order, (i) => i.weight);
  const value = Float64Array.from(order, (i) => i.scaled);
  // For votes (whole numbers, so multiples of VALUE_SCALE) this makes the bound far tighter: without it,
  // small whole-number values leave a gap of a fraction of a vote that prunes nothing.
  const unit = order.reduce((g, item) => gcd(g, item.scaled), 0) || 1;

  const chosen = new Uint8Array(n);
  let best = knownValue - 1;
  let bestChosen: Uint8Array | null = null;

  /**
   * Dantzig's bound on what items k… can add in `room`: fill in value-for-money
   * order and take a fraction of the first that does not fit. Items too big for
   * `room` on their own are skipped, which keeps the bound valid and tighter.
   * It is exact when everything that fits alone also fits together.
   */
  const boundOf = (k: number, room: number): { bound: number; isExact: boolean } => {
    let total = 0;
    let left = room;
    for (let i = k; i < n; i += 1) {
      const w = weight[i];
      if (w > room) continue;
      if (w <= left) {
        total += value[i];
        left -= w;
      } else {
        // Nudged up (relatively, then by one millionth) so floating-point rounding can never make the
        // bound too low; too high only prunes less. Every set's value is a multiple of `unit`, so the
        // bound is rounded down to one.
        const fraction = ((value[i] * left) / w) * (1 + 1e-9) + 1;
        return { bound: total + Math.floor(fraction / unit) * unit, isExact: false };
      }
    }
    return { bound: total, isExact: true };
  };

  const cardinality = cardinalityBound(weight);
  // The multiplier is found a step at a time too (each step sorts the items once), so starting never holds the caller long.
  const multiplier = bestMultiplier(weight, value, unit, capacity, cardinality(0, capacity));
  let lambda = 0;
  let isLambdaReady = false;
  // Items in the order of value less the multiplier, per pound: the order that bound fills in.
  let byReducedDensity = new Int32Array(0);
  const settleMultiplier = (found: number) => {
    lambda = found;
    isLambdaReady = true;
    byReducedDensity = Int32Array.from(
      Array.from({ length: n }, (_, i) => i)
        .filter((i) => value[i] > lambda)
        .sort((a, b) => (value[b] - lambda) * weight[a] - (value[a] - lambda) * weight[b] || a - b),
    );
  };

  /**
   * A second bound that counts how many more items can fit at all: at most
   * `count` of items k… fit in `room`, so for any multiplier λ ≥ 0 what they add
   * is at most λ·count plus Dantzig's bound on the values less λ. When values are
   * nearly equal this is far tighter than Dantzig's bound alone.
   */
  const cardinalityBoundOf = (k: number, room: number): number => {
    if (!isLambdaReady || lambda <= 0) return Infinity;
    const count = cardinality(k, room);
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
      } else {
        const fraction = (((value[i] - lambda) * left) / w) * (1 + 1e-9) + 1;
        return total + Math.floor(fraction / unit) * unit;
      }
    }
    return total;
  };

  // Depth-first with an explicit stack, so the search can stop after any number of branches and carry on later.
  // Each entry is a node still to visit: item k-1 was just decided (`take`), items k… are open; `ceiling`
  // is its parent's bound, which is what the node could still reach at most.
  const stackK: number[] = [0];
  const stackRoom: number[] = [capacity];
  const stackSum: number[] = [0];
  const stackTake: number[] = [0];
  const stackCeiling: number[] = [Infinity];

  const step = (nodes: number): boolean => {
    let visited = 0;
    // One step of the multiplier sorts every item: count it as ten branches.
    for (; !isLambdaReady && visited < nodes; visited += 10) {
      const next = multiplier.next();
      if (next.done) settleMultiplier(next.value);
    }
    for (; visited < nodes && stackK.length > 0; visited += 1) {
      const k = stackK.pop()!;
      const room = stackRoom.pop()!;
      const sum = stackSum.pop()!;
      const take = stackTake.pop()!;
      stackCeiling.pop();
      if (k > 0) chosen[k - 1] = take;
      const { bound, isExact } = boundOf(k, room);
      if (sum + bound <= best) continue;
      if (isExact) {
        // Funding every remaining item that fits is both the best completion and the first in search order.
        best = sum + bound;
        const found = chosen.slice();
        for (let i = k; i < n; i += 1) found[i] = weight[i] <= room ? 1 : 0;
        bestChosen = found;
        continue;
      }
      const ceiling = Math.min(sum + bound, sum + cardinalityBoundOf(k, room));
      if (ceiling <= best) continue;
      // Not exact, so some item from k on fits: k < n here. "Don't fund" goes on the stack first, so "fund" is visited first.
      stackK.push(k + 1);
      stackRoom.push(room);
      stackSum.push(sum);
      stackTake.push(0);
      stackCeiling.push(ceiling);
      if (weight[k] <= room) {
        stackK.push(k + 1);
        stackRoom.push(room - weight[k]);
        stackSum.push(sum + value[k]);
        stackTake.push(1);
        stackCeiling.push(ceiling);
      }
    }
    return stackK.length === 0;
  };

  const state = () => {
    const isDone = stackK.length === 0;
    const result = bestChosen ? order.filter((_, i) => bestChosen![i] === 1) : [...known];
    let upperBound = sumScaled(result);
    for (const ceiling of stackCeiling) upperBound = Math.max(upperBound, ceiling);
    return { chosen: result, upperBound, isDone };
  };
  return { step, state };
}

/**
 * How many of items k… (at most) fit in `room`: the lightest first. One
 * pass over the items sorted by weight, skipping those before k.
 */
function cardinalityBound(weight: Float64Array): (k: number, room: number) => number {
  const byWeight = Int32Array.from(weight.keys()).sort((a, b) => weight[a] - weight[b] || a - b);
  return (k, room) => {
    let count = 0;
    let left = room;
    for (let j = 0; j < byWeight.length; j += 1) {
      const i = byWeight[j];
      if (i < k) continue;
      if (weight[i] > left) break;
      left -= weight[i];
      count += 1;
    }
    return count;
  };
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
    yield;
    if (rootBound(a * unit) <= rootBound(b * unit)) hi = b;
    else lo = a;
  }
  let bestLambda = lo;
  for (let l = lo + 1; l <= hi; l += 1) {
    yield;
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

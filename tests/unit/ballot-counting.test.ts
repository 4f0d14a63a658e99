import { describe, expect, it } from "vitest";
import {
  checkEjr,
  checkPriceSystem,
  countEqualShares,
  countEveryRule,
  countGreedy,
  countOptimum,
  countPhragmen,
  summariseOutcome,
  type CountInput,
  type CountOutcome,
} from "~/domain/ballot-counting";
import type { Ballot } from "~/domain/ballot-rules";
import { DomainError } from "~/domain/errors";
import { referenceEqualShares } from "../support/equal-shares-reference";

/** Small, seeded PRNG so every run checks the same cases. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pounds = (n: number) => n * 100;
const approvals = (...sets: string[][]): Ballot[] => sets.map((projectIds) => ({ kind: "approval", projectIds }));
const times = (n: number, set: string[]) => Array.from({ length: n }, () => set);

/** One pot; projects as [id, cost in pounds]. */
function election(budgetPounds: number, projects: [string, number][], ballots: Ballot[]): CountInput {
  return {
    pots: [{ id: "pot", budgetPence: pounds(budgetPounds) }],
    projects: projects.map(([id, cost]) => ({ id, costPence: pounds(cost), potId: "pot" })),
    ballots,
  };
}

/** A committee election as a budget: every candidate costs £100, the pot buys k of them. */
function committee(k: number, candidates: string, sets: string[][]): CountInput {
  return election(
    100 * k,
    [...candidates].map((c) => [c, 100]),
    approvals(...sets),
  );
}

const sorted = (ids: readonly string[]) => [...ids].sort();

// equalshares.net, "Explanation", Example 1: 11 voters, a budget of 1,100, five projects.
const bikeGymExample = (gymInsteadOfBikeForLastVoter: boolean) =>
  election(
    1_100,
    [
      ["bike", 700],
      ["gym", 400],
      ["park", 250],
      ["playground", 200],
      ["library", 100],
    ],
    approvals(
      ["bike", "gym"],
      ["bike", "gym", "park"],
      ["bike", "gym"],
      ["bike", "gym", "park"],
      ["bike", "gym", "park"],
      ["bike", "gym"],
      ["park", "playground", "library"],
      ["playground"],
      ["playground", "library"],
      ["park", "playground", "library"],
      [gymInsteadOfBikeForLastVoter ? "gym" : "bike"],
    ),
  );

describe("Equal Shares: the published examples", () => {
  it("equalshares.net Example 1: greedy funds the bike path and the gym; Equal Shares funds the bike path, the playground and the library", () => {
    const input = bikeGymExample(false);
    expect(countGreedy(input).fundedIds).toEqual(["bike", "gym"]);
    const plain = countEqualShares(input, { isCompleted: false });
    expect(plain.fundedIds).toEqual(["bike", "playground", "library"]);
    // Each bike voter pays their whole share of 100; the 4 playground voters pay 50 each; the library's 3 pay 33.33.
    const payments = plain.equalShares![0].priceSystem.payments;
    expect(payments.filter((p) => p.projectId === "bike").map((p) => p.amountPence)).toEqual(Array<number>(7).fill(pounds(100)));
    expect(payments.filter((p) => p.projectId === "playground").map((p) => p.amountPence)).toEqual([5000, 5000, 5000, 5000]);
    expect(payments.filter((p) => p.projectId === "library").map((p) => p.amountPence / 100)).toEqual(
      [100 / 3, 100 / 3, 100 / 3].map((x) => expect.closeTo(x, 9)),
    );
    // Completed: 1,000 is spent and 100 is left, which buys nothing else, so completion changes nothing.
    const completed = countEqualShares(input);
    expect(completed.fundedIds).toEqual(["bike", "playground", "library"]);
    expect(completed.equalShares![0].completionSteps).toBe(0);
    expect(completed.spentPence).toBe(pounds(1_000));
  });

  it("equalshares.net Example 2: the gym (400/7 each), then the park (two voters pay 425/7 each), then the playground", () => {
    const input = bikeGymExample(true);
    const plain = countEqualShares(input, { isCompleted: false });
    expect(plain.fundedIds).toEqual(["gym", "park", "playground"]);
    const payments = plain.equalShares![0].priceSystem.payments;
    expect(payments.filter((p) => p.projectId === "gym").every((p) => Math.abs(p.amountPence - 40_000 / 7) < 1e-6)).toBe(true);
    const park = payments.filter((p) => p.projectId === "park").map((p) => p.amountPence);
    expect(park.filter((a) => Math.abs(a - 30_000 / 7) < 1e-6)).toHaveLength(3);
    expect(park.filter((a) => Math.abs(a - 42_500 / 7) < 1e-6)).toHaveLength(2);
    expect(plain.spentPence).toBe(pounds(850));
  });

  it("Lackner & Skowron, Multi-winner voting with approval preferences, Example 2.12: Equal Shares elects {a, c, d}, seq-Phragmén {b, c, d}", () => {
    const input = committee(3, "abcd", [
      ["c", "d"],
      ["c", "d"],
      ["c", "d"],
      ["a", "b"],
      ["a", "b"],
      ["a", "c"],
      ["a", "c"],
      ["b", "d"],
    ]);
    expect(sorted(countEqualShares(input, { utility: "approval" }).fundedIds)).toEqual(["a", "c", "d"]);
    expect(sorted(countPhragmen(input).fundedIds)).toEqual(["b", "c", "d"]);
    // By hand: plain Equal Shares (shares of 37.50) funds c (20 each) then a (the a-c voters pay their last 17.50), and d is out of reach.
    expect(countEqualShares(input, { utility: "approval", isCompleted: false }).fundedIds).toEqual(["c", "a"]);
  });

  it("Lackner & Skowron, Examples 2.9 and 2.11 (the running example, k = 4): seq-Phragmén and Equal Shares both elect {a, b, c, d}", () => {
    const input = committee(4, "abcdefg", [...times(3, ["a", "b"]), ...times(3, ["a", "c"]), ...times(2, ["a", "d"]), ["b", "c", "f"], ["e"], ["f"], ["g"]]);
    expect(sorted(countPhragmen(input).fundedIds)).toEqual(["a", "b", "c", "d"]);
    expect(sorted(countEqualShares(input, { utility: "approval" }).fundedIds)).toEqual(["a", "b", "c", "d"]);
  });

  it("points ballots by hand: Equal Shares funds Z at 50/3 per point; completion raises shares from £50 to £74, where Y's one voter can pay £40", () => {
    const input = election(
      100,
      [
        ["X", 60],
        ["Y", 40],
        ["Z", 50],
      ],
      [
        { kind: "points", points: { X: 3, Z: 1 } },
        { kind: "points", points: { Y: 2, Z: 2 } },
      ],
    );
    const outcome = countEqualShares(input);
    expect(outcome.fundedIds).toEqual(["Z", "Y"]);
    // The second voter has s − 33.33 left after Z, so Y (£40) needs s ≥ 73.33: 24 steps of £1. X (£60) would need s ≥ 76.67,
    // but with Z and Y funded only £10 is left, so the count stops there.
    expect(countEqualShares(input, { isCompleted: false }).fundedIds).toEqual(["Z"]);
    expect(outcome.equalShares![0]).toMatchObject({ fundedByEqualShares: ["Z", "Y"], fundedByGreedyStep: [], completionSteps: 24, perVoterSharePence: 7_400 });
    // Z costs 50 and has 3 points: 50/3 per point, so the first voter pays 16.67 and the second 33.33.
    const z = outcome.equalShares![0].priceSystem.payments.map((p) => p.amountPence);
    expect(z[0]).toBeCloseTo(5_000 / 3, 9);
    expect(z[1]).toBeCloseTo(10_000 / 3, 9);
  });

  it("completion raises every share by £1 until the next step would overspend (worked by hand)", () => {
    // 4 voters, £100: shares of £25. A (£60) has 2 voters with £50 between them: out of reach until shares reach £30.
    // B (£40) has the other 2. Shares of £25: only B. £26…£29: still only B. £30: A and B, £100 in all. Then exhaustive.
    const input = election(
      100,
      [
        ["A", 60],
        ["B", 40],
      ],
      approvals(["A"], ["A"], ["B"], ["B"]),
    );
    expect(countEqualShares(input, { isCompleted: false }).fundedIds).toEqual(["B"]);
    const completed = countEqualShares(input);
    expect(completed.fundedIds).toEqual(["B", "A"]);
    expect(completed.equalShares![0]).toMatchObject({ completionSteps: 5, perVoterSharePence: 3_000, fundedByGreedyStep: [] });
  });
});

describe("Equal Shares: completion steps worked by hand", () => {
  it("Example 2.12 completed: d comes within reach of its voters once shares reach £40, three £1 steps up from £37.50", () => {
    const input = committee(3, "abcd", [
      ["c", "d"],
      ["c", "d"],
      ["c", "d"],
      ["a", "b"],
      ["a", "b"],
      ["a", "c"],
      ["a", "c"],
      ["b", "d"],
    ]);
    expect(countEqualShares(input, { utility: "approval" }).equalShares![0]).toMatchObject({
      completionSteps: 3,
      perVoterSharePence: 4_050,
      fundedByEqualShares: ["c", "a", "d"],
      fundedByGreedyStep: [],
    });
  });

  it("when the next £1 would overspend, the last outcome that fits is kept and greedy spends what is left (tie: reference A to Z)", () => {
    // Two voters, £100: A (£60) and C (£60) each have one voter. At £60 a share both become affordable (£120), so the
    // count keeps the outcome at £59 (nothing) and greedy funds A, level with C on votes and cost, by its reference.
    const input = election(
      100,
      [
        ["A", 60],
        ["C", 60],
      ],
      approvals(["A"], ["C"]),
    );
    expect(countEqualShares(input).equalShares![0]).toMatchObject({
      completionSteps: 9,
      perVoterSharePence: 5_900,
      fundedByEqualShares: [],
      fundedByGreedyStep: ["A"],
    });
  });
});

describe("sequential Phragmén", () => {
  it("Brill, Freeman, Janson & Lackner 2017: seq-Phragmén can fail EJR (k = 12), where Equal Shares satisfies it", () => {
    const c = "ABCDEFGHIJKLMN";
    const pick = (...i: number[]) => i.map((k) => c[k]);
    const range = (from: number) => Array.from({ length: 14 - from }, (_, k) => from + k);
    const input = committee(12, c, [
      ...times(2, pick(0, 1, 2)),
      ...times(2, pick(0, 1, 3)),
      ...times(6, pick(2, ...range(3))),
      ...times(5, pick(...range(3))),
      ...times(9, pick(...range(4))),
    ]);
    const phragmen = countPhragmen(input);
    expect(phragmen.fundedIds).toHaveLength(12);
    expect(checkEjr(input, phragmen)).toMatchObject({ status: "violated" });
    expect(checkEjr(input, countEqualShares(input, { utility: "approval" }))).toMatchObject({ status: "satisfied" });
  });

  it("drops a project that no longer fits and goes on with the rest (worked by hand)", () => {
    // Budget 100. A (60) has 3 voters: time 20. B (50) has 2: time 25. C (30) has 1: time 30.
    // A first (left 40); B no longer fits and is dropped; C is funded.
    const input = election(
      100,
      [
        ["A", 60],
        ["B", 50],
        ["C", 30],
      ],
      approvals(["A"], ["A"], ["A"], ["B"], ["B"], ["C"]),
    );
    expect(countPhragmen(input).fundedIds).toEqual(["A", "C"]);
  });
});

describe("greedy and the optimum", () => {
  it("greedy skips a project that no longer fits and goes on down the list", () => {
    const input = election(
      100,
      [
        ["A", 70],
        ["B", 50],
        ["C", 30],
      ],
      approvals(["A", "B", "C"], ["A", "B"], ["A"]),
    );
    expect(countGreedy(input).fundedIds).toEqual(["A", "C"]);
  });

  it("breaks ties the stated way: at equal votes the cheaper project, then the reference A to Z", () => {
    const input = election(
      100,
      [
        ["B", 50],
        ["A", 50],
        ["C", 40],
      ],
      approvals(["A", "B", "C"]),
    );
    expect(countGreedy(input).fundedIds).toEqual(["C", "A"]);
    expect(countPhragmen(input).fundedIds).toEqual(["C", "A"]);
    expect(countEqualShares(input, { isCompleted: false, utility: "approval" }).fundedIds).toEqual(["C", "A"]);
  });

  it("the optimum reuses the allocation search and matches brute force on random small pots", () => {
    const random = mulberry32(7);
    for (let round = 0; round < 60; round += 1) {
      const input = randomElection(random, 7, 12);
      const best = bruteForceBestVotes(input);
      const optimum = countOptimum(input);
      expect(votesOf(input, optimum)).toBe(best);
      expect(optimum.spentPence).toBeLessThanOrEqual(optimum.budgetPence);
    }
  });

  it("counts each pot with its own budget", () => {
    const input: CountInput = {
      pots: [
        { id: "north", budgetPence: pounds(100) },
        { id: "south", budgetPence: pounds(50) },
      ],
      projects: [
        { id: "N1", costPence: pounds(100), potId: "north" },
        { id: "S1", costPence: pounds(50), potId: "south" },
        { id: "S2", costPence: pounds(40), potId: "south" },
      ],
      ballots: approvals(["N1", "S2"], ["N1", "S2"], ["S1"]),
    };
    const outcome = countGreedy(input);
    expect(outcome.pots.map((p) => [p.potId, p.fundedIds, p.spentPence])).toEqual([
      ["north", ["N1"], pounds(100)],
      ["south", ["S2"], pounds(40)],
    ]);
    expect(outcome.fundedIds).toEqual(["N1", "S2"]);
  });
});

describe("figures beside the winners", () => {
  it("the share of voters with a funded project and the money used (equalshares.net Example 1)", () => {
    const input = bikeGymExample(false);
    expect(summariseOutcome(input, countGreedy(input))).toMatchObject({ voterCount: 11, votersWithFundedProject: 7, spentPence: pounds(1_100) });
    expect(summariseOutcome(input, countEqualShares(input))).toMatchObject({ voterCount: 11, votersWithFundedProject: 11, shareWithFundedProject: 1 });
  });

  it("EJR by brute force: greedy in Example 1 leaves the 3 library voters out, though their share (300) pays for it", () => {
    const input = bikeGymExample(false);
    expect(checkEjr(input, countGreedy(input))).toMatchObject({ status: "violated", projectIds: ["library"], voterCount: 3 });
    expect(checkEjr(input, countEqualShares(input))).toMatchObject({ status: "satisfied" });
  });

  it("EJR is not checked for pots with too many projects, and says so", () => {
    const ids = Array.from({ length: 15 }, (_, i) => `P${String(i).padStart(2, "0")}`);
    const input = election(
      1_000,
      ids.map((id) => [id, 10]),
      approvals(ids),
    );
    expect(checkEjr(input, countGreedy(input))).toMatchObject({ status: "not-checked" });
  });

  it("a price system that does not fit the outcome is refused with the reason", () => {
    const input = bikeGymExample(false);
    const mes = countEqualShares(input, { isCompleted: false });
    const detail = mes.equalShares![0];
    expect(checkPriceSystem(input, "pot", detail.fundedByEqualShares, detail.priceSystem)).toEqual({ isPriceable: true });
    // The greedy outcome is not supported by this price system: the gym is not paid for.
    expect(checkPriceSystem(input, "pot", ["bike", "gym"], detail.priceSystem)).toMatchObject({ isPriceable: false });
  });

  it("counts knapsack ballots as approvals of what each voter chose", () => {
    const asApproval = bikeGymExample(false);
    const asKnapsack = {
      ...asApproval,
      ballots: asApproval.ballots.map((b): Ballot => (b.kind === "points" ? b : { kind: "knapsack", projectIds: b.projectIds })),
    };
    for (const rule of ["greedy", "optimum", "equal-shares", "phragmen"] as const) {
      expect(countEveryRule(asKnapsack)[rule].fundedIds).toEqual(countEveryRule(asApproval)[rule].fundedIds);
    }
    expect(() => countGreedy({ ...asApproval, ballots: [...asApproval.ballots, { kind: "points", points: { bike: 1 } }] })).toThrow(
      "The ballots mix points with approval ballots; count one kind at a time",
    );
  });

  it("refuses ballots for projects that are not on the ballot", () => {
    expect(() => countGreedy(election(10, [["A", 5]], approvals(["B"])))).toThrow(DomainError);
  });
});

describe("properties on random small elections", () => {
  it("no rule spends more than a pot holds, and every rule gives the same result whatever order the ballots come in", () => {
    const random = mulberry32(42);
    for (let round = 0; round < 80; round += 1) {
      const input = randomElection(random, 6, 15, round % 3 === 0);
      const shuffled = { ...input, ballots: shuffle(input.ballots, random) };
      const every = countEveryRule(input);
      const again = countEveryRule(shuffled);
      for (const rule of ["greedy", "optimum", "equal-shares", "phragmen"] as const) {
        for (const pot of every[rule].pots) expect(pot.spentPence).toBeLessThanOrEqual(pot.budgetPence);
        expect(again[rule].fundedIds).toEqual(every[rule].fundedIds);
      }
    }
  });

  it("Equal Shares' winners are priceable by the price system it returns, and satisfy EJR (approval utility, brute force)", () => {
    const random = mulberry32(2026);
    for (let round = 0; round < 80; round += 1) {
      const input = randomElection(random, 6, 12);
      for (const isCompleted of [false, true]) {
        const outcome = countEqualShares(input, { utility: "approval", isCompleted });
        const detail = outcome.equalShares![0];
        expect(checkPriceSystem(input, "pot", detail.fundedByEqualShares, detail.priceSystem)).toEqual({ isPriceable: true });
        expect(checkEjr(input, outcome)).toMatchObject({ status: "satisfied" });
      }
      const cost = countEqualShares(input, { utility: "cost" }).equalShares![0];
      expect(checkPriceSystem(input, "pot", cost.fundedByEqualShares, cost.priceSystem)).toEqual({ isPriceable: true });
    }
  });

  it("completion never ends with money that could still fund a project someone voted for, unless it buys nothing", () => {
    const random = mulberry32(99);
    for (let round = 0; round < 60; round += 1) {
      const input = randomElection(random, 6, 12);
      const outcome = countEqualShares(input);
      const left = outcome.budgetPence - outcome.spentPence;
      const votedFor = new Set(input.ballots.flatMap((b) => (b.kind === "points" ? Object.keys(b.points) : b.projectIds)));
      const stillFits = input.projects.filter((p) => votedFor.has(p.id) && !outcome.fundedIds.includes(p.id) && p.costPence <= left);
      expect(stillFits).toEqual([]);
    }
  });
});

describe("Equal Shares at city scale gives the straightforward count's result (decision 0045)", () => {
  it("on 200 random small elections (several pots, repeated ballots, approval and points, both utilities), the same winners, steps, shares and payments", () => {
    const random = mulberry32(45);
    let withSteps = 0;
    for (let round = 0; round < 200; round += 1) {
      const input = randomPotsElection(random, round % 4 === 3);
      const utility = round % 2 === 0 ? "cost" : "approval";
      const isCompleted = round % 5 !== 4;
      const fast = countEqualShares(input, { utility, isCompleted });
      const reference = referenceEqualShares(input, utility, isCompleted);
      expect(fast.fundedIds, `round ${round}`).toEqual(reference.flatMap((p) => [...p.fundedByEqualShares, ...p.fundedByGreedyStep]));
      fast.equalShares!.forEach((detail, k) => {
        const expected = reference[k];
        expect(detail, `round ${round}, ${detail.potId}`).toMatchObject({
          potId: expected.potId,
          perVoterSharePence: expected.perVoterSharePence,
          completionSteps: expected.completionSteps,
          fundedByEqualShares: expected.fundedByEqualShares,
          fundedByGreedyStep: expected.fundedByGreedyStep,
        });
        if (detail.completionSteps > 0) withSteps += 1;
        // Payments: the same voters pay for the same projects in the same order; amounts equal but for rounding.
        const payments = detail.priceSystem.payments;
        expect(payments.map((p) => [p.voter, p.projectId])).toEqual(expected.payments.map((p) => [p.voter, p.projectId]));
        payments.forEach((p, i) => expect(Math.abs(p.amountPence - expected.payments[i].amountPence)).toBeLessThanOrEqual(1e-9 * p.amountPence));
      });
    }
    // The cases exercise the completion, not just the plain method.
    expect(withSteps).toBeGreaterThan(50);
  });
});

/** 1 to 3 pots of 2 to 8 projects; up to 60 ballots, most copied from a few common ones (so voters share classes). */
function randomPotsElection(random: () => number, isPoints: boolean): CountInput {
  const pots = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, k) => ({ id: `pot${k}`, budgetPence: 0 }));
  const projects = pots.flatMap((pot) =>
    Array.from({ length: 2 + Math.floor(random() * 7) }, (_, i) => ({
      id: `${pot.id}-P${i}`,
      costPence: pounds([10, 20, 20, 30, 50, 70][Math.floor(random() * 6)]),
      potId: pot.id,
    })),
  );
  for (const pot of pots) {
    const total = projects.filter((p) => p.potId === pot.id).reduce((s, p) => s + p.costPence, 0);
    // Budgets in whole pounds or odd pence, so shares are fractions as often as not.
    pot.budgetPence = Math.max(pounds(10), Math.floor(total * (0.2 + random() * 0.7)) - (random() < 0.5 ? 0 : Math.floor(random() * 97)));
  }
  const fresh = (): Ballot => {
    const chosen = projects.filter(() => random() < 0.3).map((p) => p.id);
    if (chosen.length === 0) chosen.push(projects[Math.floor(random() * projects.length)].id);
    return isPoints
      ? { kind: "points", points: Object.fromEntries(chosen.map((id) => [id, 1 + Math.floor(random() * 3)])) }
      : { kind: "approval", projectIds: shuffle(chosen, random) };
  };
  const common = Array.from({ length: 1 + Math.floor(random() * 6) }, fresh);
  const ballots = Array.from({ length: 1 + Math.floor(random() * 60) }, () => (random() < 0.7 ? common[Math.floor(random() * common.length)] : fresh()));
  return { pots, projects, ballots };
}

function randomElection(random: () => number, maxProjects: number, maxVoters: number, isPoints = false): CountInput {
  const m = 2 + Math.floor(random() * (maxProjects - 1));
  const ids = Array.from({ length: m }, (_, i) => `P${i}`);
  // Costs from a small set so that equal costs (and ties) happen often.
  const projects = ids.map((id) => ({ id, costPence: pounds([10, 20, 20, 30, 50][Math.floor(random() * 5)]), potId: "pot" }));
  const total = projects.reduce((s, p) => s + p.costPence, 0);
  const budget = Math.max(pounds(10), Math.floor((total * (0.3 + random() * 0.5)) / 100) * 100);
  const n = 1 + Math.floor(random() * maxVoters);
  const ballots: Ballot[] = Array.from({ length: n }, () => {
    const chosen = ids.filter(() => random() < 0.4);
    if (chosen.length === 0) chosen.push(ids[Math.floor(random() * m)]);
    return isPoints
      ? { kind: "points", points: Object.fromEntries(chosen.map((id) => [id, 1 + Math.floor(random() * 3)])) }
      : { kind: "approval", projectIds: chosen };
  });
  return { pots: [{ id: "pot", budgetPence: budget }], projects, ballots };
}

function votesOf(input: CountInput, outcome: CountOutcome): number {
  const funded = new Set(outcome.fundedIds);
  return input.ballots.reduce(
    (sum, b) =>
      sum +
      (b.kind === "points" ? Object.entries(b.points) : b.projectIds.map((id) => [id, 1] as const)).reduce((s, [id, w]) => s + (funded.has(id) ? w : 0), 0),
    0,
  );
}

function bruteForceBestVotes(input: CountInput): number {
  const votes = new Map(input.projects.map((p) => [p.id, 0]));
  for (const b of input.ballots)
    for (const id of b.kind === "points" ? Object.keys(b.points) : b.projectIds) votes.set(id, votes.get(id)! + (b.kind === "points" ? b.points[id] : 1));
  const m = input.projects.length;
  let best = 0;
  for (let mask = 0; mask < 1 << m; mask += 1) {
    let cost = 0;
    let value = 0;
    input.projects.forEach((p, i) => {
      if (mask & (1 << i)) {
        cost += p.costPence;
        value += votes.get(p.id)!;
      }
    });
    if (cost <= input.pots[0].budgetPence) best = Math.max(best, value);
  }
  return best;
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

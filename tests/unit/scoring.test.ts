import { describe, expect, it } from "vitest";
import { DomainError } from "~/domain/errors";
import {
  normaliseScores,
  sortByDisagreement,
  sortByNormalisedScore,
  sortByScore,
  STANDARD_DEVIATION_DEFINITION,
  tallyScores,
  type ProposalScores,
  type ScoringCriterion,
} from "~/domain/scoring";

// Need (weight 3) and deliverability (weight 1): the most a scorer can give on 0–5 is 20.
const criteria: ScoringCriterion[] = [
  { id: "need", name: "Need", weight: 3 },
  { id: "deliver", name: "Deliverability", weight: 1 },
];
const set = (scorerId: string, need: number, deliver: number) => ({ scorerId, marks: { need, deliver } });

describe("weighted totals and statistics", () => {
  const proposals: ProposalScores[] = [
    // Totals: ann 3×4+2 = 14, bob 3×5+5 = 20, cat 3×2+0 = 6, dan 3×4+2 = 14.
    { reference: "CRF-0001", scoreSets: [set("bob", 5, 5), set("ann", 4, 2), set("dan", 4, 2), set("cat", 2, 0)] },
    { reference: "CRF-0002", scoreSets: [set("ann", 1, 1)] },
    { reference: "CRF-0003", scoreSets: [] },
  ];
  const tally = tallyScores(criteria, proposals);

  it("each scorer's total is the sum of mark × weight, also as a percentage of the maximum, ordered by scorer", () => {
    expect(tally.maximumTotal).toBe(20);
    expect(tally.proposals[0].totals).toEqual([
      { scorerId: "ann", total: 14, percent: 70 },
      { scorerId: "bob", total: 20, percent: 100 },
      { scorerId: "cat", total: 6, percent: 30 },
      { scorerId: "dan", total: 14, percent: 70 },
    ]);
  });

  it("gives the mean, median, minimum, maximum, population standard deviation, range and scorer count", () => {
    const first = tally.proposals[0];
    expect(first).toMatchObject({ scorerCount: 4, mean: 13.5, median: 14, minimum: 6, maximum: 20, range: 14, meanPercent: 67.5 });
    // Deviations from 13.5: 0.5, 6.5, −7.5, 0.5 → squares sum 99; population variance 99/4.
    expect(first.standardDeviation).toBeCloseTo(Math.sqrt(99 / 4), 12);
    expect(STANDARD_DEVIATION_DEFINITION).toContain("population standard deviation");
  });

  it("the median of an even number of totals is the average of the middle two", () => {
    const t = tallyScores(criteria, [{ reference: "X", scoreSets: [set("a", 1, 0), set("b", 2, 0), set("c", 5, 0), set("d", 4, 0)] }]);
    expect(t.proposals[0].median).toBe(9); // totals 3, 6, 12, 15
  });

  it("a single scorer has no spread; a proposal nobody scored has no statistics", () => {
    expect(tally.proposals[1]).toMatchObject({ scorerCount: 1, mean: 4, median: 4, standardDeviation: 0, range: 0 });
    expect(tally.proposals[2]).toMatchObject({
      scorerCount: 0,
      mean: null,
      median: null,
      minimum: null,
      maximum: null,
      standardDeviation: null,
      range: null,
      meanPercent: null,
    });
  });

  it("the statistics do not depend on the order the score sets arrive in", () => {
    const reversed = tallyScores(
      criteria,
      proposals.map((p) => ({ ...p, scoreSets: [...p.scoreSets].reverse() })),
    );
    expect(reversed).toEqual(tally);
  });

  it("a configurable scale changes the maximum and the percentages", () => {
    const t = tallyScores(criteria, [{ reference: "X", scoreSets: [set("a", 10, 10)] }], { min: 1, max: 10 });
    expect(t.maximumTotal).toBe(40);
    expect(t.proposals[0].totals[0].percent).toBe(100);
  });
});

describe("score sets that would make the statistics wrong are refused", () => {
  const one = (scoreSets: ProposalScores["scoreSets"]) => [{ reference: "CRF-1", scoreSets }];
  it.each([
    ["a missing mark", one([{ scorerId: "ann", marks: { need: 3 } }]), 'Scorer ann has not scored "Deliverability" for CRF-1'],
    ["a mark above the scale", one([set("ann", 6, 1)]), 'Scorer ann\'s mark for "Need" on CRF-1 must be a whole number from 0 to 5'],
    ["a fractional mark", one([set("ann", 2.5, 1)]), "must be a whole number from 0 to 5"],
    ["a negative mark", one([set("ann", -1, 1)]), "must be a whole number from 0 to 5"],
    ["a mark for an unknown criterion", one([{ scorerId: "ann", marks: { need: 1, deliver: 1, extra: 2 } }]), "criteria that are not in the list"],
    ["the same scorer twice on one proposal", one([set("ann", 1, 1), set("ann", 2, 2)]), "Scorer ann has more than one set of scores for CRF-1"],
    ["the same proposal twice", [...one([]), ...one([])], "The proposal CRF-1 is listed twice"],
  ])("%s", (_name, proposals, message) => {
    expect(() => tallyScores(criteria, proposals)).toThrow(DomainError);
    expect(() => tallyScores(criteria, proposals)).toThrow(message);
  });

  it("refuses a weight that is not a whole number of 1 or more, no criteria, or a back-to-front scale", () => {
    expect(() => tallyScores([{ id: "a", name: "A", weight: 0 }], [])).toThrow('The weight of "A" must be a whole number, 1 or more');
    expect(() => tallyScores([{ id: "a", name: "A", weight: 1.5 }], [])).toThrow(DomainError);
    expect(() => tallyScores([], [])).toThrow("There must be at least one scoring criterion");
    expect(() => tallyScores(criteria, [], { min: 5, max: 0 })).toThrow("The score scale must be");
  });
});

describe("normalised scores (z-scores per scorer)", () => {
  // harsh gives 1 to A and 2 to B (need only); lenient gives 4 and 5. Both prefer B by the same margin.
  const proposals: ProposalScores[] = [
    { reference: "A", scoreSets: [set("harsh", 1, 0), set("lenient", 4, 0)] },
    { reference: "B", scoreSets: [set("harsh", 2, 0), set("lenient", 5, 0)] },
  ];

  it("cancel out harsh and lenient scorers: each scorer's totals are measured against their own average", () => {
    const normalised = normaliseScores(tallyScores(criteria, proposals));
    // Each scorer: totals differ by 3 around their mean, population sd 1.5, so z = −1 for A and +1 for B.
    expect(normalised.proposals).toEqual([
      { reference: "A", scorerCount: 2, normalisedScore: -1 },
      { reference: "B", scorerCount: 2, normalisedScore: 1 },
    ]);
    expect(normalised.scorers).toEqual([
      { scorerId: "harsh", proposalsScored: 2, mean: 4.5, standardDeviation: 1.5 },
      { scorerId: "lenient", proposalsScored: 2, mean: 13.5, standardDeviation: 1.5 },
    ]);
    expect(normalised.label).toContain("Normalised score");
    expect(normalised.explanation).toContain("count as 0");
  });

  it("a scorer who gave every proposal the same total counts as z = 0, not NaN", () => {
    const flat: ProposalScores[] = [
      { reference: "A", scoreSets: [set("flat", 3, 3), set("keen", 1, 0)] },
      { reference: "B", scoreSets: [set("flat", 3, 3), set("keen", 5, 0)] },
    ];
    const normalised = normaliseScores(tallyScores(criteria, flat));
    expect(normalised.proposals.map((p) => p.normalisedScore)).toEqual([-0.5, 0.5]);
    expect(normalised.scorers[0]).toMatchObject({ scorerId: "flat", standardDeviation: 0 });
  });

  it("a scorer who scored only one proposal counts as z = 0; an unscored proposal has no normalised score", () => {
    const normalised = normaliseScores(
      tallyScores(criteria, [
        { reference: "A", scoreSets: [set("once", 5, 5)] },
        { reference: "B", scoreSets: [] },
      ]),
    );
    expect(normalised.proposals).toEqual([
      { reference: "A", scorerCount: 1, normalisedScore: 0 },
      { reference: "B", scorerCount: 0, normalisedScore: null },
    ]);
  });

  it("a recused member's absence only changes the proposals they did not score", () => {
    // ann is recused from C, so C's list simply has no set from her; her z-scores use A and B only.
    const normalised = normaliseScores(
      tallyScores(criteria, [
        { reference: "A", scoreSets: [set("ann", 1, 0), set("bob", 1, 0)] },
        { reference: "B", scoreSets: [set("ann", 3, 0), set("bob", 3, 0)] },
        { reference: "C", scoreSets: [set("bob", 5, 0)] },
      ]),
    );
    expect(normalised.scorers.find((s) => s.scorerId === "ann")).toMatchObject({ proposalsScored: 2, mean: 6 });
    expect(normalised.proposals[2].scorerCount).toBe(1);
    expect(normalised.proposals[2].normalisedScore).toBeCloseTo(Math.sqrt(1.5), 12); // bob: totals 3, 9, 15; sd √24; (15−9)/√24
  });
});

describe("sorting", () => {
  const tally = tallyScores(criteria, [
    { reference: "CRF-3", scoreSets: [set("a", 4, 0), set("b", 4, 0)] }, // mean 12, sd 0
    { reference: "CRF-1", scoreSets: [set("a", 2, 0), set("b", 5, 0)] }, // totals 6, 15: mean 10.5, sd 4.5, range 9
    { reference: "CRF-2", scoreSets: [set("a", 3, 0), set("b", 5, 0)] }, // totals 9, 15: mean 12, sd 3, range 6
    { reference: "CRF-0", scoreSets: [] },
  ]);

  it("by score: highest mean first, equal means by reference, unscored last, and says so", () => {
    const ranked = sortByScore(tally.proposals);
    expect(ranked.items.map((p) => p.reference)).toEqual(["CRF-2", "CRF-3", "CRF-1", "CRF-0"]);
    expect(ranked.rule).toBe(
      "Sorted by mean score, highest first. Proposals with the same mean score are listed by reference (A to Z). Proposals nobody scored come last.",
    );
  });

  it("by median when asked", () => {
    expect(sortByScore(tally.proposals, "median").items.map((p) => p.reference)).toEqual(["CRF-2", "CRF-3", "CRF-1", "CRF-0"]);
  });

  it("by disagreement: largest standard deviation (or range) first", () => {
    expect(sortByDisagreement(tally.proposals).items.map((p) => p.reference)).toEqual(["CRF-1", "CRF-2", "CRF-3", "CRF-0"]);
    const byRange = sortByDisagreement(tally.proposals, "range");
    expect(byRange.items.map((p) => p.reference)).toEqual(["CRF-1", "CRF-2", "CRF-3", "CRF-0"]);
    expect(byRange.rule).toContain("range (highest minus lowest total)");
  });

  it("by normalised score, ties by reference", () => {
    const ranked = sortByNormalisedScore(normaliseScores(tally).proposals);
    expect(ranked.items.map((p) => p.reference)).toEqual(["CRF-2", "CRF-3", "CRF-1", "CRF-0"]);
    const tied = sortByNormalisedScore([
      { reference: "B", scorerCount: 1, normalisedScore: 0 },
      { reference: "A", scorerCount: 1, normalisedScore: 0 },
    ]);
    expect(tied.items.map((p) => p.reference)).toEqual(["A", "B"]);
  });

  it("does not reorder the list it was given", () => {
    sortByScore(tally.proposals);
    expect(tally.proposals.map((p) => p.reference)).toEqual(["CRF-3", "CRF-1", "CRF-2", "CRF-0"]);
  });
});

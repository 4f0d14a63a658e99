import { describe, expect, it } from "vitest";
import { recommendAllocation } from "~/domain/allocation";
import { listInWords, pointsInWords, recommendationSentence, type AllocationSummaryInput } from "~/domain/allocation-summary";

const POUND = 100;
const TITLES: Record<string, string> = { A: "Play park", B: "Bike hub", C: "Food bank", D: "Garden" };

/** The sentence for a real allocation result, as the allocation page builds it. */
function sentenceFor(candidates: { reference: string; value: number; askPence: number }[], potPence: number, hasPins = false) {
  const result = recommendAllocation(candidates, { potPence, minGrantPence: 1, maxGrantPence: 10_000_000 * POUND, isPartFundingAllowed: false });
  if (!result.isFeasible) throw new Error(result.reason);
  return recommendationSentence({
    proposals: result.rows.map((r) => ({
      reference: r.reference,
      title: TITLES[r.reference] ?? "",
      isFunded: r.isFunded,
      isFundedByGreedy: r.isFundedByGreedy,
    })),
    optimumValue: result.optimum.totalValue,
    greedyValue: result.greedy.totalValue,
    optimumPence: result.optimum.totalAllocatedPence,
    availablePence: potPence,
    hasPins,
  });
}

describe("recommendationSentence", () => {
  it("leads with the set to fund, its total and what it gains over going down the ranking", () => {
    // Going down the ranking takes A (40 points, £50,000) and then nothing fits; B and C together score 58.
    const sentence = sentenceFor(
      [
        { reference: "A", value: 40, askPence: 50_000 * POUND },
        { reference: "B", value: 30, askPence: 30_000 * POUND },
        { reference: "C", value: 28, askPence: 30_000 * POUND },
      ],
      60_000 * POUND,
    );
    expect(sentence).toBe("Fund B Bike hub and C Food bank, £60,000, 18 points more than going down the ranking.");
  });

  it("says so when going down the ranking gives the same set", () => {
    const sentence = sentenceFor(
      [
        { reference: "A", value: 40, askPence: 20_000 * POUND },
        { reference: "B", value: 30, askPence: 30_000 * POUND },
        { reference: "D", value: 10, askPence: 30_000 * POUND },
      ],
      50_000 * POUND,
    );
    expect(sentence).toBe("Fund A Play park and B Bike hub, £50,000, the same as going down the ranking.");
  });

  it("names a single proposal on its own", () => {
    const sentence = sentenceFor([{ reference: "A", value: 40, askPence: 45_000 * POUND }], 50_000 * POUND);
    expect(sentence).toBe("Fund A Play park, £45,000, the same as going down the ranking.");
  });

  it("says when nothing fits in what is left of the pot", () => {
    const sentence = sentenceFor(
      [
        { reference: "A", value: 40, askPence: 60_000 * POUND },
        { reference: "B", value: 30, askPence: 70_000 * POUND },
      ],
      50_000 * POUND,
    );
    expect(sentence).toBe("Fund none of them: no proposal fits in the £50,000 left in the pot.");
  });

  it("says when there is no candidate at all", () => {
    expect(sentenceFor([], 50_000 * POUND)).toBe("There is nothing to fund yet: no proposal is a candidate.");
  });

  it("says when a different set scores the same points as going down the ranking", () => {
    const input: AllocationSummaryInput = {
      proposals: [
        { reference: "A", title: "Play park", isFunded: false, isFundedByGreedy: true },
        { reference: "B", title: "Bike hub", isFunded: true, isFundedByGreedy: false },
      ],
      optimumValue: 30.1 + 0.2,
      greedyValue: 30.3,
      optimumPence: 30_000 * POUND,
      availablePence: 30_000 * POUND,
    };
    expect(recommendationSentence(input)).toBe("Fund B Bike hub, £30,000, the same points as going down the ranking, with a different set of proposals.");
  });

  it("leaves the points out for a viewer who may not see them, and says when pins are in use", () => {
    const input: AllocationSummaryInput = {
      proposals: [
        { reference: "A", title: "", isFunded: false, isFundedByGreedy: true },
        { reference: "B", title: "Bike hub", isFunded: true, isFundedByGreedy: false },
      ],
      optimumValue: null,
      greedyValue: null,
      optimumPence: 12_345_67,
      availablePence: 20_000 * POUND,
      hasPins: true,
    };
    expect(recommendationSentence(input)).toBe("With your pins: Fund B Bike hub, £12,345.67.");
  });

  it("names the first few of a long list and counts the rest", () => {
    const proposals = ["P-1", "P-2", "P-3", "P-4", "P-5", "P-6", "P-7"].map((reference) => ({ reference, title: "", isFunded: true, isFundedByGreedy: true }));
    expect(recommendationSentence({ proposals, optimumValue: 70, greedyValue: 70, optimumPence: 70_000 * POUND, availablePence: 70_000 * POUND })).toBe(
      "Fund 7 proposals: P-1, P-2, P-3 and 4 more, £70,000, the same as going down the ranking.",
    );
  });
});

describe("the words it uses", () => {
  it("lists with commas and a final 'and'", () => {
    expect(listInWords(["A"])).toBe("A");
    expect(listInWords(["A", "B"])).toBe("A and B");
    expect(listInWords(["A", "B", "C"])).toBe("A, B and C");
  });

  it("writes points without trailing zeros, and 1 point in the singular", () => {
    expect(pointsInWords(18)).toBe("18 points");
    expect(pointsInWords(1)).toBe("1 point");
    expect(pointsInWords(2.5)).toBe("2.5 points");
    expect(pointsInWords(0.333333)).toBe("0.33 points");
  });
});

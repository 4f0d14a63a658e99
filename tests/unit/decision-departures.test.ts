import { describe, expect, it } from "vitest";
import { decisionDepartures, departureReasonProblem, panelVoteFrom, storedDecisionDepartures } from "~/domain/decision-departures";

const fundVote = { outcome: "fund" as const, fund: 3, dontFund: 0 };
const downVote = { outcome: "dont_fund" as const, fund: 1, dontFund: 2 };

describe("decisionDepartures", () => {
  it("finds nothing when the decision follows the vote and the allocation", () => {
    expect(
      decisionDepartures({ outcome: "funded", amountPence: 500_000, vote: fundVote, allocation: { isRecommended: true, recommendedAmountPence: 500_000 } }),
    ).toEqual([]);
    expect(
      decisionDepartures({ outcome: "not_funded", amountPence: null, vote: downVote, allocation: { isRecommended: false, recommendedAmountPence: null } }),
    ).toEqual([]);
    expect(decisionDepartures({ outcome: "reserve", amountPence: null, vote: downVote, allocation: null })).toEqual([]);
    expect(decisionDepartures({ outcome: "funded", amountPence: 1, vote: null, allocation: null })).toEqual([]);
  });

  it("a reserve or not-funded decision on a proposal voted to fund departs from the vote", () => {
    for (const outcome of ["reserve", "not_funded"] as const) {
      expect(decisionDepartures({ outcome, amountPence: null, vote: fundVote, allocation: null }).map((d) => d.from)).toEqual(["vote"]);
    }
  });

  it("funding a proposal voted down departs from the vote, and from an allocation that left it out", () => {
    const departures = decisionDepartures({
      outcome: "funded",
      amountPence: 200_000,
      vote: downVote,
      allocation: { isRecommended: false, recommendedAmountPence: null },
    });
    expect(departures.map((d) => d.from)).toEqual(["vote", "allocation"]);
    expect(departures[0]!.text).toBe("The panel voted not to fund (1 vote to fund, 2 votes not to fund), but the decision is funded with £2,000.");
    expect(departureReasonProblem(departures, "  ")).toMatch(/^This decision differs from the panel's vote and the allocation\./);
    expect(departureReasonProblem(departures, "A reason")).toBeNull();
  });

  it("funding a recommended proposal with a different amount departs from the allocation", () => {
    expect(
      decisionDepartures({ outcome: "funded", amountPence: 300_000, vote: null, allocation: { isRecommended: true, recommendedAmountPence: 500_000 } })[0]!
        .text,
    ).toBe("The adopted allocation funds it with £5,000, but the decision is funded with £3,000.");
  });

  it("reads stored votes: an approval ballot says neither fund nor don't fund, and bad JSON is no vote", () => {
    expect(panelVoteFrom(JSON.stringify({ method: "approval", position: 1 }))).toBeNull();
    expect(panelVoteFrom("not json")).toBeNull();
    expect(
      storedDecisionDepartures({
        outcome: "not_funded",
        amount_pence: null,
        vote_counts: JSON.stringify({ method: "per_proposal", outcome: "fund", counts: { fund: 3, dontFund: 0 } }),
        allocation: null,
      }).map((d) => d.from),
    ).toEqual(["vote"]);
  });
});

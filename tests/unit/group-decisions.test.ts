import { describe, expect, it } from "vitest";
import { DEFAULT_REASONS, GroupDecisionsSchema, prefilledDecision } from "~/domain/group-decisions";
import { parseForm } from "~/utils/forms";

const fundVote = { outcome: "fund" as const, fund: 3, dontFund: 0 };
const downVote = { outcome: "dont_fund" as const, fund: 0, dontFund: 3 };

describe("prefilledDecision", () => {
  it("funds what the chosen allocation funds, with its amount and the default reason", () => {
    expect(prefilledDecision({ recommendedPence: 4_500_050, panelVote: fundVote })).toEqual({
      outcome: "funded",
      amount: "45000.50",
      reason: DEFAULT_REASONS.funded,
      departures: [],
    });
  });

  it("does not fund what the allocation leaves out, saying why", () => {
    expect(prefilledDecision({ recommendedPence: null, panelVote: null })).toMatchObject({
      outcome: "not_funded",
      amount: "",
      reason: DEFAULT_REASONS.notFunded,
      departures: [],
    });
    expect(prefilledDecision({ recommendedPence: null, panelVote: downVote })).toMatchObject({
      outcome: "not_funded",
      reason: DEFAULT_REASONS.votedDown,
      departures: [],
    });
  });

  it("flags a row that would go against the panel's vote, so it gets its own reason", () => {
    expect(prefilledDecision({ recommendedPence: null, panelVote: fundVote }).departures.map((d) => d.from)).toEqual(["vote"]);
  });
});

describe("the one-step form", () => {
  it("puts each row's problem on that row's field", () => {
    const form = new URLSearchParams({
      "decisions[0].proposalId": "p1",
      "decisions[0].outcome": "funded",
      "decisions[0].amount": "",
      "decisions[0].reason": "Funded.",
      "decisions[1].proposalId": "p2",
      "decisions[1].outcome": "not_funded",
      "decisions[1].reason": " ",
    });
    const parsed = parseForm(GroupDecisionsSchema, form);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual({
      "decisions[0].amount": "Enter the amount to fund, in pounds",
      "decisions[1].reason": "Write the reason for this decision: the applicant will read it",
    });
    expect(parsed.values["decisions[0].reason"]).toBe("Funded.");
  });

  it("needs at least one row", () => {
    const parsed = parseForm(GroupDecisionsSchema, new URLSearchParams());
    expect(parsed.ok ? null : parsed.errors).toEqual({ decisions: "There are no decisions to record" });
  });
});

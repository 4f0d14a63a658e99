import { describe, expect, it } from "vitest";
import { DomainError } from "~/domain/errors";
import { countProposalVotes, median, tallyApprovals, TIE_RULE_TEXTS, type CastVote, type ProposalVoteInput } from "~/domain/voting";

const present = ["ann", "bob", "cat", "dan", "eve", "fay"];
const votes = (...choices: CastVote["choice"][]): CastVote[] => choices.map((choice, i) => ({ memberId: present[i], choice }));
const base = (overrides: Partial<ProposalVoteInput>): ProposalVoteInput => ({ votes: [], presentMemberIds: present, tieRule: "chair", ...overrides });

describe("per-proposal votes: a simple majority of votes cast", () => {
  it("more votes to fund than not funds the proposal, and abstentions are not votes cast", () => {
    const result = countProposalVotes(base({ votes: votes("fund", "fund", "dont_fund", "abstain", "abstain") }));
    expect(result.counts).toEqual({ fund: 2, dontFund: 1, abstain: 2, cast: 3, eligible: 6, notVoted: 1 });
    expect(result.outcome).toBe("fund");
    expect(result.decidedBy).toBe("majority");
    expect(result.explanation).toBe("Funded: 2 votes to fund and 1 vote not to fund (2 abstentions). A simple majority of the 3 votes cast decides.");
  });

  it("more votes against means not funded, even when abstentions outnumber both", () => {
    const result = countProposalVotes(base({ votes: votes("dont_fund", "abstain", "abstain", "abstain") }));
    expect(result.outcome).toBe("dont_fund");
    expect(result.explanation).toMatch(/^Not funded: 0 votes to fund and 1 vote not to fund \(3 abstentions\)/);
  });

  it("recused members are not eligible and cannot vote", () => {
    const input = base({ votes: votes("fund"), recusedMemberIds: ["fay"] });
    expect(countProposalVotes(input).counts.eligible).toBe(5);
    expect(() => countProposalVotes(base({ votes: [{ memberId: "fay", choice: "fund" }], recusedMemberIds: ["fay"] }))).toThrow(
      "fay is recused from this proposal, so cannot vote on it",
    );
  });

  it("members who are not present cannot vote, and nobody votes twice", () => {
    expect(() => countProposalVotes(base({ votes: [{ memberId: "zed", choice: "fund" }] }))).toThrow("zed is not recorded as present, so cannot vote");
    const twice: CastVote[] = [
      { memberId: "ann", choice: "fund" },
      { memberId: "ann", choice: "dont_fund" },
    ];
    expect(() => countProposalVotes(base({ votes: twice }))).toThrow(DomainError);
  });
});

describe("per-proposal votes: ties under the chair's casting vote", () => {
  it("a tie waits for the chair's casting vote", () => {
    const result = countProposalVotes(base({ votes: votes("fund", "dont_fund", "abstain") }));
    expect(result.outcome).toBe("awaiting_casting_vote");
    expect(result.decidedBy).toBeNull();
    expect(result.explanation).toBe(
      "The vote is tied at 1 each (1 abstention). Under the fund's tie rule the chair has a casting vote, which has not been given yet.",
    );
  });

  it("the casting vote decides a tie, and the reason says so", () => {
    const result = countProposalVotes(base({ votes: votes("fund", "dont_fund"), castingVote: { memberId: "ann", choice: "dont_fund" } }));
    expect(result.outcome).toBe("dont_fund");
    expect(result.decidedBy).toBe("casting_vote");
    expect(result.explanation).toBe("Not funded: the vote is tied at 1 each. The chair gave a casting vote not to fund, as the fund's tie rule provides.");
  });

  it("a casting vote is ignored when there is a majority", () => {
    const result = countProposalVotes(base({ votes: votes("fund", "fund", "dont_fund"), castingVote: { memberId: "ann", choice: "dont_fund" } }));
    expect(result).toMatchObject({ outcome: "fund", decidedBy: "majority" });
  });

  it("everyone abstaining is a 0–0 tie, settled by the tie rule", () => {
    const result = countProposalVotes(base({ votes: votes("abstain", "abstain"), castingVote: { memberId: "bob", choice: "fund" } }));
    expect(result.outcome).toBe("fund");
    expect(result.explanation).toBe(
      "Funded: no votes were cast either way (2 abstentions), so the vote is tied. The chair gave a casting vote to fund, as the fund's tie rule provides.",
    );
  });

  it("a chair who is recused from the proposal cannot give its casting vote", () => {
    expect(() =>
      countProposalVotes(base({ votes: votes("fund", "dont_fund"), recusedMemberIds: ["fay"], castingVote: { memberId: "fay", choice: "fund" } })),
    ).toThrow("The casting vote must come from a chair who is present and not recused from this proposal");
  });
});

describe("per-proposal votes: ties settled by score against the group's median", () => {
  const tie = votes("fund", "dont_fund");
  const groupScores = [10, 14, 12, 20]; // median 13

  it("a score at the median funds the proposal", () => {
    const result = countProposalVotes(base({ votes: tie, tieRule: "higher_score", scores: { proposalScore: 13, groupScores } }));
    expect(result).toMatchObject({ outcome: "fund", decidedBy: "score" });
    expect(result.explanation).toBe(
      "Funded: the vote is tied at 1 each. The fund settles ties by score: this proposal's score of 13 is at or above the median score of the group's proposals, 13.",
    );
  });

  it("a score below the median does not", () => {
    const result = countProposalVotes(base({ votes: tie, tieRule: "higher_score", scores: { proposalScore: 12.999, groupScores } }));
    expect(result.outcome).toBe("dont_fund");
    expect(result.explanation).toContain("score of 13 is below the median");
  });

  it("an unscored proposal is not funded on a tie", () => {
    const result = countProposalVotes(base({ votes: tie, tieRule: "higher_score", scores: { proposalScore: null, groupScores } }));
    expect(result.outcome).toBe("dont_fund");
    expect(result.explanation).toContain("nobody scored this proposal");
  });

  it("a tie with no scores given is refused rather than guessed", () => {
    expect(() => countProposalVotes(base({ votes: tie, tieRule: "higher_score" }))).toThrow(DomainError);
  });

  it("the median is the middle score, or the average of the middle two", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(DomainError);
    expect(TIE_RULE_TEXTS.higher_score).toContain("at or above the median");
  });
});

describe("approval ballots", () => {
  const proposals = ["CRF-1", "CRF-2", "CRF-3", "CRF-4"];

  it("counts approvals per proposal and ranks them, equal counts by reference", () => {
    const result = tallyApprovals({
      proposals,
      maxApprovals: 2,
      ballots: [
        { memberId: "ann", approvals: ["CRF-3", "CRF-2"] },
        { memberId: "bob", approvals: ["CRF-3", "CRF-4"] },
        { memberId: "cat", approvals: ["CRF-2"] },
        { memberId: "dan", approvals: [] },
      ],
    });
    expect(result.rows).toEqual([
      { reference: "CRF-2", approvals: 2, position: 1, isTied: true },
      { reference: "CRF-3", approvals: 2, position: 2, isTied: true },
      { reference: "CRF-4", approvals: 1, position: 3, isTied: false },
      { reference: "CRF-1", approvals: 0, position: 4, isTied: false },
    ]);
    expect(result.ballotsCounted).toBe(4);
    expect(result.rule).toBe("Ranked by the number of approvals, most first. Proposals with the same number of approvals are ordered by reference, A to Z.");
  });

  it("with scores given, equal approvals are ordered by score before reference", () => {
    const result = tallyApprovals({
      proposals,
      maxApprovals: 1,
      ballots: [
        { memberId: "ann", approvals: ["CRF-1"] },
        { memberId: "bob", approvals: ["CRF-4"] },
      ],
      tieBreakScores: { "CRF-1": 10, "CRF-4": 12, "CRF-2": null, "CRF-3": 1 },
    });
    expect(result.rows.map((r) => r.reference)).toEqual(["CRF-4", "CRF-1", "CRF-3", "CRF-2"]);
    expect(result.rule).toContain("ordered by score, highest first");
  });

  it.each([
    [
      "more approvals than allowed",
      [{ memberId: "ann", approvals: ["CRF-1", "CRF-2", "CRF-3"] }],
      "ann's ballot approves 3 proposals; each member may approve up to 2",
    ],
    ["the same proposal twice", [{ memberId: "ann", approvals: ["CRF-1", "CRF-1"] }], "ann's ballot approves CRF-1 more than once"],
    ["a proposal not on the ballot", [{ memberId: "ann", approvals: ["CRF-9"] }], "ann's ballot approves CRF-9, which is not on the ballot"],
    ["a proposal the member is recused from", [{ memberId: "bob", approvals: ["CRF-2"] }], "bob is recused from CRF-2, so cannot approve it"],
    [
      "two ballots from one member",
      [
        { memberId: "ann", approvals: [] },
        { memberId: "ann", approvals: ["CRF-1"] },
      ],
      "ann has more than one ballot",
    ],
  ])("refuses a ballot with %s", (_name, ballots, message) => {
    const input = { proposals, maxApprovals: 2, ballots, recusals: { bob: ["CRF-2"] } };
    expect(() => tallyApprovals(input)).toThrow(DomainError);
    expect(() => tallyApprovals(input)).toThrow(message);
  });

  it("refuses a limit below 1", () => {
    expect(() => tallyApprovals({ proposals, maxApprovals: 0, ballots: [] })).toThrow(DomainError);
  });
});

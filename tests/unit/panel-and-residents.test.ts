import { describe, expect, it } from "vitest";
import { adviceText, adviceView, bothStage, shareOfVoters, shortlistsFirst, voteAdvisesPanel, voteFiguresOf } from "~/domain/panel-and-residents";

const vote = (phase: "draft" | "scheduled" | "open" | "closed") => ({ phase, opensAt: "2027-03-01T09:00:00.000Z", closesAt: "2027-03-15T18:00:00.000Z" });

describe("the two 'both' methods", () => {
  it("only shortlist_then_ballot shortlists first, and only ballot_advises_panel shows the vote to the panel", () => {
    expect((["panel", "ballot", "shortlist_then_ballot", "ballot_advises_panel"] as const).map((m) => [shortlistsFirst(m), voteAdvisesPanel(m)])).toEqual([
      [false, false],
      [false, false],
      [true, false],
      [false, true],
    ]);
  });
});

describe("bothStage: where a 'both' fund is, in words", () => {
  it("says nothing for a fund decided by the panel or the vote alone", () => {
    expect(bothStage("panel", null, false)).toBeNull();
    expect(bothStage("ballot", vote("open"), false)).toBeNull();
  });

  it("shortlist then ballot: shortlisting, shortlist made, voting open until the close (UK time), then the vote decides", () => {
    expect(bothStage("shortlist_then_ballot", null, false)).toBe("Shortlisting: the panel is choosing which ideas go to the vote.");
    expect(bothStage("shortlist_then_ballot", vote("scheduled"), false)).toBe("The panel has made its shortlist. Voting opens on 1 March 2027 at 09:00.");
    expect(bothStage("shortlist_then_ballot", vote("open"), false)).toBe(
      "Voting is open until 15 March 2027 at 18:00. People who live in the area vote on the shortlist.",
    );
    expect(bothStage("shortlist_then_ballot", vote("closed"), false)).toMatch(/^Voting has closed\. The vote decides/);
    expect(bothStage("shortlist_then_ballot", vote("closed"), true)).toBe("Decided. The results are published.");
  });

  it("the vote as advice: voting open, then the panel deciding with the vote as advice, then decided", () => {
    expect(bothStage("ballot_advises_panel", vote("open"), false)).toBe(
      "Voting is open until 15 March 2027 at 18:00. After that, the panel decides with the vote as advice.",
    );
    expect(bothStage("ballot_advises_panel", vote("closed"), false)).toBe("Voting has closed. The panel is deciding, with the residents' vote as advice.");
    expect(bothStage("ballot_advises_panel", vote("closed"), true)).toBe("The panel has decided. The results are published.");
  });
});

describe("the vote as advice, in words", () => {
  it("gives supporters and their share of voters, rounded to a whole percent; points for a points ballot; 0% when nobody voted", () => {
    expect(adviceText("approval", { supporters: 1, points: 1 }, 3, true)).toBe("1 of 3 voters chose it (33%)");
    expect(adviceText("knapsack", null, 3, true)).toBe("0 of 3 voters chose it (0%)");
    expect(adviceText("points", { supporters: 2, points: 7 }, 4, true)).toBe("7 points from 2 of 4 voters (50%)");
    expect(adviceText("approval", null, 3, false)).toBe("Not on the ballot");
    expect(shareOfVoters(0, 0)).toBe("0%");
  });

  it("adviceView covers exactly the rows asked about", () => {
    const view = adviceView(
      { kind: "approval", closedAt: "2027-03-15T18:00:00.000Z", ballotsCounted: 2, onBallot: ["a", "b"], figures: { a: { supporters: 2, points: 2 } } },
      ["a", "b", "c"],
    );
    expect(view.byProposal).toEqual({ a: "2 of 2 voters chose it (100%)", b: "0 of 2 voters chose it (0%)", c: "Not on the ballot" });
    expect(view.intro).toBe(
      "Advice, not the decision: 2 people voted in the community vote, which closed on 15 March 2027 at 18:00. The panel decides. The figures count each voter's last ballot.",
    );
  });
});

describe("voteFiguresOf: the figures from a count's anonymised ballots", () => {
  it("counts the ballots that chose each project and adds up their points; zero points and empty ballots add nothing", () => {
    const figures = voteFiguresOf([{ a: 3, b: 2 }, { a: 1 }, { b: 0, c: 5 }, {}]);
    expect(Object.fromEntries(figures)).toEqual({ a: { supporters: 2, points: 4 }, b: { supporters: 1, points: 2 }, c: { supporters: 1, points: 5 } });
  });
});

import { describe, expect, it } from "vitest";
import { countEqualShares, countEveryRule, countGreedy, type CountInput } from "~/domain/ballot-counting";
import type { Ballot } from "~/domain/ballot-rules";
import { DomainError } from "~/domain/errors";
import { countInputFromPabulib, pabulibFilesForCount, parsePabulib, writePabulib, type PabulibFile } from "~/domain/pabulib";

const meta = { description: "Community Fund (demo) ballot", country: "United Kingdom", unit: "Bristol", instance: "2026", rule: "equalshares" };

const twoPots: CountInput = {
  pots: [
    { id: "east", budgetPence: 110_000 },
    { id: "south", budgetPence: 50_050 },
  ],
  projects: [
    { id: "E1", costPence: 70_000, potId: "east" },
    { id: "E2", costPence: 40_000, potId: "east" },
    { id: "E3", costPence: 25_000, potId: "east" },
    { id: "E4", costPence: 20_000, potId: "east" },
    { id: "E5", costPence: 10_000, potId: "east" },
    { id: "S1", costPence: 30_025, potId: "south" },
    { id: "S2", costPence: 20_025, potId: "south" },
  ],
  ballots: (
    [
      ["E1", "E2", "S1"],
      ["E1", "E2", "E3"],
      ["E1", "E2"],
      ["E1", "E2", "E3", "S2"],
      ["E1", "E2", "E3"],
      ["E1", "E2"],
      ["E3", "E4", "E5", "S1", "S2"],
      ["E4"],
      ["E4", "E5"],
      ["E3", "E4", "E5"],
      ["E1"],
      ["S2"],
    ] as string[][]
  ).map((projectIds): Ballot => ({ kind: "approval", projectIds })),
};

describe("writing and reading pabulib .pb files", () => {
  it("writes the three sections with semicolons, pounds for GBP and one file per pot", () => {
    const files = pabulibFilesForCount(twoPots, meta, { potNames: { east: "Inner East", south: "South" }, fundedIds: countGreedy(twoPots).fundedIds });
    expect(files.map((f) => f.fileName)).toEqual(["united-kingdom_bristol_2026_inner-east.pb", "united-kingdom_bristol_2026_south.pb"]);
    const south = files[1].text;
    expect(south).toBe(
      [
        "META",
        "key;value",
        "description;Community Fund (demo) ballot",
        "country;United Kingdom",
        "unit;Bristol",
        "instance;2026",
        "subunit;South",
        "num_projects;2",
        "num_votes;4",
        "budget;500.50",
        "vote_type;approval",
        "rule;equalshares",
        "currency;GBP",
        "PROJECTS",
        "project_id;cost;votes;selected",
        "S1;300.25;2;1",
        "S2;200.25;3;1",
        "VOTES",
        "voter_id;vote",
        // Voters are numbered by their sorted ballots (the same number in every pot's file), and each
        // file lists only what they chose in its pot.
        "6;S2",
        "7;S1",
        "9;S1,S2",
        "12;S2",
        "",
      ].join("\n"),
    );
  });

  it("parse(write(x)) gives back x, with names holding semicolons and quotes", () => {
    const file: PabulibFile = {
      meta: { ...meta, voteType: "cumulative", budgetPence: 123_456, currency: "GBP", minLength: 2, maxSumPoints: 10, extra: { comment: "#1: paper; online" } },
      projects: [
        { id: "1", costPence: 100_000, name: 'Play area; "new" swings' },
        { id: "2", costPence: 5_001, name: "Bench\non the green" },
      ],
      votes: [
        { voterId: "1", projectIds: ["1", "2"], points: [7, 3] },
        { voterId: "2", projectIds: ["2"], points: [10] },
      ],
    };
    expect(parsePabulib(writePabulib(file))).toEqual(file);
  });

  it("recounting the parsed files gives the same winners, by every rule", () => {
    const files = pabulibFilesForCount(twoPots, meta);
    const original = countEveryRule(twoPots);
    for (const [k, { potId, text }] of files.entries()) {
      const recount = countEveryRule(countInputFromPabulib(parsePabulib(text), potId));
      for (const rule of ["greedy", "optimum", "equal-shares", "phragmen"] as const) {
        expect(recount[rule].fundedIds).toEqual(original[rule].pots[k].fundedIds);
      }
    }
  });

  it("round-trips points ballots (vote_type cumulative) and recounts Equal Shares to the same winners", () => {
    const input: CountInput = {
      pots: [{ id: "pot", budgetPence: 10_000 }],
      projects: [
        { id: "X", costPence: 6_000, potId: "pot" },
        { id: "Y", costPence: 4_000, potId: "pot" },
        { id: "Z", costPence: 5_000, potId: "pot" },
      ],
      ballots: [
        { kind: "points", points: { X: 3, Z: 1 } },
        { kind: "points", points: { Y: 2, Z: 2 } },
      ],
    };
    const [only] = pabulibFilesForCount(input, { ...meta, minLength: 1, maxSumPoints: 4 });
    expect(only.text).toContain("vote_type;cumulative");
    expect(only.text).toContain("voter_id;vote;points\n1;X,Z;3,1\n2;Y,Z;2,2\n");
    const parsed = parsePabulib(only.text);
    expect(parsed).toEqual(only.file);
    expect(countEqualShares(countInputFromPabulib(parsed, "pot")).fundedIds).toEqual(countEqualShares(input).fundedIds);
  });

  it("reads a file written by hand as the research tools write them (extra columns, None, a BOM, CRLF)", () => {
    const text =
      "\uFEFFMETA\r\nkey;value\r\ndescription;Test\r\ncountry;Poland\r\nunit;Warszawa\r\ninstance;2023\r\nnum_projects;2\r\nnum_votes;2\r\nbudget;1000\r\nvote_type;approval\r\nrule;greedy\r\n" +
      "PROJECTS\r\nproject_id;cost;votes;name;category\r\n1;600;2;Park;None\r\n2;500;1;None;education\r\nVOTES\r\nvoter_id;age;vote;sex\r\n10;34;1,2;F\r\n11;None;1;M\r\n";
    const parsed = parsePabulib(text);
    expect(parsed.meta).toMatchObject({ country: "Poland", budgetPence: 100_000, voteType: "approval" });
    expect(parsed.projects).toEqual([
      { id: "1", costPence: 60_000, votes: 2, name: "Park" },
      { id: "2", costPence: 50_000, votes: 1 },
    ]);
    expect(parsed.votes).toEqual([
      { voterId: "10", projectIds: ["1", "2"] },
      { voterId: "11", projectIds: ["1"] },
    ]);
    expect(countGreedy(countInputFromPabulib(parsed)).fundedIds).toEqual(["1"]);
  });

  it("says which line is wrong, in plain English", () => {
    const bad =
      "META\nkey;value\ndescription;x\ncountry;x\nunit;x\ninstance;x\nbudget;100\nvote_type;approval\nrule;greedy\nPROJECTS\nproject_id;cost\n1;12.345\nVOTES\nvoter_id;vote\n";
    expect(() => parsePabulib(bad)).toThrow(new DomainError("Line 12 of the .pb file: the cost of 1 is not an amount of money."));
    expect(() => parsePabulib(bad.replace("12.345", "12").replace("vote_type;approval", "vote_type;ordinal"))).toThrow(
      "The .pb file's vote_type is ordinal; only approval and cumulative can be read.",
    );
    expect(() => parsePabulib(bad.replace("12.345", "12") + "1;2\n")).toThrow("Voter 1 voted for 2, which is not in PROJECTS.");
    expect(() => parsePabulib(bad.replace("12.345", "12").replace("budget;100\n", ""))).toThrow("The .pb file has no budget in META.");
  });

  it("writes the same file whatever order the ballots were cast in", () => {
    const reversed = { ...twoPots, ballots: [...twoPots.ballots].reverse() };
    expect(pabulibFilesForCount(reversed, meta).map((f) => f.text)).toEqual(pabulibFilesForCount(twoPots, meta).map((f) => f.text));
  });
});

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  canonicalRulesJson,
  checkBallotRules,
  describeBallotRules,
  hashBallotRules,
  parseBallotRules,
  validateBallot,
  type BallotProject,
  type BallotRules,
} from "~/domain/ballot-rules";
import { DomainError } from "~/domain/errors";

const rules = (overrides: Partial<BallotRules> = {}): BallotRules => ({
  version: 1,
  ballot: { kind: "approval", maxProjects: 2 },
  pots: [
    { id: "north", name: "North", budgetPence: 100_000 },
    { id: "city", name: "City-wide", budgetPence: 250_000 },
  ],
  counting: "equal-shares",
  equalSharesUtility: "cost",
  tieRule: "cheaper-then-more-votes-then-reference",
  ...overrides,
});

const projects: BallotProject[] = [
  { id: "N1", costPence: 40_000, potId: "north" },
  { id: "N2", costPence: 50_000, potId: "north" },
  { id: "N3", costPence: 30_000, potId: "north" },
  { id: "C1", costPence: 200_000, potId: "city" },
];

describe("the rules snapshot", () => {
  it("has one canonical JSON whatever order the pots, projects and keys were given in", () => {
    const a = rules({ projects });
    const b: BallotRules = {
      tieRule: "cheaper-then-more-votes-then-reference",
      projects: [...projects].reverse(),
      equalSharesUtility: "cost",
      counting: "equal-shares",
      pots: [...a.pots].reverse(),
      ballot: { maxProjects: 2, kind: "approval" },
      version: 1,
    };
    expect(canonicalRulesJson(b)).toBe(canonicalRulesJson(a));
    expect(hashBallotRules(b)).toBe(hashBallotRules(a));
  });

  it("writes sorted keys, no whitespace and whole pence, and hashes exactly that text with SHA-256", () => {
    const expected =
      '{"ballot":{"kind":"approval","maxProjects":2},"counting":"equal-shares","equalSharesUtility":"cost",' +
      '"pots":[{"budgetPence":250000,"id":"city","name":"City-wide"},{"budgetPence":100000,"id":"north","name":"North"}],' +
      '"tieRule":"cheaper-then-more-votes-then-reference","version":1}';
    expect(canonicalRulesJson(rules())).toBe(expected);
    expect(hashBallotRules(rules())).toBe(createHash("sha256").update(expected).digest("hex"));
  });

  it("changes its hash when any rule changes", () => {
    const base = hashBallotRules(rules());
    expect(hashBallotRules(rules({ counting: "greedy" }))).not.toBe(base);
    expect(hashBallotRules(rules({ ballot: { kind: "approval", maxProjects: 3 } }))).not.toBe(base);
    expect(hashBallotRules(rules({ pots: [{ id: "north", name: "North", budgetPence: 100_001 }] }))).not.toBe(base);
  });

  it("refuses money that is not whole pence, and says what is wrong in plain English", () => {
    expect(() => canonicalRulesJson(rules({ pots: [{ id: "north", name: "North", budgetPence: 10.5 }] }))).toThrow(
      new DomainError("The budget of North must be a whole number of pence, more than 0."),
    );
    expect(checkBallotRules(rules({ ballot: { kind: "points", totalPoints: 3, minProjects: 4 } }))).toEqual([
      "Voters cannot give points to more projects than they have points.",
    ]);
    expect(checkBallotRules(rules({ projects: [{ id: "X", costPence: 100, potId: "south" }] }))).toEqual([
      "The project X is in a pot that is not listed (south).",
    ]);
  });

  it("reads a published snapshot back to the same rules", () => {
    const json = canonicalRulesJson(rules({ projects }));
    expect(canonicalRulesJson(parseBallotRules(json))).toBe(json);
    expect(() => parseBallotRules("{not json")).toThrow("The rules are not valid JSON.");
  });

  it("describes the rules, the counting rule and the tie rule in plain words", () => {
    const lines = describeBallotRules(rules());
    expect(lines[0]).toBe("Choose up to 2 projects in each pot.");
    expect(lines).toContain("North: £1,000.");
    expect(lines.at(-1)).toMatch(/^If projects are level, the cheaper project goes first/);
  });
});

describe("checking a ballot against the rules", () => {
  it("accepts an approval ballot within the limit in each pot", () => {
    expect(validateBallot({ kind: "approval", projectIds: ["N1", "N2", "C1"] }, rules(), projects)).toEqual({ isValid: true });
  });

  it("says how many were chosen and how many are allowed", () => {
    expect(validateBallot({ kind: "approval", projectIds: ["N1", "N2", "N3"] }, rules(), projects)).toEqual({
      isValid: false,
      errors: ["You chose 3 projects in North. You can choose up to 2. Untick 1."],
    });
    expect(validateBallot({ kind: "approval", projectIds: [] }, rules(), projects)).toEqual({ isValid: false, errors: ["Choose at least one project."] });
    expect(validateBallot({ kind: "approval", projectIds: ["N1", "N1"] }, rules(), projects)).toEqual({
      isValid: false,
      errors: ["You chose a project twice. Choose each project once."],
    });
    expect(validateBallot({ kind: "approval", projectIds: ["Z9"] }, rules(), projects)).toEqual({
      isValid: false,
      errors: ["One of your choices is not on this ballot. Reload the page and choose again."],
    });
  });

  it("checks points: whole numbers, no more than the points to share, and enough projects", () => {
    const points = rules({ ballot: { kind: "points", totalPoints: 10, minProjects: 2 } });
    expect(validateBallot({ kind: "points", points: { N1: 6, N2: 4 } }, points, projects)).toEqual({ isValid: true });
    expect(validateBallot({ kind: "points", points: { N1: 8, N2: 4 } }, points, projects)).toEqual({
      isValid: false,
      errors: ["You gave 12 points in North. You have 10. Take away 2."],
    });
    expect(validateBallot({ kind: "points", points: { N1: 10, N2: 0 } }, points, projects)).toEqual({
      isValid: false,
      errors: ["Give points to at least 2 projects in North. You gave points to 1."],
    });
    expect(validateBallot({ kind: "points", points: { N1: 1.5, N2: 2 } }, points, projects)).toEqual({
      isValid: false,
      errors: ["Use whole numbers of points.", "Give points to at least 2 projects in North. You gave points to 1."],
    });
  });

  it("checks a knapsack ballot's total against each pot's budget", () => {
    const knapsack = rules({ ballot: { kind: "knapsack" } });
    expect(validateBallot({ kind: "knapsack", projectIds: ["N1", "N2"] }, knapsack, projects)).toEqual({ isValid: true });
    expect(validateBallot({ kind: "knapsack", projectIds: ["N1", "N2", "N3"] }, knapsack, projects)).toEqual({
      isValid: false,
      errors: ["Your projects in North cost £1,200. The budget is £1,000. Take some out."],
    });
  });

  it("refuses a ballot of the wrong kind", () => {
    expect(validateBallot({ kind: "points", points: { N1: 1 } }, rules(), projects)).toEqual({
      isValid: false,
      errors: ["This ballot must be an approval ballot."],
    });
  });
});

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ballotFromChoices, canonicalRulesJson, validateBallot, type BallotRules } from "~/domain/ballot-rules";
import {
  ballotPhase,
  canonicalChoices,
  choicesFromForm,
  isoToUkLocal,
  normalisePostcode,
  parsePostcodeList,
  parsePrefixes,
  pointsField,
  postcodeInArea,
  rulesFromSettings,
  ukLocalToIso,
  type BallotSettings,
} from "~/domain/community-ballot";

const settings: BallotSettings = {
  kind: "approval",
  maxChoices: 2,
  pointsTotal: null,
  pointsMinProjects: null,
  budgetPence: null,
  countingRule: "equal-shares",
  tieRule: "cheaper-then-more-votes-then-reference",
  opensAt: "2027-03-01T09:00:00.000Z",
  closesAt: "2027-03-15T17:00:00.000Z",
  minAge: null,
};
const projects = [
  { id: "b", reference: "AI-0002", title: "Two", costPence: 200, potId: "g" },
  { id: "a", reference: "AI-0001", title: "One", costPence: 100, potId: "g" },
];
const pots = [{ id: "g", name: "G", budgetPence: 300 }];

describe("postcodes", () => {
  it("normalises case and spacing", () => {
    expect(normalisePostcode(" bs50ab ")).toBe("BS5 0AB");
    expect(normalisePostcode("SW1A  1aa")).toBe("SW1A 1AA");
  });

  it("reads a CSV or one-a-line list, skipping a header and repeats, and names lines that are not postcodes", () => {
    expect(parsePostcodeList('postcode\r\n"bs5 0ab",x\nBS50AB\n\nCO9 2AB')).toEqual({ postcodes: ["BS5 0AB", "CO9 2AB"], rejected: ["x"] });
  });

  it("a prefix is a whole outward code, or an outward code and the start of the inward one", () => {
    const area = { prefixes: parsePrefixes("bs5, BS2  9"), isOnList: false };
    expect(area.prefixes).toEqual(["BS2 9", "BS5"]);
    expect(postcodeInArea("BS5 0AB", area)).toBe(true);
    expect(postcodeInArea("BS50 1AA", area)).toBe(false);
    expect(postcodeInArea("BS2 9TG", area)).toBe(true);
    expect(postcodeInArea("BS2 8TG", area)).toBe(false);
    expect(postcodeInArea("ZZ1 1ZZ", { prefixes: [], isOnList: true })).toBe(true);
  });
});

describe("the frozen rules", () => {
  it("the same rules give the same canonical JSON and hash, whatever order the projects came in", () => {
    const one = canonicalRulesJson(rulesFromSettings({ fundId: "f", ballotId: "x" }, settings, pots, projects));
    const two = canonicalRulesJson(rulesFromSettings({ fundId: "f", ballotId: "x" }, settings, pots, [...projects].reverse()));
    expect(one).toBe(two);
    expect(one.startsWith('{"ballot":{"kind":"approval","maxProjects":2},"counting":"equal-shares",')).toBe(true);
    const changed = canonicalRulesJson(rulesFromSettings({ fundId: "f", ballotId: "x" }, { ...settings, maxChoices: 3 }, pots, projects));
    expect(createHash("sha256").update(changed).digest("hex")).not.toBe(createHash("sha256").update(one).digest("hex"));
  });
});

describe("checking one voter's choices against the frozen rules", () => {
  const frozen = (s: Partial<BallotSettings>): BallotRules => rulesFromSettings({ fundId: "f", ballotId: "x" }, { ...settings, ...s }, pots, projects);
  const problem = (rules: BallotRules, choices: Record<string, number>) => {
    const check = validateBallot(ballotFromChoices(rules.ballot.kind, choices), rules);
    return check.isValid ? null : check.errors[0];
  };
  it("approval: up to K, only projects on the ballot, not empty", () => {
    const rules = frozen({ maxChoices: 1 });
    expect(problem(rules, { a: 1 })).toBeNull();
    expect(problem(rules, { a: 1, b: 1 })).toBe("You chose 2 projects. You can choose up to 1. Untick 1.");
    expect(problem(rules, { c: 1 })).toMatch(/not on this ballot/);
    expect(problem(rules, {})).toBe("Choose at least one project.");
  });

  it("points and budget", () => {
    const points = frozen({ kind: "points", pointsTotal: 5, pointsMinProjects: 2 });
    expect(problem(points, { a: 3, b: 2 })).toBeNull();
    expect(problem(points, { a: 5 })).toBe("Give points to at least 2 projects. You gave points to 1.");
    const budget = frozen({ kind: "knapsack", budgetPence: 250 });
    expect(problem(budget, { a: 1 })).toBeNull();
    expect(problem(budget, { a: 1, b: 1 })).toBe("Your projects cost £3. The budget is £2.50. Take some out.");
  });

  it("reads the form: ticks, or whole points per project", () => {
    expect(choicesFromForm("approval", ["a", "b"], { choice: ["a", "b"] })).toEqual({ choices: { a: 1, b: 1 }, problem: null });
    expect(choicesFromForm("points", ["a", "b"], { [pointsField("a")]: "3", [pointsField("b")]: "" })).toEqual({ choices: { a: 3 }, problem: null });
    expect(choicesFromForm("points", ["a"], { [pointsField("a")]: "1.5" }).problem).toMatch(/whole number/);
    expect(canonicalChoices({ b: 1, a: 2, c: 0 })).toBe('{"a":2,"b":1}');
  });
});

describe("time", () => {
  it("reads UK time, in winter and in summer", () => {
    expect(ukLocalToIso("2026-12-01T18:30")).toBe("2026-12-01T18:30:00.000Z");
    expect(ukLocalToIso("2027-07-01T09:00")).toBe("2027-07-01T08:00:00.000Z");
    expect(ukLocalToIso("2027-02-30T09:00")).toBeNull();
    expect(isoToUkLocal("2027-07-01T08:00:00.000Z")).toBe("2027-07-01T09:00");
  });

  it("a ballot is a draft until opened, then scheduled, open and closed by its times", () => {
    const ballot = { opened_at: null as string | null, opens_at: "2027-03-01T09:00:00.000Z", closes_at: "2027-03-15T17:00:00.000Z" };
    expect(ballotPhase(ballot, new Date("2027-03-02T00:00:00Z"))).toBe("draft");
    ballot.opened_at = "2027-02-01T00:00:00.000Z";
    expect(ballotPhase(ballot, new Date("2027-02-02T00:00:00Z"))).toBe("scheduled");
    expect(ballotPhase(ballot, new Date("2027-03-02T00:00:00Z"))).toBe("open");
    expect(ballotPhase(ballot, new Date("2027-03-15T17:00:00Z"))).toBe("closed");
  });
});

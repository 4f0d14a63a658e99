import { describe, expect, it } from "vitest";
import { CriterionSchema, DecisionGroupSchema, EligibilityQuestionSchema, FundSchema, LeadOrganisationSchema } from "~/domain/forms/fund";
import { budgetProblem, eligibilityRuleText, grantRangeProblem, linesOf, phasesProblems, potsOverBudget, potsProblem, type Phases } from "~/domain/fund";

const noDates: Phases = { opensOn: null, closesOn: null, reviewOn: null, decisionsOn: null, awardsOn: null };
const inOrder: Phases = { opensOn: "2026-07-01", closesOn: "2026-10-31", reviewOn: "2027-01-10", decisionsOn: "2027-05-01", awardsOn: "2027-06-01" };

describe("pots and the fund's budget", () => {
  it("pots that add up to the budget exactly fit", () => {
    expect(potsOverBudget(400_000_000, [320_000_000, 80_000_000])).toBe(0);
    expect(potsProblem(400_000_000, [320_000_000, 80_000_000])).toBeNull();
  });

  it("no pots at all fit any budget", () => {
    expect(potsProblem(0, [])).toBeNull();
  });

  it("pots over the budget are refused, saying the total and by how much", () => {
    expect(potsOverBudget(400_000_000, [320_000_000, 90_000_000])).toBe(10_000_000);
    expect(potsProblem(400_000_000, [320_000_000, 90_000_000])).toBe(
      "The decision groups' pots would add up to £4,100,000, which is £100,000 more than the fund's total budget of £4,000,000",
    );
  });

  it("an overspend of pence is shown in pence", () => {
    expect(potsProblem(100_00, [100_01])).toContain("£0.01 more");
  });

  it("a budget lowered below the pots is refused, saying how far short it is", () => {
    expect(budgetProblem(300_000_000, [320_000_000])).toBe(
      "The total budget must be at least £3,200,000, the sum of the decision groups' pots. It is £200,000 too low: lower the pots first, or raise the budget",
    );
    expect(budgetProblem(320_000_000, [320_000_000])).toBeNull();
  });
});

describe("grant ranges", () => {
  it("minimum ≤ maximum ≤ pot is fine, including equal amounts", () => {
    expect(grantRangeProblem({ potPence: 100, minGrantPence: 100, maxGrantPence: 100 })).toBeNull();
  });

  it("a minimum above the maximum is reported on the minimum", () => {
    expect(grantRangeProblem({ potPence: 1000, minGrantPence: 600, maxGrantPence: 500 })).toEqual({
      field: "minGrant",
      message: "The minimum grant must be the same as or less than the maximum grant",
    });
  });

  it("a maximum above the pot is reported on the maximum, naming the pot", () => {
    expect(grantRangeProblem({ potPence: 5_000_000, minGrantPence: 0, maxGrantPence: 6_000_000 })).toEqual({
      field: "maxGrant",
      message: "The maximum grant must be the same as or less than the pot (£50,000)",
    });
  });
});

describe("phases", () => {
  it("dates in order, or on the same day, are fine", () => {
    expect(phasesProblems(inOrder, true)).toEqual({});
    expect(phasesProblems({ ...inOrder, closesOn: inOrder.opensOn }, true)).toEqual({});
  });

  it("a date before the one it follows is reported on the later field", () => {
    expect(phasesProblems({ ...inOrder, closesOn: "2026-06-30" }, false)).toEqual({
      closesOn: "The date proposals close must be the same as or after the date proposals open",
    });
  });

  it("missing dates are skipped when checking order", () => {
    expect(phasesProblems({ ...noDates, opensOn: "2026-07-01", decisionsOn: "2026-06-01" }, false)).toEqual({
      decisionsOn: "The date decisions are made must be the same as or after the date proposals open",
    });
  });

  it("an unpublished fund may leave dates empty; a published one may not", () => {
    expect(phasesProblems(noDates, false)).toEqual({});
    expect(phasesProblems(noDates, true).opensOn).toBe("Enter the date proposals open before you publish the fund");
  });
});

describe("text helpers", () => {
  it("lines of a textarea are trimmed and blank ones dropped", () => {
    expect(linesOf(" A \r\n\n B\n  \n")).toEqual(["A", "B"]);
    expect(linesOf(undefined)).toEqual([]);
  });

  it("an eligibility rule reads as a sentence", () => {
    expect(eligibilityRuleText({ ineligibleAnswers: ["No"] })).toBe('Groups that answer "No" cannot apply.');
    expect(eligibilityRuleText({ ineligibleAnswers: ["A", "B", "C"] })).toBe('Groups that answer "A", "B" or "C" cannot apply.');
  });
});

const fund = {
  name: "Fund",
  purpose: "Purpose",
  type: "capital",
  budget: "£4,000,000",
  isPublished: "no",
};

describe("the fund form", () => {
  it("turns pounds into pence and yes/no into a boolean", () => {
    const result = FundSchema.safeParse({ ...fund, ...inOrder, isPublished: "yes" });
    expect(result.success && result.data).toMatchObject({ budget: 400_000_000, isPublished: true, opensOn: "2026-07-01" });
  });

  it.each([
    ["abc", "Enter the total budget as an amount of money, like 50000 or £50,000.00"],
    ["-100", "The total budget must be more than £0"],
    ["0", "The total budget must be more than £0"],
    ["", "Enter the total budget"],
    ["2000000000", "The total budget must be £1,000,000,000 or less"],
  ])("a budget of %j is refused: %s", (budget, message) => {
    const result = FundSchema.safeParse({ ...fund, budget });
    expect(result.success).toBe(false);
    expect(result.error?.issues.find((i) => i.path[0] === "budget")?.message).toBe(message);
  });

  it("a date that is not a real date is refused in plain English", () => {
    const result = FundSchema.safeParse({ ...fund, opensOn: "2026-02-30" });
    expect(result.error?.issues[0]?.message).toBe("Enter the date proposals open as a real date, like 2026-11-23");
  });
});

describe("the eligibility question form", () => {
  const question = { text: "Q?", ineligibleReason: "Because." };

  it("a yes/no question always offers Yes and No", () => {
    const result = EligibilityQuestionSchema.safeParse({ ...question, kind: "yes_no", ineligibleIfNo: "on", options: "ignored" });
    expect(result.success && result.data).toMatchObject({ options: ["Yes", "No"], ineligibleAnswers: ["No"] });
  });

  it("a yes/no question must let some answer through", () => {
    const result = EligibilityQuestionSchema.safeParse({ ...question, kind: "yes_no", ineligibleIfYes: "on", ineligibleIfNo: "on" });
    expect(result.error?.issues[0]).toMatchObject({ path: ["ineligibleIfYes"], message: "At least one answer must let a group apply" });
  });

  it("choice answers match the options whatever their case, and are stored as the option is written", () => {
    const result = EligibilityQuestionSchema.safeParse({ ...question, kind: "choice", options: "Charity\nBusiness\n", ineligibleChoices: "business" });
    expect(result.success && result.data).toMatchObject({ options: ["Charity", "Business"], ineligibleAnswers: ["Business"] });
  });

  it("an ineligible answer that is not an option is refused, naming it", () => {
    const result = EligibilityQuestionSchema.safeParse({ ...question, kind: "choice", options: "Charity\nBusiness", ineligibleChoices: "Company" });
    expect(result.error?.issues[0]?.path).toEqual(["ineligibleChoices"]);
    expect(result.error?.issues[0]?.message).toMatch(/^"Company" is not one of the answers/);
  });

  it("a choice question needs two different answers", () => {
    expect(EligibilityQuestionSchema.safeParse({ ...question, kind: "choice", options: "Only", ineligibleChoices: "Only" }).error?.issues[0]?.message).toBe(
      "Enter at least 2 answers, one on each line",
    );
    expect(EligibilityQuestionSchema.safeParse({ ...question, kind: "choice", options: "A\na", ineligibleChoices: "A" }).error?.issues[0]?.message).toBe(
      'The answer "a" is listed more than once',
    );
  });
});

describe("the other set-up forms", () => {
  it("a criterion keeps six guidance bands, empty ones as empty strings", () => {
    const result = CriterionSchema.safeParse({ name: "Need", weight: "3", guidance: ["None", "", "", "", "", "Strong"] });
    expect(result.success && result.data).toEqual({ criterionId: null, name: "Need", weight: 3, guidance: ["None", "", "", "", "", "Strong"] });
  });

  it.each(["0", "1.5", "two", "-1"])("a weight of %j is refused", (weight) => {
    expect(CriterionSchema.safeParse({ name: "Need", weight }).success).toBe(false);
  });

  it("a decision group's minimum above its maximum is refused on the minimum", () => {
    const result = DecisionGroupSchema.safeParse({
      name: "G",
      area: "A",
      pot: "100000",
      minGrant: "60000",
      maxGrant: "50000",
      leadOrganisationIds: ["lead-1"],
    });
    expect(result.error?.issues[0]).toMatchObject({ path: ["minGrant"] });
  });

  it("a lead organisation's postcode is tidied and checked", () => {
    const ok = LeadOrganisationSchema.safeParse({ name: "Org", contactName: "Ann", contactEmail: "Ann@Example.org", postcode: "bs1  5tr" });
    expect(ok.success && ok.data).toMatchObject({ postcode: "BS1 5TR", contactEmail: "ann@example.org" });
    const bad = LeadOrganisationSchema.safeParse({ name: "Org", contactName: "Ann", contactEmail: "ann@example.org", postcode: "12345" });
    expect(bad.error?.issues[0]?.message).toBe("Enter a real postcode, like BS1 5TR");
  });
});

describe("reporting every problem at once", () => {
  it("the fund form reports a missing name, a bad budget and dates out of order together, in the form's order", () => {
    const result = FundSchema.safeParse({ ...fund, name: "", budget: "abc", opensOn: "2026-12-01", closesOn: "2026-11-01", isPublished: "yes" });
    const fields = [...new Set(result.error?.issues.map((i) => i.path[0]))];
    expect(fields).toEqual(["name", "budget", "closesOn", "reviewOn", "decisionsOn", "awardsOn"]);
  });

  it("an eligibility question with no reason still has its answers checked", () => {
    const result = EligibilityQuestionSchema.safeParse({ text: "Q?", kind: "choice", options: "A\nB", ineligibleChoices: "C", ineligibleReason: "" });
    expect(result.error?.issues.map((i) => i.path[0])).toEqual(["ineligibleReason", "ineligibleChoices"]);
  });
});

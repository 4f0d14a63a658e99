import { describe, expect, it } from "vitest";
import { budgetRowCount, proposalFormSchema, valuesOf } from "~/domain/forms/proposal";
import { penceToPoundsInput } from "~/domain/money";
import { EMPTY_CONTENT, type GroupLimits } from "~/domain/proposal";
import { parseForm } from "~/utils/forms";

const form = (fields: Record<string, string>) => new URLSearchParams(fields);
const parseProposalForm = (fields: URLSearchParams, limits?: GroupLimits) => parseForm(proposalFormSchema(limits), fields);
const LIMITS = { minGrantPence: 1_000_000, maxGrantPence: 10_000_000, potPence: 50_000_000 };

describe("reading the outline proposal form", () => {
  it("an empty form is a valid, empty draft", () => {
    const parsed = parseProposalForm(form({}));
    expect(parsed).toMatchObject({ ok: true, data: EMPTY_CONTENT });
  });

  it("reads every field, turning pounds into pence and skipping blank rows", () => {
    const parsed = parseProposalForm(
      form({
        title: "  Community kitchen  ",
        summary: "A kitchen for the hall.",
        needType: "felt",
        needEvidence: "A survey of 120 residents",
        beneficiaries: "Families",
        beneficiaryCount: "1,200",
        whatBuilt: "Kitchen units and an oven",
        "budgetLines[0].item": "Oven",
        "budgetLines[0].cost": "£2,500.50",
        "budgetLines[1].item": "",
        "budgetLines[1].cost": "",
        "budgetLines[2].item": "Units",
        "budgetLines[2].cost": "12000",
        amountRequested: "14,500.50",
        startDate: "2027-01-10",
        endDate: "2027-03-31",
        "outcomes[0].outcome": "More hot meals",
        "outcomes[0].measure": "Meals served each week",
      }),
      LIMITS,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.data).toEqual({
      title: "Community kitchen",
      summary: "A kitchen for the hall.",
      needType: "felt",
      needEvidence: "A survey of 120 residents",
      beneficiaries: "Families",
      beneficiaryCount: 1200,
      whatBuilt: "Kitchen units and an oven",
      budgetLines: [
        { item: "Oven", costPence: 250_050 },
        { item: "Units", costPence: 1_200_000 },
      ],
      amountRequestedPence: 1_450_050,
      startDate: "2027-01-10",
      endDate: "2027-03-31",
      outcomes: [{ outcome: "More hot meals", measure: "Meals served each week" }],
    });
  });

  it("money that is not an amount is an error on that field, and everything typed is kept", () => {
    const parsed = parseProposalForm(form({ title: "Roof", amountRequested: "abc", "budgetLines[0].item": "Tiles", "budgetLines[0].cost": "lots" }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.amountRequested).toBe("Enter the amount requested in pounds, like 50000 or 50000.50");
    expect(parsed.errors["budgetLines[0].cost"]).toBe("Enter the cost of budget line 1 in pounds, like 1250 or 1250.50");
    expect(parsed.values).toMatchObject({ title: "Roof", amountRequested: "abc", "budgetLines[0].item": "Tiles", "budgetLines[0].cost": "lots" });
  });

  it("a date that does not exist is refused", () => {
    const parsed = parseProposalForm(form({ startDate: "2027-02-30", endDate: "next year" }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.startDate).toBe("Start date must be a real date, like 2027-04-01");
    expect(parsed.errors.endDate).toBe("End date must be a real date, like 2027-04-01");
  });

  it("an end date before the start date is refused on the end date", () => {
    const parsed = parseProposalForm(form({ startDate: "2027-05-01", endDate: "2027-04-30" }));
    expect(parsed).toMatchObject({ ok: false, errors: { endDate: "The end date must be the same as or after the start date" } });
  });

  it("a summary over 150 words is refused, saying how long it is", () => {
    const parsed = parseProposalForm(form({ summary: Array.from({ length: 151 }, () => "word").join(" ") }));
    expect(parsed).toMatchObject({ ok: false, errors: { summary: "Summary must be 150 words or fewer. It has 151 words" } });
  });

  it("exactly 150 words is fine", () => {
    expect(parseProposalForm(form({ summary: Array.from({ length: 150 }, () => "word").join(" ") })).ok).toBe(true);
  });

  it("a budget line needs both what it is for and its cost", () => {
    const parsed = parseProposalForm(form({ "budgetLines[0].item": "Paint", "budgetLines[1].cost": "300" }));
    expect(parsed).toMatchObject({
      ok: false,
      errors: { "budgetLines[0].cost": "Enter the cost of budget line 1 (Paint)", "budgetLines[1].item": "Say what budget line 2 is for" },
    });
  });

  it("an outcome needs a measure", () => {
    const parsed = parseProposalForm(form({ "outcomes[0].outcome": "Less isolation" }));
    expect(parsed).toMatchObject({ ok: false, errors: { "outcomes[0].measure": "Say how you will measure outcome 1" } });
  });

  it("an unknown kind of need is refused", () => {
    expect(parseProposalForm(form({ needType: "urgent" }))).toMatchObject({ ok: false, errors: { needType: "Choose the kind of need from the list" } });
  });

  it("a count of people must be a whole number", () => {
    expect(parseProposalForm(form({ beneficiaryCount: "about 50" }))).toMatchObject({
      ok: false,
      errors: { beneficiaryCount: "Enter how many people benefit as a whole number, like 250" },
    });
  });

  it.each([
    ["5000", "at least £10,000"],
    ["100001", "no more than £100,000"],
  ])("with the group's limits, an amount of £%s is refused (%s)", (amount, words) => {
    const parsed = parseProposalForm(form({ amountRequested: amount }), LIMITS);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.amountRequested).toContain(words);
  });

  it("reports every problem at once", () => {
    const parsed = parseProposalForm(form({ amountRequested: "abc", startDate: "x", beneficiaryCount: "many" }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(Object.keys(parsed.errors).sort()).toEqual(["amountRequested", "beneficiaryCount", "startDate"]);
  });
});

describe("filling the form from saved content", () => {
  it("round-trips: saved content read back from its own form values is unchanged", () => {
    const content = {
      ...EMPTY_CONTENT,
      title: "Roof",
      budgetLines: [{ item: "Tiles", costPence: 123_456 }],
      amountRequestedPence: 2_000_000,
      outcomes: [{ outcome: "Dry hall", measure: "Days open" }],
    };
    const parsed = parseProposalForm(form(valuesOf(content, penceToPoundsInput)));
    expect(parsed).toMatchObject({ ok: true, data: content });
  });

  it("draws the filled budget rows plus three blank ones, or more when asked", () => {
    expect(budgetRowCount({})).toBe(3);
    expect(budgetRowCount({ "budgetLines[0].item": "a", "budgetLines[4].cost": "1" })).toBe(8);
    expect(budgetRowCount({}, 10)).toBe(10);
    expect(budgetRowCount({}, 1000)).toBe(30);
  });
});

describe("the order of errors", () => {
  it("follows the form from top to bottom, so the error summary reads like the page", () => {
    const parsed = parseProposalForm(
      form({
        amountRequested: "abc",
        endDate: "2027-01-01",
        startDate: "2027-02-01",
        "budgetLines[0].cost": "x",
        "budgetLines[0].item": "Tiles",
        title: "x".repeat(151),
      }),
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(Object.keys(parsed.errors)).toEqual(["title", "budgetLines[0].cost", "amountRequested", "endDate"]);
  });
});

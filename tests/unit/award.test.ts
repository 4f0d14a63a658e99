import { describe, expect, it } from "vitest";
import { awardNextStep, awardStage, conditionsFromText, formatMinutes, nextAwardStatus, type AwardFacts } from "~/domain/award";
import { DomainError } from "~/domain/errors";

const facts = (overrides: Partial<AwardFacts> = {}): AwardFacts => ({
  status: "accepted",
  amountPence: 1_000_000,
  conditionsTotal: 2,
  conditionsMet: 0,
  conditionsAwaitingSignOff: 0,
  paidPence: 0,
  reportsTotal: 0,
  reportsApproved: 0,
  ...overrides,
});

describe("award state machine", () => {
  it("lets the group accept or decline an offer", () => {
    expect(nextAwardStatus("accept", "offered", "applicant")).toBe("accepted");
    expect(nextAwardStatus("decline", "offered", "applicant")).toBe("declined");
  });

  it("refuses to accept an award twice, or an administrator accepting for the group", () => {
    expect(() => nextAwardStatus("accept", "accepted", "applicant")).toThrow(DomainError);
    expect(() => nextAwardStatus("accept", "offered", "admin")).toThrow(/member of the group/);
  });

  it("lets only an administrator close an accepted award or withdraw an offered or accepted one", () => {
    expect(nextAwardStatus("close", "accepted", "admin")).toBe("closed");
    expect(nextAwardStatus("withdraw", "offered", "admin")).toBe("withdrawn");
    expect(nextAwardStatus("withdraw", "accepted", "admin")).toBe("withdrawn");
    expect(() => nextAwardStatus("close", "offered", "admin")).toThrow(/offered/);
    expect(() => nextAwardStatus("withdraw", "declined", "admin")).toThrow(DomainError);
    expect(() => nextAwardStatus("close", "accepted", "applicant")).toThrow(/administrator/);
  });
});

describe("award stage", () => {
  it("follows offered → accepted → conditions met → paid → monitored", () => {
    expect(awardStage(facts({ status: "offered" }))).toBe("offered");
    expect(awardStage(facts({ conditionsMet: 1 }))).toBe("accepted");
    expect(awardStage(facts({ conditionsMet: 2 }))).toBe("conditions_met");
    expect(awardStage(facts({ conditionsMet: 2, paidPence: 400_000 }))).toBe("paid");
    expect(awardStage(facts({ conditionsMet: 2, paidPence: 1_000_000, reportsTotal: 2, reportsApproved: 2 }))).toBe("monitored");
  });

  it("an award with no conditions is ready for payment once accepted", () => {
    expect(awardStage(facts({ conditionsTotal: 0 }))).toBe("conditions_met");
  });

  it("shows closed, withdrawn and declined as they are", () => {
    for (const status of ["closed", "withdrawn", "declined"] as const) expect(awardStage(facts({ status }))).toBe(status);
  });
});

describe("next step", () => {
  it("asks the group to accept or decline an offer", () => {
    expect(awardNextStep(facts({ status: "offered" }), "applicant")).toMatch(/accept the offer/);
  });

  it("asks the group for evidence and the administrator for sign-off", () => {
    expect(awardNextStep(facts(), "applicant")).toMatch(/evidence for the 2 conditions you still need to meet/);
    expect(awardNextStep(facts({ conditionsAwaitingSignOff: 2 }), "admin")).toMatch(/sign off 2 conditions/);
  });

  it("gives the next instalment's date once the conditions are met", () => {
    expect(awardNextStep(facts({ conditionsMet: 2, nextInstalmentDueOn: "2027-05-01" }), "applicant", () => "1 May 2027")).toMatch(/due on 1 May 2027/);
  });
});

describe("conditions from the decision's text", () => {
  it("takes one condition a line, without list markers or blank lines", () => {
    expect(conditionsFromText("- Two quotes for the building work\n\n2. Planning permission\r\n  * Proof of lease  ")).toEqual([
      "Two quotes for the building work",
      "Planning permission",
      "Proof of lease",
    ]);
    expect(conditionsFromText("")).toEqual([]);
  });
});

it("formats support time in hours and minutes", () => {
  expect(formatMinutes(90)).toBe("1 hour 30 minutes");
  expect(formatMinutes(120)).toBe("2 hours");
  expect(formatMinutes(0)).toBe("0 minutes");
});

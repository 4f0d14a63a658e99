import { describe, expect, it } from "vitest";
import type { AwardFacts } from "~/domain/award";
import { nextStep, nextStepText } from "~/domain/next-step";

const fund = { opens_on: "2027-01-01", closes_on: "2027-02-01", review_on: "2027-03-01", decisions_on: "2027-04-01", awards_on: "2027-04-29" };
const now = new Date("2027-01-15T12:00:00Z");

const award = (overrides: Partial<AwardFacts> = {}): AwardFacts => ({
  status: "accepted",
  amountPence: 1_000_000,
  conditionsTotal: 1,
  conditionsMet: 1,
  conditionsAwaitingSignOff: 0,
  paidPence: 0,
  reportsTotal: 1,
  reportsApproved: 0,
  nextReportDueOn: "2027-09-01",
  nextInstalmentDueOn: null,
  ...overrides,
});

const text = (input: Partial<Parameters<typeof nextStep>[0]> & { proposalStatus: Parameters<typeof nextStep>[0]["proposalStatus"] }) =>
  nextStepText({ fund, now, ...input });

describe("what happens next, before any offer", () => {
  it("a draft: finish and submit before the closing date", () => {
    expect(text({ proposalStatus: "draft" })).toMatch(/^Finish the checklist\. Then submit .*The closing date is 1 February 2027\.$/);
  });
  it("submitted: with the lead organisation", () => {
    expect(text({ proposalStatus: "submitted" })).toMatch(/lead organisation is reading the proposal/);
  });
  it("supported, then eligible or not eligible", () => {
    expect(text({ proposalStatus: "supported" })).toMatch(/check that the proposal meets the rules.*1 March 2027/);
    expect(text({ proposalStatus: "eligible" })).toMatch(/panel review starts on 1 March 2027/);
    expect(text({ proposalStatus: "ineligible" })).toMatch(/not eligible/);
  });
  it("under review: decisions are due on the decisions date", () => {
    expect(text({ proposalStatus: "under_review" })).toMatch(/Decisions are due on 1 April 2027/);
  });
  it("decided funded, no offer yet: the offer letter is on its way", () => {
    expect(text({ proposalStatus: "funded" })).toMatch(/We will send you an offer letter\. Offers are due from 29 April 2027\./);
  });
  it("decided not funded, or withdrawn", () => {
    expect(text({ proposalStatus: "not_funded" })).toMatch(/not funded this time/);
    expect(text({ proposalStatus: "withdrawn" })).toBe("This proposal has been withdrawn.");
  });
});

describe("what happens next, once the offer is made", () => {
  const funded = (a: Partial<AwardFacts>, at = now) => nextStep({ proposalStatus: "funded", fund, now: at, award: award(a) });

  it("offered: read the letter and accept or decline, never 'you will receive an offer letter'", () => {
    const next = funded({ status: "offered" });
    expect(next.step).toMatch(/accept the offer/);
    expect(`${next.step} ${next.when ?? ""}`).not.toMatch(/will send you an offer letter|will receive an offer letter|Offers are due/);
  });
  it("accepted with conditions outstanding: send evidence", () => {
    expect(funded({ conditionsTotal: 2, conditionsMet: 0 }).step).toMatch(/Send evidence for the 2 conditions you still need to meet/);
  });
  it("evidence sent: the administrator is checking it", () => {
    expect(funded({ conditionsTotal: 1, conditionsMet: 0, conditionsAwaitingSignOff: 1 }).step).toMatch(/checking your evidence/);
  });
  it("part paid with a report due later: payments go on, and the report date is given", () => {
    const next = funded({ paidPence: 400_000, nextInstalmentDueOn: "2027-06-01" });
    expect(next.step).toMatch(/so we can pay you\. The next instalment is due on 1 June 2027/);
    expect(next.when).toBe("Your next monitoring report is due on 1 September 2027.");
  });
  it("part paid with a report overdue: the overdue report comes first", () => {
    const next = funded({ paidPence: 400_000 }, new Date("2027-10-01T12:00:00Z"));
    expect(next.step).toMatch(/monitoring report is late\. It was due on 1 September 2027/);
  });
  it("all paid, report due: send the reports", () => {
    expect(funded({ paidPence: 1_000_000 }).step).toMatch(/Send your monitoring reports\. The next report is due on 1 September 2027/);
  });
  it("closed: nothing more, and no overdue nag on a closed award", () => {
    const next = funded({ status: "closed" }, new Date("2027-10-01T12:00:00Z"));
    expect(next).toEqual({ step: "This award is closed. Thank you.", when: null });
  });
  it("withdrawn or declined", () => {
    expect(funded({ status: "withdrawn" }).step).toMatch(/withdrew this award/);
    expect(funded({ status: "declined" }).step).toMatch(/You declined this offer/);
  });
});

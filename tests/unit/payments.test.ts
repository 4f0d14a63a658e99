import { describe, expect, it } from "vitest";
import { DomainError } from "~/domain/errors";
import {
  checkApproval,
  checkNewPayment,
  isValidIsoDate,
  needsSecondApproval,
  scheduleProblems,
  summarisePayments,
  type AwardPaymentFacts,
} from "~/domain/payments";

const award = (overrides: Partial<AwardPaymentFacts> = {}): AwardPaymentFacts => ({
  amountPence: 10_000_00,
  status: "accepted",
  conditions: [{ status: "met" }],
  instalments: [
    { id: "i1", position: 1, amountPence: 4_000_00, dueOn: "2027-01-01", releasedBy: "acceptance", reportId: null },
    { id: "i2", position: 2, amountPence: 3_000_00, dueOn: "2027-02-01", releasedBy: "conditions_met", reportId: null },
    { id: "i3", position: 3, amountPence: 3_000_00, dueOn: "2027-06-01", releasedBy: "report_approved", reportId: "r1" },
  ],
  reports: [{ id: "r1", status: "due" }],
  payments: [],
  ...overrides,
});

const refusal = (fn: () => void): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).message;
  }
  throw new Error("expected a refusal");
};

describe("releasing instalments", () => {
  it("releases an acceptance instalment once the offer is accepted, and nothing before", () => {
    expect(summarisePayments(award()).instalments[0]!.isReleased).toBe(true);
    expect(summarisePayments(award({ status: "offered" })).instalments.every((i) => !i.isReleased)).toBe(true);
  });

  it("releases a conditions instalment only when every condition is met", () => {
    expect(summarisePayments(award()).instalments[1]!.isReleased).toBe(true);
    expect(summarisePayments(award({ conditions: [{ status: "met" }, { status: "evidence_submitted" }] })).instalments[1]!.isReleased).toBe(false);
  });

  it("releases a report instalment only when that report is approved", () => {
    expect(summarisePayments(award()).instalments[2]!.isReleased).toBe(false);
    expect(summarisePayments(award({ reports: [{ id: "r1", status: "approved" }] })).instalments[2]!.isReleased).toBe(true);
  });
});

describe("what is paid and remaining", () => {
  it("counts paid payments as paid, awaiting ones separately, and ignores rejected ones", () => {
    const summary = summarisePayments(
      award({
        payments: [
          { id: "p1", instalmentId: "i1", amountPence: 4_000_00, status: "paid", recordedBy: "a" },
          { id: "p2", instalmentId: null, amountPence: 1_000_00, status: "awaiting_approval", recordedBy: "a" },
          { id: "p3", instalmentId: null, amountPence: 2_000_00, status: "rejected", recordedBy: "a" },
        ],
      }),
    );
    expect(summary).toMatchObject({ paidPence: 4_000_00, awaitingPence: 1_000_00, remainingPence: 6_000_00, availablePence: 5_000_00 });
    expect(summary.instalments[0]!.paidPence).toBe(4_000_00);
  });
});

describe("recording a payment", () => {
  it("is refused while any condition is not yet met", () => {
    const message = refusal(() =>
      checkNewPayment(award({ conditions: [{ status: "met" }, { status: "outstanding" }] }), { amountPence: 100, instalmentId: null }),
    );
    expect(message).toMatch(/condition is outstanding/);
    refusal(() => checkNewPayment(award({ conditions: [{ status: "evidence_submitted" }] }), { amountPence: 100, instalmentId: null }));
  });

  it("is refused before the offer is accepted", () => {
    expect(refusal(() => checkNewPayment(award({ status: "offered" }), { amountPence: 100, instalmentId: null }))).toMatch(/not accepted/);
    refusal(() => checkNewPayment(award({ status: "withdrawn" }), { amountPence: 100, instalmentId: null }));
  });

  it("is refused when it would take payments past the award, giving the figures", () => {
    const facts = award({
      // Every instalment released, so the award is the limit.
      reports: [{ id: "r1", status: "approved" }],
      payments: [
        { id: "p1", instalmentId: null, amountPence: 6_000_00, status: "paid", recordedBy: "a" },
        { id: "p2", instalmentId: null, amountPence: 3_000_00, status: "awaiting_approval", recordedBy: "a" },
      ],
    });
    const message = refusal(() => checkNewPayment(facts, { amountPence: 1_000_01, instalmentId: null }));
    expect(message).toContain("£10,000");
    expect(message).toContain("£6,000");
    expect(message).toContain("£3,000");
    expect(message).toContain("at most £1,000");
    expect(() => checkNewPayment(facts, { amountPence: 1_000_00, instalmentId: null })).not.toThrow();
  });

  it("is refused against an instalment that is not released", () => {
    expect(refusal(() => checkNewPayment(award(), { amountPence: 100, instalmentId: "i3" }))).toMatch(/report is approved/);
    refusal(() => checkNewPayment(award(), { amountPence: 100, instalmentId: "nope" }));
  });

  it("is refused beyond what is left of its instalment, counting payments awaiting approval and not rejected ones", () => {
    const facts = award({
      payments: [
        { id: "p1", instalmentId: "i1", amountPence: 3_000_00, status: "paid", recordedBy: "a" },
        { id: "p2", instalmentId: "i1", amountPence: 500_00, status: "awaiting_approval", recordedBy: "a" },
        { id: "p3", instalmentId: "i1", amountPence: 500_00, status: "rejected", recordedBy: "a" },
      ],
    });
    expect(summarisePayments(facts).instalments[0]!.outstandingPence).toBe(500_00);
    expect(refusal(() => checkNewPayment(facts, { amountPence: 500_01, instalmentId: "i1" }))).toContain("at most £500 can be paid against it");
    expect(() => checkNewPayment(facts, { amountPence: 500_00, instalmentId: "i1" })).not.toThrow();
  });

  it("holds a payment not against an instalment to what is released", () => {
    // i1 (£4,000) and i2 (£3,000) are released; i3 (£3,000) waits for its report.
    expect(summarisePayments(award())).toMatchObject({ releasedPence: 7_000_00, payableNowPence: 7_000_00 });
    expect(refusal(() => checkNewPayment(award(), { amountPence: 7_000_01, instalmentId: null }))).toContain("at most £7,000 can be paid now");
    expect(() => checkNewPayment(award(), { amountPence: 7_000_00, instalmentId: null })).not.toThrow();
    // Nothing released (the report-only schedule): nothing can be paid outside an instalment either.
    const reportOnly = award({
      instalments: [{ id: "i3", position: 1, amountPence: 10_000_00, dueOn: "2027-06-01", releasedBy: "report_approved", reportId: "r1" }],
    });
    expect(refusal(() => checkNewPayment(reportOnly, { amountPence: 100, instalmentId: null }))).toMatch(/No instalment is released yet/);
    // Money paid outside an instalment uses up released money, so the released instalment cannot be paid again.
    const usedUp = award({ payments: [{ id: "p1", instalmentId: null, amountPence: 7_000_00, status: "paid", recordedBy: "a" }] });
    refusal(() => checkNewPayment(usedUp, { amountPence: 100, instalmentId: "i1" }));
    // No schedule: the award is the limit, as before.
    expect(() => checkNewPayment(award({ instalments: [] }), { amountPence: 10_000_00, instalmentId: null })).not.toThrow();
  });

  it("is refused with a reference already used on the award, unless that payment was rejected", () => {
    const facts = award({
      payments: [
        { id: "p1", instalmentId: null, amountPence: 100_00, status: "paid", recordedBy: "a", reference: "BACS-1" },
        { id: "p2", instalmentId: null, amountPence: 100_00, status: "rejected", recordedBy: "a", reference: "BACS-2" },
      ],
    });
    expect(refusal(() => checkNewPayment(facts, { amountPence: 100, instalmentId: null, reference: " BACS-1 " }))).toBe(
      "This reference is already used for a payment on this award",
    );
    expect(() => checkNewPayment(facts, { amountPence: 100, instalmentId: null, reference: "BACS-2" })).not.toThrow();
  });

  it("needs a second approval only above the threshold", () => {
    expect(needsSecondApproval(2_500_000, 2_500_000)).toBe(false);
    expect(needsSecondApproval(2_500_001, 2_500_000)).toBe(true);
  });
});

describe("approving a payment", () => {
  it("refuses the administrator who recorded it", () => {
    expect(refusal(() => checkApproval({ status: "awaiting_approval", recordedBy: "a" }, "a"))).toBe(
      "You recorded this payment, so another administrator must approve it",
    );
    expect(() => checkApproval({ status: "awaiting_approval", recordedBy: "a" }, "b")).not.toThrow();
  });

  it("refuses a payment that is no longer awaiting approval", () => {
    refusal(() => checkApproval({ status: "paid", recordedBy: "a" }, "b"));
  });
});

describe("the schedule", () => {
  const row = (amountPence: number, dueOn: string) => ({ amountPence, dueOn, releasedBy: "acceptance" as const, reportId: null });

  it("accepts instalments that add up to the award exactly", () => {
    expect(scheduleProblems([row(6_000_00, "2027-01-01"), row(4_000_00, "2027-02-01")], 10_000_00, [])).toEqual({});
  });

  it("says when the instalments do not add up to the award", () => {
    expect(scheduleProblems([row(6_000_00, "2027-01-01")], 10_000_00, []).schedule).toMatch(/add up to £6,000 but the award is £10,000/);
  });

  it("refuses an impossible date, dates out of order and a missing report", () => {
    const errors = scheduleProblems(
      [
        row(5_000_00, "2027-02-30"),
        row(2_000_00, "2027-03-01"),
        row(2_000_00, "2027-01-01"),
        { ...row(1_000_00, "2027-04-01"), releasedBy: "report_approved" },
      ],
      10_000_00,
      ["r1"],
    );
    expect(Object.keys(errors).sort()).toEqual(["rows.0.dueOn", "rows.2.dueOn", "rows.3.reportId"]);
  });

  it("refuses an empty schedule", () => {
    expect(scheduleProblems([], 100, []).schedule).toBeTruthy();
    expect(isValidIsoDate("2028-02-29")).toBe(true);
    expect(isValidIsoDate("2027-02-29")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import {
  addMonths,
  applyVariation,
  closureProblem,
  isOverdue,
  reportSchedule,
  spendAgainstBudget,
  spendDifferenceText,
  validateVariation,
  withdrawalProblem,
} from "~/domain/monitoring";
import { DomainError } from "~/domain/errors";

describe("report schedule", () => {
  it("generates a progress report every N months and a final report on the end date", () => {
    expect(reportSchedule("2026-01-15", "2026-12-31", 3)).toEqual([
      { kind: "progress", dueOn: "2026-04-15" },
      { kind: "progress", dueOn: "2026-07-15" },
      { kind: "progress", dueOn: "2026-10-15" },
      { kind: "final", dueOn: "2026-12-31" },
    ]);
  });
  it("has only a final report when the project is shorter than the interval", () => {
    expect(reportSchedule("2026-01-01", "2026-02-01", 6)).toEqual([{ kind: "final", dueOn: "2026-02-01" }]);
  });
  it("keeps to the end of shorter months", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2026-11-30", 3)).toBe("2027-02-28");
  });
  it("refuses an end before the start, or an impossible date", () => {
    expect(() => reportSchedule("2026-05-01", "2026-04-01", 3)).toThrow(DomainError);
    expect(() => reportSchedule("2026-02-30", "2026-04-01", 3)).toThrow(/start date/);
    expect(() => reportSchedule("2026-01-01", "2026-04-01", 0)).toThrow(/every 1 to 24/);
  });
});

describe("overdue reports", () => {
  it("is overdue after the due date while still owed", () => {
    expect(isOverdue({ dueOn: "2026-11-22", status: "due" }, "2026-11-23")).toBe(true);
    expect(isOverdue({ dueOn: "2026-11-22", status: "more_requested" }, "2026-11-23")).toBe(true);
  });
  it("is not overdue on the due date itself, or once submitted or approved", () => {
    expect(isOverdue({ dueOn: "2026-11-23", status: "due" }, "2026-11-23")).toBe(false);
    expect(isOverdue({ dueOn: "2026-01-01", status: "submitted" }, "2026-11-23")).toBe(false);
    expect(isOverdue({ dueOn: "2026-01-01", status: "approved" }, "2026-11-23")).toBe(false);
  });
});

describe("spend against budget", () => {
  it("totals the lines and shows over and under per line", () => {
    const s = spendAgainstBudget([
      { item: "Roof", budgetPence: 10_000, spentPence: 12_000 },
      { item: "Doors", budgetPence: 5_000, spentPence: 1_000 },
    ]);
    expect(s.budgetPence).toBe(15_000);
    expect(s.spentPence).toBe(13_000);
    expect(s.remainingPence).toBe(2_000);
    expect(s.lines.map((l) => [l.differencePence, l.over])).toEqual([
      [-2_000, true],
      [4_000, false],
    ]);
  });
  it("says a line is on budget rather than 'Under by £0'", () => {
    expect(spendDifferenceText(0)).toBe("On budget");
    expect(spendDifferenceText(4_000)).toBe("Under by £40");
    expect(spendDifferenceText(-125_050)).toBe("Over by £1,250.50");
  });
});

describe("variations", () => {
  const facts = { paidPence: 20_000, startDate: "2026-01-01" };
  it("refuses an amount below what has been paid", () => {
    expect(() => validateVariation("amount", { amountPence: 19_999 }, facts)).toThrow(/already been paid/);
    expect(validateVariation("amount", { amountPence: 20_000 }, facts)).toEqual({ amount_pence: 20_000 });
  });
  it("names what has been paid as the rest of the portal writes money: £17,500, not £17500.00", () => {
    expect(() => validateVariation("amount", { amountPence: 100 }, { ...facts, paidPence: 1_750_000 })).toThrow(
      "The new amount cannot be less than what has already been paid (£17,500)",
    );
    expect(withdrawalProblem({ reason: "Stopped", paidPence: 1_750_000, clawbackPence: 1_750_001, status: "accepted" })?.message).toBe(
      "The clawback cannot be more than has been paid (£17,500)",
    );
  });
  it("needs a real end date after the start for a timeline change", () => {
    expect(() => validateVariation("timeline", { endDate: "soon" }, facts)).toThrow(/real date/);
    expect(() => validateVariation("timeline", { endDate: "2025-12-31" }, facts)).toThrow(/after the project's start/);
    expect(validateVariation("timeline", { endDate: "2027-03-31" }, facts)).toEqual({ end_date: "2027-03-31" });
  });
  it("needs text for a scope change", () => {
    expect(() => validateVariation("scope", { scope: "  " }, facts)).toThrow(DomainError);
  });
  it("applies an approved change to the terms", () => {
    const terms = { amountPence: 50_000, endDate: "2026-12-31", scope: "A new roof" };
    expect(applyVariation(terms, { amount_pence: 60_000 }).amountPence).toBe(60_000);
    expect(applyVariation(terms, { end_date: "2027-06-30" }).endDate).toBe("2027-06-30");
    expect(applyVariation(terms, { scope: "Solar panels too" }).scope).toBe("A new roof\n\nVariation: Solar panels too");
  });
});

describe("closure and withdrawal", () => {
  it("closes only with an approved final report and an outcome summary", () => {
    expect(closureProblem({ hasApprovedFinalReport: false, outcomeSummary: "Done", status: "accepted" })?.message).toMatch(/final report/);
    expect(closureProblem({ hasApprovedFinalReport: true, outcomeSummary: " ", status: "accepted" })?.field).toBe("outcomeSummary");
    expect(closureProblem({ hasApprovedFinalReport: true, outcomeSummary: "Done", status: "accepted" })).toBeNull();
  });
  it("withdraws with a reason and a clawback between nothing and what was paid", () => {
    const base = { reason: "Project abandoned", paidPence: 10_000, status: "accepted" };
    expect(withdrawalProblem({ ...base, clawbackPence: 10_001 })?.field).toBe("clawback");
    expect(withdrawalProblem({ ...base, clawbackPence: -1 })?.field).toBe("clawback");
    expect(withdrawalProblem({ ...base, reason: "", clawbackPence: 0 })?.field).toBe("reason");
    expect(withdrawalProblem({ ...base, clawbackPence: 10_000 })).toBeNull();
  });
});

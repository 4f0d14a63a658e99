import { describe, expect, it } from "vitest";
import { EMPTY_CONTENT } from "~/domain/proposal";
import { applyRowIntent, readDate, sectionIntent, sectionStatuses, wordsLeftMessage } from "~/domain/proposal-sections";

const limits = { minGrantPence: 1_000_000, maxGrantPence: 10_000_000, potPence: 50_000_000 };

describe("the task list's pure rules", () => {
  it("counts words left or too many", () => {
    expect(wordsLeftMessage("")).toBe("You have 150 words left");
    expect(wordsLeftMessage(Array(149).fill("a").join(" "))).toBe("You have 1 word left");
    expect(wordsLeftMessage(Array(151).fill("a").join(" "))).toBe("You have 1 word too many");
  });

  it("reads day, month and year boxes the GOV.UK way", () => {
    expect(readDate({ day: "", month: "", year: "" }, "The start date")).toEqual({ iso: null });
    expect(readDate({ day: "7", month: "3", year: "2027" }, "The start date")).toEqual({ iso: "2027-03-07" });
    expect(readDate({ day: "29", month: "2", year: "2028" }, "The start date")).toEqual({ iso: "2028-02-29" });
    expect(readDate({ day: "29", month: "2", year: "2027" }, "The start date")).toEqual({ error: "The start date must be a real date" });
    expect(readDate({ day: "1", month: "", year: "" }, "The end date")).toEqual({ error: "The end date must include a month and a year" });
  });

  it("works out each section's status from what is saved", () => {
    const statuses = sectionStatuses(
      { content: { ...EMPTY_CONTENT, title: "Shed", startDate: "2027-01-01", endDate: "2027-02-01" }, leastPence: null },
      limits,
    );
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({
      about: "in_progress",
      benefits: "not_started",
      budget: "not_started",
      dates: "completed",
      outcomes: "not_started",
    });
  });

  it("adds one empty row, or takes one out and numbers the rest again", () => {
    const values = { "budgetLines[0].item": "A", "budgetLines[0].cost": "1", "budgetLines[1].item": "B", "budgetLines[1].cost": "2" };
    expect(applyRowIntent(values, "budget", sectionIntent("add-row")).rows).toBe(3);
    const removed = applyRowIntent(values, "budget", sectionIntent("remove-row-0"));
    expect(removed).toEqual({ values: { "budgetLines[0].item": "B", "budgetLines[0].cost": "2" }, rows: 1 });
    expect(sectionIntent("remove-row-x")).toEqual({ kind: "save" });
  });
});

import { describe, expect, it } from "vitest";
import { buildQuestionReport, differenceInNumbers, differenceInWords, parseOptionLines, parsePercent, referenceTotal, shownCounts } from "~/domain/equality";

describe("equality monitoring rules", () => {
  it("reads a percentage from 0 to 100 with one decimal at most", () => {
    expect(parsePercent("12.5")).toBe(125);
    expect(parsePercent(" 100 ")).toBe(1000);
    expect(parsePercent("0")).toBe(0);
    expect(parsePercent("7%")).toBe(70);
    expect(parsePercent("")).toBeNull();
    for (const bad of ["100.1", "12.34", "-1", "1e2", "abc", "1,5"]) expect(parsePercent(bad)).toBeUndefined();
  });

  it("reads options one a line, without blanks, repeats or Prefer not to say", () => {
    expect(parseOptionLines("A\n\n a \nB\r\nPrefer not to say\n")).toEqual(["A", "B"]);
  });

  it("warns when the area's figures do not add up to 100%", () => {
    expect(referenceTotal([500, 500, null]).warning).toBeNull();
    expect(referenceTotal([null, null]).warning).toBeNull();
    expect(referenceTotal([400, 455]).warning).toBe("The area's figures add up to 85.5%, not 100%. The other 14.5% shows as unknown.");
    expect(referenceTotal([600, 500]).warning).toBe("The area's figures add up to 110%. That is more than 100%.");
  });

  it("says the difference in words and numbers", () => {
    expect(differenceInWords(-50)).toBe("5 points fewer than the area");
    expect(differenceInWords(25)).toBe("2.5 points more than the area");
    expect(differenceInWords(10)).toBe("1 point more than the area");
    expect(differenceInWords(0)).toBe("The same as the area");
    expect(differenceInNumbers(-50)).toBe("−5");
    expect(differenceInNumbers(25)).toBe("+2.5");
  });

  it("hides counts under 5, a whole group under 5, and a second count when one hidden count could be worked out from the total", () => {
    expect(shownCounts([2, 1, 1])).toEqual([false, false, false]);
    expect(shownCounts([6, 5, 2, 0])).toEqual([true, true, false, false]);
    // Only the 3 would be hidden: 14 − 6 − 5 gives it away, so the 5 goes too.
    expect(shownCounts([6, 5, 3])).toEqual([true, false, false]);
    expect(shownCounts([9, 7])).toEqual([true, true]);
    expect(shownCounts([9, 7, 0])).toEqual([true, true, false]);
  });

  it("builds a question's report with shares against the area", () => {
    const report = buildQuestionReport(
      {
        id: "q",
        text: "Age",
        options: [
          { id: "a", label: "Under 50", isPreferNotToSay: false, referenceTenths: 600 },
          { id: "b", label: "50 or over", isPreferNotToSay: false, referenceTenths: 400 },
          { id: "p", label: "Prefer not to say", isPreferNotToSay: true, referenceTenths: null },
        ],
      },
      new Map([
        ["panel:a", 5],
        ["panel:b", 5],
        ["applicant:a", 3],
      ]),
    );
    expect(report.groups.panel).toEqual({ total: 10, isHidden: false });
    expect(report.rows[0]!.cells.panel).toEqual({ count: 5, shareTenths: 500, diffTenths: -100, diffWords: "10 points fewer than the area" });
    expect(report.rows[1]!.cells.panel.diffWords).toBe("10 points more than the area");
    expect(report.rows[2]!.cells.panel.count).toBeNull();
    expect(report.groups.applicant).toEqual({ total: null, isHidden: true });
    expect(report.rows[0]!.cells.applicant.count).toBeNull();
  });
});

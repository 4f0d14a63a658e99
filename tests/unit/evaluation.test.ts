import { describe, expect, it } from "vitest";
import {
  daysBetween,
  HIDDEN_GROUP_MESSAGE,
  median,
  percentagesOf,
  processFigures,
  roleGroupFor,
  summariseSurvey,
  surveyReportCsvRows,
  type SurveyAnswerRow,
} from "~/domain/evaluation";
import { BRISTOL_REFERENCE } from "~/domain/evaluation-reference";

const answer = (over: Partial<SurveyAnswerRow> = {}): SurveyAnswerRow => ({
  role_group: "panel",
  take_part_again: "yes",
  gained_confidence: "yes",
  felt_listened_to: "yes",
  feedback_useful: "yes",
  comment: "",
  ...over,
});

describe("percentages that add up", () => {
  it("shares whole percentages by the largest remainder, so each question's add up to 100", () => {
    expect(percentagesOf([1, 1, 1, 0])).toEqual([34, 33, 33, 0]);
    expect(percentagesOf([7, 1, 0, 0])).toEqual([88, 12, 0, 0]);
    expect(percentagesOf([5, 2, 1, 0])).toEqual([63, 25, 12, 0]);
    expect(percentagesOf([0, 0, 0, 0])).toEqual([0, 0, 0, 0]);
    for (const counts of [
      [2, 2, 2, 1],
      [3, 3, 1, 0],
      [1, 5, 7, 9],
    ])
      expect(percentagesOf(counts).reduce((a, b) => a + b, 0)).toBe(100);
  });
});

describe("the survey report", () => {
  it("hides a group with fewer than 5 answers, figures and free text alike", () => {
    const rows = [...Array.from({ length: 4 }, () => answer({ role_group: "applicant", comment: "Only four of us" }))];
    const report = summariseSurvey(rows);
    const applicants = report.groups.find((g) => g.roleGroup === "applicant")!;
    expect(applicants.state).toBe("hidden");
    expect(JSON.stringify(report)).not.toContain("Only four of us");
    expect(report.groups.find((g) => g.roleGroup === "panel")!.state).toBe("empty");
  });

  it("shows a group of 5 or more with counts, percentages, its free text, and Bristol's figures beside the panel's", () => {
    const rows = [
      ...Array.from({ length: 7 }, (_, i) => answer({ comment: i === 0 ? "I would do it again" : "" })),
      answer({ take_part_again: "partly", gained_confidence: "no" }),
    ];
    const report = summariseSurvey(rows);
    const panel = report.groups.find((g) => g.roleGroup === "panel")!;
    if (panel.state !== "shown") throw new Error("panel hidden");
    expect(panel.count).toBe(8);
    const again = panel.questions.find((q) => q.key === "takePartAgain")!;
    expect(again.choices.map((c) => [c.choice, c.count, c.percent])).toEqual([
      ["yes", 7, 88],
      ["partly", 1, 12],
      ["no", 0, 0],
      ["not_sure", 0, 0],
    ]);
    expect(again.bristolPercent).toBe(BRISTOL_REFERENCE.takePartAgainPercent);
    expect(panel.questions.find((q) => q.key === "gainedConfidence")!.bristolPercent).toBe(60);
    expect(panel.questions.find((q) => q.key === "feltListenedTo")!.bristolPercent).toBeNull();
    expect(panel.comments).toEqual(["I would do it again"]);
  });

  it("gives no 'everyone' total while a group is hidden: it would give the hidden group's answers away by subtraction", () => {
    const five = (role_group: SurveyAnswerRow["role_group"]) => Array.from({ length: 5 }, () => answer({ role_group }));
    expect(summariseSurvey([...five("panel"), answer({ role_group: "lead_org" })]).everyone).toBeNull();
    const all = summariseSurvey([...five("panel"), ...five("applicant")]);
    expect(all.everyone?.state).toBe("shown");
    if (all.everyone?.state === "shown") expect(all.everyone.count).toBe(10);
  });

  it("the CSV holds what the page shows: each question's counts add up to the group's answers, hidden groups say so", () => {
    const rows = [...Array.from({ length: 6 }, (_, i) => answer({ felt_listened_to: i < 3 ? "yes" : "partly" })), answer({ role_group: "lead_org" })];
    const csv = surveyReportCsvRows(summariseSurvey(rows));
    const listened = csv.filter((r) => r[0] === "Panel members" && r[2] === "Did you feel listened to?");
    expect(listened.reduce((sum, r) => sum + Number(r[4]), 0)).toBe(6);
    expect(listened.reduce((sum, r) => sum + Number(r[5]), 0)).toBe(100);
    expect(csv.find((r) => r[0] === "Lead organisations")![2]).toBe(HIDDEN_GROUP_MESSAGE);
  });

  it("counts an answer in the way of taking part chosen, which must be one of the person's", () => {
    expect(roleGroupFor(["panel"], undefined)).toBe("panel");
    expect(roleGroupFor(["panel", "lead_org"], undefined)).toBeNull();
    expect(roleGroupFor(["panel", "lead_org"], "lead_org")).toBe("lead_org");
    expect(roleGroupFor(["applicant"], "panel")).toBeNull();
  });
});

describe("process figures", () => {
  it("counts whole days between dates, and takes the middle value", () => {
    expect(daysBetween("2026-01-31", "2026-03-01")).toBe(29);
    expect(daysBetween("2025-10-30", "2025-10-26")).toBe(-4);
    expect(median([])).toBeNull();
    expect(median([9, 1, 5])).toBe(5);
    expect(median([1, 2, 4, 10])).toBe(3);
  });

  it("works out the days to decisions and to first payment, the share with feedback and the running costs' share", () => {
    const figures = processFigures({
      budgetPence: 300_000_00,
      closesOn: "2026-01-31",
      decisionDates: ["2026-05-01", "2026-05-20", "2026-05-03"],
      undecided: 1,
      awards: [
        { decidedOn: "2026-05-01", firstPaidOn: "2026-06-10" },
        { decidedOn: "2026-05-03", firstPaidOn: "2026-05-13" },
        { decidedOn: "2026-05-20", firstPaidOn: null },
      ],
      decided: 3,
      decidedWithFeedback: 2,
      runningCostsPence: 42_000_00,
    });
    expect(figures.windowToDecisions).toEqual({ days: 109, lastDecisionOn: "2026-05-20", undecided: 1 });
    expect(figures.decisionToFirstPayment).toEqual({ medianDays: 25, fastestDays: 10, slowestDays: 40, paid: 2, notYetPaid: 1 });
    expect(figures.feedback).toEqual({ withFeedback: 2, decided: 3, percent: 67 });
    expect(figures.runningCosts).toEqual({ pence: 42_000_00, percentOfFund: 14, bristolPercent: 14 });
  });

  it("says nothing it cannot know: no decisions, no payments, no costs", () => {
    const figures = processFigures({
      budgetPence: 100,
      closesOn: null,
      decisionDates: [],
      undecided: 0,
      awards: [],
      decided: 0,
      decidedWithFeedback: 0,
      runningCostsPence: null,
    });
    expect(figures.windowToDecisions.days).toBeNull();
    expect(figures.decisionToFirstPayment.medianDays).toBeNull();
    expect(figures.feedback.percent).toBeNull();
    expect(figures.runningCosts.percentOfFund).toBeNull();
  });
});

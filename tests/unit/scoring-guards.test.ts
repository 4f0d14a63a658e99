import { describe, expect, it } from "vitest";
import { DECIDE_WHILE_SCORING_OPEN, decisionRefusal, OPEN_REVIEW_AFTER_CLOSE, openReviewRefusal } from "~/domain/scoring-guards";

const CLOSED = "2027-02-01T10:00:00.000Z";

describe("guard rails between scoring, review and decisions", () => {
  it("refuses to open proposals for review once a scoring group's scoring has closed, and allows it before", () => {
    expect(openReviewRefusal({ scoringClosedAt: CLOSED, usesScoring: true })).toBe(OPEN_REVIEW_AFTER_CLOSE);
    expect(openReviewRefusal({ scoringClosedAt: null, usesScoring: true })).toBeNull();
    expect(openReviewRefusal({ scoringClosedAt: CLOSED, usesScoring: false })).toBeNull();
  });

  it("refuses a decision while a scoring group's scoring is open, and allows it once closed or where the fund does not score", () => {
    expect(decisionRefusal({ scoringClosedAt: null, usesScoring: true })).toBe(DECIDE_WHILE_SCORING_OPEN);
    expect(decisionRefusal({ scoringClosedAt: CLOSED, usesScoring: true })).toBeNull();
    expect(decisionRefusal({ scoringClosedAt: null, usesScoring: false })).toBeNull();
  });
});

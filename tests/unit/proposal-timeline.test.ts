import { describe, expect, it } from "vitest";
import { isUkPostcode, normalisePostcode } from "~/domain/forms/organisation";
import { STEP_STATE_LABELS, timelineFor, whenNext } from "~/domain/proposal-timeline";

const states = (status: Parameters<typeof timelineFor>[0]) => timelineFor(status).map((s) => `${s.key}:${s.state}`);

describe("where a proposal is in its life", () => {
  it("a draft is the current first step with the rest of the main path ahead", () => {
    expect(states("draft")).toEqual([
      "draft:current",
      "submitted:upcoming",
      "supported:upcoming",
      "eligible:upcoming",
      "under_review:upcoming",
      "funded:upcoming",
    ]);
  });

  it("changes requested sits after submission, with the rest still ahead", () => {
    expect(states("changes_requested")).toEqual([
      "draft:done",
      "submitted:done",
      "changes_requested:current",
      "supported:upcoming",
      "eligible:upcoming",
      "under_review:upcoming",
      "funded:upcoming",
    ]);
  });

  it("a declined proposal stops after submission and shows nothing further", () => {
    expect(states("declined")).toEqual(["draft:done", "submitted:done", "declined:stopped"]);
  });

  it("an ineligible proposal stops after support", () => {
    expect(states("ineligible")).toEqual(["draft:done", "submitted:done", "supported:done", "ineligible:stopped"]);
  });

  it("a funded proposal has every step done", () => {
    expect(timelineFor("funded").every((s) => s.state === "done")).toBe(true);
  });

  it("before the decision, the last step does not read as if the proposal were funded", () => {
    for (const status of ["draft", "changes_requested", "under_review"] as const) {
      const last = timelineFor(status).at(-1)!;
      expect(`${last.label} – ${STEP_STATE_LABELS[last.state]}`).toBe("The panel's decision – To come");
    }
    expect(timelineFor("funded").at(-1)!.label).toBe("Decision: funded");
  });
});

describe("when the next thing happens", () => {
  const fund = { opens_on: "2026-07-01", closes_on: "2026-10-31", review_on: "2027-01-15", decisions_on: "2027-05-01", awards_on: "2027-06-01" };
  it("a draft is told the closing date, or that proposals have closed", () => {
    expect(whenNext("draft", fund, new Date("2026-09-01T12:00:00Z"))).toBe("The closing date is 31 October 2026.");
    expect(whenNext("draft", fund, new Date("2026-11-01T12:00:00Z"))).toBe("Proposals for this fund closed on 31 October 2026.");
  });
  it("an eligible proposal is told when the panel review starts", () => {
    expect(whenNext("eligible", fund)).toBe("The panel review starts on 15 January 2027.");
  });
  it("says nothing when the fund has no date for the next step", () => {
    expect(whenNext("under_review", { ...fund, decisions_on: null })).toBeNull();
  });
});

describe("UK postcodes", () => {
  it.each(["BS5 9QA", "bs59qa", "  SW1A 1AA ", "M1 1AE", "GIR 0AA"])("%s is a postcode", (p) => expect(isUkPostcode(p)).toBe(true));
  it.each(["12345", "BS5", "BS5 9Q", "not a postcode"])("%s is not", (p) => expect(isUkPostcode(p)).toBe(false));
  it("is tidied to capitals with one space", () => expect(normalisePostcode(" bs59qa ")).toBe("BS5 9QA"));
});

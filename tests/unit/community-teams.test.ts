import { describe, expect, it } from "vitest";
import { assertIdeaTransition, ideaProgress, looksLikeContactDetails, termState } from "~/domain/community-teams";
import { EngagementSchema } from "~/domain/forms/community-teams";
import { TeamSupportSchema } from "~/domain/forms/support";

describe("where an idea got to", () => {
  it("before it is a proposal, it is where the team put it", () => {
    expect(ideaProgress("developing", null)).toEqual({ status: "developing", label: "Developing", tone: "yellow", proposalLabel: null });
  });
  it("as a proposal still moving, it is a proposal, with the proposal's own status", () => {
    expect(ideaProgress("proposal", "under_review")).toMatchObject({ status: "proposal", proposalLabel: "Under panel review" });
    expect(ideaProgress("proposal", "reserve").status).toBe("proposal");
  });
  it("once the proposal reaches a status it cannot leave, the idea is decided", () => {
    for (const status of ["funded", "not_funded", "declined", "ineligible", "withdrawn"] as const)
      expect(ideaProgress("proposal", status).status).toBe("decided");
  });
});

describe("idea moves by hand", () => {
  it("idea and developing move both ways; nothing moves to proposal by hand", () => {
    expect(() => assertIdeaTransition("idea", "developing")).not.toThrow();
    expect(() => assertIdeaTransition("developing", "idea")).not.toThrow();
    expect(() => assertIdeaTransition("developing", "proposal")).toThrow(/cannot be moved/);
    expect(() => assertIdeaTransition("proposal", "idea")).toThrow(/cannot be moved/);
  });
});

describe("a paid term", () => {
  const term = { startsOn: "2027-04-01", endsOn: "2028-03-31" };
  it("is current on its first and last days, and not outside them", () => {
    expect(termState(term, "2027-03-31")).toBe("not_started");
    expect(termState(term, "2027-04-01")).toBe("current");
    expect(termState(term, "2028-03-31")).toBe("current");
    expect(termState(term, "2028-04-01")).toBe("ended");
  });
});

describe("engagement holds counts, not people", () => {
  it("spots email addresses and phone numbers, not ordinary words or dates", () => {
    expect(looksLikeContactDetails("met sam@example.org")).toBe(true);
    expect(looksLikeContactDetails("call 01376 557 000")).toBe(true);
    expect(looksLikeContactDetails("Fun day, 14 May 2027")).toBe(false);
  });
  it("takes a whole number of people", () => {
    const parse = (peopleCount: string) => EngagementSchema.safeParse({ engagedOn: "2027-05-14", area: "Braintree", activity: "Stall", peopleCount });
    expect(parse("12")).toMatchObject({ success: true, data: { peopleCount: 12 } });
    expect(parse("1.5").success).toBe(false);
    expect(parse("-3").success).toBe(false);
  });
});

describe("the team's support log", () => {
  it("keeps hours as minutes", () => {
    const parsed = TeamSupportSchema.parse({ givenOn: "2027-03-14", kind: "mentoring", hours: "0.25", givenBy: "Mentor", notes: "Check-in" });
    expect(parsed.minutes).toBe(15);
  });
});

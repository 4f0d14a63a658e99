import { describe, expect, it } from "vitest";
import { comingBack, nextRoundName, sameDayNextYear } from "~/domain/rounds";

describe("the next round's suggested name", () => {
  it.each([
    ["Community Resilience Fund", "Community Resilience Fund (round 2)"],
    ["Community Resilience Fund (round 2)", "Community Resilience Fund (round 3)"],
    ["Community Resilience Fund (Round 9)", "Community Resilience Fund (round 10)"],
    ["  Fund  ", "Fund (round 2)"],
  ])("%s → %s", (name, next) => expect(nextRoundName(name)).toBe(next));
});

describe("the next round's suggested dates", () => {
  it("are the same days a year on; 29 February becomes 28 February; empty stays empty", () => {
    expect(sameDayNextYear("2026-07-01")).toBe("2027-07-01");
    expect(sameDayNextYear("2028-02-29")).toBe("2029-02-28");
    expect(sameDayNextYear("2027-12-31")).toBe("2028-12-31");
    expect(sameDayNextYear(null)).toBeNull();
    expect(sameDayNextYear("not a date")).toBeNull();
  });
});

describe("where last round's panel member stands", () => {
  const now = new Date("2027-06-10T12:00:00Z");
  const invitation = (over: Partial<{ createdAt: string; expiresAt: string; acceptedAt: string | null }> = {}) => ({
    createdAt: "2027-06-05T09:00:00.000Z",
    expiresAt: "2027-06-12T09:00:00.000Z",
    acceptedAt: null,
    ...over,
  });
  it("on the new panel wins over everything else", () => {
    expect(
      comingBack({ membershipStartedAt: "2027-06-06T00:00:00Z", invitation: invitation({ acceptedAt: "2027-06-06T00:00:00Z" }), isDisabled: false }, now),
    ).toEqual({
      kind: "on_panel",
      since: "2027-06-06T00:00:00Z",
    });
  });
  it("a waiting invitation, an expired one, none, and a disabled account", () => {
    expect(comingBack({ membershipStartedAt: null, invitation: invitation(), isDisabled: false }, now).kind).toBe("invited");
    expect(comingBack({ membershipStartedAt: null, invitation: invitation({ expiresAt: "2027-06-10T11:59:59.000Z" }), isDisabled: false }, now)).toEqual({
      kind: "not_invited",
      expiredAt: "2027-06-10T11:59:59.000Z",
    });
    expect(comingBack({ membershipStartedAt: null, invitation: null, isDisabled: false }, now)).toEqual({ kind: "not_invited", expiredAt: null });
    expect(comingBack({ membershipStartedAt: null, invitation: invitation(), isDisabled: true }, now)).toEqual({ kind: "disabled" });
  });
  it("someone who accepted and has since left the new panel may be asked again", () => {
    expect(comingBack({ membershipStartedAt: null, invitation: invitation({ acceptedAt: "2027-06-06T00:00:00Z" }), isDisabled: false }, now)).toEqual({
      kind: "not_invited",
      expiredAt: null,
    });
  });
});

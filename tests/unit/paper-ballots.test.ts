import { describe, expect, it } from "vitest";
import {
  doubleVoteReason,
  keyingDifferences,
  postcodeDistrict,
  reconcileVenues,
  settleKeyings,
  turnoutReport,
  voterEqualityReport,
  type Keying,
} from "~/domain/paper-ballots";

const keying = (id: string, keyedBy: string, overrides: Partial<Keying> = {}): Keying => ({
  id,
  keyedBy,
  venueId: "v1",
  isSpoilt: false,
  choices: '{"a":1}',
  ...overrides,
});

describe("settling a paper's keyings", () => {
  it("one keying waits; two that agree settle it; two that differ are a mismatch", () => {
    expect(settleKeyings([keying("k1", "ann")])).toEqual({ kind: "waiting" });
    expect(settleKeyings([keying("k1", "ann"), keying("k2", "bo")])).toEqual({ kind: "agreed", keying: keying("k1", "ann") });
    expect(settleKeyings([keying("k1", "ann"), keying("k2", "bo", { choices: '{"b":1}' })])).toEqual({ kind: "mismatch" });
  });

  it("two keyings by the same person never agree, however alike", () => {
    expect(settleKeyings([keying("k1", "ann"), keying("k2", "ann")])).toEqual({ kind: "mismatch" });
  });

  it("a third keying settles a mismatch by matching either of the first two", () => {
    const first = keying("k1", "ann");
    const second = keying("k2", "bo", { choices: '{"b":1}' });
    expect(settleKeyings([first, second, keying("k3", "cy", { choices: '{"b":1}' })])).toEqual({ kind: "agreed", keying: second });
  });

  it("names what differs: the venue, spoilt or not, the choices (choices do not count on two spoilt papers)", () => {
    expect(keyingDifferences(keying("k1", "a"), keying("k2", "b", { venueId: "v2", choices: '{"b":1}' }))).toEqual(["the venue", "the choices"]);
    expect(keyingDifferences(keying("k1", "a"), keying("k2", "b", { isSpoilt: true, choices: null }))).toEqual(["whether the paper is spoilt"]);
    expect(keyingDifferences(keying("k1", "a", { isSpoilt: true, choices: null }), keying("k2", "b", { isSpoilt: true, choices: null }))).toEqual([]);
  });
});

describe("one counted ballot across channels", () => {
  it("online may replace online; nothing follows a counted paper ballot; paper follows nothing counted", () => {
    expect(doubleVoteReason(null, "online")).toBeNull();
    expect(doubleVoteReason(null, "paper")).toBeNull();
    expect(doubleVoteReason("online", "online")).toBeNull();
    expect(doubleVoteReason("online", "paper")).toMatch(/already used to vote online/);
    expect(doubleVoteReason("paper", "online")).toMatch(/paper ballot that is counted/);
    expect(doubleVoteReason("paper", "paper")).toMatch(/paper ballot that is counted/);
  });
});

describe("venue reconciliation", () => {
  it("keyed is every settled or waiting paper; returned = keyed + not keyed; issued = returned + not returned; negatives are problems", () => {
    const report = reconcileVenues([
      { id: "a", name: "Library", issued: 10, returned: 6, counted: 3, spoilt: 1, refused: 1, waiting: 0, mismatch: 0 },
      { id: "b", name: "Hall", issued: 2, returned: 3, counted: 4, spoilt: 0, refused: 0, waiting: 1, mismatch: 0 },
    ]);
    expect(report.lines[0]).toMatchObject({ keyed: 5, notKeyed: 1, notReturned: 4, problems: [] });
    expect(report.lines[1]).toMatchObject({ keyed: 5, notKeyed: -2, notReturned: -1, problems: ["1 more returned than issued", "2 more keyed than returned"] });
    expect(report.totals).toMatchObject({ issued: 12, returned: 9, keyed: 10, counted: 7, notKeyed: -1, notReturned: 3 });
    expect(report.totals.problems).toEqual(["Hall: 1 more returned than issued", "Hall: 2 more keyed than returned"]);
  });
});

describe("participation", () => {
  it("areas are postcode districts; paper voters without a postcode count in their venue's district; lowest turnout first", () => {
    expect(postcodeDistrict("co9 2ab")).toBe("CO9");
    expect(postcodeDistrict(null)).toBeNull();
    const report = turnoutReport([
      { voterPostcode: "CO9 2AB", venuePostcode: null, channel: "online", count: 5 },
      { voterPostcode: null, venuePostcode: "CO9 2ET", channel: "paper", count: 2 },
      { voterPostcode: "CM7 1AA", venuePostcode: null, channel: "online", count: 3 },
      { voterPostcode: null, venuePostcode: null, channel: "online", count: 1 },
    ]);
    expect(report.total).toBe(11);
    expect(report.byChannel).toEqual({ online: 9, paper: 2 });
    expect(report.byArea).toEqual([
      { area: "Not known", online: 1, paper: 0, total: 1 },
      { area: "CM7", online: 3, paper: 0, total: 3 },
      { area: "CO9", online: 5, paper: 2, total: 7 },
    ]);
  });

  it("voters' equality counts show only at 10 or more, and a lone hidden count takes the smallest shown one with it", () => {
    const question = { id: "q", text: "Age", options: ["a", "b", "c"].map((id) => ({ id, label: id.toUpperCase() })) };
    const report = (counts: number[]) => voterEqualityReport([question], new Map(counts.map((n, i) => [["a", "b", "c"][i]!, n])))[0]!;
    expect(report([12, 15, 0])).toMatchObject({ answered: 27 });
    expect(report([12, 15, 0]).options.map((o) => o.count)).toEqual([12, 15, null]);
    expect(report([12, 15, 3]).options.map((o) => o.count)).toEqual([null, 15, null]);
    expect(report([5, 4, 0])).toEqual({ question: "Age", answered: null, options: ["A", "B", "C"].map((label) => ({ label, count: null })) });
  });
});

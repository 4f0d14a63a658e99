import { describe, expect, it } from "vitest";
import { DomainError } from "~/domain/errors";
import { checkQuorum, compositionBreaches, type CompositionRules, type Constituency, type PanelMember } from "~/domain/panel-composition";

const panelOf = (residents: number, councillors: number, vcse: number): PanelMember[] => {
  const make = (c: Constituency, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${c}-${i + 1}`, constituency: c }));
  return [...make("resident", residents), ...make("councillor", councillors), ...make("vcse", vcse)];
};

// Bristol-like: residents at least 40%, councillors at most a third (34% allows 1 in 3), at least one VCSE representative.
const rules: CompositionRules = { resident: { minShare: 40 }, councillor: { maxShare: 34 }, vcse: { minCount: 1 } };

describe("composition rules", () => {
  it("a panel that meets every rule has no breaches, including shares met exactly", () => {
    expect(compositionBreaches(panelOf(2, 1, 2), rules)).toEqual([]); // residents 2 of 5 = 40%
    expect(compositionBreaches(panelOf(1, 1, 1), { councillor: { maxShare: 100 / 3 } })).toEqual([]);
  });

  it("lists each breach in plain English, in constituency order", () => {
    expect(compositionBreaches(panelOf(2, 4, 0), rules)).toEqual([
      "Residents must be at least 40% of the panel, but are 2 of 6 (33.3%).",
      "Councillors may be at most 34% of the panel, but are 4 of 6 (66.7%).",
      "The panel must include at least 1 VCSE representative, but has none.",
    ]);
  });

  it("minimum and maximum counts", () => {
    const countRules: CompositionRules = { resident: { minCount: 3 }, councillor: { maxCount: 1 } };
    expect(compositionBreaches(panelOf(2, 2, 0), countRules)).toEqual([
      "The panel must include at least 3 residents, but has 2.",
      "The panel may include at most 1 councillor, but has 2.",
    ]);
  });

  it("a share just short of the limit is never shown rounded up to it", () => {
    // 1999 of 5000 is 39.98%: shown as 39.9%, not 40.0%.
    expect(compositionBreaches(panelOf(1999, 3001, 0), { resident: { minShare: 40 } })).toEqual([
      "Residents must be at least 40% of the panel, but are 1999 of 5000 (39.9%).",
    ]);
  });

  it("an empty panel breaks every minimum but no maximum share", () => {
    expect(compositionBreaches([], { resident: { minShare: 40 }, councillor: { maxShare: 34 }, vcse: { minCount: 1 } })).toEqual([
      "Residents must be at least 40% of the panel, but the panel has no members.",
      "The panel must include at least 1 VCSE representative, but has none.",
    ]);
  });

  it("no rules, no breaches", () => {
    expect(compositionBreaches(panelOf(0, 5, 0), {})).toEqual([]);
  });

  it("refuses impossible rules and members listed twice", () => {
    expect(() => compositionBreaches([], { resident: { minShare: 120 } })).toThrow("The share limits for residents must be percentages from 0 to 100");
    expect(() => compositionBreaches([], { councillor: { minCount: 3, maxCount: 2 } })).toThrow(DomainError);
    expect(() => compositionBreaches([], { vcse: { minShare: 50, maxShare: 40 } })).toThrow(DomainError);
    expect(() => compositionBreaches([], { vcse: { minCount: 1.5 } })).toThrow(DomainError);
    const twice: PanelMember[] = [
      { id: "a", constituency: "resident" },
      { id: "a", constituency: "resident" },
    ];
    expect(() => compositionBreaches(twice, {})).toThrow("a is listed twice");
  });
});

describe("quorum", () => {
  it("is quorate with enough members present who meet the composition rules, and says why", () => {
    const result = checkQuorum({ present: panelOf(3, 1, 1), minimumPresent: 5, rules });
    expect(result).toEqual({
      isQuorate: true,
      countingPresent: 5,
      reasons: [
        "5 members are present, and at least 5 are needed.",
        "The members present meet the fund's rules on the mix of residents, councillors and VCSE representatives.",
      ],
    });
  });

  it("is not quorate with too few present, even if the mix is right", () => {
    const result = checkQuorum({ present: panelOf(2, 1, 1), minimumPresent: 5, rules });
    expect(result.isQuorate).toBe(false);
    expect(result.reasons[0]).toBe("Only 4 members are present; at least 5 are needed.");
  });

  it("is not quorate when those present break the composition rules, even if there are enough", () => {
    const result = checkQuorum({ present: panelOf(2, 4, 1), minimumPresent: 5, rules });
    expect(result.isQuorate).toBe(false);
    expect(result.reasons).toEqual([
      "7 members are present, and at least 5 are needed.",
      "Residents must be at least 40% of the members present, but are 2 of 7 (28.6%).",
      "Councillors may be at most 34% of the members present, but are 4 of 7 (57.1%).",
    ]);
  });

  it("members recused from the item do not count towards its quorum", () => {
    const present = panelOf(3, 1, 1);
    const result = checkQuorum({ present, minimumPresent: 5, rules, recusedMemberIds: ["resident-1"] });
    expect(result.isQuorate).toBe(false);
    expect(result.countingPresent).toBe(4);
    expect(result.reasons[0]).toBe("Only 4 members are present, not counting 1 recused from this item; at least 5 are needed.");
  });

  it("says plainly when nobody, or only one member, is present", () => {
    const nobody = checkQuorum({ present: [], minimumPresent: 3, rules: { resident: { minShare: 40, minCount: 1 } } });
    expect(nobody.reasons).toEqual([
      "No members are present; at least 3 are needed.",
      "The members present must include at least 1 resident, but have none.",
      "Residents must be at least 40% of the members present, but nobody is present.",
    ]);
    const one = checkQuorum({ present: panelOf(1, 0, 0), minimumPresent: 3, rules: { councillor: { minCount: 1 } } });
    expect(one.reasons).toEqual(["Only 1 member is present; at least 3 are needed.", "The members present must include at least 1 councillor, but have none."]);
  });

  it("refuses a minimum below 1", () => {
    expect(() => checkQuorum({ present: [], minimumPresent: 0, rules: {} })).toThrow(DomainError);
  });
});

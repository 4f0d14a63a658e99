import { describe, expect, it } from "vitest";
import {
  headerProblems,
  IMPORT_COLUMN_NAMES,
  parseBudgetLines,
  parseImportDate,
  parseOutcomes,
  templateRecords,
  validateImport,
  type ImportContext,
} from "~/domain/proposal-import";

const context: ImportContext = {
  groups: [
    { id: "g-east", name: "Inner City and East", fundName: "Resilience", minGrantPence: 5_000_000, maxGrantPence: 40_000_000, potPence: 160_000_000 },
    { id: "g-eq", name: "Equality communities", fundName: "Resilience", minGrantPence: 1_000_000, maxGrantPence: 15_000_000, potPence: 80_000_000 },
  ],
  organisations: [
    { id: "o-garden", name: "Lawrence Hill Community Garden", kind: "community_group" },
    { id: "o-anchor", name: "Inner East Community Anchor", kind: "lead_org" },
  ],
  existing: [{ reference: "P-0007", decisionGroupId: "g-east", organisationName: "Lawrence Hill Community Garden", title: "Polytunnel" }],
};

const GOOD: Record<string, string> = {
  decision_group: "Inner City and East",
  fund: "",
  community_group: "Lawrence Hill Community Garden",
  title: "A kitchen for the garden",
  summary: "We will build an outdoor kitchen so volunteers can cook what they grow.",
  need_type: "Expressed",
  need_evidence: "Sixty families are on the waiting list for the cooking club.",
  beneficiaries: "Families in Lawrence Hill",
  beneficiary_count: "1,200",
  what_built: "An outdoor kitchen with a roof",
  budget_lines: "Kitchen units: £30,000; Roof: £25,000.50",
  amount_requested: "£55,000.50",
  start_date: "01/04/2027",
  end_date: "2027-09-30",
  outcomes: "Cooking club runs weekly | sessions counted; 60 families cook | sign-in sheets",
  contact_email: "",
};

const csv = (...rows: Record<string, string>[]) => [IMPORT_COLUMN_NAMES.slice(), ...rows.map((r) => IMPORT_COLUMN_NAMES.map((c) => r[c] ?? ""))];

describe("checking an import row by row", () => {
  it("turns a good row into proposal content: money in pence, UK dates, need type, budget and outcomes", () => {
    const result = validateImport(csv(GOOD), context);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rows).toHaveLength(1);
    const [row] = result.rows;
    expect(row).toMatchObject({
      row: 2,
      decisionGroupId: "g-east",
      organisationId: "o-garden",
      communityGroupName: "Lawrence Hill Community Garden",
      contactEmail: null,
    });
    expect(row!.content).toEqual({
      title: "A kitchen for the garden",
      summary: "We will build an outdoor kitchen so volunteers can cook what they grow.",
      needType: "expressed",
      needEvidence: "Sixty families are on the waiting list for the cooking club.",
      beneficiaries: "Families in Lawrence Hill",
      beneficiaryCount: 1200,
      whatBuilt: "An outdoor kitchen with a roof",
      budgetLines: [
        { item: "Kitchen units", costPence: 3_000_000 },
        { item: "Roof", costPence: 2_500_050 },
      ],
      amountRequestedPence: 5_500_050,
      startDate: "2027-04-01",
      endDate: "2027-09-30",
      outcomes: [
        { outcome: "Cooking club runs weekly", measure: "sessions counted" },
        { outcome: "60 families cook", measure: "sign-in sheets" },
      ],
    });
  });

  it("marks an unknown community group as new (to be created) with its contact email", () => {
    const result = validateImport(csv({ ...GOOD, community_group: "Easton Pantry", contact_email: "pantry@example.org" }), context);
    expect(result.ok && result.rows[0]).toMatchObject({ organisationId: null, communityGroupName: "Easton Pantry", contactEmail: "pantry@example.org" });
  });

  it("reports an amount under the group's minimum on that row, in the spreadsheet's numbering", () => {
    const result = validateImport(csv(GOOD, { ...GOOD, title: "Too small", amount_requested: "£5,000" }), context);
    expect(result).toEqual({
      ok: false,
      errors: ["Row 3: the amount requested must be at least £50,000, the minimum grant for this decision group"],
    });
  });

  it("reports every problem on a row, each with its row number", () => {
    const bad = {
      ...GOOD,
      decision_group: "Atlantis",
      title: "",
      need_type: "urgent",
      beneficiary_count: "lots",
      start_date: "31/02/2027",
      outcomes: "just an outcome",
      contact_email: "not-an-email",
    };
    const result = validateImport(csv(bad), context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      'Row 2: there is no decision group called "Atlantis". Use one of: Inner City and East, Equality communities',
      "Row 2: enter a title",
      "Row 2: the kind of need must be one of: felt, expressed, comparative, normative",
      "Row 2: how many people benefit must be a whole number, like 200",
      "Row 2: the start date must be a real date, like 2027-04-01 or 01/04/2027",
      'Row 2: the outcome "just an outcome" must be an outcome and how it will be measured, separated by "|"',
      "Row 2: the contact email must be an email address, like name@example.com",
    ]);
  });

  it("refuses a summary over 150 words", () => {
    const result = validateImport(csv({ ...GOOD, summary: "word ".repeat(151) }), context);
    expect(result).toEqual({ ok: false, errors: ["Row 2: the summary must be 150 words or fewer (it has 151)"] });
  });

  it("refuses an end date before the start date, and an amount over the maximum", () => {
    const result = validateImport(csv({ ...GOOD, start_date: "2027-09-30", end_date: "2027-04-01", amount_requested: "500000" }), context);
    expect(result.ok ? [] : result.errors).toEqual([
      "Row 2: the amount requested must be no more than £400,000, the maximum grant for this decision group",
      "Row 2: the end date must be on or after the start date",
    ]);
  });

  it("refuses a lead organisation named as the community group", () => {
    const result = validateImport(csv({ ...GOOD, community_group: "Inner East Community Anchor" }), context);
    expect(result.ok ? [] : result.errors).toEqual(['Row 2: "Inner East Community Anchor" is a lead organisation, not a community group']);
  });

  it("refuses a row that repeats an earlier row, or a proposal already in the portal", () => {
    const result = validateImport(csv(GOOD, GOOD, { ...GOOD, title: "Polytunnel" }), context);
    expect(result.ok ? [] : result.errors).toEqual([
      "Row 3: this repeats row 2: the same community group, decision group and title",
      'Row 4: "Lawrence Hill Community Garden" already has a proposal called "Polytunnel" in this decision group (P-0007). Was this file imported before?',
    ]);
  });

  it("uses the fund column to tell apart decision groups with the same name", () => {
    const twoFunds: ImportContext = {
      ...context,
      groups: [...context.groups, { ...context.groups[0]!, id: "g-east-2", fundName: "Next year" }],
    };
    const ambiguous = validateImport(csv(GOOD), twoFunds);
    expect(ambiguous.ok ? [] : ambiguous.errors).toEqual([
      'Row 2: more than one fund has a decision group called "Inner City and East". Add the fund column to say which',
    ]);
    const chosen = validateImport(csv({ ...GOOD, fund: "Next year" }), twoFunds);
    expect(chosen.ok && chosen.rows[0]!.decisionGroupId).toBe("g-east-2");
  });

  it("skips blank rows but keeps the row numbers matching the spreadsheet", () => {
    const records = csv(GOOD);
    records.splice(
      1,
      0,
      IMPORT_COLUMN_NAMES.map(() => ""),
    );
    const result = validateImport(records, context);
    expect(result.ok && result.rows[0]!.row).toBe(3);
  });

  it("refuses a header with missing or unknown columns before looking at any row", () => {
    const header = IMPORT_COLUMN_NAMES.filter((c) => c !== "title").map((c) => (c === "summary" ? "sumary" : c));
    expect(headerProblems(header)).toEqual([
      "The header row (row 1) is missing these columns: title, summary.",
      "The header row (row 1) has a column we do not recognise: sumary. Check the spelling against the list on this page.",
    ]);
  });

  it("accepts the header in any order and case, without the optional columns", () => {
    const columns = IMPORT_COLUMN_NAMES.filter((c) => c !== "fund" && c !== "contact_email").reverse();
    const records = [columns.map((c) => c.toUpperCase()), columns.map((c) => GOOD[c]!)];
    expect(validateImport(records, context).ok).toBe(true);
  });

  it("refuses an empty file or one with only a header", () => {
    expect(validateImport([], context)).toEqual({ ok: false, errors: ["The file is empty. It needs a header row and at least one proposal."] });
    expect(validateImport(csv(), context)).toEqual({ ok: false, errors: ["There are no proposals under the header row."] });
  });

  it("flags a row with more cells than the header", () => {
    const records = csv(GOOD);
    records[1]!.push("stray");
    const result = validateImport(records, context);
    const columns = IMPORT_COLUMN_NAMES.length;
    expect(result.ok ? [] : result.errors[0]).toMatch(new RegExp(`^Row 2: there are ${columns + 1} cells but the header has ${columns} columns`));
  });

  it("lists at most 100 problems and counts the rest", () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ ...GOOD, title: `T${i}`, need_type: "", amount_requested: "" }));
    const result = validateImport(csv(...rows), context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(101);
    expect(result.errors[100]).toBe("…and 20 more problems.");
  });

  it("the template's example row passes for a group whose limits fit it", () => {
    const records = templateRecords("Inner City and East");
    const result = validateImport(records, { ...context, organisations: [] });
    expect(result.ok).toBe(true);
  });
});

describe("reading the packed columns", () => {
  it("reads budget lines, keeping colons in the item name", () => {
    expect(parseBudgetLines("Hire: scaffold: £1,000; Paint: 250.5")).toEqual({
      lines: [
        { item: "Hire: scaffold", costPence: 100_000 },
        { item: "Paint", costPence: 25_050 },
      ],
    });
    expect(parseBudgetLines("Paint")).toEqual({ problem: 'the budget line "Paint" must be an item and a cost, like "Building work: £40,000"' });
    expect(parseBudgetLines("Paint: £0")).toEqual({ problem: 'the budget line "Paint" must cost more than £0' });
    expect(parseBudgetLines(" ; ")).toEqual({ problem: 'enter at least one budget line, like "Building work: £40,000"' });
  });

  it("reads outcomes and refuses more than five", () => {
    expect(parseOutcomes("A | a")).toEqual({ outcomes: [{ outcome: "A", measure: "a" }] });
    expect(parseOutcomes(Array.from({ length: 6 }, (_, i) => `O${i} | m`).join("; "))).toEqual({ problem: "enter 5 outcomes or fewer" });
  });

  it("reads ISO and UK dates and refuses dates that do not exist", () => {
    expect(parseImportDate("2027-4-1")).toBe("2027-04-01");
    expect(parseImportDate("1/4/2027")).toBe("2027-04-01");
    expect(parseImportDate("29/02/2027")).toBeNull();
    expect(parseImportDate("29/02/2028")).toBe("2028-02-29");
    expect(parseImportDate("April 1st")).toBeNull();
  });
});

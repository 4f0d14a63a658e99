import { describe, expect, it } from "vitest";
import { parseCsv } from "~/domain/csv";
import { EXPORT_HEADER, exportRecord, penceToPounds, proposalsCsv, type ExportProposal } from "~/domain/proposal-export";

const proposal: ExportProposal = {
  reference: "P-0001",
  status: "supported",
  fundName: "Resilience",
  decisionGroupName: "East",
  communityGroupName: "Garden",
  leadOrganisations: ["Anchor A", "Anchor B"],
  preparedByName: null,
  title: '=HYPERLINK("http://evil.example")',
  summary: "Line one\nline two, with a comma",
  need_type: "felt",
  need_evidence: "Evidence",
  beneficiaries: "Families",
  beneficiary_count: 120,
  what_built: "A kitchen",
  budget_lines: JSON.stringify([
    { item: "Units", costPence: 3_000_000 },
    { item: "Roof", costPence: 2_500_050 },
  ]),
  amount_requested_pence: 5_500_050,
  start_date: "2027-04-01",
  end_date: "2027-09-30",
  outcomes: JSON.stringify([{ outcome: "Weekly club", measure: "Sessions" }]),
  eligibility_answers: JSON.stringify({ q2: "Charity", q1: "Yes" }),
  created_at: "2026-11-23T09:15:00.000Z",
  submitted_at: "2026-11-24T10:00:00.000Z",
  updated_at: "2026-11-25T11:30:00.000Z",
  version: 2,
  importedByName: "Asha Admin",
  importedByEmail: "admin@example.test",
};

const questions = [
  { id: "q1", text: "Is it physical?" },
  { id: "q2", text: "What kind of organisation?" },
];

describe("exporting proposals", () => {
  it("writes exact pounds with pence, so spreadsheet sums match the portal", () => {
    expect(penceToPounds(5_500_050)).toBe("55000.50");
    expect(penceToPounds(7)).toBe("0.07");
    expect(penceToPounds(0)).toBe("0.00");
  });

  it("gives every field, with budget lines, total, outcomes and answers in words", () => {
    const record = exportRecord(proposal, questions);
    expect(record).toHaveLength(EXPORT_HEADER.length);
    const cell = (name: (typeof EXPORT_HEADER)[number]) => record[EXPORT_HEADER.indexOf(name)];
    expect(cell("Status")).toBe("Supported by lead organisation");
    expect(cell("Lead organisations")).toBe("Anchor A; Anchor B");
    expect(cell("Budget lines")).toBe("Units: £30,000; Roof: £25,000.50");
    expect(cell("Budget total (£)")).toBe("55000.50");
    expect(cell("Amount requested (£)")).toBe("55000.50");
    expect(cell("Outcomes")).toBe("Weekly club | Sessions");
    expect(cell("Eligibility answers")).toBe("Is it physical? Answer: Yes; What kind of organisation? Answer: Charity");
    expect(cell("Submitted")).toBe("2026-11-24 10:00");
    expect(cell("Imported by")).toBe("Asha Admin (admin@example.test)");
  });

  it("makes a CSV with a BOM, the header and one row per proposal, the formula neutralised", () => {
    const text = proposalsCsv([proposal, { ...proposal, reference: "P-0002", title: "Plain" }], questions);
    expect(text.startsWith("\uFEFFReference,Status,")).toBe(true);
    const records = parseCsv(text);
    expect(records).toHaveLength(3);
    expect(records[0]).toEqual([...EXPORT_HEADER]);
    expect(records[1]![EXPORT_HEADER.indexOf("Title")]).toBe('\'=HYPERLINK("http://evil.example")');
    expect(records[1]![EXPORT_HEADER.indexOf("Summary")]).toBe("Line one\nline two, with a comma");
    expect(records[2]![0]).toBe("P-0002");
  });
});

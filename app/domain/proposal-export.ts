/**
 * One CSV row per proposal with every field, for administrators' spreadsheets.
 * Money columns are plain pounds with pence ("50000.00") so a spreadsheet can
 * add them up; the budget lines read as "item: £cost; …". Pure.
 */
import { toCsv } from "./csv";
import { formatPence } from "./money";
import { NEED_LABELS, budgetTotal, type BudgetLine, type NeedType, type Outcome } from "./proposal";
import { STATUS_LABELS, type ProposalStatus } from "./proposal-status";

export interface ExportProposal {
  reference: string;
  status: ProposalStatus;
  fundName: string;
  decisionGroupName: string;
  communityGroupName: string;
  leadOrganisations: readonly string[];
  preparedByName: string | null;
  title: string;
  summary: string;
  need_type: NeedType | null;
  need_evidence: string;
  beneficiaries: string;
  beneficiary_count: number | null;
  what_built: string;
  budget_lines: string;
  amount_requested_pence: number | null;
  start_date: string | null;
  end_date: string | null;
  outcomes: string;
  eligibility_answers: string;
  created_at: string;
  submitted_at: string | null;
  updated_at: string;
  version: number;
  importedByName: string | null;
  importedByEmail: string | null;
}

export const EXPORT_HEADER = [
  "Reference",
  "Status",
  "Fund",
  "Decision group",
  "Community group",
  "Lead organisations",
  "Prepared by",
  "Title",
  "Summary",
  "Kind of need",
  "Evidence of need",
  "Who benefits",
  "How many people benefit",
  "What will be built or bought",
  "Budget lines",
  "Budget total (£)",
  "Amount requested (£)",
  "Start date",
  "End date",
  "Outcomes",
  "Eligibility answers",
  "Created",
  "Submitted",
  "Updated",
  "Version",
  "Imported by",
] as const;

/** Integer pence to "1234.50": exact, and a number to a spreadsheet. */
export const penceToPounds = (pence: number): string =>
  `${pence < 0 ? "-" : ""}${Math.floor(Math.abs(pence) / 100)}.${String(Math.abs(pence) % 100).padStart(2, "0")}`;

function parseJson<T>(text: string, fallback: T): T {
  try {
    const value = JSON.parse(text) as unknown;
    return (value ?? fallback) as T;
  } catch {
    return fallback;
  }
}

/** ISO timestamp to "2026-11-23 14:05" (UTC), which spreadsheets read as a date and time. */
const stamp = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}`.trim() : "");

export function exportRecord(p: ExportProposal, questions: readonly { id: string; text: string }[]): (string | number)[] {
  const lines = parseJson<BudgetLine[]>(p.budget_lines, []);
  const outcomes = parseJson<Outcome[]>(p.outcomes, []);
  const answers = parseJson<Record<string, string>>(p.eligibility_answers, {});
  const questionText = new Map(questions.map((q) => [q.id, q.text]));
  return [
    p.reference,
    STATUS_LABELS[p.status] ?? p.status,
    p.fundName,
    p.decisionGroupName,
    p.communityGroupName,
    p.leadOrganisations.join("; "),
    p.preparedByName ?? "",
    p.title,
    p.summary,
    p.need_type ? NEED_LABELS[p.need_type] : "",
    p.need_evidence,
    p.beneficiaries,
    p.beneficiary_count ?? "",
    p.what_built,
    lines.map((l) => `${l.item}: ${formatPence(l.costPence)}`).join("; "),
    penceToPounds(budgetTotal(lines)),
    p.amount_requested_pence === null ? "" : penceToPounds(p.amount_requested_pence),
    p.start_date ?? "",
    p.end_date ?? "",
    outcomes.map((o) => `${o.outcome} | ${o.measure}`).join("; "),
    [
      ...questions.filter((q) => q.id in answers).map((q) => `${q.text} Answer: ${answers[q.id]}`),
      ...Object.keys(answers)
        .filter((id) => !questionText.has(id))
        .map((id) => `${id} Answer: ${answers[id]}`),
    ].join("; "),
    stamp(p.created_at),
    stamp(p.submitted_at),
    stamp(p.updated_at),
    p.version,
    p.importedByName ? `${p.importedByName}${p.importedByEmail ? ` (${p.importedByEmail})` : ""}` : "",
  ];
}

/** The whole export: a BOM (so Excel reads £ right), the header, a row per proposal. */
export function proposalsCsv(rows: readonly ExportProposal[], questions: readonly { id: string; text: string }[]): string {
  return toCsv([[...EXPORT_HEADER], ...rows.map((p) => exportRecord(p, questions))], { bom: true });
}

/**
 * CSV exports of awards, payments and monitoring reports. Pure. Money is
 * written as plain pounds with pence ("1234.50") so a spreadsheet sums it;
 * every text cell goes through toCsv, which neutralises formulas.
 */
import { toCsv } from "./csv";
import { AWARD_STATUS_LABELS } from "./award-dashboard";
import { PAYMENT_STATUS_LABELS, type AwardStatus, type PaymentStatus, type ReportStatus } from "./payments";

/** Integer pence to "1234.50". */
export const penceToPlainPounds = (pence: number | null | undefined): string => {
  if (pence === null || pence === undefined) return "";
  const sign = pence < 0 ? "-" : "";
  const abs = Math.abs(pence);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
};

const money = (pence: number | null | undefined) => penceToPlainPounds(pence);

export interface AwardExportRow {
  reference: string;
  fund_name: string;
  group_name: string;
  organisation_name: string;
  proposal_reference: string;
  title: string;
  status: AwardStatus;
  amount_pence: number;
  paid_pence: number;
  offered_at: string;
  accepted_at: string | null;
  closed_at: string | null;
  withdrawn_at: string | null;
  clawback_pence: number | null;
}

export function awardsCsv(rows: readonly AwardExportRow[]): string {
  return toCsv(
    [
      [
        "Award reference",
        "Fund",
        "Decision group",
        "Organisation",
        "Proposal reference",
        "Project",
        "Status",
        "Amount (£)",
        "Paid (£)",
        "Remaining (£)",
        "Offered",
        "Accepted",
        "Closed",
        "Withdrawn",
        "Clawback (£)",
      ],
      ...rows.map((r) => [
        r.reference,
        r.fund_name,
        r.group_name,
        r.organisation_name,
        r.proposal_reference,
        r.title,
        AWARD_STATUS_LABELS[r.status],
        money(r.amount_pence),
        money(r.paid_pence),
        money(r.amount_pence - r.paid_pence),
        r.offered_at.slice(0, 10),
        r.accepted_at?.slice(0, 10) ?? "",
        r.closed_at?.slice(0, 10) ?? "",
        r.withdrawn_at?.slice(0, 10) ?? "",
        money(r.clawback_pence),
      ]),
    ],
    { bom: true },
  );
}

export interface PaymentExportRow {
  award_reference: string;
  fund_name: string;
  group_name: string;
  organisation_name: string;
  instalment_position: number | null;
  amount_pence: number;
  paid_on: string;
  reference: string;
  status: PaymentStatus;
  recorder_name: string | null;
  recorded_at: string;
  approver_name: string | null;
  approved_at: string | null;
}

export function paymentsCsv(rows: readonly PaymentExportRow[]): string {
  return toCsv(
    [
      [
        "Award reference",
        "Fund",
        "Decision group",
        "Organisation",
        "Instalment",
        "Amount (£)",
        "Paid on",
        "Payment reference",
        "Status",
        "Recorded by",
        "Recorded at",
        "Approved or rejected by",
        "Approved or rejected at",
      ],
      ...rows.map((r) => [
        r.award_reference,
        r.fund_name,
        r.group_name,
        r.organisation_name,
        r.instalment_position ?? "",
        money(r.amount_pence),
        r.paid_on,
        r.reference,
        PAYMENT_STATUS_LABELS[r.status],
        r.recorder_name ?? "",
        r.recorded_at,
        r.approver_name ?? "",
        r.approved_at ?? "",
      ]),
    ],
    { bom: true },
  );
}

const REPORT_STATUS_LABELS: Record<ReportStatus, string> = {
  due: "Due",
  submitted: "Submitted",
  approved: "Approved",
  more_requested: "More information asked for",
};

export interface ReportExportRow {
  award_reference: string;
  fund_name: string;
  group_name: string;
  organisation_name: string;
  kind: "progress" | "final";
  due_on: string;
  status: ReportStatus;
  submitted_at: string | null;
  reviewed_at: string | null;
  progress: string;
  review_note: string | null;
}

/** "Overdue" is judged against today (YYYY-MM-DD): due or more asked for, and past its date. */
export function reportsCsv(rows: readonly ReportExportRow[], today: string): string {
  return toCsv(
    [
      [
        "Award reference",
        "Fund",
        "Decision group",
        "Organisation",
        "Report",
        "Due on",
        "Status",
        "Overdue",
        "Submitted at",
        "Reviewed at",
        "Progress",
        "Review note",
      ],
      ...rows.map((r) => [
        r.award_reference,
        r.fund_name,
        r.group_name,
        r.organisation_name,
        r.kind === "final" ? "Final" : "Progress",
        r.due_on,
        REPORT_STATUS_LABELS[r.status],
        (r.status === "due" || r.status === "more_requested") && r.due_on < today ? "Yes" : "No",
        r.submitted_at ?? "",
        r.reviewed_at ?? "",
        r.progress,
        r.review_note ?? "",
      ]),
    ],
    { bom: true },
  );
}

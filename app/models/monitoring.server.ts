import type { DB } from "../../db/client";
import { AWARD_STATUSES_OWING_REPORTS, OWED_REPORT_STATUSES } from "~/domain/monitoring";

export const AWARD_FACTS = [
  "award.id",
  "award.reference",
  "award.status",
  "award.amount_pence",
  "award.version",
  "award.organisation_id",
  "award.decision_group_id",
  "award.proposal_id",
  "award.outcome_summary",
  "award.closed_at",
  "award.withdrawn_at",
  "award.withdrawal_reason",
  "award.clawback_pence",
  "proposal.title",
  "proposal.start_date",
  "proposal.end_date",
  "proposal.what_built",
  "proposal.budget_lines",
  "proposal.outcomes",
  "organisation.name as organisation_name",
] as const;

/** An award with its proposal's terms. */
export function getAwardFacts(db: DB, awardId: string) {
  return db
    .selectFrom("award")
    .innerJoin("proposal", "proposal.id", "award.proposal_id")
    .innerJoin("organisation", "organisation.id", "award.organisation_id")
    .select(AWARD_FACTS)
    .where("award.id", "=", awardId)
    .executeTakeFirst();
}
export type AwardFacts = NonNullable<Awaited<ReturnType<typeof getAwardFacts>>>;

/** What has been paid: the sum of paid payments. */
export async function paidPenceOf(db: DB, awardId: string): Promise<number> {
  const row = await db
    .selectFrom("payment")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("amount_pence"), eb.lit(0)).as("total"))
    .where("award_id", "=", awardId)
    .where("status", "=", "paid")
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

export const REPORT_COLUMNS = [
  "id",
  "award_id",
  "kind",
  "due_on",
  "status",
  "progress",
  "spend",
  "outcomes",
  "submitted_by",
  "submitted_at",
  "reviewed_by",
  "reviewed_at",
  "review_note",
  "reminded_at",
] as const;

export function listReports(db: DB, awardId: string) {
  return db.selectFrom("monitoring_report").select(REPORT_COLUMNS).where("award_id", "=", awardId).orderBy("due_on").orderBy("kind", "desc").execute();
}

export function getReport(db: DB, awardId: string, reportId: string) {
  return db.selectFrom("monitoring_report").select(REPORT_COLUMNS).where("id", "=", reportId).where("award_id", "=", awardId).executeTakeFirst();
}

export function listReportFiles(db: DB, awardId: string) {
  return db
    .selectFrom("award_file")
    .select(["id", "report_id", "original_name", "mime_type", "size_bytes", "created_at"])
    .where("award_id", "=", awardId)
    .where("report_id", "is not", null)
    .orderBy("created_at")
    .execute();
}

/**
 * The one query of overdue reports (isOverdue in domain/monitoring.ts): still
 * owed, due before `today` (a UK date), on an award that is still open. The
 * reports list and the dashboard's count both start here, so they agree.
 */
export function overdueReports(db: DB, today: string) {
  return db
    .selectFrom("monitoring_report")
    .innerJoin("award", "award.id", "monitoring_report.award_id")
    .where("monitoring_report.due_on", "<", today)
    .where("monitoring_report.status", "in", OWED_REPORT_STATUSES)
    .where("award.status", "in", AWARD_STATUSES_OWING_REPORTS);
}

/** Every report still owed whose due date is before today, across awards that are still open. */
export function listOverdueReports(db: DB, today: string) {
  return overdueReports(db, today)
    .innerJoin("proposal", "proposal.id", "award.proposal_id")
    .innerJoin("organisation", "organisation.id", "award.organisation_id")
    .select([
      "monitoring_report.id",
      "monitoring_report.kind",
      "monitoring_report.due_on",
      "monitoring_report.status",
      "monitoring_report.reminded_at",
      "award.id as award_id",
      "award.reference as award_reference",
      "award.organisation_id",
      "proposal.id as proposal_id",
      "proposal.reference as proposal_reference",
      "proposal.title",
      "organisation.name as organisation_name",
      "organisation.contact_email",
    ])
    .orderBy("monitoring_report.due_on")
    .execute();
}

export const VARIATION_COLUMNS = ["id", "award_id", "kind", "reason", "requested_change", "status", "requested_at", "decided_at", "decision_note"] as const;

export function listVariations(db: DB, awardId: string) {
  return db.selectFrom("award_variation").select(VARIATION_COLUMNS).where("award_id", "=", awardId).orderBy("requested_at", "desc").execute();
}

export function listAwardVersions(db: DB, awardId: string) {
  return db
    .selectFrom("award_version")
    .select(["id", "version", "snapshot", "reason", "created_at"])
    .where("award_id", "=", awardId)
    .orderBy("version", "desc")
    .execute();
}

import type { DB } from "../../db/client";
import type { AwardExportRow, PaymentExportRow, ReportExportRow } from "~/domain/award-export";

/** Every award (of one fund, if given), with what is paid on it, in one query. */
export async function listAwardsForExport(db: DB, fundId?: string): Promise<AwardExportRow[]> {
  const rows = await db
    .selectFrom("award")
    .innerJoin("decision_group", "decision_group.id", "award.decision_group_id")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .innerJoin("organisation", "organisation.id", "award.organisation_id")
    .innerJoin("proposal", "proposal.id", "award.proposal_id")
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("payment")
          .select((p) => ["payment.award_id", p.fn.sum<number>("payment.amount_pence").as("paid_pence")])
          .where("payment.status", "=", "paid")
          .groupBy("payment.award_id")
          .as("paid"),
      (join) => join.onRef("paid.award_id", "=", "award.id"),
    )
    .select([
      "award.reference",
      "fund.name as fund_name",
      "decision_group.name as group_name",
      "organisation.name as organisation_name",
      "proposal.reference as proposal_reference",
      "proposal.title",
      "award.status",
      "award.amount_pence",
      "paid.paid_pence",
      "award.offered_at",
      "award.accepted_at",
      "award.closed_at",
      "award.withdrawn_at",
      "award.clawback_pence",
    ])
    .$if(!!fundId, (q) => q.where("fund.id", "=", fundId!))
    .orderBy("fund.name")
    .orderBy("decision_group.name")
    .orderBy("award.reference")
    .execute();
  return rows.map((r) => ({ ...r, paid_pence: Number(r.paid_pence ?? 0) }));
}

/** Every payment (of one fund's awards, if given), in one query. */
export function listPaymentsForExport(db: DB, fundId?: string): Promise<PaymentExportRow[]> {
  return db
    .selectFrom("payment")
    .innerJoin("award", "award.id", "payment.award_id")
    .innerJoin("decision_group", "decision_group.id", "award.decision_group_id")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .innerJoin("organisation", "organisation.id", "award.organisation_id")
    .leftJoin("payment_instalment", "payment_instalment.id", "payment.instalment_id")
    .leftJoin("user as recorder", "recorder.id", "payment.recorded_by")
    .leftJoin("user as approver", "approver.id", "payment.approved_by")
    .select([
      "award.reference as award_reference",
      "fund.name as fund_name",
      "decision_group.name as group_name",
      "organisation.name as organisation_name",
      "payment_instalment.position as instalment_position",
      "payment.amount_pence",
      "payment.paid_on",
      "payment.reference",
      "payment.status",
      "recorder.name as recorder_name",
      "payment.recorded_at",
      "approver.name as approver_name",
      "payment.approved_at",
    ])
    .$if(!!fundId, (q) => q.where("fund.id", "=", fundId!))
    .orderBy("payment.paid_on")
    .orderBy("payment.recorded_at")
    .execute();
}

/** Every monitoring report (of one fund's awards, if given), in one query. */
export function listReportsForExport(db: DB, fundId?: string): Promise<ReportExportRow[]> {
  return db
    .selectFrom("monitoring_report")
    .innerJoin("award", "award.id", "monitoring_report.award_id")
    .innerJoin("decision_group", "decision_group.id", "award.decision_group_id")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .innerJoin("organisation", "organisation.id", "award.organisation_id")
    .select([
      "award.reference as award_reference",
      "fund.name as fund_name",
      "decision_group.name as group_name",
      "organisation.name as organisation_name",
      "monitoring_report.kind",
      "monitoring_report.due_on",
      "monitoring_report.status",
      "monitoring_report.submitted_at",
      "monitoring_report.reviewed_at",
      "monitoring_report.progress",
      "monitoring_report.review_note",
    ])
    .$if(!!fundId, (q) => q.where("fund.id", "=", fundId!))
    .orderBy("monitoring_report.due_on")
    .execute();
}

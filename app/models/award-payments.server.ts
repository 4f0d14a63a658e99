import type { DB } from "../../db/client";
import type { AwardPaymentFacts } from "~/domain/payments";

/** The award with what its payment rules need, in five queries; null when there is no such award. */
export async function getAwardPaymentFacts(db: DB, awardId: string) {
  const award = await db
    .selectFrom("award")
    .innerJoin("proposal", "proposal.id", "award.proposal_id")
    .innerJoin("organisation", "organisation.id", "award.organisation_id")
    .innerJoin("decision_group", "decision_group.id", "award.decision_group_id")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .select([
      "award.id",
      "award.reference",
      "award.status",
      "award.amount_pence",
      "award.organisation_id",
      "award.proposal_id",
      "proposal.reference as proposal_reference",
      "proposal.title",
      "organisation.name as organisation_name",
      "decision_group.name as group_name",
      "fund.id as fund_id",
      "fund.name as fund_name",
      "fund.payment_approval_threshold_pence",
    ])
    .where("award.id", "=", awardId)
    .executeTakeFirst();
  if (!award) return null;
  const [conditions, instalments, reports, payments] = await Promise.all([
    db.selectFrom("award_condition").select(["id", "status"]).where("award_id", "=", awardId).execute(),
    db
      .selectFrom("payment_instalment")
      .select(["id", "position", "amount_pence", "due_on", "released_by", "report_id"])
      .where("award_id", "=", awardId)
      .orderBy("position")
      .execute(),
    db.selectFrom("monitoring_report").select(["id", "kind", "due_on", "status"]).where("award_id", "=", awardId).orderBy("due_on").execute(),
    db
      .selectFrom("payment")
      .leftJoin("user as recorder", "recorder.id", "payment.recorded_by")
      .leftJoin("user as approver", "approver.id", "payment.approved_by")
      .select([
        "payment.id",
        "payment.instalment_id",
        "payment.amount_pence",
        "payment.paid_on",
        "payment.reference",
        "payment.status",
        "payment.recorded_by",
        "payment.recorded_at",
        "payment.approved_at",
        "recorder.name as recorder_name",
        "approver.name as approver_name",
      ])
      .where("payment.award_id", "=", awardId)
      .orderBy("payment.recorded_at")
      .execute(),
  ]);
  const facts: AwardPaymentFacts = {
    amountPence: award.amount_pence,
    status: award.status,
    conditions,
    instalments: instalments.map((i) => ({
      id: i.id,
      position: i.position,
      amountPence: i.amount_pence,
      dueOn: i.due_on,
      releasedBy: i.released_by,
      reportId: i.report_id,
    })),
    reports,
    payments: payments.map((p) => ({
      id: p.id,
      instalmentId: p.instalment_id,
      amountPence: p.amount_pence,
      status: p.status,
      recordedBy: p.recorded_by,
      reference: p.reference,
    })),
  };
  return { award, facts, reports, payments };
}

export type AwardPaymentRecord = NonNullable<Awaited<ReturnType<typeof getAwardPaymentFacts>>>;

/** Payments waiting for a second administrator, across every award, oldest first. */
export function listPaymentsAwaitingApproval(db: DB) {
  return db
    .selectFrom("payment")
    .innerJoin("award", "award.id", "payment.award_id")
    .innerJoin("organisation", "organisation.id", "award.organisation_id")
    .innerJoin("proposal", "proposal.id", "award.proposal_id")
    .innerJoin("user as recorder", "recorder.id", "payment.recorded_by")
    .select([
      "payment.id",
      "payment.award_id",
      "payment.amount_pence",
      "payment.paid_on",
      "payment.reference",
      "payment.recorded_by",
      "payment.recorded_at",
      "recorder.name as recorder_name",
      "award.reference as award_reference",
      "proposal.title",
      "organisation.name as organisation_name",
    ])
    .where("payment.status", "=", "awaiting_approval")
    .orderBy("payment.recorded_at")
    .execute();
}

import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import { formatPence } from "~/domain/money";
import { checkApproval, checkNewPayment, needsSecondApproval, scheduleProblems, type ScheduleRow } from "~/domain/payments";
import { can, type Actor } from "~/domain/permissions";
import type { Submission } from "~/domain/submissions";
import { getAwardPaymentFacts, type AwardPaymentRecord } from "~/models/award-payments.server";
import { appendAuditEvent } from "~/models/audit.server";
import { newId, nowIso } from "~/utils/ids.server";
import { notifyOrganisation } from "./notifications.server";
import { onceForSubmission } from "./submissions.server";

/** A schedule that fails its rules; errors are keyed by field ("rows.N.amount", "schedule"). */
export class ScheduleError extends DomainError {
  constructor(readonly errors: Record<string, string>) {
    super(Object.values(errors)[0] ?? "Check the schedule", Object.keys(errors)[0]);
    this.name = "ScheduleError";
  }
}

function mustManage(actor: Actor) {
  if (!can(actor, "payment.manage")) throw new DomainError("Only a fund administrator can manage payments.");
}

async function awardFor(trx: DB, awardId: string): Promise<AwardPaymentRecord> {
  const record = await getAwardPaymentFacts(trx, awardId);
  if (!record) throw new DomainError("We could not find that award.");
  return record;
}

const proposalRef = (record: AwardPaymentRecord) => ({
  id: record.award.proposal_id,
  reference: record.award.proposal_reference,
  title: record.award.title,
});

/** Replaces the award's payment schedule, while nothing has been paid or awaits approval. */
export async function saveSchedule(db: DB, actor: Actor, awardId: string, rows: readonly ScheduleRow[]): Promise<void> {
  mustManage(actor);
  await inTransaction(db, async (trx) => {
    const record = await awardFor(trx, awardId);
    if (record.award.status !== "offered" && record.award.status !== "accepted") {
      throw new DomainError(`This award is ${record.award.status}, so its schedule cannot change.`, "schedule");
    }
    if (record.payments.some((p) => p.status !== "rejected")) {
      throw new DomainError("Payments have been recorded against this award, so its schedule can no longer be replaced.", "schedule");
    }
    const errors = scheduleProblems(
      rows,
      record.award.amount_pence,
      record.reports.map((r) => r.id),
    );
    if (Object.keys(errors).length) throw new ScheduleError(errors);

    // Rejected payments keep their history but let go of the instalments being replaced.
    await trx.updateTable("payment").set({ instalment_id: null }).where("award_id", "=", awardId).where("status", "=", "rejected").execute();
    await trx.deleteFrom("payment_instalment").where("award_id", "=", awardId).execute();
    const inserted = rows.map((row, i) => ({
      id: newId(),
      award_id: awardId,
      position: i + 1,
      amount_pence: row.amountPence,
      due_on: row.dueOn,
      released_by: row.releasedBy,
      report_id: row.releasedBy === "report_approved" ? row.reportId : null,
    }));
    await trx.insertInto("payment_instalment").values(inserted).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "award.schedule.saved",
      entityType: "award",
      entityId: awardId,
      before: { instalments: record.facts.instalments },
      after: { instalments: inserted.map(({ award_id: _award, ...i }) => i) },
    });
  });
}

export interface PaymentInput {
  instalmentId: string | null;
  amountPence: number;
  paidOn: string;
  reference: string;
  /** The form's one-time key: a repeat gets the first payment back instead of a second one. */
  submission?: Submission | null;
}

/**
 * Records a payment: paid at once, or awaiting a second administrator's
 * approval above the fund's threshold. Refused (nothing written) while a
 * condition is outstanding, before acceptance, beyond the award, its
 * instalment or what is released, or with a reference already used.
 */
export async function recordPayment(db: DB, actor: Actor, awardId: string, input: PaymentInput): Promise<{ id: string; status: "paid" | "awaiting_approval" }> {
  mustManage(actor);
  return inTransaction(db, (trx) => onceForSubmission(trx, actor.id, input.submission, () => recordPaymentOnce(trx, actor, awardId, input)));
}

async function recordPaymentOnce(trx: DB, actor: Actor, awardId: string, input: PaymentInput): Promise<{ id: string; status: "paid" | "awaiting_approval" }> {
  const record = await awardFor(trx, awardId);
  checkNewPayment(record.facts, { amountPence: input.amountPence, instalmentId: input.instalmentId, reference: input.reference });
  const status = needsSecondApproval(input.amountPence, record.award.payment_approval_threshold_pence) ? "awaiting_approval" : "paid";
  const stamp = nowIso();
  const row = {
    id: newId(),
    award_id: awardId,
    instalment_id: input.instalmentId,
    amount_pence: input.amountPence,
    paid_on: input.paidOn,
    reference: input.reference.trim(),
    status,
    recorded_by: actor.id,
    recorded_at: stamp,
    approved_by: null,
    approved_at: null,
  } as const;
  await trx.insertInto("payment").values(row).execute();
  await appendAuditEvent(trx, {
    actor: actor.id,
    action: status === "paid" ? "payment.recorded.paid" : "payment.recorded.awaiting_approval",
    entityType: "payment",
    entityId: row.id,
    after: { awardId, instalmentId: input.instalmentId, amountPence: input.amountPence, paidOn: input.paidOn, reference: input.reference, status },
  });
  if (status === "paid") await tellGroupOfPayment(trx, record, input.amountPence, input.paidOn);
  return { id: row.id, status };
}

async function tellGroupOfPayment(trx: DB, record: AwardPaymentRecord, amountPence: number, paidOn: string) {
  await notifyOrganisation(
    trx,
    record.award.organisation_id,
    proposalRef(record),
    "Grant payment made",
    `We have paid ${formatPence(amountPence)} of your grant (award ${record.award.reference}), dated ${paidOn}.`,
  );
}

async function awaitingPayment(trx: DB, paymentId: string, awardId?: string) {
  const payment = await trx
    .selectFrom("payment")
    .select(["id", "award_id", "amount_pence", "paid_on", "status", "recorded_by"])
    .where("id", "=", paymentId)
    .executeTakeFirst();
  if (!payment || (awardId !== undefined && payment.award_id !== awardId)) throw new DomainError("We could not find that payment.");
  return payment;
}

/** A second administrator approves (awardId, when given, must be the payment's award) a payment above the threshold; it becomes paid and the group is told. */
export async function approvePayment(db: DB, actor: Actor, paymentId: string, awardId?: string): Promise<void> {
  mustManage(actor);
  await inTransaction(db, async (trx) => {
    const payment = await awaitingPayment(trx, paymentId, awardId);
    checkApproval({ status: payment.status, recordedBy: payment.recorded_by }, actor.id);
    if (!can(actor, "payment.approve", { type: "payment", recordedBy: payment.recorded_by }))
      throw new DomainError("Another administrator must approve this payment");
    const record = await awardFor(trx, payment.award_id);
    const stamp = nowIso();
    await trx.updateTable("payment").set({ status: "paid", approved_by: actor.id, approved_at: stamp }).where("id", "=", payment.id).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "payment.approved",
      entityType: "payment",
      entityId: payment.id,
      before: { status: payment.status },
      after: { status: "paid", approvedBy: actor.id },
    });
    await tellGroupOfPayment(trx, record, payment.amount_pence, payment.paid_on);
  });
}

/** A second administrator rejects a payment above the threshold, with a reason; nothing is paid. */
export async function rejectPayment(db: DB, actor: Actor, paymentId: string, reason: string, awardId?: string): Promise<void> {
  mustManage(actor);
  if (!reason.trim()) throw new DomainError("Write why you are rejecting this payment", "reason");
  await inTransaction(db, async (trx) => {
    const payment = await awaitingPayment(trx, paymentId, awardId);
    if (payment.status !== "awaiting_approval") checkApproval({ status: payment.status, recordedBy: payment.recorded_by }, actor.id);
    if (!can(actor, "payment.approve", { type: "payment", recordedBy: payment.recorded_by })) {
      throw new DomainError("You recorded this payment, so another administrator must reject it");
    }
    await trx.updateTable("payment").set({ status: "rejected", approved_by: actor.id, approved_at: nowIso() }).where("id", "=", payment.id).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "payment.rejected",
      entityType: "payment",
      entityId: payment.id,
      before: { status: payment.status },
      after: { status: "rejected", reason: reason.trim() },
    });
  });
}

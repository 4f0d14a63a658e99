import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import { formatPence } from "~/domain/money";
import { closureProblem, withdrawalProblem } from "~/domain/monitoring";
import type { Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { getAwardFacts, paidPenceOf } from "~/models/monitoring.server";
import { nowIso } from "~/utils/ids.server";
import { assertAdmin } from "./monitoring.server";
import { notifyOrganisation } from "./notifications.server";

/** Closes an award with an outcome summary, once its final report is approved. */
export async function closeAward(db: DB, admin: Actor, awardId: string, input: { outcomeSummary: string }): Promise<void> {
  assertAdmin(admin);
  await inTransaction(db, async (trx) => {
    const award = await getAwardFacts(trx, awardId);
    if (!award) throw new DomainError("We could not find that award.");
    const final = await trx
      .selectFrom("monitoring_report")
      .select("id")
      .where("award_id", "=", award.id)
      .where("kind", "=", "final")
      .where("status", "=", "approved")
      .executeTakeFirst();
    const problem = closureProblem({ hasApprovedFinalReport: Boolean(final), outcomeSummary: input.outcomeSummary, status: award.status });
    if (problem) throw new DomainError(problem.message, problem.field ?? "outcomeSummary");
    const stamp = nowIso();
    const summary = input.outcomeSummary.trim();
    await trx
      .updateTable("award")
      .set({ status: "closed", closed_at: stamp, outcome_summary: summary, updated_at: stamp })
      .where("id", "=", award.id)
      .execute();
    await appendAuditEvent(trx, {
      actor: admin.id,
      action: "award.closed",
      entityType: "award",
      entityId: award.id,
      before: { status: award.status },
      after: { status: "closed", outcome_summary: summary },
    });
    await notifyOrganisation(
      trx,
      award.organisation_id,
      { id: award.proposal_id, reference: award.reference, title: award.title },
      "Your grant is closed",
      `Award ${award.reference} is now closed. Thank you for your reports.\n\n${summary}`,
    );
  });
}

/** Withdraws an award with a reason and any amount to be clawed back (no more than has been paid). */
export async function withdrawAward(db: DB, admin: Actor, awardId: string, input: { reason: string; clawbackPence: number | null }): Promise<void> {
  assertAdmin(admin);
  await inTransaction(db, async (trx) => {
    const award = await getAwardFacts(trx, awardId);
    if (!award) throw new DomainError("We could not find that award.");
    const paidPence = await paidPenceOf(trx, award.id);
    const problem = withdrawalProblem({ reason: input.reason, clawbackPence: input.clawbackPence, paidPence, status: award.status });
    if (problem) throw new DomainError(problem.message, problem.field ?? "reason");
    const stamp = nowIso();
    const reason = input.reason.trim();
    const clawback = input.clawbackPence ?? 0;
    await trx
      .updateTable("award")
      .set({ status: "withdrawn", withdrawn_at: stamp, withdrawal_reason: reason, clawback_pence: clawback, updated_at: stamp })
      .where("id", "=", award.id)
      .execute();
    await appendAuditEvent(trx, {
      actor: admin.id,
      action: "award.withdrawn",
      entityType: "award",
      entityId: award.id,
      before: { status: award.status },
      after: { status: "withdrawn", reason, clawback_pence: clawback },
    });
    await notifyOrganisation(
      trx,
      award.organisation_id,
      { id: award.proposal_id, reference: award.reference, title: award.title },
      "Your grant has been withdrawn",
      `Award ${award.reference} has been withdrawn.\n\nReason: ${reason}${clawback ? `\n\nWe will ask you to repay ${formatPence(clawback)}.` : ""}`,
    );
  });
}

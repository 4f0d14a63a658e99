import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import { formatPence } from "~/domain/money";
import { applyVariation, describeChange, validateVariation, type AwardTerms, type VariationChange, type VariationKind } from "~/domain/monitoring";
import { can, type Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { awardResource } from "~/models/award.server";
import { getAwardFacts, paidPenceOf, type AwardFacts } from "~/models/monitoring.server";
import { newId, nowIso } from "~/utils/ids.server";
import { assertAdmin } from "./monitoring.server";
import { notifyOrganisation } from "./notifications.server";
import type { Submission } from "~/domain/submissions";
import { inTransactionOnce } from "./submissions.server";

const proposalRef = (a: AwardFacts) => ({ id: a.proposal_id, reference: a.reference, title: a.title });

/** The award's current terms: the latest version's snapshot, else the award and its proposal. */
export async function currentTerms(db: DB, award: AwardFacts): Promise<AwardTerms> {
  const latest = await db
    .selectFrom("award_version")
    .select("snapshot")
    .where("award_id", "=", award.id)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
  let scope = award.what_built;
  if (latest) {
    try {
      const snap = JSON.parse(latest.snapshot) as { scope?: unknown };
      if (typeof snap.scope === "string") scope = snap.scope;
    } catch {
      // An unreadable snapshot leaves the proposal's own scope.
    }
  }
  return { amountPence: award.amount_pence, endDate: award.end_date, scope };
}

const snapshotOf = (terms: AwardTerms) => JSON.stringify({ amount_pence: terms.amountPence, end_date: terms.endDate, scope: terms.scope });

export interface VariationInput {
  kind: VariationKind;
  amountPence?: number | null;
  endDate?: string;
  scope?: string;
  reason: string;
}

/** A member of the funded group asks to change the amount, the timeline or the scope. */
export async function requestVariation(db: DB, member: Actor, awardId: string, input: VariationInput, submission?: Submission | null): Promise<string> {
  if (!input.reason.trim()) throw new DomainError("Give the reason for the change", "reason");
  return inTransactionOnce(db, member.id, submission, async (trx) => {
    const award = await getAwardFacts(trx, awardId);
    if (!award) throw new DomainError("We could not find that award.");
    if (!can(member, "award.act", awardResource(award))) throw new DomainError("Only a member of the funded group can ask for a change.");
    if (award.status !== "offered" && award.status !== "accepted") throw new DomainError("Changes can only be asked for while the award is open.");
    const change = validateVariation(input.kind, input, { paidPence: await paidPenceOf(trx, award.id), startDate: award.start_date });
    const id = newId();
    await trx
      .insertInto("award_variation")
      .values({
        id,
        award_id: award.id,
        kind: input.kind,
        reason: input.reason.trim(),
        requested_change: JSON.stringify(change),
        status: "requested",
        requested_by: member.id,
        requested_at: nowIso(),
      })
      .execute();
    await appendAuditEvent(trx, {
      actor: member.id,
      action: "award_variation.requested",
      entityType: "award_variation",
      entityId: id,
      after: { award_id: award.id, kind: input.kind, change, reason: input.reason.trim() },
    });
    return id;
  });
}

async function pendingVariation(trx: DB, variationId: string) {
  const v = await trx
    .selectFrom("award_variation")
    .select(["id", "award_id", "kind", "requested_change", "status", "reason"])
    .where("id", "=", variationId)
    .executeTakeFirst();
  if (!v) throw new DomainError("We could not find that request.");
  if (v.status !== "requested") throw new DomainError("This request has already been decided.");
  const award = await getAwardFacts(trx, v.award_id);
  if (!award) throw new DomainError("We could not find that award.");
  return { v, award };
}

/** Approves a change: applies it to the award, increments the version and keeps a snapshot of every version. */
export async function approveVariation(db: DB, admin: Actor, variationId: string, note: string): Promise<void> {
  assertAdmin(admin);
  await inTransaction(db, async (trx) => {
    const { v, award } = await pendingVariation(trx, variationId);
    if (award.status !== "offered" && award.status !== "accepted") throw new DomainError("The award is no longer open, so the change cannot be applied.");
    const stored = JSON.parse(v.requested_change) as VariationChange;
    // Checked again now: payments may have been made since the request.
    const change = validateVariation(
      v.kind,
      {
        amountPence: "amount_pence" in stored ? stored.amount_pence : null,
        endDate: "end_date" in stored ? stored.end_date : "",
        scope: "scope" in stored ? stored.scope : "",
      },
      { paidPence: await paidPenceOf(trx, award.id), startDate: award.start_date },
    );
    const before = await currentTerms(trx, award);
    const after = applyVariation(before, change);
    const stamp = nowIso();
    const hasVersions = await trx.selectFrom("award_version").select("id").where("award_id", "=", award.id).limit(1).executeTakeFirst();
    if (!hasVersions) {
      // Keep the original terms too, so every version is on record.
      await trx
        .insertInto("award_version")
        .values({
          id: newId(),
          award_id: award.id,
          version: award.version,
          snapshot: snapshotOf(before),
          reason: "The terms before the first variation",
          created_by: admin.id,
          created_at: stamp,
        })
        .execute();
    }
    const version = award.version + 1;
    await trx.updateTable("award").set({ amount_pence: after.amountPence, version, updated_at: stamp }).where("id", "=", award.id).execute();
    if (after.endDate !== before.endDate) {
      await trx.updateTable("proposal").set({ end_date: after.endDate, updated_at: stamp }).where("id", "=", award.proposal_id).execute();
    }
    await trx
      .insertInto("award_version")
      .values({
        id: newId(),
        award_id: award.id,
        version,
        snapshot: snapshotOf(after),
        reason: `Variation approved: ${v.reason}`,
        created_by: admin.id,
        created_at: stamp,
      })
      .execute();
    await trx
      .updateTable("award_variation")
      .set({ status: "approved", decided_by: admin.id, decided_at: stamp, decision_note: note.trim() || null })
      .where("id", "=", v.id)
      .execute();
    await appendAuditEvent(trx, {
      actor: admin.id,
      action: "award_variation.approved",
      entityType: "award_variation",
      entityId: v.id,
      before: { status: "requested" },
      after: { status: "approved", note: note.trim() || null },
    });
    await appendAuditEvent(trx, {
      actor: admin.id,
      action: "award.varied",
      entityType: "award",
      entityId: award.id,
      before: { version: award.version, amount_pence: before.amountPence, end_date: before.endDate, scope: before.scope },
      after: { version, amount_pence: after.amountPence, end_date: after.endDate, scope: after.scope },
    });
    await notifyOrganisation(
      trx,
      award.organisation_id,
      proposalRef(award),
      "Change approved",
      `Your request has been approved: ${describeChange(change, formatPence)}.${note.trim() ? `\n\n${note.trim()}` : ""}`,
    );
  });
}

/** Rejects a change with a note; the award is unchanged. */
export async function rejectVariation(db: DB, admin: Actor, variationId: string, note: string): Promise<void> {
  assertAdmin(admin);
  if (!note.trim()) throw new DomainError("Give the reason for rejecting the request: the group will read it", "note");
  await inTransaction(db, async (trx) => {
    const { v, award } = await pendingVariation(trx, variationId);
    const stamp = nowIso();
    await trx
      .updateTable("award_variation")
      .set({ status: "rejected", decided_by: admin.id, decided_at: stamp, decision_note: note.trim() })
      .where("id", "=", v.id)
      .execute();
    await appendAuditEvent(trx, {
      actor: admin.id,
      action: "award_variation.rejected",
      entityType: "award_variation",
      entityId: v.id,
      before: { status: "requested" },
      after: { status: "rejected", note: note.trim() },
    });
    const change = JSON.parse(v.requested_change) as VariationChange;
    await notifyOrganisation(
      trx,
      award.organisation_id,
      proposalRef(award),
      "Change not approved",
      `Your request was not approved: ${describeChange(change, formatPence)}.\n\n${note.trim()}`,
    );
  });
}

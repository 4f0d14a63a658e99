import { inQueueTransaction, type DB } from "../../db/client";
import { skippingLockedRows } from "../../db/dialect";
import { newId, nowIso } from "~/utils/ids.server";

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Queues an email. Call it inside the transaction of the action that sends it. */
export async function queueEmail(trx: DB, message: EmailMessage): Promise<string> {
  const id = newId();
  await trx
    .insertInto("email_outbox")
    .values({ id, to_address: message.to, subject: message.subject, body_text: message.text, created_at: nowIso() })
    .execute();
  return id;
}

export async function listOutbox(db: DB, page: number, pageSize = 25) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom("email_outbox")
      .select(["id", "to_address", "subject", "body_text", "created_at", "sent_at", "attempts", "last_error"])
      .orderBy("created_at", "desc")
      .orderBy("id")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom("email_outbox")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export const MAX_DELIVERY_ATTEMPTS = 5;

/**
 * How long a server's claim on an email lasts (docs/decisions/0052). It is
 * renewed just before each send, so it needs to outlast one send (the SMTP
 * transport gives up on a send within about two minutes), not a whole batch.
 * A server that dies holding claims delays those emails by at most this.
 */
export const CLAIM_LEASE_MS = 5 * 60_000;

const leaseEnd = (leaseMs: number) => new Date(Date.now() + leaseMs).toISOString();

export interface ClaimedEmail {
  id: string;
  to_address: string;
  subject: string;
  body_text: string;
}

/**
 * Claims up to `limit` emails waiting to be sent for `claimant` (one server
 * process) until the lease ends, oldest first, and returns them. Emails
 * another server holds are passed over, not waited for; an email whose
 * claim has run out (its server died) is claimed again. On PostgreSQL the
 * rows are locked with FOR UPDATE SKIP LOCKED, on SQLite the write lock does
 * it (db/dialect.ts skippingLockedRows, db/client.ts inQueueTransaction).
 * Delivery bookkeeping, not audited.
 */
export async function claimPendingEmails(db: DB, claimant: string, { limit = 50, leaseMs = CLAIM_LEASE_MS } = {}): Promise<ClaimedEmail[]> {
  return inQueueTransaction(db, async (trx) => {
    const now = nowIso();
    const rows = await skippingLockedRows(
      trx,
      trx
        .selectFrom("email_outbox")
        .select(["id", "to_address", "subject", "body_text"])
        .where("sent_at", "is", null)
        .where("attempts", "<", MAX_DELIVERY_ATTEMPTS)
        .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", now)]))
        .orderBy("created_at")
        .orderBy("id")
        .limit(limit),
    ).execute();
    if (rows.length === 0) return [];
    // The same conditions again: without row locks (a READ COMMITTED read that raced another claim), the update still
    // takes only what is free, and PostgreSQL re-checks them on a row another claim changed meanwhile.
    const claimed = await trx
      .updateTable("email_outbox")
      .set({ claimed_until: leaseEnd(leaseMs), claimed_by: claimant })
      .where(
        "id",
        "in",
        rows.map((r) => r.id),
      )
      .where("sent_at", "is", null)
      .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", now)]))
      .returning("id")
      .execute();
    const ids = new Set(claimed.map((r) => r.id));
    return rows.filter((r) => ids.has(r.id));
  });
}

/**
 * Just before sending: true, with the lease renewed, if the email is still
 * `claimant`'s and unsent; false if the claim ran out and another server took
 * it (or sent it) meanwhile, so this one must not send it.
 */
export async function renewEmailClaim(db: DB, id: string, claimant: string, leaseMs = CLAIM_LEASE_MS): Promise<boolean> {
  const result = await db
    .updateTable("email_outbox")
    .set({ claimed_until: leaseEnd(leaseMs) })
    .where("id", "=", id)
    .where("claimed_by", "=", claimant)
    .where("sent_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function markEmailSent(db: DB, id: string): Promise<void> {
  await db
    .updateTable("email_outbox")
    .set((eb) => ({ sent_at: nowIso(), attempts: eb("attempts", "+", 1), last_error: null, claimed_until: null, claimed_by: null }))
    .where("id", "=", id)
    .execute();
}

/** A failed send: one attempt more, and the claim let go, so the next round (on any server) tries again. */
export async function markEmailFailed(db: DB, id: string, error: string): Promise<void> {
  await db
    .updateTable("email_outbox")
    .set((eb) => ({ attempts: eb("attempts", "+", 1), last_error: error.slice(0, 500), claimed_until: null, claimed_by: null }))
    .where("id", "=", id)
    .execute();
}

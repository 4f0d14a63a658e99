import type { DB } from "../../db/client";
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

export function pendingEmails(db: DB, limit = 50) {
  return db
    .selectFrom("email_outbox")
    .select(["id", "to_address", "subject", "body_text"])
    .where("sent_at", "is", null)
    .where("attempts", "<", MAX_DELIVERY_ATTEMPTS)
    .orderBy("created_at")
    .limit(limit)
    .execute();
}

export async function markEmailSent(db: DB, id: string): Promise<void> {
  await db
    .updateTable("email_outbox")
    .set((eb) => ({ sent_at: nowIso(), attempts: eb("attempts", "+", 1), last_error: null }))
    .where("id", "=", id)
    .execute();
}

export async function markEmailFailed(db: DB, id: string, error: string): Promise<void> {
  await db
    .updateTable("email_outbox")
    .set((eb) => ({ attempts: eb("attempts", "+", 1), last_error: error.slice(0, 500) }))
    .where("id", "=", id)
    .execute();
}

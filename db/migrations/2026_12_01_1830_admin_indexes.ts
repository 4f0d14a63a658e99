import type { Kysely } from "kysely";

/**
 * Indexes for the administrator's pages at city scale (issue 11, item 3).
 * - audit_event(action): the audit trail's "Action" filter, and its list of
 *   actions, read by jumping from one action to the next instead of scanning
 *   every event ever written. Each index entry carries the event id, so a
 *   filtered page, newest first, reads only the rows it shows.
 * - payment(status): the work queue and the dashboard count the payments
 *   waiting for approval; payments grow with every instalment paid.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("audit_event_action_idx").on("audit_event").column("action").execute();
  await db.schema.createIndex("payment_status_idx").on("payment").column("status").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("payment_status_idx").execute();
  await db.schema.dropIndex("audit_event_action_idx").execute();
}

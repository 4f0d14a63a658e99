import type { Kysely } from "kysely";

/**
 * Several app servers deliver one outbox (issue 14, docs/decisions/0052): a
 * server claims an email before sending it, until `claimed_until` (an ISO
 * time, a lease of a few minutes), naming itself in `claimed_by`. A claim
 * that runs out without the email being marked sent or failed (the server
 * died) is taken by another server. Delivery bookkeeping, like `attempts`:
 * not audited. One column per statement: SQLite adds one at a time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("email_outbox").addColumn("claimed_until", "text").execute();
  await db.schema.alterTable("email_outbox").addColumn("claimed_by", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("email_outbox").dropColumn("claimed_by").execute();
  await db.schema.alterTable("email_outbox").dropColumn("claimed_until").execute();
}

import type { Kysely } from "kysely";

/**
 * Wrong door codes typed at /meet, by client address (an IPv6 /64 as one), so
 * one connection cannot try door codes until one fits. Security bookkeeping
 * like login_attempt: not audited, and purged after a day.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("public_meeting_join_failure")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("client", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("public_meeting_join_failure_client_at").on("public_meeting_join_failure").columns(["client", "at"]).execute();
  await db.schema.createIndex("public_meeting_join_failure_at").on("public_meeting_join_failure").column("at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("public_meeting_join_failure").execute();
}

import type { Kysely } from "kysely";

/**
 * Where the audit chain was last checked, so the administrator's pages check
 * only the events written since (issue 11, item 3; docs/decisions/0033).
 * Two rows at most:
 * - "latest": the last event known to check out (its position and hash), moved
 *   on by every check that passes;
 * - "full": the last check of the whole chain from the first event, with its result.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("audit_checkpoint")
    .addColumn("kind", "text", (c) => c.primaryKey())
    // The chain position (audit_event.id) checked up to, and that event's hash.
    .addColumn("event_id", "integer", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addColumn("checked_at", "text", (c) => c.notNull())
    // 1 when every event checked out; 0 with the first broken event and why.
    .addColumn("is_ok", "integer", (c) => c.notNull())
    .addColumn("broken_at_id", "integer")
    .addColumn("reason", "text")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_checkpoint").execute();
}

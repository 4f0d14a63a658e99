import type { Kysely } from "kysely";

/**
 * Published results are immutable (issue 11, item 3; docs/decisions/0035):
 * publishing a fund's results stores everything its public results pages show
 * as one JSON document, and the pages are drawn from the newest one. A fund
 * published before this migration gets its first snapshot the first time its
 * results are read (app/services/results-snapshot.server.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("results_snapshot")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("fund_id", "text", (c) => c.notNull().references("fund.id"))
    // 1, 2, 3… for each fund: publishing again after unpublishing adds the next one, and the highest wins.
    .addColumn("version", "integer", (c) => c.notNull())
    // The ResultsSnapshot (app/domain/results-snapshot.ts) as JSON, and its sha256, which the audit event records too.
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("results_snapshot_fund_version").unique().on("results_snapshot").columns(["fund_id", "version"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("results_snapshot").execute();
}

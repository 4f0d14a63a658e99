import type { Kysely } from "kysely";

/**
 * Voters' equality groups on the published result (issue 12, docs/decisions/0049):
 * ballot_result.equality_json holds the voters' anonymous equality answers as
 * they stood at the count, counted by group with groups under 10 hidden, so
 * the public results page does not change when a late answer comes in. Written
 * with the count, in the same insert (the row is append-only); null for counts
 * made before this column existed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("ballot_result").addColumn("equality_json", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("ballot_result").dropColumn("equality_json").execute();
}

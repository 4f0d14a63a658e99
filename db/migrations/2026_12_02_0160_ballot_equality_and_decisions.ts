import type { Kysely } from "kysely";

/**
 * After a community ballot's count (issue 12, docs/decisions/0049):
 * - ballot_result.equality_json: the voters' anonymous equality answers as
 *   they stood at the count, counted by group with groups under 10 hidden, so
 *   the public results page does not change when a late answer comes in.
 *   Written with the count, in the same insert (the row is append-only); null
 *   for counts made before this column existed.
 * - community_ballot.decisions_recorded_at: when the administrator recorded
 *   the count's winners as decisions, so doing it again changes nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("ballot_result").addColumn("equality_json", "text").execute();
  await db.schema.alterTable("community_ballot").addColumn("decisions_recorded_at", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("community_ballot").dropColumn("decisions_recorded_at").execute();
  await db.schema.alterTable("ballot_result").dropColumn("equality_json").execute();
}

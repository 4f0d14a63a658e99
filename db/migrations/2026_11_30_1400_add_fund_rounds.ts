import type { Kysely } from "kysely";

/**
 * Rounds: a fund started as the next round of another records which fund it
 * was copied from, and each copied decision group records the group it was
 * copied from, so last round's panel of that group can be invited back.
 *
 * Like the memberships migration, the new columns carry no foreign key:
 * SQLite cannot drop a column that a foreign key names, and `down` must drop
 * them. Funds and decision groups are never deleted, so the ids stay true.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("fund").addColumn("previous_fund_id", "text").execute();
  await db.schema.createIndex("fund_previous_fund_idx").on("fund").column("previous_fund_id").execute();
  await db.schema.alterTable("decision_group").addColumn("previous_decision_group_id", "text").execute();
  await db.schema.createIndex("decision_group_previous_group_idx").on("decision_group").column("previous_decision_group_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("decision_group_previous_group_idx").execute();
  await db.schema.alterTable("decision_group").dropColumn("previous_decision_group_id").execute();
  await db.schema.dropIndex("fund_previous_fund_idx").execute();
  await db.schema.alterTable("fund").dropColumn("previous_fund_id").execute();
}

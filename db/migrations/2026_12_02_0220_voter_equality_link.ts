import { sql, type Kysely } from "kysely";

/**
 * Funded money by voters' equality group (issue 12, docs/decisions/0055):
 * - voter_equality_link: a voter who ticked "Also use my answers to show how
 *   the money was shared" on About you has their anonymous answer
 *   (equality_response) linked to them, and so to their counted ballot, until
 *   the count. The count reads the links, stores only totals of 10 or more,
 *   and deletes every link of the fund in the same transaction. WITHOUT ROWID
 *   and keyed by the answer's random id, so the row order says nothing about
 *   when anyone answered. One link per voter (unique).
 * - ballot_result.equality_money_json: the funded money by equality group,
 *   written in the count's one insert (the row is never updated); null for a
 *   count made before it was collected.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("voter_equality_link")
    .addColumn("response_id", "text", (c) => c.primaryKey().references("equality_response.id"))
    .addColumn("fund_id", "text", (c) => c.notNull().references("fund.id"))
    .addColumn("voter_id", "text", (c) => c.notNull().unique().references("ballot_voter.id"))
    .modifyEnd(sql`without rowid`)
    .execute();
  await db.schema.createIndex("voter_equality_link_fund").on("voter_equality_link").column("fund_id").execute();
  await db.schema.alterTable("ballot_result").addColumn("equality_money_json", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("ballot_result").dropColumn("equality_money_json").execute();
  await db.schema.dropIndex("voter_equality_link_fund").execute();
  await db.schema.dropTable("voter_equality_link").execute();
}

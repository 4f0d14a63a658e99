import { sql, type Kysely } from "kysely";

/**
 * The round evaluates itself (issue 10, items 13 and 15).
 *
 * - fund_evaluation: one row per fund: when the survey was sent, and the
 *   running costs the administrator entered (integer pence).
 * - survey_answer: one anonymous answer. No user id and no time: nothing in
 *   the row says who answered or when. WITHOUT ROWID with a random id as its
 *   key, so the rows are stored in random order, not in the order people
 *   answered (which the audit trail's times would give away).
 * - survey_respondent: who has answered a fund's survey, so each person
 *   answers once. It shares no id with the answer and has no time either.
 *   See docs/decisions/0029-an-anonymous-survey-and-the-round-report.md.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("fund_evaluation")
    .addColumn("fund_id", "text", (c) => c.primaryKey().references("fund.id"))
    .addColumn("survey_sent_at", "text")
    .addColumn("survey_sent_by", "text", (c) => c.references("user.id"))
    .addColumn("running_costs_pence", "integer")
    .addColumn("running_costs_note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("survey_answer")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("fund_id", "text", (c) => c.notNull().references("fund.id"))
    .addColumn("role_group", "text", (c) => c.notNull())
    .addColumn("take_part_again", "text", (c) => c.notNull())
    .addColumn("gained_confidence", "text", (c) => c.notNull())
    .addColumn("felt_listened_to", "text", (c) => c.notNull())
    .addColumn("feedback_useful", "text", (c) => c.notNull())
    .addColumn("comment", "text", (c) => c.notNull().defaultTo(""))
    .modifyEnd(sql`without rowid`)
    .execute();
  await db.schema.createIndex("survey_answer_fund").on("survey_answer").columns(["fund_id", "role_group"]).execute();
  await db.schema
    .createTable("survey_respondent")
    .addColumn("fund_id", "text", (c) => c.notNull().references("fund.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id"))
    .addPrimaryKeyConstraint("survey_respondent_pk", ["fund_id", "user_id"])
    .modifyEnd(sql`without rowid`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("survey_respondent").execute();
  await db.schema.dropIndex("survey_answer_fund").execute();
  await db.schema.dropTable("survey_answer").execute();
  await db.schema.dropTable("fund_evaluation").execute();
}

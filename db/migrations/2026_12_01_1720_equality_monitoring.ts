import { sql, type Kysely } from "kysely";

/**
 * Equality monitoring ("who took part"): a fund's questions and options, the
 * area's reference figure per option, and anonymous answers.
 *
 * Anonymity is built into the tables (docs/decisions/0030):
 * - an answer (equality_response and its choices) has no user id, no time and
 *   a random id;
 * - who has answered (equality_participation) is kept apart, with no time and
 *   nothing shared with the answer;
 * - both are WITHOUT ROWID tables keyed by random or personal ids, so not even
 *   SQLite's hidden rowid keeps the order rows were written in, which would
 *   let someone pair the n-th answer with the n-th person.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("equality_question")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("fund_id", "text", (c) => c.notNull().references("fund.id"))
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("equality_question_fund").on("equality_question").columns(["fund_id", "position"]).execute();

  await db.schema
    .createTable("equality_option")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("question_id", "text", (c) => c.notNull().references("equality_question.id"))
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    // 1 for the "Prefer not to say" every question has.
    .addColumn("is_prefer_not_to_say", "integer", (c) => c.notNull().defaultTo(0))
    // The area's share for this option in tenths of a percent (0–1000), or null when not known.
    .addColumn("reference_tenths", "integer")
    .execute();
  await db.schema.createIndex("equality_option_question").on("equality_option").columns(["question_id", "position"]).execute();

  await db.schema
    .createTable("equality_response")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("fund_id", "text", (c) => c.notNull().references("fund.id"))
    .addColumn("role_group", "text", (c) => c.notNull())
    .modifyEnd(sql`without rowid`)
    .execute();
  await db.schema.createIndex("equality_response_fund").on("equality_response").columns(["fund_id", "role_group"]).execute();

  await db.schema
    .createTable("equality_response_choice")
    .addColumn("response_id", "text", (c) => c.notNull().references("equality_response.id"))
    .addColumn("question_id", "text", (c) => c.notNull().references("equality_question.id"))
    .addColumn("option_id", "text", (c) => c.notNull().references("equality_option.id"))
    .addPrimaryKeyConstraint("equality_response_choice_pk", ["response_id", "question_id"])
    .modifyEnd(sql`without rowid`)
    .execute();
  await db.schema.createIndex("equality_response_choice_option").on("equality_response_choice").column("option_id").execute();

  await db.schema
    .createTable("equality_participation")
    .addColumn("fund_id", "text", (c) => c.notNull().references("fund.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id"))
    .addColumn("role_group", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("equality_participation_pk", ["fund_id", "user_id", "role_group"])
    .modifyEnd(sql`without rowid`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("equality_participation").execute();
  await db.schema.dropIndex("equality_response_choice_option").execute();
  await db.schema.dropTable("equality_response_choice").execute();
  await db.schema.dropIndex("equality_response_fund").execute();
  await db.schema.dropTable("equality_response").execute();
  await db.schema.dropIndex("equality_option_question").execute();
  await db.schema.dropTable("equality_option").execute();
  await db.schema.dropIndex("equality_question_fund").execute();
  await db.schema.dropTable("equality_question").execute();
}

import { type Kysely } from "kysely";

/**
 * Public meetings where the room votes (issue 13, docs/decisions/0047):
 * - public_meeting: one meeting of a fund (or of one of its decision groups),
 *   its venue and time, its door code (plain, with an expiry: it is shown on
 *   the wall, see the decision record) and how people get in;
 * - public_meeting_card: single-use attendee cards, only their hashes;
 * - public_meeting_attendee, public_meeting_attendee_session: people in the
 *   room, without accounts; session tokens only as hashes;
 * - public_meeting_question, public_meeting_option: the agenda and its ideas;
 * - public_meeting_vote: one row per attendee per question (unique), changed
 *   in place while the question is open.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("public_meeting")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("fund_id", "text", (c) => c.notNull().references("fund.id"))
    .addColumn("decision_group_id", "text", (c) => c.references("decision_group.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("venue", "text", (c) => c.notNull())
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("door_code", "text", (c) => c.notNull().unique())
    .addColumn("door_code_expires_at", "text", (c) => c.notNull())
    .addColumn("admission", "text", (c) => c.notNull())
    .addColumn("minutes_note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("minutes_published_at", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("public_meeting_fund").on("public_meeting").columns(["fund_id", "starts_at"]).execute();

  await db.schema
    .createTable("public_meeting_card")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("meeting_id", "text", (c) => c.notNull().references("public_meeting.id"))
    .addColumn("code_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();

  await db.schema
    .createTable("public_meeting_attendee")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("meeting_id", "text", (c) => c.notNull().references("public_meeting.id"))
    .addColumn("card_id", "text", (c) => c.unique().references("public_meeting_card.id"))
    .addColumn("ballot_voter_id", "text", (c) => c.references("ballot_voter.id"))
    .addColumn("joined_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("public_meeting_attendee_voter").on("public_meeting_attendee").columns(["meeting_id", "ballot_voter_id"]).unique().execute();

  await db.schema
    .createTable("public_meeting_attendee_session")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("attendee_id", "text", (c) => c.notNull().references("public_meeting_attendee.id"))
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("public_meeting_question")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("meeting_id", "text", (c) => c.notNull().references("public_meeting.id"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("rule", "text", (c) => c.notNull())
    .addColumn("points_total", "integer")
    .addColumn("budget_pence", "integer")
    .addColumn("proposal_id", "text", (c) => c.references("proposal.id"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("draft"))
    .addColumn("opened_at", "text")
    .addColumn("closes_at", "text")
    .addColumn("closed_at", "text")
    .addColumn("hands", "text")
    .addColumn("result", "text")
    .addColumn("recorded_at", "text")
    .addColumn("decisions_confirmed_at", "text")
    .execute();
  await db.schema.createIndex("public_meeting_question_meeting").on("public_meeting_question").columns(["meeting_id", "position"]).unique().execute();

  await db.schema
    .createTable("public_meeting_option")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("question_id", "text", (c) => c.notNull().references("public_meeting_question.id"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("proposal_id", "text", (c) => c.references("proposal.id"))
    .addColumn("cost_pence", "integer")
    .execute();
  await db.schema.createIndex("public_meeting_option_question").on("public_meeting_option").columns(["question_id", "position"]).execute();

  await db.schema
    .createTable("public_meeting_vote")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("question_id", "text", (c) => c.notNull().references("public_meeting_question.id"))
    .addColumn("attendee_id", "text", (c) => c.notNull().references("public_meeting_attendee.id"))
    .addColumn("choices", "text", (c) => c.notNull())
    .addColumn("choices_hash", "text", (c) => c.notNull())
    .addColumn("salt", "text", (c) => c.notNull())
    .addColumn("cast_at", "text", (c) => c.notNull())
    .addColumn("changes", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("public_meeting_vote_one").on("public_meeting_vote").columns(["question_id", "attendee_id"]).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("public_meeting_vote_one").execute();
  await db.schema.dropTable("public_meeting_vote").execute();
  await db.schema.dropIndex("public_meeting_option_question").execute();
  await db.schema.dropTable("public_meeting_option").execute();
  await db.schema.dropIndex("public_meeting_question_meeting").execute();
  await db.schema.dropTable("public_meeting_question").execute();
  await db.schema.dropTable("public_meeting_attendee_session").execute();
  await db.schema.dropIndex("public_meeting_attendee_voter").execute();
  await db.schema.dropTable("public_meeting_attendee").execute();
  await db.schema.dropTable("public_meeting_card").execute();
  await db.schema.dropIndex("public_meeting_fund").execute();
  await db.schema.dropTable("public_meeting").execute();
}

import { type Kysely, sql } from "kysely";

// Stage 2: decision panels — interests and recusal, scoring, specialist input,
// questions, meetings, votes, decisions and published results.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("fund")
    .addColumn("score_scale_max", "integer", (c) => c.notNull().defaultTo(5))
    .execute();
  await db.schema
    .alterTable("fund")
    .addColumn("voting_method", "text", (c) => c.notNull().defaultTo("per_proposal"))
    .execute();
  await db.schema.alterTable("fund").addColumn("approval_max", "integer").execute();
  await db.schema
    .alterTable("fund")
    .addColumn("tie_rule", "text", (c) => c.notNull().defaultTo("chair"))
    .execute();
  await db.schema
    .alterTable("fund")
    .addColumn("quorum_min_present", "integer", (c) => c.notNull().defaultTo(3))
    .execute();
  // JSON: { resident: { minShare?, maxShare?, minCount?, maxCount? }, councillor: {…}, vcse: {…} }
  await db.schema
    .alterTable("fund")
    .addColumn("composition_rules", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();
  await db.schema.alterTable("fund").addColumn("results_published_at", "text").execute();

  await db.schema.alterTable("decision_group").addColumn("scoring_closed_at", "text").execute();

  await db.schema
    .alterTable("user")
    .addColumn("is_chair", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("user")
    .addColumn("is_name_public", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  // A panel member sees no proposal until they have declared (even "nothing to declare").
  await db.schema.alterTable("user").addColumn("interests_declared_at", "text").execute();

  await db.schema.alterTable("proposal").addColumn("part_funding_floor_pence", "integer").execute();

  await db.schema
    .createTable("interest_declaration")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("organisation_id", "text", (c) => c.references("organisation.id"))
    .addColumn("proposal_id", "text", (c) => c.references("proposal.id"))
    .addColumn("relationship", "text", (c) => c.notNull().check(sql`relationship in ('member','trustee','employee','family','other')`))
    .addColumn("is_pecuniary", "integer", (c) => c.notNull())
    .addColumn("details", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addCheckConstraint("interest_declaration_target", sql`organisation_id is not null or proposal_id is not null`)
    .execute();
  await db.schema.createIndex("interest_declaration_user_idx").on("interest_declaration").column("user_id").execute();

  await db.schema
    .createTable("score_sheet")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposal.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id"))
    .addColumn("overall_comment", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("submitted_at", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("score_sheet_unique", ["proposal_id", "user_id"])
    .execute();

  await db.schema
    .createTable("score")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("score_sheet_id", "text", (c) => c.notNull().references("score_sheet.id").onDelete("cascade"))
    .addColumn("criterion_id", "text", (c) => c.notNull().references("criterion.id"))
    .addColumn("mark", "integer", (c) => c.notNull().check(sql`mark >= 0`))
    .addColumn("comment", "text", (c) => c.notNull().defaultTo(""))
    .addUniqueConstraint("score_unique", ["score_sheet_id", "criterion_id"])
    .execute();

  await db.schema
    .createTable("specialist_input")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposal.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id"))
    .addColumn("feasibility", "text", (c) => c.notNull())
    .addColumn("cost_realism", "text", (c) => c.notNull())
    .addColumn("risks", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("specialist_input_unique", ["proposal_id", "user_id"])
    .execute();

  await db.schema
    .createTable("clarification_question")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposal.id").onDelete("cascade"))
    .addColumn("asked_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("asked_at", "text", (c) => c.notNull())
    .addColumn("answer", "text")
    .addColumn("answered_by", "text", (c) => c.references("user.id"))
    .addColumn("answered_at", "text")
    .execute();
  await db.schema.createIndex("clarification_question_proposal_idx").on("clarification_question").column("proposal_id").execute();

  await db.schema
    .createTable("meeting")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("decision_group_id", "text", (c) => c.notNull().references("decision_group.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("held_on", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('open','closed')`))
    .addColumn("minutes", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("opened_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("closed_at", "text")
    .execute();

  await db.schema
    .createTable("meeting_attendance")
    .addColumn("meeting_id", "text", (c) => c.notNull().references("meeting.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id"))
    .addColumn("constituency", "text", (c) => c.notNull())
    .addColumn("is_present", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("meeting_attendance_pk", ["meeting_id", "user_id"])
    .execute();

  await db.schema
    .createTable("meeting_note")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("meeting_id", "text", (c) => c.notNull().references("meeting.id").onDelete("cascade"))
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposal.id"))
    .addColumn("author_id", "text", (c) => c.notNull().references("user.id"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  // One vote item per proposal per meeting: open, then closed and locked.
  await db.schema
    .createTable("vote_item")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("meeting_id", "text", (c) => c.notNull().references("meeting.id").onDelete("cascade"))
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposal.id"))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('open','closed')`))
    .addColumn("result", "text") // JSON tally once closed
    .addColumn("opened_at", "text", (c) => c.notNull())
    .addColumn("closed_at", "text")
    .addUniqueConstraint("vote_item_unique", ["meeting_id", "proposal_id"])
    .execute();

  await db.schema
    .createTable("vote")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("vote_item_id", "text", (c) => c.notNull().references("vote_item.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id"))
    .addColumn("choice", "text", (c) => c.notNull().check(sql`choice in ('fund','dont_fund','abstain','approve')`))
    .addColumn("cast_at", "text", (c) => c.notNull())
    // One vote per member per item, enforced by the database.
    .addUniqueConstraint("vote_one_per_member", ["vote_item_id", "user_id"])
    .execute();

  await db.schema
    .createTable("decision")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("proposal_id", "text", (c) => c.notNull().unique().references("proposal.id"))
    .addColumn("meeting_id", "text", (c) => c.references("meeting.id"))
    .addColumn("outcome", "text", (c) => c.notNull().check(sql`outcome in ('funded','not_funded','reserve')`))
    .addColumn("amount_pence", "integer")
    .addColumn("conditions", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("feedback", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("vote_counts", "text") // JSON
    .addColumn("attendance", "text") // JSON
    .addColumn("quorum", "text") // JSON
    .addColumn("allocation", "text") // JSON
    .addColumn("decided_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("decided_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "decision",
    "vote",
    "vote_item",
    "meeting_note",
    "meeting_attendance",
    "meeting",
    "clarification_question",
    "specialist_input",
    "score",
    "score_sheet",
    "interest_declaration",
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable("proposal").dropColumn("part_funding_floor_pence").execute();
  for (const column of ["interests_declared_at", "is_name_public", "is_chair"]) {
    await db.schema.alterTable("user").dropColumn(column).execute();
  }
  await db.schema.alterTable("decision_group").dropColumn("scoring_closed_at").execute();
  for (const column of ["results_published_at", "composition_rules", "quorum_min_present", "tie_rule", "approval_max", "voting_method", "score_scale_max"]) {
    await db.schema.alterTable("fund").dropColumn(column).execute();
  }
}

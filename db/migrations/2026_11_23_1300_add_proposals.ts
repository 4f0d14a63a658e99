import { type Kysely, sql } from "kysely";

// Stage 1: fund set-up, group profiles, outline proposals and lead-organisation support.
export async function up(db: Kysely<any>): Promise<void> {
  // Phases: dates (YYYY-MM-DD). Proposals may be submitted up to the end of closes_on, UK time.
  for (const column of ["opens_on", "closes_on", "review_on", "decisions_on", "awards_on"]) {
    await db.schema.alterTable("fund").addColumn(column, "text").execute();
  }

  for (const [column, type] of [
    ["org_type", "text"],
    ["registration_number", "text"],
    ["address", "text"],
    ["postcode", "text"],
    ["contact_name", "text"],
    ["contact_email", "text"],
    ["contact_phone", "text"],
    ["created_by", "text"],
  ] as const) {
    await db.schema.alterTable("organisation").addColumn(column, type).execute();
  }

  await db.schema
    .createTable("eligibility_question")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("fund_id", "text", (c) => c.notNull().references("fund.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('yes_no','choice')`))
    .addColumn("options", "text", (c) => c.notNull()) // JSON array of answers
    .addColumn("ineligible_answers", "text", (c) => c.notNull()) // JSON array, a subset of options
    .addColumn("ineligible_reason", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("eligibility_question_fund_idx").on("eligibility_question").columns(["fund_id", "position"]).execute();

  await db.schema
    .createTable("criterion")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("fund_id", "text", (c) => c.notNull().references("fund.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("guidance", "text", (c) => c.notNull()) // JSON array: guidance per score band
    .addColumn("weight", "integer", (c) => c.notNull().check(sql`weight > 0`))
    .execute();
  await db.schema.createIndex("criterion_fund_idx").on("criterion").columns(["fund_id", "position"]).execute();

  await db.schema
    .createTable("proposal")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("reference", "text", (c) => c.notNull().unique())
    .addColumn("decision_group_id", "text", (c) => c.notNull().references("decision_group.id"))
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisation.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("need_type", "text")
    .addColumn("need_evidence", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("beneficiaries", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("beneficiary_count", "integer")
    .addColumn("what_built", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("budget_lines", "text", (c) => c.notNull().defaultTo("[]")) // JSON [{item, cost_pence}]
    .addColumn("amount_requested_pence", "integer")
    .addColumn("start_date", "text")
    .addColumn("end_date", "text")
    .addColumn("outcomes", "text", (c) => c.notNull().defaultTo("[]")) // JSON [{outcome, measure}]
    .addColumn("eligibility_answers", "text", (c) => c.notNull().defaultTo("{}")) // JSON {questionId: answer}
    .addColumn("prepared_by_organisation_id", "text", (c) => c.references("organisation.id"))
    .addColumn("group_confirmation", "text")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("imported_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("submitted_at", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("proposal_group_status_idx").on("proposal").columns(["decision_group_id", "status"]).execute();
  await db.schema.createIndex("proposal_org_idx").on("proposal").column("organisation_id").execute();

  // Every submitted version, frozen.
  await db.schema
    .createTable("proposal_version")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposal.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("snapshot", "text", (c) => c.notNull())
    .addColumn("submitted_by", "text", (c) => c.notNull())
    .addColumn("submitted_at", "text", (c) => c.notNull())
    .addUniqueConstraint("proposal_version_unique", ["proposal_id", "version"])
    .execute();

  // Notes that travel with a proposal: change requests, support statements, reasons, replies.
  await db.schema
    .createTable("proposal_message")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposal.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("author_id", "text", (c) => c.notNull())
    .addColumn("author_role", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("proposal_message_proposal_idx").on("proposal_message").columns(["proposal_id", "created_at"]).execute();

  await db.schema
    .createTable("attachment")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposal.id").onDelete("cascade"))
    .addColumn("original_name", "text", (c) => c.notNull())
    .addColumn("stored_name", "text", (c) => c.notNull().unique())
    .addColumn("mime_type", "text", (c) => c.notNull())
    .addColumn("size_bytes", "integer", (c) => c.notNull())
    .addColumn("uploaded_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("removed_at", "text")
    .execute();
  await db.schema.createIndex("attachment_proposal_idx").on("attachment").column("proposal_id").execute();

  // In-portal notices for an organisation's members.
  await db.schema
    .createTable("notification")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisation.id").onDelete("cascade"))
    .addColumn("proposal_id", "text", (c) => c.references("proposal.id").onDelete("cascade"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("notification_org_idx").on("notification").columns(["organisation_id", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["notification", "attachment", "proposal_message", "proposal_version", "proposal", "criterion", "eligibility_question"]) {
    await db.schema.dropTable(table).execute();
  }
  for (const column of ["org_type", "registration_number", "address", "postcode", "contact_name", "contact_email", "contact_phone", "created_by"]) {
    await db.schema.alterTable("organisation").dropColumn(column).execute();
  }
  for (const column of ["opens_on", "closes_on", "review_on", "decisions_on", "awards_on"]) {
    await db.schema.alterTable("fund").dropColumn(column).execute();
  }
}

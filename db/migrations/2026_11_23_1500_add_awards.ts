import { type Kysely, sql } from "kysely";
import { isPostgres } from "../dialect";

// After the decision: awards from offer to closure, with every pound accounted for.
export async function up(db: Kysely<any>): Promise<void> {
  // Above this, a second administrator must approve a payment (four eyes).
  await db.schema
    .alterTable("fund")
    .addColumn("payment_approval_threshold_pence", "integer", (c) => c.notNull().defaultTo(2_500_000))
    .execute();
  // 360Giving identifiers: the funder's prefix for grant ids, and the funding organisation.
  await db.schema
    .alterTable("fund")
    .addColumn("funder_prefix", "text", (c) => c.notNull().defaultTo("360G-portal"))
    .execute();
  await db.schema
    .alterTable("fund")
    .addColumn("funder_org_id", "text", (c) => c.notNull().defaultTo("GB-LAE-XXX"))
    .execute();
  await db.schema
    .alterTable("fund")
    .addColumn("funder_org_name", "text", (c) => c.notNull().defaultTo("The funder"))
    .execute();
  await db.schema.alterTable("organisation").addColumn("charity_number", "text").execute();
  await db.schema.alterTable("organisation").addColumn("company_number", "text").execute();

  await db.schema
    .createTable("award")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("reference", "text", (c) => c.notNull().unique())
    .addColumn("proposal_id", "text", (c) => c.notNull().unique().references("proposal.id"))
    .addColumn("decision_id", "text", (c) => c.notNull().unique().references("decision.id"))
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisation.id"))
    .addColumn("decision_group_id", "text", (c) => c.notNull().references("decision_group.id"))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('offered','accepted','declined','closed','withdrawn')`))
    .addColumn("amount_pence", "integer", (c) => c.notNull().check(sql`amount_pence > 0`))
    .addColumn("offered_at", "text", (c) => c.notNull())
    .addColumn("accepted_at", "text")
    .addColumn("accepted_by", "text", (c) => c.references("user.id"))
    .addColumn("signatory_name", "text")
    .addColumn("signatory_role", "text")
    .addColumn("declined_at", "text")
    .addColumn("decline_reason", "text")
    .addColumn("closed_at", "text")
    .addColumn("outcome_summary", "text")
    .addColumn("withdrawn_at", "text")
    .addColumn("withdrawal_reason", "text")
    .addColumn("clawback_pence", "integer")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("award_group_status_idx").on("award").columns(["decision_group_id", "status"]).execute();
  await db.schema.createIndex("award_org_idx").on("award").column("organisation_id").execute();

  // Every version of an award's terms (amount, timeline, scope), frozen.
  await db.schema
    .createTable("award_version")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("award_id", "text", (c) => c.notNull().references("award.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("snapshot", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("award_version_unique", ["award_id", "version"])
    .execute();

  await db.schema
    .createTable("award_condition")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("award_id", "text", (c) => c.notNull().references("award.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('outstanding','evidence_submitted','met')`))
    .addColumn("evidence_note", "text")
    .addColumn("signed_off_by", "text", (c) => c.references("user.id"))
    .addColumn("signed_off_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("award_condition_award_idx").on("award_condition").column("award_id").execute();

  // Files for awards: condition evidence, report evidence (photos, receipts). Stored like proposal attachments.
  // It names monitoring_report before that table exists, which SQLite allows and PostgreSQL does not: there it is
  // created just after monitoring_report instead (the same table either way).
  const createAwardFile = () =>
    db.schema
      .createTable("award_file")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("award_id", "text", (c) => c.notNull().references("award.id").onDelete("cascade"))
      .addColumn("condition_id", "text", (c) => c.references("award_condition.id"))
      .addColumn("report_id", "text", (c) => c.references("monitoring_report.id"))
      .addColumn("original_name", "text", (c) => c.notNull())
      .addColumn("stored_name", "text", (c) => c.notNull().unique())
      .addColumn("mime_type", "text", (c) => c.notNull())
      .addColumn("size_bytes", "integer", (c) => c.notNull())
      .addColumn("uploaded_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
  if (!isPostgres(db)) await createAwardFile();

  await db.schema
    .createTable("support_log")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("award_id", "text", (c) => c.notNull().references("award.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('meeting','advice','referral','other')`))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('offered','given')`))
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("minutes", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("occurred_on", "text", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("monitoring_report")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("award_id", "text", (c) => c.notNull().references("award.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('progress','final')`))
    .addColumn("due_on", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('due','submitted','approved','more_requested')`))
    .addColumn("progress", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("spend", "text", (c) => c.notNull().defaultTo("[]")) // JSON [{ item, budget_pence, spent_pence }]
    .addColumn("outcomes", "text", (c) => c.notNull().defaultTo("[]")) // JSON [{ outcome, measure, achieved }]
    .addColumn("submitted_by", "text", (c) => c.references("user.id"))
    .addColumn("submitted_at", "text")
    .addColumn("reviewed_by", "text", (c) => c.references("user.id"))
    .addColumn("reviewed_at", "text")
    .addColumn("review_note", "text")
    .addColumn("reminded_at", "text")
    .execute();
  await db.schema.createIndex("monitoring_report_award_idx").on("monitoring_report").columns(["award_id", "due_on"]).execute();
  if (isPostgres(db)) await createAwardFile();

  await db.schema
    .createTable("payment_instalment")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("award_id", "text", (c) => c.notNull().references("award.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("amount_pence", "integer", (c) => c.notNull().check(sql`amount_pence > 0`))
    .addColumn("due_on", "text", (c) => c.notNull())
    .addColumn("released_by", "text", (c) => c.notNull().check(sql`released_by in ('acceptance','conditions_met','report_approved')`))
    // For 'report_approved': the report whose approval releases it.
    .addColumn("report_id", "text", (c) => c.references("monitoring_report.id"))
    .execute();

  await db.schema
    .createTable("payment")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("award_id", "text", (c) => c.notNull().references("award.id"))
    .addColumn("instalment_id", "text", (c) => c.references("payment_instalment.id"))
    .addColumn("amount_pence", "integer", (c) => c.notNull().check(sql`amount_pence > 0`))
    .addColumn("paid_on", "text", (c) => c.notNull())
    .addColumn("reference", "text", (c) => c.notNull())
    // 'awaiting_approval' above the fund's threshold until a second administrator approves.
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('awaiting_approval','paid','rejected')`))
    .addColumn("recorded_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addColumn("approved_by", "text", (c) => c.references("user.id"))
    .addColumn("approved_at", "text")
    .execute();
  await db.schema.createIndex("payment_award_idx").on("payment").column("award_id").execute();

  await db.schema
    .createTable("award_variation")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("award_id", "text", (c) => c.notNull().references("award.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('amount','timeline','scope')`))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("requested_change", "text", (c) => c.notNull()) // JSON: { amount_pence } | { end_date } | { scope }
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('requested','approved','rejected')`))
    .addColumn("requested_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("requested_at", "text", (c) => c.notNull())
    .addColumn("decided_by", "text", (c) => c.references("user.id"))
    .addColumn("decided_at", "text")
    .addColumn("decision_note", "text")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "award_variation",
    "payment",
    "payment_instalment",
    "award_file",
    "monitoring_report",
    "support_log",
    "award_condition",
    "award_version",
    "award",
  ]) {
    await db.schema.dropTable(table).execute();
  }
  for (const column of ["charity_number", "company_number"]) await db.schema.alterTable("organisation").dropColumn(column).execute();
  for (const column of ["funder_org_name", "funder_org_id", "funder_prefix", "payment_approval_threshold_pence"]) {
    await db.schema.alterTable("fund").dropColumn(column).execute();
  }
}

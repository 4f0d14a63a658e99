import { type Kysely, sql } from "kysely";
import { createRefusingTriggerOnPostgres, isPostgres } from "../dialect";

// Frozen in time: takes Kysely<any> and imports nothing from app/.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("organisation")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('community_group','lead_org')`))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("fund")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull().check(sql`type in ('capital','revenue')`))
    .addColumn("budget_pence", "integer", (c) => c.notNull().check(sql`budget_pence >= 0`))
    .addColumn("is_published", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("decision_group")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("fund_id", "text", (c) => c.notNull().references("fund.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("area", "text", (c) => c.notNull())
    .addColumn("pot_pence", "integer", (c) => c.notNull().check(sql`pot_pence >= 0`))
    .addColumn("min_grant_pence", "integer", (c) => c.notNull())
    .addColumn("max_grant_pence", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addCheckConstraint("decision_group_grant_range", sql`min_grant_pence <= max_grant_pence`)
    .execute();
  await db.schema.createIndex("decision_group_fund_idx").on("decision_group").column("fund_id").execute();

  await db.schema
    .createTable("decision_group_lead_org")
    .addColumn("decision_group_id", "text", (c) => c.notNull().references("decision_group.id").onDelete("cascade"))
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisation.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("decision_group_lead_org_pk", ["decision_group_id", "organisation_id"])
    .execute();

  await db.schema
    .createTable("user")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('admin','lead_org','applicant','panel_member','adviser')`))
    .addColumn("constituency", "text", (c) => c.check(sql`constituency in ('resident','councillor','vcse')`))
    .addColumn("decision_group_id", "text", (c) => c.references("decision_group.id"))
    .addColumn("organisation_id", "text", (c) => c.references("organisation.id"))
    .addColumn("disabled_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("session")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("session_user_idx").on("session").column("user_id").execute();

  await db.schema
    .createTable("login_attempt")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("is_success", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("login_attempt_email_at_idx").on("login_attempt").columns(["email", "at"]).execute();

  await db.schema
    .createTable("invitation")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("constituency", "text")
    .addColumn("decision_group_id", "text", (c) => c.references("decision_group.id"))
    .addColumn("organisation_id", "text", (c) => c.references("organisation.id"))
    .addColumn("invited_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("accepted_at", "text")
    .execute();

  await db.schema
    .createTable("password_reset")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();

  await db.schema
    .createTable("audit_event")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity_type", "text", (c) => c.notNull())
    .addColumn("entity_id", "text", (c) => c.notNull())
    .addColumn("before", "text")
    .addColumn("after", "text")
    .addColumn("time", "text", (c) => c.notNull())
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_event_entity_idx").on("audit_event").columns(["entity_type", "entity_id"]).execute();
  await db.schema.createIndex("audit_event_actor_idx").on("audit_event").column("actor").execute();
  // Append-only at the database level too: the application never updates or
  // deletes an event, so any attempt is refused outright.
  if (isPostgres(db)) {
    await createRefusingTriggerOnPostgres(db, "audit_event_no_update", "audit_event", "update", "audit_event is append-only");
    await createRefusingTriggerOnPostgres(db, "audit_event_no_delete", "audit_event", "delete", "audit_event is append-only");
  } else {
    await sql`create trigger audit_event_no_update before update on audit_event
    begin select raise(abort, 'audit_event is append-only'); end`.execute(db);
    await sql`create trigger audit_event_no_delete before delete on audit_event
    begin select raise(abort, 'audit_event is append-only'); end`.execute(db);
  }

  await db.schema
    .createTable("email_outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body_text", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .execute();
  await db.schema.createIndex("email_outbox_sent_idx").on("email_outbox").columns(["sent_at", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "email_outbox",
    "audit_event",
    "password_reset",
    "invitation",
    "login_attempt",
    "session",
    "user",
    "decision_group_lead_org",
    "decision_group",
    "fund",
    "organisation",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

import { sql, type Kysely } from "kysely";

/**
 * A person asks to join a community group that is already on the portal,
 * instead of setting up a second profile for it. A member of the group, a
 * lead organisation that serves it, or the administrator approves the
 * request (which gives the person an applicant membership of the group) or
 * refuses it with a reason. Requests are decided, never deleted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("join_request")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisation.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id"))
    // The group's name as the person typed it when setting up a profile.
    .addColumn("name_given", "text", (c) => c.notNull())
    .addColumn("message", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("pending")
        .check(sql`status in ('pending','approved','refused')`),
    )
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("decided_by", "text", (c) => c.references("user.id"))
    .addColumn("decided_at", "text")
    .addColumn("refusal_reason", "text")
    .addColumn("membership_id", "text", (c) => c.references("membership.id"))
    .execute();
  await db.schema.createIndex("join_request_organisation").on("join_request").columns(["organisation_id", "status"]).execute();
  // One request waiting per person and group: asking twice does not queue a second.
  await db.schema
    .createIndex("join_request_once_pending")
    .on("join_request")
    .columns(["organisation_id", "user_id"])
    .unique()
    .where(sql.ref("status"), "=", "pending")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("join_request_once_pending").execute();
  await db.schema.dropIndex("join_request_organisation").execute();
  await db.schema.dropTable("join_request").execute();
}

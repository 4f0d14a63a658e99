import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";

/**
 * A role belongs to a membership, not to an account. Each user row's role,
 * organisation, decision group, constituency, chair flag, name consent and
 * interests date becomes that person's first membership, started when the
 * account was created. Interest declarations move onto the panel membership
 * (so each round asks afresh), and each session acts under one membership.
 *
 * SQLite cannot drop a column that a foreign key names, so user.organisation_id
 * and user.decision_group_id stay behind, emptied; nothing reads them. For the
 * same reason the columns added to existing tables carry no foreign key, so
 * that `down` can drop them; memberships are ended, never deleted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("membership")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('admin','lead_org','applicant','panel_member','adviser')`))
    .addColumn("organisation_id", "text", (c) => c.references("organisation.id"))
    .addColumn("decision_group_id", "text", (c) => c.references("decision_group.id"))
    .addColumn("fund_id", "text", (c) => c.references("fund.id"))
    .addColumn("constituency", "text", (c) => c.check(sql`constituency in ('resident','councillor','vcse')`))
    .addColumn("is_chair", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("is_name_public", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("interests_declared_at", "text")
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("ended_at", "text")
    .addColumn("created_by", "text")
    .execute();
  await db.schema.createIndex("membership_user").on("membership").column("user_id").execute();
  // One membership per person, role and scope: adding someone back reopens it, so history has one row to point at.
  await db.schema
    .createIndex("membership_once_per_decision_group")
    .on("membership")
    .columns(["decision_group_id", "role", "user_id"])
    .unique()
    .where(sql.ref("decision_group_id"), "is not", null)
    .execute();
  await db.schema
    .createIndex("membership_once_per_organisation")
    .on("membership")
    .columns(["organisation_id", "role", "user_id"])
    .unique()
    .where(sql.ref("organisation_id"), "is not", null)
    .execute();
  await db.schema
    .createIndex("membership_once_per_fund")
    .on("membership")
    .columns(["fund_id", "role", "user_id"])
    .unique()
    .where(sql.ref("fund_id"), "is not", null)
    .execute();

  await db.schema.alterTable("interest_declaration").addColumn("membership_id", "text").execute();
  await db.schema.createIndex("interest_declaration_membership").on("interest_declaration").column("membership_id").execute();
  await db.schema.alterTable("session").addColumn("membership_id", "text").execute();
  await db.schema.alterTable("invitation").addColumn("fund_id", "text").execute();

  const users = await db
    .selectFrom("user")
    .select(["id", "role", "organisation_id", "decision_group_id", "constituency", "is_chair", "is_name_public", "interests_declared_at", "created_at"])
    .execute();
  for (const user of users) {
    // A registered applicant who had not yet set up a group had a role but no scope: no membership yet.
    if (user.role === "applicant" && !user.organisation_id) continue;
    const id = randomUUID();
    await db
      .insertInto("membership")
      .values({
        id,
        user_id: user.id,
        role: user.role,
        organisation_id: user.organisation_id,
        decision_group_id: user.decision_group_id,
        fund_id: null,
        constituency: user.constituency,
        is_chair: user.is_chair,
        is_name_public: user.is_name_public,
        interests_declared_at: user.interests_declared_at,
        started_at: user.created_at,
        ended_at: null,
        created_by: null,
      })
      .execute();
    await db.updateTable("interest_declaration").set({ membership_id: id }).where("user_id", "=", user.id).execute();
    await db.updateTable("session").set({ membership_id: id }).where("user_id", "=", user.id).execute();
  }

  await db.updateTable("user").set({ organisation_id: null, decision_group_id: null }).execute();
  for (const column of ["role", "constituency", "is_chair", "is_name_public", "interests_declared_at"]) {
    await db.schema.alterTable("user").dropColumn(column).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("user")
    .addColumn("role", "text", (c) =>
      c
        .notNull()
        .defaultTo("applicant")
        .check(sql`role in ('admin','lead_org','applicant','panel_member','adviser')`),
    )
    .execute();
  await db.schema.alterTable("user").addColumn("constituency", "text").execute();
  await db.schema
    .alterTable("user")
    .addColumn("is_chair", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("user")
    .addColumn("is_name_public", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("user").addColumn("interests_declared_at", "text").execute();
  // Each user gets back the scope of their earliest membership; later ones cannot be kept on one row.
  const memberships = await db.selectFrom("membership").selectAll().orderBy("started_at", "desc").execute();
  for (const m of memberships) {
    await db
      .updateTable("user")
      .set({
        role: m.role,
        organisation_id: m.organisation_id,
        decision_group_id: m.decision_group_id,
        constituency: m.constituency,
        is_chair: m.is_chair,
        is_name_public: m.is_name_public,
        interests_declared_at: m.interests_declared_at,
      })
      .where("id", "=", m.user_id)
      .execute();
  }
  await db.schema.alterTable("invitation").dropColumn("fund_id").execute();
  await db.schema.alterTable("session").dropColumn("membership_id").execute();
  await db.schema.dropIndex("interest_declaration_membership").execute();
  await db.schema.alterTable("interest_declaration").dropColumn("membership_id").execute();
  await db.schema.dropTable("membership").execute();
}

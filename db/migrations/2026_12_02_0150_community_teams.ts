import type { Kysely } from "kysely";
import { sql } from "kysely";

/**
 * Community teams (All In): paid residents who develop ideas with their
 * neighbours. A team is a community group on the portal (organisation_id), so
 * its members are that group's members (memberships, with the personal-data
 * rights every account has) and its ideas become proposals like any group's.
 * The team adds the fund, the area and the paid term. Ideas, engagement counts
 * (numbers only, no people) and the mentoring and training log hang off it.
 * Rows are kept, never deleted: the audit trail explains every change.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("community_team")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("fund_id", "text", (c) => c.notNull().references("fund.id"))
    .addColumn("organisation_id", "text", (c) => c.notNull().unique().references("organisation.id"))
    .addColumn("area", "text", (c) => c.notNull())
    .addColumn("term_starts_on", "text", (c) => c.notNull())
    .addColumn("term_ends_on", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addCheckConstraint("community_team_term_order", sql`term_ends_on >= term_starts_on`)
    .execute();
  await db.schema.createIndex("community_team_fund").on("community_team").columns(["fund_id", "created_at"]).execute();

  await db.schema
    .createTable("community_team_idea")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("community_team.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("area", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('idea','developing','proposal','decided')`))
    // The outline proposal the idea became, once it did.
    .addColumn("proposal_id", "text", (c) => c.unique().references("proposal.id"))
    .addColumn("created_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("community_team_idea_team").on("community_team_idea").columns(["team_id", "created_at"]).execute();

  await db.schema
    .createTable("community_team_engagement")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("community_team.id"))
    .addColumn("engaged_on", "text", (c) => c.notNull())
    .addColumn("area", "text", (c) => c.notNull())
    .addColumn("activity", "text", (c) => c.notNull())
    .addColumn("people_count", "integer", (c) => c.notNull().check(sql`people_count >= 0`))
    .addColumn("recorded_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("community_team_engagement_team").on("community_team_engagement").columns(["team_id", "engaged_on"]).execute();

  await db.schema
    .createTable("community_team_support")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().references("community_team.id"))
    .addColumn("given_on", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('mentoring','training','other')`))
    .addColumn("minutes", "integer", (c) => c.notNull().check(sql`minutes >= 0`))
    .addColumn("given_by", "text", (c) => c.notNull())
    .addColumn("notes", "text", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("community_team_support_team").on("community_team_support").columns(["team_id", "given_on"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("community_team_support_team").execute();
  await db.schema.dropTable("community_team_support").execute();
  await db.schema.dropIndex("community_team_engagement_team").execute();
  await db.schema.dropTable("community_team_engagement").execute();
  await db.schema.dropIndex("community_team_idea_team").execute();
  await db.schema.dropTable("community_team_idea").execute();
  await db.schema.dropIndex("community_team_fund").execute();
  await db.schema.dropTable("community_team").execute();
}

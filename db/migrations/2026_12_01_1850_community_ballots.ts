import { sql, type Kysely } from "kysely";

/**
 * Community ballots (issue 12, docs/decisions/0042):
 * - fund.decision_method: who decides (panel, community ballot, or both);
 * - community_ballot: one per fund, its rules; frozen at opening as canonical
 *   JSON (rules_json) with its SHA-256 (rules_hash);
 * - community_ballot_project: the proposals on the ballot, with their cost, fixed at opening;
 * - community_ballot_postcode: the area's postcode list (normalised);
 * - ballot_voter, ballot_voter_challenge, ballot_voter_session,
 *   ballot_voter_code: voters without passwords. Emails are kept only as a
 *   hash; one-time codes, printed voter codes and session tokens only as hashes;
 * - ballot_paper: every ballot cast. The last one per voter counts
 *   (is_counted = 1, backed by a partial unique index); earlier ones are kept.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("fund")
    .addColumn("decision_method", "text", (c) => c.notNull().defaultTo("panel"))
    .execute();

  await db.schema
    .createTable("community_ballot")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("fund_id", "text", (c) => c.notNull().unique().references("fund.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("max_choices", "integer")
    .addColumn("points_total", "integer")
    .addColumn("points_min_projects", "integer")
    .addColumn("budget_pence", "integer")
    .addColumn("counting_rule", "text", (c) => c.notNull())
    .addColumn("tie_rule", "text", (c) => c.notNull())
    .addColumn("opens_at", "text", (c) => c.notNull())
    .addColumn("closes_at", "text", (c) => c.notNull())
    .addColumn("min_age", "integer")
    .addColumn("postcode_prefixes", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("rules_json", "text")
    .addColumn("rules_hash", "text")
    .addColumn("opened_at", "text")
    .addColumn("created_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("community_ballot_project")
    .addColumn("ballot_id", "text", (c) => c.notNull().references("community_ballot.id"))
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposal.id"))
    .addColumn("cost_pence", "integer", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("community_ballot_project_pk", ["ballot_id", "proposal_id"])
    .execute();

  await db.schema
    .createTable("community_ballot_postcode")
    .addColumn("ballot_id", "text", (c) => c.notNull().references("community_ballot.id"))
    .addColumn("postcode", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("community_ballot_postcode_pk", ["ballot_id", "postcode"])
    .modifyEnd(sql`without rowid`)
    .execute();

  await db.schema
    .createTable("ballot_voter_code")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ballot_id", "text", (c) => c.notNull().references("community_ballot.id"))
    .addColumn("code_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();

  await db.schema
    .createTable("ballot_voter")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ballot_id", "text", (c) => c.notNull().references("community_ballot.id"))
    .addColumn("email_hash", "text")
    .addColumn("voter_code_id", "text", (c) => c.unique().references("ballot_voter_code.id"))
    .addColumn("postcode", "text")
    .addColumn("age_confirmed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("joined_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("ballot_voter_email").on("ballot_voter").columns(["ballot_id", "email_hash"]).unique().execute();

  await db.schema
    .createTable("ballot_voter_challenge")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ballot_id", "text", (c) => c.notNull().references("community_ballot.id"))
    .addColumn("email_hash", "text", (c) => c.notNull())
    .addColumn("postcode", "text", (c) => c.notNull())
    .addColumn("age_confirmed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("ballot_voter_session")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("voter_id", "text", (c) => c.notNull().references("ballot_voter.id"))
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("ballot_paper")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ballot_id", "text", (c) => c.notNull().references("community_ballot.id"))
    .addColumn("voter_id", "text", (c) => c.notNull().references("ballot_voter.id"))
    .addColumn("choices", "text", (c) => c.notNull())
    .addColumn("choices_hash", "text", (c) => c.notNull())
    .addColumn("salt", "text", (c) => c.notNull())
    .addColumn("is_counted", "integer", (c) => c.notNull())
    .addColumn("cast_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("ballot_paper_one_counted")
    .on("ballot_paper")
    .columns(["ballot_id", "voter_id"])
    .unique()
    .where(sql.ref("is_counted"), "=", 1)
    .execute();
  await db.schema.createIndex("ballot_paper_voter").on("ballot_paper").columns(["voter_id", "cast_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("ballot_paper_voter").execute();
  await db.schema.dropIndex("ballot_paper_one_counted").execute();
  await db.schema.dropTable("ballot_paper").execute();
  await db.schema.dropTable("ballot_voter_session").execute();
  await db.schema.dropTable("ballot_voter_challenge").execute();
  await db.schema.dropIndex("ballot_voter_email").execute();
  await db.schema.dropTable("ballot_voter").execute();
  await db.schema.dropTable("ballot_voter_code").execute();
  await db.schema.dropTable("community_ballot_postcode").execute();
  await db.schema.dropTable("community_ballot_project").execute();
  await db.schema.dropTable("community_ballot").execute();
  await db.schema.alterTable("fund").dropColumn("decision_method").execute();
}

import { sql, type Kysely } from "kysely";

/**
 * Paper ballots keyed twice (issue 12 parts 7 and 8, docs/decisions/0044):
 * - ballot_paper.channel: 'online' or 'paper' (every ballot cast so far was online);
 * - ballot_venue: a community venue that hands out and collects paper ballots,
 *   with the papers issued and returned there (for the reconciliation);
 * - paper_ballot: one paper handed in, keyed by its printed voter code; waiting
 *   for a second keying, in mismatch, counted, spoilt or refused (a double vote);
 * - paper_keying: one person's typing of one paper (one keying per person per paper);
 * - ballot_flag: a ballot refused because its voter already had a counted one;
 * - ballot_voter_equality: that a voter answered the equality questions, and
 *   nothing else (the answer itself is an equality_response with no voter).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("ballot_paper")
    .addColumn("channel", "text", (c) => c.notNull().defaultTo("online"))
    .execute();

  await db.schema
    .createTable("ballot_venue")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ballot_id", "text", (c) => c.notNull().references("community_ballot.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("postcode", "text")
    .addColumn("papers_issued", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("papers_returned", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("ballot_venue_name").on("ballot_venue").columns(["ballot_id", "name"]).unique().execute();

  await db.schema
    .createTable("paper_ballot")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ballot_id", "text", (c) => c.notNull().references("community_ballot.id"))
    .addColumn("voter_code_id", "text", (c) => c.notNull().references("ballot_voter_code.id"))
    .addColumn("venue_id", "text", (c) => c.notNull().references("ballot_venue.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("ballot_paper_id", "text", (c) => c.references("ballot_paper.id"))
    .addColumn("resolved_by", "text", (c) => c.references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("settled_at", "text")
    .execute();
  await db.schema.createIndex("paper_ballot_status").on("paper_ballot").columns(["ballot_id", "status", "created_at"]).execute();
  await db.schema.createIndex("paper_ballot_code").on("paper_ballot").columns(["voter_code_id", "status"]).execute();
  await db.schema.createIndex("paper_ballot_paper").on("paper_ballot").column("ballot_paper_id").execute();

  await db.schema
    .createTable("paper_keying")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("paper_ballot_id", "text", (c) => c.notNull().references("paper_ballot.id"))
    .addColumn("venue_id", "text", (c) => c.notNull().references("ballot_venue.id"))
    .addColumn("keyed_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("is_spoilt", "integer", (c) => c.notNull())
    .addColumn("choices", "text")
    .addColumn("keyed_at", "text", (c) => c.notNull())
    .execute();
  // The same person cannot key a paper twice: its second keying must be someone else's.
  await db.schema.createIndex("paper_keying_once").on("paper_keying").columns(["paper_ballot_id", "keyed_by"]).unique().execute();

  await db.schema
    .createTable("ballot_flag")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ballot_id", "text", (c) => c.notNull().references("community_ballot.id"))
    .addColumn("voter_id", "text", (c) => c.notNull().references("ballot_voter.id"))
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("paper_ballot_id", "text", (c) => c.references("paper_ballot.id"))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("ballot_flag_ballot").on("ballot_flag").columns(["ballot_id", "created_at"]).execute();

  await db.schema
    .createTable("ballot_voter_equality")
    .addColumn("voter_id", "text", (c) => c.primaryKey().references("ballot_voter.id"))
    .modifyEnd(sql`without rowid`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("ballot_voter_equality").execute();
  await db.schema.dropIndex("ballot_flag_ballot").execute();
  await db.schema.dropTable("ballot_flag").execute();
  await db.schema.dropIndex("paper_keying_once").execute();
  await db.schema.dropTable("paper_keying").execute();
  await db.schema.dropIndex("paper_ballot_paper").execute();
  await db.schema.dropIndex("paper_ballot_code").execute();
  await db.schema.dropIndex("paper_ballot_status").execute();
  await db.schema.dropTable("paper_ballot").execute();
  await db.schema.dropIndex("ballot_venue_name").execute();
  await db.schema.dropTable("ballot_venue").execute();
  await db.schema.alterTable("ballot_paper").dropColumn("channel").execute();
}

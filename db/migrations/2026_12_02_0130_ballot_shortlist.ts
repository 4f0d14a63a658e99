import type { Kysely } from "kysely";

/**
 * Panel and residents together (issue 12, docs/decisions/0046). The panel's
 * shortlist needs no column: it is the proposals the panel voted to fund at a
 * meeting (vote_item results, already stored and audited). What this adds is
 * for limiting joins:
 * - ballot_voter_challenge.client_key: the client address a join was started
 *   from (an IPv6 /64 as one), so one address can start only so many joins an
 *   hour. Purged with the challenge a day after it expires;
 * - indexes for counting a ballot's recent joins by email hash and by client.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("ballot_voter_challenge").addColumn("client_key", "text").execute();
  await db.schema.createIndex("ballot_voter_challenge_email").on("ballot_voter_challenge").columns(["ballot_id", "email_hash", "created_at"]).execute();
  await db.schema.createIndex("ballot_voter_challenge_client").on("ballot_voter_challenge").columns(["ballot_id", "client_key", "created_at"]).execute();
  await db.schema.createIndex("ballot_voter_challenge_expiry").on("ballot_voter_challenge").column("expires_at").execute();
  await db.schema.createIndex("ballot_voter_session_expiry").on("ballot_voter_session").column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("ballot_voter_session_expiry").execute();
  await db.schema.dropIndex("ballot_voter_challenge_expiry").execute();
  await db.schema.dropIndex("ballot_voter_challenge_client").execute();
  await db.schema.dropIndex("ballot_voter_challenge_email").execute();
  await db.schema.alterTable("ballot_voter_challenge").dropColumn("client_key").execute();
}

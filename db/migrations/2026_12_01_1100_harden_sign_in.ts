import type { Kysely } from "kysely";

/**
 * Sign-in under attack, and registration that does not reveal accounts
 * (issue 9, items 3 and 5).
 *
 * - `login_attempt.client`: the client's address (an IPv6 /64 counts as one),
 *   so failures can be limited per client as well as per account; null when
 *   the server did not know it. Indexes for the per-client and site-wide counts.
 * - `registration_request`: a registration waits here until its owner opens
 *   the link emailed to the address, so the register page answers the same
 *   whether or not the address already has an account. Only the password's
 *   scrypt hash is kept, never the password.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("login_attempt").addColumn("client", "text").execute();
  await db.schema.createIndex("login_attempt_client_at_idx").on("login_attempt").columns(["client", "at"]).execute();
  await db.schema.createIndex("login_attempt_at_idx").on("login_attempt").column("at").execute();

  await db.schema
    .createTable("registration_request")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("registration_request_email_idx").on("registration_request").column("email").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("registration_request").execute();
  await db.schema.dropIndex("login_attempt_at_idx").execute();
  await db.schema.dropIndex("login_attempt_client_at_idx").execute();
  await db.schema.alterTable("login_attempt").dropColumn("client").execute();
}

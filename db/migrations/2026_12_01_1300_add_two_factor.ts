import type { Kysely } from "kysely";

/**
 * Two-factor sign-in (TOTP, RFC 6238) with recovery codes.
 *
 * - two_factor: one row per person who has started enrolment. Secrets are
 *   stored encrypted (app/auth/two-factor-secret.server.ts). pending_secret is
 *   a new app's secret until they type a code from it; then it becomes secret
 *   and confirmed_at is set. last_used_step makes each code usable once;
 *   failed_count and failed_since slow down guessing across sign-in attempts.
 * - recovery_code: single-use codes, stored as hashes only.
 * - pending_sign_in: the half-signed-in state between a right password and a
 *   right code. A separate table and cookie from session, so it can never be
 *   read as a session: it opens nothing but the second step.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("two_factor")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("user.id").onDelete("cascade"))
    .addColumn("secret", "text")
    .addColumn("pending_secret", "text")
    .addColumn("confirmed_at", "text")
    .addColumn("last_used_step", "integer")
    .addColumn("failed_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("failed_since", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("recovery_code")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("recovery_code_user_hash_idx").on("recovery_code").columns(["user_id", "code_hash"]).unique().execute();

  await db.schema
    .createTable("pending_sign_in")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("redirect_to", "text")
    .addColumn("failed_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("pending_sign_in_user_idx").on("pending_sign_in").column("user_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("pending_sign_in").execute();
  await db.schema.dropTable("recovery_code").execute();
  await db.schema.dropTable("two_factor").execute();
}

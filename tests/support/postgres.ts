import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { createDb, migrateToLatest, type DB } from "../../db/client";

/**
 * PostgreSQL for tests (issue 14): TEST_DATABASE_URL names a database
 * (scripts/postgres-for-tests.sh prints one; CI sets it). Each test file works
 * in a fresh schema of its own there, migrated to the latest schema and
 * dropped afterwards. Without TEST_DATABASE_URL the PostgreSQL tests are
 * skipped and say why, unless REQUIRE_POSTGRES_TESTS=1 (CI), when they fail.
 */
export const postgresTestUrl = process.env.TEST_DATABASE_URL || undefined;
export const POSTGRES_SKIP_REASON = "TEST_DATABASE_URL is not set: start one with `eval $(scripts/postgres-for-tests.sh)` to run the PostgreSQL tests";
export const isPostgresRequired = process.env.REQUIRE_POSTGRES_TESTS === "1";

/** The URL with a search_path, so every pooled connection works in `schema`. */
export function urlInSchema(base: string, schema: string): string {
  const u = new URL(base);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}

export interface PostgresTestSchema {
  schema: string;
  url: string;
  db: DB;
  drop(): Promise<void>;
}

/** A new, empty schema (migrated unless `migrate` is false) and a handle working in it. */
export async function createPostgresTestSchema(base: string, prefix: string, options: { migrate?: boolean } = {}): Promise<PostgresTestSchema> {
  const schema = `${prefix}_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = createDb(base);
  await sql`create schema ${sql.id(schema)}`.execute(admin);
  const url = urlInSchema(base, schema);
  const db = createDb(url);
  if (options.migrate !== false) await migrateToLatest(db);
  return {
    schema,
    url,
    db,
    async drop() {
      await db.destroy();
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin);
      await admin.destroy();
    },
  };
}

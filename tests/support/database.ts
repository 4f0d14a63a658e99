import { sql } from "kysely";
import { createDb, type DB } from "../../db/client";
import { dropTriggerOnPostgres, isPostgres, isPostgresUrl, portalTables } from "../../db/dialect";
import { getDb } from "~/utils/db.server";
import { createPostgresTestSchema } from "./postgres";

/**
 * The integration suite runs on SQLite, or on PostgreSQL with INTEGRATION_ON_POSTGRES=1
 * (tests/support/setup-db.ts sets DATABASE_URL before any test file loads). These
 * helpers let a test check the same thing on either database, through Kysely.
 */
export const onPostgres = isPostgresUrl(process.env.DATABASE_URL);

/** Why a test is skipped on PostgreSQL: its subject is the SQLite file itself. */
export const SQLITE_ONLY = "on PostgreSQL: the subject is SQLite's own behaviour";

/**
 * PostgreSQL takes the one write lock, which SQLite's BEGIN IMMEDIATE takes, as a statement of its own
 * (lockForTransaction in db/dialect.ts): left out of a count, so a page's statements count the same on both.
 */
const isLockStatement = (statement: string) => /^select pg_advisory_xact_lock\(/i.test(statement);

/** A second handle on the app's database (the SQLite file, or the test file's PostgreSQL schema), as another process would open it. Destroy it when done. */
export function otherConnection(options: Parameters<typeof createDb>[1] = {}): DB {
  getDb();
  return createDb(globalThis.__portalDb!.path, options);
}

/** A second handle on the app's database (otherConnection) that records every statement it runs, in order. Destroy it when done. */
export function countingDb(): { db: DB; statements: string[] } {
  const statements: string[] = [];
  const db = otherConnection({ log: (event) => void (event.level === "query" && !isLockStatement(event.query.sql) && statements.push(event.query.sql)) });
  return { db, statements };
}

/** Runs `run` with the app's handle swapped for a counting one (countingDb), and returns the statements it ran. */
export async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  const original = (getDb(), globalThis.__portalDb!);
  const { db, statements } = countingDb();
  globalThis.__portalDb = { path: original.path, db };
  try {
    await run();
    return statements;
  } finally {
    globalThis.__portalDb = original;
    await db.destroy();
  }
}

/**
 * Lifts the append-only rule on audit_event, as only someone with direct access to the database can,
 * so a test can tamper with a past event: SQLite's trigger is dropped, PostgreSQL's (a row trigger
 * calling a refusing function) too.
 */
export async function allowAuditEventUpdates(db: DB): Promise<void> {
  if (isPostgres(db)) await dropTriggerOnPostgres(db, "audit_event_no_update", "audit_event");
  else await sql`drop trigger if exists audit_event_no_update`.execute(db);
}

/** Every text value in every table of the portal's database that mentions one of the needles (ignoring case), as "table.column". */
export async function mentionsIn(db: DB, needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const table of await portalTables(db)) {
    if (/^(kysely_|sqlite_)/.test(table.name)) continue;
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table.name)}`.execute(db);
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value === "string" && needles.some((n) => value.toLowerCase().includes(n.toLowerCase()))) found.push(`${table.name}.${column}`);
      }
    }
  }
  return [...new Set(found)].sort();
}

/**
 * A database of its own for a script run in a child process (npm run db:seed, audit:verify): on
 * SQLite a file at `file`, on PostgreSQL a fresh, empty schema. `env` points a child process at it,
 * and only at it; `open` gives a handle on it; `drop` removes the schema (the caller removes the file).
 */
export async function scratchDatabase(file: string): Promise<{ env: NodeJS.ProcessEnv; open: () => DB; drop: () => Promise<void> }> {
  if (onPostgres) {
    const schema = await createPostgresTestSchema(process.env.TEST_DATABASE_URL!, "scratch", { migrate: false });
    return { env: { ...process.env, DATABASE_URL: schema.url }, open: () => createDb(schema.url), drop: () => schema.drop() };
  }
  return { env: sqliteFileEnv(file), open: () => createDb(file), drop: async () => undefined };
}

/** A child process's environment pointing at the SQLite file `file`, even when the tests run on PostgreSQL. */
export function sqliteFileEnv(file: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: file };
  delete env.DATABASE_URL;
  return env;
}

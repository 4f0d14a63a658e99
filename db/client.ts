import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type LogConfig } from "kysely";
import pg from "pg";
import type { Database } from "./schema";
import { ADVISORY_LOCKS, isPostgres, isPostgresUrl, lockForTransaction, PostgresSchemaPlugin } from "./dialect";
import { migrationProvider } from "./migrations/index";
import { enableListening, stopListening } from "./notify";
import { withStatementCache } from "./statement-cache";
import { isStorageFault, storageFaultResponse } from "./storage-faults";

export type DB = Kysely<Database>;

/**
 * Opens the database: a postgres:// URL opens PostgreSQL (a pool of `pg`
 * connections), anything else is a SQLite file, created if needed, with the
 * pragmas every connection needs. The one switch (docs/decisions/0051).
 * `log` is Kysely's: tests count the statements a page runs through it, on either database.
 */
export function createDb(file: string, options: { log?: LogConfig } = {}): DB {
  if (isPostgresUrl(file)) return createPostgresDb(file, options);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new SQLite(file);
  database.pragma("foreign_keys = ON");
  database.pragma("journal_mode = WAL");
  database.pragma("busy_timeout = 5000");
  database.pragma("synchronous = NORMAL");
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }), log: options.log });
}

/**
 * PostgreSQL returns bigint (our integer columns, counts) and numeric (sums)
 * as strings, to be safe beyond 2^53; the portal's integers (pence, counts,
 * chain positions) stay far below that, so they are read as numbers, as
 * better-sqlite3 reads them.
 */
const PG_INT8 = 20;
const PG_NUMERIC = 1700;
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === PG_INT8 || oid === PG_NUMERIC ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/**
 * Besides the pool, a handle may hold one listening connection for
 * notifications between servers (db/notify.ts, docs/decisions/0053); it is
 * closed with the pool when the handle is destroyed.
 */
function createPostgresDb(url: string, options: { log?: LogConfig }): DB {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE) || 10, types: pgTypes });
  const closing = {
    connect: () => pool.connect(),
    end: async () => {
      await stopListening(db);
      await pool.end();
    },
  };
  const db: DB = new Kysely<Database>({ dialect: new PostgresDialect({ pool: closing }), plugins: [new PostgresSchemaPlugin()], log: options.log });
  enableListening(db, url);
  return db;
}

/** Brings the schema to the latest migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // On PostgreSQL Kysely looks for its migration tables in every schema: name the one this connection works in.
  const migrationTableSchema = isPostgres(db) ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({ db, provider: migrationProvider, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
  }
  return (results ?? []).map((r) => r.migrationName);
}

const openTransactions = new WeakSet<DB>();

/**
 * Runs fn in one write transaction. SQLite's default BEGIN is DEFERRED, which
 * can fail with SQLITE_BUSY when a second process (a script beside the server)
 * writes at the same time; BEGIN IMMEDIATE takes the write lock up front and
 * waits on busy_timeout instead. On PostgreSQL the transaction takes the same
 * one-writer-at-a-time guarantee as its first statement, a transaction-scoped
 * advisory lock, so code that reads and then writes stays as correct as it is
 * on SQLite, across every app server (docs/decisions/0051). Inside fn use only
 * the given handle. `beforeLock` runs in the same transaction before the write
 * lock is taken on PostgreSQL: for writes that need no lock and are slow, such
 * as inserting an uploaded file's bytes under a new random key (0054). On
 * SQLite BEGIN IMMEDIATE already holds the lock, so it simply runs first.
 */
export async function inTransaction<T>(db: DB, fn: (trx: DB) => Promise<T>, options: { beforeLock?: (trx: DB) => Promise<void> } = {}): Promise<T> {
  return runTransaction(db, fn, { isWriteLocked: true, beforeLock: options.beforeLock });
}

/**
 * A short transaction that takes rows from a queue table (the email outbox)
 * without the portal's one write lock on PostgreSQL, so delivery never waits
 * behind people's writes, nor they behind it. Rows are claimed there with
 * `skippingLockedRows` (FOR UPDATE SKIP LOCKED). On SQLite it is the same
 * BEGIN IMMEDIATE as inTransaction: the write lock held from the first
 * statement makes the read and the claim one step (docs/decisions/0052).
 * Keep it short: nothing slow (sending mail) inside.
 */
export async function inQueueTransaction<T>(db: DB, fn: (trx: DB) => Promise<T>): Promise<T> {
  return runTransaction(db, fn, { isWriteLocked: false });
}

async function runTransaction<T>(
  db: DB,
  fn: (trx: DB) => Promise<T>,
  { isWriteLocked, beforeLock }: { isWriteLocked: boolean; beforeLock?: (trx: DB) => Promise<void> },
): Promise<T> {
  if (db.isTransaction || openTransactions.has(db)) {
    await beforeLock?.(db);
    return fn(db);
  }
  try {
    return await db.connection().execute(async (conn) => {
      await sql`${sql.raw(isPostgres(conn) ? "begin" : "begin immediate")}`.execute(conn);
      openTransactions.add(conn);
      try {
        await beforeLock?.(conn);
        if (isWriteLocked) await lockForTransaction(conn, ADVISORY_LOCKS.write);
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        // SQLite may already have rolled back (a full disk does): keep the first error, not "no transaction is active".
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      } finally {
        openTransactions.delete(conn);
      }
    });
  } catch (error) {
    // A full disk, a read-only file or a failing disk: nothing was kept, and the person is told so (503, not 500).
    throw isStorageFault(error) ? storageFaultResponse(error) : error;
  }
}

/**
 * A value that changes whenever anything is written to the database, by this
 * process or any other; null inside a transaction, where reads may see writes
 * that are later rolled back. SQLite: `data_version` moves when another
 * connection commits, `total_changes()` when this connection writes (one
 * connection per process). PostgreSQL has no cheap equivalent across
 * servers, so there it is always null and shared reads are not cached.
 */
export async function changeMark(db: DB): Promise<string | null> {
  if (db.isTransaction || openTransactions.has(db) || isPostgres(db)) return null;
  const { rows } = await sql<{ mark: string }>`select total_changes() || ':' || (select data_version from pragma_data_version) as mark`.execute(db);
  return rows[0]?.mark ?? null;
}

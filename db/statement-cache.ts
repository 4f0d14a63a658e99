import type SQLite from "better-sqlite3";
import type { SqliteDatabase } from "kysely";

/** How many prepared statements one connection keeps: every query the portal builds fits, with room for `in (…)` lists of varying length. */
export const STATEMENT_CACHE_SIZE = 500;

export interface CachedDatabase extends SqliteDatabase {
  /** Statements kept now (never more than the limit). */
  readonly cachedStatements: number;
}

/**
 * better-sqlite3 as Kysely's SqliteDialect sees it, but each SQL text is
 * prepared once and its statement reused. Kysely's driver calls `prepare` for
 * every query, and SQLite compiles the text again each time: at city scale a
 * page's 20 to 40 queries spent milliseconds compiling SQL it had compiled a
 * moment before (decision 0050).
 *
 * Safe to reuse because Kysely only binds parameters afresh and calls `all`,
 * `run` (both synchronous: finished before anything else can use the
 * statement) or `iterate`. A statement still being iterated (`busy`) is never
 * handed out again: that caller gets a fresh statement of its own. The
 * least recently used statement is dropped beyond `size`, and better-sqlite3
 * finalises it when it is collected. SQLite recompiles a kept statement by
 * itself if the schema changes under it.
 */
export function withStatementCache(database: SQLite.Database, size = STATEMENT_CACHE_SIZE): CachedDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    get cachedStatements() {
      return statements.size;
    },
    close() {
      statements.clear();
      database.close();
    },
    prepare(sql: string) {
      const kept = statements.get(sql);
      if (kept?.busy) return database.prepare(sql);
      if (kept) {
        // Most recently used goes last, so the first key is always the one to drop.
        statements.delete(sql);
        statements.set(sql, kept);
        return kept;
      }
      const statement = database.prepare(sql);
      if (statements.size >= size) statements.delete(statements.keys().next().value as string);
      statements.set(sql, statement);
      return statement;
    },
  };
}

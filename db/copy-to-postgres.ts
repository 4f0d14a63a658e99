import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import type { ChainStatus } from "~/domain/audit-chain";
import { verifyAuditChain } from "~/models/audit.server";
import { createDb, inTransaction, migrateToLatest, type DB } from "./client";
import { isPostgresUrl } from "./dialect";
import { FILE_COLUMNS, insertStoredFile } from "./file-store";
import { migrationProvider } from "./migrations/index";
import type { Database } from "./schema";

/**
 * Moving up (issue 14, item 5): copies a SQLite portal into an empty PostgreSQL
 * database. The target is migrated with the portal's own migrations, then every
 * table is copied in foreign-key order, in batches, inside one transaction, so
 * a failure leaves it without a row. The source is read inside one SQLite read
 * transaction, a consistent snapshot even while the portal keeps running.
 * Afterwards row counts are compared table by table and the audit chain is
 * recomputed on PostgreSQL; it must match the SQLite chain's length and head.
 * Uploaded files in UPLOADS_DIR are carried into stored_file in the same
 * transaction, because the database is PostgreSQL's default file store
 * (docs/decisions/0054); with FILE_STORAGE=disk they stay where they are.
 */

/** A reason to stop that the person running the copy can act on: printed as it is, exit code 1. */
export class CopyRefused extends Error {}

export interface TableCount {
  table: string;
  sqlite: number;
  postgres: number;
  /** stored_file only: rows made from the uploads folder's files, on top of SQLite's own. */
  fromUploads?: number;
}

export interface CopyReport {
  tables: TableCount[];
  totalRows: number;
  sequencesReset: number;
  sourceChain: ChainStatus;
  targetChain: ChainStatus;
  /** Milliseconds: migrating the target, copying the rows (one transaction), checking the copy. */
  ms: { migrate: number; copy: number; verify: number; total: number };
  /** Uploaded files carried from the uploads folder into stored_file; null when they were left on disk. */
  files: { carried: number; bytes: number; missing: string[] } | null;
  /** Every check that failed, in plain English; empty when the copy is good. */
  problems: string[];
}

/** Tables the migrator keeps for itself: made by migrating the target, never copied. */
const MIGRATOR_TABLES = new Set(["kysely_migration", "kysely_migration_lock"]);

/** PostgreSQL accepts at most 65,535 parameters in one statement; stay well below it. */
const MAX_PARAMETERS = 30_000;
const MAX_BATCH_ROWS = 1_000;

interface SourceColumn {
  name: string;
}

interface TargetColumn {
  name: string;
  type: string;
}

type SourceValue = string | number | bigint | Buffer | null;

/** Tables named at run time, read from the two schemas. */
type AnyTables = Record<string, Record<string, unknown>>;

export async function copySqliteToPostgres(options: {
  from: string;
  to: string;
  /** The SQLite portal's uploads folder, to carry its files into stored_file; null or absent leaves files on disk. */
  uploadsDir?: string | null;
  log?: (line: string) => void;
}): Promise<CopyReport> {
  const log = options.log ?? (() => undefined);
  if (!isPostgresUrl(options.to)) throw new CopyRefused("The target must be a postgres:// (or postgresql://) URL.");
  const started = performance.now();

  let source: SQLite.Database;
  try {
    source = new SQLite(options.from, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new CopyRefused(`Cannot open the SQLite database ${options.from}: ${error instanceof Error ? error.message : String(error)}.`);
  }
  const target = createDb(options.to);
  const sourceDb = new Kysely<Database>({ dialect: new SqliteDialect({ database: source }) });
  try {
    // One read transaction: every table, count and chain below comes from the same snapshot.
    source.exec("begin");
    await assertSourceIsMigrated(source);
    const tables = tablesInDependencyOrder(source);
    await assertTargetIsEmpty(target);
    const filesToCarry = options.uploadsDir ? filesOnDisk(source, options.uploadsDir) : null;

    const migrateStarted = performance.now();
    await migrateToLatest(target);
    const migrateMs = performance.now() - migrateStarted;
    const targetColumns = await readTargetColumns(target);
    assertSameTables(tables, targetColumns, source);

    const copyStarted = performance.now();
    let sequencesReset = 0;
    const filesCarried = { carried: 0, bytes: 0 };
    await inTransaction(target, async (trx) => {
      // Checked again inside the transaction, which holds the portal's write lock: nobody wrote in between.
      await assertTargetIsEmpty(trx);
      for (const table of tables) {
        const copied = await copyTable(source, trx as unknown as Kysely<AnyTables>, table, targetColumns.get(table)!);
        log(`  copied ${table}: ${copied} rows`);
      }
      sequencesReset = await resetSequences(trx);
      if (filesToCarry) {
        for (const file of filesToCarry.present) {
          const bytes = fs.readFileSync(file.path);
          await insertStoredFile(trx, file.storedName, bytes, file.createdAt);
          filesCarried.bytes += bytes.byteLength;
          filesCarried.carried += 1;
        }
        log(`  carried ${filesCarried.carried} uploaded files into stored_file`);
      }
    });
    const copyMs = performance.now() - copyStarted;

    const verifyStarted = performance.now();
    const counts: TableCount[] = [];
    for (const table of tables) {
      const sqliteCount = Number((source.prepare(`select count(*) as n from ${quoteId(table)}`).get() as { n: number }).n);
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.id(table)}`.execute(target);
      const fromUploads = table === "stored_file" && filesCarried.carried > 0 ? { fromUploads: filesCarried.carried } : {};
      counts.push({ table, sqlite: sqliteCount, postgres: Number(rows[0]?.n ?? 0), ...fromUploads });
    }
    const sourceChain = await verifyAuditChain(sourceDb);
    const targetChain = await verifyAuditChain(target);
    const verifyMs = performance.now() - verifyStarted;

    const problems: string[] = [];
    for (const c of counts) {
      const expected = c.sqlite + (c.fromUploads ?? 0);
      if (expected !== c.postgres) {
        const from = c.fromUploads ? ` (and ${c.fromUploads} files from the uploads folder)` : "";
        problems.push(`${c.table}: ${c.sqlite} rows in SQLite${from} but ${c.postgres} in PostgreSQL.`);
      }
    }
    if (filesToCarry?.missing.length) {
      const shown = filesToCarry.missing.slice(0, 5).join(", ") + (filesToCarry.missing.length > 5 ? ` and ${filesToCarry.missing.length - 5} more` : "");
      problems.push(
        `${filesToCarry.missing.length} uploaded files named in the database are not in ${options.uploadsDir} (${shown}): ` +
          "their downloads already fail on SQLite and will on PostgreSQL. Everything else was copied.",
      );
    }
    if (!sourceChain.ok) problems.push(`The audit chain was already broken in the SQLite database, at event ${sourceChain.brokenAtId}: ${sourceChain.reason}.`);
    if (!targetChain.ok) problems.push(`The audit chain does not verify on PostgreSQL, at event ${targetChain.brokenAtId}: ${targetChain.reason}.`);
    if (sourceChain.ok && targetChain.ok && (sourceChain.count !== targetChain.count || sourceChain.headHash !== targetChain.headHash)) {
      problems.push(
        `The audit chains differ: SQLite has ${sourceChain.count} events ending ${sourceChain.headHash}, PostgreSQL ${targetChain.count} ending ${targetChain.headHash}.`,
      );
    }
    return {
      tables: counts,
      totalRows: counts.reduce((sum, c) => sum + c.postgres, 0),
      sequencesReset,
      files: filesToCarry ? { ...filesCarried, missing: filesToCarry.missing } : null,
      sourceChain,
      targetChain,
      ms: { migrate: migrateMs, copy: copyMs, verify: verifyMs, total: performance.now() - started },
      problems,
    };
  } finally {
    if (source.inTransaction) source.exec("commit");
    await target.destroy();
    source.close();
  }
}

/**
 * The uploaded files the SQLite portal names (attachments, award files) that
 * are kept on disk, not already in its stored_file table: those found in the
 * uploads folder, and those missing from it. When every one is missing the
 * folder is surely the wrong one, so the copy is refused before it starts.
 */
function filesOnDisk(source: SQLite.Database, uploadsDir: string) {
  const present: { storedName: string; path: string; createdAt: string }[] = [];
  const missing: string[] = [];
  const inDatabase = source.prepare("select 1 from stored_file where stored_name = ?");
  for (const { table, column } of FILE_COLUMNS) {
    const rows = source.prepare(`select ${quoteId(column)} as name, created_at from ${quoteId(table)} order by ${quoteId(column)}`).all() as {
      name: string;
      created_at: string;
    }[];
    for (const row of rows) {
      if (inDatabase.get(row.name)) continue;
      const file = path.join(path.resolve(uploadsDir), path.basename(row.name));
      if (fs.existsSync(file)) present.push({ storedName: row.name, path: file, createdAt: row.created_at });
      else missing.push(row.name);
    }
  }
  if (missing.length > 0 && present.length === 0) {
    throw new CopyRefused(
      `None of the ${missing.length} uploaded files the database names is in ${uploadsDir}, so nothing was copied. ` +
        "Set UPLOADS_DIR to the portal's uploads folder (or FILE_STORAGE=disk to leave the files on a disk every server shares).",
    );
  }
  return { present, missing };
}

const quoteId = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The SQLite file must be at this code's latest migration: the target is migrated to it, and the columns must line up. */
async function assertSourceIsMigrated(source: SQLite.Database) {
  const expected = Object.keys(await migrationProvider.getMigrations()).sort();
  const hasTable = source.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
  const applied = hasTable ? (source.prepare("select name from kysely_migration order by name").all() as { name: string }[]).map((r) => r.name) : [];
  const missing = expected.filter((name) => !applied.includes(name));
  const unknown = applied.filter((name) => !expected.includes(name));
  if (unknown.length) {
    throw new CopyRefused(
      `The SQLite database has migrations this version of the portal does not know (${unknown.join(", ")}): copy it with the newer version.`,
    );
  }
  if (missing.length) {
    throw new CopyRefused(`The SQLite database is not at the latest schema (${missing.length} migrations to apply): run npm run db:migrate on it first.`);
  }
}

/** The portal's tables, each after every table it refers to (foreign keys), ties in name order. */
function tablesInDependencyOrder(source: SQLite.Database): string[] {
  const names = (source.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[])
    .map((r) => r.name)
    .filter((name) => !MIGRATOR_TABLES.has(name));
  const refersTo = new Map<string, Set<string>>();
  for (const name of names) {
    const keys = source.prepare(`select "table" from pragma_foreign_key_list(?)`).all(name) as { table: string }[];
    // A table that refers to itself is copied in its own key order: PostgreSQL checks a key at the end of each statement.
    refersTo.set(name, new Set(keys.map((k) => k.table).filter((t) => t !== name)));
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < names.length) {
    const ready = names.filter((name) => !placed.has(name) && [...refersTo.get(name)!].every((t) => placed.has(t) || !refersTo.has(t)));
    if (ready.length === 0) {
      const stuck = names.filter((name) => !placed.has(name));
      throw new CopyRefused(`These tables refer to each other in a circle, so there is no order to copy them in: ${stuck.join(", ")}.`);
    }
    for (const name of ready) {
      ordered.push(name);
      placed.add(name);
    }
  }
  return ordered;
}

async function targetTables(db: DB): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  return rows.map((r) => r.name);
}

/** Refuses a target that holds any row outside the migrator's own tables. A migrated but empty database is fine (a failed copy leaves one). */
async function assertTargetIsEmpty(db: DB) {
  const withRows: string[] = [];
  for (const table of await targetTables(db)) {
    if (MIGRATOR_TABLES.has(table)) continue;
    const { rows } = await sql<{ found: number }>`select 1 as found from ${sql.id(table)} limit 1`.execute(db);
    if (rows.length) withRows.push(table);
  }
  if (withRows.length) {
    const named = withRows.slice(0, 5).join(", ") + (withRows.length > 5 ? ` and ${withRows.length - 5} more` : "");
    throw new CopyRefused(
      `The PostgreSQL database is not empty: ${withRows.length} ${withRows.length === 1 ? "table has" : "tables have"} rows (${named}). ` +
        "db:copy only copies into an empty database, so nothing was changed.",
    );
  }
}

async function readTargetColumns(db: DB): Promise<Map<string, TargetColumn[]>> {
  const { rows } = await sql<{ table: string; name: string; type: string }>`
    select table_name as table, column_name as name, data_type as type from information_schema.columns
    where table_schema = current_schema() order by table_name, ordinal_position`.execute(db);
  const columns = new Map<string, TargetColumn[]>();
  for (const row of rows) {
    if (!columns.has(row.table)) columns.set(row.table, []);
    columns.get(row.table)!.push({ name: row.name, type: row.type });
  }
  return columns;
}

/** After migrating, both sides must have the same tables and columns (tests/integration/schema-parity.test.ts keeps them so). */
function assertSameTables(tables: string[], targetColumns: Map<string, TargetColumn[]>, source: SQLite.Database) {
  const differences: string[] = [];
  const targetNames = new Set([...targetColumns.keys()].filter((t) => !MIGRATOR_TABLES.has(t)));
  for (const table of tables) {
    const columns = targetColumns.get(table);
    if (!columns) {
      differences.push(`table ${table} is missing in PostgreSQL`);
      continue;
    }
    const sourceColumns = (source.prepare(`select name from pragma_table_info(?)`).all(table) as SourceColumn[]).map((c) => c.name).sort();
    const names = columns.map((c) => c.name).sort();
    if (sourceColumns.join() !== names.join())
      differences.push(`table ${table} has columns (${sourceColumns.join(", ")}) in SQLite but (${names.join(", ")}) in PostgreSQL`);
    targetNames.delete(table);
  }
  for (const extra of targetNames) differences.push(`table ${extra} is only in PostgreSQL`);
  if (differences.length) throw new CopyRefused(`The two schemas differ, so nothing was copied: ${differences.join("; ")}.`);
}

/** Copies one table in batches; returns how many rows it copied. */
async function copyTable(source: SQLite.Database, trx: Kysely<AnyTables>, table: string, columns: TargetColumn[]): Promise<number> {
  const batchRows = Math.max(1, Math.min(MAX_BATCH_ROWS, Math.floor(MAX_PARAMETERS / columns.length)));
  // In primary-key order, so audit events go in chain order.
  const key = (source.prepare("select name from pragma_table_info(?) where pk > 0 order by pk").all(table) as SourceColumn[]).map((c) => quoteId(c.name));
  const orderBy = key.length ? ` order by ${key.join(", ")}` : "";
  const select = source.prepare(`select ${columns.map((c) => quoteId(c.name)).join(", ")} from ${quoteId(table)}${orderBy}`);
  // Integers as bigint: a value beyond 2^53 reaches PostgreSQL's bigint exactly, not rounded through a double.
  select.safeIntegers(true);
  let copied = 0;
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    try {
      await trx.insertInto(table).values(batch).execute();
    } catch (error) {
      throw new CopyRefused(`Copying ${table} failed, so nothing was kept: ${error instanceof Error ? error.message : String(error)}.`);
    }
    copied += batch.length;
    batch = [];
  };
  for (const row of select.iterate() as IterableIterator<Record<string, SourceValue>>) {
    const converted: Record<string, unknown> = {};
    for (const column of columns) converted[column.name] = convertValue(row[column.name] ?? null, column, table, copied + batch.length + 1);
    batch.push(converted);
    if (batch.length >= batchRows) await flush();
  }
  await flush();
  return copied;
}

/**
 * A SQLite value as the PostgreSQL column's type takes it, or a plain refusal.
 * SQLite stores any value in any column; PostgreSQL does not, so a value that
 * would change (a fraction in an integer column, a NUL character in text) stops
 * the copy rather than being altered.
 */
function convertValue(value: SourceValue, column: TargetColumn, table: string, rowNumber: number): unknown {
  if (value === null) return null;
  const where = `${table}.${column.name} (row ${rowNumber})`;
  switch (column.type) {
    case "bigint":
    case "integer":
    case "smallint":
      if (typeof value === "bigint") return value;
      if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
      throw new CopyRefused(`${where} holds ${describe(value)}, which is not a whole number: PostgreSQL's integer column cannot take it.`);
    case "double precision":
    case "real":
    case "numeric":
      if (typeof value === "number" || typeof value === "bigint") return value;
      throw new CopyRefused(`${where} holds ${describe(value)}, which is not a number.`);
    case "text":
    case "character varying":
      if (typeof value === "string") {
        if (value.includes("\u0000")) throw new CopyRefused(`${where} contains a NUL character, which PostgreSQL text cannot store.`);
        return value;
      }
      if (typeof value === "number" || typeof value === "bigint") return String(value);
      throw new CopyRefused(`${where} holds binary data in a text column.`);
    case "bytea":
      if (Buffer.isBuffer(value)) return value;
      if (typeof value === "string") return Buffer.from(value, "utf8");
      throw new CopyRefused(`${where} holds ${describe(value)} in a binary column.`);
    default:
      return value;
  }
}

function describe(value: SourceValue): string {
  if (Buffer.isBuffer(value)) return `${value.length} bytes of binary data`;
  return typeof value === "string" ? `the text ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value)}` : String(value);
}

/** Moves every sequence that feeds a column past the column's largest value (the portal's ids are made by the app, so usually there are none). */
async function resetSequences(trx: DB): Promise<number> {
  const { rows } = await sql<{ sequence: string; table: string; column: string }>`
    select s.relname as sequence, t.relname as table, a.attname as column
    from pg_class s
    join pg_depend d on d.objid = s.oid and d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
    join pg_class t on t.oid = d.refobjid
    join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
    where s.relkind = 'S' and t.relnamespace = current_schema()::regnamespace`.execute(trx);
  for (const row of rows) {
    await sql`select setval(${sql.lit(quoteId(row.sequence))}::regclass, coalesce((select max(${sql.id(row.column)}) from ${sql.id(row.table)}), 0) + 1, false)`.execute(
      trx,
    );
  }
  return rows.length;
}

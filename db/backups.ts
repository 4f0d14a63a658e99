// Backups and restores: a backup is one folder, backups/<UTC time>/, holding
//   portal.db      a consistent copy of the database, taken with SQLite's online backup API while the portal keeps writing;
//   uploads/       every uploaded file (attachments, award evidence, monitoring reports), copied after the database,
//                  so every file the copy refers to is there (files are written before the row that names them);
//   manifest.json  when, row counts, the audit chain's length and head hash, and the size and sha256 of every file.
// See docs/decisions/0021-backups-and-storage-faults.md.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { verifyAuditChain } from "~/models/audit.server";
import type { Database } from "./schema";

export const MANIFEST = "manifest.json";
export const DATABASE_FILE = "portal.db";
export const UPLOADS_FOLDER = "uploads";

export interface FileEntry {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: 1;
  createdAt: string;
  source: { databasePath: string; uploadsDir: string };
  database: FileEntry & { integrityCheck: string; tables: Record<string, number> };
  audit: { count: number; headHash: string };
  uploads: FileEntry[];
}

export function sha256File(file: string): string {
  const hash = crypto.createHash("sha256");
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(1 << 20);
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest("hex");
}

function entryFor(root: string, relative: string): FileEntry {
  const full = path.join(root, relative);
  return { path: relative.split(path.sep).join("/"), bytes: fs.statSync(full).size, sha256: sha256File(full) };
}

/** Every regular file under dir, as paths relative to it, sorted. */
function listFiles(dir: string, prefix = ""): string[] {
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) found.push(...listFiles(dir, relative));
    else if (entry.isFile()) found.push(relative);
  }
  return found.sort();
}

/** integrity_check's answer ("ok" when sound), the row count of each table, and the audit chain, read from a database file without changing it. */
async function inspect(
  file: string,
): Promise<{ integrityCheck: string; tables: Record<string, number>; audit: Manifest["audit"]; auditProblem: string | null }> {
  const raw = new SQLite(file, { readonly: true, fileMustExist: true });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  try {
    const integrityCheck = (raw.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
    const tables: Record<string, number> = {};
    const names = raw.prepare("select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' order by name").pluck().all() as string[];
    for (const name of names)
      tables[name] = raw
        .prepare(`select count(*) from "${name.replaceAll('"', '""')}"`)
        .pluck()
        .get() as number;
    const status = await verifyAuditChain(db);
    if (status.ok) return { integrityCheck, tables, audit: { count: status.count, headHash: status.headHash }, auditProblem: null };
    return { integrityCheck, tables, audit: { count: 0, headHash: "" }, auditProblem: `broken at event ${status.brokenAtId}: ${status.reason}` };
  } finally {
    await db.destroy();
  }
}

const stamp = (date: Date) =>
  date
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replaceAll(":", "-");

export interface BackupOptions {
  databasePath: string;
  uploadsDir: string;
  /** The folder that holds the backups; the backup is a new folder inside it. */
  to: string;
  now?: Date;
}

/**
 * Takes a backup while the portal runs. The database is copied in one step of
 * the online backup API: one read transaction, so the copy is a consistent
 * snapshot, and in WAL mode writers carry on meanwhile. (Copying page by page
 * would restart each time another process writes, and might never finish.)
 * Throws when the database cannot be read or the copy fails its checks.
 */
export async function createBackup(options: BackupOptions): Promise<{ dir: string; manifest: Manifest }> {
  if (!fs.existsSync(options.databasePath)) throw new Error(`No database at ${options.databasePath}.`);
  const now = options.now ?? new Date();
  fs.mkdirSync(options.to, { recursive: true });
  let dir = path.join(options.to, stamp(now));
  for (let n = 2; fs.existsSync(dir); n++) dir = path.join(options.to, `${stamp(now)}-${n}`);
  // Written under a temporary name and renamed at the end, so a folder without .partial is a finished backup.
  const partial = `${dir}.partial`;
  fs.mkdirSync(partial, { recursive: true });
  try {
    const target = path.join(partial, DATABASE_FILE);
    const source = new SQLite(options.databasePath, { readonly: true, fileMustExist: true, timeout: 5000 });
    try {
      await source.backup(target, { progress: () => 0x7fffffff });
    } finally {
      source.close();
    }
    // One self-contained file: no -wal beside it, whatever the source's journal mode.
    const copy = new SQLite(target);
    copy.pragma("journal_mode = DELETE");
    copy.close();

    const uploadsTarget = path.join(partial, UPLOADS_FOLDER);
    fs.mkdirSync(uploadsTarget, { recursive: true });
    const uploads: FileEntry[] = [];
    for (const relative of listFiles(options.uploadsDir)) {
      fs.mkdirSync(path.dirname(path.join(uploadsTarget, relative)), { recursive: true });
      try {
        fs.copyFileSync(path.join(options.uploadsDir, relative), path.join(uploadsTarget, relative));
      } catch (error) {
        // A file removed while we copy (a failed upload cleaning up) belongs to no row.
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw error;
      }
      uploads.push(entryFor(uploadsTarget, relative));
    }

    const facts = await inspect(target);
    if (facts.integrityCheck !== "ok") throw new Error(`The copy failed integrity_check: ${facts.integrityCheck}`);
    if (facts.auditProblem) throw new Error(`The copy's audit chain is ${facts.auditProblem}`);
    const manifest: Manifest = {
      format: 1,
      createdAt: now.toISOString(),
      source: { databasePath: path.resolve(options.databasePath), uploadsDir: path.resolve(options.uploadsDir) },
      database: { ...entryFor(partial, DATABASE_FILE), integrityCheck: facts.integrityCheck, tables: facts.tables },
      audit: facts.audit,
      uploads,
    };
    fs.writeFileSync(path.join(partial, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    fs.renameSync(partial, dir);
    return { dir, manifest };
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** Thrown when a restore is refused; the message says why in plain words. */
export class RestoreRefused extends Error {}

/** True when another process has the database open (a running portal): an exclusive lock cannot be had. */
export function isDatabaseInUse(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const probe = new SQLite(file, { fileMustExist: true, timeout: 0 });
  try {
    probe.pragma("locking_mode = EXCLUSIVE");
    probe.exec("BEGIN EXCLUSIVE");
    probe.exec("COMMIT");
    return false;
  } catch (error) {
    // Anything else (a damaged file, the reason for a restore) is not another process holding it.
    return (error as { code?: string }).code === "SQLITE_BUSY";
  } finally {
    probe.close();
  }
}

/** Reads a backup folder's manifest and checks every file against it. Throws RestoreRefused naming the first problem. */
export function checkBackupFiles(backupDir: string): Manifest {
  const manifestFile = path.join(backupDir, MANIFEST);
  if (!fs.existsSync(manifestFile)) throw new RestoreRefused(`${backupDir} is not a finished backup: it has no ${MANIFEST}.`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as Manifest;
  if (manifest.format !== 1) throw new RestoreRefused(`${manifestFile} is in a format this version does not know (${String(manifest.format)}).`);
  const check = (root: string, entry: FileEntry) => {
    const full = path.join(root, entry.path);
    if (!fs.existsSync(full)) throw new RestoreRefused(`The backup is missing ${path.relative(backupDir, full)}.`);
    if (sha256File(full) !== entry.sha256)
      throw new RestoreRefused(`${path.relative(backupDir, full)} does not match its sha256 in the manifest: the backup is damaged.`);
  };
  check(backupDir, manifest.database);
  for (const entry of manifest.uploads) check(path.join(backupDir, UPLOADS_FOLDER), entry);
  return manifest;
}

export interface RestoreOptions {
  backupDir: string;
  databasePath: string;
  uploadsDir: string;
  /** Replace an existing database (it is kept beside the new one, named …before-restore-<time>). */
  force?: boolean;
  now?: Date;
}

export interface RestoreResult {
  manifest: Manifest;
  /** Where the database and uploads that were replaced were kept, if there were any. */
  keptDatabase: string | null;
  keptUploads: string | null;
  /** People erased in the replaced database but not in the backup: the backup still holds their data, so erase them again. */
  erasedSinceBackup: string[];
}

/** The user ids a database's audit trail records as erased (decision 0022); none when it has no such events. */
function erasedPeople(file: string): Set<string> {
  const raw = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    return new Set(raw.prepare("select entity_id from audit_event where action = 'person.erased'").pluck().all() as string[]);
  } catch {
    return new Set();
  } finally {
    raw.close();
  }
}

/**
 * Restores a backup folder. Everything is checked before anything is replaced:
 * the files against the manifest, then integrity_check and the audit chain of
 * a temporary copy beside the target. The copy then takes the target's place
 * by rename (atomic), after stale -wal and -shm files are removed. Refuses
 * while a server has the database open, and to replace one without `force`.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const manifest = checkBackupFiles(options.backupDir);
  const target = path.resolve(options.databasePath);
  const uploadsDir = path.resolve(options.uploadsDir);
  const exists = fs.existsSync(target);
  if (exists && !options.force) throw new RestoreRefused(`${target} already exists. Add --force to replace it (the current file is kept beside it).`);
  if (isDatabaseInUse(target)) throw new RestoreRefused(`${target} is open in another process: stop the portal first.`);

  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.restore-${process.pid}.tmp`;
  const uploadsTemporary = `${uploadsDir}.restore-${process.pid}.tmp`;
  const clean = () => {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(temporary + suffix, { force: true });
    fs.rmSync(uploadsTemporary, { recursive: true, force: true });
  };
  clean();
  try {
    fs.copyFileSync(path.join(options.backupDir, DATABASE_FILE), temporary);
    const facts = await inspect(temporary);
    if (facts.integrityCheck !== "ok") throw new RestoreRefused(`The backup's database failed integrity_check: ${facts.integrityCheck}`);
    if (facts.auditProblem) throw new RestoreRefused(`The backup's audit chain is ${facts.auditProblem}`);
    if (facts.audit.headHash !== manifest.audit.headHash) throw new RestoreRefused("The backup's audit head hash differs from its manifest.");
    fs.cpSync(path.join(options.backupDir, UPLOADS_FOLDER), uploadsTemporary, { recursive: true });
    const when = stamp(options.now ?? new Date());
    let keptDatabase: string | null = null;
    if (exists) {
      // The replaced database is kept whole (its WAL folded in) through the backup API, not a bare file copy.
      keptDatabase = `${target}.before-restore-${when}`;
      try {
        const old = new SQLite(target, { fileMustExist: true });
        try {
          await old.backup(keptDatabase, { progress: () => 0x7fffffff });
        } finally {
          old.close();
        }
        const kept = new SQLite(keptDatabase);
        kept.pragma("journal_mode = DELETE");
        kept.close();
      } catch {
        // The database being replaced may be the damaged one: keep its files as they are.
        for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(keptDatabase + suffix, { force: true });
        for (const suffix of ["", "-wal", "-shm"]) if (fs.existsSync(target + suffix)) fs.copyFileSync(target + suffix, keptDatabase + suffix);
      }
    }
    for (const suffix of ["-wal", "-shm", "-journal"]) fs.rmSync(target + suffix, { force: true });
    fs.renameSync(temporary, target);

    let keptUploads: string | null = null;
    if (fs.existsSync(uploadsDir)) {
      keptUploads = `${uploadsDir}.before-restore-${when}`;
      fs.renameSync(uploadsDir, keptUploads);
    }
    fs.mkdirSync(path.dirname(uploadsDir), { recursive: true });
    fs.renameSync(uploadsTemporary, uploadsDir);
    const inBackup = erasedPeople(target);
    const erasedSinceBackup = keptDatabase ? [...erasedPeople(keptDatabase)].filter((id) => !inBackup.has(id)) : [];
    return { manifest, keptDatabase, keptUploads, erasedSinceBackup };
  } finally {
    clean();
  }
}

import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { inTransaction, type DB } from "./client";
import { isPostgres } from "./dialect";

/**
 * Where uploaded files' bytes are kept (issue 14; docs/decisions/0054). Two
 * stores behind one interface:
 *
 * - "disk": a file per upload in UPLOADS_DIR, as the portal always did. The
 *   default on SQLite, so the quick start and db:backup are unchanged.
 * - "database": a row in stored_file. The default on PostgreSQL, so every app
 *   server sees every file and the database's backups carry the files too.
 *
 * FILE_STORAGE=disk|database overrides the default (disk on PostgreSQL needs
 * a folder every server shares). Stored names are ours: random, URL-safe, no
 * slashes. Blobs are a Buffer on both databases; the conversion is here.
 */
export type FileStorage = "disk" | "database";

export interface FileStore {
  readonly storage: FileStorage;
  /** Keeps the bytes under a new stored name and returns it. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes, or null when nothing is stored under that name. */
  get(storedName: string): Promise<Buffer | null>;
  /** Forgets the bytes; nothing happens when there are none. */
  remove(storedName: string): Promise<void>;
}

export class NotAStoredName extends Error {
  constructor() {
    super("That file name is not one we stored.");
  }
}

const STORED_NAME = /^[A-Za-z0-9_-]{16,64}$/;

/** A new stored name: 24 random bytes, 32 URL-safe characters. */
export const newStoredName = (): string => randomBytes(24).toString("base64url");

function checkedName(storedName: string): string {
  if (!STORED_NAME.test(storedName)) throw new NotAStoredName();
  return storedName;
}

/** The bytes as the database drivers take a blob: a Buffer over the same memory, not a copy. */
const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/** The store used unless FILE_STORAGE says otherwise: the database on PostgreSQL, the disk on SQLite. */
export function chooseFileStorage(db: DB, setting?: FileStorage): FileStorage {
  return setting ?? (isPostgres(db) ? "database" : "disk");
}

/** Today's store: one file per upload in `dir`, readable only by the portal's user. */
export function diskFileStore(dir: string): FileStore & { pathOf(storedName: string): string } {
  const root = path.resolve(dir);
  const pathOf = (storedName: string) => path.join(root, checkedName(storedName));
  return {
    storage: "disk",
    pathOf,
    async put(bytes) {
      const storedName = newStoredName();
      await fs.mkdir(root, { recursive: true });
      await fs.writeFile(pathOf(storedName), bytes, { flag: "wx", mode: 0o600 });
      return storedName;
    },
    async get(storedName) {
      try {
        return await fs.readFile(pathOf(storedName));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async remove(storedName) {
      await fs.rm(pathOf(storedName), { force: true });
    },
  };
}

/** Writes one stored_file row; `db` may be a transaction, which the row then belongs to. */
export async function insertStoredFile(db: DB, storedName: string, bytes: Uint8Array, now = new Date().toISOString()): Promise<void> {
  await db
    .insertInto("stored_file")
    .values({ stored_name: checkedName(storedName), bytes: asBuffer(bytes), byte_size: bytes.byteLength, created_at: now })
    .execute();
}

/** The stored_file table on this handle (a row is technical bookkeeping: the attachment or award_file row naming it is audited). */
export function databaseFileStore(db: DB): FileStore {
  return {
    storage: "database",
    async put(bytes) {
      const storedName = newStoredName();
      await insertStoredFile(db, storedName, bytes);
      return storedName;
    },
    async get(storedName) {
      const row = await db.selectFrom("stored_file").select("bytes").where("stored_name", "=", checkedName(storedName)).executeTakeFirst();
      return row ? asBuffer(row.bytes) : null;
    },
    async remove(storedName) {
      await db.deleteFrom("stored_file").where("stored_name", "=", checkedName(storedName)).execute();
    },
  };
}

export function openFileStore(db: DB, options: { storage?: FileStorage; uploadsDir: string }): FileStore {
  return chooseFileStorage(db, options.storage) === "database" ? databaseFileStore(db) : diskFileStore(options.uploadsDir);
}

/**
 * Keeps uploaded files and records them in one write transaction; `record`
 * gets the transaction and a stored name per file (in order) and writes the
 * rows that name them. The two stores keep the same promise, that no file is
 * kept without its row:
 *
 * - disk: the files are written before the transaction (no slow disk work
 *   while the write lock is held) and removed again if it fails;
 * - database: the bytes are inserted in the same transaction, so they commit
 *   or roll back with the rows; before the portal's write lock is taken on
 *   PostgreSQL (a new random key needs no lock, and 10 MB takes a while), so
 *   other servers' writes do not wait for an upload.
 */
export async function keepFiles<T>(db: DB, store: FileStore, files: readonly Uint8Array[], record: (trx: DB, storedNames: string[]) => Promise<T>): Promise<T> {
  if (store.storage === "database") {
    const storedNames = files.map(() => newStoredName());
    const insertBytes = async (trx: DB) => {
      const now = new Date().toISOString();
      for (const [i, bytes] of files.entries()) await insertStoredFile(trx, storedNames[i]!, bytes, now);
    };
    return inTransaction(db, (trx) => record(trx, storedNames), { beforeLock: insertBytes });
  }
  const storedNames: string[] = [];
  try {
    for (const bytes of files) storedNames.push(await store.put(bytes));
    return await inTransaction(db, (trx) => record(trx, storedNames));
  } catch (error) {
    await Promise.all(storedNames.map((name) => store.remove(name)));
    throw error;
  }
}

/** The columns that name stored files: what db:copy carries from UPLOADS_DIR into stored_file. */
export const FILE_COLUMNS = [
  { table: "attachment", column: "stored_name" },
  { table: "award_file", column: "stored_name" },
] as const;

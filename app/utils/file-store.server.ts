import type { DB } from "../../db/client";
import { keepFiles, openFileStore, type FileStore } from "../../db/file-store";
import { getEnv } from "./env.server";

/** The uploaded-files store for this handle: FILE_STORAGE, else the database on PostgreSQL and UPLOADS_DIR on SQLite (docs/decisions/0054). */
export function fileStore(db: DB): FileStore {
  const env = getEnv();
  return openFileStore(db, { storage: env.FILE_STORAGE, uploadsDir: env.UPLOADS_DIR });
}

/** Keeps uploaded files and writes the rows naming them in one write transaction (db/file-store.ts keepFiles). */
export function keepUploadedFiles<T>(db: DB, files: readonly Uint8Array[], record: (trx: DB, storedNames: string[]) => Promise<T>): Promise<T> {
  return keepFiles(db, fileStore(db), files, record);
}

import { createDb, type DB } from "../../db/client";
import { getEnv } from "./env.server";

declare global {
  var __portalDb: { path: string; db: DB } | undefined;
}

/** The process-wide database handle (PostgreSQL when DATABASE_URL is set, else the SQLite file); kept on globalThis so dev rebuilds reuse it. */
export function getDb(): DB {
  const env = getEnv();
  const path = env.DATABASE_URL ?? env.DATABASE_PATH;
  if (!globalThis.__portalDb || globalThis.__portalDb.path !== path) {
    globalThis.__portalDb = { path, db: createDb(path) };
  }
  return globalThis.__portalDb.db;
}

import { createDb, type DB } from "../../db/client";
import { getEnv } from "./env.server";

declare global {
  var __portalDb: { path: string; db: DB } | undefined;
}

/** The process-wide database handle; kept on globalThis so dev rebuilds reuse it. */
export function getDb(): DB {
  const path = getEnv().DATABASE_PATH;
  if (!globalThis.__portalDb || globalThis.__portalDb.path !== path) {
    globalThis.__portalDb = { path, db: createDb(path) };
  }
  return globalThis.__portalDb.db;
}

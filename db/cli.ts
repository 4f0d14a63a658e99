import { createDb } from "./client";
import { isPostgresUrl } from "./dialect";

/**
 * The database the scripts work on: DATABASE_URL when it is a postgres:// URL,
 * else the SQLite file DATABASE_PATH, or data/portal.db. `file` names it in
 * messages (a URL without its password).
 */
export function cliTarget() {
  const url = process.env.DATABASE_URL;
  if (isPostgresUrl(url)) return { file: withoutPassword(url), target: url, isPostgres: true };
  const file = process.env.DATABASE_PATH || "data/portal.db";
  return { file, target: file, isPostgres: false };
}

/** Opens the database the scripts work on (cliTarget); a SQLite file is created if missing. */
export function openCliDb() {
  const { file, target, isPostgres } = cliTarget();
  return { file, isPostgres, db: createDb(target) };
}

export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "the DATABASE_URL database";
  }
}

import { createDb } from "./client";

/** Opens the database the scripts work on: DATABASE_PATH, or data/portal.db. */
export function openCliDb() {
  const file = process.env.DATABASE_PATH || "data/portal.db";
  return { file, db: createDb(file) };
}

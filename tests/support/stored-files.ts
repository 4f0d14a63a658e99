import fs from "node:fs";
import type { DB } from "../../db/client";
import { fileStore } from "~/utils/file-store.server";

/**
 * The names of every uploaded file the portal's file store holds, whichever
 * store it is (UPLOADS_DIR on SQLite, the stored_file table on PostgreSQL,
 * docs/decisions/0054), so a test can say "nothing was stored" on both.
 */
export async function storedFileNames(db: DB): Promise<string[]> {
  if (fileStore(db).storage === "database") {
    return (await db.selectFrom("stored_file").select("stored_name").orderBy("stored_name").execute()).map((r) => r.stored_name);
  }
  const dir = process.env.UPLOADS_DIR!;
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

// npm run audit:verify — recomputes the whole audit chain of DATABASE_PATH (default data/portal.db)
// and records the result as the "last full check" the administrator's pages show.
// Exits 0 when intact, 1 naming the first broken event, 2 when the database cannot be read.
import fs from "node:fs";
import { sql } from "kysely";
import { verifyAuditChain } from "~/models/audit.server";
import { verifyWholeAuditChain } from "~/services/audit-checks.server";
import { openCliDb } from "./cli";

const file = process.env.DATABASE_PATH || "data/portal.db";
if (!fs.existsSync(file)) {
  console.error(`No database at ${file}.`);
  process.exit(2);
}
const { db } = openCliDb();
try {
  // A database from before the checkpoints (migration 2026_12_01_1750) is checked without recording it.
  const hasCheckpoints = (await sql`select 1 from sqlite_master where type = 'table' and name = 'audit_checkpoint'`.execute(db)).rows.length > 0;
  const status = hasCheckpoints ? await verifyWholeAuditChain(db) : await verifyAuditChain(db);
  if (status.ok) {
    console.log(`Audit chain intact: ${status.count} events. Head hash ${status.headHash}`);
  } else {
    console.error(`Audit chain BROKEN at event ${status.brokenAtId} (position ${status.position}): ${status.reason}.`);
    process.exitCode = 1;
  }
} finally {
  await db.destroy();
}

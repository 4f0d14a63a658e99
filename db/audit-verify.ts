// npm run audit:verify — recomputes the whole audit chain of the portal's database (DATABASE_URL when it is a
// postgres:// URL, else DATABASE_PATH, default data/portal.db) and records the result as the "last full check"
// the administrator's pages show. Exits 0 when intact, 1 naming the first broken event, 2 when the database cannot be read.
import fs from "node:fs";
import { verifyAuditChain } from "~/models/audit.server";
import { verifyWholeAuditChain } from "~/services/audit-checks.server";
import { cliTarget, openCliDb } from "./cli";
import { portalTables } from "./dialect";

const { file, isPostgres } = cliTarget();
if (!isPostgres && !fs.existsSync(file)) {
  console.error(`No database at ${file}.`);
  process.exit(2);
}
const { db } = openCliDb();
try {
  // A database from before the checkpoints (migration 2026_12_01_1750) is checked without recording it.
  const hasCheckpoints = (await portalTables(db)).some((table) => table.name === "audit_checkpoint");
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

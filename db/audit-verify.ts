// npm run audit:verify — recomputes the audit chain of DATABASE_PATH (default data/portal.db).
// Exits 0 when intact, 1 naming the first broken event, 2 when the database cannot be read.
import fs from "node:fs";
import { verifyAuditChain } from "~/models/audit.server";
import { openCliDb } from "./cli";

const file = process.env.DATABASE_PATH || "data/portal.db";
if (!fs.existsSync(file)) {
  console.error(`No database at ${file}.`);
  process.exit(2);
}
const { db } = openCliDb();
try {
  const status = await verifyAuditChain(db);
  if (status.ok) {
    console.log(`Audit chain intact: ${status.count} events. Head hash ${status.headHash}`);
  } else {
    console.error(`Audit chain BROKEN at event ${status.brokenAtId} (position ${status.position}): ${status.reason}.`);
    process.exitCode = 1;
  }
} finally {
  await db.destroy();
}

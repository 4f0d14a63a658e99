// npm run db:reset — deletes the database file and recreates it with fresh demo data.
// Stop the server first: it keeps the file open.
import fs from "node:fs";
import { migrateToLatest } from "./client";
import { cliTarget, openCliDb } from "./cli";
import { seedDemo } from "./demo-data";
import { decidePortalMode } from "~/domain/portal-mode";

const decision = decidePortalMode(process.env);
if (decision.mode === "deployment") {
  console.error(`Not resetting: this is a deployment (${decision.reason}). db:reset deletes the database and writes the demo.`);
  process.exit(1);
}
const { file, isPostgres } = cliTarget();
if (isPostgres) {
  console.error("Not resetting: db:reset deletes a SQLite file. For PostgreSQL, drop and recreate the database, then run npm run db:seed.");
  process.exit(1);
}
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
const { db } = openCliDb();
await migrateToLatest(db);
await seedDemo(db);
console.log(`Reset ${file}: fresh schema and demo data.`);
await db.destroy();

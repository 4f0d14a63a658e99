// npm run db:reset — deletes the database file and recreates it with fresh demo data.
// Stop the server first: it keeps the file open.
import fs from "node:fs";
import { migrateToLatest } from "./client";
import { openCliDb } from "./cli";
import { seedDemo } from "./demo-data";

const file = process.env.DATABASE_PATH || "data/portal.db";
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
const { db } = openCliDb();
await migrateToLatest(db);
await seedDemo(db);
console.log(`Reset ${file}: fresh schema and demo data.`);
await db.destroy();

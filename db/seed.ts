// npm run db:seed — writes the demo data into an empty database (migrating it first).
import { migrateToLatest } from "./client";
import { openCliDb } from "./cli";
import { isDatabaseEmpty, seedDemo } from "./demo-data";
import { decidePortalMode } from "~/domain/portal-mode";

const decision = decidePortalMode(process.env);
if (decision.mode === "deployment") {
  console.error(`Not writing demo data: this is a deployment (${decision.reason}). Demo accounts have published passwords.`);
  process.exit(1);
}
const { file, db } = openCliDb();
await migrateToLatest(db);
if (await isDatabaseEmpty(db)) {
  await seedDemo(db);
  console.log(`Demo data written to ${file}.`);
} else {
  console.log(`${file} already has data; nothing written. Use npm run db:reset to start again.`);
}
await db.destroy();

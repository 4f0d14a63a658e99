// npm run db:migrate — brings DATABASE_PATH (default data/portal.db) to the latest schema.
import { migrateToLatest } from "./client";
import { openCliDb } from "./cli";

const { file, db } = openCliDb();
const applied = await migrateToLatest(db);
console.log(applied.length ? `Applied to ${file}: ${applied.join(", ")}` : `${file} is already up to date.`);
await db.destroy();

import { migrateToLatest, type DB } from "../../db/client";
import { isDatabaseEmpty, seedDemo } from "../../db/demo-data";

/** Brings the schema up to date and, on a fresh database, writes the demo data. */
export async function bootstrapDatabase(db: DB): Promise<{ migrated: string[]; seeded: boolean }> {
  const migrated = await migrateToLatest(db);
  const seeded = await isDatabaseEmpty(db);
  if (seeded) await seedDemo(db);
  return { migrated, seeded };
}

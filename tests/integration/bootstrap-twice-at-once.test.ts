import { expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { bootstrapDatabase } from "~/services/bootstrap.server";
import { getDb } from "~/utils/db.server";
import { countOf } from "../factories";

// Two servers started at once on one new database (issue 14) both find it empty
// before either has written anything. One writes the demo data; the other finds
// it inside its own write transaction and writes nothing, where it used to fail
// on a duplicate user and stop. On PostgreSQL (INTEGRATION_ON_POSTGRES=1) the two
// run on two pooled connections; on SQLite they queue for the one connection.

it("two bootstraps at once on an empty database write the demo data once, and neither fails", async () => {
  expect(await countOf("user")).toBe(0);
  const demo = { mode: "demo", reason: "test" } as const;
  const results = await Promise.all([bootstrapDatabase(getDb(), demo), bootstrapDatabase(getDb(), demo)]);
  expect(results.map((r) => r.seeded).sort()).toEqual([false, true]);
  const admins = await getDb().selectFrom("user").select("id").where("email", "=", DEMO_ACCOUNTS[0]!.email).execute();
  expect(admins).toHaveLength(1);
  expect(results.every((r) => r.demoAccounts > 0)).toBe(true);
  expect(await getDb().selectFrom("fund").select("id").execute()).not.toHaveLength(0);
}, 120_000);

import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, inject } from "vitest";
import { createPostgresTestSchema, type PostgresTestSchema } from "./postgres";

// A fresh copy of the migrated template for every test file, before any app
// module opens the database (getDb reads DATABASE_PATH on first use).
const template = inject("templateDb");
const file = path.join(path.dirname(template), `test-${randomUUID()}.db`);
fs.copyFileSync(template, file);
process.env.DATABASE_PATH = file;
// The integration suite runs on SQLite, even in a shell that exports DATABASE_URL. Opt-in, not yet in CI (issue 14):
// INTEGRATION_ON_POSTGRES=1 with TEST_DATABASE_URL gives each test file a fresh, migrated PostgreSQL schema instead.
let postgres: PostgresTestSchema | undefined;
const postgresBase = process.env.INTEGRATION_ON_POSTGRES === "1" ? process.env.TEST_DATABASE_URL : undefined;
if (process.env.INTEGRATION_ON_POSTGRES === "1" && !postgresBase) {
  throw new Error("INTEGRATION_ON_POSTGRES=1 needs TEST_DATABASE_URL: start one with `eval $(scripts/postgres-for-tests.sh)`.");
}
if (postgresBase) {
  postgres = await createPostgresTestSchema(postgresBase, "it");
  process.env.DATABASE_URL = postgres.url;
} else {
  delete process.env.DATABASE_URL;
}
process.env.NODE_ENV = "test";
// Cheap password hashes: a sign-in test costs milliseconds, not a production
// scrypt (0.4 s quiet, 3 s under load). tests/unit/password.test.ts checks the real cost.
process.env.SCRYPT_TEST_LOG2N = "12";
process.env.APP_URL = "http://localhost";
delete process.env.SMTP_URL;

afterAll(async () => {
  await globalThis.__portalDb?.db.destroy();
  globalThis.__portalDb = undefined;
  await postgres?.drop();
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
});

import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, inject } from "vitest";

// A fresh copy of the migrated template for every test file, before any app
// module opens the database (getDb reads DATABASE_PATH on first use).
const template = inject("templateDb");
const file = path.join(path.dirname(template), `test-${randomUUID()}.db`);
fs.copyFileSync(template, file);
process.env.DATABASE_PATH = file;
// The integration suite runs on SQLite for now, even in a shell that exports DATABASE_URL (issue 14).
delete process.env.DATABASE_URL;
process.env.NODE_ENV = "test";
// Cheap password hashes: a sign-in test costs milliseconds, not a production
// scrypt (0.4 s quiet, 3 s under load). tests/unit/password.test.ts checks the real cost.
process.env.SCRYPT_TEST_LOG2N = "12";
process.env.APP_URL = "http://localhost";
delete process.env.SMTP_URL;

afterAll(async () => {
  await globalThis.__portalDb?.db.destroy();
  globalThis.__portalDb = undefined;
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
});

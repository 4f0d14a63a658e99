// npm run bench — speed measurements that would be flaky as timed unit tests.
// Each figure is printed as "name: value unit"; nothing here asserts.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { hashPassword, verifyPassword } from "~/auth/password.server";
import { appendAuditEvent, verifyAuditChain } from "~/models/audit.server";
import { createDb, inTransaction, migrateToLatest } from "../db/client";

const results: [string, string][] = [];
const record = (name: string, value: number, unit: string) => {
  results.push([name, `${value.toFixed(1)} ${unit}`]);
  console.log(`${name}: ${value.toFixed(1)} ${unit}`);
};

async function timeIt(fn: () => Promise<unknown>, runs: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < runs; i += 1) await fn();
  return (performance.now() - start) / runs;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-bench-"));

// Password hashing (scrypt N=2^17, r=8, p=1).
record("password hash (mean of 5)", await timeIt(() => hashPassword("a reasonably long passphrase"), 5), "ms");
const stored = await hashPassword("a reasonably long passphrase");
record("password verify (mean of 5)", await timeIt(() => verifyPassword("a reasonably long passphrase", stored), 5), "ms");

// Audit chain: append 10,000 events, then verify them all.
{
  const db = createDb(path.join(dir, "audit.db"));
  await migrateToLatest(db);
  const n = 10_000;
  const start = performance.now();
  for (let i = 0; i < n; i += 100) {
    await inTransaction(db, async (trx) => {
      for (let j = 0; j < 100; j += 1) {
        await appendAuditEvent(trx, { actor: "bench", action: "bench.event", entityType: "bench", entityId: String(i + j), after: { i: i + j } });
      }
    });
  }
  record("audit append (per event, batches of 100)", (performance.now() - start) / n, "ms");
  const verifyStart = performance.now();
  const status = await verifyAuditChain(db);
  record(`audit verify of ${status.count} events`, performance.now() - verifyStart, "ms");
  await db.destroy();
}

// Cold start: a fresh database (migrate + demo seed) to the first page served.
const buildFile = path.resolve("build/index.js");
if (!fs.existsSync(buildFile) || !fs.readFileSync(buildFile, "utf8").includes('mode = "production"')) {
  spawnSync("npx", ["remix", "build"], { stdio: "ignore", env: { ...process.env, NODE_ENV: "production" } });
}
{
  const port = 3900 + Math.floor(Math.random() * 50);
  const start = performance.now();
  const child = spawn(process.execPath, ["server.js"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), DATABASE_PATH: path.join(dir, "cold.db") },
    stdio: "ignore",
  });
  let isServed = false;
  try {
    for (let tries = 0; tries < 1200 && !isServed; tries += 1) {
      try {
        const res = await fetch(`http://localhost:${port}/login`);
        if (res.ok) {
          record("cold start to first page (fresh database, demo seed)", performance.now() - start, "ms");
          isServed = true;
        }
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    child.kill();
  }
  if (!isServed) console.log("cold start: the server did not answer within 60 s");
}

fs.rmSync(dir, { recursive: true, force: true });

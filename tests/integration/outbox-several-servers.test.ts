import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimPendingEmails, queueEmail, renewEmailClaim } from "~/models/outbox.server";
import { deliverOutbox, type MailTransport } from "~/services/mailer.server";
import { createDb, migrateToLatest, type DB } from "../../db/client";
import { createPostgresTestSchema, type PostgresTestSchema } from "../support/postgres";
import { postgresUrlOrSkip } from "../support/postgres-skip";

// Issue 14, docs/decisions/0052: several app servers on one database deliver one outbox, each email once.
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FROM = "Grant portal <no-reply@portal.invalid>";
const QUEUED = 200;

/** A stand-in for nodemailer's transport that records what it is asked to send (and by which server), taking a moment over each. */
function recordingTransport(sends: { id: string; server: string }[], server: string): MailTransport {
  return {
    async sendMail(mail) {
      sends.push({ id: /^<([^@]+)@/.exec(mail.messageId)![1]!, server });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
    },
  };
}

/** Marks everything already waiting as sent, so each test delivers only its own emails. */
async function clearOutbox(db: DB) {
  await db.updateTable("email_outbox").set({ sent_at: new Date().toISOString(), claimed_by: null, claimed_until: null }).where("sent_at", "is", null).execute();
}

async function queueMany(db: DB, count: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) ids.push(await queueEmail(db, { to: `${prefix}${i}@example.test`, subject: `Email ${i}`, text: `Body ${i}` }));
  return ids;
}

/** Every queued email sent exactly once, and its row marked sent after one attempt, with no claim left. */
async function expectEachSentOnce(db: DB, ids: string[], sentIds: string[]) {
  expect(sentIds.length).toBe(ids.length);
  expect([...sentIds].sort()).toEqual([...ids].sort());
  const rows = await db.selectFrom("email_outbox").select(["id", "sent_at", "attempts", "claimed_by", "claimed_until"]).where("id", "in", ids).execute();
  expect(rows).toHaveLength(ids.length);
  expect(rows.filter((r) => r.sent_at === null || r.attempts !== 1 || r.claimed_by !== null || r.claimed_until !== null)).toEqual([]);
}

/** One server's delivery loop: rounds of small batches until nothing is left for it to claim. */
async function deliverUntilEmpty(db: DB, transport: MailTransport, claimant: string) {
  for (;;) {
    const round = await deliverOutbox(db, transport, FROM, { claimant, batchSize: 5 });
    if (round.sent + round.failed === 0) return;
  }
}

async function expectCrashedClaimRetried(first: DB, second: DB) {
  await clearOutbox(first);
  const ids = await queueMany(first, 3, `crash-${randomUUID().slice(0, 6)}-`);
  // The first server claims them with a short lease and dies before sending: nothing marks them.
  const claimed = await claimPendingEmails(first, "crashed-server", { leaseMs: 400 });
  expect(claimed.map((e) => e.id).sort()).toEqual([...ids].sort());

  const sends: { id: string; server: string }[] = [];
  const transport = recordingTransport(sends, "second");
  expect(await deliverOutbox(second, transport, FROM, { claimant: "second-server" })).toEqual({ sent: 0, failed: 0 });
  expect(sends).toEqual([]);

  await new Promise((resolve) => setTimeout(resolve, 600));
  expect(await deliverOutbox(second, transport, FROM, { claimant: "second-server" })).toEqual({ sent: 3, failed: 0 });
  await expectEachSentOnce(
    second,
    ids,
    sends.map((s) => s.id),
  );
  // The dead server's claim, had it come back to life, is no longer its own: it would not send.
  expect(await renewEmailClaim(first, ids[0]!, "crashed-server")).toBe(false);
}

describe("the outbox delivered by several servers on PostgreSQL", () => {
  const url = postgresUrlOrSkip();
  if (!url) return;
  let pg: PostgresTestSchema;
  let secondServer: DB;

  beforeAll(async () => {
    pg = await createPostgresTestSchema(url, "outbox");
    secondServer = createDb(pg.url);
  });
  afterAll(async () => {
    await secondServer?.destroy();
    await pg?.drop();
  });

  it(`two servers, three delivery loops each, send ${QUEUED} queued emails each exactly once and mark every one sent`, async () => {
    const ids = await queueMany(pg.db, QUEUED, "many");
    const sends: { id: string; server: string }[] = [];
    await Promise.all(
      [pg.db, secondServer].flatMap((db, server) =>
        [0, 1, 2].map((loop) => deliverUntilEmpty(db, recordingTransport(sends, `server${server}`), `server${server}-loop${loop}`)),
      ),
    );
    await expectEachSentOnce(
      pg.db,
      ids,
      sends.map((s) => s.id),
    );
    // Both servers did part of the work: they really ran at the same time.
    expect(new Set(sends.map((s) => s.server))).toEqual(new Set(["server0", "server1"]));
  });

  it("a claim passes over emails another server has locked, without waiting for it", async () => {
    await clearOutbox(pg.db);
    const ids = await queueMany(pg.db, 20, "locked");
    await pg.db.transaction().execute(async (trx) => {
      // The first server is in the middle of claiming the oldest ten (its rows locked, not yet committed).
      const held = (
        await trx.selectFrom("email_outbox").select("id").where("sent_at", "is", null).orderBy("created_at").orderBy("id").limit(10).forUpdate().execute()
      ).map((r) => r.id);
      expect(held).toHaveLength(10);
      const started = Date.now();
      const claimed = (await claimPendingEmails(secondServer, "second-server", { limit: 10 })).map((e) => e.id);
      expect(Date.now() - started).toBeLessThan(5_000);
      // The other ten: none of the locked ones, and the two together are the whole queue.
      expect(claimed.filter((id) => held.includes(id))).toEqual([]);
      expect([...held, ...claimed].sort()).toEqual([...ids].sort());
    });
  });

  it("emails claimed by a server that dies are sent by another once the claim runs out", async () => {
    await expectCrashedClaimRetried(pg.db, secondServer);
  });
});

describe("the outbox delivered by several server processes on SQLite", () => {
  const file = path.join(os.tmpdir(), `outbox-servers-${randomUUID()}.db`);
  let db: DB;

  beforeAll(async () => {
    db = createDb(file);
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await db?.destroy();
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  });

  /** A server process (tests/support/outbox-delivery-server.ts); resolves with the outbox ids it sent. */
  function startServer(claimant: string) {
    const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["tests/support/outbox-delivery-server.ts", file, claimant], {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const ready = new Promise<void>((resolve) =>
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.startsWith("ready\n")) resolve();
      }),
    );
    const done = new Promise<string[]>((resolve, reject) =>
      child.on("exit", (code) => {
        if (code !== 0) reject(new Error(`${claimant} exited ${code}: ${stderr}`));
        else resolve((JSON.parse(stdout.slice("ready\n".length)) as string[]).map((messageId) => /^<([^@]+)@/.exec(messageId)![1]!));
      }),
    );
    return { child, ready, done };
  }

  it(`two server processes on one SQLite file send ${QUEUED} queued emails each exactly once and mark every one sent`, async () => {
    const ids = await queueMany(db, QUEUED, "sqlite");
    const servers = [startServer("process-a"), startServer("process-b")];
    await Promise.all(servers.map((s) => s.ready));
    for (const s of servers) s.child.stdin.end("go\n");
    const [a, b] = await Promise.all(servers.map((s) => s.done));
    await expectEachSentOnce(db, ids, [...a!, ...b!]);
    expect(a!.length).toBeGreaterThan(0);
    expect(b!.length).toBeGreaterThan(0);
  }, 120_000);

  it("emails claimed by a server that dies are sent by another once the claim runs out", async () => {
    const second = createDb(file);
    try {
      await expectCrashedClaimRetried(db, second);
    } finally {
      await second.destroy();
    }
  });
});

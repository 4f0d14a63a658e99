import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, type DB } from "../../db/client";
import { keepFiles } from "../../db/file-store";
import type { Actor } from "~/domain/permissions";
import { loader as awardFileLoader } from "~/routes/award-files.$fileId";
import { loader as downloadLoader } from "~/routes/attachments.$attachmentId";
import { addAttachment, TOO_MANY } from "~/services/attachments.server";
import { scheduleReports, submitReport } from "~/services/monitoring.server";
import { getDb } from "~/utils/db.server";
import { fileStore } from "~/utils/file-store.server";
import { actorOf, makeAward, makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";
import { createPostgresTestSchema, type PostgresTestSchema } from "../support/postgres";
import { postgresUrlOrSkip } from "../support/postgres-skip";
import { upload } from "../support/stored-files";

// Uploaded files with several app servers (issue 14, docs/decisions/0054): on PostgreSQL the bytes live in the
// database, so a file uploaded through one server downloads through another. "Server A" is the portal's own handle
// (getDb(), what the routes use); "server B" is a second, independent pool on the same database.

const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "portal-pg-uploads-"));
process.env.UPLOADS_DIR = uploads;

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);
const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF");
/** A 10 MB PDF (the largest allowed) whose bytes are not all alike, so a truncated or shifted copy would show. */
function largePdf(): Uint8Array {
  const bytes = new Uint8Array(10 * 1024 * 1024);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 7919) % 251;
  bytes.set(PDF);
  return bytes;
}

describe("uploaded files on PostgreSQL, with several app servers", () => {
  const url = postgresUrlOrSkip();
  if (!url) return;
  let pg: PostgresTestSchema;
  let serverA: DB;
  let serverB: DB;
  const savedUrl = process.env.DATABASE_URL;
  const savedStorage = process.env.FILE_STORAGE;

  beforeAll(async () => {
    pg = await createPostgresTestSchema(url, "files");
    process.env.DATABASE_URL = pg.url;
    delete process.env.FILE_STORAGE;
    serverA = getDb();
    serverB = pg.db;
  });
  afterAll(async () => {
    await globalThis.__portalDb?.db.destroy();
    globalThis.__portalDb = undefined;
    if (savedUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = savedUrl;
    if (savedStorage !== undefined) process.env.FILE_STORAGE = savedStorage;
    await pg?.drop();
    fs.rmSync(uploads, { recursive: true, force: true });
  });

  /** Runs a route as server B would: the portal's handle is B's pool for the length of `fn`. */
  async function onServerB<T>(fn: () => Promise<T>): Promise<T> {
    const own = globalThis.__portalDb!;
    globalThis.__portalDb = { path: own.path, db: serverB };
    try {
      return await fn();
    } finally {
      globalThis.__portalDb = own;
    }
  }

  const storedCount = async (db: DB) =>
    Number(
      (
        await db
          .selectFrom("stored_file")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function owner() {
    const lead = await makeOrganisation({ kind: "lead_org" });
    const group = await makeDecisionGroup({ leadOrganisationId: lead.id });
    const org = await makeOrganisation();
    const user = await makeUser({ organisationId: org.id });
    const proposal = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, isEmpty: true });
    return { user, proposal, cookie: await sessionCookieFor(user.id) };
  }

  it("keeps files in the database by default, never in UPLOADS_DIR", () => {
    expect(fileStore(serverA).storage).toBe("database");
    expect(fileStore(serverB).storage).toBe("database");
  });

  it("a 10 MB file uploaded through server A downloads through server B byte for byte", async () => {
    const o = await owner();
    const bytes = largePdf();
    expect((await upload(o.proposal.id, o.cookie, { name: "plans.pdf", bytes, type: "application/pdf" })).status).toBe(302);
    const row = await serverB.selectFrom("attachment").selectAll().where("proposal_id", "=", o.proposal.id).executeTakeFirstOrThrow();
    expect(row.size_bytes).toBe(bytes.byteLength);
    const stored = await serverB.selectFrom("stored_file").select(["byte_size"]).where("stored_name", "=", row.stored_name).executeTakeFirstOrThrow();
    expect(stored.byte_size).toBe(bytes.byteLength);
    expect(fs.readdirSync(uploads)).toEqual([]);

    const download = await onServerB(() => runLoader(downloadLoader, getRequest(`/attachments/${row.id}`, { cookie: o.cookie }), { attachmentId: row.id }));
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Type")).toBe("application/pdf");
    expect(download.headers.get("Content-Length")).toBe(String(bytes.byteLength));
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });

  it("monitoring evidence sent through server A downloads through server B", async () => {
    const award = await makeAward({ status: "accepted" });
    const admin = actorOf(await makeUser({ role: "admin" })) as Actor;
    const memberUser = await makeUser({ role: "applicant", organisationId: award.organisationId });
    await scheduleReports(serverA, admin, award.awardId, [{ kind: "progress", dueOn: "2027-01-31" }]);
    const report = await serverA.selectFrom("monitoring_report").select("id").where("award_id", "=", award.awardId).executeTakeFirstOrThrow();
    await submitReport(serverA, actorOf(memberUser) as Actor, report.id, {
      progress: "The roof is on.",
      spend: [],
      outcomes: [],
      files: [
        { name: "roof.png", bytes: PNG },
        { name: "invoice.pdf", bytes: PDF },
      ],
    });
    const files = await serverB.selectFrom("award_file").select(["id", "original_name"]).where("report_id", "=", report.id).orderBy("original_name").execute();
    expect(files.map((f) => f.original_name)).toEqual(["invoice.pdf", "roof.png"]);
    const cookie = await sessionCookieFor(memberUser.id);
    const [invoice, roof] = await onServerB(() =>
      Promise.all(files.map((f) => runLoader(awardFileLoader, getRequest(`/award-files/${f.id}`, { cookie }), { fileId: f.id }))),
    );
    expect(invoice!.status).toBe(200);
    expect(new Uint8Array(await invoice!.arrayBuffer())).toEqual(PDF);
    expect(roof!.headers.get("Content-Type")).toBe("image/png");
    expect(new Uint8Array(await roof!.arrayBuffer())).toEqual(PNG);
  });

  it("two servers adding the fifth and sixth file at once: one is refused inside the transaction, and its bytes are not kept", async () => {
    const o = await owner();
    const actor = actorOf(o.user) as Actor;
    for (let i = 0; i < 4; i += 1) await addAttachment(serverA, actor, o.proposal.id, { name: `quote-${i}.pdf`, bytes: PDF });
    const before = await storedCount(serverA);
    // Both pass the check before the transaction; the write lock lets one in at a time, and the second finds five files.
    const results = await Promise.allSettled([
      addAttachment(serverA, actor, o.proposal.id, { name: "fifth-a.pdf", bytes: PDF }),
      addAttachment(serverB, actor, o.proposal.id, { name: "fifth-b.pdf", bytes: PDF }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(String((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason.message)).toBe(TOO_MANY);
    const rows = await serverA.selectFrom("attachment").select("stored_name").where("proposal_id", "=", o.proposal.id).execute();
    expect(rows).toHaveLength(5);
    expect(await storedCount(serverA)).toBe(before + 1);
    const names = (await serverA.selectFrom("stored_file").select("stored_name").execute()).map((r) => r.stored_name);
    for (const row of rows) expect(names).toContain(row.stored_name);
  });

  it("an upload sends its bytes before it waits for the write lock, so another server's writes never wait for a 10 MB insert", async () => {
    const o = await owner();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let lockTaken!: () => void;
    const taken = new Promise<void>((resolve) => (lockTaken = resolve));
    // Server B holds the portal's write lock, as any write does for its length.
    const writer = inTransaction(serverB, async () => {
      lockTaken();
      await held;
    });
    await taken;
    const uploading = addAttachment(serverA, actorOf(o.user) as Actor, o.proposal.id, { name: "plans.pdf", bytes: largePdf() });
    // Server A's transaction is queued on the advisory lock, and has already written to stored_file (a granted row lock on it).
    const waitingWithBytesSent = async () =>
      Number(
        (
          await sql<{ n: number }>`
            select count(*) as n from pg_locks l join pg_class c on c.oid = l.relation
            where c.relname = 'stored_file' and c.relnamespace = current_schema()::regnamespace and l.mode = 'RowExclusiveLock' and l.granted
              and l.pid in (select pid from pg_locks where locktype = 'advisory' and not granted)`.execute(serverB)
        ).rows[0]?.n,
      );
    try {
      await expect.poll(waitingWithBytesSent, { timeout: 20_000, interval: 50 }).toBe(1);
    } finally {
      release();
    }
    await writer;
    const id = await uploading;
    const row = await serverB.selectFrom("attachment").select("stored_name").where("id", "=", id).executeTakeFirstOrThrow();
    expect((await fileStore(serverB).get(row.stored_name))?.byteLength).toBe(10 * 1024 * 1024);
  });

  it("a transaction that fails after its checks leaves no stored bytes", async () => {
    const before = await storedCount(serverA);
    let named: string[] = [];
    await expect(
      keepFiles(serverA, fileStore(serverA), [PDF, PNG], async (_trx, storedNames) => {
        named = storedNames;
        throw new Error("the row could not be written");
      }),
    ).rejects.toThrow("the row could not be written");
    expect(named).toHaveLength(2);
    expect(await storedCount(serverA)).toBe(before);
    for (const name of named) expect(await fileStore(serverB).get(name)).toBeNull();
  });

  it("removing the bytes on one server removes them for every server; the download is then a 404", async () => {
    const o = await owner();
    expect((await upload(o.proposal.id, o.cookie, { name: "photo.png", bytes: PNG, type: "image/png" })).status).toBe(302);
    const row = await serverA.selectFrom("attachment").selectAll().where("proposal_id", "=", o.proposal.id).executeTakeFirstOrThrow();
    expect(await fileStore(serverB).get(row.stored_name)).toEqual(Buffer.from(PNG));
    await fileStore(serverB).remove(row.stored_name);
    expect(await fileStore(serverA).get(row.stored_name)).toBeNull();
    const download = await runLoader(downloadLoader, getRequest(`/attachments/${row.id}`, { cookie: o.cookie }), { attachmentId: row.id });
    expect(download.status).toBe(404);
  });

  it("a file over 10 MB, or one that is not a document or photo, is refused with the usual message, and nothing is stored", async () => {
    const o = await owner();
    const before = await storedCount(serverA);
    const big = new Uint8Array(11 * 1024 * 1024);
    big.set(PDF);
    const tooBig = await upload(o.proposal.id, o.cookie, { name: "plans.pdf", bytes: big, type: "application/pdf" });
    expect(tooBig.status).toBe(400);
    expect((await tooBig.json()).errors.file).toBe("The file must be 10 MB or smaller");
    const exe = new TextEncoder().encode("MZ\x90\x00This program cannot be run in DOS mode.");
    const wrongType = await upload(o.proposal.id, o.cookie, { name: "quote.pdf", bytes: exe, type: "application/pdf" });
    expect(wrongType.status).toBe(400);
    expect((await wrongType.json()).errors.file).toBe("The file must be a PDF, JPEG, PNG or Word document (.docx)");
    expect(await serverA.selectFrom("attachment").select("id").where("proposal_id", "=", o.proposal.id).execute()).toHaveLength(0);
    expect(await storedCount(serverA)).toBe(before);
  });
});

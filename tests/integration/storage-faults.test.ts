import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { STORAGE_FAULT_MESSAGE } from "../../db/storage-faults";
import { action as attachmentsAction } from "~/routes/proposals.$proposalId.attachments";
import { loader as editLoader } from "~/routes/proposals.$proposalId.edit";
import { action as sectionAction } from "~/routes/proposals.$proposalId.sections.$section";
import { getDb } from "~/utils/db.server";
import { countOf, makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { onPostgres } from "../support/database";
import { csrfFor, getRequest, ORIGIN, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

// A full disk or a read-only database file: the person gets a plain 503 page saying nothing was
// saved, and nothing partial is kept. Simulated on the app's own connection: PRAGMA query_only
// refuses every write as a read-only file does (SQLITE_READONLY), and PRAGMA max_page_count at the
// file's current size refuses to grow it as a full disk does (SQLITE_FULL). Both are SQLite's own
// pragmas on its one connection, so these tests run on SQLite only; on PostgreSQL the same SQLSTATEs
// (db/storage-faults.ts) come from a read-only standby or a full disk, which these tests do not set up.

const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "portal-faults-uploads-"));
process.env.UPLOADS_DIR = uploads;
afterAll(() => fs.rmSync(uploads, { recursive: true, force: true }));

afterEach(async () => {
  if (onPostgres) return;
  await sql`pragma query_only = off`.execute(getDb());
  await sql`pragma max_page_count = 1073741823`.execute(getDb());
});

async function owner() {
  const lead = await makeOrganisation({ kind: "lead_org" });
  const group = await makeDecisionGroup({ leadOrganisationId: lead.id });
  const org = await makeOrganisation();
  const user = await makeUser({ organisationId: org.id });
  const proposal = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, isEmpty: true });
  return { proposal, userId: user.id, cookie: await sessionCookieFor(user.id) };
}

const save = async (proposalId: string, cookie: string, fields: Record<string, string>) =>
  runAction(sectionAction, await postForm(`/proposals/${proposalId}/sections/about`, { intent: "save", ...fields }, { cookie }), {
    proposalId,
    section: "about",
  });

async function upload(proposalId: string, cookie: string) {
  const { token, cookie: csrfCookie } = await csrfFor();
  const body = new FormData();
  body.append("csrf", token);
  body.append("intent", "upload");
  body.append("file", new Blob([new TextEncoder().encode("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF")], { type: "application/pdf" }), "quote.pdf");
  const request = new Request(`${ORIGIN}/proposals/${proposalId}/attachments`, {
    method: "POST",
    body,
    headers: { Origin: ORIGIN, Cookie: `${csrfCookie}; ${cookie}` },
  });
  return runAction(attachmentsAction, request, { proposalId });
}

const stored = async (proposalId: string) =>
  getDb().selectFrom("proposal").select(["title", "need_evidence", "version", "updated_at"]).where("id", "=", proposalId).executeTakeFirstOrThrow();
const attachmentRows = async () => Number((await sql<{ n: number }>`select count(*) as n from attachment`.execute(getDb())).rows[0]!.n);

async function expectStorageFaultPage(response: Response) {
  expect(response.status).toBe(503);
  expect(response.headers.get("Retry-After")).toBe("300");
  const text = await response.text();
  expect(text).toBe(STORAGE_FAULT_MESSAGE);
  expect(text).toContain("The portal cannot save changes right now, so nothing you sent was saved");
}

describe.skipIf(onPostgres)("a database that cannot be written", () => {
  it("pages still read on a read-only database: the session's last-seen time waits instead of failing the page", async () => {
    const o = await owner();
    // Last seen two minutes ago, so this request would normally write the session's last-seen time.
    const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString();
    await getDb().updateTable("session").set({ last_seen_at: twoMinutesAgo }).where("user_id", "=", o.userId).execute();
    await sql`pragma query_only = on`.execute(getDb());
    const response = await runLoader(editLoader, getRequest(`/proposals/${o.proposal.id}/edit`, { cookie: o.cookie }), { proposalId: o.proposal.id });
    expect(response.status).toBe(200);
    await sql`pragma query_only = off`.execute(getDb());
    const session = await getDb().selectFrom("session").select("last_seen_at").where("user_id", "=", o.userId).executeTakeFirstOrThrow();
    expect(session.last_seen_at).toBe(twoMinutesAgo);
  });

  it("a read-only database answers a form post with 503 and its plain message, and keeps nothing; the same post works once it can write again", async () => {
    const o = await owner();
    const before = await stored(o.proposal.id);
    const events = await countOf("audit_event");
    await sql`pragma query_only = on`.execute(getDb());

    await expectStorageFaultPage(await save(o.proposal.id, o.cookie, { title: "Roof repairs" }));
    expect(await stored(o.proposal.id)).toEqual(before);
    expect(await countOf("audit_event")).toBe(events);

    // An upload writes its file before the transaction: the file goes again when the row cannot be written.
    const rows = await attachmentRows();
    await expectStorageFaultPage(await upload(o.proposal.id, o.cookie));
    expect(await attachmentRows()).toBe(rows);
    expect(fs.readdirSync(uploads)).toEqual([]);

    await sql`pragma query_only = off`.execute(getDb());
    const saved = await save(o.proposal.id, o.cookie, { title: "Roof repairs" });
    expect(saved.status).toBe(302);
    expect((await stored(o.proposal.id)).title).toBe("Roof repairs");
    expect(await countOf("audit_event")).toBe(events + 1);
  });

  it("a full disk answers a form post with 503 and keeps nothing partial, and the connection is usable afterwards", async () => {
    const o = await owner();
    const before = await stored(o.proposal.id);
    const events = await countOf("audit_event");
    // No free pages left inside the file, and the file may not grow: the disk is full.
    await sql`vacuum`.execute(getDb());
    const { page_count } = (await sql<{ page_count: number }>`pragma page_count`.execute(getDb())).rows[0]!;
    await sql.raw(`pragma max_page_count = ${page_count}`).execute(getDb());

    // 10 KB of text (one section's) needs new pages for the proposal row and again for its audit event.
    const long = (label: string) => `${label} `.repeat(4999 / (label.length + 1)).trim();
    const fields = { title: "Roof repairs", summary: "A new roof.", needEvidence: long("leaks"), whatBuilt: long("roof and gutters") };
    await expectStorageFaultPage(await save(o.proposal.id, o.cookie, fields));
    expect(await stored(o.proposal.id)).toEqual(before);
    expect(await countOf("audit_event")).toBe(events);

    await sql`pragma max_page_count = 1073741823`.execute(getDb());
    expect((await save(o.proposal.id, o.cookie, fields)).status).toBe(302);
    expect((await stored(o.proposal.id)).need_evidence).toBe(fields.needEvidence);
    expect(await countOf("audit_event")).toBe(events + 1);
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { isPostgres } from "../../db/dialect";
import { keepFiles, NotAStoredName } from "../../db/file-store";
import type { Actor } from "~/domain/permissions";
import { addAttachment } from "~/services/attachments.server";
import { getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { storedFileResponse } from "~/utils/file-download.server";
import { fileStore } from "~/utils/file-store.server";
import { actorOf, makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";

// The file store's selection rule and its two stores on the portal's database (docs/decisions/0054). On SQLite, the
// default, files stay in UPLOADS_DIR exactly as before; FILE_STORAGE=database keeps them in the SQLite file instead.
// tests/integration/file-store-postgres.test.ts covers PostgreSQL with two app servers.

const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "portal-store-uploads-"));
process.env.UPLOADS_DIR = uploads;
delete process.env.FILE_STORAGE;
afterAll(() => fs.rmSync(uploads, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.FILE_STORAGE;
});

const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF");
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 9, 8, 7, 6]);
const onDisk = () => fs.readdirSync(uploads).sort();
const inDatabase = async () => (await getDb().selectFrom("stored_file").select("stored_name").execute()).map((r) => r.stored_name).sort();

async function owner(): Promise<{ actor: Actor; proposalId: string }> {
  const lead = await makeOrganisation({ kind: "lead_org" });
  const group = await makeDecisionGroup({ leadOrganisationId: lead.id });
  const org = await makeOrganisation();
  const user = await makeUser({ organisationId: org.id });
  const proposal = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, isEmpty: true });
  return { actor: actorOf(user) as Actor, proposalId: proposal.id };
}

const attachmentRow = (id: string) => getDb().selectFrom("attachment").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe.skipIf(isPostgres(getDb()))("uploaded files on SQLite", () => {
  it("by default go to UPLOADS_DIR, one file per upload under its stored name, and nothing to stored_file", async () => {
    expect(fileStore(getDb()).storage).toBe("disk");
    const o = await owner();
    const id = await addAttachment(getDb(), o.actor, o.proposalId, { name: "quote.pdf", bytes: PDF });
    const row = await attachmentRow(id);
    expect(onDisk()).toContain(row.stored_name);
    expect(fs.readFileSync(path.join(uploads, row.stored_name))).toEqual(Buffer.from(PDF));
    expect(await inDatabase()).toEqual([]);
    const download = await storedFileResponse(getDb(), row);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PDF);
  });

  it("on disk, a transaction that fails removes the files written before it", async () => {
    const before = onDisk();
    let named: string[] = [];
    await expect(
      keepFiles(getDb(), fileStore(getDb()), [PDF, PNG], async (_trx, storedNames) => {
        named = storedNames;
        expect(onDisk()).toEqual(expect.arrayContaining(storedNames));
        throw new Error("the row could not be written");
      }),
    ).rejects.toThrow("the row could not be written");
    expect(named).toHaveLength(2);
    expect(onDisk()).toEqual(before);
  });

  it("with FILE_STORAGE=database the bytes go into the SQLite file's stored_file, UPLOADS_DIR is untouched, and the download is the same", async () => {
    process.env.FILE_STORAGE = "database";
    expect(fileStore(getDb()).storage).toBe("database");
    const o = await owner();
    const before = onDisk();
    const id = await addAttachment(getDb(), o.actor, o.proposalId, { name: "photo.png", bytes: PNG });
    const row = await attachmentRow(id);
    expect(await inDatabase()).toContain(row.stored_name);
    const stored = await getDb().selectFrom("stored_file").selectAll().where("stored_name", "=", row.stored_name).executeTakeFirstOrThrow();
    expect(stored.byte_size).toBe(PNG.byteLength);
    expect(onDisk()).toEqual(before);
    const download = await storedFileResponse(getDb(), row);
    expect(download.headers.get("Content-Type")).toBe("image/png");
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG);

    await fileStore(getDb()).remove(row.stored_name);
    expect(await inDatabase()).not.toContain(row.stored_name);
    await expect(storedFileResponse(getDb(), row)).rejects.toMatchObject({ status: 404 });
  });

  it("a name the portal did not make is refused by both stores, and its download is a 404, not a path outside the folder", async () => {
    for (const storage of ["disk", "database"] as const) {
      process.env.FILE_STORAGE = storage;
      await expect(fileStore(getDb()).get("../../etc/passwd")).rejects.toBeInstanceOf(NotAStoredName);
      await expect(
        storedFileResponse(getDb(), { stored_name: "../../etc/passwd", original_name: "x.pdf", mime_type: "application/pdf" }),
      ).rejects.toMatchObject({
        status: 404,
      });
    }
  });

  it("FILE_STORAGE other than disk or database stops the portal with a plain message", () => {
    process.env.FILE_STORAGE = "s3";
    const refused = (() => {
      try {
        getEnv();
        return null;
      } catch (error) {
        return error as { issues?: { path: string[]; message: string }[] };
      }
    })();
    expect(refused?.issues).toEqual([
      expect.objectContaining({ path: ["FILE_STORAGE"], message: 'FILE_STORAGE must be "disk" or "database"; leave it unset for the default' }),
    ]);
  });
});

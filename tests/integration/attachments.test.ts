import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loader as downloadLoader } from "~/routes/attachments.$attachmentId";
import { action as attachmentsAction, loader as attachmentsLoader } from "~/routes/proposals.$proposalId.attachments";
import { getDb } from "~/utils/db.server";
import { fileStore } from "~/utils/file-store.server";
import { auditEventsFor, makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { csrfFor, getRequest, ORIGIN, runAction, runLoader, sessionCookieFor } from "../support/http";
import { storedFileNames, upload } from "../support/stored-files";

const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "portal-uploads-"));
process.env.UPLOADS_DIR = uploads;
afterAll(() => fs.rmSync(uploads, { recursive: true, force: true }));

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);
const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF");

/** A multipart upload as the browser sends it: the token first, the page's one-time submission key, then the file. */

async function owner() {
  const lead = await makeOrganisation({ kind: "lead_org" });
  const group = await makeDecisionGroup({ leadOrganisationId: lead.id });
  const org = await makeOrganisation();
  const user = await makeUser({ organisationId: org.id });
  const proposal = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, isEmpty: true });
  return { group, org, user, proposal, cookie: await sessionCookieFor(user.id) };
}

const rowsFor = (proposalId: string) =>
  getDb().selectFrom("attachment").selectAll().where("proposal_id", "=", proposalId).where("removed_at", "is", null).execute();

/** The files kept, on disk (SQLite) or in the database (INTEGRATION_ON_POSTGRES=1). */
const storedFiles = () => storedFileNames(getDb());

describe("attaching files to a proposal", () => {
  it("a valid PNG is stored outside public/ under a random name, and its owner can download it safely", async () => {
    const o = await owner();
    const response = await upload(o.proposal.id, o.cookie, { name: "site photo.png", bytes: PNG, type: "image/png" });
    expect(response.status).toBe(302);
    const [row] = await rowsFor(o.proposal.id);
    expect(row).toMatchObject({ original_name: "site photo.png", mime_type: "image/png", size_bytes: PNG.byteLength });
    expect(row!.stored_name).not.toContain("png");
    expect(await fileStore(getDb()).get(row!.stored_name)).toEqual(Buffer.from(PNG));
    expect(await auditEventsFor("attachment.added")).toEqual(expect.arrayContaining([expect.objectContaining({ entity_id: row!.id })]));

    const download = await runLoader(downloadLoader, getRequest(`/attachments/${row!.id}`, { cookie: o.cookie }), { attachmentId: row!.id });
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Type")).toBe("image/png");
    expect(download.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(download.headers.get("Content-Disposition")).toBe(`attachment; filename="site photo.png"; filename*=UTF-8''site%20photo.png`);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG);

    const page = await (
      await runLoader(attachmentsLoader, getRequest(`/proposals/${o.proposal.id}/attachments`, { cookie: o.cookie }), { proposalId: o.proposal.id })
    ).json();
    expect(page.attachments).toEqual([expect.objectContaining({ name: "site photo.png" })]);
  });

  it("a file over 10 MB is refused with a 400 and plain message, and nothing is stored", async () => {
    const o = await owner();
    const big = new Uint8Array(11 * 1024 * 1024);
    big.set(PDF);
    const before = (await storedFiles()).length;
    const response = await upload(o.proposal.id, o.cookie, { name: "plans.pdf", bytes: big, type: "application/pdf" });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.file).toBe("The file must be 10 MB or smaller");
    expect(await rowsFor(o.proposal.id)).toHaveLength(0);
    expect(await storedFiles()).toHaveLength(before);
  });

  it("a Windows program renamed .pdf is refused, whatever type the browser claims", async () => {
    const o = await owner();
    const before = (await storedFiles()).length;
    const exe = new TextEncoder().encode("MZ\x90\x00This program cannot be run in DOS mode.");
    const response = await upload(o.proposal.id, o.cookie, { name: "quote.pdf", bytes: exe, type: "application/pdf" });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.file).toBe("The file must be a PDF, JPEG, PNG or Word document (.docx)");
    expect(await rowsFor(o.proposal.id)).toHaveLength(0);
    expect(await storedFiles()).toHaveLength(before);
  });

  it("a sixth file is refused: a proposal has at most five", async () => {
    const o = await owner();
    for (let i = 0; i < 5; i += 1) {
      expect((await upload(o.proposal.id, o.cookie, { name: `quote-${i}.pdf`, bytes: PDF })).status).toBe(302);
    }
    const before = (await storedFiles()).length;
    const response = await upload(o.proposal.id, o.cookie, { name: "one-too-many.pdf", bytes: PDF });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.file).toMatch(/up to 5 files/);
    expect(await rowsFor(o.proposal.id)).toHaveLength(5);
    expect(await storedFiles()).toHaveLength(before);
  });

  it("an upload without the form token is refused before the file is read", async () => {
    const o = await owner();
    const response = await upload(o.proposal.id, o.cookie, { name: "photo.png", bytes: PNG }, { csrf: false });
    expect(response.status).toBe(403);
    expect(await rowsFor(o.proposal.id)).toHaveLength(0);
  });

  it("a removed file is no longer listed or downloadable", async () => {
    const o = await owner();
    await upload(o.proposal.id, o.cookie, { name: "photo.png", bytes: PNG });
    const [row] = await rowsFor(o.proposal.id);
    const { token, cookie: csrfCookie } = await csrfFor();
    const body = new URLSearchParams({ csrf: token, intent: "remove", attachmentId: row!.id });
    const request = new Request(`${ORIGIN}/proposals/${o.proposal.id}/attachments`, {
      method: "POST",
      body,
      headers: { Origin: ORIGIN, Cookie: `${csrfCookie}; ${o.cookie}`, "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect((await runAction(attachmentsAction, request, { proposalId: o.proposal.id })).status).toBe(302);
    expect(await rowsFor(o.proposal.id)).toHaveLength(0);
    expect(await auditEventsFor("attachment.removed")).toHaveLength(1);
    const download = await runLoader(downloadLoader, getRequest(`/attachments/${row!.id}`, { cookie: o.cookie }), { attachmentId: row!.id });
    expect(download.status).toBe(404);
  });

  it("files cannot be added once the proposal has been submitted", async () => {
    const o = await owner();
    await getDb().updateTable("proposal").set({ status: "submitted" }).where("id", "=", o.proposal.id).execute();
    const response = await upload(o.proposal.id, o.cookie, { name: "late.pdf", bytes: PDF });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.file).toMatch(/cannot be added or removed now/);
  });

  it("the lead organisation of the decision group can download the group's file once the group has submitted the proposal", async () => {
    const o = await owner();
    await upload(o.proposal.id, o.cookie, { name: "quote.pdf", bytes: PDF });
    const [row] = await rowsFor(o.proposal.id);
    // While it is the group's own draft, the lead organisation does not see it (issue 8); the group submits it.
    await getDb()
      .updateTable("proposal")
      .set({ status: "submitted", version: 1, submitted_at: new Date().toISOString() })
      .where("id", "=", o.proposal.id)
      .execute();
    const leadOrgId = (
      await getDb().selectFrom("decision_group_lead_org").select("organisation_id").where("decision_group_id", "=", o.group.id).executeTakeFirstOrThrow()
    ).organisation_id;
    const leadUser = await makeUser({ role: "lead_org", organisationId: leadOrgId });
    const download = await runLoader(downloadLoader, getRequest(`/attachments/${row!.id}`, { cookie: await sessionCookieFor(leadUser.id) }), {
      attachmentId: row!.id,
    });
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Type")).toBe("application/pdf");
  });
});

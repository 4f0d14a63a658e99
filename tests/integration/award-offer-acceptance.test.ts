import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loader as homeLoader } from "~/routes/applicant._index";
import { loader as fileLoader } from "~/routes/award-files.$fileId";
import { action as awardAction, loader as awardLoader } from "~/routes/awards.$awardId._index";
import { loader as proposalLoader } from "~/routes/proposals.$proposalId._index";
import { getDb } from "~/utils/db.server";
import { newId } from "~/utils/ids.server";
import { auditEventsFor, makeAward, makeUser } from "../factories";
import { csrfFor, getRequest, ORIGIN, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "portal-award-uploads-"));
process.env.UPLOADS_DIR = uploads;
afterAll(() => fs.rmSync(uploads, { recursive: true, force: true }));

const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF");

async function memberOf(organisationId: string) {
  const user = await makeUser({ organisationId });
  return { user, cookie: await sessionCookieFor(user.id) };
}

const post = async (awardId: string, fields: Record<string, string>, cookie: string) =>
  runAction(awardAction, await postForm(`/awards/${awardId}`, fields, { cookie }), { awardId });

async function sendEvidence(awardId: string, cookie: string, fields: Record<string, string>, file?: { name: string; bytes: Uint8Array }) {
  const { token, cookie: csrfCookie } = await csrfFor();
  const body = new FormData();
  body.append("csrf", token);
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  if (file) body.append("file", new Blob([file.bytes as Uint8Array<ArrayBuffer>]), file.name);
  const request = new Request(`${ORIGIN}/awards/${awardId}`, { method: "POST", body, headers: { Origin: ORIGIN, Cookie: `${csrfCookie}; ${cookie}` } });
  return runAction(awardAction, request, { awardId });
}

const awardRow = (id: string) => getDb().selectFrom("award").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe("the group's award page", () => {
  it("shows the offer and what to do next to a member of the group", async () => {
    const made = await makeAward({ amountPence: 5_000_000, conditions: ["Proof of lease"] });
    const { cookie } = await memberOf(made.organisationId);
    const response = await runLoader(awardLoader, getRequest(`/awards/${made.awardId}`, { cookie }), { awardId: made.awardId });
    expect(response.status).toBe(200);
    const data = await response.json();
    expect(data.award.amount).toBe("£50,000");
    expect(data.nextStep).toMatch(/accept the offer/);
    expect(data.conditions).toHaveLength(1);
  });

  it("is not found for a member of another group, for the page and its actions", async () => {
    const made = await makeAward();
    const other = await makeAward();
    const { cookie } = await memberOf(other.organisationId);
    const page = await runLoader(awardLoader, getRequest(`/awards/${made.awardId}`, { cookie }), { awardId: made.awardId });
    expect(page.status).toBe(404);
    const accept = await post(made.awardId, { intent: "accept", signatoryName: "Eve", signatoryRole: "Chair" }, cookie);
    expect(accept.status).toBe(404);
    expect((await awardRow(made.awardId)).status).toBe("offered");
  });

  it("accepts the offer with the signatory's name and role, audited", async () => {
    const made = await makeAward();
    const { user, cookie } = await memberOf(made.organisationId);
    const response = await post(made.awardId, { intent: "accept", signatoryName: "Amina Yusuf", signatoryRole: "Chair" }, cookie);
    expect(response.status).toBe(302);
    expect(await awardRow(made.awardId)).toMatchObject({ status: "accepted", signatory_name: "Amina Yusuf", signatory_role: "Chair", accepted_by: user.id });
    expect((await auditEventsFor("award.accepted")).map((e) => e.entity_id)).toContain(made.awardId);
  });

  it("refuses acceptance without a signatory name, keeping what was typed", async () => {
    const made = await makeAward();
    const { cookie } = await memberOf(made.organisationId);
    const response = await post(made.awardId, { intent: "accept", signatoryName: "  ", signatoryRole: "Treasurer" }, cookie);
    expect(response.status).toBe(400);
    const data = await response.json();
    expect(data.errors.signatoryName).toMatch(/name of the person signing/);
    expect(data.values.signatoryRole).toBe("Treasurer");
    expect((await awardRow(made.awardId)).status).toBe("offered");
  });

  it("declines with a reason, and refuses to decline without one", async () => {
    const made = await makeAward();
    const { cookie } = await memberOf(made.organisationId);
    const empty = await post(made.awardId, { intent: "decline", reason: "" }, cookie);
    expect(empty.status).toBe(400);
    expect((await empty.json()).errors.reason).toMatch(/why your group is declining/);
    const response = await post(made.awardId, { intent: "decline", reason: "We lost the lease on the hall." }, cookie);
    expect(response.status).toBe(302);
    expect(await awardRow(made.awardId)).toMatchObject({ status: "declined", decline_reason: "We lost the lease on the hall." });
  });

  it("refuses to accept an award twice", async () => {
    const made = await makeAward({ status: "accepted" });
    const { cookie } = await memberOf(made.organisationId);
    const response = await post(made.awardId, { intent: "accept", signatoryName: "Amina", signatoryRole: "Chair" }, cookie);
    expect(response.status).toBe(400);
  });

  it("sends evidence with a file for a condition, which only the group and administrators can download", async () => {
    const made = await makeAward({ status: "accepted", conditions: ["Two quotes for the building work"] });
    const { cookie } = await memberOf(made.organisationId);
    const conditionId = made.conditionIds[0]!;
    const response = await sendEvidence(
      made.awardId,
      cookie,
      { intent: "evidence", conditionId, note: "Two quotes attached." },
      { name: "quotes.pdf", bytes: PDF },
    );
    expect(response.status).toBe(302);
    const condition = await getDb().selectFrom("award_condition").select(["status", "evidence_note"]).where("id", "=", conditionId).executeTakeFirstOrThrow();
    expect(condition).toEqual({ status: "evidence_submitted", evidence_note: "Two quotes attached." });
    const file = await getDb()
      .selectFrom("award_file")
      .select(["id", "condition_id", "mime_type"])
      .where("award_id", "=", made.awardId)
      .executeTakeFirstOrThrow();
    expect(file).toMatchObject({ condition_id: conditionId, mime_type: "application/pdf" });

    const download = await runLoader(fileLoader, getRequest(`/award-files/${file.id}`, { cookie }), { fileId: file.id });
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Disposition")).toMatch(/attachment/);
    const stranger = await memberOf((await makeAward()).organisationId);
    const refused = await runLoader(fileLoader, getRequest(`/award-files/${file.id}`, { cookie: stranger.cookie }), { fileId: file.id });
    expect(refused.status).toBe(404);
  });

  it("refuses evidence without a note, and a file that is not a document or image", async () => {
    const made = await makeAward({ status: "accepted", conditions: ["Planning permission"] });
    const { cookie } = await memberOf(made.organisationId);
    const conditionId = made.conditionIds[0]!;
    const noNote = await sendEvidence(made.awardId, cookie, { intent: "evidence", conditionId, note: "" });
    expect(noNote.status).toBe(400);
    const badFile = await sendEvidence(
      made.awardId,
      cookie,
      { intent: "evidence", conditionId, note: "Here" },
      { name: "x.exe", bytes: new Uint8Array([0x4d, 0x5a, 1, 2]) },
    );
    expect(badFile.status).toBe(400);
    expect((await badFile.json()).errors.file).toMatch(/PDF, JPEG, PNG or Word/);
  });
});

describe("what is due next", () => {
  it("shows the next payment and report with their dates, and the payments received", async () => {
    const made = await makeAward({ status: "accepted", amountPence: 6_000_000 });
    const { user, cookie } = await memberOf(made.organisationId);
    const first = newId();
    await getDb()
      .insertInto("payment_instalment")
      .values([
        { id: first, award_id: made.awardId, position: 1, amount_pence: 3_000_000, due_on: "2027-05-01", released_by: "acceptance", report_id: null },
        { id: newId(), award_id: made.awardId, position: 2, amount_pence: 3_000_000, due_on: "2027-09-01", released_by: "conditions_met", report_id: null },
      ])
      .execute();
    await getDb()
      .insertInto("payment")
      .values({
        id: newId(),
        award_id: made.awardId,
        instalment_id: first,
        amount_pence: 3_000_000,
        paid_on: "2027-05-02",
        reference: "BACS-1",
        status: "paid",
        recorded_by: user.id,
        recorded_at: "2027-05-02T10:00:00.000Z",
        approved_by: null,
        approved_at: null,
      })
      .execute();
    await getDb()
      .insertInto("monitoring_report")
      .values({ id: newId(), award_id: made.awardId, kind: "progress", due_on: "2027-07-01", status: "due" })
      .execute();
    const data = await (await runLoader(awardLoader, getRequest(`/awards/${made.awardId}`, { cookie }), { awardId: made.awardId })).json();
    expect(data.nextPayment).toBe("£30,000, due on 1 September 2027");
    expect(data.nextReport).toBe("1 July 2027");
    expect(data.paidTotal).toBe("£30,000 received of £60,000.");
    expect(data.reports).toEqual([{ id: expect.any(String), kind: "progress", due: "1 July 2027", status: "due" }]);
  });
});

describe("finding the award", () => {
  it("the group's home lists its awards, and the funded proposal links to its award", async () => {
    const made = await makeAward({ amountPence: 4_500_000 });
    const { cookie } = await memberOf(made.organisationId);
    const home = await (await runLoader(homeLoader, getRequest("/applicant", { cookie }))).json();
    expect(home.awards).toEqual([{ id: made.awardId, label: expect.stringContaining("£45,000 (Offered)") }]);
    const proposal = await (await runLoader(proposalLoader, getRequest(`/proposals/${made.proposalId}`, { cookie }), { proposalId: made.proposalId })).json();
    expect(proposal.awardLink).toBe(`/awards/${made.awardId}`);
  });
});

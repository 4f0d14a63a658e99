import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loader as adviserProposalLoader } from "~/routes/adviser.proposals.$proposalId";
import { loader as downloadLoader } from "~/routes/attachments.$attachmentId";
import { loader as panelProposalLoader } from "~/routes/panel.proposals.$proposalId";
import { addAttachment } from "~/services/attachments.server";
import { leadOrganisationDecision } from "~/services/proposals.server";
import { getDb } from "~/utils/db.server";
import { actorOf, declareInterestIn, makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "panel-evidence-uploads-"));
process.env.UPLOADS_DIR = uploads;
afterAll(() => fs.rmSync(uploads, { recursive: true, force: true }));

const STATEMENT = "We have worked with this garden group for six years and back this plan.";
const FILE_BYTES = "%PDF-1.4 the builder's quote";

/**
 * A proposal under panel review in a decision group, with a file the group
 * attached and the lead organisation's support statement; the group's panel
 * member, a recused member, the group's adviser, and another group's member.
 */
async function proposalWithEvidence() {
  const lead = await makeOrganisation({ kind: "lead_org" });
  const group = await makeDecisionGroup({ leadOrganisationId: lead.id });
  const otherGroup = await makeDecisionGroup({ fundId: group.fund_id });
  const leadUser = await makeUser({ role: "lead_org", organisationId: lead.id });
  const community = await makeOrganisation();
  const member = await makeUser({ organisationId: community.id });
  const proposal = await makeProposal({ decisionGroupId: group.id, organisationId: community.id, createdBy: member.id });
  const attachmentId = await addAttachment(getDb(), actorOf(member), proposal.id, { name: "quote.pdf", bytes: new TextEncoder().encode(FILE_BYTES) });
  await getDb()
    .updateTable("proposal")
    .set({ status: "submitted", submitted_at: new Date().toISOString(), version: 1 })
    .where("id", "=", proposal.id)
    .execute();
  await leadOrganisationDecision(getDb(), actorOf(leadUser), proposal.id, "support", STATEMENT);
  await getDb().updateTable("proposal").set({ status: "under_review" }).where("id", "=", proposal.id).execute();

  const panel = await makeUser({ role: "panel_member", decisionGroupId: group.id, hasDeclaredInterests: true });
  const recused = await makeUser({ role: "panel_member", decisionGroupId: group.id, hasDeclaredInterests: true });
  await declareInterestIn(recused.id, proposal.id);
  const adviser = await makeUser({ role: "adviser", decisionGroupId: group.id });
  const outsider = await makeUser({ role: "panel_member", decisionGroupId: otherGroup.id, hasDeclaredInterests: true });
  return { proposal, attachmentId, panel, recused, adviser, outsider };
}

const download = async (attachmentId: string, userId: string) =>
  runLoader(downloadLoader, getRequest(`/attachments/${attachmentId}`, { cookie: await sessionCookieFor(userId) }), { attachmentId });

const panelPage = async (proposalId: string, userId: string) =>
  runLoader(panelProposalLoader, getRequest(`/panel/proposals/${proposalId}`, { cookie: await sessionCookieFor(userId) }), { proposalId });

describe("the panel and advisers decide on the whole evidence", () => {
  it("a panel member reads the lead organisation's support statement and the files on the scoring page, and downloads a file", async () => {
    const s = await proposalWithEvidence();
    const page = await panelPage(s.proposal.id, s.panel.id);
    expect(page.status).toBe(200);
    const data = (await page.json()) as { evidence: { statements: { body: string }[]; attachments: { id: string; name: string }[] } };
    expect(data.evidence.statements.map((x) => x.body)).toEqual([STATEMENT]);
    expect(data.evidence.attachments).toEqual([expect.objectContaining({ id: s.attachmentId, name: "quote.pdf" })]);

    const file = await download(s.attachmentId, s.panel.id);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe(FILE_BYTES);
  });

  it("the group's specialist adviser reads the statement and the files on their proposal page, and downloads a file", async () => {
    const s = await proposalWithEvidence();
    const page = await runLoader(adviserProposalLoader, getRequest(`/adviser/proposals/${s.proposal.id}`, { cookie: await sessionCookieFor(s.adviser.id) }), {
      proposalId: s.proposal.id,
    });
    expect(page.status).toBe(200);
    const data = (await page.json()) as { evidence: { statements: { body: string }[]; attachments: { id: string }[] } };
    expect(data.evidence.statements.map((x) => x.body)).toEqual([STATEMENT]);
    expect(data.evidence.attachments.map((a) => a.id)).toEqual([s.attachmentId]);
    expect((await download(s.attachmentId, s.adviser.id)).status).toBe(200);
  });

  it("a panel member recused from the proposal sees neither the statement nor the files, and cannot download them", async () => {
    const s = await proposalWithEvidence();
    const page = await panelPage(s.proposal.id, s.recused.id);
    expect(page.status).toBe(403);
    expect(await page.text()).not.toContain(STATEMENT);
    const file = await download(s.attachmentId, s.recused.id);
    expect(file.status).toBe(404);
    expect(await file.text()).not.toContain(FILE_BYTES);
  });

  it("another decision group's panel member sees neither, and cannot download the file", async () => {
    const s = await proposalWithEvidence();
    const page = await panelPage(s.proposal.id, s.outsider.id);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain(STATEMENT);
    expect((await download(s.attachmentId, s.outsider.id)).status).toBe(404);
  });
});

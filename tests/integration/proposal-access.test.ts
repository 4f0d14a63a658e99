import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loader as downloadLoader } from "~/routes/attachments.$attachmentId";
import { action as attachmentsAction, loader as attachmentsLoader } from "~/routes/proposals.$proposalId.attachments";
import { action as editAction, loader as editLoader } from "~/routes/proposals.$proposalId.edit";
import { action as proposalAction, loader as proposalLoader } from "~/routes/proposals.$proposalId._index";
import { loader as versionsLoader } from "~/routes/proposals.$proposalId.versions";
import { addAttachment } from "~/services/attachments.server";
import { getDb } from "~/utils/db.server";
import { COMPLETE_CONTENT, makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "portal-uploads-"));
process.env.UPLOADS_DIR = uploads;
afterAll(() => fs.rmSync(uploads, { recursive: true, force: true }));

async function anotherGroupsProposal() {
  const lead = await makeOrganisation({ kind: "lead_org" });
  const group = await makeDecisionGroup({ leadOrganisationId: lead.id });
  const owners = await makeOrganisation();
  const ownerUser = await makeUser({ organisationId: owners.id });
  const proposal = await makeProposal({ decisionGroupId: group.id, organisationId: owners.id, status: "changes_requested" });
  const attachmentId = await addAttachment(getDb(), { id: ownerUser.id, role: "applicant", organisationId: owners.id, decisionGroupId: null }, proposal.id, {
    name: "quote.pdf",
    bytes: new TextEncoder().encode("%PDF-1.4 quote"),
  });
  return { proposal, attachmentId, group };
}

async function outsiders() {
  const otherGroup = await makeOrganisation();
  const applicant = await makeUser({ organisationId: otherGroup.id });
  const otherLead = await makeOrganisation({ kind: "lead_org" });
  await makeDecisionGroup({ leadOrganisationId: otherLead.id });
  const lead = await makeUser({ role: "lead_org", organisationId: otherLead.id });
  return {
    "an applicant from another group": await sessionCookieFor(applicant.id),
    "a lead organisation of another decision group": await sessionCookieFor(lead.id),
  };
}

describe("someone else's proposal is not found", () => {
  it.each(["an applicant from another group", "a lead organisation of another decision group"] as const)(
    "%s gets 404 from the proposal page, edit page, versions page, files page and the file itself, and cannot change anything",
    async (who) => {
      const { proposal, attachmentId } = await anotherGroupsProposal();
      const cookie = (await outsiders())[who];
      const params = { proposalId: proposal.id };
      const pages = [
        await runLoader(proposalLoader, getRequest(`/proposals/${proposal.id}`, { cookie }), params),
        await runLoader(editLoader, getRequest(`/proposals/${proposal.id}/edit`, { cookie }), params),
        await runLoader(versionsLoader, getRequest(`/proposals/${proposal.id}/versions?from=1&to=2`, { cookie }), params),
        await runLoader(attachmentsLoader, getRequest(`/proposals/${proposal.id}/attachments`, { cookie }), params),
        await runLoader(downloadLoader, getRequest(`/attachments/${attachmentId}`, { cookie }), { attachmentId }),
      ];
      expect(pages.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);

      const writes = [
        await runAction(editAction, await postForm(`/proposals/${proposal.id}/edit`, { intent: "save", title: "Hijacked" }, { cookie }), params),
        await runAction(proposalAction, await postForm(`/proposals/${proposal.id}`, { reply: "Hello" }, { cookie }), params),
        await runAction(attachmentsAction, await postForm(`/proposals/${proposal.id}/attachments`, { intent: "remove", attachmentId }, { cookie }), params),
      ];
      expect(writes.map((r) => r.status)).toEqual([404, 404, 404]);
      const row = await getDb().selectFrom("proposal").select("title").where("id", "=", proposal.id).executeTakeFirstOrThrow();
      expect(row.title).toBe(COMPLETE_CONTENT.title);
      const attachment = await getDb().selectFrom("attachment").select("removed_at").where("id", "=", attachmentId).executeTakeFirstOrThrow();
      expect(attachment.removed_at).toBeNull();
    },
  );

  it("a panel member cannot see a proposal before it is eligible", async () => {
    const { proposal, group } = await anotherGroupsProposal();
    const member = await makeUser({ role: "panel_member", decisionGroupId: group.id });
    const response = await runLoader(proposalLoader, getRequest(`/proposals/${proposal.id}`, { cookie: await sessionCookieFor(member.id) }), {
      proposalId: proposal.id,
    });
    expect(response.status).toBe(404);
  });

  it("someone not signed in is sent to sign in", async () => {
    const { proposal } = await anotherGroupsProposal();
    const response = await runLoader(proposalLoader, getRequest(`/proposals/${proposal.id}`), { proposalId: proposal.id });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });
});

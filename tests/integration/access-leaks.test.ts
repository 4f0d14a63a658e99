import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, describe, expect, it } from "vitest";
import { loader as groupAllocationLoader } from "~/routes/admin.groups.$groupId.allocation";
import { loader as groupDecisionsLoader } from "~/routes/admin.groups.$groupId.decisions";
import { loader as groupResultsLoader } from "~/routes/admin.groups.$groupId.results";
import { loader as downloadLoader } from "~/routes/attachments.$attachmentId";
import { action as attachmentsAction } from "~/routes/proposals.$proposalId.attachments";
import { action as checkAction } from "~/routes/proposals.$proposalId.check";
import { loader as editLoader } from "~/routes/proposals.$proposalId.edit";
import { action as sectionAction } from "~/routes/proposals.$proposalId.sections.$section";
import { loader as leadProposalLoader } from "~/routes/lead.proposals.$proposalId";
import { loader as proposalLoader } from "~/routes/proposals.$proposalId._index";
import { action as newAction } from "~/routes/proposals.new";
import { addAttachment } from "~/services/attachments.server";
import { getDb } from "~/utils/db.server";
import { COMPLETE_CONTENT, actorOf, makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { addCriterion, closeScoring, panelMember, scoreSheet } from "../support/decisions";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "portal-uploads-"));
process.env.UPLOADS_DIR = uploads;
afterAll(() => fs.rmSync(uploads, { recursive: true, force: true }));

const proposalRow = (id: string) => getDb().selectFrom("proposal").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

/** A decision group with its lead organisation's staff member, and a community group that is online (it has a member). */
async function area() {
  const lead = await makeOrganisation({ kind: "lead_org" });
  const group = await makeDecisionGroup({ leadOrganisationId: lead.id });
  const leadUser = await makeUser({ role: "lead_org", organisationId: lead.id });
  const community = await makeOrganisation();
  const member = await makeUser({ organisationId: community.id });
  return { lead, group, leadUser, leadCookie: await sessionCookieFor(leadUser.id), community, member, memberCookie: await sessionCookieFor(member.id) };
}

describe("leak 1: a lead organisation and the group's own draft", () => {
  async function groupsOwnDraft() {
    const s = await area();
    const proposal = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.community.id, createdBy: s.member.id });
    const attachmentId = await addAttachment(getDb(), actorOf(s.member), proposal.id, { name: "quote.pdf", bytes: new TextEncoder().encode("%PDF-1.4 quote") });
    return { ...s, proposal, attachmentId };
  }

  it("the lead organisation of the area cannot open, download from, rewrite, strip or submit a draft the group wrote itself", async () => {
    const s = await groupsOwnDraft();
    const params = { proposalId: s.proposal.id };
    const cookie = s.leadCookie;
    const reads = [
      await runLoader(proposalLoader, getRequest(`/proposals/${s.proposal.id}`, { cookie }), params),
      await runLoader(editLoader, getRequest(`/proposals/${s.proposal.id}/edit`, { cookie }), params),
      await runLoader(downloadLoader, getRequest(`/attachments/${s.attachmentId}`, { cookie }), { attachmentId: s.attachmentId }),
    ];
    expect(reads.map((r) => r.status)).toEqual([404, 404, 404]);
    const leadPage = await runLoader(leadProposalLoader, getRequest(`/lead/proposals/${s.proposal.id}`, { cookie }), params);
    expect(leadPage.status).toBe(403);
    expect(await leadPage.text()).not.toContain(COMPLETE_CONTENT.title);

    const save = await runAction(
      sectionAction,
      await postForm(`/proposals/${s.proposal.id}/sections/about`, { intent: "save", title: "Taken over" }, { cookie }),
      { ...params, section: "about" },
    );
    expect(save.status).toBe(404);
    const remove = await runAction(
      attachmentsAction,
      await postForm(`/proposals/${s.proposal.id}/attachments`, { intent: "remove", attachmentId: s.attachmentId }, { cookie }),
      params,
    );
    expect(remove.status).toBe(404);
    const submit = await runAction(
      checkAction,
      await postForm(`/proposals/${s.proposal.id}/check`, { intent: "submit", groupConfirmation: "They said yes on the phone." }, { cookie }),
      params,
    );
    expect(submit.status).toBe(404);

    expect(await proposalRow(s.proposal.id)).toMatchObject({ title: COMPLETE_CONTENT.title, status: "draft", group_confirmation: null });
    const attachment = await getDb().selectFrom("attachment").select("removed_at").where("id", "=", s.attachmentId).executeTakeFirstOrThrow();
    expect(attachment.removed_at).toBeNull();
  });

  it("once the group has submitted it, the lead organisation reads it and its files, but still cannot change it", async () => {
    const s = await groupsOwnDraft();
    const params = { proposalId: s.proposal.id };
    await getDb()
      .updateTable("proposal")
      .set({ status: "submitted", version: 1, submitted_at: new Date().toISOString() })
      .where("id", "=", s.proposal.id)
      .execute();
    expect((await runLoader(proposalLoader, getRequest(`/proposals/${s.proposal.id}`, { cookie: s.leadCookie }), params)).status).toBe(200);
    expect(
      (await runLoader(downloadLoader, getRequest(`/attachments/${s.attachmentId}`, { cookie: s.leadCookie }), { attachmentId: s.attachmentId })).status,
    ).toBe(200);

    // After asking for changes, the proposal is the group's to edit again: not the lead organisation's.
    await getDb().updateTable("proposal").set({ status: "changes_requested" }).where("id", "=", s.proposal.id).execute();
    const page = await (await runLoader(proposalLoader, getRequest(`/proposals/${s.proposal.id}`, { cookie: s.leadCookie }), params)).json();
    expect(page.canEdit).toBe(false);
    const save = await runAction(
      sectionAction,
      await postForm(`/proposals/${s.proposal.id}/sections/about`, { intent: "save", title: "Taken over" }, { cookie: s.leadCookie }),
      { ...params, section: "about" },
    );
    expect(save.status).toBe(403);
    const remove = await runAction(
      attachmentsAction,
      await postForm(`/proposals/${s.proposal.id}/attachments`, { intent: "remove", attachmentId: s.attachmentId }, { cookie: s.leadCookie }),
      params,
    );
    expect(remove.status).toBe(403);
    expect((await proposalRow(s.proposal.id)).title).toBe(COMPLETE_CONTENT.title);
    const attachment = await getDb().selectFrom("attachment").select("removed_at").where("id", "=", s.attachmentId).executeTakeFirstOrThrow();
    expect(attachment.removed_at).toBeNull();

    // The group itself still can.
    const own = await runAction(
      sectionAction,
      await postForm(`/proposals/${s.proposal.id}/sections/about`, { intent: "save", title: "Our new title" }, { cookie: s.memberCookie }),
      { ...params, section: "about" },
    );
    expect(own.status).toBe(302);
    expect((await proposalRow(s.proposal.id)).title).toBe("Our new title");
  });

  it("a lead organisation still edits a draft it prepared with the group", async () => {
    const s = await area();
    const proposal = await makeProposal({
      decisionGroupId: s.group.id,
      organisationId: s.community.id,
      preparedByOrganisationId: s.lead.id,
      createdBy: s.leadUser.id,
    });
    const params = { proposalId: proposal.id };
    expect((await runLoader(editLoader, getRequest(`/proposals/${proposal.id}/edit`, { cookie: s.leadCookie }), params)).status).toBe(200);
    const save = await runAction(
      sectionAction,
      await postForm(`/proposals/${proposal.id}/sections/about`, { intent: "save", title: "Prepared together" }, { cookie: s.leadCookie }),
      { ...params, section: "about" },
    );
    expect(save.status).toBe(302);
    expect((await proposalRow(proposal.id)).title).toBe("Prepared together");
  });
});

describe("found on the way: someone signed in with no membership yet", () => {
  it("reads no proposal (their hat has no scope)", async () => {
    const s = await area();
    const proposal = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.community.id, status: "submitted" });
    const newcomer = await makeUser({ role: "applicant" });
    const response = await runLoader(proposalLoader, getRequest(`/proposals/${proposal.id}`, { cookie: await sessionCookieFor(newcomer.id) }), {
      proposalId: proposal.id,
    });
    expect(response.status).toBe(404);
  });
});

describe("leak 2: a chair and other members' scores while scoring is open", () => {
  /** Two criteria weighted 2 and 1 (0–5): the member's marks 5 and 3 make a weighted total of 13. */
  async function scoredGroup() {
    const group = await makeDecisionGroup();
    const [first, second] = [await addCriterion(group.fund_id, 2, 1), await addCriterion(group.fund_id, 1, 2)];
    const org = await makeOrganisation();
    const proposal = await makeProposal({
      decisionGroupId: group.id,
      organisationId: org.id,
      status: "under_review",
      content: { title: "Orchard", amountRequestedPence: 4_500_000 },
    });
    const chair = await panelMember(group.id, { name: "Chidi Chair", isChair: true });
    const member = await panelMember(group.id, { name: "Mo Member" });
    await scoreSheet(proposal.id, member.id, { [first.id]: 5, [second.id]: 3 });
    const admin = await makeUser({ role: "admin" });
    return { group, proposal, chair, member, adminCookie: await sessionCookieFor(admin.id) };
  }

  /** Every number the page sends under a key that carries a score. */
  function scoreNumbers(body: unknown): number[] {
    const found: number[] = [];
    const walk = (value: unknown, key: string) => {
      if (typeof value === "number" && /^(mean|median|minimum|maximum|value|totalValue|totals)$/.test(key)) found.push(value);
      else if (Array.isArray(value)) value.forEach((v) => walk(v, key));
      else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, k);
    };
    walk(body, "");
    return found;
  }

  async function pages(groupId: string, cookie: string) {
    const params = { groupId };
    const get = async (loader: (args: LoaderFunctionArgs) => Promise<Response>, page: string) => {
      const response = await runLoader(loader, getRequest(`/admin/groups/${groupId}/${page}`, { cookie }), params);
      expect(response.status, page).toBe(200);
      return response.json();
    };
    return {
      results: await get(groupResultsLoader, "results"),
      decisions: await get(groupDecisionsLoader, "decisions"),
      allocation: await get(groupAllocationLoader, "allocation"),
    };
  }

  it("the chair, before submitting their own sheet, reads no one's score from the results, decisions or allocation page", async () => {
    const s = await scoredGroup();
    const seen = await pages(s.group.id, s.chair.cookie);
    for (const [page, body] of Object.entries(seen)) expect(scoreNumbers(body), page).not.toContain(13);
    expect(seen.decisions.awaiting.map((p: { id: string; mean: number | null }) => [p.id, p.mean])).toEqual([[s.proposal.id, null]]);
  });

  it("an administrator always sees the figures, and the chair does once scoring has closed", async () => {
    const s = await scoredGroup();
    const admin = await pages(s.group.id, s.adminCookie);
    for (const [page, body] of Object.entries(admin)) expect(scoreNumbers(body), page).toContain(13);
    await closeScoring(s.group.id);
    const chair = await pages(s.group.id, s.chair.cookie);
    for (const [page, body] of Object.entries(chair)) expect(scoreNumbers(body), page).toContain(13);
  });
});

describe("leak 3: a lead organisation starting a proposal in a group's name", () => {
  it("cannot start one for a community group that is online, even one from another area", async () => {
    const here = await area();
    const elsewhere = await area();
    const response = await runAction(
      newAction,
      await postForm("/proposals/new", { decisionGroupId: here.group.id, organisationId: elsewhere.community.id }, { cookie: here.leadCookie }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).errors.organisationId).toMatch(/online/);
    const theirs = await getDb().selectFrom("proposal").select("id").where("organisation_id", "=", elsewhere.community.id).execute();
    expect(theirs).toEqual([]);
  });

  it("cannot start one in a decision group it does not serve", async () => {
    const here = await area();
    const elsewhere = await area();
    const offline = await makeOrganisation();
    const response = await runAction(
      newAction,
      await postForm("/proposals/new", { decisionGroupId: elsewhere.group.id, organisationId: offline.id }, { cookie: here.leadCookie }),
    );
    expect(response.status).toBe(400);
    expect(await getDb().selectFrom("proposal").select("id").where("organisation_id", "=", offline.id).execute()).toEqual([]);
  });

  it("starts one for a community group that is not online, in a group it serves", async () => {
    const here = await area();
    const offline = await makeOrganisation();
    const response = await runAction(
      newAction,
      await postForm("/proposals/new", { decisionGroupId: here.group.id, organisationId: offline.id }, { cookie: here.leadCookie }),
    );
    expect(response.status).toBe(302);
    const id = response.headers.get("Location")!.split("/")[2]!;
    expect(await proposalRow(id)).toMatchObject({ organisation_id: offline.id, prepared_by_organisation_id: here.lead.id });
  });
});

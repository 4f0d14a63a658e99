import { beforeAll, describe, expect, it } from "vitest";
import { loader as queueLoader } from "~/routes/lead._index";
import { action as proposalAction, loader as proposalLoader } from "~/routes/lead.proposals.$proposalId";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, emailsTo, makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

/** Two areas, each with its own lead organisation and a community group with one member. */
async function twoAreas() {
  const eastLead = await makeOrganisation({ kind: "lead_org", name: "East Anchor" });
  const southLead = await makeOrganisation({ kind: "lead_org", name: "South Network" });
  const east = await makeDecisionGroup({ leadOrganisationId: eastLead.id, name: "East" });
  const south = await makeDecisionGroup({ leadOrganisationId: southLead.id, name: "South" });
  const garden = await makeOrganisation({ name: "Garden Group" });
  const boxing = await makeOrganisation({ name: "Boxing Club" });
  const gardener = await makeUser({ role: "applicant", organisationId: garden.id });
  const eastStaff = await makeUser({ role: "lead_org", organisationId: eastLead.id });
  const southStaff = await makeUser({ role: "lead_org", organisationId: southLead.id });
  return { eastLead, southLead, east, south, garden, boxing, gardener, eastStaff, southStaff };
}

let area: Awaited<ReturnType<typeof twoAreas>>;
let eastCookie: string;
let southCookie: string;

beforeAll(async () => {
  area = await twoAreas();
  eastCookie = await sessionCookieFor(area.eastStaff.id);
  southCookie = await sessionCookieFor(area.southStaff.id);
});

const submitted = (title: string, decisionGroupId = area.east.id, organisationId = area.garden.id) =>
  makeProposal({ decisionGroupId, organisationId, status: "submitted", content: { title } });

const decide = (proposalId: string, fields: Record<string, string>, cookie = eastCookie) =>
  postForm(`/lead/proposals/${proposalId}`, fields, { cookie }).then((request) => runAction(proposalAction, request, { proposalId }));

async function statusOf(id: string) {
  return (await getDb().selectFrom("proposal").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
}

async function messagesOf(id: string) {
  return getDb().selectFrom("proposal_message").select(["kind", "body"]).where("proposal_id", "=", id).execute();
}

describe("the lead organisation's queue", () => {
  it("shows only proposals for the decision groups the organisation serves, in the right tab", async () => {
    const ours = await submitted("East kitchen");
    const theirs = await submitted("South gym", area.south.id, area.boxing.id);
    const ourDraft = await makeProposal({
      decisionGroupId: area.east.id,
      organisationId: area.garden.id,
      status: "draft",
      preparedByOrganisationId: area.eastLead.id,
      content: { title: "Draft we prepare" },
    });
    const groupsDraft = await makeProposal({
      decisionGroupId: area.east.id,
      organisationId: area.garden.id,
      status: "draft",
      content: { title: "Group's own draft" },
    });

    const newTab = await (await runLoader(queueLoader, getRequest("/lead", { cookie: eastCookie }))).json();
    const ids = newTab.queue.rows.map((r: { id: string }) => r.id);
    expect(ids).toContain(ours.id);
    expect(ids).not.toContain(theirs.id);
    const row = newTab.queue.rows.find((r: { id: string }) => r.id === ours.id);
    expect(row).toMatchObject({
      reference: ours.reference,
      title: "East kitchen",
      communityGroupName: "Garden Group",
      decisionGroupName: "East",
      amount_requested_pence: 4_500_000,
    });

    const waiting = await (await runLoader(queueLoader, getRequest("/lead?view=waiting", { cookie: eastCookie }))).json();
    const waitingIds = waiting.queue.rows.map((r: { id: string }) => r.id);
    expect(waitingIds).toContain(ourDraft.id);
    expect(waitingIds).not.toContain(groupsDraft.id);
    expect(waitingIds).not.toContain(ours.id);

    const south = await (await runLoader(queueLoader, getRequest("/lead", { cookie: southCookie }))).json();
    expect(south.queue.rows.map((r: { id: string }) => r.id)).toEqual([theirs.id]);
    expect(south.counts.new).toBe(1);
  });

  it("an unknown tab falls back to the new proposals", async () => {
    const response = await runLoader(queueLoader, getRequest("/lead?view=everything", { cookie: eastCookie }));
    expect(response.status).toBe(200);
    expect((await response.json()).view).toBe("new");
  });

  it("shows the organisation's notices", async () => {
    const proposal = await submitted("Notice test");
    await getDb()
      .insertInto("notification")
      .values({
        id: crypto.randomUUID(),
        organisation_id: area.eastLead.id,
        proposal_id: proposal.id,
        body: "A new proposal is waiting.",
        created_at: new Date().toISOString(),
      })
      .execute();
    const body = await (await runLoader(queueLoader, getRequest("/lead", { cookie: eastCookie }))).json();
    expect(body.notices.map((n: { body: string }) => n.body)).toContain("A new proposal is waiting.");
  });

  it("is closed to applicants", async () => {
    const response = await runLoader(queueLoader, getRequest("/lead", { cookie: await sessionCookieFor(area.gardener.id) }));
    expect(response.status).toBe(403);
  });
});

describe("a lead organisation deciding on a proposal", () => {
  it("requesting changes sends the note back to the group: status, message, audit event and email", async () => {
    const proposal = await submitted("Needs work");
    const response = await decide(proposal.id, { intent: "request_changes", note: "Please add a quote for the scaffolding." });
    expect(response.status).toBe(200);
    expect(await statusOf(proposal.id)).toBe("changes_requested");
    expect(await messagesOf(proposal.id)).toEqual([{ kind: "changes_requested", body: "Please add a quote for the scaffolding." }]);
    expect((await auditEventsFor("proposal.status.changes_requested")).some((e) => e.entity_id === proposal.id && e.actor === area.eastStaff.id)).toBe(true);
    const emails = await emailsTo(area.gardener.email);
    expect(emails.some((e) => e.subject.startsWith("Changes requested") && e.body_text.includes("Please add a quote for the scaffolding."))).toBe(true);
  });

  it("supporting needs a statement: without one it is a 400 and nothing changes", async () => {
    const proposal = await submitted("Support me");
    const refused = await decide(proposal.id, { intent: "support", statement: "   " });
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors).toEqual({ statement: "Write a support statement" });
    expect(await statusOf(proposal.id)).toBe("submitted");
    expect(await messagesOf(proposal.id)).toEqual([]);

    const response = await decide(proposal.id, { intent: "support", statement: "This group has run the hall for ten years." });
    expect(response.status).toBe(200);
    expect(await statusOf(proposal.id)).toBe("supported");
    expect(await messagesOf(proposal.id)).toEqual([{ kind: "support_statement", body: "This group has run the hall for ten years." }]);
    expect((await auditEventsFor("proposal.status.supported")).some((e) => e.entity_id === proposal.id)).toBe(true);
    expect((await emailsTo(area.gardener.email)).some((e) => e.subject.startsWith("Proposal supported"))).toBe(true);
  });

  it("declining needs a reason: without one it is a 400 and the typed values come back", async () => {
    const proposal = await submitted("Decline me");
    const refused = await decide(proposal.id, { intent: "decline", reason: "" });
    expect(refused.status).toBe(400);
    const body = await refused.json();
    expect(body.errors).toEqual({ reason: "Write the reason for declining" });
    expect(body.values.intent).toBe("decline");

    const response = await decide(proposal.id, { intent: "decline", reason: "This is a service, not something physical." });
    expect(response.status).toBe(200);
    expect(await statusOf(proposal.id)).toBe("declined");
    expect(await messagesOf(proposal.id)).toEqual([{ kind: "decline_reason", body: "This is a service, not something physical." }]);
    expect((await auditEventsFor("proposal.status.declined")).some((e) => e.entity_id === proposal.id)).toBe(true);
    expect(
      (await emailsTo(area.gardener.email)).some((e) => e.subject.startsWith("Proposal not supported") && e.body_text.includes("not something physical")),
    ).toBe(true);
  });

  it("supporting an already supported proposal is a 400 with the reason, and nothing is written", async () => {
    const proposal = await makeProposal({ decisionGroupId: area.east.id, organisationId: area.garden.id, status: "supported" });
    const response = await decide(proposal.id, { intent: "support", statement: "Again!" });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.form).toMatch(/Supported by lead organisation/);
    expect(await messagesOf(proposal.id)).toEqual([]);
  });

  it("a lead organisation from another area gets 403 on the page and on every action, and nothing changes", async () => {
    const proposal = await submitted("East only");
    const page = await runLoader(proposalLoader, getRequest(`/lead/proposals/${proposal.id}`, { cookie: southCookie }), { proposalId: proposal.id });
    expect(page.status).toBe(403);
    expect(await page.text()).toMatch(/does not serve/);
    const attempts: Record<string, string>[] = [
      { intent: "support", statement: "We like it" },
      { intent: "request_changes", note: "Change it" },
      { intent: "decline", reason: "No" },
      { intent: "hand_to_group", handNote: "" },
    ];
    for (const fields of attempts) {
      const response = await decide(proposal.id, fields, southCookie);
      expect(response.status).toBe(403);
      expect(await response.text()).toMatch(/does not serve/);
    }
    expect(await statusOf(proposal.id)).toBe("submitted");
    expect(await messagesOf(proposal.id)).toEqual([]);
  });

  it("a proposal that does not exist is a 404", async () => {
    const response = await runLoader(proposalLoader, getRequest("/lead/proposals/nope", { cookie: eastCookie }), { proposalId: "nope" });
    expect(response.status).toBe(404);
  });

  it("the page shows the summary and offers the three decisions for a submitted proposal", async () => {
    const proposal = await submitted("Page test");
    const body = await (
      await runLoader(proposalLoader, getRequest(`/lead/proposals/${proposal.id}`, { cookie: eastCookie }), { proposalId: proposal.id })
    ).json();
    expect(body.proposal).toMatchObject({ reference: proposal.reference, title: "Page test", communityGroupName: "Garden Group", decisionGroupName: "East" });
    expect(body.canDecide).toBe(true);
    expect(body.canHandOver).toBe(false);
  });

  it("a draft the lead organisation prepared can be handed to the group, who are told", async () => {
    const draft = await makeProposal({
      decisionGroupId: area.east.id,
      organisationId: area.garden.id,
      status: "draft",
      preparedByOrganisationId: area.eastLead.id,
      content: { title: "Prepared for them" },
    });
    const page = await (await runLoader(proposalLoader, getRequest(`/lead/proposals/${draft.id}`, { cookie: eastCookie }), { proposalId: draft.id })).json();
    expect(page.canHandOver).toBe(true);
    const response = await decide(draft.id, { intent: "hand_to_group", handNote: "Check the budget, then submit." });
    expect(response.status).toBe(200);
    expect(await messagesOf(draft.id)).toEqual([{ kind: "handed_to_group", body: "Check the budget, then submit." }]);
    expect((await auditEventsFor("proposal.handed_to_group")).some((e) => e.entity_id === draft.id)).toBe(true);
  });

  it("a lead organisation cannot hand over a draft it did not prepare", async () => {
    const draft = await makeProposal({ decisionGroupId: area.east.id, organisationId: area.garden.id, status: "draft" });
    const response = await decide(draft.id, { intent: "hand_to_group", handNote: "" });
    expect(response.status).toBe(403);
    expect(await messagesOf(draft.id)).toEqual([]);
  });

  it("an unknown intent is a 400, not a 500", async () => {
    const proposal = await submitted("Odd form");
    const response = await decide(proposal.id, { intent: "fund_it_now" });
    expect(response.status).toBe(400);
    expect(await statusOf(proposal.id)).toBe("submitted");
  });
});

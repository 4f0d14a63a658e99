import { beforeAll, describe, expect, it } from "vitest";
import { action as detailAction, loader as detailLoader } from "~/routes/admin.proposals.$proposalId";
import { action as screeningAction, loader as screeningLoader } from "~/routes/admin.screening";
import { getDb } from "~/utils/db.server";
import { repeatedValues } from "~/utils/forms";
import { auditEventsFor, emailsTo, makeDecisionGroup, makeFund, makeOrganisation, makeProposal, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

let adminCookie: string;
let lead: { id: string };
let group: { id: string; fund_id: string };
let community: { id: string };
let member: { email: string };

beforeAll(async () => {
  const admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
  lead = await makeOrganisation({ kind: "lead_org" });
  group = await makeDecisionGroup({ leadOrganisationId: lead.id });
  community = await makeOrganisation();
  member = await makeUser({ role: "applicant", organisationId: community.id });
});

const supported = (title: string) => makeProposal({ decisionGroupId: group.id, organisationId: community.id, status: "supported", content: { title } });

const screen = async (fields: Record<string, string | string[]>, path = "/admin/screening") => {
  const request = await postForm(path, {}, { cookie: adminCookie });
  // postForm takes one value per name; checkboxes repeat theirs, so build the body again.
  const body = new URLSearchParams(await request.text());
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return runAction(screeningAction, new Request(request.url, { method: "POST", headers: request.headers, body }));
};

async function statusesOf(ids: string[]) {
  const rows = await getDb().selectFrom("proposal").select(["id", "status"]).where("id", "in", ids).execute();
  return Object.fromEntries(rows.map((r) => [r.id, r.status]));
}

async function listed(query: string) {
  const response = await runLoader(screeningLoader, getRequest(`/admin/screening${query}`, { cookie: adminCookie }));
  expect(response.status).toBe(200);
  return response.json();
}

describe("bulk eligibility screening", () => {
  it("an administrator marks two supported proposals eligible at once; each group is told and each change audited", async () => {
    const [a, b] = [await supported("Bulk A"), await supported("Bulk B")];
    const response = await screen({ proposalIds: [a.id, b.id], intent: "eligible" });
    expect(response.status).toBe(200);
    expect((await response.json()).done).toMatch(/^2 proposals marked eligible/);
    expect(await statusesOf([a.id, b.id])).toEqual({ [a.id]: "eligible", [b.id]: "eligible" });
    const events = await auditEventsFor("proposal.status.eligible");
    expect(events.filter((e) => e.entity_id === a.id || e.entity_id === b.id)).toHaveLength(2);
    const messages = await getDb().selectFrom("proposal_message").select(["proposal_id", "kind"]).where("proposal_id", "in", [a.id, b.id]).execute();
    expect(messages.map((m) => m.kind)).toEqual(["eligible", "eligible"]);
    expect((await emailsTo(member.email)).filter((e) => e.subject.startsWith("Proposal eligible")).length).toBeGreaterThanOrEqual(2);
  });

  it("marking proposals not eligible needs a reason: without one it is a 400 and nothing changes", async () => {
    const a = await supported("No reason given");
    const response = await screen({ proposalIds: [a.id], intent: "ineligible", reason: "  " });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toEqual({ reason: "Write the reason the selected proposals are not eligible" });
    expect(repeatedValues(body.values, "proposalIds")).toEqual([a.id]);
    expect(await statusesOf([a.id])).toEqual({ [a.id]: "supported" });
  });

  it("one reason marks every selected proposal not eligible", async () => {
    const [a, b] = [await supported("Ineligible A"), await supported("Ineligible B")];
    const response = await screen({ proposalIds: [a.id, b.id], intent: "ineligible", reason: "This pays for a service, not something physical." });
    expect(response.status).toBe(200);
    expect(await statusesOf([a.id, b.id])).toEqual({ [a.id]: "ineligible", [b.id]: "ineligible" });
    const bodies = await getDb().selectFrom("proposal_message").select("body").where("proposal_id", "in", [a.id, b.id]).execute();
    expect(bodies.map((m) => m.body)).toEqual(["This pays for a service, not something physical.", "This pays for a service, not something physical."]);
  });

  it("no selection is a 400: Select at least one proposal", async () => {
    const response = await screen({ intent: "eligible" });
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ proposalIds: "Select at least one proposal" });
  });

  it("a batch with one proposal that is not awaiting screening changes nothing and names that proposal", async () => {
    const ready = await supported("Ready");
    const notReady = await makeProposal({ decisionGroupId: group.id, organisationId: community.id, status: "submitted" });
    const auditBefore = (
      await getDb()
        .selectFrom("audit_event")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n;
    const response = await screen({ proposalIds: [ready.id, notReady.id], intent: "eligible" });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.proposalIds).toContain(notReady.reference);
    expect(body.errors.proposalIds).toContain("Nothing was changed");
    expect(body.errors.proposalIds).not.toContain(ready.reference);
    expect(await statusesOf([ready.id, notReady.id])).toEqual({ [ready.id]: "supported", [notReady.id]: "submitted" });
    const auditAfter = (
      await getDb()
        .selectFrom("audit_event")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n;
    expect(auditAfter).toBe(auditBefore);
  });

  it("an unknown proposal id in the batch changes nothing", async () => {
    const ready = await supported("Ready too");
    const response = await screen({ proposalIds: [ready.id, "no-such-proposal"], intent: "eligible" });
    expect(response.status).toBe(400);
    expect(await statusesOf([ready.id])).toEqual({ [ready.id]: "supported" });
  });
});

describe("the screening queue's filters, sorting and pages", () => {
  let fund: { id: string };
  let otherLead: { id: string };
  let groupA: { id: string };
  let groupB: { id: string };
  beforeAll(async () => {
    fund = await makeFund({ name: "Sorting fund" });
    otherLead = await makeOrganisation({ kind: "lead_org", name: "Other lead" });
    groupA = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id, name: "Sorting A" });
    groupB = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: otherLead.id, name: "Sorting B" });
    const rows = [
      { group: groupA.id, title: "Charlie", amount: 3_000_000, submitted: "2026-01-03T10:00:00.000Z", status: "supported" as const },
      { group: groupA.id, title: "Alpha", amount: 5_000_000, submitted: "2026-01-01T10:00:00.000Z", status: "supported" as const },
      { group: groupB.id, title: "Bravo", amount: 1_000_000, submitted: "2026-01-02T10:00:00.000Z", status: "supported" as const },
      { group: groupB.id, title: "Delta", amount: 2_000_000, submitted: "2026-01-04T10:00:00.000Z", status: "declined" as const },
    ];
    for (const r of rows) {
      const p = await makeProposal({
        decisionGroupId: r.group,
        organisationId: community.id,
        status: r.status,
        content: { title: r.title, amountRequestedPence: r.amount },
      });
      await getDb().updateTable("proposal").set({ submitted_at: r.submitted }).where("id", "=", p.id).execute();
    }
  });

  const titles = (body: { queue: { rows: { title: string }[] } }) => body.queue.rows.map((r) => r.title);

  it("by default lists proposals awaiting screening (supported), oldest submitted first, with the total asked for", async () => {
    const body = await listed(`?fund=${fund.id}`);
    expect(titles(body)).toEqual(["Alpha", "Bravo", "Charlie"]);
    expect(body.filters.status).toBe("supported");
    expect(body.queue.total).toBe(3);
    expect(body.queue.totalRequestedPence).toBe(9_000_000);
    expect(body.queue.rows[0].leadOrganisations).toEqual([expect.any(String)]);
  });

  it("filters by status (or any status), decision group and lead organisation", async () => {
    expect(titles(await listed(`?fund=${fund.id}&status=declined`))).toEqual(["Delta"]);
    expect(titles(await listed(`?fund=${fund.id}&status=`))).toEqual(["Alpha", "Bravo", "Charlie", "Delta"]);
    expect(titles(await listed(`?fund=${fund.id}&group=${groupB.id}&status=`))).toEqual(["Bravo", "Delta"]);
    expect(titles(await listed(`?fund=${fund.id}&lead=${otherLead.id}`))).toEqual(["Bravo"]);
  });

  it("sorts by the allowed columns in either direction", async () => {
    expect(titles(await listed(`?fund=${fund.id}&sort=amount&dir=desc`))).toEqual(["Alpha", "Charlie", "Bravo"]);
    expect(titles(await listed(`?fund=${fund.id}&sort=title&dir=asc`))).toEqual(["Alpha", "Bravo", "Charlie"]);
    expect(titles(await listed(`?fund=${fund.id}&sort=submitted&dir=desc`))).toEqual(["Charlie", "Bravo", "Alpha"]);
  });

  it("an unknown sort column or direction falls back to the default order, safely", async () => {
    for (const query of ["sort=password_hash", "sort=title;drop table proposal", "sort=amount&dir=sideways", "sort[]=x"]) {
      const body = await listed(`?fund=${fund.id}&${query}`);
      expect(body.filters.sort === "submitted" || body.filters.sort === "amount").toBe(true);
      if (body.filters.sort === "submitted") expect(titles(body)).toEqual(["Alpha", "Bravo", "Charlie"]);
      else expect(body.filters.direction).toBe("asc");
    }
    expect(await getDb().selectFrom("proposal").select("id").limit(1).execute()).toHaveLength(1);
  });

  it("pages through long lists 25 at a time", async () => {
    const pagingFund = await makeFund({ name: "Paging fund" });
    const pagingGroup = await makeDecisionGroup({ fundId: pagingFund.id, leadOrganisationId: lead.id });
    for (let i = 0; i < 27; i += 1) {
      await makeProposal({
        decisionGroupId: pagingGroup.id,
        organisationId: community.id,
        status: "supported",
        content: { title: `Paged ${String(i).padStart(2, "0")}` },
      });
    }
    const first = await listed(`?fund=${pagingFund.id}&sort=title`);
    expect(first.queue.rows).toHaveLength(25);
    expect(first.queue.total).toBe(27);
    const second = await listed(`?fund=${pagingFund.id}&sort=title&page=2`);
    expect(titles(second)).toEqual(["Paged 25", "Paged 26"]);
  });
});

describe("screening one proposal from its page", () => {
  it("shows the summary, the eligibility answers with their questions, and the messages", async () => {
    const question = {
      id: crypto.randomUUID(),
      fund_id: group.fund_id,
      position: 1,
      text: "Is it something physical?",
      kind: "yes_no" as const,
      options: '["Yes","No"]',
      ineligible_answers: '["No"]',
      ineligible_reason: "Capital only.",
    };
    await getDb().insertInto("eligibility_question").values(question).execute();
    const p = await supported("With answers");
    await getDb()
      .updateTable("proposal")
      .set({ eligibility_answers: JSON.stringify({ [question.id]: "Yes" }) })
      .where("id", "=", p.id)
      .execute();
    const response = await runLoader(detailLoader, getRequest(`/admin/proposals/${p.id}`, { cookie: adminCookie }), { proposalId: p.id });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.proposal).toMatchObject({ reference: p.reference, title: "With answers", status: "supported" });
    expect(body.answers).toEqual([{ id: question.id, question: "Is it something physical?", answer: "Yes" }]);
    expect(body.messages).toEqual([]);
  });

  it("marks one proposal not eligible with a reason; without a reason it is a 400", async () => {
    const p = await supported("Single");
    const post = async (fields: Record<string, string>) =>
      runAction(detailAction, await postForm(`/admin/proposals/${p.id}`, fields, { cookie: adminCookie }), { proposalId: p.id });
    const refused = await post({ intent: "ineligible", reason: "" });
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors.reason).toBeDefined();
    const done = await post({ intent: "ineligible", reason: "The group is a business run for private profit." });
    expect(done.status).toBe(200);
    expect(await statusesOf([p.id])).toEqual({ [p.id]: "ineligible" });
    const again = await post({ intent: "eligible" });
    expect(again.status).toBe(400);
  });

  it("the form cannot screen a different proposal from the one in the address", async () => {
    const [p, other] = [await supported("Address"), await supported("Smuggled")];
    const request = await postForm(`/admin/proposals/${p.id}`, { intent: "eligible", proposalIds: other.id }, { cookie: adminCookie });
    expect((await runAction(detailAction, request, { proposalId: p.id })).status).toBe(200);
    expect(await statusesOf([p.id, other.id])).toEqual({ [p.id]: "eligible", [other.id]: "supported" });
  });
});

describe("screening is for administrators only", () => {
  it("lead organisations, applicants and panel members get 403 on the queue, its action and the proposal page", async () => {
    const p = await supported("Protected");
    for (const role of ["lead_org", "applicant", "panel_member", "adviser"] as const) {
      const user = await makeUser({
        role,
        organisationId: role === "lead_org" ? lead.id : role === "applicant" ? community.id : null,
        decisionGroupId: role === "panel_member" || role === "adviser" ? group.id : null,
      });
      const cookie = await sessionCookieFor(user.id);
      expect((await runLoader(screeningLoader, getRequest("/admin/screening", { cookie }))).status).toBe(403);
      const request = await postForm("/admin/screening", { proposalIds: p.id, intent: "eligible" }, { cookie });
      expect((await runAction(screeningAction, request)).status).toBe(403);
      expect((await runLoader(detailLoader, getRequest(`/admin/proposals/${p.id}`, { cookie }), { proposalId: p.id })).status).toBe(403);
      const single = await postForm(`/admin/proposals/${p.id}`, { intent: "eligible" }, { cookie });
      expect((await runAction(detailAction, single, { proposalId: p.id })).status).toBe(403);
    }
    expect(await statusesOf([p.id])).toEqual({ [p.id]: "supported" });
  });

  it("someone not signed in is sent to sign in", async () => {
    const response = await runLoader(screeningLoader, getRequest("/admin/screening"));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });
});

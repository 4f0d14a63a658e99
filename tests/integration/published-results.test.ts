import { beforeAll, describe, expect, it } from "vitest";
import { action as publishAction, loader as adminResultsLoader } from "~/routes/admin.funds.$fundId.results";
import { action as decisionsAction } from "~/routes/admin.groups.$groupId.decisions";
import { loader as publicLoader } from "~/routes/funds.$fundId.results";
import { loader as publicGroupLoader } from "~/routes/funds.$fundId.results_.$groupId";
import { getDb } from "~/utils/db.server";
import { newId, nowIso } from "~/utils/ids.server";
import { auditEventsFor, makeDecisionGroup, makeFund, makeOrganisation, makeProposal, makeUser } from "../factories";
import { addCriterion, closeScoring, panelMember, scoreSheet } from "../support/decisions";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

let fund: { id: string };
let groups: { id: string; fund_id: string }[];
let adminCookie: string;
let admin: { id: string };
const secretNames = ["Sally Secretscorer", "Vikram Hiddenname"];
const funded: { title: string; pence: number }[] = [];

beforeAll(async () => {
  admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
  fund = await makeFund({ name: "Resilience Fund" });
  groups = [await makeDecisionGroup({ fundId: fund.id, name: "Inner City" }), await makeDecisionGroup({ fundId: fund.id, name: "Equality groups" })];
  const criterion = await addCriterion(fund.id, 1, 1);
  const org = await makeOrganisation({ name: "Lawrence Hill Allotments" });
  const [first, second] = [groups[0]!, groups[1]!];
  const scorer = await panelMember(first.id, { name: secretNames[0], constituency: "resident" });
  await panelMember(first.id, { name: secretNames[1], constituency: "councillor" });
  await panelMember(first.id, { name: "Nadia Public", constituency: "vcse", isNamePublic: true, isChair: true });
  await panelMember(second.id, { name: "Another Hidden", constituency: "resident" });

  const decide = async (groupId: string, title: string, outcome: "funded" | "not_funded", pounds: number) => {
    const p = await makeProposal({
      decisionGroupId: groupId,
      organisationId: org.id,
      status: "under_review",
      content: { title, amountRequestedPence: pounds * 100 },
    });
    await scoreSheet(p.id, scorer.id, { [criterion.id]: 4 });
    // Decisions come once the group's scoring has closed.
    await closeScoring(groupId);
    const response = await runAction(
      decisionsAction,
      await postForm(
        `/admin/groups/${groupId}/decisions`,
        { proposalId: p.id, outcome, amount: outcome === "funded" ? String(pounds) : "", reason: `Reason for ${title}: clear community benefit.` },
        { cookie: adminCookie },
      ),
      { groupId },
    );
    expect(response.status).toBe(302);
    if (outcome === "funded") funded.push({ title, pence: pounds * 100 });
  };
  await decide(first.id, "Allotment shed", "funded", 20_000);
  await decide(first.id, "Tool library", "funded", 15_000.5);
  await decide(first.id, "Mural", "not_funded", 12_000);
  await decide(second.id, "Accessible minibus", "funded", 45_000);
  // Received but not eligible, and a draft that was never submitted.
  await makeProposal({ decisionGroupId: first.id, organisationId: org.id, status: "ineligible" });
  await makeProposal({ decisionGroupId: first.id, organisationId: org.id, status: "draft" });
  await getDb()
    .insertInto("meeting")
    .values({
      id: newId(),
      decision_group_id: first.id,
      title: "Decision meeting",
      held_on: "2027-03-01",
      status: "closed",
      minutes: "The panel agreed three decisions.",
      opened_by: admin.id,
      created_at: nowIso(),
      closed_at: nowIso(),
    })
    .execute();
  await getDb()
    .insertInto("meeting")
    .values({
      id: newId(),
      decision_group_id: first.id,
      title: "Open meeting",
      held_on: "2027-03-08",
      status: "open",
      minutes: "Draft notes not for publishing.",
      opened_by: admin.id,
      created_at: nowIso(),
    })
    .execute();
});

const publicPage = () => runLoader(publicLoader, getRequest(`/funds/${fund.id}/results`), { fundId: fund.id });
const publicGroupPage = (groupId: string) => runLoader(publicGroupLoader, getRequest(`/funds/${fund.id}/results/${groupId}`), { fundId: fund.id, groupId });

async function publish(intent: "publish" | "unpublish", cookie = adminCookie) {
  return runAction(publishAction, await postForm(`/admin/funds/${fund.id}/results`, { intent }, { cookie }), { fundId: fund.id });
}

describe("published results", () => {
  it("are not found by the public until an administrator publishes them", async () => {
    expect((await publicPage()).status).toBe(404);
    const preview = await runLoader(publicLoader, getRequest(`/funds/${fund.id}/results`, { cookie: adminCookie }), { fundId: fund.id });
    expect(preview.status).toBe(200);
  });

  it("only an administrator can publish them", async () => {
    const lead = await makeUser({ role: "lead_org" });
    expect((await publish("publish", await sessionCookieFor(lead.id))).status).toBe(403);
    expect((await publicPage()).status).toBe(404);
  });

  it("once published, anyone can read the funded projects, amounts and reasons, with totals that add up", async () => {
    const response = await publish("publish");
    expect(response.status).toBe(302);
    expect((await auditEventsFor("fund.results_published")).some((e) => e.entity_id === fund.id)).toBe(true);

    const page = await publicPage();
    expect(page.status).toBe(200);
    const body = await page.json();
    expect(body.groups.map((g: { name: string }) => g.name)).toEqual(["Equality groups", "Inner City"]);
    // The fund's page lists every funded project (one page of them here) and sums each group.
    expect(body.projects.items.map((p: { title: string; group: string }) => `${p.group}: ${p.title}`).sort()).toEqual([
      "Equality groups: Accessible minibus",
      "Inner City: Allotment shed",
      "Inner City: Tool library",
    ]);
    const innerCity = body.groups.find((g: { name: string }) => g.name === "Inner City");
    expect(innerCity.fundedPence).toBe(2_000_000 + 1_500_050);
    expect(innerCity.counts).toEqual({ received: 4, funded: 2 });
    // The group's own page has its projects with the panel's reasons, and every count.
    const groupPage = await publicGroupPage(innerCity.id);
    expect(groupPage.status).toBe(200);
    const detail = await groupPage.json();
    expect(detail.projects.items.map((p: { title: string }) => p.title).sort()).toEqual(["Allotment shed", "Tool library"]);
    expect(detail.projects.items.find((p: { title: string }) => p.title === "Allotment shed").reason).toBe(
      "Reason for Allotment shed: clear community benefit.",
    );
    expect(detail.group.fundedPence).toBe(2_000_000 + 1_500_050);
    expect(detail.group.counts).toEqual({ received: 4, eligible: 3, funded: 2, notFunded: 1, reserve: 0 });
    const fundedTotal = funded.reduce((s, f) => s + f.pence, 0);
    expect(body.totals.fundedPence).toBe(fundedTotal);
    expect(body.groups.reduce((s: number, g: { fundedPence: number }) => s + g.fundedPence, 0)).toBe(fundedTotal);
    expect(body.totals.funded).toBe(3);
    expect(body.totals.received).toBe(5);
  });

  it("shows the panel by constituency, names only those who agreed, the minutes of closed meetings, and never a score or scorer", async () => {
    const body = await (await publicPage()).json();
    const pages = await Promise.all(groups.map(async (g) => (await publicGroupPage(g.id)).json()));
    const innerCity = pages.find((p) => p.group.name === "Inner City").group;
    expect(innerCity.panel.counts).toEqual({ resident: 1, councillor: 1, vcse: 1 });
    expect(innerCity.panel.publicNames).toEqual([{ name: "Nadia Public", constituency: "vcse", isChair: true }]);
    expect(innerCity.minutes.map((m: { title: string }) => m.title)).toEqual(["Decision meeting"]);
    const text = JSON.stringify([body, ...pages]);
    for (const name of [...secretNames, "Another Hidden"]) expect(text).not.toContain(name);
    expect(text).not.toContain("Draft notes not for publishing.");
    expect(text).not.toMatch(/"(mark|marks|mean|median|score|scores|standardDeviation|scorerCount|normalisedScore)"/);
  });

  it("unpublishing takes them down again, audited", async () => {
    expect((await publish("unpublish")).status).toBe(302);
    expect((await publicPage()).status).toBe(404);
    expect((await publicGroupPage(groups[0]!.id)).status).toBe(404);
    expect((await auditEventsFor("fund.results_unpublished")).some((e) => e.entity_id === fund.id)).toBe(true);
    const again = await publish("unpublish");
    expect(again.status).toBe(400);
    const admin = await runLoader(adminResultsLoader, getRequest(`/admin/funds/${fund.id}/results`, { cookie: adminCookie }), { fundId: fund.id });
    expect((await admin.json()).fund.publishedAt).toBeNull();
  });
});

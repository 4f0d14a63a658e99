import { createHash } from "node:crypto";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { action as publishAction } from "~/routes/admin.funds.$fundId.results";
import PublicResults, { loader as publicLoader } from "~/routes/funds.$fundId.results";
import { loader as groupLoader } from "~/routes/funds.$fundId.results_.$groupId";
import { getDb } from "~/utils/db.server";
import { newId, nowIso } from "~/utils/ids.server";
import { erasePerson } from "~/services/personal-data.server";
import { actorOf, auditEventsFor, makeDecisionGroup, makeFund, makeFundedDecision, makeOrganisation, makeProposal, makeUser } from "../factories";
import { panelMember } from "../support/decisions";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

// Issue 11 items 3 and 5: published results are drawn from a snapshot taken at
// publishing, and the public pages are paged so they do not grow with the fund.

let admin: Awaited<ReturnType<typeof makeUser>>;
let adminCookie: string;

beforeAll(async () => {
  admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
});

/** A fund with one decision group and `funded` funded projects (titles "Project 001"…), and a closed meeting with minutes. */
let fundsMade = 0;
async function fundWith(funded: number, name = "Snapshot Fund") {
  const prefix = `F${String(++fundsMade).padStart(2, "0")}`;
  const fund = await makeFund({ name });
  const group = await makeDecisionGroup({ fundId: fund.id, name: "North" });
  const org = await makeOrganisation({ name: "Northside Growers" });
  const projects: { proposalId: string; decisionId: string }[] = [];
  for (let i = 1; i <= funded; i++) {
    const proposal = await makeProposal({
      decisionGroupId: group.id,
      organisationId: org.id,
      status: "under_review",
      content: { title: `Project ${String(i).padStart(3, "0")}` },
    });
    // References sort in the order made, so page 2 starts at Project 051.
    await getDb()
      .updateTable("proposal")
      .set({ reference: `${prefix}-${String(i).padStart(4, "0")}` })
      .where("id", "=", proposal.id)
      .execute();
    const { decisionId } = await makeFundedDecision({ decisionGroupId: group.id, proposalId: proposal.id, amountPence: 1_000_000, decidedBy: admin.id });
    projects.push({ proposalId: proposal.id, decisionId });
  }
  const meetingId = newId();
  await getDb()
    .insertInto("meeting")
    .values({
      id: meetingId,
      decision_group_id: group.id,
      title: "Decision meeting",
      held_on: "2027-03-01",
      status: "closed",
      minutes: "The panel agreed every decision.",
      opened_by: admin.id,
      created_at: nowIso(),
      closed_at: nowIso(),
    })
    .execute();
  return { fund, group, org, projects, meetingId };
}

const publish = async (fundId: string, intent: "publish" | "unpublish" = "publish") => {
  const response = await runAction(publishAction, await postForm(`/admin/funds/${fundId}/results`, { intent }, { cookie: adminCookie }), { fundId });
  expect(response.status).toBe(302);
};
const summary = (fundId: string, query = "") => runLoader(publicLoader, getRequest(`/funds/${fundId}/results${query}`), { fundId });
const groupPage = (fundId: string, groupId: string, query = "") =>
  runLoader(groupLoader, getRequest(`/funds/${fundId}/results/${groupId}${query}`), { fundId, groupId });
const snapshotsOf = (fundId: string) => getDb().selectFrom("results_snapshot").selectAll().where("fund_id", "=", fundId).orderBy("version").execute();

type Summary = {
  fund: { name: string; budgetPence: number };
  totals: { fundedPence: number; funded: number };
  projects: {
    items: { title: string; reason: string; amountPence: number; organisation: string }[];
    page: number;
    pageCount: number;
    total: number;
    isOutOfRange: boolean;
  };
};

/** The public results page as the browser gets it: the route's loader and component rendered to HTML. */
async function renderSummary(fundId: string, query = "") {
  const handler = createStaticHandler([
    {
      id: "results",
      path: "/funds/:fundId/results",
      loader: ({ request, params }) => publicLoader({ request, params, context: { cspNonce: "test", pendingCookies: [] } }),
      Component: PublicResults,
    },
  ]);
  const context = await handler.query(getRequest(`/funds/${fundId}/results${query}`));
  if (context instanceof Response) throw new Error(`Expected a page, got ${context.status}`);
  const html = renderToString(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }));
  return { html, status: context.statusCode };
}

describe("publishing takes a snapshot", () => {
  it("stores the results with their sha256 and version 1, recorded in the published event of the same transaction", async () => {
    const { fund } = await fundWith(3);
    expect(await snapshotsOf(fund.id)).toEqual([]);
    await publish(fund.id);
    const [row, ...others] = await snapshotsOf(fund.id);
    expect(others).toEqual([]);
    expect(row!.version).toBe(1);
    expect(row!.hash).toBe(createHash("sha256").update(row!.content).digest("hex"));
    const content = JSON.parse(row!.content) as { groups: { funded: { title: string }[]; minutes: { minutes: string }[] }[] };
    expect(content.groups[0]!.funded.map((p) => p.title)).toEqual(["Project 001", "Project 002", "Project 003"]);
    expect(content.groups[0]!.minutes[0]!.minutes).toBe("The panel agreed every decision.");
    const event = (await auditEventsFor("fund.results_published")).find((e) => e.entity_id === fund.id)!;
    expect(JSON.parse(event.after!)).toMatchObject({ snapshot_version: 1, snapshot_hash: row!.hash });
  });

  it("later changes to decisions, proposals, minutes and the fund do not change the public pages", async () => {
    const { fund, group, org, projects, meetingId } = await fundWith(3);
    await publish(fund.id);
    const before = [await (await summary(fund.id)).json(), await (await groupPage(fund.id, group.id)).json()];
    const { html: htmlBefore } = await renderSummary(fund.id);

    const db = getDb();
    await db.updateTable("decision").set({ reason: "A new reason written later.", amount_pence: 5 }).where("id", "=", projects[0]!.decisionId).execute();
    await db.updateTable("decision").set({ outcome: "not_funded", amount_pence: null }).where("id", "=", projects[1]!.decisionId).execute();
    await db.updateTable("proposal").set({ status: "not_funded" }).where("id", "=", projects[1]!.proposalId).execute();
    await db.updateTable("proposal").set({ title: "Renamed later" }).where("id", "=", projects[2]!.proposalId).execute();
    await db.updateTable("organisation").set({ name: "Renamed Growers" }).where("id", "=", org.id).execute();
    await db.updateTable("meeting").set({ minutes: "Minutes changed later." }).where("id", "=", meetingId).execute();
    await db.updateTable("decision_group").set({ pot_pence: 1 }).where("id", "=", group.id).execute();
    await db.updateTable("fund").set({ name: "Renamed fund", budget_pence: 7 }).where("id", "=", fund.id).execute();
    const late = await makeProposal({
      decisionGroupId: group.id,
      organisationId: org.id,
      status: "under_review",
      content: { title: "Funded after publishing" },
    });
    await makeFundedDecision({ decisionGroupId: group.id, proposalId: late.id, decidedBy: admin.id });

    const after = [await (await summary(fund.id)).json(), await (await groupPage(fund.id, group.id)).json()];
    expect(after).toEqual(before);
    expect((await renderSummary(fund.id)).html).toBe(htmlBefore);
    expect(htmlBefore).toContain("Project 002");
    expect(htmlBefore).not.toContain("Renamed");
  });

  it("publishing again after unpublishing takes a new snapshot, and the newest one is shown", async () => {
    const { fund, projects } = await fundWith(2);
    await publish(fund.id);
    await getDb().updateTable("decision").set({ reason: "Corrected reason." }).where("id", "=", projects[0]!.decisionId).execute();
    expect(((await (await summary(fund.id)).json()) as Summary).projects.items[0]!.reason).not.toBe("Corrected reason.");
    await publish(fund.id, "unpublish");
    expect((await summary(fund.id)).status).toBe(404);
    await publish(fund.id);
    expect((await snapshotsOf(fund.id)).map((s) => s.version)).toEqual([1, 2]);
    expect(((await (await summary(fund.id)).json()) as Summary).projects.items[0]!.reason).toBe("Corrected reason.");
  });

  it("results published before snapshots were kept get one the first time they are read, once, with an audit event", async () => {
    const { fund, group, projects } = await fundWith(2);
    // Published the old way: only the date was set.
    await getDb().updateTable("fund").set({ results_published_at: nowIso() }).where("id", "=", fund.id).execute();
    const events = async () => (await auditEventsFor("fund.results_snapshot_taken")).filter((e) => e.entity_id === fund.id);
    expect(await events()).toEqual([]);
    const first = await summary(fund.id);
    expect(first.status).toBe(200);
    const [row, ...others] = await snapshotsOf(fund.id);
    expect(others).toEqual([]);
    const [event] = await events();
    expect(event).toMatchObject({ actor: "system" });
    expect(JSON.parse(event!.after!)).toMatchObject({ snapshot_version: 1, snapshot_hash: row!.hash });

    await getDb().updateTable("decision").set({ reason: "Changed after the first read." }).where("id", "=", projects[0]!.decisionId).execute();
    expect((await groupPage(fund.id, group.id)).status).toBe(200);
    const again = (await (await summary(fund.id)).json()) as Summary;
    expect(again.projects.items.map((p) => p.reason)).not.toContain("Changed after the first read.");
    expect(await snapshotsOf(fund.id)).toHaveLength(1);
    expect(await events()).toHaveLength(1);
  });

  it("erasing a panel member who agreed to be named takes their name off the published pages at once", async () => {
    const { fund, group } = await fundWith(1);
    const member = await panelMember(group.id, { name: "Nella Namedchair", constituency: "vcse", isNamePublic: true, isChair: true });
    await publish(fund.id);
    const names = async () =>
      ((await (await groupPage(fund.id, group.id)).json()) as { group: { panel: { publicNames: { name: string }[] } } }).group.panel.publicNames;
    expect((await names()).map((m) => m.name)).toEqual(["Nella Namedchair"]);
    await erasePerson(getDb(), actorOf(admin), member.id, "Asked to be forgotten");
    expect(JSON.stringify(await names())).not.toContain("Namedchair");
    const [row] = await snapshotsOf(fund.id);
    expect(row!.content).not.toContain("Namedchair");
  });

  it("an administrator's preview before publishing shows the live data and stores nothing", async () => {
    const { fund, group } = await fundWith(1);
    const preview = await runLoader(publicLoader, getRequest(`/funds/${fund.id}/results`, { cookie: adminCookie }), { fundId: fund.id });
    expect(preview.status).toBe(200);
    const groupPreview = await runLoader(groupLoader, getRequest(`/funds/${fund.id}/results/${group.id}`, { cookie: adminCookie }), {
      fundId: fund.id,
      groupId: group.id,
    });
    expect(groupPreview.status).toBe(200);
    expect((await summary(fund.id)).status).toBe(404);
    expect((await groupPage(fund.id, group.id)).status).toBe(404);
    expect(await snapshotsOf(fund.id)).toEqual([]);
  });
});

describe("the public results are paged", () => {
  let big: Awaited<ReturnType<typeof fundWith>>;
  let small: Awaited<ReturnType<typeof fundWith>>;
  beforeAll(async () => {
    big = await fundWith(120, "Big Fund");
    small = await fundWith(60, "Small Fund");
    await publish(big.fund.id);
    await publish(small.fund.id);
  });

  it("shows 50 funded projects a page; page 2 has the next 50 and page 3 the last 20, with the fund's totals on each", async () => {
    const pages = await Promise.all([1, 2, 3].map(async (n) => (await (await summary(big.fund.id, `?page=${n}`)).json()) as Summary));
    expect(pages.map((p) => p.projects.items.length)).toEqual([50, 50, 20]);
    expect(pages[1]!.projects.items[0]!.title).toBe("Project 051");
    expect(pages[1]!.projects.items[49]!.title).toBe("Project 100");
    const titles = pages.flatMap((p) => p.projects.items.map((i) => i.title));
    expect(new Set(titles).size).toBe(120);
    for (const p of pages) {
      expect(p.projects).toMatchObject({ pageCount: 3, total: 120, isOutOfRange: false });
      expect(p.totals).toMatchObject({ funded: 120, fundedPence: 120 * 1_000_000 });
    }
    // No page asked for is page 1.
    expect(((await (await summary(big.fund.id)).json()) as Summary).projects.items[0]!.title).toBe("Project 001");
  });

  it("a group's page is paged the same way", async () => {
    const second = (await (await groupPage(big.fund.id, big.group.id, "?page=2")).json()) as Summary;
    expect(second.projects.items.map((p) => p.title).slice(0, 2)).toEqual(["Project 051", "Project 052"]);
    expect(second.projects).toMatchObject({ page: 2, pageCount: 3, total: 120 });
    const beyond = await groupPage(big.fund.id, big.group.id, "?page=4");
    expect(beyond.status).toBe(404);
    expect(((await beyond.json()) as Summary).projects).toMatchObject({ items: [], isOutOfRange: true, pageCount: 3 });
  });

  it("a page that does not exist answers 404 with the summary and a plain message, not an error", async () => {
    for (const query of ["?page=4", "?page=0", "?page=abc", "?page=-1", "?page=99999999999"]) {
      const response = await summary(big.fund.id, query);
      expect(response.status, query).toBe(404);
      const body = (await response.json()) as Summary;
      expect(body.projects, query).toMatchObject({ items: [], isOutOfRange: true, pageCount: 3 });
      expect(body.totals.funded).toBe(120);
    }
    const { html, status } = await renderSummary(big.fund.id, "?page=9");
    expect(status).toBe(404);
    expect(html).toContain("There is no page 9 of funded projects. There are 3 pages.");
    expect(html).toContain('href="/funds/' + big.fund.id + '/results?page=1"');
  });

  it("page 1's HTML does not grow with the number of funded projects: 120 or 60, it has 50 project rows and the same size", async () => {
    const [bigPage, smallPage] = [await renderSummary(big.fund.id), await renderSummary(small.fund.id)];
    const projectRows = (html: string) => (html.match(/<th scope="row" class="font-normal">Project \d{3}<\/th>/g) ?? []).length;
    expect(projectRows(bigPage.html)).toBe(50);
    expect(projectRows(smallPage.html)).toBe(50);
    expect(bigPage.html).toContain(`href="/funds/${big.fund.id}/results?page=2"`);
    // Only the counts and the fund's name differ between the two pages.
    expect(Math.abs(bigPage.html.length - smallPage.html.length)).toBeLessThan(100);
    // The data sent for the browser holds only the page shown, too.
    const [bigData, smallData] = [JSON.stringify(await (await summary(big.fund.id)).json()), JSON.stringify(await (await summary(small.fund.id)).json())];
    expect(Math.abs(bigData.length - smallData.length)).toBeLessThan(100);
  });
});

import { describe, expect, it } from "vitest";
import { action as publishAction, loader as adminResultsLoader } from "~/routes/admin.funds.$fundId.results";
import { action as decisionsAction } from "~/routes/admin.groups.$groupId.decisions";
import * as openCsv from "~/routes/funds.$fundId.360giving[.]csv";
import * as openJson from "~/routes/funds.$fundId.360giving[.]json";
import { loader as publicLoader } from "~/routes/funds.$fundId.results";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, makeAward, makeDecisionGroup, makeFund, makeOrganisation, makeProposal, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

async function adminCookie() {
  const admin = await makeUser({ role: "admin" });
  return sessionCookieFor(admin.id);
}

async function publish(fundId: string, cookie: string, intent: "publish" | "unpublish" = "publish") {
  return runAction(publishAction, await postForm(`/admin/funds/${fundId}/results`, { intent }, { cookie }), { fundId });
}

async function decide(groupId: string, proposalId: string, cookie: string) {
  const response = await runAction(
    decisionsAction,
    await postForm(
      `/admin/groups/${groupId}/decisions`,
      { proposalId, outcome: "not_funded", reason: "Other projects met more of the fund's priorities." },
      { cookie },
    ),
    { groupId },
  );
  expect(response.status).toBe(302);
}

describe("publishing results while proposals are undecided", () => {
  it("is refused, naming each undecided proposal with a link to decide it, until every proposal has a decision", async () => {
    const cookie = await adminCookie();
    const fund = await makeFund({ name: "Pending Fund" });
    const group = await makeDecisionGroup({ fundId: fund.id, name: "Hillside" });
    const org = await makeOrganisation();
    const waiting = [
      await makeProposal({ decisionGroupId: group.id, organisationId: org.id, status: "under_review", content: { title: "Play park" } }),
      await makeProposal({ decisionGroupId: group.id, organisationId: org.id, status: "eligible", content: { title: "Tool library" } }),
      await makeProposal({ decisionGroupId: group.id, organisationId: org.id, status: "under_review", content: { title: "Community fridge" } }),
    ];
    // Neither of these is waiting for the panel: one was ruled out, the other never sent.
    await makeProposal({ decisionGroupId: group.id, organisationId: org.id, status: "ineligible" });
    await makeProposal({ decisionGroupId: group.id, organisationId: org.id, status: "draft" });

    const refused = await publish(fund.id, cookie);
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { errors: Record<string, string> };
    expect(body.errors.intent).toMatch(/cannot be published yet: 3 proposals have no decision/);
    for (const p of waiting) expect(body.errors.intent).toContain(`${p.reference} (${p.title})`);
    const fundRow = await getDb().selectFrom("fund").select("results_published_at").where("id", "=", fund.id).executeTakeFirstOrThrow();
    expect(fundRow.results_published_at).toBeNull();
    expect((await runLoader(publicLoader, getRequest(`/funds/${fund.id}/results`), { fundId: fund.id })).status).toBe(404);
    expect((await auditEventsFor("fund.results_published")).some((e) => e.entity_id === fund.id)).toBe(false);

    // The page lists them, each linked to where its decision is made.
    const page = (await (await runLoader(adminResultsLoader, getRequest(`/admin/funds/${fund.id}/results`, { cookie }), { fundId: fund.id })).json()) as {
      undecided: { id: string; label: string; href: string }[];
    };
    expect(page.undecided.map((p) => p.id).sort()).toEqual(waiting.map((p) => p.id).sort());
    expect(page.undecided.find((p) => p.id === waiting[0]!.id)!.href).toBe(`/admin/groups/${group.id}/decisions?proposal=${waiting[0]!.id}#decision`);

    // Two decided: still refused, now naming only the last one.
    await decide(group.id, waiting[0]!.id, cookie);
    await decide(group.id, waiting[1]!.id, cookie);
    const stillRefused = await publish(fund.id, cookie);
    expect(stillRefused.status).toBe(400);
    const message = ((await stillRefused.json()) as { errors: Record<string, string> }).errors.intent!;
    expect(message).toMatch(/1 proposal has no decision/);
    expect(message).toContain(waiting[2]!.reference);
    expect(message).not.toContain(waiting[0]!.reference);

    await decide(group.id, waiting[2]!.id, cookie);
    expect((await publish(fund.id, cookie)).status).toBe(302);
    expect((await runLoader(publicLoader, getRequest(`/funds/${fund.id}/results`), { fundId: fund.id })).status).toBe(200);
  });

  it("counts a proposal supported by its lead organisation but never screened as undecided", async () => {
    const cookie = await adminCookie();
    const fund = await makeFund();
    const group = await makeDecisionGroup({ fundId: fund.id });
    const supported = await makeProposal({ decisionGroupId: group.id, organisationId: (await makeOrganisation()).id, status: "supported" });
    const refused = await publish(fund.id, cookie);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: Record<string, string> }).errors.intent).toContain(supported.reference);
  });
});

describe("360Giving open data follows the published results", () => {
  it("answers 404 for a published fund with accepted awards until its results are published, then 200, and 404 again once unpublished", async () => {
    const cookie = await adminCookie();
    const fund = await makeFund({ name: "Open Fund" });
    const group = await makeDecisionGroup({ fundId: fund.id, name: "Riverside" });
    await makeAward({ decisionGroupId: group.id, status: "accepted", amountPence: 5_000_000 });
    const open = async () => ({
      json: (await runLoader(openJson.loader, getRequest(`/funds/${fund.id}/360giving.json`), { fundId: fund.id })).status,
      csv: (await runLoader(openCsv.loader, getRequest(`/funds/${fund.id}/360giving.csv`), { fundId: fund.id })).status,
      results: (await runLoader(publicLoader, getRequest(`/funds/${fund.id}/results`), { fundId: fund.id })).status,
    });
    // The fund itself is public (makeFund publishes it) and an award is accepted, but the results are not published.
    expect((await getDb().selectFrom("fund").select("is_published").where("id", "=", fund.id).executeTakeFirstOrThrow()).is_published).toBe(1);
    expect(await open()).toEqual({ json: 404, csv: 404, results: 404 });

    expect((await publish(fund.id, cookie)).status).toBe(302);
    expect(await open()).toEqual({ json: 200, csv: 200, results: 200 });

    expect((await publish(fund.id, cookie, "unpublish")).status).toBe(302);
    expect(await open()).toEqual({ json: 404, csv: 404, results: 404 });
  });
});

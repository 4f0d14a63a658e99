import { describe, expect, it } from "vitest";
import { loader as fundLoader } from "~/routes/funds.$fundId._index";
import { loader as fundsLoader } from "~/routes/funds._index";
import { getDb } from "~/utils/db.server";
import { makeDecisionGroup, makeFund } from "../factories";
import { makeEligibilityQuestion, makeLeadOrganisation, signedIn } from "../support/funds";
import { getRequest, runLoader } from "../support/http";

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function unpublish(fundId: string) {
  await getDb().updateTable("fund").set({ is_published: 0 }).where("id", "=", fundId).execute();
}

async function setDates(fundId: string, opens: number, closes: number) {
  await getDb()
    .updateTable("fund")
    .set({ opens_on: isoDay(opens), closes_on: isoDay(closes) })
    .where("id", "=", fundId)
    .execute();
}

describe("the public list of funds", () => {
  it("anyone can see published funds with their purpose, type, budget and closing date, but not unpublished ones", async () => {
    const published = await makeFund({ name: "Published fund", budgetPence: 400_000_000 });
    await setDates(published.id, -10, 30);
    const hidden = await makeFund({ name: "Hidden fund" });
    await unpublish(hidden.id);
    const response = await runLoader(fundsLoader, getRequest("/funds"));
    expect(response.status).toBe(200);
    const { funds } = await response.json();
    const ids = funds.rows.map((f: { id: string }) => f.id);
    expect(ids).toContain(published.id);
    expect(ids).not.toContain(hidden.id);
    expect(funds.rows.find((f: { id: string }) => f.id === published.id)).toMatchObject({
      purpose: "A test fund.",
      type: "capital",
      budget_pence: 400_000_000,
      closes_on: isoDay(30),
      window: "open",
    });
  });
});

describe("a fund's public page", () => {
  it("anyone can read a published fund: who can apply, its dates, and its decision groups with lead organisations' contact emails", async () => {
    const fund = await makeFund({ name: "Resilience Fund" });
    await setDates(fund.id, -5, 20);
    await makeEligibilityQuestion(fund.id, { text: "Is your group in Bristol?" });
    const lead = await makeLeadOrganisation({ name: "Easton Hub", contactEmail: "hello@easton.example" });
    const group = await makeDecisionGroup({ fundId: fund.id, name: "East Central", leadOrganisationId: lead.id });
    const response = await runLoader(fundLoader, getRequest(`/funds/${fund.id}`), { fundId: fund.id });
    expect(response.status).toBe(200);
    const data = await response.json();
    expect(data.fund).toMatchObject({ name: "Resilience Fund", closes_on: isoDay(20) });
    expect(data.questions).toEqual([
      expect.objectContaining({
        text: "Is your group in Bristol?",
        rule: 'Groups that answer "No" cannot apply.',
        reason: "This fund is only for groups in its area.",
      }),
    ]);
    expect(data.groups).toMatchObject([
      {
        id: group.id,
        name: "East Central",
        area: "Test area",
        pot_pence: 50_000_000,
        min_grant_pence: 1_000_000,
        max_grant_pence: 10_000_000,
        leadOrganisations: [{ name: "Easton Hub", contactEmail: "hello@easton.example" }],
      },
    ]);
    expect(data.submission).toBe("open");
  });

  it("an unpublished fund is 404 for anyone not signed in, and for an applicant", async () => {
    const fund = await makeFund();
    await unpublish(fund.id);
    expect((await runLoader(fundLoader, getRequest(`/funds/${fund.id}`), { fundId: fund.id })).status).toBe(404);
    const { cookie } = await signedIn("applicant");
    expect((await runLoader(fundLoader, getRequest(`/funds/${fund.id}`, { cookie }), { fundId: fund.id })).status).toBe(404);
  });

  it("an administrator may preview an unpublished fund", async () => {
    const fund = await makeFund();
    await unpublish(fund.id);
    const { cookie } = await signedIn("admin");
    const response = await runLoader(fundLoader, getRequest(`/funds/${fund.id}`, { cookie }), { fundId: fund.id });
    expect(response.status).toBe(200);
    expect((await response.json()).fund.is_published).toBe(0);
  });

  it("a fund that does not exist is 404", async () => {
    expect((await runLoader(fundLoader, getRequest("/funds/nope"), { fundId: "nope" })).status).toBe(404);
  });

  it("a fund not yet open says so instead of offering to start a proposal", async () => {
    const fund = await makeFund();
    await setDates(fund.id, 10, 40);
    const data = await (await runLoader(fundLoader, getRequest(`/funds/${fund.id}`), { fundId: fund.id })).json();
    expect(data.submission).toBe("not_open");
  });
});

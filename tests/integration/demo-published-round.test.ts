import { beforeAll, describe, expect, it } from "vitest";
import { PAST_FUND_NAME } from "../../db/demo-past-round";
import { seedDemo } from "../../db/demo-data";
import { loader as fundLoader } from "~/routes/funds.$fundId._index";
import { loader as csvLoader } from "~/routes/funds.$fundId.360giving[.]csv";
import { loader as jsonLoader } from "~/routes/funds.$fundId.360giving[.]json";
import { loader as resultsLoader } from "~/routes/funds.$fundId.results";
import { loader as groupResultsLoader } from "~/routes/funds.$fundId.results_.$groupId";
import { loader as youSaidLoader } from "~/routes/funds.$fundId.you-said-we-did";
import { loader as fundsLoader } from "~/routes/funds._index";
import { loader as evaluationLoader } from "~/routes/admin.funds.$fundId.evaluation";
import { getDb } from "~/utils/db.server";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

type Link = { key: string; href: string };
let pastFundId: string;

// The demo itself, written as `npm start` writes it: a newcomer should find every public page of a decided round.
beforeAll(async () => {
  await seedDemo(getDb());
  const fund = await getDb().selectFrom("fund").select("id").where("name", "=", PAST_FUND_NAME).executeTakeFirstOrThrow();
  pastFundId = fund.id;
}, 120_000);

describe("the demo holds a round already decided and published", () => {
  it("/funds lists it with links to its results, minutes, both 360Giving files and You said, we did", async () => {
    const { funds } = (await (await runLoader(fundsLoader, getRequest("/funds"))).json()) as { funds: { rows: { id: string; links: Link[] }[] } };
    const row = funds.rows.find((f) => f.id === pastFundId);
    expect(row?.links.map((l) => l.key)).toEqual(["results", "minutes", "json", "csv", "youSaidWeDid"]);
    const page = (await (await runLoader(fundLoader, getRequest(`/funds/${pastFundId}`), { fundId: pastFundId })).json()) as { links: Link[] };
    expect(page.links).toEqual(row?.links);
  });

  it("every one of those public pages and files answers, with funded projects, minutes and entries", async () => {
    const params = { fundId: pastFundId };
    const results = await runLoader(resultsLoader, getRequest(`/funds/${pastFundId}/results`), params);
    expect(results.status).toBe(200);
    const data = (await results.json()) as {
      totals: { funded: number; received: number };
      groups: { id: string }[];
      projects: { items: unknown[] };
      hasOpenData: boolean;
    };
    expect(data.totals).toMatchObject({ funded: 2, received: 3 });
    expect(data.projects.items).toHaveLength(2);
    expect(data.hasOpenData).toBe(true);
    // The minutes are on the group's own results page.
    const groupId = data.groups[0]!.id;
    const group = await runLoader(groupResultsLoader, getRequest(`/funds/${pastFundId}/results/${groupId}`), { ...params, groupId });
    expect(group.status).toBe(200);
    const groupData = (await group.json()) as { group: { minutes: { minutes: string }[] }; projects: { items: unknown[] } };
    expect(groupData.group.minutes[0]!.minutes).toMatch(/voted to fund/);
    expect(groupData.projects.items).toHaveLength(2);

    const json = await runLoader(jsonLoader, getRequest(`/funds/${pastFundId}/360giving.json`), params);
    expect(json.status).toBe(200);
    expect(((await json.json()) as { grants: unknown[] }).grants).toHaveLength(2);
    expect((await runLoader(csvLoader, getRequest(`/funds/${pastFundId}/360giving.csv`), params)).status).toBe(200);

    const said = (await (await runLoader(youSaidLoader, getRequest(`/funds/${pastFundId}/you-said-we-did`), params)).json()) as { entries: unknown[] };
    expect(said.entries).toHaveLength(2);
  });

  it("last round's panel memberships have ended, so the panel members act only in this round", async () => {
    const current = await getDb()
      .selectFrom("membership")
      .innerJoin("decision_group", "decision_group.id", "membership.decision_group_id")
      .select("membership.id")
      .where("decision_group.fund_id", "=", pastFundId)
      .where("membership.ended_at", "is", null)
      .execute();
    expect(current).toEqual([]);
  });

  it("its evaluation shows the panel's survey figures beside Bristol's, hides the smaller groups, and has its running costs", async () => {
    const admin = await getDb().selectFrom("user").select("id").where("email", "=", "admin@demo.example").executeTakeFirstOrThrow();
    const cookie = await sessionCookieFor(admin.id);
    const response = await runLoader(evaluationLoader, getRequest(`/admin/funds/${pastFundId}/evaluation`, { cookie }), { fundId: pastFundId });
    expect(response.status).toBe(200);
    const data = (await response.json()) as {
      report: {
        groups: {
          roleGroup: string;
          state: string;
          count?: number;
          questions?: { key: string; choices: { percent: number }[]; bristolPercent: number | null }[];
        }[];
      };
      figures: { runningCosts: { percentOfFund: number | null }; feedback: { percent: number | null } };
    };
    const panel = data.report.groups.find((g) => g.roleGroup === "panel")!;
    expect(panel).toMatchObject({ state: "shown", count: 8 });
    expect(panel.questions!.find((q) => q.key === "takePartAgain")).toMatchObject({ bristolPercent: 84 });
    expect(data.report.groups.filter((g) => g.roleGroup !== "panel").map((g) => g.state)).toEqual(["hidden", "hidden"]);
    expect(data.figures.runningCosts.percentOfFund).toBe(13);
    expect(data.figures.feedback.percent).toBe(100);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { action as adminAction, loader as adminLoader } from "~/routes/admin.funds.$fundId.you-said-we-did";
import { loader as fundLoader } from "~/routes/funds.$fundId._index";
import { loader as resultsLoader } from "~/routes/funds.$fundId.results";
import { loader as youSaidLoader } from "~/routes/funds.$fundId.you-said-we-did";
import { loader as fundsLoader } from "~/routes/funds._index";
import { getDb } from "~/utils/db.server";
import { newId, nowIso } from "~/utils/ids.server";
import { auditEventsFor, makeAward, makeDecisionGroup, makeFund, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

type Link = { key: string; href: string };

let fund: { id: string; name: string };
let group: { id: string };
let adminCookie: string;

async function publicLinks(fundId: string): Promise<{ index: Link[]; fundPage: Link[] }> {
  const index = (await (await runLoader(fundsLoader, getRequest("/funds"))).json()) as { funds: { rows: { id: string; links: Link[] }[] } };
  const page = (await (await runLoader(fundLoader, getRequest(`/funds/${fundId}`), { fundId })).json()) as { links: Link[] };
  return { index: index.funds.rows.find((r) => r.id === fundId)?.links ?? [], fundPage: page.links };
}

beforeAll(async () => {
  const admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
  fund = await makeFund({ name: "Decided Fund" });
  group = await makeDecisionGroup({ fundId: fund.id, name: "Inner City" });
  await makeAward({ decisionGroupId: group.id, status: "accepted" });
  await getDb()
    .insertInto("meeting")
    .values({
      id: newId(),
      decision_group_id: group.id,
      title: "Decision meeting",
      held_on: "2026-03-01",
      status: "closed",
      minutes: "The panel agreed its decisions.",
      opened_by: admin.id,
      created_at: nowIso(),
      closed_at: nowIso(),
    })
    .execute();
});

describe("results, minutes and open data are easy to find", () => {
  it("links nothing to results before they are published", async () => {
    const { index, fundPage } = await publicLinks(fund.id);
    expect(index).toEqual([]);
    expect(fundPage).toEqual([]);
  });

  it("once the results are published, /funds and the fund's page link the results, the minutes, both 360Giving files and You said, we did", async () => {
    await getDb().updateTable("fund").set({ results_published_at: nowIso() }).where("id", "=", fund.id).execute();
    const expected = [
      { key: "results", href: `/funds/${fund.id}/results` },
      { key: "minutes", href: `/funds/${fund.id}/results/${group.id}#minutes` },
      { key: "json", href: `/funds/${fund.id}/360giving.json` },
      { key: "csv", href: `/funds/${fund.id}/360giving.csv` },
      { key: "youSaidWeDid", href: `/funds/${fund.id}/you-said-we-did` },
    ];
    const { index, fundPage } = await publicLinks(fund.id);
    expect(index).toEqual(expected);
    expect(fundPage).toEqual(expected);
  });

  it("a published fund with no accepted award and no closed meeting links neither open data nor minutes", async () => {
    const other = await makeFund({ name: "Offers only" });
    const otherGroup = await makeDecisionGroup({ fundId: other.id });
    await makeAward({ decisionGroupId: otherGroup.id, status: "offered" });
    await getDb().updateTable("fund").set({ results_published_at: nowIso() }).where("id", "=", other.id).execute();
    const { fundPage } = await publicLinks(other.id);
    expect(fundPage.map((l) => l.key)).toEqual(["results", "youSaidWeDid"]);
    const results = (await (await runLoader(resultsLoader, getRequest(`/funds/${other.id}/results`), { fundId: other.id })).json()) as { hasOpenData: boolean };
    expect(results.hasOpenData).toBe(false);
  });

  it("the results page offers the open data when the fund has accepted awards", async () => {
    const results = (await (await runLoader(resultsLoader, getRequest(`/funds/${fund.id}/results`), { fundId: fund.id })).json()) as { hasOpenData: boolean };
    expect(results.hasOpenData).toBe(true);
  });
});

describe("You said, we did", () => {
  const path = () => `/admin/funds/${fund.id}/you-said-we-did`;

  it("refuses an entry with empty fields: 400, a message for each, nothing saved", async () => {
    const before = await getDb().selectFrom("you_said_we_did").select("id").execute();
    const response = await runAction(adminAction, await postForm(path(), { youSaid: "  ", weDid: "", doneOn: "" }, { cookie: adminCookie }), {
      fundId: fund.id,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Record<string, string> };
    expect(body.errors).toEqual({
      youSaid: "Enter what people said",
      weDid: "Enter what you did about it",
      doneOn: "Enter the date you made the change",
    });
    expect(await getDb().selectFrom("you_said_we_did").select("id").execute()).toEqual(before);
  });

  it("refuses a date that is not on the calendar, keeping what was typed", async () => {
    const response = await runAction(
      adminAction,
      await postForm(path(), { youSaid: "The form was long.", weDid: "We cut it.", doneOn: "2026-02-30" }, { cookie: adminCookie }),
      { fundId: fund.id },
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(body.errors.doneOn).toMatch(/real date/);
    expect(body.values.youSaid).toBe("The form was long.");
  });

  it("an administrator adds entries, with an audit event, and the public page lists them newest first", async () => {
    const add = async (youSaid: string, weDid: string, doneOn: string) =>
      runAction(adminAction, await postForm(path(), { youSaid, weDid, doneOn }, { cookie: adminCookie }), { fundId: fund.id });
    const first = await add("The outline form was too long.", "We cut it to six questions for the next round.", "2026-05-01");
    expect(first.status).toBe(303);
    expect(first.headers.get("Location")).toBe(`${path()}?added=1`);
    await add("Panel meetings were at times carers could not make.", "We moved them to the evening, with childcare paid.", "2026-06-15");
    const events = await auditEventsFor("fund.you_said_we_did_added");
    expect(events.length).toBe(2);

    const page = await runLoader(youSaidLoader, getRequest(`/funds/${fund.id}/you-said-we-did`), { fundId: fund.id });
    expect(page.status).toBe(200);
    const data = (await page.json()) as { entries: { you_said: string; we_did: string; done_on: string }[] };
    expect(data.entries.map((e) => [e.done_on, e.you_said, e.we_did])).toEqual([
      ["2026-06-15", "Panel meetings were at times carers could not make.", "We moved them to the evening, with childcare paid."],
      ["2026-05-01", "The outline form was too long.", "We cut it to six questions for the next round."],
    ]);
    const admin = (await (await runLoader(adminLoader, getRequest(path(), { cookie: adminCookie }), { fundId: fund.id })).json()) as { entries: unknown[] };
    expect(admin.entries).toHaveLength(2);
  });

  it("a fund with entries but no published results still links its You said, we did page", async () => {
    const other = await makeFund({ name: "Listening fund" });
    await runAction(
      adminAction,
      await postForm(
        `/admin/funds/${other.id}/you-said-we-did`,
        { youSaid: "Tell us sooner.", weDid: "We send decisions in a week.", doneOn: "2026-07-01" },
        { cookie: adminCookie },
      ),
      { fundId: other.id },
    );
    const { fundPage } = await publicLinks(other.id);
    expect(fundPage).toEqual([{ key: "youSaidWeDid", href: `/funds/${other.id}/you-said-we-did` }]);
  });

  it("a panel member or an applicant cannot post an entry, and nothing is saved", async () => {
    const before = (await getDb().selectFrom("you_said_we_did").select("id").execute()).length;
    for (const role of ["panel_member", "applicant", "lead_org"] as const) {
      const person = await makeUser({ role, decisionGroupId: role === "panel_member" ? group.id : null });
      const response = await runAction(
        adminAction,
        await postForm(path(), { youSaid: "Let me in.", weDid: "No.", doneOn: "2026-07-01" }, { cookie: await sessionCookieFor(person.id) }),
        { fundId: fund.id },
      );
      expect(response.status, role).toBe(403);
    }
    const anonymous = await runAction(adminAction, await postForm(path(), { youSaid: "Let me in.", weDid: "No.", doneOn: "2026-07-01" }), { fundId: fund.id });
    expect([302, 303, 403]).toContain(anonymous.status);
    expect((await getDb().selectFrom("you_said_we_did").select("id").execute()).length).toBe(before);
  });

  it("an unpublished fund's page does not exist for the public", async () => {
    const hidden = await makeFund({ name: "Hidden" });
    await getDb().updateTable("fund").set({ is_published: 0 }).where("id", "=", hidden.id).execute();
    const response = await runLoader(youSaidLoader, getRequest(`/funds/${hidden.id}/you-said-we-did`), { fundId: hidden.id });
    expect(response.status).toBe(404);
  });
});

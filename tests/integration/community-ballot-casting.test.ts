import { beforeAll, describe, expect, it } from "vitest";
import { pointsField } from "~/domain/community-ballot";
import { loader as rulesLoader } from "~/routes/funds.$fundId.ballot-rules[.]json";
import { loader as publicFundLoader } from "~/routes/funds.$fundId._index";
import { loader as fundsLoader } from "~/routes/funds._index";
import { loader as setupLoader } from "~/routes/admin.funds.$fundId.ballot";
import { loader as ballotLoader } from "~/routes/funds.$fundId.vote._index";
import { getDb } from "~/utils/db.server";
import { actorOf, makeUser } from "../factories";
import { makeOpenBallot, newVoter, vote } from "../support/community-ballot";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

let admin: Awaited<ReturnType<typeof makeUser>>;
let adminCookie: string;

beforeAll(async () => {
  admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
});

const papersOf = (ballotId: string) =>
  getDb()
    .selectFrom("ballot_paper")
    .select(["id", "voter_id", "choices", "choices_hash", "is_counted", "cast_at"])
    .where("ballot_id", "=", ballotId)
    .orderBy("cast_at")
    .execute();

describe("casting an approval ballot", () => {
  it("a voter casts a ballot: one counted row, and an audit event that holds a hash of the choices, never the choices", async () => {
    const { fundId, ballotId, proposals } = await makeOpenBallot(actorOf(admin));
    const cookie = await newVoter(fundId);
    const response = await vote(fundId, cookie, [proposals[0]!.id, proposals[2]!.id]);
    expect(response.status, await response.clone().text()).toBe(302);
    expect(response.headers.get("Location")).toBe(`/funds/${fundId}/vote?saved=1`);
    const papers = await papersOf(ballotId);
    expect(papers).toHaveLength(1);
    expect(papers[0]).toMatchObject({ is_counted: 1 });
    expect(JSON.parse(papers[0]!.choices)).toEqual({ [proposals[0]!.id]: 1, [proposals[2]!.id]: 1 });
    const events = await getDb().selectFrom("audit_event").select(["action", "before", "after"]).where("entity_id", "=", papers[0]!.id).execute();
    expect(events.map((e) => e.action)).toEqual(["ballot_paper.cast"]);
    expect(JSON.parse(events[0]!.after!)).toMatchObject({ choices_hash: papers[0]!.choices_hash });
    for (const p of proposals) expect(JSON.stringify(events)).not.toContain(p.id);

    // Their own page ticks their choices (theirs alone).
    const page = (await (await runLoader(ballotLoader, getRequest(`/funds/${fundId}/vote?saved=1`, { cookie }), { fundId })).json()) as {
      own: Record<string, number>;
      isSaved: boolean;
    };
    expect(page.own).toEqual({ [proposals[0]!.id]: 1, [proposals[2]!.id]: 1 });
    expect(page.isSaved).toBe(true);
  });

  it("more choices than the limit is a 400 with a plain message and the choices kept; nothing is written", async () => {
    const { fundId, ballotId, proposals } = await makeOpenBallot(actorOf(admin));
    const cookie = await newVoter(fundId);
    const response = await vote(
      fundId,
      cookie,
      proposals.map((p) => p.id),
    );
    expect(response.status).toBe(400);
    const data = (await response.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(data.errors.choices).toBe("You chose 3 projects. You can choose up to 2. Untick 1.");
    expect([data.values["choice[0]"], data.values["choice[1]"], data.values["choice[2]"]]).toEqual(proposals.map((p) => p.id));
    expect(await papersOf(ballotId)).toEqual([]);
  });

  it("an empty ballot and a project that is not on the ballot are 400s", async () => {
    const { fundId } = await makeOpenBallot(actorOf(admin));
    const cookie = await newVoter(fundId);
    const empty = await vote(fundId, cookie, []);
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { errors: Record<string, string> }).errors.choices).toBe("Choose at least one project.");
    const stranger = await vote(fundId, cookie, ["not-a-project"]);
    expect(stranger.status).toBe(400);
    expect(((await stranger.json()) as { errors: Record<string, string> }).errors.choices).toMatch(/not on this ballot/);
  });

  it("without a voter session the ballot is not taken: the form sends the person to join", async () => {
    const { fundId, ballotId, proposals } = await makeOpenBallot(actorOf(admin));
    const response = await vote(fundId, "", [proposals[0]!.id]);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/funds/${fundId}/vote/join`);
    expect(await papersOf(ballotId)).toEqual([]);
  });

  it("a voter changes their ballot until the close: the last one counts, the earlier one is kept but not counted", async () => {
    const { fundId, ballotId, proposals } = await makeOpenBallot(actorOf(admin));
    const cookie = await newVoter(fundId);
    expect((await vote(fundId, cookie, [proposals[0]!.id])).status).toBe(302);
    expect((await vote(fundId, cookie, [proposals[1]!.id])).status).toBe(302);
    const papers = await papersOf(ballotId);
    expect(papers.map((p) => [JSON.parse(p.choices), p.is_counted])).toEqual([
      [{ [proposals[0]!.id]: 1 }, 0],
      [{ [proposals[1]!.id]: 1 }, 1],
    ]);
    const second = await getDb().selectFrom("audit_event").select("after").where("entity_id", "=", papers[1]!.id).executeTakeFirstOrThrow();
    expect(JSON.parse(second.after!)).toMatchObject({ replaces_earlier: true });
  });

  it("one person, one counted ballot: 20 parallel posts from one voter keep 20 ballots and count exactly one", async () => {
    const { fundId, ballotId, proposals } = await makeOpenBallot(actorOf(admin));
    const cookie = await newVoter(fundId);
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => vote(fundId, cookie, [proposals[i % 3]!.id]).then((r) => r.status)));
    expect(statuses.every((s) => s === 302)).toBe(true);
    const papers = await papersOf(ballotId);
    expect(papers).toHaveLength(20);
    expect(papers.filter((p) => p.is_counted === 1)).toHaveLength(1);
  });

  it("after the close the page says voting has closed, and a ballot sent then is a 400, not a 500", async () => {
    const { fundId, ballotId, proposals } = await makeOpenBallot(actorOf(admin));
    const cookie = await newVoter(fundId);
    await getDb()
      .updateTable("community_ballot")
      .set({ closes_at: new Date(Date.now() - 1000).toISOString() })
      .where("id", "=", ballotId)
      .execute();
    const page = await runLoader(ballotLoader, getRequest(`/funds/${fundId}/vote`, { cookie }), { fundId });
    expect(page.status).toBe(200);
    expect((await page.json()) as { phase: string }).toMatchObject({ phase: "closed" });
    const response = await vote(fundId, cookie, [proposals[0]!.id]);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Record<string, string> }).errors.choices).toBe("Voting has closed. Thank you to everyone who took part.");
    expect(await papersOf(ballotId)).toEqual([]);
  });
});

describe("points and budget ballots", () => {
  it("points: N points over at least M projects; too many points or too few projects is a 400 with the points kept", async () => {
    const { fundId, ballotId, proposals } = await makeOpenBallot(actorOf(admin), { kind: "points", maxChoices: null, pointsTotal: 10, pointsMinProjects: 2 });
    const cookie = await newVoter(fundId);
    const over = await vote(fundId, cookie, [], { [pointsField(proposals[0]!.id)]: "8", [pointsField(proposals[1]!.id)]: "5" });
    expect(over.status).toBe(400);
    const data = (await over.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(data.errors.choices).toBe("You gave 13 points. You have 10. Take away 3.");
    expect(data.values[pointsField(proposals[0]!.id)]).toBe("8");
    const few = await vote(fundId, cookie, [], { [pointsField(proposals[0]!.id)]: "10" });
    expect(((await few.json()) as { errors: Record<string, string> }).errors.choices).toBe("Give points to at least 2 projects. You gave points to 1.");
    const ok = await vote(fundId, cookie, [], { [pointsField(proposals[0]!.id)]: "7", [pointsField(proposals[2]!.id)]: "3" });
    expect(ok.status).toBe(302);
    expect(JSON.parse((await papersOf(ballotId))[0]!.choices)).toEqual({ [proposals[0]!.id]: 7, [proposals[2]!.id]: 3 });
  });

  it("budget: the chosen projects must fit the budget", async () => {
    const { fundId, ballotId, proposals } = await makeOpenBallot(actorOf(admin), { kind: "knapsack", maxChoices: null, budgetPence: 3_500_000 });
    const cookie = await newVoter(fundId);
    const over = await vote(fundId, cookie, [proposals[1]!.id, proposals[2]!.id]);
    expect(over.status).toBe(400);
    expect(((await over.json()) as { errors: Record<string, string> }).errors.choices).toBe(
      "Your projects cost £50,000. The budget is £35,000. Take some out.",
    );
    expect((await vote(fundId, cookie, [proposals[0]!.id, proposals[1]!.id])).status).toBe(302);
    expect(await papersOf(ballotId)).toHaveLength(1);
  });
});

/** Keys that name a rule or a count of something public (postcodes on the list, panel results), never votes. */
const RULE_KEYS = ["postcodeCount", "hasResults", "counting", "countingRule", "counting_rule", "maxChoices", "max_choices"];

/** Every key in a JSON value, at any depth. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, into));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysOf(v, into);
    }
  return into;
}

describe("counts stay sealed until the close", () => {
  it("before the close, no public page, file or loader data, and no readable audit field, holds a count or anyone else's choices", async () => {
    const { fundId, ballotId, proposals } = await makeOpenBallot(actorOf(admin));
    const voters = [await newVoter(fundId), await newVoter(fundId), await newVoter(fundId)];
    for (const cookie of voters) expect((await vote(fundId, cookie, [proposals[0]!.id])).status).toBe(302);
    const watcher = await newVoter(fundId);
    const answers = {
      funds: await runLoader(fundsLoader, getRequest(`/funds`)),
      fund: await runLoader(publicFundLoader, getRequest(`/funds/${fundId}`), { fundId }),
      rules: await runLoader(rulesLoader, getRequest(`/funds/${fundId}/ballot-rules.json`), { fundId }),
      ballotAnonymous: await runLoader(ballotLoader, getRequest(`/funds/${fundId}/vote`), { fundId }),
      ballotOtherVoter: await runLoader(ballotLoader, getRequest(`/funds/${fundId}/vote`, { cookie: watcher }), { fundId }),
      ballotAsData: await runLoader(ballotLoader, getRequest(`/funds/${fundId}/vote?_data=routes%2Ffunds.%24fundId.vote._index`, { cookie: watcher }), {
        fundId,
      }),
      adminSetup: await runLoader(setupLoader, getRequest(`/admin/funds/${fundId}/ballot`, { cookie: adminCookie }), { fundId }),
    };
    for (const [name, response] of Object.entries(answers)) {
      expect(response.status, name).toBe(200);
      const text = await response.text();
      const keys = [...keysOf(JSON.parse(text))];
      expect(
        keys.filter((k) => /count|votes|tally|approvals|result|ballots|choices/i.test(k) && !RULE_KEYS.includes(k)),
        `${name} has a key that could carry a count`,
      ).toEqual([]);
      expect(text, name).not.toContain('"own":{');
    }
    const watcherPage = (await (await runLoader(ballotLoader, getRequest(`/funds/${fundId}/vote`, { cookie: watcher }), { fundId })).json()) as {
      own: unknown;
    };
    expect(watcherPage.own, "another voter sees nobody's choices but their own (none yet)").toBeNull();
    // The audit trail's readable fields: the cast events hold hashes, not proposal ids.
    const events = await getDb()
      .selectFrom("audit_event")
      .select(["before", "after"])
      .where("action", "=", "ballot_paper.cast")
      .where("after", "like", `%${ballotId}%`)
      .execute();
    expect(events).toHaveLength(3);
    for (const p of proposals) expect(JSON.stringify(events)).not.toContain(p.id);
  });
});

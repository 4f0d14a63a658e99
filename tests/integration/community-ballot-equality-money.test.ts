import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../../db/client";
import { answerField, KEEP_WITH_VOTE_FIELD } from "~/domain/forms/equality";
import type { PublishedEqualityMoney } from "~/domain/equality-money";
import { getVoterBySessionHash } from "~/models/community-ballot.server";
import { action as setupAction } from "~/routes/admin.funds.$fundId.ballot";
import { loader as participationLoader } from "~/routes/admin.funds.$fundId.ballot_.participation";
import { loader as openCsvLoader } from "~/routes/funds.$fundId.360giving[.]csv";
import { loader as openJsonLoader } from "~/routes/funds.$fundId.360giving[.]json";
import { loader as rulesLoader } from "~/routes/funds.$fundId.ballot-rules[.]json";
import AboutYou, { action as aboutYouAction, loader as aboutYouLoader } from "~/routes/funds.$fundId.vote.about-you";
import { loader as ballotLoader } from "~/routes/funds.$fundId.vote._index";
import { action as codeAction } from "~/routes/funds.$fundId.vote.code";
import { loader as resultsLoader } from "~/routes/funds.$fundId.vote.results";
import { castBallot, countCommunityBallot, generateVoterCodes, openBallot, redeemVoterCode, saveBallotSetup } from "~/services/community-ballots.server";
import { addEqualityQuestion, KEEP_AFTER_COUNT, recordVoterEqualityAnswer } from "~/services/equality.server";
import type { BallotSetupInput } from "~/services/community-ballots.server";
import { getDb } from "~/utils/db.server";
import { sha256 } from "~/utils/ids.server";
import { actorOf, makeUser } from "../factories";
import { approvalSetup, makeBallotFund, renderResults, vote } from "../support/community-ballot";
import { statementsOf } from "../support/database";
import { cookiePair, getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

let admin: Awaited<ReturnType<typeof makeUser>>;
let adminCookie: string;

beforeAll(async () => {
  admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
});

/** Text as a reader gets it: tags gone, entities decoded, spaces collapsed. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

/**
 * A ballot fund whose three ideas cost £10,000, £20,000 and £30,000, with a
 * pot of £30,000 and counted "most votes first", so which ideas are funded is
 * easy to work by hand; open now, with one question "Your age" (X, Y, Prefer
 * not to say; the area is 40% X).
 */
async function openWithQuestion(settings: Partial<BallotSetupInput["settings"]> = {}) {
  const world = await makeBallotFund();
  await getDb().updateTable("decision_group").set({ pot_pence: 3_000_000 }).where("id", "=", world.group.id).execute();
  const ballotId = await saveBallotSetup(getDb(), actorOf(admin), world.fundId, approvalSetup({ countingRule: "greedy", ...settings }));
  await openBallot(getDb(), actorOf(admin), world.fundId);
  const age = await addEqualityQuestion(getDb(), actorOf(admin), world.fundId, { text: "Your age", options: ["X", "Y"] });
  const options = await getDb().selectFrom("equality_option").select("id").where("question_id", "=", age).orderBy("position").execute();
  const [x, y, preferNot] = options.map((o) => o.id) as [string, string, string];
  await getDb().updateTable("equality_option").set({ reference_tenths: 400 }).where("id", "=", x).execute();
  const [idea1, idea2, idea3] = world.proposals.map((p) => p.id) as [string, string, string];
  return { ...world, ballotId, age, x, y, preferNot, idea1, idea2, idea3 };
}

type World = Awaited<ReturnType<typeof openWithQuestion>>;

/** A voter with a printed code votes, and answers "Your age" (or not), agreeing to keep it with their vote or not: through the services. */
async function voteAndAnswer(world: World, choices: Record<string, number>, answer: string | null, keepWithVote: boolean) {
  const [code] = await generateVoterCodes(getDb(), actorOf(admin), world.fundId, 1);
  const token = await redeemVoterCode(getDb(), world.fundId, code!);
  const voter = await getVoterBySessionHash(getDb(), sha256(token), new Date().toISOString());
  await castBallot(getDb(), voter!.id, world.fundId, choices);
  if (answer !== null) await recordVoterEqualityAnswer(getDb(), voter!.id, world.fundId, { [world.age]: answer }, { keepWithVote });
  return voter!.id;
}

const many = async (n: number, world: World, choices: Record<string, number>, answer: string | null, keepWithVote = true) => {
  for (let i = 0; i < n; i += 1) await voteAndAnswer(world, choices, answer, keepWithVote);
};

const close = (ballotId: string) =>
  getDb()
    .updateTable("community_ballot")
    .set({ closes_at: new Date(Date.now() - 60_000).toISOString() })
    .where("id", "=", ballotId)
    .execute();

async function closeAndCount(world: World) {
  await close(world.ballotId);
  const counted = await runAction(setupAction, await postForm(`/admin/funds/${world.fundId}/ballot`, { intent: "count" }, { cookie: adminCookie }), {
    fundId: world.fundId,
  });
  expect(counted.status).toBe(302);
}

const storedMoney = async (ballotId: string) => {
  const row = await getDb().selectFrom("ballot_result").select("equality_money_json").where("ballot_id", "=", ballotId).executeTakeFirstOrThrow();
  return JSON.parse(row.equality_money_json!) as PublishedEqualityMoney;
};

const links = (fundId: string) => getDb().selectFrom("voter_equality_link").selectAll().where("fund_id", "=", fundId).execute();

async function voterCookie(fundId: string, code: string) {
  const response = await runAction(codeAction, await postForm(`/funds/${fundId}/vote/code`, { voterCode: code }), { fundId });
  return cookiePair(response.headers.getSetCookie().find((c) => c.startsWith("__voter="))!);
}

const answerOnPage = async (fundId: string, cookie: string, fields: Record<string, string>) =>
  runAction(aboutYouAction, await postForm(`/funds/${fundId}/vote/about-you`, fields, { cookie }), { fundId });

/** The About you page as the browser gets it, for a voter. */
async function renderAboutYou(fundId: string, cookie: string) {
  const handler = createStaticHandler([
    {
      id: "about-you",
      path: "/funds/:fundId/vote/about-you",
      loader: ({ request, params }) => aboutYouLoader({ request, params, context: { cspNonce: "test", pendingCookies: [] } }),
      Component: AboutYou,
    },
  ]);
  const context = await handler.query(getRequest(`/funds/${fundId}/vote/about-you`, { cookie }));
  if (context instanceof Response) throw new Error(`Expected a page, got ${context.status}`);
  return renderToString(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }));
}

describe("About you: agreeing to keep the answers with the vote until the count", () => {
  it("offers an unticked box; ticked, the answer is linked to the voter in the same transaction with an audit event that holds no answer; unticked, nothing is linked", async () => {
    const world = await openWithQuestion();
    const [codeA, codeB, codeC] = await generateVoterCodes(getDb(), actorOf(admin), world.fundId, 3);
    const [agrees, declines, agreesToNothing] = [
      await voterCookie(world.fundId, codeA!),
      await voterCookie(world.fundId, codeB!),
      await voterCookie(world.fundId, codeC!),
    ];
    for (const cookie of [agrees, declines, agreesToNothing]) expect((await vote(world.fundId, cookie, [world.idea1])).status).toBe(302);

    const html = await renderAboutYou(world.fundId, agrees);
    const box = /<input type="checkbox"[^>]*name="keepWithVote"[^>]*>/.exec(html)?.[0];
    expect(box).toContain('value="yes"');
    expect(box, "not ticked until the voter ticks it").not.toContain("checked");
    expect(textOf(html)).toContain("Also use my answers to show how the money was shared.");
    expect(textOf(html)).toContain(
      "We keep your answers with your vote only until the votes are counted. Then we keep only totals for groups of 10 or more people, and delete the link.",
    );
    expect(textOf(html)).toContain("Unless you tick the box at the end, we do not keep your answers with your vote or with you.");

    // A value the box cannot send: 400 with the field named, answers kept, nothing stored.
    const odd = await answerOnPage(world.fundId, agrees, { [answerField(world.age)]: world.x, [KEEP_WITH_VOTE_FIELD]: "maybe" });
    expect(odd.status).toBe(400);
    const oddData = (await odd.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(oddData.errors[KEEP_WITH_VOTE_FIELD]).toBe("Tick the box, or leave it empty");
    expect(oddData.values[answerField(world.age)]).toBe(world.x);
    expect(await links(world.fundId)).toEqual([]);

    const lastEvent = await getDb()
      .selectFrom("audit_event")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirstOrThrow();
    expect((await answerOnPage(world.fundId, agrees, { [answerField(world.age)]: world.x, [KEEP_WITH_VOTE_FIELD]: "yes" })).status).toBe(303);
    const [link] = await links(world.fundId);
    expect(link!.fund_id).toBe(world.fundId);
    const response = await getDb().selectFrom("equality_response_choice").select("option_id").where("response_id", "=", link!.response_id).execute();
    expect(response).toEqual([{ option_id: world.x }]);
    const events = await getDb()
      .selectFrom("audit_event")
      .select(["actor", "entity_id", "before", "after"])
      .where("action", "=", "equality.answer_recorded")
      .where("id", ">", Number(lastEvent.id))
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.actor).toBe("anonymous");
    expect(events[0]!.entity_id).toBe(world.fundId);
    expect(JSON.parse(events[0]!.after!)).toEqual({
      note: "An equality answer was recorded for this fund, and the voter agreed to keep it with their vote until the count",
    });
    for (const secret of [world.x, link!.voter_id, link!.response_id]) expect(JSON.stringify(events)).not.toContain(secret);

    // Unticked: the answer is stored as before, with no link.
    expect((await answerOnPage(world.fundId, declines, { [answerField(world.age)]: world.y })).status).toBe(303);
    // Ticked with every question skipped: there is nothing to keep with the vote.
    expect((await answerOnPage(world.fundId, agreesToNothing, { [KEEP_WITH_VOTE_FIELD]: "yes" })).status).toBe(303);
    expect(await links(world.fundId)).toHaveLength(1);
    expect(await getDb().selectFrom("equality_response").select("id").where("fund_id", "=", world.fundId).execute()).toHaveLength(3);
  });

  it("before the count, no page, loader data, export or file holds a link or a money figure", async () => {
    const world = await openWithQuestion();
    const [code, otherCode] = await generateVoterCodes(getDb(), actorOf(admin), world.fundId, 2);
    const cookie = await voterCookie(world.fundId, code!);
    const watcher = await voterCookie(world.fundId, otherCode!);
    expect((await vote(world.fundId, cookie, [world.idea1, world.idea2])).status).toBe(302);
    const everything = async () => ({
      results: await runLoader(resultsLoader, getRequest(`/funds/${world.fundId}/vote/results?_data=routes%2Ffunds.%24fundId.vote.results`), {
        fundId: world.fundId,
      }),
      ballot: await runLoader(ballotLoader, getRequest(`/funds/${world.fundId}/vote?_data=routes%2Ffunds.%24fundId.vote._index`, { cookie }), {
        fundId: world.fundId,
      }),
      watcherBallot: await runLoader(ballotLoader, getRequest(`/funds/${world.fundId}/vote?_data=routes%2Ffunds.%24fundId.vote._index`, { cookie: watcher }), {
        fundId: world.fundId,
      }),
      aboutYou: await runLoader(aboutYouLoader, getRequest(`/funds/${world.fundId}/vote/about-you?_data=routes%2Ffunds.%24fundId.vote.about-you`, { cookie }), {
        fundId: world.fundId,
      }),
      participation: await runLoader(participationLoader, getRequest(`/admin/funds/${world.fundId}/ballot/participation`, { cookie: adminCookie }), {
        fundId: world.fundId,
      }),
      rules: await runLoader(rulesLoader, getRequest(`/funds/${world.fundId}/ballot-rules.json`), { fundId: world.fundId }),
      openCsv: await runLoader(openCsvLoader, getRequest(`/funds/${world.fundId}/360giving.csv`), { fundId: world.fundId }),
      openJson: await runLoader(openJsonLoader, getRequest(`/funds/${world.fundId}/360giving.json`), { fundId: world.fundId }),
    });
    const texts = async () => Object.fromEntries(await Promise.all(Object.entries(await everything()).map(async ([k, r]) => [k, await r.text()] as const)));
    const before = await texts();
    expect((await answerOnPage(world.fundId, cookie, { [answerField(world.age)]: world.x, [KEEP_WITH_VOTE_FIELD]: "yes" })).status).toBe(303);
    const [link] = await links(world.fundId);
    expect(link).toBeDefined();
    const after = await texts();
    for (const [name, text] of Object.entries(after)) {
      for (const secret of [link!.voter_id, link!.response_id]) expect(text, name).not.toContain(secret);
      expect(text, name).not.toMatch(/consented|equality_?money|voter_equality_link|response_id/i);
      // Only the voter's own pages change (they have answered, so they are not asked again), and the administrator's report (one more answer).
      if (!["aboutYou", "ballot", "participation"].includes(name)) expect(text, name).toBe(before[name]);
    }
    expect(JSON.parse(after.results!)).toEqual({ fund: expect.any(Object), phase: "open", closesAt: expect.any(String), outcome: null });
    const html = textOf(await renderResults(world.fundId));
    expect(html).toContain("Nothing is counted until it closes.");
    expect(html).not.toContain("Funded money by equality group");
  });

  it("is refused once the votes have been counted (the answer may still be given without it)", async () => {
    const world = await openWithQuestion();
    const voterId = await voteAndAnswer(world, { [world.idea1]: 1 }, null, false);
    await close(world.ballotId);
    await countCommunityBallot(getDb(), actorOf(admin), world.fundId);
    await expect(recordVoterEqualityAnswer(getDb(), voterId, world.fundId, { [world.age]: world.x }, { keepWithVote: true })).rejects.toThrow(KEEP_AFTER_COUNT);
    expect(await links(world.fundId)).toEqual([]);
    await recordVoterEqualityAnswer(getDb(), voterId, world.fundId, { [world.age]: world.x });
    expect(await links(world.fundId)).toEqual([]);
  });
});

describe("the count: funded money by equality group", () => {
  it("shares each funded approval project equally among those who chose it, stores only the totals, deletes the links and says how many (worked by hand)", async () => {
    const world = await openWithQuestion();
    const { idea1, idea2, idea3, x, y } = world;
    // Votes: idea 2 has 12, idea 3 has 9, idea 1 has 4. Most votes first with £30,000: idea 2 (£20,000), idea 3 does not fit, idea 1 (£10,000).
    await many(2, world, { [idea1]: 1, [idea2]: 1 }, x);
    await many(8, world, { [idea2]: 1, [idea3]: 1 }, x);
    await voteAndAnswer(world, { [idea1]: 1, [idea2]: 1 }, y, true);
    await voteAndAnswer(world, { [idea2]: 1 }, y, true);
    // Answered X but did not tick the box: their ballot counts, and takes its share, but is not attributed to any group.
    await voteAndAnswer(world, { [idea1]: 1, [idea3]: 1 }, x, false);
    expect(await links(world.fundId)).toHaveLength(12);
    const statements = await statementsOf(() => closeAndCount(world));
    // Grouped reads: the links are read twice (ballots, answers) and deleted once, whatever the number of voters.
    expect(statements.filter((sql) => /voter_equality_link/.test(sql))).toHaveLength(3);
    expect(statements.filter((sql) => /^delete from "voter_equality_link"/.test(sql))).toHaveLength(1);

    // Idea 2: £20,000 / 12 = £1,666.67 each. Idea 1: £10,000 / 4 = £2,500 each.
    // X (10 agreed): 10 × £1,666.67 + 2 × £2,500 = £21,666.67 (2,166,666.67p). Y (2): £1,666.67 + £2,500 + £1,666.67 = £5,833.33.
    // Together £27,500 of the £30,000; the voter who did not agree has the other £2,500.
    expect(await storedMoney(world.ballotId)).toEqual({
      version: 1,
      fundedPence: 3_000_000,
      consented: 12,
      consentedPence: 2_750_000,
      questions: [
        {
          question: "Your age",
          answered: 12,
          pence: 2_750_000,
          options: [
            { label: "X", count: 10, pence: 2_166_667, referenceTenths: 400 },
            { label: "Y", count: null, pence: null, referenceTenths: null },
            { label: "Prefer not to say", count: null, pence: null, referenceTenths: null },
          ],
        },
      ],
    });
    expect(await links(world.fundId), "the links are gone with the count").toEqual([]);
    const event = await getDb()
      .selectFrom("audit_event")
      .select("after")
      .where("action", "=", "community_ballot.counted")
      .where("entity_id", "=", world.ballotId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.after!).equality_links_deleted).toBe(12);

    const text = textOf(await renderResults(world.fundId));
    expect(text).toContain("Funded money by equality group");
    expect(text).toContain("Each funded project's cost is shared equally among the voters who chose it. A group's money is the sum of its voters' shares.");
    expect(text).toContain("12 voters agreed. Their shares add up to £27,500 of the £30,000 funded (92%).");
    expect(text).toContain("12 of the voters who agreed answered this question. £27,500 of the funded money reached them.");
    expect(text).toContain("Voters who agreed Share of them Funded money Share of their money Share of the area");
    // 10 of 12 is 83%; £21,666.67 of £27,500 is 79%; the area is 40% X.
    expect(text).toMatch(/X 10 83% £21,666\.67 79% 40%/);
    expect(text).toMatch(/Y Fewer than 10: hidden Fewer than 10: hidden Fewer than 10: hidden Fewer than 10: hidden Not known/);
    expect(text).not.toContain("£5,833");
    // The sentence that said money by group could not be shown is gone: it can now, for voters who agreed.
    expect(text).not.toContain("We cannot show how much of the funded money reached each group.");
    expect(text).toContain("How much of the funded money reached each group is shown next, only for voters who agreed to it when they answered.");
  });

  it("shares a points ballot's funded projects in proportion to the points given (worked by hand)", async () => {
    const world = await openWithQuestion({ kind: "points", maxChoices: null, pointsTotal: 4, pointsMinProjects: 2 });
    const { idea1, idea2, x, y } = world;
    // 24 points on each of ideas 1 and 2; both fit the £30,000.
    await many(6, world, { [idea1]: 3, [idea2]: 1 }, x);
    await many(4, world, { [idea1]: 1, [idea2]: 3 }, x);
    await many(2, world, { [idea1]: 1, [idea2]: 3 }, y);
    await closeAndCount(world);
    // A point on idea 1 is worth £10,000 / 24 = £416.67, on idea 2 £20,000 / 24 = £833.33.
    // 3 + 1 points: £2,083.33; 1 + 3 points: £2,916.67. X: 6 × £2,083.33 + 4 × £2,916.67 = £24,166.67.
    const money = await storedMoney(world.ballotId);
    expect(money.consentedPence).toBe(3_000_000);
    expect(money.questions[0]!.options[0]).toEqual({ label: "X", count: 10, pence: 2_416_667, referenceTenths: 400 });
    const text = textOf(await renderResults(world.fundId));
    expect(text).toContain("Each funded project's cost is shared among the voters who gave it points, in proportion to the points they gave.");
    expect(text).toMatch(/X 10 83% £24,166\.67 81% 40%/);
  });

  it("hides a group's money with its count, and the next smallest group's too when one hidden count could be worked out", async () => {
    const world = await openWithQuestion();
    const { idea1, idea2, x, y, preferNot } = world;
    await many(12, world, { [idea1]: 1 }, x);
    await many(11, world, { [idea2]: 1 }, y);
    await many(3, world, { [idea1]: 1, [idea2]: 1 }, preferNot);
    await closeAndCount(world);
    // Idea 1: £10,000 / 15; idea 2: £20,000 / 14. X: 12 × £666.67 = £8,000.
    const money = await storedMoney(world.ballotId);
    expect(money.questions[0]!.options).toEqual([
      { label: "X", count: 12, pence: 800_000, referenceTenths: 400 },
      // 3 alone would be 26 − 12 − 11, so 11 is hidden as well, and its money (which would give the 3's away too).
      { label: "Y", count: null, pence: null, referenceTenths: null },
      { label: "Prefer not to say", count: null, pence: null, referenceTenths: null },
    ]);
    const text = textOf(await renderResults(world.fundId));
    expect(text).toMatch(/X 12 46% £8,000 27% 40%/);
    expect(text).toMatch(/Y Fewer than 10: hidden Fewer than 10: hidden Fewer than 10: hidden Fewer than 10: hidden Not known/);
  });

  it("with no voter agreeing, stores no group and the page says so plainly; the count deletes no link", async () => {
    const world = await openWithQuestion();
    await many(12, world, { [world.idea1]: 1 }, world.x, false);
    await closeAndCount(world);
    const money = await storedMoney(world.ballotId);
    expect(money.consented).toBeNull();
    expect(money.consentedPence).toBeNull();
    expect(money.questions[0]!.options.every((o) => o.count === null && o.pence === null)).toBe(true);
    const event = await getDb()
      .selectFrom("audit_event")
      .select("after")
      .where("action", "=", "community_ballot.counted")
      .where("entity_id", "=", world.ballotId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.after!).equality_links_deleted).toBe(0);
    const text = textOf(await renderResults(world.fundId));
    expect(text).toContain("Fewer than 10 voters agreed to let us use their answers this way, so no figures are shown.");
    expect(text).not.toContain("voters agreed. Their shares");
  });

  it("a count made before the figures were collected says so", async () => {
    const world = await openWithQuestion();
    await many(2, world, { [world.idea1]: 1 }, world.x);
    await close(world.ballotId);
    // The count as an older version stored it: the same row without the money figures.
    const readRow = (db: ReturnType<typeof getDb>) =>
      db.selectFrom("ballot_result").selectAll().where("ballot_id", "=", world.ballotId).executeTakeFirstOrThrow();
    class Undo extends Error {
      constructor(readonly row: Awaited<ReturnType<typeof readRow>>) {
        super("undo");
      }
    }
    const row = await inTransaction(getDb(), async (trx) => {
      await countCommunityBallot(trx, actorOf(admin), world.fundId);
      throw new Undo(await readRow(trx));
    }).catch((e: unknown) => {
      if (e instanceof Undo) return e.row;
      throw e;
    });
    await getDb()
      .insertInto("ballot_result")
      .values({ ...row, equality_money_json: null })
      .execute();
    const text = textOf(await renderResults(world.fundId));
    expect(text).toContain("These figures were not collected for this vote: it was counted before voters could agree to let us use their answers this way.");
  });
});

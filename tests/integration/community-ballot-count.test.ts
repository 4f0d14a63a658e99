import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { BallotResult } from "~/domain/ballot-result";
import { countByRule } from "~/domain/ballot-counting";
import { COUNTING_RULE_LABELS, COUNTING_RULES, parseBallotRules } from "~/domain/ballot-rules";
import { countInputFromPabulib, parsePabulib } from "~/domain/pabulib";
import { action as setupAction, loader as setupLoader } from "~/routes/admin.funds.$fundId.ballot";
import { loader as proposalsCsvLoader } from "~/routes/admin.proposals.export[.]csv";
import { loader as reportsCsvLoader } from "~/routes/admin.reports.export[.]csv";
import { loader as openCsvLoader } from "~/routes/funds.$fundId.360giving[.]csv";
import { loader as openJsonLoader } from "~/routes/funds.$fundId.360giving[.]json";
import { loader as rulesLoader } from "~/routes/funds.$fundId.ballot-rules[.]json";
import { loader as pbLoader } from "~/routes/funds.$fundId.vote.ballots.$file";
import { ALREADY_COUNTED, countCommunityBallot, openBallot, saveBallotSetup } from "~/services/community-ballots.server";
import { getDb } from "~/utils/db.server";
import { up as renameRuleIds } from "../../db/migrations/2026_12_02_0110_ballot_rule_ids";
import { actorOf, makeUser } from "../factories";
import { approvalSetup, makeBallotFund, newVoter, renderResults, vote } from "../support/community-ballot";
import { loader as resultsLoader } from "~/routes/funds.$fundId.vote.results";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

let admin: Awaited<ReturnType<typeof makeUser>>;
let adminCookie: string;

beforeAll(async () => {
  admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
});

/**
 * An approval ballot (up to 2) on three ideas (£10,000, £20,000, £30,000)
 * with a pot of £35,000, so the rules can differ, and four voters:
 * [1, 2], [1], [3], [3].
 */
async function votedBallot() {
  const world = await makeBallotFund();
  await getDb().updateTable("decision_group").set({ pot_pence: 3_500_000 }).where("id", "=", world.group.id).execute();
  const ballotId = await saveBallotSetup(getDb(), actorOf(admin), world.fundId, approvalSetup());
  await openBallot(getDb(), actorOf(admin), world.fundId);
  const [p1, p2, p3] = world.proposals.map((p) => p.id) as [string, string, string];
  for (const ticked of [[p1, p2], [p1], [p3], [p3]]) expect((await vote(world.fundId, await newVoter(world.fundId), ticked)).status).toBe(302);
  return { ...world, ballotId };
}

/** Time passes: the vote's closing time is now behind us (the frozen rules are untouched). */
const close = (ballotId: string) =>
  getDb()
    .updateTable("community_ballot")
    .set({ closes_at: new Date(Date.now() - 60_000).toISOString() })
    .where("id", "=", ballotId)
    .execute();

const countAsAdmin = async (fundId: string) =>
  runAction(setupAction, await postForm(`/admin/funds/${fundId}/ballot`, { intent: "count" }, { cookie: adminCookie }), { fundId });

const resultRow = (ballotId: string) => getDb().selectFrom("ballot_result").selectAll().where("ballot_id", "=", ballotId).executeTakeFirst();

const pbRequest = (fundId: string, potId: string) =>
  runLoader(pbLoader, getRequest(`/funds/${fundId}/vote/ballots/${potId}.pb`), { fundId, file: `${potId}.pb` });

describe("counts stay sealed until the close", () => {
  it("before the close: the results page (HTML and ?_data) has no counts, the .pb is a plain 404, and exports and open data do not change as ballots are cast", async () => {
    const world = await makeBallotFund();
    await saveBallotSetup(getDb(), actorOf(admin), world.fundId, approvalSetup());
    await openBallot(getDb(), actorOf(admin), world.fundId);
    const exports = async () => ({
      proposalsCsv: await (await runLoader(proposalsCsvLoader, getRequest("/admin/proposals/export.csv", { cookie: adminCookie }))).text(),
      reportsCsv: await (await runLoader(reportsCsvLoader, getRequest("/admin/reports/export.csv", { cookie: adminCookie }))).text(),
      openCsv: await (await runLoader(openCsvLoader, getRequest(`/funds/${world.fundId}/360giving.csv`), { fundId: world.fundId })).text(),
      openJson: await (await runLoader(openJsonLoader, getRequest(`/funds/${world.fundId}/360giving.json`), { fundId: world.fundId })).text(),
    });
    const before = await exports();
    const ids = world.proposals.map((p) => p.id);
    for (const ticked of [[ids[0]!], [ids[0]!, ids[1]!], [ids[2]!]]) expect((await vote(world.fundId, await newVoter(world.fundId), ticked)).status).toBe(302);
    expect(await exports(), "casting ballots changes no export or open-data file").toEqual(before);

    const html = await renderResults(world.fundId);
    expect(html).toContain("Nothing is counted until it closes.");
    expect(html).not.toMatch(/Votes|voted|Funded in/);
    for (const p of world.proposals) expect(html).not.toContain(p.reference);
    const data = await runLoader(resultsLoader, getRequest(`/funds/${world.fundId}/vote/results?_data=routes%2Ffunds.%24fundId.vote.results`), {
      fundId: world.fundId,
    });
    const json = (await data.json()) as Record<string, unknown>;
    expect(json.outcome).toBeNull();
    expect(Object.keys(json).sort()).toEqual(["closesAt", "fund", "outcome", "phase"]);

    const pb = await pbRequest(world.fundId, world.group.id);
    expect(pb.status).toBe(404);
    expect(await pb.text()).toMatch(/^Not yet/);
  });

  it("counting before the close is refused with a plain 400, and nothing is stored", async () => {
    const { fundId, ballotId } = await votedBallot();
    const response = await countAsAdmin(fundId);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Record<string, string> }).errors.form).toMatch(
      /^Voting is still open until .*You can count the ballots after that\.$/,
    );
    expect(await resultRow(ballotId)).toBeUndefined();
  });

  it("after the close but before the count, the page says the count is coming and the .pb is still a 404", async () => {
    const { fundId, ballotId, group } = await votedBallot();
    await close(ballotId);
    expect(await renderResults(fundId)).toContain("The ballots will be counted soon");
    expect((await pbRequest(fundId, group.id)).status).toBe(404);
  });
});

describe("the count, after the close", () => {
  it("counts every counted ballot by every rule, stores it once with its hashes, audits the hashes, and is never redone or changed", async () => {
    const { fundId, ballotId } = await votedBallot();
    await close(ballotId);
    const response = await countAsAdmin(fundId);
    expect(response.status, await response.clone().text()).toBe(302);
    const row = (await resultRow(ballotId))!;
    expect(row.ballot_count).toBe(4);
    expect(row.result_hash).toBe(createHash("sha256").update(row.result_json).digest("hex"));
    expect(row.ballots_hash).toBe(createHash("sha256").update(row.ballots_json).digest("hex"));
    const rules = await getDb().selectFrom("community_ballot").select(["rules_hash"]).where("id", "=", ballotId).executeTakeFirstOrThrow();
    expect(row.rules_hash).toBe(rules.rules_hash);
    const result = JSON.parse(row.result_json) as BallotResult;
    expect(result.chosenRule).toBe("equal-shares");
    expect(Object.keys(result.rules).sort()).toEqual([...COUNTING_RULES].sort());
    expect(result.rules.greedy.ejr?.status).toBeDefined();
    expect(result.rules["equal-shares"].priceable?.[0]?.check.isPriceable).toBe(true);
    // The stored ballots hold choices only: no voter ids.
    const voterIds = (await getDb().selectFrom("ballot_voter").select("id").where("ballot_id", "=", ballotId).execute()).map((v) => v.id);
    for (const id of voterIds) expect(row.ballots_json).not.toContain(id);

    const event = await getDb()
      .selectFrom("audit_event")
      .select(["after", "actor"])
      .where("action", "=", "community_ballot.counted")
      .where("entity_id", "=", ballotId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.after!)).toMatchObject({
      result_hash: row.result_hash,
      ballots_hash: row.ballots_hash,
      rules_hash: row.rules_hash,
      ballot_count: 4,
    });

    const again = await countAsAdmin(fundId);
    expect(again.status).toBe(400);
    expect(((await again.json()) as { errors: Record<string, string> }).errors.form).toBe(ALREADY_COUNTED);
    await expect(countCommunityBallot(getDb(), actorOf(admin), fundId)).rejects.toThrow(ALREADY_COUNTED);
    await expect(getDb().updateTable("ballot_result").set({ ballot_count: 99 }).where("ballot_id", "=", ballotId).execute()).rejects.toThrow(/never changed/);
    await expect(getDb().deleteFrom("ballot_result").where("ballot_id", "=", ballotId).execute()).rejects.toThrow(/never deleted/);
    expect((await resultRow(ballotId))!.result_json).toBe(row.result_json);

    const setup = (await (await runLoader(setupLoader, getRequest(`/admin/funds/${fundId}/ballot`, { cookie: adminCookie }), { fundId })).json()) as {
      publication: { ballots: number; hash: string };
    };
    expect(setup.publication).toMatchObject({ ballots: 4, hash: row.result_hash });
  });

  it("only an administrator can count", async () => {
    const { fundId, ballotId } = await votedBallot();
    await close(ballotId);
    const applicant = await makeUser({ role: "applicant" });
    const response = await runAction(
      setupAction,
      await postForm(`/admin/funds/${fundId}/ballot`, { intent: "count" }, { cookie: await sessionCookieFor(applicant.id) }),
      { fundId },
    );
    expect([403, 404]).toContain(response.status);
    expect(await resultRow(ballotId)).toBeUndefined();
  });

  it("the public results page shows the chosen rule's winners, every rule's outcome, voters with a funded project, money by area, and fairness", async () => {
    const { fundId, ballotId, proposals, group } = await votedBallot();
    await close(ballotId);
    expect((await countAsAdmin(fundId)).status).toBe(302);
    const result = JSON.parse((await resultRow(ballotId))!.result_json) as BallotResult;
    const html = await renderResults(fundId);
    expect(html).toContain("4 people voted.");
    expect(html).toContain(`Funded in ${group.name}`);
    for (const rule of COUNTING_RULES) expect(html).toContain(COUNTING_RULE_LABELS[rule].replace(/'/g, "&#x27;"));
    for (const id of result.rules["equal-shares"].fundedIds) expect(html).toContain(proposals.find((p) => p.id === id)!.reference);
    expect(html).toMatch(/\d+ \(\d+%\)/);
    expect(html).toContain("Where the money goes");
    expect(html).toMatch(/Satisfies EJR|Does not satisfy EJR/);
    expect(html).toContain("Priceable");
    expect(html).toContain(`/funds/${fundId}/vote/ballots/${group.id}.pb`);
    expect(html).toContain(`/funds/${fundId}/ballot-rules.json`);
  });
});

describe("anyone can recount", () => {
  it("the .pb file downloads through its route, parses back, and recounts by the published rules to the same winners", async () => {
    const { fundId, ballotId, proposals, group } = await votedBallot();
    await close(ballotId);
    expect((await countAsAdmin(fundId)).status).toBe(302);
    const result = JSON.parse((await resultRow(ballotId))!.result_json) as BallotResult;

    const download = await pbRequest(fundId, group.id);
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Disposition")).toMatch(/^attachment; filename=".+\.pb"$/);
    const text = await download.text();
    for (const id of (await getDb().selectFrom("ballot_voter").select("id").where("ballot_id", "=", ballotId).execute()).map((v) => v.id)) {
      expect(text).not.toContain(id);
    }
    const file = parsePabulib(text);
    expect(file.votes).toHaveLength(4);
    const rulesFile = await runLoader(rulesLoader, getRequest(`/funds/${fundId}/ballot-rules.json`), { fundId });
    const rulesText = await rulesFile.text();
    expect(file.meta.extra?.rules_sha256).toBe(createHash("sha256").update(rulesText).digest("hex"));
    const rules = parseBallotRules(rulesText);

    const reference = new Map(proposals.map((p) => [p.id, p.reference]));
    const input = countInputFromPabulib(file, group.id);
    for (const rule of COUNTING_RULES) {
      const recount = countByRule(input, rule, rules.equalSharesUtility);
      expect([...recount.fundedIds].sort(), rule).toEqual(result.rules[rule].fundedIds.map((id) => reference.get(id)).sort());
    }
    const selected = file.projects.filter((p) => p.selected === 1).map((p) => p.id);
    expect(selected.sort()).toEqual(result.rules[rules.counting].fundedIds.map((id) => reference.get(id)).sort());
  });
});

describe("one rules model", () => {
  it("the migration rewrites the older counting-rule ids and free-text tie rules of a ballot's settings, and leaves frozen rules alone", async () => {
    const draft = await makeBallotFund();
    const draftId = await saveBallotSetup(getDb(), actorOf(admin), draft.fundId, approvalSetup());
    await getDb().updateTable("community_ballot").set({ counting_rule: "exact_optimum", tie_rule: "Lower cost wins." }).where("id", "=", draftId).execute();
    const { ballotId: openedId } = await votedBallot();
    await getDb().updateTable("community_ballot").set({ counting_rule: "equal_shares" }).where("id", "=", openedId).execute();
    const frozenBefore = await getDb().selectFrom("community_ballot").select(["rules_json", "rules_hash"]).where("id", "=", openedId).executeTakeFirstOrThrow();
    await renameRuleIds(getDb());
    const rows = await getDb()
      .selectFrom("community_ballot")
      .select(["id", "counting_rule", "tie_rule", "rules_json", "rules_hash"])
      .where("id", "in", [draftId, openedId])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(draftId)).toMatchObject({ counting_rule: "optimum", tie_rule: "cheaper-then-more-votes-then-reference" });
    expect(byId.get(openedId)).toMatchObject({ counting_rule: "equal-shares", ...frozenBefore });
  });
});

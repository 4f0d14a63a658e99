import { beforeAll, describe, expect, it } from "vitest";
import { BALLOT_FUND_NAME, COUNTED_BALLOT_FUND_NAME } from "../../db/demo-ballot";
import { seedDemo } from "../../db/demo-data";
import { loader as fundLoader } from "~/routes/funds.$fundId._index";
import { loader as pbLoader } from "~/routes/funds.$fundId.vote.ballots.$file";
import { loader as resultsLoader } from "~/routes/funds.$fundId.vote.results";
import type { PublishedEqualityMoney } from "~/domain/equality-money";
import { verifyAuditChain } from "~/models/audit.server";
import { getDb } from "~/utils/db.server";
import { getRequest, runLoader } from "../support/http";

let fundId: string;

beforeAll(async () => {
  await seedDemo(getDb());
  fundId = (await getDb().selectFrom("fund").select("id").where("name", "=", BALLOT_FUND_NAME).executeTakeFirstOrThrow()).id;
}, 120_000);

describe("the demo has a small fund decided by a community vote", () => {
  it("its public page says residents decide, shows the vote open and the rules' hash", async () => {
    const data = (await (await runLoader(fundLoader, getRequest(`/funds/${fundId}`), { fundId })).json()) as {
      fund: { decision_method: string };
      vote: { phase: string; rulesHash: string };
    };
    expect(data.fund.decision_method).toBe("ballot");
    expect(data.vote.phase).toBe("open");
    expect(data.vote.rulesHash).toMatch(/^[0-9a-f]{64}$/);
    const projects = await getDb()
      .selectFrom("community_ballot_project")
      .innerJoin("community_ballot", "community_ballot.id", "community_ballot_project.ballot_id")
      .select("proposal_id")
      .where("community_ballot.fund_id", "=", fundId)
      .execute();
    expect(projects).toHaveLength(4);
    expect((await verifyAuditChain(getDb())).ok).toBe(true);
  });

  it("a second fund's vote has closed and been counted: its results, rule comparison and recount files are published", async () => {
    const counted = (await getDb().selectFrom("fund").select("id").where("name", "=", COUNTED_BALLOT_FUND_NAME).executeTakeFirstOrThrow()).id;
    const page = (await (await runLoader(resultsLoader, getRequest(`/funds/${counted}/vote/results`), { fundId: counted })).json()) as {
      phase: string;
      outcome: { ballotCount: number; pots: { id: string; winners: unknown[] }[]; comparison: { rule: string; isChosen: boolean }[] };
    };
    expect(page.phase).toBe("closed");
    expect(page.outcome.ballotCount).toBe(38);
    expect(page.outcome.pots).toHaveLength(2);
    expect(page.outcome.pots.every((p) => p.winners.length > 0)).toBe(true);
    expect(page.outcome.comparison.filter((c) => c.isChosen).map((c) => c.rule)).toEqual(["equal-shares"]);
    const potId = page.outcome.pots[0]!.id;
    const pb = await runLoader(pbLoader, getRequest(`/funds/${counted}/vote/ballots/${potId}.pb`), { fundId: counted, file: `${potId}.pb` });
    expect(pb.status).toBe(200);
    expect(await pb.text()).toMatch(/^META\n/);
  });

  it("the counted vote shows funded money by age for the 28 voters who agreed: two groups with figures, one hidden, and no link left", async () => {
    const counted = (await getDb().selectFrom("fund").select("id").where("name", "=", COUNTED_BALLOT_FUND_NAME).executeTakeFirstOrThrow()).id;
    const page = (await (await runLoader(resultsLoader, getRequest(`/funds/${counted}/vote/results`), { fundId: counted })).json()) as {
      outcome: { money: PublishedEqualityMoney };
    };
    const money = page.outcome.money;
    expect(money.consented).toBe(28);
    const ages = money.questions[0]!;
    expect(ages.options.map((o) => [o.label, o.count])).toEqual([
      ["Under 40", 12],
      ["40 to 64", 13],
      ["65 or over", null],
      ["Prefer not to say", null],
    ]);
    expect(ages.options[0]!.pence).toBeGreaterThan(0);
    expect(ages.options[1]!.pence).toBeGreaterThan(0);
    expect(ages.options[2]!.pence).toBeNull();
    // The hidden groups' money is what is left of the question's total: 3 voters aged 65 or over, nobody who preferred not to say.
    expect(ages.pence! - ages.options[0]!.pence! - ages.options[1]!.pence!).toBeGreaterThan(0);
    expect(money.consentedPence).toBe(ages.pence);
    expect(await getDb().selectFrom("voter_equality_link").select("voter_id").where("fund_id", "=", counted).execute()).toEqual([]);
  });
});

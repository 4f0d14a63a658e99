import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { actorOf, makeUser } from "../factories";
import { makeOpenBallot, newVoter, vote } from "../support/community-ballot";
import { statementsOf } from "../support/database";

let admin: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  admin = await makeUser({ role: "admin" });
});

const papersOf = (ballotId: string) =>
  getDb().selectFrom("ballot_paper").select(["voter_id", "is_counted", "channel"]).where("ballot_id", "=", ballotId).execute();

describe("casting a ballot, the busiest write of a community vote", () => {
  it("a first ballot runs 11 statements (4 reads, then one transaction: the vote, the voter and their counted ballot, the paper, the audit event)", async () => {
    const { fundId, ballotId, proposals } = await makeOpenBallot(actorOf(admin));
    const cookie = await newVoter(fundId);
    const first = await statementsOf(async () => expect((await vote(fundId, cookie, [proposals[0]!.id])).status).toBe(302));
    expect(first).toHaveLength(11);
    // Nothing to set aside: the voter had no counted ballot.
    expect(first.filter((s) => /^update "ballot_paper"/.test(s))).toEqual([]);
    expect(await papersOf(ballotId)).toEqual([expect.objectContaining({ is_counted: 1, channel: "online" })]);
  });

  it("a changed ballot sets the earlier one aside (one more statement), and still exactly one counts", async () => {
    const { fundId, ballotId, proposals } = await makeOpenBallot(actorOf(admin));
    const cookie = await newVoter(fundId);
    expect((await vote(fundId, cookie, [proposals[0]!.id])).status).toBe(302);
    const second = await statementsOf(async () => expect((await vote(fundId, cookie, [proposals[1]!.id])).status).toBe(302));
    expect(second).toHaveLength(12);
    expect(second.filter((s) => /^update "ballot_paper"/.test(s))).toHaveLength(1);
    const rows = await papersOf(ballotId);
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.is_counted === 1)).toHaveLength(1);
    const events = await getDb().selectFrom("audit_event").select("after").where("action", "=", "ballot_paper.cast").orderBy("id").execute();
    expect(events.slice(-2).map((e) => JSON.parse(e.after!).replaces_earlier)).toEqual([false, true]);
  });
});

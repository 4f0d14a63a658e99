import { beforeAll, describe, expect, it } from "vitest";
import { action as setupAction, loader as setupLoader } from "~/routes/admin.funds.$fundId.ballot";
import { NOT_COUNTED_YET, openBallot, saveBallotSetup, VOTE_IS_ADVICE } from "~/services/community-ballots.server";
import { recordDecision } from "~/services/decisions.server";
import { getDb } from "~/utils/db.server";
import { actorOf, makeUser } from "../factories";
import { approvalSetup, makeBallotFund, newVoter, vote } from "../support/community-ballot";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

let admin: Awaited<ReturnType<typeof makeUser>>;
let adminCookie: string;

beforeAll(async () => {
  admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
});

/**
 * Counted by greedy, worked by hand: a pot of £35,000; ideas 1, 2, 3 cost
 * £10,000, £20,000, £30,000; ballots [1, 2], [1], [3], [3]. By votes: 1 and 3
 * have 2 each (the cheaper, 1, first), then 2 has 1. Funding 1 (£10,000), 3
 * would make £40,000: over the pot, so it is skipped; 2 fits (£30,000 in all).
 * Winners: 1 and 2. Not funded: 3.
 */
async function votedBallot() {
  const world = await makeBallotFund();
  await getDb().updateTable("decision_group").set({ pot_pence: 3_500_000 }).where("id", "=", world.group.id).execute();
  const ballotId = await saveBallotSetup(getDb(), actorOf(admin), world.fundId, approvalSetup({ countingRule: "greedy" }));
  await openBallot(getDb(), actorOf(admin), world.fundId);
  const [p1, p2, p3] = world.proposals.map((p) => p.id) as [string, string, string];
  for (const ticked of [[p1, p2], [p1], [p3], [p3]]) expect((await vote(world.fundId, await newVoter(world.fundId), ticked)).status).toBe(302);
  await getDb()
    .updateTable("community_ballot")
    .set({ closes_at: new Date(Date.now() - 60_000).toISOString() })
    .where("id", "=", ballotId)
    .execute();
  return { ...world, ballotId, ids: [p1, p2, p3] as const };
}

const post = async (fundId: string, intent: string, cookie = adminCookie) =>
  runAction(setupAction, await postForm(`/admin/funds/${fundId}/ballot`, { intent }, { cookie }), { fundId });

const decisionsFor = (ids: readonly string[]) =>
  getDb()
    .selectFrom("decision")
    .select(["proposal_id", "outcome", "amount_pence", "reason", "decided_by"])
    .where("proposal_id", "in", ids)
    .orderBy("proposal_id")
    .execute();

const statusesOf = async (ids: readonly string[]) =>
  Object.fromEntries((await getDb().selectFrom("proposal").select(["id", "status"]).where("id", "in", ids).execute()).map((p) => [p.id, p.status]));

const auditFor = (entityIds: readonly string[]) =>
  getDb().selectFrom("audit_event").select(["action", "entity_id", "after"]).where("entity_id", "in", entityIds).orderBy("id").execute();

async function errorOf(response: Response) {
  return ((await response.json()) as { errors: Record<string, string> }).errors.form;
}

describe("recording the count's winners as decisions", () => {
  it("before the count it is refused with a plain 400 and nothing is written", async () => {
    const { fundId, ids } = await votedBallot();
    const response = await post(fundId, "decide");
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toBe(NOT_COUNTED_YET);
    expect(await decisionsFor(ids)).toEqual([]);
  });

  it("only an administrator can record them: anyone else gets 403 and nothing is written", async () => {
    const { fundId, ids } = await votedBallot();
    expect((await post(fundId, "count")).status).toBe(302);
    for (const role of ["applicant", "panel_member"] as const) {
      const user = await makeUser({ role });
      const response = await post(fundId, "decide", await sessionCookieFor(user.id));
      expect(response.status, role).toBe(403);
    }
    expect(await decisionsFor(ids)).toEqual([]);
  });

  it("after the count, one confirm funds each winner for its cost and the others not, with the count as the reason, audited; a second confirm changes nothing and says so", async () => {
    const { fundId, ballotId, ids } = await votedBallot();
    expect((await post(fundId, "count")).status).toBe(302);

    const page = async () =>
      (await (await runLoader(setupLoader, getRequest(`/admin/funds/${fundId}/ballot`, { cookie: adminCookie }), { fundId })).json()) as {
        ballot: { decisions_recorded_at: string | null };
      };
    expect((await page()).ballot.decisions_recorded_at).toBeNull();

    const first = await post(fundId, "decide");
    expect(first.status, await first.clone().text()).toBe(302);
    expect(first.headers.get("Location")).toBe(`/admin/funds/${fundId}/ballot?done=decided`);

    const [p1, p2, p3] = ids;
    const byId = Object.fromEntries((await decisionsFor(ids)).map((d) => [d.proposal_id, d]));
    expect(byId[p1]).toMatchObject({ outcome: "funded", amount_pence: 1_000_000, decided_by: admin.id });
    expect(byId[p2]).toMatchObject({ outcome: "funded", amount_pence: 2_000_000 });
    expect(byId[p3]).toMatchObject({ outcome: "not_funded", amount_pence: null });
    expect(byId[p1]!.reason).toMatch(
      /^Chosen by the community vote\. The community vote was counted on .* by the rule fixed before it opened: .*This project had 2 votes\./,
    );
    expect(byId[p2]!.reason).toContain("This project had 1 vote.");
    expect(byId[p3]!.reason).toMatch(/^Not chosen by the community vote: the money went to other projects\..*This project had 2 votes\./);
    expect(await statusesOf(ids)).toEqual({ [p1]: "funded", [p2]: "funded", [p3]: "not_funded" });

    // Audited: each proposal's status and decision, and the step itself with the result it came from.
    const decisionIds = (await getDb().selectFrom("decision").select("id").where("proposal_id", "in", ids).execute()).map((d) => d.id);
    const events = await auditFor([...ids, ...decisionIds, ballotId]);
    expect(events.filter((e) => e.action === "decision.recorded")).toHaveLength(3);
    expect(
      events
        .filter((e) => e.action === "proposal.status.funded")
        .map((e) => e.entity_id)
        .sort(),
    ).toEqual([p1, p2].sort());
    expect(events.filter((e) => e.action === "proposal.status.not_funded").map((e) => e.entity_id)).toEqual([p3]);
    const step = events.filter((e) => e.action === "community_ballot.decisions_recorded");
    expect(step).toHaveLength(1);
    const result = await getDb().selectFrom("ballot_result").select("result_hash").where("ballot_id", "=", ballotId).executeTakeFirstOrThrow();
    const after = JSON.parse(step[0]!.after!) as { result_hash: string; counting_rule: string; funded: string[]; not_funded: string[] };
    expect(after).toMatchObject({ result_hash: result.result_hash, counting_rule: "greedy", not_funded: [p3] });
    expect(after.funded.sort()).toEqual([p1, p2].sort());
    // Each applicant is told, with the reason.
    const notices = await getDb().selectFrom("notification").select(["proposal_id", "body"]).where("proposal_id", "in", ids).execute();
    expect(notices.map((n) => n.proposal_id).sort()).toEqual([...ids].sort());
    expect(notices.find((n) => n.proposal_id === p3)!.body).toContain("Not chosen by the community vote");
    expect((await page()).ballot.decisions_recorded_at).not.toBeNull();

    const before = { decisions: await decisionsFor(ids), events: (await auditFor([...ids, ...decisionIds, ballotId])).length };
    const second = await post(fundId, "decide");
    expect(second.status).toBe(302);
    expect(second.headers.get("Location")).toBe(`/admin/funds/${fundId}/ballot?done=alreadyDecided`);
    expect(await decisionsFor(ids)).toEqual(before.decisions);
    expect((await auditFor([...ids, ...decisionIds, ballotId])).length).toBe(before.events);
  });

  it("all or nothing: when one project cannot be decided (already decided another way), the step is refused naming it and no decision is written", async () => {
    const { fundId, ids, proposals } = await votedBallot();
    expect((await post(fundId, "count")).status).toBe(302);
    const [p1, p2, p3] = ids;
    await recordDecision(getDb(), actorOf(admin), p3, {
      outcome: "not_funded",
      amountPence: null,
      conditions: "",
      reason: "Withdrawn by the group before the vote closed.",
      feedback: "",
      meetingId: null,
    });
    const response = await post(fundId, "decide");
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatch(new RegExp(`^${proposals[2]!.reference}: This proposal has already been decided`));
    expect((await decisionsFor(ids)).map((d) => d.proposal_id)).toEqual([p3]);
    // Still as they were before the step (eligible): nothing of it was kept.
    expect(await statusesOf([p1, p2])).toEqual({ [p1]: "eligible", [p2]: "eligible" });
  });

  it("a fund whose vote is advice to the panel is refused: the panel decides", async () => {
    const { fundId, ids } = await votedBallot();
    expect((await post(fundId, "count")).status).toBe(302);
    await getDb().updateTable("fund").set({ decision_method: "ballot_advises_panel" }).where("id", "=", fundId).execute();
    const response = await post(fundId, "decide");
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toBe(VOTE_IS_ADVICE);
    expect(await decisionsFor(ids)).toEqual([]);
  });
});

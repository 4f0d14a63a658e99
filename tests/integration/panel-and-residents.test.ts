import type { AppLoadContext } from "@remix-run/node";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import type { DecisionMethod } from "../../db/schema";
import { EMPTY_SHORTLIST, SHORTLIST_MEETING_NOTE } from "~/domain/panel-and-residents";
import { RETENTION } from "~/domain/retention";
import { getVoterBySessionHash } from "~/models/community-ballot.server";
import { getResidentsVoteAdvice } from "~/models/residents-vote.server";
import { loader as adminResultsLoader } from "~/routes/admin.groups.$groupId.results";
import { loader as decisionsLoader } from "~/routes/admin.groups.$groupId.decisions";
import { action as setupAction, loader as setupLoader } from "~/routes/admin.funds.$fundId.ballot";
import { loader as publicFundLoader } from "~/routes/funds.$fundId._index";
import { action as joinAction } from "~/routes/funds.$fundId.vote.join";
import { loader as meetingLoader } from "~/routes/panel.meetings.$meetingId";
import PanelResults, { loader as panelResultsLoader } from "~/routes/panel.results";
import {
  castBallot,
  confirmJoin,
  countCommunityBallot,
  JOINS_PER_CLIENT_PER_HOUR,
  openBallot,
  saveBallotSetup,
  JOIN_CODES_PER_HOUR,
  startJoin,
} from "~/services/community-ballots.server";
import { openMeeting, recordAttendance } from "~/services/meetings.server";
import { purgeExpiredPersonalData } from "~/services/personal-data.server";
import { castVote, closeVote, openVote } from "~/services/voting.server";
import { getDb } from "~/utils/db.server";
import { sha256 } from "~/utils/ids.server";
import { actorOf, auditEventsFor, declareInterestIn, makeUser } from "../factories";
import { approvalSetup, makeBallotFund } from "../support/community-ballot";
import { addCriterion, closeScoring, panelMember, scoreSheet } from "../support/decisions";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

let admin: ReturnType<typeof actorOf>;
let adminCookie: string;

beforeAll(async () => {
  admin = actorOf(await makeUser({ role: "admin" }));
  adminCookie = await sessionCookieFor(admin.id);
});

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** A ballot fund (three eligible proposals, one group) decided by `method`, with a chair and two more panel members who have declared. */
async function makeBothFund(method: DecisionMethod) {
  const world = await makeBallotFund();
  await getDb().updateTable("fund").set({ decision_method: method }).where("id", "=", world.fundId).execute();
  const members = [
    await panelMember(world.group.id, { isChair: true }),
    await panelMember(world.group.id, { constituency: "councillor" }),
    await panelMember(world.group.id, { constituency: "vcse" }),
  ];
  return { ...world, members };
}

/** The panel votes at a meeting, each proposal's vote closed in turn. */
async function panelVotes(groupId: string, members: { id: string }[], votes: [string, "fund" | "dont_fund"][]): Promise<string> {
  const db = getDb();
  const meetingId = await openMeeting(db, admin, groupId, { title: "Shortlisting meeting", heldOn: "2027-03-01" });
  await recordAttendance(
    db,
    admin,
    meetingId,
    members.map((m) => m.id),
  );
  for (const [proposalId, choice] of votes) {
    await openVote(db, admin, meetingId, proposalId);
    for (const m of members) await castVote(db, actorOf(m as Parameters<typeof actorOf>[0]), meetingId, proposalId, choice);
    await closeVote(db, admin, meetingId, proposalId, null);
  }
  return meetingId;
}

const ballotPage = async (fundId: string) =>
  (await (await runLoader(setupLoader, getRequest(`/admin/funds/${fundId}/ballot`, { cookie: adminCookie }), { fundId })).json()) as {
    isShortlisting: boolean;
    candidates: { id: string }[];
    leftOff: { id: string }[];
  };

const postOpen = async (fundId: string) =>
  runAction(setupAction, await postForm(`/admin/funds/${fundId}/ballot`, { intent: "open" }, { cookie: adminCookie }), { fundId });

let emails = 0;
/** A resident joins through the emailed code (the services, as the pages call them) and casts an approval ballot; returns the voter id. */
async function residentVotes(fundId: string, choices: string[][], client: string | null = null): Promise<string> {
  emails += 1;
  const email = `resident${emails}@example.test`;
  const challenge = await startJoin(getDb(), fundId, { postcode: "BS5 0AB", ageConfirmed: false, email, client });
  const row = await getDb().selectFrom("email_outbox").select("body_text").where("to_address", "=", email).executeTakeFirstOrThrow();
  const token = await confirmJoin(getDb(), fundId, challenge, /Your code is (\d{6})/.exec(row.body_text)![1]!);
  const voter = (await getVoterBySessionHash(getDb(), sha256(token), new Date().toISOString()))!;
  for (const ticked of choices) await castBallot(getDb(), voter.id, fundId, Object.fromEntries(ticked.map((id) => [id, 1])));
  return voter.id;
}

const closeTheVote = (fundId: string) =>
  getDb()
    .updateTable("community_ballot")
    .set({ closes_at: new Date(Date.now() - 1000).toISOString() })
    .where("fund_id", "=", fundId)
    .execute();

describe("shortlist then ballot: the panel shortlists at a meeting, residents vote on the shortlist", () => {
  it("with no shortlist the page says so and opening is refused with a clear message; nothing opens", async () => {
    const { fundId, proposals } = await makeBothFund("shortlist_then_ballot");
    await saveBallotSetup(getDb(), admin, fundId, approvalSetup({ maxChoices: 1 }));
    const page = await ballotPage(fundId);
    expect(page.isShortlisting).toBe(true);
    expect(page.candidates).toEqual([]);
    expect(page.leftOff.map((p) => p.id)).toEqual(proposals.map((p) => p.id));
    const response = await postOpen(fundId);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Record<string, string> }).errors.form).toBe(EMPTY_SHORTLIST);
    const ballot = await getDb().selectFrom("community_ballot").select(["id", "opened_at"]).where("fund_id", "=", fundId).executeTakeFirstOrThrow();
    expect(ballot.opened_at).toBeNull();
    expect(await getDb().selectFrom("community_ballot_project").select("proposal_id").where("ballot_id", "=", ballot.id).execute()).toEqual([]);
  });

  it("only proposals the panel voted to fund go on the ballot; the page lists the shortlist and what is left off; opening is audited", async () => {
    const { fundId, group, members, proposals } = await makeBothFund("shortlist_then_ballot");
    const [first, second, third] = proposals as [(typeof proposals)[0], (typeof proposals)[0], (typeof proposals)[0]];
    await saveBallotSetup(getDb(), admin, fundId, approvalSetup({ maxChoices: 1 }));
    const meetingId = await panelVotes(group.id, members, [
      [first.id, "fund"],
      [second.id, "dont_fund"],
    ]);
    // The meeting's page says what its votes mean for this fund.
    const meeting = await runLoader(meetingLoader, getRequest(`/panel/meetings/${meetingId}`, { cookie: members[0]!.cookie }), { meetingId });
    expect(((await meeting.json()) as { meeting: { shortlistNote: string | null } }).meeting.shortlistNote).toBe(SHORTLIST_MEETING_NOTE);
    const page = await ballotPage(fundId);
    expect(page.candidates.map((p) => p.id)).toEqual([first.id]);
    expect(page.leftOff.map((p) => p.id).sort()).toEqual([second.id, third.id].sort());

    const response = await postOpen(fundId);
    expect(response.status, await response.clone().text()).toBe(302);
    const ballot = await getDb()
      .selectFrom("community_ballot")
      .select(["id", "opened_at", "rules_json"])
      .where("fund_id", "=", fundId)
      .executeTakeFirstOrThrow();
    expect(ballot.opened_at).not.toBeNull();
    const onBallot = await getDb().selectFrom("community_ballot_project").select("proposal_id").where("ballot_id", "=", ballot.id).execute();
    expect(onBallot.map((p) => p.proposal_id)).toEqual([first.id]);
    expect((JSON.parse(ballot.rules_json!) as { projects: { id: string }[] }).projects.map((p) => p.id)).toEqual([first.id]);
    const opened = (await auditEventsFor("community_ballot.opened")).find((e) => e.entity_id === ballot.id)!;
    expect(JSON.parse(opened.after!)).toMatchObject({ projects: 1 });
  });

  it("a later vote replaces an earlier one: a proposal voted down at a second meeting leaves the shortlist", async () => {
    const { fundId, group, members, proposals } = await makeBothFund("shortlist_then_ballot");
    await panelVotes(group.id, members, [
      [proposals[0]!.id, "fund"],
      [proposals[1]!.id, "fund"],
    ]);
    await panelVotes(group.id, members, [[proposals[1]!.id, "dont_fund"]]);
    await saveBallotSetup(getDb(), admin, fundId, approvalSetup({ maxChoices: 1 }));
    expect((await ballotPage(fundId)).candidates.map((p) => p.id)).toEqual([proposals[0]!.id]);
  });

  it("a fund decided by the vote alone still puts every eligible proposal on the ballot", async () => {
    const { fundId, proposals } = await makeBothFund("ballot");
    await saveBallotSetup(getDb(), admin, fundId, approvalSetup());
    const page = await ballotPage(fundId);
    expect(page.isShortlisting).toBe(false);
    expect(page.candidates.map((p) => p.id)).toEqual(proposals.map((p) => p.id));
  });
});

/** A panel member's results page as the browser gets it: the route's loader and component rendered to HTML. */
async function renderPanelResults(cookie: string): Promise<string> {
  const handler = createStaticHandler([
    {
      id: "panel-results",
      path: "/panel/results",
      loader: ({ request, params }) => panelResultsLoader({ request, params, context: { cspNonce: "test", pendingCookies: [] } }),
      Component: PanelResults,
    },
  ]);
  const context = await handler.query(getRequest("/panel/results", { cookie }));
  if (context instanceof Response) throw new Error(`Expected a page, got ${context.status}`);
  return renderToString(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }));
}

describe("ballot advises panel: the residents' vote beside the panel's scores, after the close only", () => {
  let world: Awaited<ReturnType<typeof makeBothFund>>;
  let ids: [string, string, string];
  /** The third member declared an interest in the third proposal: recused from it. */
  let recused: Awaited<ReturnType<typeof panelMember>>;

  const panelResults = async (cookie: string) => runLoader(panelResultsLoader, getRequest("/panel/results", { cookie }));
  const adminResults = async () =>
    runLoader(adminResultsLoader, getRequest(`/admin/groups/${world.group.id}/results`, { cookie: adminCookie }), { groupId: world.group.id });
  const decisions = async (cookie: string) =>
    runLoader(decisionsLoader, getRequest(`/admin/groups/${world.group.id}/decisions`, { cookie }), { groupId: world.group.id });

  beforeAll(async () => {
    world = await makeBothFund("ballot_advises_panel");
    ids = world.proposals.map((p) => p.id) as [string, string, string];
    recused = world.members[2]!;
    const criterion = await addCriterion(world.fundId, 1, 1);
    for (const [i, id] of ids.entries()) {
      for (const m of world.members) await scoreSheet(id, m.id, { [criterion.id]: 5 - i });
    }
    await declareInterestIn(recused.id, ids[2]);
    await closeScoring(world.group.id);
    await saveBallotSetup(getDb(), admin, world.fundId, approvalSetup({ maxChoices: 2 }));
    await openBallot(getDb(), admin, world.fundId);
    // Counted: first 3, second 1, third 2, of 4 counted ballots. The last voter changed their ballot: their first is not counted.
    await residentVotes(world.fundId, [[ids[0], ids[1]]]);
    await residentVotes(world.fundId, [[ids[0]]]);
    await residentVotes(world.fundId, [[ids[0], ids[2]]]);
    await residentVotes(world.fundId, [[ids[1]], [ids[2]]]);
  });

  it("before the close the panel's pages show scores but no vote figures: not in the loader data, not in any key", async () => {
    for (const [name, response] of [
      ["chair's results", await panelResults(world.members[0]!.cookie)],
      ["member's results", await panelResults(world.members[1]!.cookie)],
      ["administrator's results", await adminResults()],
      ["chair's decisions", await decisions(world.members[0]!.cookie)],
    ] as const) {
      expect(response.status, name).toBe(200);
      const text = await response.text();
      const data = JSON.parse(text) as { advice: unknown; results?: { rows: unknown[] }; awaiting?: { mean: number | null }[] };
      expect(data.advice, name).toBeNull();
      expect(text, name).not.toMatch(/voters chose it|Residents' vote|supporters|ballotsCounted/);
      // The scores are there: only the vote is sealed.
      expect(text, name).toMatch(/"mean":\d/);
    }
    const html = await renderPanelResults(world.members[1]!.cookie);
    expect(html).toContain("Score statistics for each proposal");
    expect(html).not.toMatch(/Residents&#x27; vote|Residents' vote|voters chose it|people voted/);
  });

  it("after the close each page shows the vote for each proposal, labelled as advice, from the counted ballots", async () => {
    await closeTheVote(world.fundId);
    const data = (await (await adminResults()).json()) as { advice: { label: string; intro: string; byProposal: Record<string, string> } };
    expect(data.advice.label).toBe("Residents' vote (advice)");
    expect(data.advice.intro).toMatch(/^Advice, not the decision: 4 people voted in the community vote/);
    expect(data.advice.byProposal).toEqual({
      [ids[0]]: "3 of 4 voters chose it (75%)",
      [ids[1]]: "1 of 4 voters chose it (25%)",
      [ids[2]]: "2 of 4 voters chose it (50%)",
    });
    const chair = (await (await decisions(world.members[0]!.cookie)).json()) as { advice: { byProposal: Record<string, string> } };
    expect(chair.advice.byProposal[ids[0]]).toBe("3 of 4 voters chose it (75%)");
    const html = await renderPanelResults(world.members[1]!.cookie);
    expect(html).toMatch(/<th scope="col">Residents(&#x27;|')? vote \(advice\)<\/th>/);
    expect(html).toContain("3 of 4 voters chose it (75%)");
    expect(html).toContain("Advice, not the decision: 4 people voted");
  });

  it("a member recused from a proposal sees neither its scores nor its vote", async () => {
    const response = await panelResults(recused.cookie);
    expect(response.status).toBe(200);
    const text = await response.text();
    const data = JSON.parse(text) as { advice: { byProposal: Record<string, string> }; results: { rows: { id: string }[]; hiddenCount: number } };
    expect(data.results.rows.map((r) => r.id).sort()).toEqual([ids[0], ids[1]].sort());
    expect(data.results.hiddenCount).toBe(1);
    expect(Object.keys(data.advice.byProposal).sort()).toEqual([ids[0], ids[1]].sort());
    expect(text).not.toContain(ids[2]);
    expect(text).not.toContain("2 of 4 voters");
    const html = await renderPanelResults(recused.cookie);
    expect(html).toContain("1 of 4 voters chose it (25%)");
    expect(html).not.toContain(world.proposals[2]!.reference);
    expect(html).not.toContain("2 of 4 voters");
    // Another member still sees it.
    const other = (await (await panelResults(world.members[1]!.cookie)).json()) as { advice: { byProposal: Record<string, string> } };
    expect(other.advice.byProposal[ids[2]]).toBe("2 of 4 voters chose it (50%)");
  });

  it("a fund whose vote decides on its own shows no advice to a panel", async () => {
    await getDb().updateTable("fund").set({ decision_method: "ballot" }).where("id", "=", world.fundId).execute();
    try {
      expect(((await (await adminResults()).json()) as { advice: unknown }).advice).toBeNull();
    } finally {
      await getDb().updateTable("fund").set({ decision_method: "ballot_advises_panel" }).where("id", "=", world.fundId).execute();
    }
  });

  it("once counted, the advice is the stored count: a ballot row written into the table afterwards does not change it", async () => {
    await closeTheVote(world.fundId);
    await countCommunityBallot(getDb(), admin, world.fundId);
    const published = await getDb()
      .selectFrom("ballot_result")
      .innerJoin("community_ballot", "community_ballot.id", "ballot_result.ballot_id")
      .select(["ballot_result.result_json", "ballot_result.ballot_count"])
      .where("community_ballot.fund_id", "=", world.fundId)
      .executeTakeFirstOrThrow();
    const votes = (JSON.parse(published.result_json) as { votes: Record<string, number> }).votes;
    const expected = {
      [ids[0]]: `${votes[ids[0]]} of ${published.ballot_count} voters chose it (75%)`,
      [ids[1]]: `${votes[ids[1]]} of ${published.ballot_count} voters chose it (25%)`,
      [ids[2]]: `${votes[ids[2]]} of ${published.ballot_count} voters chose it (50%)`,
    };
    expect(expected[ids[0]]).toBe("3 of 4 voters chose it (75%)");
    const adviceNow = async () => ((await (await adminResults()).json()) as { advice: { intro: string; byProposal: Record<string, string> } }).advice;
    expect((await adviceNow()).byProposal).toEqual(expected);

    // Tampering: a voter and a counted ballot for the second proposal, written straight into the tables after the count.
    const ballot = await getDb().selectFrom("community_ballot").select("id").where("fund_id", "=", world.fundId).executeTakeFirstOrThrow();
    const at = new Date().toISOString();
    await getDb()
      .insertInto("ballot_voter")
      .values({ id: "tampered-voter", ballot_id: ballot.id, email_hash: "x", voter_code_id: null, postcode: "BS5 0AB", age_confirmed: 1, joined_at: at })
      .execute();
    await getDb()
      .insertInto("ballot_paper")
      .values({
        id: "tampered-paper",
        ballot_id: ballot.id,
        voter_id: "tampered-voter",
        choices: JSON.stringify({ [ids[1]]: 1 }),
        choices_hash: "x",
        salt: "x",
        is_counted: 1,
        cast_at: at,
        channel: "online",
      })
      .execute();
    const advice = await adviceNow();
    expect(advice.intro).toMatch(/^Advice, not the decision: 4 people voted/);
    expect(advice.byProposal).toEqual(expected);
  });
});

describe("the residents' vote on a points ballot, once counted", () => {
  it("is the stored count: supporters and points per project from the counted ballots, unchanged by a row written afterwards", async () => {
    const world = await makeBothFund("ballot_advises_panel");
    const [p1, p2, p3] = world.proposals.map((p) => p.id) as [string, string, string];
    await saveBallotSetup(getDb(), admin, world.fundId, approvalSetup({ kind: "points", maxChoices: null, pointsTotal: 10, pointsMinProjects: 1 }));
    await openBallot(getDb(), admin, world.fundId);
    for (const points of [{ [p1]: 6, [p2]: 4 }, { [p1]: 10 }, { [p3]: 5, [p2]: 5 }]) {
      await castBallot(getDb(), await residentVotes(world.fundId, []), world.fundId, points);
    }
    await closeTheVote(world.fundId);
    await countCommunityBallot(getDb(), admin, world.fundId);
    // Worked by hand: p1 from 2 ballots, 6 + 10 = 16 points; p2 from 2, 4 + 5 = 9; p3 from 1, 5.
    const expected = {
      ballotsCounted: 3,
      figures: { [p1]: { supporters: 2, points: 16 }, [p2]: { supporters: 2, points: 9 }, [p3]: { supporters: 1, points: 5 } },
    };
    expect(await getResidentsVoteAdvice(getDb(), world.fundId, [p1, p2, p3])).toMatchObject(expected);
    const ballot = await getDb().selectFrom("community_ballot").select("id").where("fund_id", "=", world.fundId).executeTakeFirstOrThrow();
    const voter = await residentVotesAfterClose(ballot.id);
    await getDb()
      .insertInto("ballot_paper")
      .values({
        id: `tampered-${voter}`,
        ballot_id: ballot.id,
        voter_id: voter,
        choices: JSON.stringify({ [p3]: 10 }),
        choices_hash: "x",
        salt: "x",
        is_counted: 1,
        cast_at: new Date().toISOString(),
        channel: "online",
      })
      .execute();
    expect(await getResidentsVoteAdvice(getDb(), world.fundId, [p1, p2, p3])).toMatchObject(expected);
  });
});

/** A voter written straight into the table (no service: the vote has closed), for tampering tests. */
async function residentVotesAfterClose(ballotId: string): Promise<string> {
  const id = `tampered-voter-${ballotId}`;
  await getDb()
    .insertInto("ballot_voter")
    .values({ id, ballot_id: ballotId, email_hash: id, voter_code_id: null, postcode: "BS5 0AB", age_confirmed: 1, joined_at: new Date().toISOString() })
    .execute();
  return id;
}

describe("the public fund page says what stage a 'both' fund is at", () => {
  const stageOf = async (fundId: string) =>
    ((await (await runLoader(publicFundLoader, getRequest(`/funds/${fundId}`), { fundId })).json()) as { stage: string | null }).stage;

  it("shortlisting, then voting open until the close, then the vote decides", async () => {
    const { fundId, group, members, proposals } = await makeBothFund("shortlist_then_ballot");
    expect(await stageOf(fundId)).toBe("Shortlisting: the panel is choosing which ideas go to the vote.");
    await saveBallotSetup(getDb(), admin, fundId, approvalSetup({ maxChoices: 1 }));
    await panelVotes(group.id, members, [[proposals[0]!.id, "fund"]]);
    await openBallot(getDb(), admin, fundId);
    expect(await stageOf(fundId)).toMatch(/^Voting is open until \d{1,2} \w+ \d{4} at \d\d:\d\d\. People who live in the area vote on the shortlist\.$/);
    await closeTheVote(fundId);
    expect(await stageOf(fundId)).toBe("Voting has closed. The vote decides, counted by the rules fixed when it opened.");
  });

  it("for the vote as advice: open until the close, then the panel deciding with the vote as advice, then decided", async () => {
    const { fundId } = await makeBothFund("ballot_advises_panel");
    await saveBallotSetup(getDb(), admin, fundId, approvalSetup());
    await openBallot(getDb(), admin, fundId);
    expect(await stageOf(fundId)).toMatch(/^Voting is open until .+\. After that, the panel decides with the vote as advice\.$/);
    await closeTheVote(fundId);
    expect(await stageOf(fundId)).toBe("Voting has closed. The panel is deciding, with the residents' vote as advice.");
    await getDb().updateTable("fund").set({ results_published_at: new Date().toISOString() }).where("id", "=", fundId).execute();
    expect(await stageOf(fundId)).toBe("The panel has decided. The results are published.");
  });

  it("a fund decided by the panel alone or the vote alone shows no stage line", async () => {
    const { fundId } = await makeBothFund("ballot");
    expect(await stageOf(fundId)).toBeNull();
  });
});

describe("voters' data in the retention purge", () => {
  it("expired voter sessions and codes go; email hashes go once results have been published long enough; the ballots stay, anonymous", async () => {
    const db = getDb();
    const published = await makeBothFund("ballot");
    const recent = await makeBothFund("ballot");
    for (const w of [published, recent]) {
      await saveBallotSetup(db, admin, w.fundId, approvalSetup());
      await openBallot(db, admin, w.fundId);
    }
    const oldVoter = await residentVotes(published.fundId, [[published.proposals[0]!.id]]);
    const newVoter = await residentVotes(recent.fundId, [[recent.proposals[0]!.id]]);
    const ballotIds = (await db.selectFrom("community_ballot").select("id").where("fund_id", "in", [published.fundId, recent.fundId]).execute()).map(
      (b) => b.id,
    );
    const sessionsOf = () => db.selectFrom("ballot_voter_session").select("voter_id").where("voter_id", "in", [oldVoter, newVoter]).execute();
    const challengesOf = () => db.selectFrom("ballot_voter_challenge").select("id").where("ballot_id", "in", ballotIds).execute();
    expect(await sessionsOf()).toHaveLength(2);
    expect(await challengesOf()).toHaveLength(2);

    // Three hours on: the 2-hour voter sessions have expired and go; the codes (expired after 15 minutes) stay a day.
    const later = new Date(Date.now() + 3 * HOUR);
    const first = await purgeExpiredPersonalData(db, later);
    expect(first.voterSessions).toBeGreaterThanOrEqual(2);
    expect(await sessionsOf()).toEqual([]);
    expect(await challengesOf()).toHaveLength(2);

    // Both votes close; one fund's results are published now, the other's 80 days later.
    const now = Date.now();
    await db
      .updateTable("community_ballot")
      .set({ closes_at: new Date(now + HOUR).toISOString() })
      .where("id", "in", ballotIds)
      .execute();
    await db
      .updateTable("fund")
      .set({ results_published_at: new Date(now + 2 * HOUR).toISOString() })
      .where("id", "=", published.fundId)
      .execute();
    await db
      .updateTable("fund")
      .set({ results_published_at: new Date(now + 80 * DAY).toISOString() })
      .where("id", "=", recent.fundId)
      .execute();

    const purgedAt = new Date(now + RETENTION.voterEmailAfterResults + DAY);
    const second = await purgeExpiredPersonalData(db, purgedAt);
    expect(second.voterChallenges).toBeGreaterThanOrEqual(2);
    expect(second.voterEmails).toBe(1);
    expect(await challengesOf()).toEqual([]);
    const voters = Object.fromEntries(
      (await db.selectFrom("ballot_voter").select(["id", "email_hash"]).where("id", "in", [oldVoter, newVoter]).execute()).map((v) => [v.id, v.email_hash]),
    );
    expect(voters[oldVoter]).toBeNull();
    expect(voters[newVoter]).toMatch(/^[0-9a-f]{64}$/);
    // The counted ballot stays, linked to an anonymous voter row.
    const papers = await db.selectFrom("ballot_paper").select(["voter_id", "is_counted", "choices"]).where("voter_id", "=", oldVoter).execute();
    expect(papers).toEqual([{ voter_id: oldVoter, is_counted: 1, choices: JSON.stringify({ [published.proposals[0]!.id]: 1 }) }]);
    const event = (await auditEventsFor("retention.purged")).at(-1)!;
    expect(JSON.parse(event.after!)).toMatchObject({ voterEmails: 1 });
  });
});

describe("how many joins one client address can start in an hour", () => {
  const joinFrom = async (fundId: string, clientAddress: string, email: string) => {
    const context: AppLoadContext = { cspNonce: "test", pendingCookies: [], clientAddress };
    const request = await postForm(`/funds/${fundId}/vote/join`, { postcode: "BS5 0AB", email });
    return joinAction({ request, params: { fundId }, context }).catch((thrown: unknown) => thrown as Response);
  };
  const challengesFrom = (ballotId: string, client: string) =>
    getDb().selectFrom("ballot_voter_challenge").select("id").where("ballot_id", "=", ballotId).where("client_key", "=", client).execute();

  it(`one address (an IPv6 /64 as one) starts at most ${JOINS_PER_CLIENT_PER_HOUR} joins a vote an hour, each to a new email; then a 400 and no code sent`, async () => {
    const world = await makeBothFund("ballot");
    const ballotId = await saveBallotSetup(getDb(), admin, world.fundId, approvalSetup());
    await openBallot(getDb(), admin, world.fundId);
    for (let i = 0; i < JOINS_PER_CLIENT_PER_HOUR; i += 1) {
      // Addresses in one /64 count as one client.
      const response = await joinFrom(world.fundId, `2001:db8:1:2::${(i % 9) + 1}`, `flood${i}@example.test`);
      expect(response.status, `join ${i + 1}`).toBe(302);
    }
    const refused = await joinFrom(world.fundId, "2001:db8:1:2:ffff::1", "one-more@example.test");
    expect(refused.status).toBe(400);
    const data = (await refused.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(data.errors.form).toMatch(/^Too many people have asked for a code from this internet connection in the last hour/);
    expect(data.values.email).toBe("one-more@example.test");
    expect(await challengesFrom(ballotId, "2001:db8:1:2::/64")).toHaveLength(JOINS_PER_CLIENT_PER_HOUR);
    expect(await getDb().selectFrom("email_outbox").select("id").where("to_address", "=", "one-more@example.test").execute()).toEqual([]);

    // Another address is not held back; nor is this one an hour later.
    expect((await joinFrom(world.fundId, "198.51.100.7", "neighbour@example.test")).status).toBe(302);
    const anHourOn = new Date(Date.now() + HOUR + 60_000);
    await expect(
      startJoin(getDb(), world.fundId, { postcode: "BS5 0AB", ageConfirmed: false, email: "one-more@example.test", client: "2001:db8:1:2::/64" }, anHourOn),
    ).resolves.toBeTypeOf("string");
  });

  it("the per-email limit still counts across addresses", async () => {
    const world = await makeBothFund("ballot");
    await saveBallotSetup(getDb(), admin, world.fundId, approvalSetup());
    await openBallot(getDb(), admin, world.fundId);
    for (let i = 0; i < JOIN_CODES_PER_HOUR; i += 1) expect((await joinFrom(world.fundId, `203.0.113.${i + 1}`, "same@example.test")).status).toBe(302);
    const refused = await joinFrom(world.fundId, "203.0.113.99", "same@example.test");
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: Record<string, string> }).errors.email).toMatch(/codes to this email in the last hour/);
  });
});

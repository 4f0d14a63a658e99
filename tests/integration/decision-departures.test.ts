import { beforeAll, describe, expect, it } from "vitest";
import { action as allocationAction } from "~/routes/admin.groups.$groupId.allocation";
import { action as decisionsAction, loader as decisionsLoader } from "~/routes/admin.groups.$groupId.decisions";
import { loader as publicLoader } from "~/routes/funds.$fundId.results";
import { loader as publicGroupLoader } from "~/routes/funds.$fundId.results_.$groupId";
import { loader as meetingLoader } from "~/routes/panel.meetings.$meetingId";
import { closeMeeting, openMeeting, recordAttendance } from "~/services/meetings.server";
import { castVote, closeVote, openVote } from "~/services/voting.server";
import { getDb } from "~/utils/db.server";
import { actorOf, auditEventsFor, makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { addCriterion, closeScoring, panelMember, scoreSheet, setGroupMoney } from "../support/decisions";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

const POUND = 100;
let admin: ReturnType<typeof actorOf>;
let adminCookie: string;
let voteGroup: { id: string; fund_id: string };
let allocationGroup: { id: string; fund_id: string };
let meetingId: string;
let votedFund: { id: string; reference: string; title: string };
let votedDown: { id: string; reference: string; title: string };
let recommended: { id: string; reference: string; title: string };
let leftOut: { id: string; reference: string; title: string };
let memberCookie: string;

const decide = async (groupId: string, fields: Record<string, string>) =>
  runAction(decisionsAction, await postForm(`/admin/groups/${groupId}/decisions`, fields, { cookie: adminCookie }), { groupId });
const decisionOf = (proposalId: string) => getDb().selectFrom("decision").selectAll().where("proposal_id", "=", proposalId).executeTakeFirst();

beforeAll(async () => {
  admin = actorOf(await makeUser({ role: "admin" }));
  adminCookie = await sessionCookieFor(admin.id);
  voteGroup = await makeDecisionGroup({ name: "Voting group" });
  allocationGroup = await makeDecisionGroup({ fundId: voteGroup.fund_id, name: "Allocation group" });
  const criterion = await addCriterion(voteGroup.fund_id, 1, 1);
  const org = await makeOrganisation();

  // A quorate meeting votes 3–0 to fund one proposal and 0–3 against another.
  const members = [
    await panelMember(voteGroup.id),
    await panelMember(voteGroup.id, { constituency: "councillor" }),
    await panelMember(voteGroup.id, { constituency: "vcse" }),
  ];
  votedFund = await makeProposal({ decisionGroupId: voteGroup.id, organisationId: org.id, status: "under_review", content: { title: "Community kitchen" } });
  votedDown = await makeProposal({ decisionGroupId: voteGroup.id, organisationId: org.id, status: "under_review", content: { title: "Car park" } });
  for (const p of [votedFund, votedDown]) await scoreSheet(p.id, members[0]!.id, { [criterion.id]: 4 });
  meetingId = await openMeeting(getDb(), admin, voteGroup.id, { title: "Decision meeting", heldOn: "2027-03-01" });
  await recordAttendance(
    getDb(),
    admin,
    meetingId,
    members.map((m) => m.id),
  );
  for (const [proposal, choice] of [
    [votedFund, "fund"],
    [votedDown, "dont_fund"],
  ] as const) {
    await openVote(getDb(), admin, meetingId, proposal.id);
    for (const m of members) await castVote(getDb(), actorOf(m), meetingId, proposal.id, choice);
    await closeVote(getDb(), admin, meetingId, proposal.id, null);
  }
  await closeScoring(voteGroup.id);
  memberCookie = members[0]!.cookie;

  // No votes here: the allocation recommends the higher-scored of two proposals that cannot both fit the pot.
  const scorer = await panelMember(allocationGroup.id);
  await setGroupMoney(allocationGroup.id, { pot: 50_000 * POUND, min: 10_000 * POUND, max: 50_000 * POUND });
  recommended = await makeProposal({
    decisionGroupId: allocationGroup.id,
    organisationId: org.id,
    status: "under_review",
    content: { title: "Play park", amountRequestedPence: 40_000 * POUND },
  });
  leftOut = await makeProposal({
    decisionGroupId: allocationGroup.id,
    organisationId: org.id,
    status: "under_review",
    content: { title: "Bike shelter", amountRequestedPence: 30_000 * POUND },
  });
  await scoreSheet(recommended.id, scorer.id, { [criterion.id]: 5 });
  await scoreSheet(leftOut.id, scorer.id, { [criterion.id]: 1 });
  await closeScoring(allocationGroup.id);
  const adopted = await runAction(allocationAction, await postForm(`/admin/groups/${allocationGroup.id}/allocation`, {}, { cookie: adminCookie }), {
    groupId: allocationGroup.id,
  });
  expect(adopted.status).toBe(302);
});

describe("a decision against the panel's vote", () => {
  it("the decisions page shows the panel's vote on each proposal waiting, before anything is decided", async () => {
    const page = await runLoader(decisionsLoader, getRequest(`/admin/groups/${voteGroup.id}/decisions`, { cookie: adminCookie }), { groupId: voteGroup.id });
    const { awaiting } = (await page.json()) as {
      awaiting: { id: string; panelVote: { vote: { outcome: string; fund: number }; meetingTitle: string } | null }[];
    };
    expect(awaiting.find((p) => p.id === votedFund.id)!.panelVote).toEqual({
      vote: { outcome: "fund", fund: 3, dontFund: 0 },
      meetingTitle: "Decision meeting",
    });
    expect(awaiting.find((p) => p.id === votedDown.id)!.panelVote!.vote.outcome).toBe("dont_fund");
  });

  it("is refused without a reason that says so, even with no meeting chosen, and nothing is recorded", async () => {
    const response = await decide(voteGroup.id, { proposalId: votedFund.id, outcome: "not_funded", reason: "Other projects met more of the fund's aims." });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(body.errors.departureReason).toBe(
      `This decision differs from the panel's vote. The panel voted to fund (3 votes to fund, 0 votes not to fund), but the decision is not funded. Say why in "Why the decision differs from the panel's vote or the allocation": it is published with the decision.`,
    );
    expect(body.values.reason).toBe("Other projects met more of the fund's aims.");
    expect(await decisionOf(votedFund.id)).toBeUndefined();
    const proposal = await getDb().selectFrom("proposal").select("status").where("id", "=", votedFund.id).executeTakeFirstOrThrow();
    expect(proposal.status).toBe("under_review");
  });

  it("is recorded with its reason, linked to the meeting that voted, audited and flagged on the decisions page", async () => {
    const why = "The site lease fell through after the meeting, so the project cannot go ahead this year.";
    const response = await decide(voteGroup.id, {
      proposalId: votedFund.id,
      outcome: "not_funded",
      reason: "The project cannot start without a site.",
      departureReason: why,
    });
    expect(response.status).toBe(302);
    const decision = (await decisionOf(votedFund.id))!;
    expect(decision.departure_reason).toBe(why);
    expect(decision.meeting_id).toBe(meetingId);
    const event = (await auditEventsFor("decision.recorded")).find((e) => e.entity_id === decision.id)!;
    expect(JSON.parse(event.after!)).toMatchObject({ departure_reason: why, departsFrom: ["vote"] });

    const page = await runLoader(decisionsLoader, getRequest(`/admin/groups/${voteGroup.id}/decisions`, { cookie: adminCookie }), { groupId: voteGroup.id });
    const decided = ((await page.json()) as { decided: { id: string; departures: { from: string }[]; departureReason: string }[] }).decided;
    expect(decided.find((d) => d.id === votedFund.id)).toMatchObject({ departures: [{ from: "vote" }], departureReason: why });
  });

  it("a decision that follows the vote needs no such reason, and none is kept", async () => {
    const response = await decide(voteGroup.id, {
      proposalId: votedDown.id,
      outcome: "not_funded",
      reason: "The panel did not think it met the fund's aims.",
      departureReason: "Not needed",
    });
    expect(response.status).toBe(302);
    expect((await decisionOf(votedDown.id))!.departure_reason).toBe("");
  });
});

describe("a decision against the adopted allocation", () => {
  it("funding a proposal the allocation left out needs a reason that says so", async () => {
    const fields = { proposalId: leftOut.id, outcome: "funded", amount: "30000", reason: "Secure bike storage is the estate's first ask." };
    const refused = await decide(allocationGroup.id, fields);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: Record<string, string> }).errors.departureReason).toMatch(
      /^This decision differs from the allocation\. The adopted allocation does not fund it, but the decision is funded with £30,000(\.00)?\./,
    );
    expect(await decisionOf(leftOut.id)).toBeUndefined();
    const why = "The panel put the estate's own survey above the scores.";
    expect((await decide(allocationGroup.id, { ...fields, departureReason: why })).status).toBe(302);
    expect((await decisionOf(leftOut.id))!.departure_reason).toBe(why);
  });

  it("not funding the proposal it recommended needs one too", async () => {
    const fields = { proposalId: recommended.id, outcome: "not_funded", reason: "The pot is spent." };
    const refused = await decide(allocationGroup.id, fields);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: Record<string, string> }).errors.departureReason).toMatch(/The adopted allocation funds it with £40,000/);
    expect((await decide(allocationGroup.id, { ...fields, departureReason: "Funding the bike shelter left too little for the play park." })).status).toBe(302);
  });
});

describe("the public results and minutes", () => {
  it("flag each decision that differs, with what it differs from and why; the minutes of the meeting that voted say so too", async () => {
    await closeMeeting(getDb(), admin, meetingId, "The panel voted on two proposals.");
    await getDb().updateTable("fund").set({ results_published_at: "2027-05-01T10:00:00.000Z" }).where("id", "=", voteGroup.fund_id).execute();
    const response = await runLoader(publicLoader, getRequest(`/funds/${voteGroup.fund_id}/results`), { fundId: voteGroup.fund_id });
    expect(response.status).toBe(200);
    // The fund's page counts them; each group's page lists its own.
    expect(((await response.json()) as { departedCount: number }).departedCount).toBe(3);
    type Departed = { id: string; meetingId: string | null; label: string; departures: { from: string; text: string }[]; reason: string };
    const groupPage = async (groupId: string) => {
      const page = await runLoader(publicGroupLoader, getRequest(`/funds/${voteGroup.fund_id}/results/${groupId}`), { fundId: voteGroup.fund_id, groupId });
      expect(page.status).toBe(200);
      return ((await page.json()) as { departed: Departed[] }).departed;
    };
    const [voting, allocating] = [await groupPage(voteGroup.id), await groupPage(allocationGroup.id)];
    expect(voting.map((d) => d.id)).toEqual([votedFund.id]);
    expect(allocating.map((d) => d.id).sort()).toEqual([leftOut.id, recommended.id].sort());
    const departed = [...voting, ...allocating];
    const kitchen = departed.find((d) => d.id === votedFund.id)!;
    expect(kitchen).toMatchObject({ meetingId, reason: expect.stringMatching(/site lease fell through/) });
    expect(kitchen.label).toBe(`${votedFund.reference}, Community kitchen: not funded. `);
    expect(kitchen.departures[0]!.text).toMatch(/The panel voted to fund \(3 votes to fund, 0 votes not to fund\)/);
    expect(departed.find((d) => d.id === leftOut.id)!.departures.map((x) => x.from)).toEqual(["allocation"]);

    // The meeting's own record, as the panel reads it, flags the decision beside its minutes.
    const meeting = await runLoader(meetingLoader, getRequest(`/panel/meetings/${meetingId}`, { cookie: memberCookie }), { meetingId });
    expect(meeting.status).toBe(200);
    const record = (await meeting.json()) as { departed: { id: string; texts: string; reason: string }[] };
    expect(record.departed).toEqual([
      {
        id: votedFund.id,
        label: `${votedFund.reference}, Community kitchen: not funded. `,
        texts: expect.stringMatching(/^The panel voted to fund/),
        reason: kitchen.reason,
      },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { action as indexAction, loader as indexLoader } from "~/routes/panel.meetings._index";
import { action as meetingAction, loader as meetingLoader } from "~/routes/panel.meetings.$meetingId";
import { action as itemAction, loader as itemLoader } from "~/routes/panel.meetings.$meetingId_.proposals.$proposalId";
import { action as panelAction, loader as panelLoader } from "~/routes/admin.groups.$groupId.panel";
import { getMeetingQuorum, getVoteResult } from "~/models/meeting.server";
import { getDb } from "~/utils/db.server";
import { makeUser } from "../factories";
import { auditTrailOf } from "../support/funds";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";
import {
  declareInterest,
  makeAgendaProposal,
  makeCriterion,
  makeMeeting,
  makePanel,
  markPresent,
  openVoteItem,
  submitScore,
  votesOn,
} from "../support/meetings";

const itemPath = (meetingId: string, proposalId: string) => `/panel/meetings/${meetingId}/proposals/${proposalId}`;

async function postItem(meetingId: string, proposalId: string, fields: Record<string, string>, cookie: string) {
  return runAction(itemAction, await postForm(itemPath(meetingId, proposalId), fields, { cookie }), { meetingId, proposalId });
}

async function postMeeting(meetingId: string, fields: Record<string, string | string[]>, cookie: string) {
  const flat: Record<string, string> = {};
  const request = await postForm(`/panel/meetings/${meetingId}`, flat, { cookie });
  // URLSearchParams from a record cannot repeat a name, so append the lists by hand.
  const body = new URLSearchParams(await request.text());
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  return runAction(meetingAction, new Request(request.url, { method: "POST", headers: request.headers, body }), { meetingId });
}

async function loadMeeting(meetingId: string, cookie: string) {
  return runLoader(meetingLoader, getRequest(`/panel/meetings/${meetingId}`, { cookie }), { meetingId });
}

async function loadItem(meetingId: string, proposalId: string, cookie: string) {
  return runLoader(itemLoader, getRequest(itemPath(meetingId, proposalId), { cookie }), { meetingId, proposalId });
}

describe("quorum", () => {
  it("a meeting with fewer members present than the fund's minimum is flagged not quorate, and quorate once enough are recorded", async () => {
    const { group, members } = await makePanel(["resident", "resident", "councillor", "vcse"], { quorumMinPresent: 3 });
    const [chair] = members;
    const meeting = await makeMeeting(group.id, chair!.id);
    const response = await postMeeting(meeting.id, { intent: "attendance", present: [members[0]!.id, members[1]!.id] }, chair!.cookie);
    expect(response.status).toBe(302);

    const quorum = await getMeetingQuorum(getDb(), meeting.id);
    expect(quorum).toMatchObject({ isQuorate: false, countingPresent: 2, minimumPresent: 3 });
    expect(quorum!.reasons[0]).toBe("Only 2 members are present; at least 3 are needed.");
    const page = await (await loadMeeting(meeting.id, chair!.cookie)).json();
    expect(page.quorum.isQuorate).toBe(false);
    expect(page.attendance.filter((a: { isPresent: boolean | null }) => a.isPresent === false)).toHaveLength(2);
    expect(await auditTrailOf("meeting", meeting.id)).toMatchObject([{ action: "meeting.attendance_recorded", actor: chair!.id }]);

    await postMeeting(meeting.id, { intent: "attendance", present: members.slice(0, 3).map((m) => m.id) }, chair!.cookie);
    expect(await getMeetingQuorum(getDb(), meeting.id)).toMatchObject({ isQuorate: true, countingPresent: 3 });
  });

  it("a meeting with enough members but without the constituency mix the rules ask for is not quorate, and says why", async () => {
    const { group, members } = await makePanel(["resident", "resident", "resident", "councillor"], {
      quorumMinPresent: 3,
      compositionRules: { councillor: { minCount: 1 }, resident: { maxShare: 60 } },
    });
    const meeting = await makeMeeting(group.id, members[0]!.id);
    await markPresent(meeting.id, members.slice(0, 3));
    const quorum = await getMeetingQuorum(getDb(), meeting.id);
    expect(quorum!.isQuorate).toBe(false);
    expect(quorum!.reasons).toEqual([
      "3 members are present, and at least 3 are needed.",
      "Residents may be at most 60% of the members present, but are 3 of 3 (100%).",
      "The members present must include at least 1 councillor, but have none.",
    ]);
  });

  it("a vote closed at a meeting that is not quorate is recorded as not quorate", async () => {
    const { group, members } = await makePanel(["resident", "councillor"], { quorumMinPresent: 3 });
    const proposal = await makeAgendaProposal(group.id);
    const meeting = await makeMeeting(group.id, members[0]!.id);
    await markPresent(meeting.id, members);
    await openVoteItem(meeting.id, proposal.id);
    await postItem(meeting.id, proposal.id, { intent: "vote", choice: "fund" }, members[0]!.cookie);
    expect((await postItem(meeting.id, proposal.id, { intent: "close_vote" }, members[0]!.cookie)).status).toBe(302);
    const result = (await getVoteResult(getDb(), meeting.id, proposal.id)) as { outcome: string; quorum: { isQuorate: boolean } };
    expect(result).toMatchObject({ outcome: "fund", quorum: { isQuorate: false } });
  });
});

describe("agenda", () => {
  it("lists the most contested proposals first, and proposals nobody scored last", async () => {
    const { fund, group, members } = await makePanel(["resident", "councillor", "vcse"]);
    const criterion = await makeCriterion(fund.id);
    const calm = await makeAgendaProposal(group.id, { title: "Calm" });
    const contested = await makeAgendaProposal(group.id, { title: "Contested" });
    await makeAgendaProposal(group.id, { title: "Unscored", status: "eligible" });
    const middling = await makeAgendaProposal(group.id, { title: "Middling" });
    const marks: [string, number[]][] = [
      [calm.id, [3, 3, 3]],
      [contested.id, [0, 5, 5]],
      [middling.id, [2, 4, 3]],
    ];
    for (const [proposalId, scores] of marks) {
      for (const [i, mark] of scores.entries()) await submitScore(proposalId, members[i]!.id, criterion.id, mark);
    }
    const meeting = await makeMeeting(group.id, members[0]!.id);
    const page = await (await loadMeeting(meeting.id, members[1]!.cookie)).json();
    expect(page.agenda.items.map((i: { title: string }) => i.title)).toEqual(["Contested", "Middling", "Calm", "Unscored"]);
    expect(page.agenda.items[3].standardDeviation).toBeNull();
  });
});

describe("recusal", () => {
  it("a recused member gets 403 on the proposal's notes and on voting, sees no scores for it, and is left out of the tally", async () => {
    const { group, members } = await makePanel(["resident", "councillor", "vcse"]);
    const [chair, recused, other] = members;
    const proposal = await makeAgendaProposal(group.id);
    await declareInterest(recused!.id, proposal.id);
    const meeting = await makeMeeting(group.id, chair!.id);
    await markPresent(meeting.id, members);
    const item = await openVoteItem(meeting.id, proposal.id);
    await postItem(meeting.id, proposal.id, { intent: "note", body: "The hall roof is in poor repair." }, other!.cookie);

    expect((await loadItem(meeting.id, proposal.id, recused!.cookie)).status).toBe(403);
    expect((await postItem(meeting.id, proposal.id, { intent: "note", body: "I know them well." }, recused!.cookie)).status).toBe(403);
    expect((await postItem(meeting.id, proposal.id, { intent: "vote", choice: "fund" }, recused!.cookie)).status).toBe(403);
    expect(await votesOn(item.id)).toHaveLength(0);

    const agenda = (await (await loadMeeting(meeting.id, recused!.cookie)).json()).agenda.items;
    expect(agenda[0]).toMatchObject({ isRecused: true, scorerCount: null, standardDeviation: null });

    // A vote cast before a late declaration of interest is left out too.
    await postItem(meeting.id, proposal.id, { intent: "vote", choice: "dont_fund" }, other!.cookie);
    await postItem(meeting.id, proposal.id, { intent: "vote", choice: "fund" }, chair!.cookie);
    await declareInterest(other!.id, proposal.id);
    await postItem(meeting.id, proposal.id, { intent: "close_vote" }, chair!.cookie);
    const result = (await getVoteResult(getDb(), meeting.id, proposal.id)) as { outcome: string; counts: Record<string, number>; votesLeftOut: number };
    expect(result.outcome).toBe("fund");
    expect(result.counts).toMatchObject({ fund: 1, dontFund: 0, eligible: 1 });
    expect(result.votesLeftOut).toBe(1);
  });
});

describe("per-proposal voting", () => {
  it("keeps every member's choice out of the page until the vote closes, then shows the counts", async () => {
    const { group, members } = await makePanel(["resident", "councillor", "vcse"]);
    const proposal = await makeAgendaProposal(group.id);
    const meeting = await makeMeeting(group.id, members[0]!.id);
    await markPresent(meeting.id, members);
    await openVoteItem(meeting.id, proposal.id);
    await postItem(meeting.id, proposal.id, { intent: "vote", choice: "dont_fund" }, members[1]!.cookie);
    await postItem(meeting.id, proposal.id, { intent: "vote", choice: "fund" }, members[2]!.cookie);

    const before = await (await loadItem(meeting.id, proposal.id, members[2]!.cookie)).json();
    expect(before.vote).toEqual({ status: "open", votesCast: 2, hasVoted: true, result: null });
    const text = JSON.stringify(before);
    expect(text).not.toContain("dont_fund");
    expect(text).not.toContain(members[1]!.id);
    const chairView = JSON.stringify(await (await loadItem(meeting.id, proposal.id, members[0]!.cookie)).json());
    expect(chairView).not.toContain("dont_fund");
    expect(JSON.stringify(await (await loadMeeting(meeting.id, members[0]!.cookie)).json())).not.toContain("dont_fund");

    await postItem(meeting.id, proposal.id, { intent: "vote", choice: "fund" }, members[0]!.cookie);
    expect((await postItem(meeting.id, proposal.id, { intent: "close_vote" }, members[0]!.cookie)).status).toBe(302);
    const after = await (await loadItem(meeting.id, proposal.id, members[1]!.cookie)).json();
    expect(after.vote.result).toMatchObject({ outcome: "fund", counts: { fund: 2, dontFund: 1, abstain: 0 }, decidedBy: "majority" });
  });

  it("50 simultaneous votes from one member leave exactly one vote and never a server error", async () => {
    const { group, members } = await makePanel(["resident", "councillor"]);
    const proposal = await makeAgendaProposal(group.id);
    const meeting = await makeMeeting(group.id, members[0]!.id);
    await markPresent(meeting.id, members);
    const item = await openVoteItem(meeting.id, proposal.id);
    const requests = await Promise.all(
      Array.from({ length: 50 }, () => postForm(itemPath(meeting.id, proposal.id), { intent: "vote", choice: "fund" }, { cookie: members[1]!.cookie })),
    );
    const responses = await Promise.all(requests.map((r) => runAction(itemAction, r, { meetingId: meeting.id, proposalId: proposal.id })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 302)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(49);
    const refused = await responses.find((r) => r.status === 400)!.json();
    expect(refused.errors.choice).toBe("You have already voted on this proposal");
    expect(await votesOn(item.id)).toHaveLength(1);
  });

  it("voting after the vote closes is refused with 400", async () => {
    const { group, members } = await makePanel(["resident", "councillor"]);
    const proposal = await makeAgendaProposal(group.id);
    const meeting = await makeMeeting(group.id, members[0]!.id);
    await markPresent(meeting.id, members);
    const item = await openVoteItem(meeting.id, proposal.id);
    await postItem(meeting.id, proposal.id, { intent: "vote", choice: "fund" }, members[0]!.cookie);
    await postItem(meeting.id, proposal.id, { intent: "close_vote" }, members[0]!.cookie);
    const response = await postItem(meeting.id, proposal.id, { intent: "vote", choice: "dont_fund" }, members[1]!.cookie);
    expect(response.status).toBe(400);
    expect((await response.json()).errors.choice).toBe("Voting on this proposal has closed");
    expect(await votesOn(item.id)).toHaveLength(1);
  });

  it("an unknown choice is refused with 400 and nothing is stored", async () => {
    const { group, members } = await makePanel(["resident", "councillor"]);
    const proposal = await makeAgendaProposal(group.id);
    const meeting = await makeMeeting(group.id, members[0]!.id);
    await markPresent(meeting.id, members);
    const item = await openVoteItem(meeting.id, proposal.id);
    const response = await postItem(meeting.id, proposal.id, { intent: "vote", choice: "approve" }, members[1]!.cookie);
    expect(response.status).toBe(400);
    expect((await response.json()).errors.choice).toBe("Choose fund, don't fund or abstain");
    expect(await votesOn(item.id)).toHaveLength(0);
  });

  it("a member not recorded as present cannot vote", async () => {
    const { group, members } = await makePanel(["resident", "councillor"]);
    const proposal = await makeAgendaProposal(group.id);
    const meeting = await makeMeeting(group.id, members[0]!.id);
    await markPresent(meeting.id, [members[0]!]);
    await openVoteItem(meeting.id, proposal.id);
    const response = await postItem(meeting.id, proposal.id, { intent: "vote", choice: "fund" }, members[1]!.cookie);
    expect(response.status).toBe(400);
    expect((await response.json()).errors.choice).toMatch(/Only members recorded as present/);
  });

  it("a tie is settled by the chair's casting vote, which the chair must give to close the vote", async () => {
    const { group, members } = await makePanel(["resident", "councillor", "vcse"], { tieRule: "chair" });
    const [chair, a, b] = members;
    const proposal = await makeAgendaProposal(group.id);
    const meeting = await makeMeeting(group.id, chair!.id);
    await markPresent(meeting.id, members);
    await openVoteItem(meeting.id, proposal.id);
    await postItem(meeting.id, proposal.id, { intent: "vote", choice: "fund" }, a!.cookie);
    await postItem(meeting.id, proposal.id, { intent: "vote", choice: "dont_fund" }, b!.cookie);
    await postItem(meeting.id, proposal.id, { intent: "vote", choice: "abstain" }, chair!.cookie);

    const missing = await postItem(meeting.id, proposal.id, { intent: "close_vote" }, chair!.cookie);
    expect(missing.status).toBe(400);
    expect((await missing.json()).errors.castingVote).toMatch(/The vote is tied/);
    expect(await getVoteResult(getDb(), meeting.id, proposal.id)).toBeNull();

    expect((await postItem(meeting.id, proposal.id, { intent: "close_vote", castingVote: "dont_fund" }, a!.cookie)).status).toBe(403);
    expect((await postItem(meeting.id, proposal.id, { intent: "close_vote", castingVote: "dont_fund" }, chair!.cookie)).status).toBe(302);
    expect(await getVoteResult(getDb(), meeting.id, proposal.id)).toMatchObject({
      outcome: "dont_fund",
      decidedBy: "casting_vote",
      castingVote: { memberId: chair!.id, choice: "dont_fund" },
    });
  });

  it("a tie is settled by score when the fund says so: at or above the group's median score is funded", async () => {
    const { fund, group, members, admin } = await makePanel(["resident", "councillor"], { tieRule: "higher_score" });
    const criterion = await makeCriterion(fund.id);
    const strong = await makeAgendaProposal(group.id);
    const weak = await makeAgendaProposal(group.id);
    const third = await makeAgendaProposal(group.id);
    for (const [proposalId, mark] of [
      [strong.id, 5],
      [third.id, 3],
      [weak.id, 1],
    ] as const) {
      await submitScore(proposalId, members[0]!.id, criterion.id, mark);
    }
    const meeting = await makeMeeting(group.id, admin.id);
    await markPresent(meeting.id, members);
    for (const proposal of [strong, weak]) {
      await openVoteItem(meeting.id, proposal.id);
      await postItem(meeting.id, proposal.id, { intent: "vote", choice: "fund" }, members[0]!.cookie);
      await postItem(meeting.id, proposal.id, { intent: "vote", choice: "dont_fund" }, members[1]!.cookie);
      expect((await postItem(meeting.id, proposal.id, { intent: "close_vote" }, admin.cookie)).status).toBe(302);
    }
    expect(await getVoteResult(getDb(), meeting.id, strong.id)).toMatchObject({ outcome: "fund", decidedBy: "score" });
    expect(await getVoteResult(getDb(), meeting.id, weak.id)).toMatchObject({ outcome: "dont_fund", decidedBy: "score" });
  });
});

describe("approval ballot", () => {
  it("each present member approves up to N proposals once; more than N is refused with 400; the tally counts approvals", async () => {
    const { group, members } = await makePanel(["resident", "councillor", "vcse"], { votingMethod: "approval", approvalMax: 2 });
    const [chair, a, b] = members;
    const p1 = await makeAgendaProposal(group.id);
    const p2 = await makeAgendaProposal(group.id);
    const p3 = await makeAgendaProposal(group.id);
    await declareInterest(b!.id, p3.id);
    const meeting = await makeMeeting(group.id, chair!.id);
    await markPresent(meeting.id, members);
    expect((await postMeeting(meeting.id, { intent: "open_ballot" }, a!.cookie)).status).toBe(403);
    expect((await postMeeting(meeting.id, { intent: "open_ballot" }, chair!.cookie)).status).toBe(302);

    const tooMany = await postMeeting(meeting.id, { intent: "ballot", approve: [p1.id, p2.id, p3.id] }, a!.cookie);
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).errors.approve).toBe("You can approve up to 2 proposals. You chose 3.");
    expect((await postMeeting(meeting.id, { intent: "ballot", approve: [p3.id] }, b!.cookie)).status).toBe(403);

    expect((await postMeeting(meeting.id, { intent: "ballot", approve: [p1.id, p2.id] }, a!.cookie)).status).toBe(302);
    const twice = await postMeeting(meeting.id, { intent: "ballot", approve: [p3.id] }, a!.cookie);
    expect(twice.status).toBe(400);
    expect((await postMeeting(meeting.id, { intent: "ballot", approve: [p2.id] }, b!.cookie)).status).toBe(302);
    expect((await postMeeting(meeting.id, { intent: "ballot", approve: [p1.id, p3.id] }, chair!.cookie)).status).toBe(302);

    const open = await (await loadMeeting(meeting.id, b!.cookie)).json();
    expect(open.ballot).toMatchObject({ isOpen: true, hasVoted: true, ballotsCast: 3 });
    expect(JSON.stringify(open)).not.toContain('"approve"');

    expect((await postMeeting(meeting.id, { intent: "close_ballot" }, chair!.cookie)).status).toBe(302);
    const results = await Promise.all([p1, p2, p3].map((p) => getVoteResult(getDb(), meeting.id, p.id)));
    expect(results.map((r) => (r as { approvals: number }).approvals)).toEqual([2, 2, 1]);
    expect(results[2]).toMatchObject({ position: 3, isTied: false, ballotsCounted: 3 });
    const late = await postMeeting(meeting.id, { intent: "ballot", approve: [p1.id] }, b!.cookie);
    expect(late.status).toBe(400);
  });
});

describe("meetings and notes", () => {
  it("the chair opens a meeting for their group; other members cannot; an administrator opens one for any group", async () => {
    const { group, members, admin } = await makePanel(["resident", "councillor"]);
    const refused = await runAction(
      indexAction,
      await postForm("/panel/meetings", { title: "First meeting", heldOn: "2027-03-14" }, { cookie: members[1]!.cookie }),
    );
    expect(refused.status).toBe(403);
    const badDate = await runAction(
      indexAction,
      await postForm("/panel/meetings", { title: "First meeting", heldOn: "14/03/2027" }, { cookie: members[0]!.cookie }),
    );
    expect(badDate.status).toBe(400);
    expect((await badDate.json()).errors.heldOn).toMatch(/real date/);
    const opened = await runAction(
      indexAction,
      await postForm("/panel/meetings", { title: "First meeting", heldOn: "2027-03-14" }, { cookie: members[0]!.cookie }),
    );
    expect(opened.status).toBe(302);
    const byAdmin = await runAction(
      indexAction,
      await postForm("/panel/meetings", { title: "Second meeting", heldOn: "2027-04-14", groupId: group.id }, { cookie: admin.cookie }),
    );
    expect(byAdmin.status).toBe(302);
    const list = await (await runLoader(indexLoader, getRequest("/panel/meetings", { cookie: members[1]!.cookie }))).json();
    expect(list.meetings.map((m: { title: string }) => m.title)).toEqual(["Second meeting", "First meeting"]);
  });

  it("a member of another group cannot see the meeting", async () => {
    const { group, members } = await makePanel(["resident"]);
    const other = await makePanel(["resident"]);
    const meeting = await makeMeeting(group.id, members[0]!.id);
    expect((await loadMeeting(meeting.id, other.members[0]!.cookie)).status).toBe(404);
  });

  it("members add notes the panel can read; closing the meeting needs minutes and no vote left open, and then nothing more can be added", async () => {
    const { group, members } = await makePanel(["resident", "councillor"]);
    const proposal = await makeAgendaProposal(group.id);
    const meeting = await makeMeeting(group.id, members[0]!.id);
    await markPresent(meeting.id, members);
    expect((await postItem(meeting.id, proposal.id, { intent: "note", body: "" }, members[1]!.cookie)).status).toBe(400);
    expect((await postItem(meeting.id, proposal.id, { intent: "note", body: "Strong local support." }, members[1]!.cookie)).status).toBe(302);
    expect((await (await loadItem(meeting.id, proposal.id, members[0]!.cookie)).json()).notes).toMatchObject([
      { body: "Strong local support.", authorName: "Member 2" },
    ]);

    await openVoteItem(meeting.id, proposal.id);
    const early = await postMeeting(meeting.id, { intent: "close", minutes: "We met." }, members[0]!.cookie);
    expect(early.status).toBe(400);
    expect((await early.json()).values.minutes).toBe("We met.");
    await postItem(meeting.id, proposal.id, { intent: "close_vote", castingVote: "fund" }, members[0]!.cookie);
    expect((await postMeeting(meeting.id, { intent: "close", minutes: "" }, members[0]!.cookie)).status).toBe(400);
    expect((await postMeeting(meeting.id, { intent: "close", minutes: "We met and voted." }, members[0]!.cookie)).status).toBe(302);
    const closed = await getDb().selectFrom("meeting").selectAll().where("id", "=", meeting.id).executeTakeFirstOrThrow();
    expect(closed).toMatchObject({ status: "closed", minutes: "We met and voted." });
    expect((await postItem(meeting.id, proposal.id, { intent: "note", body: "Too late." }, members[1]!.cookie)).status).toBe(400);
  });
});

describe("panel composition", () => {
  it("lists each breach of the fund's composition rules in plain English", async () => {
    const { group, admin } = await makePanel(["resident", "resident", "resident", "councillor"], {
      compositionRules: { resident: { maxShare: 50 }, vcse: { minCount: 1 }, councillor: { minShare: 30 } },
    });
    const page = await (await runLoader(panelLoader, getRequest(`/admin/groups/${group.id}/panel`, { cookie: admin.cookie }), { groupId: group.id })).json();
    expect(page.breaches).toEqual([
      "Residents may be at most 50% of the panel, but are 3 of 4 (75%).",
      "Councillors must be at least 30% of the panel, but are 1 of 4 (25%).",
      "The panel must include at least 1 VCSE representative, but has none.",
    ]);
    expect(page.members).toHaveLength(4);
  });

  it("the administrator sets one member as chair, audited, and the previous chair stops chairing", async () => {
    const { group, members, admin } = await makePanel(["resident", "councillor"]);
    const outsider = await makeUser({ role: "panel_member", constituency: "vcse" });
    const refused = await runAction(panelAction, await postForm(`/admin/groups/${group.id}/panel`, { chairId: outsider.id }, { cookie: admin.cookie }), {
      groupId: group.id,
    });
    expect(refused.status).toBe(400);
    const response = await runAction(panelAction, await postForm(`/admin/groups/${group.id}/panel`, { chairId: members[1]!.id }, { cookie: admin.cookie }), {
      groupId: group.id,
    });
    expect(response.status).toBe(302);
    const chairs = await getDb().selectFrom("membership").select("user_id as id").where("decision_group_id", "=", group.id).where("is_chair", "=", 1).execute();
    expect(chairs).toEqual([{ id: members[1]!.id }]);
    expect(await auditTrailOf("decision_group", group.id)).toMatchObject([{ action: "decision_group.chair_set", actor: admin.id }]);
    const member = await sessionCookieFor(members[0]!.id);
    expect((await runLoader(panelLoader, getRequest(`/admin/groups/${group.id}/panel`, { cookie: member }), { groupId: group.id })).status).toBe(403);
  });
});

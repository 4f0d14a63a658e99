import { beforeAll, describe, expect, it } from "vitest";
import { loader as allocationLoader } from "~/routes/admin.groups.$groupId.allocation";
import { action as decisionsAction, loader as decisionsLoader } from "~/routes/admin.groups.$groupId.decisions";
import { openMeeting, recordAttendance } from "~/services/meetings.server";
import { castVote, closeVote, openVote } from "~/services/voting.server";
import { getDb } from "~/utils/db.server";
import { actorOf, makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { addCriterion, closeScoring, panelMember, scoreSheet } from "../support/decisions";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

let admin: ReturnType<typeof actorOf>;
let adminCookie: string;
let group: { id: string; fund_id: string };
let voted: { id: string; reference: string };
let notVoted: { id: string; reference: string };
let votedDown: { id: string; reference: string };
let meetingId: string;
let members: Awaited<ReturnType<typeof panelMember>>[];

// The fund's default quorum is 3 present; only 2 of the 3 members attend, so the meeting is not quorate.
beforeAll(async () => {
  admin = actorOf(await makeUser({ role: "admin" }));
  adminCookie = await sessionCookieFor(admin.id);
  group = await makeDecisionGroup();
  const criterion = await addCriterion(group.fund_id, 1, 1);
  const org = await makeOrganisation();
  members = [
    await panelMember(group.id, { name: "Gita Member" }),
    await panelMember(group.id, { name: "Hugo Member" }),
    await panelMember(group.id, { name: "Ines Member" }),
  ];
  voted = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, status: "under_review", content: { title: "Voted on" } });
  notVoted = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, status: "under_review", content: { title: "Never voted on" } });
  votedDown = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, status: "under_review", content: { title: "Voted down" } });
  for (const p of [voted, notVoted, votedDown]) await scoreSheet(p.id, members[0]!.id, { [criterion.id]: 4 });

  meetingId = await openMeeting(getDb(), admin, group.id, { title: "Decision meeting", heldOn: "2027-03-01" });
  await recordAttendance(getDb(), admin, meetingId, [members[0]!.id, members[1]!.id]);
  await openVote(getDb(), admin, meetingId, voted.id);
  for (const m of [members[0]!, members[1]!]) await castVote(getDb(), actorOf(m), meetingId, voted.id, "fund");
  await closeVote(getDb(), admin, meetingId, voted.id, null);
  await openVote(getDb(), admin, meetingId, votedDown.id);
  for (const m of [members[0]!, members[1]!]) await castVote(getDb(), actorOf(m), meetingId, votedDown.id, "dont_fund");
  await closeVote(getDb(), admin, meetingId, votedDown.id, null);
  // Decisions come once the group's scoring has closed.
  await closeScoring(group.id);
});

describe("decisions taken at a meeting", () => {
  it("once votes have closed, the allocation considers only the proposals the panel voted to fund", async () => {
    const response = await runLoader(allocationLoader, getRequest(`/admin/groups/${group.id}/allocation`, { cookie: adminCookie }), { groupId: group.id });
    const { allocation } = await response.json();
    expect(allocation.basis).toBe("votes");
    expect(allocation.rows.map((r: { id: string }) => r.id)).toEqual([voted.id]);
    expect(allocation.excluded).toEqual(
      expect.arrayContaining([
        { reference: notVoted.reference, title: "Never voted on", why: "The panel has not voted on it yet." },
        { reference: votedDown.reference, title: "Voted down", why: "The panel did not vote to fund it." },
      ]),
    );
    expect(allocation.excluded).toHaveLength(2);
  });

  it("records the meeting's vote, attendance and quorum with the decision, flagging that it was not quorate", async () => {
    const response = await runAction(
      decisionsAction,
      await postForm(
        `/admin/groups/${group.id}/decisions`,
        { proposalId: voted.id, outcome: "funded", amount: "45000", reason: "The panel voted to fund it for its clear plan.", meetingId },
        { cookie: adminCookie },
      ),
      { groupId: group.id },
    );
    expect(response.status).toBe(302);
    const decision = await getDb().selectFrom("decision").selectAll().where("proposal_id", "=", voted.id).executeTakeFirstOrThrow();
    expect(decision.meeting_id).toBe(meetingId);
    expect(JSON.parse(decision.vote_counts!)).toMatchObject({ method: "per_proposal", outcome: "fund", counts: { fund: 2, dontFund: 0 } });
    expect(JSON.parse(decision.attendance!)).toMatchObject({ present: 2, byConstituency: { resident: 2 } });
    expect(JSON.parse(decision.quorum!)).toMatchObject({ isQuorate: false, minimumPresent: 3 });

    const page = await runLoader(decisionsLoader, getRequest(`/admin/groups/${group.id}/decisions`, { cookie: adminCookie }), { groupId: group.id });
    const decided = (await page.json()).decided as { id: string; isNotQuorate: boolean }[];
    expect(decided.find((d) => d.id === voted.id)!.isNotQuorate).toBe(true);
  });

  it("a meeting of another group is refused on the meeting field", async () => {
    const other = await makeDecisionGroup();
    const elsewhere = await openMeeting(getDb(), admin, other.id, { title: "Elsewhere", heldOn: "2027-03-02" });
    const response = await runAction(
      decisionsAction,
      await postForm(
        `/admin/groups/${group.id}/decisions`,
        { proposalId: notVoted.id, outcome: "not_funded", reason: "Not supported.", meetingId: elsewhere },
        { cookie: adminCookie },
      ),
      { groupId: group.id },
    );
    expect(response.status).toBe(400);
    expect((await response.json()).errors.meetingId).toBe("Choose one of this group's meetings, or none");
  });
});

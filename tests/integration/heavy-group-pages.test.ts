import { beforeAll, describe, expect, it } from "vitest";
import type { KyselyPlugin } from "kysely";
import type { DB } from "../../db/client";
import type { Actor } from "~/domain/permissions";
import { getGroupFacts, getGroupResults } from "~/models/group-results.server";
import { findMeetingFor, getAgenda } from "~/models/meeting.server";
import { loader as resultsLoader } from "~/routes/admin.groups.$groupId.results";
import { action as meetingAction, loader as meetingLoader } from "~/routes/panel.meetings.$meetingId";
import { getDb } from "~/utils/db.server";
import { makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { addCriterion, declareInterestIn, panelMember, scoreSheet } from "../support/decisions";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";
import { makeAgendaProposal, makeCriterion, makeMeeting, makePanel, markPresent, submitScore } from "../support/meetings";
import { forgetSharedReads } from "~/models/read-cache.server";

// Issue 11: the largest group's results page and the meeting page are paged (50 a page) and ask the database one
// query per kind of data, never one per proposal. These tests build groups bigger than a page.

/** The same database handle, counting every query it runs (a Kysely plugin sees each result once; subqueries are part of their query). */
function countingDb(): { db: DB; count: () => number; mostRows: () => number } {
  let queries = 0;
  let mostRows = 0;
  const counter: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      queries += 1;
      mostRows = Math.max(mostRows, args.result.rows.length);
      return args.result;
    },
  };
  return { db: getDb().withPlugin(counter), count: () => queries, mostRows: () => mostRows };
}

type ResultRow = { id: string; reference: string; mean: number | null; standardDeviation: number | null };
type Paging = { page: number; pageCount: number; pageSize: number; total: number; askedPage: number };

describe("the group's results page, 50 proposals a page", () => {
  let group: { id: string; fund_id: string };
  let small: { id: string; fund_id: string };
  let adminCookie: string;
  let admin: Actor;

  beforeAll(async () => {
    const user = await makeUser({ role: "admin" });
    admin = { id: user.id, role: "admin", organisationId: null, decisionGroupId: null, membershipId: user.membershipId };
    adminCookie = await sessionCookieFor(user.id);
    const org = await makeOrganisation();
    const scoreGroupOf = async (size: number) => {
      const g = await makeDecisionGroup();
      const [a, b] = [await addCriterion(g.fund_id, 2, 1), await addCriterion(g.fund_id, 1, 2)];
      const scorers = [await panelMember(g.id), await panelMember(g.id)];
      for (let i = 0; i < size; i++) {
        const p = await makeProposal({ decisionGroupId: g.id, organisationId: org.id, status: "under_review", content: { title: `Project ${i}` } });
        // Every fifth proposal is left unscored; the rest get varied marks.
        if (i % 5 === 4) continue;
        await scoreSheet(p.id, scorers[0]!.id, { [a.id]: i % 6, [b.id]: (i * 7) % 6 });
        await scoreSheet(p.id, scorers[1]!.id, { [a.id]: (i * 3) % 6, [b.id]: 5 - (i % 6) });
      }
      return g;
    };
    group = await scoreGroupOf(55);
    small = await scoreGroupOf(3);
  });

  async function load(query: string) {
    const response = await runLoader(resultsLoader, getRequest(`/admin/groups/${group.id}/results${query}`, { cookie: adminCookie }), { groupId: group.id });
    expect(response.status).toBe(200);
    return (await response.json()).results as { rows: ResultRow[]; paging: Paging };
  }

  it("page 1 shows the first 50 proposals and page 2 the next 5, in one order across the pages", async () => {
    const first = await load("");
    const second = await load("?page=2");
    expect(first.rows).toHaveLength(50);
    expect(second.rows).toHaveLength(5);
    expect(first.paging).toMatchObject({ page: 1, pageCount: 2, pageSize: 50, total: 55 });
    expect(second.paging).toMatchObject({ page: 2, pageCount: 2, total: 55 });
    const all = [...first.rows, ...second.rows];
    expect(new Set(all.map((r) => r.id)).size).toBe(55);
    // Highest mean first; proposals nobody scored last (11 of them: the whole of page 2 and the end of page 1).
    const means = all.filter((r) => r.mean !== null).map((r) => r.mean!);
    expect(means).toEqual([...means].sort((x, y) => y - x));
    expect(all.slice(44).every((r) => r.mean === null)).toBe(true);
    expect(second.rows.every((r) => r.mean === null)).toBe(true);
  });

  it("keeps the chosen sort on page 2", async () => {
    const first = await load("?sort=disagreement");
    const second = await load("?sort=disagreement&page=2");
    const spreads = [...first.rows, ...second.rows].filter((r) => r.standardDeviation !== null).map((r) => r.standardDeviation!);
    expect(spreads).toEqual([...spreads].sort((x, y) => y - x));
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(55);
  });

  it("a page number that is not a number gives page 1, and one past the end gives the last page and says so, never an error", async () => {
    for (const bad of ["abc", "-3", "0", "2.5x", "99999999999"]) {
      const body = await load(`?page=${bad}`);
      expect(body.paging.page).toBe(bad === "2.5x" ? 2 : 1);
    }
    const past = await load("?page=7");
    expect(past.paging).toMatchObject({ page: 2, pageCount: 2, askedPage: 7 });
    expect(past.rows).toHaveLength(5);
  });

  it("a recused panel member's hidden row is left out of the count and the pages", async () => {
    const member = await panelMember(group.id);
    const facts = (await getGroupFacts(getDb(), group.id))!;
    const everyone = await getGroupResults(getDb(), admin, facts, { sort: "score", isNormalised: false }, 2);
    const hiddenId = everyone.rows[0]!.id;
    await declareInterestIn(member.id, hiddenId, "trustee");
    const viewer: Actor = { id: member.id, role: "panel_member", organisationId: null, decisionGroupId: group.id, membershipId: member.membershipId };
    const pages = [1, 2].map((page) => getGroupResults(getDb(), viewer, facts, { sort: "score", isNormalised: false }, page));
    const [one, two] = await Promise.all(pages);
    expect(one!.paging.total).toBe(54);
    expect(one!.hiddenCount).toBe(1);
    expect([...one!.rows, ...two!.rows].map((r) => r.id)).not.toContain(hiddenId);
  });

  it("asks the database the same number of queries for 3 proposals as for 55, normalised or not, and reads one row per score sheet, not per mark", async () => {
    for (const isNormalised of [false, true]) {
      const counts = [];
      for (const g of [small, group]) {
        const facts = (await getGroupFacts(getDb(), g.id))!;
        forgetSharedReads();
        const { db, count, mostRows } = countingDb();
        const results = await getGroupResults(db, admin, facts, { sort: "score", isNormalised }, 1);
        expect(results.rows.length).toBeGreaterThan(0);
        counts.push(count());
        // 55 proposals, 44 of them scored by 2 members with 2 criteria each: 88 sheets and 176 marks.
        if (g === group) expect(mostRows()).toBe(88);
      }
      expect(counts[0]).toBe(counts[1]);
      expect(counts[1]).toBeLessThanOrEqual(4);
    }
  });
});

async function postMeeting(meetingId: string, fields: Record<string, string | string[]>, cookie: string) {
  const request = await postForm(`/panel/meetings/${meetingId}`, {}, { cookie });
  const body = new URLSearchParams(await request.text());
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  return runAction(meetingAction, new Request(request.url, { method: "POST", headers: request.headers, body }), { meetingId });
}

type AgendaRow = {
  id: string;
  standardDeviation: number | null;
  scorerCount: number | null;
  isRecused: boolean;
  voteItem: { status: string; votesCast: number | null; hasVoted: boolean } | null;
};
type MeetingPage = {
  agenda: { items: AgendaRow[]; paging: Paging };
  ballot: { isOpen: boolean; ballotsCast: number; choices: { id: string }[]; results: { id: string }[] };
};

describe("the meeting page, 50 agenda items a page", () => {
  let panel: Awaited<ReturnType<typeof makePanel>>;
  let meetingId: string;
  let proposals: { id: string }[];

  async function loadMeeting(cookie: string, query = "", id = meetingId) {
    const response = await runLoader(meetingLoader, getRequest(`/panel/meetings/${id}${query}`, { cookie }), { meetingId: id });
    expect(response.status).toBe(200);
    return (await response.json()) as MeetingPage;
  }

  beforeAll(async () => {
    panel = await makePanel(["resident", "councillor", "vcse"], { votingMethod: "approval", approvalMax: 3 });
    const criterion = await makeCriterion(panel.fund.id);
    proposals = [];
    for (let i = 0; i < 55; i++) {
      const p = await makeAgendaProposal(panel.group.id, { title: `Agenda item ${i}` });
      proposals.push(p);
      // Every fourth proposal is unscored; the others get a spread that grows with i.
      if (i % 4 === 3) continue;
      for (const [m, mark] of [0, i % 6, 5 - (i % 6)].entries()) await submitScore(p.id, panel.members[m]!.id, criterion.id, mark);
    }
    const meeting = await makeMeeting(panel.group.id, panel.members[0]!.id);
    meetingId = meeting.id;
    await markPresent(meetingId, panel.members);
  });

  it("page 1 shows the 50 most contested proposals and page 2 the next 5; a bad page number gives a page, not an error", async () => {
    const cookie = panel.members[1]!.cookie;
    const first = await loadMeeting(cookie);
    const second = await loadMeeting(cookie, "?page=2");
    expect(first.agenda.items).toHaveLength(50);
    expect(second.agenda.items).toHaveLength(5);
    expect(first.agenda.paging).toMatchObject({ page: 1, pageCount: 2, total: 55 });
    const all = [...first.agenda.items, ...second.agenda.items];
    expect(new Set(all.map((i) => i.id))).toEqual(new Set(proposals.map((p) => p.id)));
    const spreads = all.filter((i) => i.standardDeviation !== null).map((i) => i.standardDeviation!);
    expect(spreads).toEqual([...spreads].sort((x, y) => y - x));
    expect(second.agenda.items.every((i) => i.standardDeviation === null)).toBe(true);

    expect((await loadMeeting(cookie, "?page=nine")).agenda.paging.page).toBe(1);
    const past = await loadMeeting(cookie, "?page=9");
    expect(past.agenda.paging).toMatchObject({ page: 2, askedPage: 9 });
    expect(past.agenda.items.map((i) => i.id)).toEqual(second.agenda.items.map((i) => i.id));
  });

  it("a recused member sees no scores, no vote count and no result for their proposal, on any page, and cannot tick it", async () => {
    const [chair, recused, other] = panel.members;
    const meeting = await makeMeeting(panel.group.id, chair!.id);
    await markPresent(meeting.id, panel.members);
    // The recused proposal is a scored one on page 1 and an unscored one on page 2.
    const before = await loadMeeting(chair!.cookie, "", meeting.id);
    const onPage1 = before.agenda.items.find((i) => i.scorerCount === 3)!.id;
    const onPage2 = (await loadMeeting(chair!.cookie, "?page=2", meeting.id)).agenda.items[0]!.id;
    await declareInterestIn(recused!.id, onPage1, "trustee");
    await declareInterestIn(recused!.id, onPage2, "trustee");

    expect((await postMeeting(meeting.id, { intent: "open_ballot" }, chair!.cookie)).status).toBe(302);
    expect((await postMeeting(meeting.id, { intent: "ballot", approve: [onPage1, onPage2] }, other!.cookie)).status).toBe(302);
    expect((await postMeeting(meeting.id, { intent: "ballot", approve: [onPage1] }, chair!.cookie)).status).toBe(302);

    const open = [await loadMeeting(recused!.cookie, "", meeting.id), await loadMeeting(recused!.cookie, "?page=2", meeting.id)];
    const rows = open.flatMap((p) => p.agenda.items);
    for (const id of [onPage1, onPage2]) {
      expect(rows.find((r) => r.id === id)).toMatchObject({
        isRecused: true,
        scorerCount: null,
        standardDeviation: null,
        voteItem: { status: "open", votesCast: null },
      });
      expect(open[0]!.ballot.choices.map((c) => c.id)).not.toContain(id);
    }
    // Everyone else still sees the counts (the recused member's own score sheet is left out of them).
    const chairView = await loadMeeting(chair!.cookie, "", meeting.id);
    expect(chairView.agenda.items.find((i) => i.id === onPage1)).toMatchObject({ isRecused: false, scorerCount: 2, voteItem: { votesCast: 2 } });
    expect(chairView.ballot.choices.map((c) => c.id)).toContain(onPage1);
    expect(open[0]!.ballot).toMatchObject({ isOpen: true, ballotsCast: 2 });

    expect((await postMeeting(meeting.id, { intent: "close_ballot" }, chair!.cookie)).status).toBe(302);
    const closed = await loadMeeting(recused!.cookie, "", meeting.id);
    expect(closed.ballot.results.length).toBe(53);
    expect(closed.ballot.results.map((r) => r.id)).not.toContain(onPage1);
    expect(closed.ballot.results.map((r) => r.id)).not.toContain(onPage2);
    expect((await loadMeeting(chair!.cookie, "", meeting.id)).ballot.results.map((r) => r.id)).toContain(onPage1);
  });

  it("asks the database the same number of queries for a 2-item agenda as for a 55-item one with a vote on every item", async () => {
    const small = await makePanel(["resident", "councillor", "vcse"], { votingMethod: "approval", approvalMax: 3 });
    const criterion = await makeCriterion(small.fund.id);
    for (let i = 0; i < 2; i++) {
      const p = await makeAgendaProposal(small.group.id);
      await submitScore(p.id, small.members[0]!.id, criterion.id, i + 2);
    }
    const smallMeeting = await makeMeeting(small.group.id, small.members[0]!.id);
    const bigMeeting = await makeMeeting(panel.group.id, panel.members[0]!.id);
    await markPresent(smallMeeting.id, small.members);
    await markPresent(bigMeeting.id, panel.members);
    expect((await postMeeting(smallMeeting.id, { intent: "open_ballot" }, small.members[0]!.cookie)).status).toBe(302);
    expect((await postMeeting(bigMeeting.id, { intent: "open_ballot" }, panel.members[0]!.cookie)).status).toBe(302);
    expect((await postMeeting(bigMeeting.id, { intent: "ballot", approve: [proposals[0]!.id] }, panel.members[2]!.cookie)).status).toBe(302);

    const counts = [];
    for (const [p, meeting] of [
      [small, smallMeeting],
      [panel, bigMeeting],
    ] as const) {
      const member = p.members[1]!;
      const viewer: Actor = { id: member.id, role: "panel_member", organisationId: null, decisionGroupId: p.group.id, membershipId: member.membershipId };
      const record = (await findMeetingFor(getDb(), viewer, meeting.id))!;
      forgetSharedReads();
      const { db, count, mostRows } = countingDb();
      const agenda = await getAgenda(db, record, viewer, 1);
      expect(agenda.items.every((i) => i.voteItem !== null)).toBe(true);
      counts.push(count());
      // At most one row per agenda proposal from any query: the 123 submitted score sheets come back added up per proposal.
      if (p === panel) expect(mostRows()).toBe(55);
    }
    expect(counts[0]).toBe(counts[1]);
    // 8 queries and one asking whether the database changed since the score figures were last read (read-cache.server.ts).
    expect(counts[1]).toBeLessThanOrEqual(9);
  });
});

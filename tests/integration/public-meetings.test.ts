import { beforeAll, describe, expect, it } from "vitest";
import type { AppLoadContext } from "@remix-run/node";
import { DOOR_CODE_FAILURES_PER_CLIENT, EXPIRED_DOOR_CODE, TOO_MANY_DOOR_CODES, WRONG_DOOR_CODE } from "~/services/public-meetings.server";
import { purgeExpiredPersonalData } from "~/services/personal-data.server";
import { action as joinAction } from "~/routes/meet._index";
import { action as voteAction, loader as voteLoader } from "~/routes/meet.$meetingId._index";
import { action as consoleAction, loader as consoleLoader } from "~/routes/public-meetings.$meetingId";
import { loader as projectorLoader } from "~/routes/projector.$meetingId._index";
import { loader as eventsLoader } from "~/routes/projector.$meetingId.events";
import { loader as minutesLoader } from "~/routes/funds.$fundId.meetings.$meetingId";
import { loader as fundLoader } from "~/routes/funds.$fundId._index";
import { getDb } from "~/utils/db.server";
import { actorOf, makeUser } from "../factories";
import { makeBallotFund, makeOpenBallot, newVoter } from "../support/community-ballot";
import { cookiePair, getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";
import { scheduleMeeting } from "~/services/public-meetings.server";

let admin: Awaited<ReturnType<typeof makeUser>>;
let adminCookie: string;

beforeAll(async () => {
  admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
});

const HOUR = 3_600_000;

/** A meeting of a decision group with three eligible proposals (£10,000, £20,000, £30,000); starts in an hour unless said. */
async function makeMeeting(overrides: { admission?: "open" | "card"; startsAt?: string } = {}) {
  const { group, proposals } = await makeBallotFund();
  const meetingId = await scheduleMeeting(getDb(), actorOf(admin), {
    fundId: group.fund_id,
    decisionGroupId: group.id,
    title: "All In Alliance, Halstead",
    venue: "Halstead Library",
    startsAt: overrides.startsAt ?? new Date(Date.now() + HOUR).toISOString(),
    admission: overrides.admission ?? "open",
  });
  const { door_code: doorCode } = await getDb().selectFrom("public_meeting").select("door_code").where("id", "=", meetingId).executeTakeFirstOrThrow();
  return { meetingId, fundId: group.fund_id, groupId: group.id, proposals, doorCode };
}

/** The chair's console, as the browser posts it. */
const chair = async (meetingId: string, fields: Record<string, string>) =>
  runAction(consoleAction, await postForm(`/public-meetings/${meetingId}`, fields, { cookie: adminCookie }), { meetingId });

async function addQuestion(meetingId: string, fields: Record<string, string>, proposalIds: string[] = []): Promise<string> {
  const request = await postForm(`/public-meetings/${meetingId}`, { intent: "question", ...fields }, { cookie: adminCookie });
  const body = new URLSearchParams(await request.text());
  for (const id of proposalIds) body.append("proposalIds", id);
  const response = await runAction(consoleAction, new Request(request.url, { method: "POST", headers: request.headers, body }), { meetingId });
  expect(response.status, await response.clone().text()).toBe(302);
  const row = await getDb()
    .selectFrom("public_meeting_question")
    .select("id")
    .where("meeting_id", "=", meetingId)
    .orderBy("position", "desc")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Someone at the door types the code; returns their attendee cookie. */
async function join(doorCode: string, cardCode = ""): Promise<string> {
  const response = await runAction(joinAction, await postForm("/meet", { doorCode, cardCode }));
  expect(response.status, await response.clone().text()).toBe(302);
  return cookiePair(response.headers.getSetCookie().find((c) => c.startsWith("__attendee="))!);
}

async function vote(meetingId: string, cookie: string, questionId: string, choices: string[], fields: Record<string, string> = {}) {
  const request = await postForm(`/meet/${meetingId}`, { questionId, ...fields }, { cookie });
  const body = new URLSearchParams(await request.text());
  for (const c of choices) body.append("choice", c);
  return runAction(voteAction, new Request(request.url, { method: "POST", headers: request.headers, body }), { meetingId });
}

const consoleData = async (meetingId: string) =>
  (
    await runLoader(consoleLoader, getRequest(`/public-meetings/${meetingId}?_data=routes%2Fpublic-meetings.%24meetingId`, { cookie: adminCookie }), {
      meetingId,
    })
  ).text();

describe("joining at the door", () => {
  it("a wrong door code is a 400 with a plain message, and what was typed is kept", async () => {
    await makeMeeting();
    const response = await runAction(joinAction, await postForm("/meet", { doorCode: "ZZZZZZ" }));
    expect(response.status).toBe(400);
    const data = (await response.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(data.errors.doorCode).toBe(WRONG_DOOR_CODE);
    expect(data.values.doorCode).toBe("ZZZZZZ");
    expect(await getDb().selectFrom("public_meeting_attendee").select("id").execute()).toHaveLength(0);
  });

  it("an expired door code is a 400 saying it has expired; the right code in lower case with spaces gets in", async () => {
    const old = await makeMeeting({ startsAt: new Date(Date.now() - 13 * HOUR).toISOString() });
    const response = await runAction(joinAction, await postForm("/meet", { doorCode: old.doorCode }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Record<string, string> }).errors.doorCode).toBe(EXPIRED_DOOR_CODE);

    const live = await makeMeeting();
    const typed = `${live.doorCode.slice(0, 3)} ${live.doorCode.slice(3)}`.toLowerCase();
    const ok = await runAction(joinAction, await postForm("/meet", { doorCode: typed }));
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toBe(`/meet/${live.meetingId}`);
    // Only the session token's hash is kept.
    const token = /__attendee=([^;]+)/.exec(ok.headers.getSetCookie().join(";"))![1]!;
    const sessions = await getDb().selectFrom("public_meeting_attendee_session").select("token_hash").execute();
    expect(JSON.stringify(sessions)).not.toContain(decodeURIComponent(token).replace(/"/g, ""));
  });

  it("wrong door codes from one connection are limited, even sent in parallel; other connections still get in; the purge forgets them", async () => {
    const { meetingId, doorCode } = await makeMeeting();
    const joinFrom = async (clientAddress: string, code: string) => {
      const context: AppLoadContext = { cspNonce: "test", pendingCookies: [], clientAddress };
      const request = await postForm("/meet", { doorCode: code });
      return joinAction({ request, params: {}, context }).catch((thrown: unknown) => thrown as Response);
    };
    const guesses = await Promise.all(
      Array.from({ length: DOOR_CODE_FAILURES_PER_CLIENT + 20 }, (_, i) => joinFrom("203.0.113.7", `Q${String(i).padStart(5, "0")}`)),
    );
    const messages = await Promise.all(guesses.map(async (r) => ((await r.json()) as { errors: Record<string, string> }).errors.doorCode));
    expect(guesses.every((r) => r.status === 400)).toBe(true);
    expect(messages.filter((m) => m === WRONG_DOOR_CODE)).toHaveLength(DOOR_CODE_FAILURES_PER_CLIENT);
    expect(messages.filter((m) => m === TOO_MANY_DOOR_CODES)).toHaveLength(20);
    // Now even the right code waits on that connection; the rest of the world is not affected.
    const blocked = await joinFrom("203.0.113.7", doorCode);
    expect(blocked.status).toBe(400);
    expect(((await blocked.json()) as { errors: Record<string, string> }).errors.doorCode).toBe(TOO_MANY_DOOR_CODES);
    const elsewhere = await joinFrom("198.51.100.9", doorCode);
    expect(elsewhere.status).toBe(302);
    expect(elsewhere.headers.get("Location")).toBe(`/meet/${meetingId}`);
    const failures = () => getDb().selectFrom("public_meeting_join_failure").select("client").where("client", "=", "203.0.113.7").execute();
    expect(await failures()).toHaveLength(DOOR_CODE_FAILURES_PER_CLIENT);

    // The purge: wrong codes go after a day; the attendee's phone session once it expires, the attendee and votes stay.
    const attendees = await getDb().selectFrom("public_meeting_attendee").select("id").where("meeting_id", "=", meetingId).execute();
    const sessionsOf = () =>
      getDb()
        .selectFrom("public_meeting_attendee_session")
        .select("token_hash")
        .where(
          "attendee_id",
          "in",
          attendees.map((a) => a.id),
        )
        .execute();
    expect(await sessionsOf()).toHaveLength(1);
    const result = await purgeExpiredPersonalData(getDb(), new Date(Date.now() + 25 * HOUR));
    expect(result.doorCodeFailures).toBeGreaterThanOrEqual(DOOR_CODE_FAILURES_PER_CLIENT);
    expect(result.attendeeSessions).toBeGreaterThanOrEqual(1);
    expect(await failures()).toHaveLength(0);
    expect(await sessionsOf()).toHaveLength(0);
    expect(await getDb().selectFrom("public_meeting_attendee").select("id").where("meeting_id", "=", meetingId).execute()).toHaveLength(1);
  });

  it("a card meeting needs a card; a card lets one person in, and used again comes back as the same attendee", async () => {
    const { meetingId, doorCode } = await makeMeeting({ admission: "card" });
    const made = await chair(meetingId, { intent: "cards", count: "2" });
    const { cards } = (await made.json()) as { cards: string[] };
    expect(cards).toHaveLength(2);
    const without = await runAction(joinAction, await postForm("/meet", { doorCode }));
    expect(without.status).toBe(400);
    await join(doorCode, cards[0]!);
    await join(doorCode, cards[0]!.toLowerCase());
    await join(doorCode, cards[1]!);
    expect(await getDb().selectFrom("public_meeting_attendee").select("id").where("meeting_id", "=", meetingId).execute()).toHaveLength(2);
  });
});

describe("voting in the room", () => {
  it("50 votes sent at once by one attendee leave exactly one counted vote, with their last choice", async () => {
    const { meetingId, doorCode } = await makeMeeting();
    const questionId = await addQuestion(meetingId, { title: "Should the fund pay for a minibus?", rule: "majority" });
    expect((await chair(meetingId, { intent: "open", questionId })).status).toBe(302);
    const cookie = await join(doorCode);
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => vote(meetingId, cookie, questionId, [i % 2 ? "yes" : "no"])));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(302));
    expect(responses[0]!.headers.get("Location")).toBe(`/meet/${meetingId}/counted`);
    const rows = await getDb().selectFrom("public_meeting_vote").select(["choices", "changes"]).where("question_id", "=", questionId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.changes).toBe(49);
    const events = await getDb()
      .selectFrom("audit_event")
      .select(["action", "after"])
      .where("action", "in", ["public_meeting_vote.cast", "public_meeting_vote.changed"])
      .execute();
    expect(events.filter((e) => e.action === "public_meeting_vote.cast")).toHaveLength(1);
    // The audit trail holds a salted hash, never the choice.
    for (const e of events) expect(e.after).not.toMatch(/"(yes|no)"/);
  });

  it("a vote that breaks the rule is a 400 in plain words; a vote on a closed question is refused", async () => {
    const { meetingId, doorCode } = await makeMeeting();
    const questionId = await addQuestion(meetingId, { title: "Share 5 points", rule: "points", pointsTotal: "5", freeIdeas: "Benches\nBins" });
    await chair(meetingId, { intent: "open", questionId });
    const cookie = await join(doorCode);
    const options = await getDb().selectFrom("public_meeting_option").select("id").where("question_id", "=", questionId).orderBy("position").execute();
    const over = await vote(meetingId, cookie, questionId, [], { [`points-${options[0]!.id}`]: "4", [`points-${options[1]!.id}`]: "3" });
    expect(over.status).toBe(400);
    expect(((await over.json()) as { errors: Record<string, string> }).errors.choices).toBe("You gave 7 points. You have 5. Take away 2.");
    await chair(meetingId, { intent: "close", questionId });
    const late = await vote(meetingId, cookie, questionId, [], { [`points-${options[0]!.id}`]: "4" });
    expect(late.status).toBe(400);
    expect(await getDb().selectFrom("public_meeting_vote").select("id").where("question_id", "=", questionId).execute()).toHaveLength(0);
  });

  it("counts are hidden until the close: not in the chair's data, the attendee's, the projector's or its live feed; then shown", async () => {
    const { meetingId, doorCode } = await makeMeeting();
    const questionId = await addQuestion(meetingId, { title: "Should we fund the repair cafe?", rule: "majority" });
    await chair(meetingId, { intent: "open", questionId });
    const cookies = [await join(doorCode), await join(doorCode), await join(doorCode)];
    for (const [i, cookie] of cookies.entries()) expect((await vote(meetingId, cookie, questionId, [i < 2 ? "yes" : "no"])).status).toBe(302);

    const chairJson = await consoleData(meetingId);
    const attendeeJson = await (await runLoader(voteLoader, getRequest(`/meet/${meetingId}`, { cookie: cookies[2] }), { meetingId })).text();
    const projectorJson = await (await runLoader(projectorLoader, getRequest(`/projector/${meetingId}`), { meetingId })).text();
    const events = await runLoader(eventsLoader, getRequest(`/projector/${meetingId}/events`), { meetingId });
    expect(events.headers.get("Content-Type")).toContain("text/event-stream");
    const reader = events.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    for (const text of [chairJson, projectorJson, first]) {
      expect(text).toContain('"votedCount":3');
      expect(text).not.toContain('"phone"');
      expect(text).not.toContain("Carried");
    }
    expect(attendeeJson).not.toContain("votedCount");
    // The attendee sees only their own choice.
    expect(JSON.parse(attendeeJson).own).toEqual({ no: 1 });

    // The close reaches the live feed, with the count.
    await chair(meetingId, { intent: "close", questionId });
    let next = "";
    const deadline = Date.now() + 2000;
    while (!next.includes("Carried") && Date.now() < deadline) next += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(next).toContain("Carried: 2 votes yes, 1 vote no, 0 abstentions.");
    expect(await consoleData(meetingId)).toContain('"phone":2');
  });

  it("a show of hands is recorded as such: kept apart from the phone votes, labelled, and added into the result", async () => {
    const { meetingId, doorCode } = await makeMeeting();
    const questionId = await addQuestion(meetingId, { title: "Which ideas?", rule: "approval", freeIdeas: "Benches\nBins\nBulbs" });
    const options = await getDb()
      .selectFrom("public_meeting_option")
      .select(["id", "label"])
      .where("question_id", "=", questionId)
      .orderBy("position")
      .execute();
    await chair(meetingId, { intent: "open", questionId });
    // Hands are counted after the phones close.
    const early = await chair(meetingId, { intent: "hands", questionId, "hands-voters": "4" });
    expect(early.status).toBe(400);
    await vote(meetingId, await join(doorCode), questionId, [options[0]!.id, options[1]!.id]);
    await chair(meetingId, { intent: "close", questionId });
    const tooMany = await chair(meetingId, { intent: "hands", questionId, "hands-voters": "2", [`hands-${options[2]!.id}`]: "3" });
    expect(tooMany.status).toBe(400);
    const saved = await chair(meetingId, {
      intent: "hands",
      questionId,
      "hands-voters": "4",
      [`hands-${options[1]!.id}`]: "1",
      [`hands-${options[2]!.id}`]: "4",
    });
    expect(saved.status, await saved.clone().text()).toBe(302);
    expect((await chair(meetingId, { intent: "record", questionId })).status).toBe(302);
    const row = await getDb()
      .selectFrom("public_meeting_question")
      .select(["hands", "result", "status"])
      .where("id", "=", questionId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("recorded");
    expect(JSON.parse(row.hands!)).toEqual({ voters: 4, counts: { [options[1]!.id]: 1, [options[2]!.id]: 4 } });
    const result = JSON.parse(row.result!) as {
      turnout: number;
      phoneVoters: number;
      handsVoters: number;
      rows: { label: string; phone: number; hands: number; total: number; isWinner: boolean }[];
    };
    expect(result).toMatchObject({ turnout: 5, phoneVoters: 1, handsVoters: 4 });
    expect(result.rows.map((r) => [r.label, r.phone, r.hands, r.total, r.isWinner])).toEqual([
      ["Bulbs", 0, 4, 4, true],
      ["Bins", 1, 1, 2, false],
      ["Benches", 1, 0, 1, false],
    ]);
    const audit = await getDb()
      .selectFrom("audit_event")
      .select("after")
      .where("action", "=", "public_meeting_question.hands_counted")
      .where("entity_id", "=", questionId)
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("a question cannot be opened again once its result is recorded (but can before)", async () => {
    const { meetingId } = await makeMeeting();
    const questionId = await addQuestion(meetingId, { title: "Should we meet monthly?", rule: "majority" });
    await chair(meetingId, { intent: "open", questionId });
    await chair(meetingId, { intent: "close", questionId });
    expect((await chair(meetingId, { intent: "open", questionId })).status).toBe(302);
    await chair(meetingId, { intent: "close", questionId });
    await chair(meetingId, { intent: "record", questionId });
    const again = await chair(meetingId, { intent: "open", questionId });
    expect(again.status).toBe(400);
    expect(JSON.stringify(await again.json())).toContain("The result of this question is recorded, so it cannot be opened or changed again.");
    const row = await getDb().selectFrom("public_meeting_question").select("status").where("id", "=", questionId).executeTakeFirstOrThrow();
    expect(row.status).toBe("recorded");
  });
});

describe("minutes and decisions", () => {
  it("published minutes show each question's rule, turnout and result on the fund's page; the winners are confirmed as funded", async () => {
    const { meetingId, doorCode, fundId, proposals } = await makeMeeting();
    const questionId = await addQuestion(
      meetingId,
      { title: "Share £30,000", rule: "approval", budget: "30000" },
      proposals.map((p) => p.id),
    );
    await chair(meetingId, { intent: "open", questionId });
    const options = await getDb().selectFrom("public_meeting_option").select("id").where("question_id", "=", questionId).orderBy("position").execute();
    expect((await vote(meetingId, await join(doorCode), questionId, [options[0]!.id, options[1]!.id])).status).toBe(302);
    expect((await vote(meetingId, await join(doorCode), questionId, [options[1]!.id, options[2]!.id])).status).toBe(302);
    await chair(meetingId, { intent: "close", questionId });
    await chair(meetingId, { intent: "record", questionId });
    expect((await chair(meetingId, { intent: "minutes", note: "Thanks to Halstead Library." })).status).toBe(302);

    const fundPage = await (await runLoader(fundLoader, getRequest(`/funds/${fundId}`), { fundId })).json();
    expect((fundPage as { minutes: { id: string }[] }).minutes.map((m) => m.id)).toEqual([meetingId]);
    const minutes = (await (await runLoader(minutesLoader, getRequest(`/funds/${fundId}/meetings/${meetingId}`), { fundId, meetingId })).json()) as {
      questions: { rule: string; result: { turnout: number; outcome: string } }[];
    };
    expect(minutes.questions).toHaveLength(1);
    expect(minutes.questions[0]).toMatchObject({ rule: "approval", result: { turnout: 2, outcome: "Chosen: Idea 2; Idea 1." } });

    expect((await chair(meetingId, { intent: "confirm", questionId })).status).toBe(302);
    const decisions = await getDb()
      .selectFrom("decision")
      .select(["proposal_id", "outcome", "amount_pence", "reason"])
      .where(
        "proposal_id",
        "in",
        proposals.map((p) => p.id),
      )
      .execute();
    expect(decisions.map((d) => d.proposal_id).sort()).toEqual([proposals[0]!.id, proposals[1]!.id].sort());
    for (const d of decisions) {
      expect(d.outcome).toBe("funded");
      expect(d.reason).toContain('public meeting "All In Alliance, Halstead"');
    }
    expect((await chair(meetingId, { intent: "confirm", questionId })).status).toBe(400);
  });
});

describe("a meeting for the fund's electorate", () => {
  it("lets in only people who have joined the fund's community vote, once each", async () => {
    const world = await makeOpenBallot(actorOf(admin));
    const meetingId = await scheduleMeeting(getDb(), actorOf(admin), {
      fundId: world.fundId,
      decisionGroupId: world.group.id,
      title: "All In Alliance, Witham",
      venue: "Witham Town Hall",
      startsAt: new Date(Date.now() + HOUR).toISOString(),
      admission: "electorate",
    });
    const { door_code: doorCode } = await getDb().selectFrom("public_meeting").select("door_code").where("id", "=", meetingId).executeTakeFirstOrThrow();

    // The right door code from a phone that has not joined the vote: 400, in plain words, and nobody is let in.
    const outsider = await runAction(joinAction, await postForm("/meet", { doorCode, cardCode: "" }));
    expect(outsider.status).toBe(400);
    expect(await outsider.text()).toContain("This meeting is for people who have joined the fund's community vote");

    // A resident who joined the vote gets in; joining again comes back as the same attendee.
    const voter = await newVoter(world.fundId);
    for (let i = 0; i < 2; i += 1) {
      const response = await runAction(joinAction, await postForm("/meet", { doorCode, cardCode: "" }, { cookie: voter }));
      expect(response.status, await response.clone().text()).toBe(302);
    }
    const attendees = await getDb().selectFrom("public_meeting_attendee").select("ballot_voter_id").where("meeting_id", "=", meetingId).execute();
    expect(attendees).toHaveLength(1);
    expect(attendees[0]!.ballot_voter_id).not.toBeNull();
  });
});

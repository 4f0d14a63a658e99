import type { DB } from "../../db/client";
import type { Choices } from "~/domain/community-ballot";
import { can, type Actor } from "~/domain/permissions";
import { chairIdsOf } from "./membership.server";
import {
  areCountsVisible,
  parseResult,
  tallyQuestion,
  type Hands,
  type MeetingOption,
  type MeetingQuestionStatus,
  type MeetingResult,
  type MeetingRule,
} from "~/domain/public-meeting";

const MEETING_COLUMNS = [
  "public_meeting.id",
  "public_meeting.fund_id",
  "public_meeting.decision_group_id",
  "public_meeting.title",
  "public_meeting.venue",
  "public_meeting.starts_at",
  "public_meeting.admission",
  "public_meeting.minutes_note",
  "public_meeting.minutes_published_at",
  "public_meeting.version",
] as const;

/** A public meeting with its fund's name (and published flag) and its decision group's name; no door code. */
export function getPublicMeeting(db: DB, meetingId: string) {
  return db
    .selectFrom("public_meeting")
    .innerJoin("fund", "fund.id", "public_meeting.fund_id")
    .leftJoin("decision_group", "decision_group.id", "public_meeting.decision_group_id")
    .select([...MEETING_COLUMNS, "fund.name as fundName", "fund.is_published as isFundPublished", "decision_group.name as groupName"])
    .where("public_meeting.id", "=", meetingId)
    .executeTakeFirst();
}

export type PublicMeeting = NonNullable<Awaited<ReturnType<typeof getPublicMeeting>>>;

/** The door code and its expiry: for the people running the meeting, never for the public pages. */
export function getDoorCode(db: DB, meetingId: string) {
  return db.selectFrom("public_meeting").select(["door_code as code", "door_code_expires_at as expiresAt"]).where("id", "=", meetingId).executeTakeFirst();
}

/** The meeting a door code belongs to (expired or not: the service says which). */
export function findMeetingByDoorCode(db: DB, code: string) {
  return db.selectFrom("public_meeting").select(["id", "fund_id", "admission", "door_code_expires_at"]).where("door_code", "=", code).executeTakeFirst();
}

/** The attendee a session token's hash belongs to, while the session lasts. */
export function getAttendeeBySessionHash(db: DB, tokenHash: string, nowIso: string) {
  return db
    .selectFrom("public_meeting_attendee_session")
    .innerJoin("public_meeting_attendee", "public_meeting_attendee.id", "public_meeting_attendee_session.attendee_id")
    .select(["public_meeting_attendee.id", "public_meeting_attendee.meeting_id as meetingId"])
    .where("public_meeting_attendee_session.token_hash", "=", tokenHash)
    .where("public_meeting_attendee_session.expires_at", ">", nowIso)
    .executeTakeFirst();
}

/** Meetings of these funds, newest first, with the number of questions on each. */
export function listPublicMeetings(db: DB, filter: { fundIds?: readonly string[]; groupIds?: readonly string[] }) {
  let query = db
    .selectFrom("public_meeting")
    .innerJoin("fund", "fund.id", "public_meeting.fund_id")
    .leftJoin("decision_group", "decision_group.id", "public_meeting.decision_group_id")
    .select([...MEETING_COLUMNS, "fund.name as fundName", "decision_group.name as groupName"])
    .orderBy("public_meeting.starts_at", "desc")
    .limit(200);
  if (filter.groupIds) query = query.where("public_meeting.decision_group_id", "in", filter.groupIds.length ? [...filter.groupIds] : [""]);
  if (filter.fundIds) query = query.where("public_meeting.fund_id", "in", filter.fundIds.length ? [...filter.fundIds] : [""]);
  return query.execute();
}

/** A fund's meetings whose minutes are published, newest first (for the fund's public page). */
export function listPublishedMinutes(db: DB, fundId: string) {
  return db
    .selectFrom("public_meeting")
    .select(["id", "title", "venue", "starts_at"])
    .where("fund_id", "=", fundId)
    .where("minutes_published_at", "is not", null)
    .orderBy("starts_at", "desc")
    .execute();
}

export interface QuestionView {
  id: string;
  position: number;
  title: string;
  rule: MeetingRule;
  pointsTotal: number | null;
  budgetPence: number | null;
  proposalId: string | null;
  status: MeetingQuestionStatus;
  closesAt: string | null;
  options: MeetingOption[];
  /** How many attendees have voted by phone: shown live, it says nothing about how. */
  votedCount: number;
  hands: Hands | null;
  /** Only once closed (docs/decisions/0047): never while open, so no page or ?_data can carry it. */
  result: MeetingResult | null;
  decisionsConfirmedAt: string | null;
}

/**
 * A meeting's agenda: every question with its ideas and turnout, and a count
 * only for questions that are closed (worked out) or recorded (as stored).
 * Four queries, whatever the number of questions.
 */
export async function listQuestions(db: DB, meetingId: string): Promise<QuestionView[]> {
  const questions = await db
    .selectFrom("public_meeting_question")
    .select([
      "id",
      "position",
      "title",
      "rule",
      "points_total",
      "budget_pence",
      "proposal_id",
      "status",
      "closes_at",
      "hands",
      "result",
      "decisions_confirmed_at",
    ])
    .where("meeting_id", "=", meetingId)
    .orderBy("position")
    .execute();
  if (questions.length === 0) return [];
  const ids = questions.map((q) => q.id);
  const [options, turnout] = await Promise.all([
    db
      .selectFrom("public_meeting_option")
      .select(["id", "question_id", "label", "position", "proposal_id as proposalId", "cost_pence as costPence"])
      .where("question_id", "in", ids)
      .orderBy("position")
      .execute(),
    db
      .selectFrom("public_meeting_vote")
      .select((eb) => ["question_id", eb.fn.countAll<number>().as("n")])
      .where("question_id", "in", ids)
      .groupBy("question_id")
      .execute(),
  ]);
  const closed = questions.filter((q) => q.status === "closed").map((q) => q.id);
  const votes = closed.length ? await countedChoices(db, closed) : new Map<string, Choices[]>();
  const turnoutOf = new Map(turnout.map((t) => [t.question_id, Number(t.n)]));
  return questions.map((q) => {
    const own = options.filter((o) => o.question_id === q.id).map(({ question_id: _, ...o }) => o);
    const hands = q.hands ? (JSON.parse(q.hands) as Hands) : null;
    const rules = { rule: q.rule, pointsTotal: q.points_total, options: own };
    let result: MeetingResult | null = null;
    if (q.status === "recorded" && q.result) result = parseResult(q.result);
    else if (areCountsVisible(q.status)) result = tallyQuestion({ ...rules, budgetPence: q.budget_pence, votes: votes.get(q.id) ?? [], hands });
    return {
      id: q.id,
      position: q.position,
      title: q.title,
      rule: q.rule,
      pointsTotal: q.points_total,
      budgetPence: q.budget_pence,
      proposalId: q.proposal_id,
      status: q.status,
      closesAt: q.closes_at,
      options: own,
      votedCount: turnoutOf.get(q.id) ?? 0,
      hands,
      result,
      decisionsConfirmedAt: q.decisions_confirmed_at,
    };
  });
}

/** A question's ideas, in order. */
export function listOptions(db: DB, questionId: string): Promise<MeetingOption[]> {
  return db
    .selectFrom("public_meeting_option")
    .select(["id", "label", "position", "proposal_id as proposalId", "cost_pence as costPence"])
    .where("question_id", "=", questionId)
    .orderBy("position")
    .execute();
}

/** The counted votes on these questions, by question. Callers ask only for closed questions. */
export async function countedChoices(db: DB, questionIds: readonly string[]): Promise<Map<string, Choices[]>> {
  const rows = await db
    .selectFrom("public_meeting_vote")
    .select(["question_id", "choices"])
    .where("question_id", "in", [...questionIds])
    .execute();
  const byQuestion = new Map<string, Choices[]>();
  for (const row of rows) {
    const list = byQuestion.get(row.question_id) ?? [];
    list.push(JSON.parse(row.choices) as Choices);
    byQuestion.set(row.question_id, list);
  }
  return byQuestion;
}

/** An attendee's own votes at the meeting, by question: for them alone, to show what they chose. */
export async function getOwnVotes(db: DB, attendeeId: string): Promise<Record<string, Choices>> {
  const rows = await db.selectFrom("public_meeting_vote").select(["question_id", "choices"]).where("attendee_id", "=", attendeeId).execute();
  return Object.fromEntries(rows.map((r) => [r.question_id, JSON.parse(r.choices) as Choices]));
}

/** What the projector shows: the question now on the floor (open, else the last closed), its turnout, its countdown and, after the close, its result. */
export interface ProjectorView {
  version: number;
  title: string;
  venue: string;
  question: {
    id: string;
    position: number;
    title: string;
    rule: MeetingRule;
    status: MeetingQuestionStatus;
    votedCount: number;
    closesAt: string | null;
    result: MeetingResult | null;
  } | null;
  questionCount: number;
}

/** The projector's picture of a meeting, or null if there is no such meeting. */
export async function getProjectorView(db: DB, meetingId: string): Promise<ProjectorView | null> {
  const meeting = await db.selectFrom("public_meeting").select(["title", "venue", "version"]).where("id", "=", meetingId).executeTakeFirst();
  if (!meeting) return null;
  const questions = await listQuestions(db, meetingId);
  const onFloor =
    questions.find((q) => q.status === "open") ??
    [...questions].filter((q) => q.status === "closed" || q.status === "recorded").sort((a, b) => b.position - a.position)[0] ??
    null;
  return {
    version: meeting.version,
    title: meeting.title,
    venue: meeting.venue,
    questionCount: questions.length,
    question: onFloor
      ? {
          id: onFloor.id,
          position: onFloor.position,
          title: onFloor.title,
          rule: onFloor.rule,
          status: onFloor.status,
          votedCount: onFloor.votedCount,
          closesAt: onFloor.closesAt,
          result: onFloor.result,
        }
      : null,
  };
}

/**
 * Whether the actor may run meetings of this fund or decision group: the
 * access policy's meeting.run for a group (an administrator, or the group's
 * chair), fund.manage for a whole fund.
 */
export async function canRunPublicMeeting(db: DB, actor: Actor, scope: { fund_id: string; decision_group_id: string | null }): Promise<boolean> {
  if (!scope.decision_group_id) return can(actor, "fund.manage");
  return can(actor, "meeting.run", { type: "panel", decisionGroupId: scope.decision_group_id, chairIds: await chairIdsOf(db, scope.decision_group_id) });
}

/** Where this actor may schedule meetings: every fund and group for an administrator; their own group for a chair. */
export async function listMeetingScopes(db: DB, actor: Actor) {
  const rows = await db
    .selectFrom("decision_group")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .select(["fund.id as fundId", "fund.name as fundName", "decision_group.id as groupId", "decision_group.name as groupName"])
    .$if(!can(actor, "fund.manage"), (q) => q.where("decision_group.id", "=", actor.decisionGroupId ?? ""))
    .orderBy("fund.name")
    .orderBy("decision_group.name")
    .execute();
  const scopes: { value: string; label: string; fundId: string; groupId: string | null }[] = [];
  for (const row of rows) {
    if (can(actor, "fund.manage") && !scopes.some((s) => s.value === row.fundId)) {
      scopes.push({ value: row.fundId, label: `${row.fundName}: the whole fund`, fundId: row.fundId, groupId: null });
    }
    if (await canRunPublicMeeting(db, actor, { fund_id: row.fundId, decision_group_id: row.groupId })) {
      scopes.push({ value: `${row.fundId}:${row.groupId}`, label: `${row.fundName}: ${row.groupName}`, fundId: row.fundId, groupId: row.groupId });
    }
  }
  return scopes;
}

/** Proposals a meeting's questions can be about: those of its decision group, or of its whole fund; eligible or further on. */
export function listMeetingProposals(db: DB, scope: { fund_id: string; decision_group_id: string | null }) {
  return db
    .selectFrom("proposal")
    .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
    .select(["proposal.id", "proposal.reference", "proposal.title", "proposal.amount_requested_pence as amountPence"])
    .where("decision_group.fund_id", "=", scope.fund_id)
    .$if(Boolean(scope.decision_group_id), (q) => q.where("proposal.decision_group_id", "=", scope.decision_group_id!))
    .where("proposal.status", "in", ["eligible", "under_review", "reserve"])
    .orderBy("proposal.reference")
    .limit(200)
    .execute();
}

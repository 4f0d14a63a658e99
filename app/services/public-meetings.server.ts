import type { Updateable } from "kysely";
import { inTransaction, type DB } from "../../db/client";
import type { PublicMeetingQuestionTable } from "../../db/schema";
import { ATTENDEE_SESSION_MS } from "~/auth/attendee-session.server";
import { canonicalChoices, type Choices } from "~/domain/community-ballot";
import { DomainError } from "~/domain/errors";
import { can, type Actor } from "~/domain/permissions";
import {
  assertQuestionTransition,
  canEnterHands,
  DOOR_CODE_HOURS_AFTER_START,
  DOOR_CODE_LENGTH,
  handsProblem,
  meetingVoteProblem,
  normaliseCode,
  tallyQuestion,
  type Hands,
  type MeetingAdmission,
  type MeetingResult,
  type MeetingRule,
} from "~/domain/public-meeting";
import { appendAuditEvent } from "~/models/audit.server";
import { canRunPublicMeeting, countedChoices, findMeetingByDoorCode, listOptions } from "~/models/public-meeting.server";
import { announceMeetingChange, publishMeetingChange } from "~/utils/meeting-live.server";
import { newId, newReadableCode, newToken, nowIso, sha256 } from "~/utils/ids.server";
import { newVoterCode } from "./community-ballots.server";
import { recordDecision } from "./decisions.server";

// ---------------------------------------------------------------------------
// Who runs a meeting: the access policy's meeting.run for a decision group's
// meeting (an administrator or the group's chair); fund.manage for a whole fund's.

/** Throws unless the actor may run meetings of this fund, or of this decision group of it. */
export async function requirePublicMeetingRunner(trx: DB, actor: Actor, scope: { fund_id: string; decision_group_id: string | null }): Promise<void> {
  if (!(await canRunPublicMeeting(trx, actor, scope))) {
    throw new DomainError(
      scope.decision_group_id
        ? "Only a fund administrator or this group's chair can run its meetings."
        : "Only a fund administrator can run a meeting for a whole fund.",
    );
  }
}

async function meetingFor(trx: DB, actor: Actor, meetingId: string) {
  const meeting = await trx
    .selectFrom("public_meeting")
    .select(["id", "fund_id", "decision_group_id", "title", "starts_at", "minutes_published_at"])
    .where("id", "=", meetingId)
    .executeTakeFirst();
  if (!meeting) throw new DomainError("That meeting does not exist.");
  await requirePublicMeetingRunner(trx, actor, meeting);
  return meeting;
}

async function questionFor(trx: DB, actor: Actor, questionId: string) {
  const question = await trx.selectFrom("public_meeting_question").selectAll().where("id", "=", questionId).executeTakeFirst();
  if (!question) throw new DomainError("That question does not exist.");
  const meeting = await meetingFor(trx, actor, question.meeting_id);
  return { question, meeting };
}

/**
 * Something the projector shows changed: its version goes up, so other server
 * processes notice too, and on PostgreSQL every server is told at commit
 * (docs/decisions/0053).
 */
async function bumpVersion(trx: DB, meetingId: string): Promise<void> {
  await trx
    .updateTable("public_meeting")
    .set((eb) => ({ version: eb("version", "+", 1) }))
    .where("id", "=", meetingId)
    .execute();
  await announceMeetingChange(trx, meetingId);
}

type QuestionRow = Awaited<ReturnType<typeof questionFor>>["question"];

/**
 * One change to a question by the people running its meeting: checked and
 * made in one transaction with its audit event, then told to the projector.
 * `work` returns the audit action, what the row gets and (if different) what
 * the audit event records.
 */
async function changeQuestion<T = void>(
  db: DB,
  actor: Actor,
  questionId: string,
  work: (trx: DB, question: QuestionRow) => Promise<{ action: string; set: Updateable<PublicMeetingQuestionTable>; audited?: object; value?: T }>,
): Promise<T> {
  const { meetingId, value } = await inTransaction(db, async (trx) => {
    const { question, meeting } = await questionFor(trx, actor, questionId);
    const change = await work(trx, question);
    await trx.updateTable("public_meeting_question").set(change.set).where("id", "=", question.id).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: change.action,
      entityType: "public_meeting_question",
      entityId: question.id,
      before: { status: question.status },
      after: change.audited ?? change.set,
    });
    await bumpVersion(trx, meeting.id);
    return { meetingId: meeting.id, value: change.value as T };
  });
  publishMeetingChange(db, meetingId);
  return value;
}

// ---------------------------------------------------------------------------
// Scheduling.

export interface ScheduleInput {
  fundId: string;
  decisionGroupId: string | null;
  title: string;
  venue: string;
  startsAt: string;
  admission: MeetingAdmission;
}

/** Schedules a public meeting and gives it a door code. Returns its id. */
export async function scheduleMeeting(db: DB, actor: Actor, input: ScheduleInput): Promise<string> {
  const id = await inTransaction(db, async (trx) => {
    const fund = await trx.selectFrom("fund").select("id").where("id", "=", input.fundId).executeTakeFirst();
    if (!fund) throw new DomainError("Choose a fund", "fundId");
    if (input.decisionGroupId) {
      const group = await trx.selectFrom("decision_group").select("fund_id").where("id", "=", input.decisionGroupId).executeTakeFirst();
      if (group?.fund_id !== fund.id) throw new DomainError("Choose one of this fund's decision groups, or the whole fund", "decisionGroupId");
    }
    await requirePublicMeetingRunner(trx, actor, { fund_id: fund.id, decision_group_id: input.decisionGroupId });
    if (input.admission === "electorate") {
      const ballot = await trx.selectFrom("community_ballot").select("id").where("fund_id", "=", fund.id).executeTakeFirst();
      if (!ballot) throw new DomainError("This fund has no community vote, so there is no electorate to check. Choose another way in.", "admission");
    }
    const row = {
      id: newId(),
      fund_id: fund.id,
      decision_group_id: input.decisionGroupId,
      title: input.title,
      venue: input.venue,
      starts_at: input.startsAt,
      door_code: await unusedDoorCode(trx),
      door_code_expires_at: new Date(Date.parse(input.startsAt) + DOOR_CODE_HOURS_AFTER_START * 3_600_000).toISOString(),
      admission: input.admission,
      created_by: actor.id,
      created_at: nowIso(),
    };
    await trx.insertInto("public_meeting").values(row).execute();
    const { door_code: _, ...audited } = row;
    await appendAuditEvent(trx, { actor: actor.id, action: "public_meeting.scheduled", entityType: "public_meeting", entityId: row.id, after: audited });
    return row.id;
  });
  return id;
}

async function unusedDoorCode(trx: DB): Promise<string> {
  for (;;) {
    const code = newReadableCode(DOOR_CODE_LENGTH);
    const taken = await trx.selectFrom("public_meeting").select("id").where("door_code", "=", code).executeTakeFirst();
    if (!taken) return code;
  }
}

export interface QuestionInput {
  title: string;
  rule: MeetingRule;
  pointsTotal: number | null;
  budgetPence: number | null;
  /** A majority question about one proposal. */
  proposalId: string | null;
  /** Approval and points: proposals of the fund, and free ideas (labels). */
  proposalIds: readonly string[];
  freeIdeas: readonly string[];
}

/** Adds a question to the end of a meeting's agenda. Returns its id. */
export async function addQuestion(db: DB, actor: Actor, meetingId: string, input: QuestionInput): Promise<string> {
  const id = await inTransaction(db, async (trx) => {
    const meeting = await meetingFor(trx, actor, meetingId);
    const wanted = input.rule === "majority" ? (input.proposalId ? [input.proposalId] : []) : [...new Set(input.proposalIds)];
    let proposalsQuery = trx
      .selectFrom("proposal")
      .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
      .select(["proposal.id", "proposal.title", "proposal.reference", "proposal.amount_requested_pence"])
      .where("proposal.id", "in", wanted.length ? wanted : [""])
      .where("decision_group.fund_id", "=", meeting.fund_id);
    if (meeting.decision_group_id) proposalsQuery = proposalsQuery.where("proposal.decision_group_id", "=", meeting.decision_group_id);
    const proposals = await proposalsQuery.execute();
    if (proposals.length !== wanted.length) throw new DomainError("Choose proposals from this meeting's fund", "proposalIds");
    const options =
      input.rule === "majority"
        ? []
        : [
            ...wanted.map((pid) => {
              const p = proposals.find((x) => x.id === pid)!;
              return { label: p.title || p.reference, proposalId: p.id, costPence: p.amount_requested_pence };
            }),
            ...input.freeIdeas.map((label) => ({ label, proposalId: null, costPence: null })),
          ];
    if (input.rule !== "majority" && options.length < 2) throw new DomainError("Give the room at least two ideas to choose between", "proposalIds");
    const { n } = await trx
      .selectFrom("public_meeting_question")
      .select((eb) => eb.fn.max<number>("position").as("n"))
      .where("meeting_id", "=", meeting.id)
      .executeTakeFirstOrThrow();
    const row = {
      id: newId(),
      meeting_id: meeting.id,
      position: Number(n ?? 0) + 1,
      title: input.title,
      rule: input.rule,
      points_total: input.rule === "points" ? input.pointsTotal : null,
      budget_pence: input.rule === "majority" ? null : input.budgetPence,
      proposal_id: input.rule === "majority" ? input.proposalId : null,
    };
    await trx.insertInto("public_meeting_question").values(row).execute();
    const optionRows = options.map((o, i) => ({
      id: newId(),
      question_id: row.id,
      position: i + 1,
      label: o.label,
      proposal_id: o.proposalId,
      cost_pence: o.costPence,
    }));
    if (optionRows.length) await trx.insertInto("public_meeting_option").values(optionRows).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "public_meeting_question.added",
      entityType: "public_meeting",
      entityId: meeting.id,
      after: { ...row, options: optionRows },
    });
    await bumpVersion(trx, meeting.id);
    return row.id;
  });
  publishMeetingChange(db, meetingId);
  return id;
}

// ---------------------------------------------------------------------------
// Running the room.

/** Opens a question for votes, with an optional countdown. A recorded question is never opened again. */
export async function openQuestion(db: DB, actor: Actor, questionId: string, countdownSeconds: number | null, now = new Date()): Promise<void> {
  await changeQuestion(db, actor, questionId, async (trx, question) => {
    assertQuestionTransition(question.status, "open");
    // One question in play at a time: the hands form, the projector and the room all mean the same one.
    const inPlay = await trx
      .selectFrom("public_meeting_question")
      .select(["id", "status"])
      .where("meeting_id", "=", question.meeting_id)
      .where("status", "in", ["open", "closed"])
      .where("id", "!=", question.id)
      .executeTakeFirst();
    if (inPlay) {
      throw new DomainError(
        inPlay.status === "open"
          ? "Another question is open. Close it before you open this one."
          : "Record the result of the question that is closed before you open another.",
      );
    }
    return {
      action: question.status === "closed" ? "public_meeting_question.reopened" : "public_meeting_question.opened",
      set: {
        status: "open",
        opened_at: now.toISOString(),
        closes_at: countdownSeconds ? new Date(now.getTime() + countdownSeconds * 1000).toISOString() : null,
        closed_at: null,
      },
    };
  });
}

/** Closes a question: phones can no longer vote, and its count can be seen. The audit event holds no count. */
export async function closeQuestion(db: DB, actor: Actor, questionId: string, now = new Date()): Promise<void> {
  await changeQuestion(db, actor, questionId, async (_trx, question) => {
    assertQuestionTransition(question.status, "closed");
    return { action: "public_meeting_question.closed", set: { status: "closed", closed_at: now.toISOString() } };
  });
}

/** Records the counts from a show of hands, kept apart from the phone votes; allowed after the close, until the result is recorded. */
export async function recordHands(db: DB, actor: Actor, questionId: string, hands: Hands): Promise<void> {
  await changeQuestion(db, actor, questionId, async (trx, question) => {
    if (!canEnterHands(question.status)) {
      throw new DomainError(
        question.status === "recorded"
          ? "The result of this question is recorded, so its counts cannot change."
          : "Close the question first: hands are counted after the phones close.",
        "hands",
      );
    }
    const options = await listOptions(trx, question.id);
    const problem = handsProblem({ rule: question.rule, pointsTotal: question.points_total, options }, hands);
    if (problem) throw new DomainError(problem, "hands");
    return { action: "public_meeting_question.hands_counted", set: { hands: JSON.stringify(hands) }, audited: { hands } };
  });
}

/** Records a closed question's result (phone votes and hands together). After this the question never reopens. */
export async function recordResult(db: DB, actor: Actor, questionId: string, now = new Date()): Promise<MeetingResult> {
  return changeQuestion(db, actor, questionId, async (trx, question) => {
    assertQuestionTransition(question.status, "recorded");
    const result = tallyQuestion({
      rule: question.rule,
      pointsTotal: question.points_total,
      budgetPence: question.budget_pence,
      options: await listOptions(trx, question.id),
      votes: (await countedChoices(trx, [question.id])).get(question.id) ?? [],
      hands: question.hands ? (JSON.parse(question.hands) as Hands) : null,
    });
    const recordedAt = now.toISOString();
    return {
      action: "public_meeting_question.result_recorded",
      set: { status: "recorded", result: JSON.stringify(result), recorded_at: recordedAt },
      audited: { status: "recorded", recorded_at: recordedAt, result },
      value: result,
    };
  });
}

/** Makes single-use attendee cards to print; returns the codes (shown once). Only their hashes are kept. */
export async function generateAttendeeCards(db: DB, actor: Actor, meetingId: string, count: number): Promise<string[]> {
  const codes = Array.from({ length: count }, newVoterCode);
  return inTransaction(db, async (trx) => {
    const meeting = await meetingFor(trx, actor, meetingId);
    const now = nowIso();
    for (let i = 0; i < codes.length; i += 200) {
      await trx
        .insertInto("public_meeting_card")
        .values(
          codes
            .slice(i, i + 200)
            .map((c) => ({ id: newId(), meeting_id: meeting.id, code_hash: sha256(`card:${normaliseCode(c)}`), created_at: now, used_at: null })),
        )
        .execute();
    }
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "public_meeting_card.created",
      entityType: "public_meeting",
      entityId: meeting.id,
      after: { count },
    });
    return codes;
  });
}

// ---------------------------------------------------------------------------
// Attendees.

export const WRONG_DOOR_CODE = "We do not know this door code. Check the code shown at the entrance and try again.";
export const EXPIRED_DOOR_CODE = "This door code has expired. The meeting it was for is over.";
export const TOO_MANY_DOOR_CODES =
  "Too many wrong door codes have come from this internet connection in the last 15 minutes. Wait a few minutes and try again, or ask at the door.";

/**
 * Wrong door codes from one client address (an IPv6 /64 as one) in DOOR_CODE_WINDOW_MS, after which it must wait.
 * A hall's Wi-Fi is one address for everyone in the room, so the limit is set for a room's typing mistakes; guessing
 * one of the ~10^9 codes at this rate would take thousands of years.
 */
export const DOOR_CODE_FAILURES_PER_CLIENT = 100;
export const DOOR_CODE_WINDOW_MS = 15 * 60 * 1000;

/**
 * The meeting a typed door code belongs to, or null (the miss counted against the client), or "throttled". The
 * count, the look-up and the miss are one write transaction, so parallel guesses cannot slip past the limit.
 */
function findMeetingThrottled(db: DB, code: string, client: string | null, now: Date) {
  if (!client) return findMeetingByDoorCode(db, code);
  return inTransaction(db, async (trx) => {
    const misses = await trx
      .selectFrom("public_meeting_join_failure")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("client", "=", client)
      .where("at", ">", new Date(now.getTime() - DOOR_CODE_WINDOW_MS).toISOString())
      .executeTakeFirstOrThrow();
    if (Number(misses.n) >= DOOR_CODE_FAILURES_PER_CLIENT) return "throttled" as const;
    const meeting = await findMeetingByDoorCode(trx, code);
    if (!meeting) await trx.insertInto("public_meeting_join_failure").values({ id: newId(), client, at: now.toISOString() }).execute();
    return meeting;
  });
}

/**
 * Lets someone into a meeting by its door code (and, as the meeting says, a
 * printed card, or their session on the fund's community vote). Returns the
 * meeting and a new attendee session token. A card used again comes back as
 * the same attendee, as does a voter joining twice.
 */
export async function joinMeeting(
  db: DB,
  input: { doorCode: string; cardCode: string; client?: string | null; ballotVoterIdFor: (fundId: string) => Promise<string | null> },
  now = new Date(),
): Promise<{ meetingId: string; attendeeId: string; token: string }> {
  const found = await findMeetingThrottled(db, normaliseCode(input.doorCode), input.client ?? null, now);
  if (found === "throttled") throw new DomainError(TOO_MANY_DOOR_CODES, "doorCode");
  if (!found) throw new DomainError(WRONG_DOOR_CODE, "doorCode");
  if (found.door_code_expires_at <= now.toISOString()) throw new DomainError(EXPIRED_DOOR_CODE, "doorCode");
  // Read before the write transaction: it looks at the voter's own session cookie.
  const ballotVoterId = found.admission === "electorate" ? await input.ballotVoterIdFor(found.fund_id) : null;
  if (found.admission === "electorate" && !ballotVoterId) {
    throw new DomainError(
      "This meeting is for people who have joined the fund's community vote. Join the vote first on this phone, then come back.",
      "doorCode",
    );
  }
  const token = newToken(32);
  const attendee = await inTransaction(db, async (trx) => {
    let attendeeId: string | null = null;
    let cardId: string | null = null;
    if (found.admission === "card") {
      const code = normaliseCode(input.cardCode);
      if (!code) throw new DomainError("Enter the code on your attendee card", "cardCode");
      const card = await trx
        .selectFrom("public_meeting_card")
        .select(["id", "used_at"])
        .where("meeting_id", "=", found.id)
        .where("code_hash", "=", sha256(`card:${code}`))
        .executeTakeFirst();
      if (!card) throw new DomainError("We do not know this card. Check the code on your card and try again.", "cardCode");
      cardId = card.id;
      attendeeId = (await trx.selectFrom("public_meeting_attendee").select("id").where("card_id", "=", card.id).executeTakeFirst())?.id ?? null;
    }
    if (ballotVoterId) {
      attendeeId =
        (
          await trx
            .selectFrom("public_meeting_attendee")
            .select("id")
            .where("meeting_id", "=", found.id)
            .where("ballot_voter_id", "=", ballotVoterId)
            .executeTakeFirst()
        )?.id ?? null;
    }
    const isNew = !attendeeId;
    if (!attendeeId) {
      attendeeId = newId();
      await trx
        .insertInto("public_meeting_attendee")
        .values({ id: attendeeId, meeting_id: found.id, card_id: cardId, ballot_voter_id: ballotVoterId, joined_at: now.toISOString() })
        .execute();
      if (cardId) await trx.updateTable("public_meeting_card").set({ used_at: now.toISOString() }).where("id", "=", cardId).execute();
    }
    await trx
      .insertInto("public_meeting_attendee_session")
      .values({
        token_hash: sha256(token),
        attendee_id: attendeeId,
        expires_at: new Date(now.getTime() + ATTENDEE_SESSION_MS).toISOString(),
        created_at: now.toISOString(),
      })
      .execute();
    await appendAuditEvent(trx, {
      actor: `attendee:${attendeeId}`,
      action: isNew ? "public_meeting_attendee.joined" : "public_meeting_attendee.returned",
      entityType: "public_meeting_attendee",
      entityId: attendeeId,
      after: { meeting_id: found.id, via: found.admission },
    });
    return attendeeId;
  });
  return { meetingId: found.id, attendeeId: attendee, token };
}

/**
 * An attendee's vote on the open question: one row per attendee per question
 * (a unique index), changed in place while the question is open, so however
 * many times or however fast they send, one vote counts. The audit event holds
 * a salted hash of the choices, never the choices.
 */
export async function castMeetingVote(db: DB, attendeeId: string, questionId: string, choices: Choices, now = new Date()): Promise<void> {
  const canonical = canonicalChoices(choices);
  const salt = newToken(16);
  const meetingId = await inTransaction(db, async (trx) => {
    const question = await trx
      .selectFrom("public_meeting_question")
      .innerJoin("public_meeting_attendee", "public_meeting_attendee.meeting_id", "public_meeting_question.meeting_id")
      .select([
        "public_meeting_question.id",
        "public_meeting_question.meeting_id",
        "public_meeting_question.status",
        "public_meeting_question.rule",
        "public_meeting_question.points_total",
        "public_meeting_question.closes_at",
      ])
      .where("public_meeting_question.id", "=", questionId)
      .where("public_meeting_attendee.id", "=", attendeeId)
      .executeTakeFirst();
    if (!question) throw new DomainError("This question is not part of your meeting.", "choices");
    if (question.status !== "open") throw new DomainError("Voting on this question has closed.", "choices");
    if (question.closes_at && question.closes_at <= now.toISOString()) throw new DomainError("Time is up for this question.", "choices");
    const options = await listOptions(trx, question.id);
    const problem = meetingVoteProblem({ rule: question.rule, pointsTotal: question.points_total, options }, choices);
    if (problem) throw new DomainError(problem, "choices");
    const id = newId();
    const hash = sha256(salt + canonical);
    const saved = await trx
      .insertInto("public_meeting_vote")
      .values({ id, question_id: question.id, attendee_id: attendeeId, choices: canonical, choices_hash: hash, salt, cast_at: now.toISOString() })
      .onConflict((oc) =>
        oc.columns(["question_id", "attendee_id"]).doUpdateSet((eb) => ({
          choices: canonical,
          choices_hash: hash,
          salt,
          cast_at: now.toISOString(),
          changes: eb("public_meeting_vote.changes", "+", 1),
        })),
      )
      .returning(["id", "changes"])
      .executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: `attendee:${attendeeId}`,
      action: saved.changes > 0 ? "public_meeting_vote.changed" : "public_meeting_vote.cast",
      entityType: "public_meeting_vote",
      entityId: saved.id,
      after: { question_id: question.id, choices_hash: hash },
    });
    if (saved.changes === 0) await bumpVersion(trx, question.meeting_id);
    return question.meeting_id;
  });
  publishMeetingChange(db, meetingId);
}

// ---------------------------------------------------------------------------
// After the meeting.

/** Publishes the meeting's minutes on the fund's public page, with an optional note. Only recorded questions appear in them. */
export async function publishMinutes(db: DB, actor: Actor, meetingId: string, note: string, now = new Date()): Promise<void> {
  await inTransaction(db, async (trx) => {
    const meeting = await meetingFor(trx, actor, meetingId);
    const open = await trx
      .selectFrom("public_meeting_question")
      .select("id")
      .where("meeting_id", "=", meeting.id)
      .where("status", "in", ["open", "closed"])
      .executeTakeFirst();
    if (open) throw new DomainError("Record the result of every question that was opened before you publish the minutes.", "note");
    const after = { minutes_note: note, minutes_published_at: now.toISOString() };
    await trx.updateTable("public_meeting").set(after).where("id", "=", meeting.id).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "public_meeting.minutes_published",
      entityType: "public_meeting",
      entityId: meeting.id,
      before: { minutes_published_at: meeting.minutes_published_at },
      after,
    });
  });
}

/**
 * The administrator confirms a recorded question's winning ideas as funded,
 * through the decisions service (each gets its decision, audit events and
 * notice), with the meeting as the reason. One transaction: all or none.
 */
export async function confirmMeetingDecisions(db: DB, actor: Actor, questionId: string): Promise<number> {
  if (!can(actor, "fund.manage")) throw new DomainError("Only a fund administrator can confirm the meeting's decisions.");
  return inTransaction(db, async (trx) => {
    const { question, meeting } = await questionFor(trx, actor, questionId);
    if (question.status !== "recorded" || !question.result) throw new DomainError("Record the question's result first.");
    if (question.decisions_confirmed_at) throw new DomainError("The decisions from this question are already confirmed.");
    const result = JSON.parse(question.result) as MeetingResult;
    const winners =
      question.rule === "majority"
        ? question.proposal_id && result.rows[0]?.isWinner
          ? [{ proposalId: question.proposal_id, label: question.title, total: result.rows[0].total }]
          : []
        : result.rows.filter((r) => r.isWinner && r.proposalId).map((r) => ({ proposalId: r.proposalId!, label: r.label, total: r.total }));
    if (winners.length === 0) throw new DomainError("No proposal won this question, so there is nothing to confirm.");
    const day = meeting.starts_at.slice(0, 10);
    for (const w of winners) {
      const proposal = await trx.selectFrom("proposal").select("amount_requested_pence").where("id", "=", w.proposalId).executeTakeFirstOrThrow();
      await recordDecision(trx, actor, w.proposalId, {
        outcome: "funded",
        amountPence: proposal.amount_requested_pence ?? 0,
        conditions: "",
        reason: `Chosen by the people at the public meeting "${meeting.title}" on ${day}. ${result.outcome}`,
        feedback: "",
        meetingId: null,
      });
    }
    const stamp = nowIso();
    await trx.updateTable("public_meeting_question").set({ decisions_confirmed_at: stamp }).where("id", "=", question.id).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "public_meeting_question.decisions_confirmed",
      entityType: "public_meeting_question",
      entityId: question.id,
      after: { decisions_confirmed_at: stamp, funded: winners.map((w) => w.proposalId) },
    });
    return winners.length;
  });
}

import { sql, type SqlBool } from "kysely";
import type { DB } from "../../db/client";
import { chairIdsOf, currentPanel } from "./membership.server";
import type { Constituency, ProposalStatus, VoteChoice } from "../../db/schema";
import { DomainError } from "~/domain/errors";
import { checkQuorum, type CompositionRules } from "~/domain/panel-composition";
import { meetingScope, type Actor } from "~/domain/permissions";
import { sortByDisagreement, type ProposalStatistics } from "~/domain/scoring";
import { getGroupFacts, scoreGroup } from "./group-results.server";
import { parseCompositionRules } from "./panel.server";
import { recusedFrom, recusedViewerId } from "./recusal.server";
import { nowIso } from "~/utils/ids.server";

/** Proposals a meeting discusses and votes on. */
export const AGENDA_STATUSES: readonly ProposalStatus[] = ["eligible", "under_review"];

const MEETING_COLUMNS = [
  "meeting.id",
  "meeting.decision_group_id",
  "meeting.title",
  "meeting.held_on",
  "meeting.status",
  "meeting.minutes",
  "meeting.opened_by",
  "meeting.created_at",
  "meeting.closed_at",
] as const;

/**
 * A meeting the viewer may see, with its group and the fund's voting rules:
 * the policy's meetingScope (administrators any, panel members only their own
 * group's) is the WHERE clause. Undefined otherwise.
 */
export async function findMeetingFor(db: DB, viewer: Actor, meetingId: string) {
  let query = db
    .selectFrom("meeting")
    .innerJoin("decision_group", "decision_group.id", "meeting.decision_group_id")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .select([
      ...MEETING_COLUMNS,
      "decision_group.name as groupName",
      "fund.id as fundId",
      "fund.name as fundName",
      "fund.voting_method",
      "fund.approval_max",
      "fund.tie_rule",
      "fund.quorum_min_present",
      "fund.composition_rules",
    ])
    .where("meeting.id", "=", meetingId);
  const scope = meetingScope(viewer);
  if (scope.kind === "none") return undefined;
  if (scope.kind === "decision_group") query = query.where("meeting.decision_group_id", "=", scope.decisionGroupId);
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const chairIds = await chairIdsOf(db, row.decision_group_id);
  return { ...row, compositionRules: parseCompositionRules(row.composition_rules), chairIds };
}

export type MeetingRecord = NonNullable<Awaited<ReturnType<typeof findMeetingFor>>>;

/** A group's meetings (or every group's, for groupId null), newest first. */
export function listMeetings(db: DB, groupId: string | null) {
  let query = db
    .selectFrom("meeting")
    .innerJoin("decision_group", "decision_group.id", "meeting.decision_group_id")
    .select(["meeting.id", "meeting.title", "meeting.held_on", "meeting.status", "meeting.closed_at", "decision_group.name as groupName"])
    .orderBy("meeting.held_on", "desc")
    .orderBy("meeting.created_at", "desc");
  if (groupId) query = query.where("meeting.decision_group_id", "=", groupId);
  return query.limit(200).execute();
}

export interface AttendanceRow {
  userId: string;
  name: string;
  constituency: Constituency;
  isChair: boolean;
  /** null: not recorded yet. */
  isPresent: boolean | null;
}

/**
 * The meeting's attendance. While it is open: every current panel member of
 * the group (with a constituency), recorded or not, plus anyone recorded who
 * has since left. Once closed: only what was recorded. Constituency is the
 * one recorded at the meeting when there is one.
 */
export async function getAttendance(db: DB, meetingId: string): Promise<AttendanceRow[]> {
  const meeting = await db.selectFrom("meeting").select(["decision_group_id", "status"]).where("id", "=", meetingId).executeTakeFirst();
  if (!meeting) return [];
  const [recorded, members] = await Promise.all([
    db
      .selectFrom("meeting_attendance")
      .innerJoin("user", "user.id", "meeting_attendance.user_id")
      .leftJoin("membership", (join) =>
        join
          .onRef("membership.user_id", "=", "meeting_attendance.user_id")
          .on("membership.role", "=", "panel_member")
          .on("membership.decision_group_id", "=", meeting.decision_group_id),
      )
      .select(["user.id", "user.name", "membership.is_chair", "meeting_attendance.constituency", "meeting_attendance.is_present"])
      .where("meeting_attendance.meeting_id", "=", meetingId)
      .execute(),
    meeting.status === "open"
      ? currentPanel(db, meeting.decision_group_id)
          .select(["user.id", "user.name", "membership.is_chair", "membership.constituency"])
          .where("user.disabled_at", "is", null)
          .where("membership.constituency", "is not", null)
          .execute()
      : Promise.resolve([]),
  ]);
  const rows = new Map<string, AttendanceRow>();
  for (const m of members) {
    rows.set(m.id, { userId: m.id, name: m.name, constituency: m.constituency!, isChair: m.is_chair === 1, isPresent: null });
  }
  for (const r of recorded) {
    rows.set(r.id, {
      userId: r.id,
      name: r.name,
      constituency: r.constituency,
      isChair: r.is_chair === 1,
      isPresent: r.is_present === 1,
    });
  }
  return [...rows.values()].sort((a, b) => Number(b.isChair) - Number(a.isChair) || a.name.localeCompare(b.name, "en-GB") || (a.userId < b.userId ? -1 : 1));
}

/** Statistics for a proposal nobody has scored (so it sorts last). */
const unscored = (reference: string): ProposalStatistics => ({
  reference,
  scorerCount: 0,
  totals: [],
  mean: null,
  median: null,
  minimum: null,
  maximum: null,
  standardDeviation: null,
  range: null,
  meanPercent: null,
});

export interface AgendaItem {
  id: string;
  reference: string;
  title: string;
  status: ProposalStatus;
  amountRequestedPence: number | null;
  /** Null for a viewer recused from it (they may not see scores), or when nobody scored it. */
  scorerCount: number | null;
  standardDeviation: number | null;
  isRecused: boolean;
  voteItem: {
    id: string;
    status: "open" | "closed";
    votesCast: number;
    hasVoted: boolean;
    /** Only once closed. */
    result: unknown;
  } | null;
}

/**
 * The meeting's agenda: the group's eligible and under-review proposals, plus
 * any already voted on at this meeting, the most contested first (highest
 * standard deviation of submitted scores); proposals nobody scored come last.
 * For a panel member, recusal comes from the WHERE clause and their recused
 * proposals show no scores; votes stay hidden (a count, and whether the
 * viewer voted) until the item closes.
 */
export async function getAgenda(db: DB, meeting: Pick<MeetingRecord, "id" | "decision_group_id">, viewer: Actor) {
  const group = await getGroupFacts(db, meeting.decision_group_id);
  if (!group) return { items: [] as AgendaItem[], rule: "" };
  const viewerId = recusedViewerId(viewer);
  const [scores, proposals, items] = await Promise.all([
    scoreGroup(db, group),
    db
      .selectFrom("proposal")
      .select([
        "proposal.id",
        "proposal.reference",
        "proposal.title",
        "proposal.status",
        "proposal.amount_requested_pence",
        (eb) => sql<SqlBool>`${viewerId ? recusedFrom(eb, viewerId) : sql`0`}`.as("isRecused"),
      ])
      .where("proposal.decision_group_id", "=", meeting.decision_group_id)
      .where((eb) =>
        eb.or([
          eb("proposal.status", "in", AGENDA_STATUSES),
          eb.exists(
            eb
              .selectFrom("vote_item")
              .select("vote_item.id")
              .whereRef("vote_item.proposal_id", "=", "proposal.id")
              .where("vote_item.meeting_id", "=", meeting.id),
          ),
        ]),
      )
      .execute(),
    db
      .selectFrom("vote_item")
      .select([
        "vote_item.id",
        "vote_item.proposal_id",
        "vote_item.status",
        "vote_item.result",
        (eb) =>
          eb
            .selectFrom("vote")
            .select((v) => v.fn.countAll<number>().as("n"))
            .whereRef("vote.vote_item_id", "=", "vote_item.id")
            .as("votesCast"),
        (eb) =>
          eb
            .exists(
              eb
                .selectFrom("vote")
                .select("vote.id")
                .whereRef("vote.vote_item_id", "=", "vote_item.id")
                .where("vote.user_id", "=", viewerId ?? ""),
            )
            .as("hasVoted"),
      ])
      .where("vote_item.meeting_id", "=", meeting.id)
      .execute(),
  ]);
  const statsById = new Map(scores.proposals.map((p) => [p.id, p.stats]));
  const itemByProposal = new Map(items.map((i) => [i.proposal_id, i]));
  const byReference = new Map(proposals.map((p) => [p.reference, p]));
  const ordered = sortByDisagreement(proposals.map((p) => statsById.get(p.id) ?? unscored(p.reference)));
  const agenda: AgendaItem[] = ordered.items.map(({ reference }) => {
    const p = byReference.get(reference)!;
    const isRecused = Boolean(p.isRecused);
    const stats = statsById.get(p.id);
    const item = itemByProposal.get(p.id);
    return {
      id: p.id,
      reference: p.reference,
      title: p.title,
      status: p.status,
      amountRequestedPence: p.amount_requested_pence,
      scorerCount: isRecused ? null : (stats?.scorerCount ?? 0),
      standardDeviation: isRecused ? null : (stats?.standardDeviation ?? null),
      isRecused,
      voteItem: item
        ? {
            id: item.id,
            status: item.status,
            votesCast: Number(item.votesCast ?? 0),
            hasVoted: Boolean(item.hasVoted),
            result: item.status === "closed" && item.result ? (JSON.parse(item.result) as unknown) : null,
          }
        : null,
    };
  });
  return { items: agenda, rule: ordered.rule };
}

/**
 * The meeting's notes on one proposal, oldest first, left out for a viewer
 * recused from it (recusal in the WHERE clause). viewerId null: an administrator.
 */
export function listNotes(db: DB, meetingId: string, proposalId: string, viewerId: string | null) {
  let query = db
    .selectFrom("meeting_note")
    .innerJoin("proposal", "proposal.id", "meeting_note.proposal_id")
    .innerJoin("user", "user.id", "meeting_note.author_id")
    .select(["meeting_note.id", "meeting_note.body", "meeting_note.created_at", "user.name as authorName"])
    .where("meeting_note.meeting_id", "=", meetingId)
    .where("meeting_note.proposal_id", "=", proposalId);
  if (viewerId) query = query.where((eb) => eb.not(recusedFrom(eb, viewerId)));
  return query.orderBy("meeting_note.created_at").orderBy("meeting_note.id").execute();
}

/**
 * One agenda proposal of the meeting's group, as a viewer may see it:
 * undefined when it is not on the agenda; isRecused for a recused member.
 */
export async function findAgendaProposal(db: DB, meeting: Pick<MeetingRecord, "id" | "decision_group_id">, viewer: Actor, proposalId: string) {
  const viewerId = recusedViewerId(viewer);
  return db
    .selectFrom("proposal")
    .select([
      "proposal.id",
      "proposal.reference",
      "proposal.title",
      "proposal.summary",
      "proposal.status",
      "proposal.amount_requested_pence",
      (eb) => sql<SqlBool>`${viewerId ? recusedFrom(eb, viewerId) : sql`0`}`.as("isRecused"),
    ])
    .where("proposal.id", "=", proposalId)
    .where("proposal.decision_group_id", "=", meeting.decision_group_id)
    .where((eb) =>
      eb.or([
        eb("proposal.status", "in", AGENDA_STATUSES),
        eb.exists(
          eb
            .selectFrom("vote_item")
            .select("vote_item.id")
            .whereRef("vote_item.proposal_id", "=", "proposal.id")
            .where("vote_item.meeting_id", "=", meeting.id),
        ),
      ]),
    )
    .executeTakeFirst()
    .then((row) => (row ? { ...row, isRecused: Boolean(row.isRecused) } : undefined));
}

/** The vote item for a proposal at a meeting, or undefined. */
export function getVoteItem(db: DB, meetingId: string, proposalId: string) {
  return db
    .selectFrom("vote_item")
    .select(["id", "meeting_id", "proposal_id", "status", "result", "opened_at", "closed_at"])
    .where("meeting_id", "=", meetingId)
    .where("proposal_id", "=", proposalId)
    .executeTakeFirst();
}

/**
 * The votes cast on items, leaving out any voter who is (now) recused from
 * the proposal (recusal in the WHERE clause), so a late declaration of
 * interest takes their vote out of the tally.
 */
export function listCountableVotes(db: DB, voteItemIds: readonly string[]) {
  if (voteItemIds.length === 0) return Promise.resolve([] as { vote_item_id: string; proposal_id: string; user_id: string; choice: VoteChoice }[]);
  return db
    .selectFrom("vote")
    .innerJoin("vote_item", "vote_item.id", "vote.vote_item_id")
    .innerJoin("proposal", "proposal.id", "vote_item.proposal_id")
    .select(["vote.vote_item_id", "vote_item.proposal_id", "vote.user_id", "vote.choice"])
    .where("vote.vote_item_id", "in", voteItemIds)
    .where((eb) => eb.not(recusedFrom(eb, sql.ref<string>("vote.user_id"))))
    .orderBy("vote.user_id")
    .execute();
}

/** The stored result of the vote on a proposal at a meeting (JSON parsed), or null while open or never opened. */
export async function getVoteResult(db: DB, meetingId: string, proposalId: string): Promise<unknown> {
  const item = await getVoteItem(db, meetingId, proposalId);
  if (!item || item.status !== "closed" || !item.result) return null;
  return JSON.parse(item.result) as unknown;
}

/** The members recorded as present at a meeting, with the constituency recorded there. */
export async function listPresentMembers(db: DB, meetingId: string) {
  const rows = await db
    .selectFrom("meeting_attendance")
    .select(["user_id", "constituency"])
    .where("meeting_id", "=", meetingId)
    .where("is_present", "=", 1)
    .orderBy("user_id")
    .execute();
  return rows.map((r) => ({ id: r.user_id, constituency: r.constituency }));
}

/** The members present at a meeting who are recused from a proposal (recusal in the WHERE clause). */
export async function listRecusedPresent(db: DB, meetingId: string, proposalId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("meeting_attendance")
    .innerJoin("proposal", (join) => join.on("proposal.id", "=", proposalId))
    .select("meeting_attendance.user_id")
    .where("meeting_attendance.meeting_id", "=", meetingId)
    .where("meeting_attendance.is_present", "=", 1)
    .where((eb) => recusedFrom(eb, sql.ref<string>("meeting_attendance.user_id")))
    .orderBy("meeting_attendance.user_id")
    .execute();
  return rows.map((r) => r.user_id);
}

export interface MeetingQuorum {
  isQuorate: boolean;
  /** Members who count towards the quorum (present, and not recused from the item when there is one). */
  countingPresent: number;
  minimumPresent: number;
  /** One plain-English sentence per reason, for the page, the minutes and the decision record. */
  reasons: string[];
  /** When the quorum was worked out (ISO-8601). */
  checkedAt: string;
}

/** Pure: the quorum from who is present and the fund's rules. Rules the check cannot use count as not quorate, with the reason. */
export function quorumOf(
  present: readonly { id: string; constituency: Constituency }[],
  fund: { quorum_min_present: number; compositionRules: CompositionRules },
  recusedMemberIds: readonly string[] = [],
): Omit<MeetingQuorum, "checkedAt"> {
  try {
    const result = checkQuorum({ present, minimumPresent: fund.quorum_min_present, rules: fund.compositionRules, recusedMemberIds });
    return { isQuorate: result.isQuorate, countingPresent: result.countingPresent, minimumPresent: fund.quorum_min_present, reasons: result.reasons };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return {
      isQuorate: false,
      countingPresent: present.length,
      minimumPresent: fund.quorum_min_present,
      reasons: [`The fund's quorum rules cannot be applied: ${error.message}.`],
    };
  }
}

/**
 * Whether a meeting is quorate now: the fund's fewest-present number and its
 * constituency rules, against the attendance recorded. With a proposalId,
 * members recused from that proposal do not count (they leave the room for
 * it). Null for an unknown meeting. For the decisions record, store the result.
 */
export async function getMeetingQuorum(db: DB, meetingId: string, proposalId?: string): Promise<MeetingQuorum | null> {
  const fund = await db
    .selectFrom("meeting")
    .innerJoin("decision_group", "decision_group.id", "meeting.decision_group_id")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .select(["fund.quorum_min_present", "fund.composition_rules"])
    .where("meeting.id", "=", meetingId)
    .executeTakeFirst();
  if (!fund) return null;
  const [present, recused] = await Promise.all([
    listPresentMembers(db, meetingId),
    proposalId ? listRecusedPresent(db, meetingId, proposalId) : Promise.resolve([]),
  ]);
  const rules = { quorum_min_present: fund.quorum_min_present, compositionRules: parseCompositionRules(fund.composition_rules) };
  return { ...quorumOf(present, rules, recused), checkedAt: nowIso() };
}

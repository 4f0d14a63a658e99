import { sql, type SqlBool } from "kysely";
import type { DB } from "../../db/client";
import { chairIdsOf, currentPanel } from "./membership.server";
import type { Constituency, ProposalStatus, VoteChoice } from "../../db/schema";
import { DomainError } from "~/domain/errors";
import { checkQuorum, type CompositionRules } from "~/domain/panel-composition";
import { meetingScope, type Actor } from "~/domain/permissions";
import { sortByDisagreement, type ProposalStatistics } from "~/domain/scoring";
import { PANEL_STATUSES } from "./group-results.server";
import { groupScoreSpreads, type ProposalSpread } from "./group-score-summary.server";
import { parseCompositionRules } from "./panel.server";
import { recusedFrom, recusedProposalIds, recusedViewerId } from "./recusal.server";
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
      "fund.decision_method",
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
    /** Null for a viewer recused from the proposal: they see no count. */
    votesCast: number | null;
    hasVoted: boolean;
  } | null;
}

/** How many proposals a page of the agenda shows. */
export const AGENDA_PAGE_SIZE = 50;

/** The meeting's approval ballot as one viewer may see it: the proposals they may tick, and the results once closed. */
export interface AgendaBallot {
  isOpen: boolean;
  isClosed: boolean;
  hasVoted: boolean;
  /** A ballot puts one row on every item the member may vote on, so the largest count on an item the viewer may see is the number of ballots cast. */
  ballotsCast: number;
  /** Open items the viewer is not recused from (approval ballots only). */
  choices: { id: string; reference: string; title: string }[];
  /** Closed items with a result, the viewer's recused ones left out (approval ballots only). */
  results: { id: string; reference: string; title: string; result: unknown }[];
}

type AgendaMeeting = Pick<MeetingRecord, "id" | "decision_group_id" | "fundId" | "voting_method">;

/**
 * The meeting's agenda: the group's eligible and under-review proposals, plus
 * any already voted on at this meeting, the most contested first (highest
 * standard deviation of submitted scores); proposals nobody scored come last.
 * One page of it (AGENDA_PAGE_SIZE; a page past the last gives the last).
 *
 * One query per kind, joined here: the scores added up per proposal in the
 * database, the proposals, the viewer's recusals, the vote items, the vote
 * counts and the viewer's own votes; nothing is asked per agenda item.
 * For a panel member, their recused proposals show no scores and no vote
 * count, and leave their ballot choices and results; votes stay hidden (a
 * count, and whether the viewer voted) until the item closes.
 */
export async function getAgenda(db: DB, meeting: AgendaMeeting, viewer: Actor, askedPage = 1) {
  const viewerId = recusedViewerId(viewer);
  const isApproval = meeting.voting_method === "approval";
  const [spreads, proposals, recused, items, counts, mine] = await Promise.all([
    db
      .selectFrom("fund")
      .select(["id as fund_id", "score_scale_max"])
      .where("id", "=", meeting.fundId)
      .executeTakeFirst()
      .then((fund) => (fund ? groupScoreSpreads(db, { id: meeting.decision_group_id, ...fund }, PANEL_STATUSES) : new Map<string, ProposalSpread>())),
    db
      .selectFrom("proposal")
      .select(["proposal.id", "proposal.reference", "proposal.title", "proposal.status", "proposal.amount_requested_pence"])
      .where("proposal.decision_group_id", "=", meeting.decision_group_id)
      .where((eb) =>
        eb.or([
          eb("proposal.status", "in", AGENDA_STATUSES),
          eb("proposal.id", "in", eb.selectFrom("vote_item").select("vote_item.proposal_id").where("vote_item.meeting_id", "=", meeting.id)),
        ]),
      )
      .execute(),
    viewerId ? recusedProposalIds(db, viewerId, meeting.decision_group_id) : Promise.resolve(new Set<string>()),
    db
      .selectFrom("vote_item")
      .select(["id", "proposal_id", "status", ...(isApproval ? (["result"] as const) : [])])
      .where("meeting_id", "=", meeting.id)
      .execute() as Promise<{ id: string; proposal_id: string; status: "open" | "closed"; result?: string | null }[]>,
    db
      .selectFrom("vote")
      .innerJoin("vote_item", "vote_item.id", "vote.vote_item_id")
      .select((eb) => ["vote.vote_item_id", eb.fn.countAll<number>().as("n")])
      .where("vote_item.meeting_id", "=", meeting.id)
      .groupBy("vote.vote_item_id")
      .execute(),
    viewerId
      ? db
          .selectFrom("vote")
          .innerJoin("vote_item", "vote_item.id", "vote.vote_item_id")
          .select("vote.vote_item_id")
          .where("vote_item.meeting_id", "=", meeting.id)
          .where("vote.user_id", "=", viewerId)
          .execute()
      : Promise.resolve([] as { vote_item_id: string }[]),
  ]);
  const countByItem = new Map(counts.map((c) => [c.vote_item_id, Number(c.n)]));
  const votedItems = new Set(mine.map((m) => m.vote_item_id));
  const itemByProposal = new Map(items.map((i) => [i.proposal_id, i]));
  const byReference = new Map(proposals.map((p) => [p.reference, p]));
  const ordered = sortByDisagreement(
    proposals.map((p) => {
      const spread = spreads.get(p.id);
      return spread ? { ...unscored(p.reference), ...spread } : unscored(p.reference);
    }),
  );
  const pageCount = Math.max(1, Math.ceil(ordered.items.length / AGENDA_PAGE_SIZE));
  const page = Math.min(Math.max(1, askedPage), pageCount);
  const agenda: AgendaItem[] = ordered.items.slice((page - 1) * AGENDA_PAGE_SIZE, page * AGENDA_PAGE_SIZE).map(({ reference }) => {
    const p = byReference.get(reference)!;
    const isRecused = recused.has(p.id);
    const spread = spreads.get(p.id);
    const item = itemByProposal.get(p.id);
    return {
      id: p.id,
      reference: p.reference,
      title: p.title,
      status: p.status,
      amountRequestedPence: p.amount_requested_pence,
      scorerCount: isRecused ? null : (spread?.scorerCount ?? 0),
      standardDeviation: isRecused ? null : (spread?.standardDeviation ?? null),
      isRecused,
      voteItem: item
        ? { id: item.id, status: item.status, votesCast: isRecused ? null : (countByItem.get(item.id) ?? 0), hasVoted: votedItems.has(item.id) }
        : null,
    };
  });
  const proposalById = new Map(proposals.map((p) => [p.id, p]));
  const seen = items.filter((i) => !recused.has(i.proposal_id) && proposalById.has(i.proposal_id));
  const label = (i: { proposal_id: string }) => ({
    id: i.proposal_id,
    reference: proposalById.get(i.proposal_id)!.reference,
    title: proposalById.get(i.proposal_id)!.title,
  });
  // Ballot lists follow the agenda's order (the most contested first).
  const rank = new Map(ordered.items.map((o, i) => [o.reference, i]));
  const byRef = (a: { reference: string }, b: { reference: string }) => rank.get(a.reference)! - rank.get(b.reference)!;
  const ballot: AgendaBallot = {
    isOpen: items.some((i) => i.status === "open"),
    isClosed: items.length > 0 && items.every((i) => i.status === "closed"),
    hasVoted: items.some((i) => votedItems.has(i.id)),
    ballotsCast: Math.max(0, ...seen.map((i) => countByItem.get(i.id) ?? 0)),
    choices: isApproval
      ? seen
          .filter((i) => i.status === "open")
          .map(label)
          .sort(byRef)
      : [],
    results: isApproval
      ? seen
          .filter((i) => i.status === "closed" && i.result)
          .map((i) => ({ ...label(i), result: JSON.parse(i.result!) as unknown }))
          .sort(byRef)
      : [],
  };
  /** Agenda proposals the viewer is not recused from, on any page (for the minutes' list of departures). */
  const isVisible = (proposalId: string) => proposalById.has(proposalId) && !recused.has(proposalId);
  return {
    items: agenda,
    rule: ordered.rule,
    paging: { page, pageCount, pageSize: AGENDA_PAGE_SIZE, total: ordered.items.length, askedPage },
    ballot,
    isVisible,
  };
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

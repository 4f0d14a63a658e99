import type { DB } from "../../db/client";
import type { StoredQuorum, StoredVoteResult } from "~/domain/meeting-results";
import { getAttendance, getMeetingQuorum, getVoteResult } from "./meeting.server";

function parseResult(result: string | null): StoredVoteResult | null {
  if (!result) return null;
  try {
    const parsed: unknown = JSON.parse(result);
    return parsed && typeof parsed === "object" && "method" in parsed ? (parsed as StoredVoteResult) : null;
  } catch {
    return null;
  }
}

/** Whether a closed vote supports funding: a per-proposal vote the panel won (after the tie rule), or at least one approval. */
export function isSupportedBy(result: StoredVoteResult | null): boolean {
  if (!result) return false;
  return result.method === "per_proposal" ? result.outcome === "fund" : result.approvals > 0;
}

/**
 * Each proposal's latest closed vote result at the meetings of one decision
 * group, or of every group of a fund: the latest closed item per proposal
 * counts (oldest first, so a later vote replaces an earlier one).
 */
async function latestClosedResults(db: DB, scope: { groupId: string } | { fundId: string }): Promise<Map<string, StoredVoteResult | null>> {
  let query = db
    .selectFrom("vote_item")
    .innerJoin("meeting", "meeting.id", "vote_item.meeting_id")
    .select(["vote_item.proposal_id", "vote_item.result"])
    .where("vote_item.status", "=", "closed");
  query =
    "groupId" in scope
      ? query.where("meeting.decision_group_id", "=", scope.groupId)
      : query.where("meeting.decision_group_id", "in", (eb) => eb.selectFrom("decision_group").select("id").where("fund_id", "=", scope.fundId));
  const rows = await query.orderBy("vote_item.closed_at").orderBy("vote_item.id").execute();
  return new Map(rows.map((r) => [r.proposal_id, parseResult(r.result)]));
}

const supportedIn = (latest: Map<string, StoredVoteResult | null>) => new Set([...latest].filter(([, result]) => isSupportedBy(result)).map(([id]) => id));

/**
 * Which proposals the panel voted to fund, from the results stored when the
 * group's vote items closed (the latest closed item per proposal counts).
 * With no closed votes at all, hasVotes is false and the allocation considers
 * every proposal awaiting a decision.
 */
export async function panelSupport(db: DB, groupId: string): Promise<{ hasVotes: boolean; votedOn: Set<string>; supported: Set<string> }> {
  const latest = await latestClosedResults(db, { groupId });
  return { hasVotes: latest.size > 0, votedOn: new Set(latest.keys()), supported: supportedIn(latest) };
}

/**
 * The panel's shortlist for a fund decided by shortlist then ballot: the
 * proposals the panel voted to fund at a meeting of any of the fund's groups,
 * by the same rule as the allocation's candidates (docs/decisions/0046).
 */
export async function panelShortlist(db: DB, fundId: string): Promise<Set<string>> {
  return supportedIn(await latestClosedResults(db, { fundId }));
}

export interface DecisionMeetingRecord {
  meetingId: string;
  /** The stored result of the vote on the proposal at this meeting, or null when none closed there. */
  vote: StoredVoteResult | null;
  attendance: { present: number; absent: number; notRecorded: number; byConstituency: Record<string, number>; presentMemberIds: string[] };
  /** As it stood when the vote closed, or now when there was no vote; isQuorate false is recorded, not refused. */
  quorum: StoredQuorum | null;
}

/**
 * What a decision taken at a meeting records, from the meeting models: the
 * vote, who was present, and whether the meeting was quorate for this
 * proposal. Undefined when the meeting is not one of the group's.
 */
export async function getMeetingRecord(db: DB, groupId: string, meetingId: string, proposalId: string): Promise<DecisionMeetingRecord | undefined> {
  const meeting = await db.selectFrom("meeting").select("id").where("id", "=", meetingId).where("decision_group_id", "=", groupId).executeTakeFirst();
  if (!meeting) return undefined;
  const [attendance, stored] = await Promise.all([getAttendance(db, meetingId), getVoteResult(db, meetingId, proposalId)]);
  const vote = stored && typeof stored === "object" && "method" in stored ? (stored as StoredVoteResult) : null;
  const quorum = vote?.quorum ?? (await getMeetingQuorum(db, meetingId, proposalId));
  const present = attendance.filter((a) => a.isPresent === true);
  const byConstituency: Record<string, number> = {};
  for (const a of present) byConstituency[a.constituency] = (byConstituency[a.constituency] ?? 0) + 1;
  return {
    meetingId,
    vote,
    attendance: {
      present: present.length,
      absent: attendance.filter((a) => a.isPresent === false).length,
      notRecorded: attendance.filter((a) => a.isPresent === null).length,
      byConstituency,
      presentMemberIds: present.map((a) => a.userId),
    },
    quorum,
  };
}

import type { DB } from "../../db/client";

/** The outcome stored with a closed vote item (voting.ts ProposalVoteResult), or null when the result says none. */
function storedOutcome(result: string | null): string | null {
  if (!result) return null;
  try {
    const parsed: unknown = JSON.parse(result);
    return parsed && typeof parsed === "object" && typeof (parsed as { outcome?: unknown }).outcome === "string" ? (parsed as { outcome: string }).outcome : null;
  } catch {
    return null;
  }
}

/**
 * Which proposals the panel voted to fund, from the group's closed vote items
 * (the latest closed item per proposal counts). With no closed votes at all,
 * hasVotes is false and the allocation considers every proposal awaiting a decision.
 * The outcome stored when the vote closed (after the fund's tie rule) decides;
 * an item closed without one counts as support when more members voted to
 * fund than not to fund, or approved it in an approval ballot.
 */
export async function panelSupport(db: DB, groupId: string): Promise<{ hasVotes: boolean; supported: Set<string> }> {
  const rows = await db
    .selectFrom("vote_item")
    .innerJoin("meeting", "meeting.id", "vote_item.meeting_id")
    .leftJoin("vote", "vote.vote_item_id", "vote_item.id")
    .select(["vote_item.id", "vote_item.proposal_id", "vote_item.result", "vote.choice"])
    .where("meeting.decision_group_id", "=", groupId)
    .where("vote_item.status", "=", "closed")
    .orderBy("vote_item.closed_at")
    .orderBy("vote_item.id")
    .execute();
  const latest = new Map<string, { itemId: string; outcome: string | null; fund: number; against: number; approve: number }>();
  for (const row of rows) {
    let entry = latest.get(row.proposal_id);
    if (!entry || entry.itemId !== row.id) {
      // Rows arrive oldest item first, so a later item replaces an earlier one.
      entry = { itemId: row.id, outcome: storedOutcome(row.result), fund: 0, against: 0, approve: 0 };
      latest.set(row.proposal_id, entry);
    }
    if (row.choice === "fund") entry.fund += 1;
    else if (row.choice === "dont_fund") entry.against += 1;
    else if (row.choice === "approve") entry.approve += 1;
  }
  const supported = new Set<string>();
  for (const [proposalId, t] of latest) {
    const isSupported = t.outcome !== null ? t.outcome === "fund" : t.fund > t.against || (t.fund === 0 && t.against === 0 && t.approve > 0);
    if (isSupported) supported.add(proposalId);
  }
  return { hasVotes: latest.size > 0, supported };
}

export interface MeetingRecord {
  meetingId: string;
  voteCounts: { fund: number; dontFund: number; abstain: number; approve: number } | null;
  attendance: { present: number; absent: number; byConstituency: Record<string, number> };
  quorum: { minimumPresent: number; present: number; isQuorate: boolean };
}

/**
 * What a decision taken at a meeting records: the vote on the proposal (if
 * one closed there), who was present, and whether the meeting was quorate.
 * Undefined when the meeting is not one of the group's.
 */
export async function getMeetingRecord(db: DB, groupId: string, meetingId: string, proposalId: string): Promise<MeetingRecord | undefined> {
  const meeting = await db
    .selectFrom("meeting")
    .innerJoin("decision_group", "decision_group.id", "meeting.decision_group_id")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .select(["meeting.id", "fund.quorum_min_present"])
    .where("meeting.id", "=", meetingId)
    .where("meeting.decision_group_id", "=", groupId)
    .executeTakeFirst();
  if (!meeting) return undefined;
  const [attendance, votes] = await Promise.all([
    db.selectFrom("meeting_attendance").select(["constituency", "is_present"]).where("meeting_id", "=", meetingId).execute(),
    db
      .selectFrom("vote_item")
      .leftJoin("vote", "vote.vote_item_id", "vote_item.id")
      .select(["vote_item.id", "vote.choice"])
      .where("vote_item.meeting_id", "=", meetingId)
      .where("vote_item.proposal_id", "=", proposalId)
      .where("vote_item.status", "=", "closed")
      .execute(),
  ]);
  const byConstituency: Record<string, number> = {};
  let present = 0;
  for (const a of attendance) {
    if (a.is_present !== 1) continue;
    present += 1;
    byConstituency[a.constituency] = (byConstituency[a.constituency] ?? 0) + 1;
  }
  let voteCounts: MeetingRecord["voteCounts"] = null;
  if (votes.length) {
    voteCounts = { fund: 0, dontFund: 0, abstain: 0, approve: 0 };
    for (const v of votes) {
      if (v.choice === "fund") voteCounts.fund += 1;
      else if (v.choice === "dont_fund") voteCounts.dontFund += 1;
      else if (v.choice === "abstain") voteCounts.abstain += 1;
      else if (v.choice === "approve") voteCounts.approve += 1;
    }
  }
  return {
    meetingId,
    voteCounts,
    attendance: { present, absent: attendance.length - present, byConstituency },
    quorum: { minimumPresent: meeting.quorum_min_present, present, isQuorate: present >= meeting.quorum_min_present },
  };
}

/** The group's meetings, newest first, for the decisions form. */
export function listGroupMeetings(db: DB, groupId: string) {
  return db
    .selectFrom("meeting")
    .select(["id", "title", "held_on", "status"])
    .where("decision_group_id", "=", groupId)
    .orderBy("held_on", "desc")
    .orderBy("created_at", "desc")
    .execute();
}

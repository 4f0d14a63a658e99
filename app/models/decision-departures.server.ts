import type { DB } from "../../db/client";
import type { DecisionOutcome } from "../../db/schema";
import { panelVoteFrom, storedDecisionDepartures, type Departure, type PanelVote } from "~/domain/decision-departures";

/**
 * The latest of the group's meetings that closed a vote on the proposal, or
 * null. A decision recorded without choosing a meeting is still weighed
 * against the panel's vote, so choosing no meeting cannot hide it.
 */
export async function latestVotedMeetingId(db: DB, groupId: string, proposalId: string): Promise<string | null> {
  const row = await db
    .selectFrom("vote_item")
    .innerJoin("meeting", "meeting.id", "vote_item.meeting_id")
    .select("meeting.id")
    .where("meeting.decision_group_id", "=", groupId)
    .where("vote_item.proposal_id", "=", proposalId)
    .where("vote_item.status", "=", "closed")
    .orderBy("vote_item.closed_at", "desc")
    .orderBy("meeting.id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Each proposal's latest closed fund / don't-fund vote at the group's
 * meetings, with the meeting's title: what a decision on it is weighed against.
 */
export async function latestPanelVotes(db: DB, groupId: string): Promise<Map<string, { vote: PanelVote; meetingTitle: string }>> {
  const rows = await db
    .selectFrom("vote_item")
    .innerJoin("meeting", "meeting.id", "vote_item.meeting_id")
    .select(["vote_item.proposal_id", "vote_item.result", "meeting.title"])
    .where("meeting.decision_group_id", "=", groupId)
    .where("vote_item.status", "=", "closed")
    .orderBy("vote_item.closed_at")
    .orderBy("meeting.id")
    .execute();
  const votes = new Map<string, { vote: PanelVote; meetingTitle: string }>();
  for (const row of rows) {
    const vote = panelVoteFrom(row.result);
    if (vote) votes.set(row.proposal_id, { vote, meetingTitle: row.title });
    else votes.delete(row.proposal_id);
  }
  return votes;
}

export interface DepartedDecision {
  proposalId: string;
  reference: string;
  title: string;
  decisionGroupId: string;
  meetingId: string | null;
  outcome: DecisionOutcome;
  amountPence: number | null;
  departures: Departure[];
  departureReason: string;
}

/**
 * The fund's decisions that differ from the panel's vote or the adopted
 * allocation (decisionDepartures), with the reason recorded for each; for
 * the public results and the minutes. Decided proposals only: a reserve
 * decided again is listed as it stands now.
 */
export async function listDepartedDecisions(db: DB, fundId: string): Promise<DepartedDecision[]> {
  return departedWhere(db, "decision_group.fund_id", fundId);
}

/** The decisions recorded against one meeting (its vote) that differ from the vote or the allocation, for its minutes. */
export async function listMeetingDepartures(db: DB, meetingId: string): Promise<DepartedDecision[]> {
  return departedWhere(db, "decision.meeting_id", meetingId);
}

async function departedWhere(db: DB, column: "decision_group.fund_id" | "decision.meeting_id", value: string): Promise<DepartedDecision[]> {
  const rows = await db
    .selectFrom("decision")
    .innerJoin("proposal", "proposal.id", "decision.proposal_id")
    .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
    .select([
      "proposal.id",
      "proposal.reference",
      "proposal.title",
      "proposal.decision_group_id",
      "decision.meeting_id",
      "decision.outcome",
      "decision.amount_pence",
      "decision.vote_counts",
      "decision.allocation",
      "decision.departure_reason",
    ])
    .where(column, "=", value)
    .orderBy("proposal.reference")
    .execute();
  return rows
    .map((r) => ({
      proposalId: r.id,
      reference: r.reference,
      title: r.title,
      decisionGroupId: r.decision_group_id,
      meetingId: r.meeting_id,
      outcome: r.outcome,
      amountPence: r.amount_pence,
      departures: storedDecisionDepartures(r),
      departureReason: r.departure_reason,
    }))
    .filter((d) => d.departures.length > 0);
}

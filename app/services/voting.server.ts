import { inTransaction, type DB } from "../../db/client";
import type { VoteChoice } from "../../db/schema";
import { isUniqueViolation } from "../../db/dialect";
import { DomainError } from "~/domain/errors";
import { can, type Actor } from "~/domain/permissions";
import type { PerProposalChoice } from "~/domain/forms/meeting";
import { appendAuditEvent } from "~/models/audit.server";
import type { StoredVoteResult } from "~/domain/meeting-results";
import { countProposalVotes, tallyApprovals, TIE_RULE_TEXTS, type ProposalVoteChoice } from "~/domain/voting";
import { getGroupFacts, PANEL_STATUSES } from "~/models/group-results.server";
import { meanScores } from "~/models/group-score-summary.server";
import { AGENDA_STATUSES, listCountableVotes, listPresentMembers, listRecusedPresent, quorumOf } from "~/models/meeting.server";
import { chairIdsOf } from "~/models/membership.server";
import { parseCompositionRules } from "~/models/panel.server";
import { recusedFrom } from "~/models/recusal.server";
import { newId, nowIso } from "~/utils/ids.server";
import { requireMeetingRunner } from "./meetings.server";
import type { Submission } from "~/domain/submissions";
import { inTransactionOnce } from "./submissions.server";

type Person = Actor;

/** Thrown when a recused member tries to vote: the route answers 403, not 400. */
export class RecusedError extends Error {
  constructor() {
    super("You declared an interest in this proposal, so you cannot vote on it.");
    this.name = "RecusedError";
  }
}

export const ALREADY_VOTED = "You have already voted on this proposal";
export const VOTING_CLOSED = "Voting on this proposal has closed";

async function requireOpenMeeting(trx: DB, meetingId: string) {
  const meeting = await trx
    .selectFrom("meeting")
    .innerJoin("decision_group", "decision_group.id", "meeting.decision_group_id")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .select(["meeting.id", "meeting.decision_group_id", "meeting.status", "fund.voting_method", "fund.approval_max", "fund.tie_rule"])
    .where("meeting.id", "=", meetingId)
    .executeTakeFirst();
  if (!meeting) throw new DomainError("That meeting does not exist.");
  if (meeting.status !== "open") throw new DomainError("This meeting has closed, so no more votes can be taken at it.");
  return meeting;
}

/** The database's answer to a second row for the same member and item (UNIQUE vote_item_id, user_id): db/dialect.ts. */
export { isUniqueViolation };

/**
 * The member must be recorded as present at the meeting, and the policy's
 * vote.cast must allow them (a panel member of the meeting's group, not
 * recused, present): checked inside the voting transaction.
 */
async function requireVoter(trx: DB, voter: Actor, meeting: { id: string; decision_group_id: string }, field: string) {
  const row = await trx
    .selectFrom("meeting_attendance")
    .select("is_present")
    .where("meeting_id", "=", meeting.id)
    .where("user_id", "=", voter.id)
    .executeTakeFirst();
  const isPresent = row?.is_present === 1;
  if (!isPresent) {
    throw new DomainError("Only members recorded as present at this meeting can vote. Ask the chair to record you as present.", field);
  }
  if (!can(voter, "vote.cast", { type: "vote", decisionGroupId: meeting.decision_group_id, isRecused: false, isPresent })) {
    throw new DomainError("Only members of this group's panel can vote at its meetings.", field);
  }
}

/** Opens the vote on one agenda proposal (per-proposal voting). */
export async function openVote(db: DB, actor: Person, meetingId: string, proposalId: string): Promise<string> {
  return inTransaction(db, async (trx) => {
    const meeting = await requireOpenMeeting(trx, meetingId);
    await requireMeetingRunner(trx, actor, meeting.decision_group_id);
    if (meeting.voting_method !== "per_proposal") throw new DomainError("This fund uses an approval ballot: open the ballot for the whole agenda instead.");
    const proposal = await trx
      .selectFrom("proposal")
      .select(["id", "reference"])
      .where("id", "=", proposalId)
      .where("decision_group_id", "=", meeting.decision_group_id)
      .where("status", "in", AGENDA_STATUSES)
      .executeTakeFirst();
    if (!proposal) throw new DomainError("That proposal is not on this meeting's agenda.", "proposalId");
    const existing = await trx
      .selectFrom("vote_item")
      .select(["id", "status"])
      .where("meeting_id", "=", meetingId)
      .where("proposal_id", "=", proposalId)
      .executeTakeFirst();
    if (existing) throw new DomainError(existing.status === "open" ? "The vote on this proposal is already open." : VOTING_CLOSED);
    const row = { id: newId(), meeting_id: meetingId, proposal_id: proposalId, status: "open" as const, result: null, opened_at: nowIso(), closed_at: null };
    await trx.insertInto("vote_item").values(row).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "vote.opened",
      entityType: "vote_item",
      entityId: row.id,
      after: { ...row, reference: proposal.reference },
    });
    return row.id;
  });
}

/**
 * Casts a member's vote on an open item. Recusal is in the WHERE clause
 * (RecusedError → 403); one vote per member per item is the database's
 * UNIQUE constraint, turned into a plain 400.
 */
export async function castVote(
  db: DB,
  voter: Person,
  meetingId: string,
  proposalId: string,
  choice: PerProposalChoice,
  submission?: Submission | null,
): Promise<void> {
  try {
    await inTransactionOnce(db, voter.id, submission, async (trx) => {
      const meeting = await requireOpenMeeting(trx, meetingId);
      if (meeting.voting_method !== "per_proposal") throw new DomainError("This fund uses an approval ballot: vote on the meeting page.");
      const item = await trx
        .selectFrom("vote_item")
        .innerJoin("proposal", "proposal.id", "vote_item.proposal_id")
        .select(["vote_item.id", "vote_item.status", (eb) => recusedFrom(eb, voter.id).as("isRecused")])
        .where("vote_item.meeting_id", "=", meetingId)
        .where("vote_item.proposal_id", "=", proposalId)
        .executeTakeFirst();
      if (!item) throw new DomainError("Voting on this proposal has not opened yet.", "choice");
      if (item.isRecused) throw new RecusedError();
      if (item.status !== "open") throw new DomainError(VOTING_CLOSED, "choice");
      await requireVoter(trx, voter, meeting, "choice");
      const row = { id: newId(), vote_item_id: item.id, user_id: voter.id, choice: choice as VoteChoice, cast_at: nowIso() };
      await trx.insertInto("vote").values(row).execute();
      // The audit trail records that a vote was cast, not how: votes are secret until the item closes.
      await appendAuditEvent(trx, {
        actor: voter.id,
        action: "vote.cast",
        entityType: "vote_item",
        entityId: item.id,
        after: { vote_id: row.id, user_id: voter.id },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError(ALREADY_VOTED, "choice");
    throw error;
  }
}

/** Opens the approval ballot: one vote item per agenda proposal, opened together. */
export async function openBallot(db: DB, actor: Person, meetingId: string): Promise<number> {
  return inTransaction(db, async (trx) => {
    const meeting = await requireOpenMeeting(trx, meetingId);
    await requireMeetingRunner(trx, actor, meeting.decision_group_id);
    if (meeting.voting_method !== "approval") throw new DomainError("This fund votes on each proposal in turn, not by approval ballot.");
    const existing = await trx.selectFrom("vote_item").select("id").where("meeting_id", "=", meetingId).executeTakeFirst();
    if (existing) throw new DomainError("The ballot has already been opened at this meeting.");
    const proposals = await trx
      .selectFrom("proposal")
      .select(["id", "reference"])
      .where("decision_group_id", "=", meeting.decision_group_id)
      .where("status", "in", AGENDA_STATUSES)
      .orderBy("reference")
      .execute();
    if (proposals.length === 0) throw new DomainError("There are no proposals on the agenda to vote on.");
    const openedAt = nowIso();
    const rows = proposals.map((p) => ({
      id: newId(),
      meeting_id: meetingId,
      proposal_id: p.id,
      status: "open" as const,
      result: null,
      opened_at: openedAt,
      closed_at: null,
    }));
    await trx.insertInto("vote_item").values(rows).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "ballot.opened",
      entityType: "meeting",
      entityId: meetingId,
      after: { items: rows.map((r, i) => ({ id: r.id, proposal_id: r.proposal_id, reference: proposals[i]!.reference })) },
    });
    return rows.length;
  });
}

/**
 * Submits a member's approval ballot: 'approve' on each chosen proposal and
 * 'abstain' on the other open items they may vote on, so the ballot is
 * recorded as cast (and cannot be cast twice) even when it approves none.
 * Approving more than the fund allows, or an item not open, is a 400;
 * choosing a proposal the member is recused from is a RecusedError (403).
 */
export async function submitBallot(db: DB, voter: Person, meetingId: string, approvedIds: readonly string[], submission?: Submission | null): Promise<void> {
  try {
    await inTransactionOnce(db, voter.id, submission, async (trx) => {
      const meeting = await requireOpenMeeting(trx, meetingId);
      if (meeting.voting_method !== "approval") throw new DomainError("This fund votes on each proposal in turn, not by approval ballot.");
      const max = meeting.approval_max ?? 1;
      const items = await trx
        .selectFrom("vote_item")
        .innerJoin("proposal", "proposal.id", "vote_item.proposal_id")
        .select([
          "vote_item.id",
          "vote_item.proposal_id",
          "vote_item.status",
          (eb) => recusedFrom(eb, voter.id).as("isRecused"),
          (eb) =>
            eb
              .exists(eb.selectFrom("vote").select("vote.id").whereRef("vote.vote_item_id", "=", "vote_item.id").where("vote.user_id", "=", voter.id))
              .as("hasVoted"),
        ])
        .where("vote_item.meeting_id", "=", meetingId)
        .execute();
      if (items.length === 0) throw new DomainError("The ballot has not opened yet.", "approve");
      const byProposal = new Map(items.map((i) => [i.proposal_id, i]));
      const chosen = [...new Set(approvedIds)];
      if (chosen.some((id) => !byProposal.has(id))) throw new DomainError("Choose only proposals on this ballot.", "approve");
      if (chosen.some((id) => byProposal.get(id)!.isRecused)) throw new RecusedError();
      if (items.some((i) => i.status !== "open")) throw new DomainError("Voting on this ballot has closed", "approve");
      if (chosen.length > max)
        throw new DomainError(`You can approve up to ${max} ${max === 1 ? "proposal" : "proposals"}. You chose ${chosen.length}.`, "approve");
      const votable = items.filter((i) => !i.isRecused);
      if (votable.some((i) => i.hasVoted)) throw new DomainError("You have already voted on this ballot", "approve");
      await requireVoter(trx, voter, meeting, "approve");
      const castAt = nowIso();
      const approved = new Set(chosen);
      const rows = votable.map((i) => ({
        id: newId(),
        vote_item_id: i.id,
        user_id: voter.id,
        choice: (approved.has(i.proposal_id) ? "approve" : "abstain") as VoteChoice,
        cast_at: castAt,
      }));
      if (rows.length) await trx.insertInto("vote").values(rows).execute();
      await appendAuditEvent(trx, {
        actor: voter.id,
        action: "ballot.cast",
        entityType: "meeting",
        entityId: meetingId,
        after: { user_id: voter.id, items: rows.length },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("You have already voted on this ballot", "approve");
    throw error;
  }
}

/** The scores the tie rule "higher_score" compares: each scored proposal's mean weighted total. */
async function groupMeans(trx: DB, groupId: string): Promise<Map<string, number | null>> {
  const group = await getGroupFacts(trx, groupId);
  if (!group) return new Map();
  const { means } = await meanScores(trx, group, PANEL_STATUSES);
  return new Map([...means].map(([id, m]) => [id, m.mean]));
}

/**
 * Closes the vote on one proposal and stores its result (with the quorum at
 * that moment) in vote_item.result. Votes by members now recused or not
 * present are left out of the tally. A tie under the chair's rule needs the
 * chair's casting vote (castingVote), given by the chair or recorded for them
 * by the administrator; without it nothing changes.
 */
export async function closeVote(
  db: DB,
  actor: Person,
  meetingId: string,
  proposalId: string,
  castingVote: "fund" | "dont_fund" | null,
): Promise<StoredVoteResult> {
  return inTransaction(db, async (trx) => {
    const meeting = await requireOpenMeeting(trx, meetingId);
    await requireMeetingRunner(trx, actor, meeting.decision_group_id);
    const item = await trx
      .selectFrom("vote_item")
      .innerJoin("proposal", "proposal.id", "vote_item.proposal_id")
      .select(["vote_item.id", "vote_item.status", "vote_item.opened_at", "proposal.reference"])
      .where("vote_item.meeting_id", "=", meetingId)
      .where("vote_item.proposal_id", "=", proposalId)
      .executeTakeFirst();
    if (!item) throw new DomainError("Voting on this proposal has not opened yet.");
    if (item.status !== "open") throw new DomainError(VOTING_CLOSED);
    const [fund, present, recused, votes, chairs, allVotes] = await Promise.all([
      trx
        .selectFrom("fund")
        .innerJoin("decision_group", "decision_group.fund_id", "fund.id")
        .select(["fund.quorum_min_present", "fund.composition_rules"])
        .where("decision_group.id", "=", meeting.decision_group_id)
        .executeTakeFirstOrThrow(),
      listPresentMembers(trx, meetingId),
      listRecusedPresent(trx, meetingId, proposalId),
      listCountableVotes(trx, [item.id]),
      chairIdsOf(trx, meeting.decision_group_id),
      trx
        .selectFrom("vote")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("vote_item_id", "=", item.id)
        .executeTakeFirstOrThrow(),
    ]);
    const presentIds = new Set(present.map((p) => p.id));
    const counted = votes.filter((v) => presentIds.has(v.user_id) && v.choice !== "approve");
    let scores: { proposalScore: number | null; groupScores: number[] } | null = null;
    if (meeting.tie_rule === "higher_score") {
      const means = await groupMeans(trx, meeting.decision_group_id);
      scores = { proposalScore: means.get(proposalId) ?? null, groupScores: [...means.values()].filter((m): m is number => m !== null) };
    }
    const chairId = chairs.find((id) => presentIds.has(id) && !recused.includes(id)) ?? chairs[0] ?? null;
    if (castingVote && !chairId)
      throw new DomainError("This group has no chair to give a casting vote. Ask the fund administrator to name one.", "castingVote");
    const tally = countProposalVotes({
      votes: counted.map((v) => ({ memberId: v.user_id, choice: v.choice as ProposalVoteChoice })),
      presentMemberIds: [...presentIds],
      recusedMemberIds: recused,
      tieRule: meeting.tie_rule,
      castingVote: castingVote && chairId ? { memberId: chairId, choice: castingVote } : null,
      scores,
    });
    if (tally.outcome === "awaiting_casting_vote") {
      throw new DomainError("The vote is tied. Choose the chair's casting vote, fund or don't fund, to close it.", "castingVote");
    }
    const quorum = quorumOf(present, { quorum_min_present: fund.quorum_min_present, compositionRules: parseCompositionRules(fund.composition_rules) }, recused);
    const closedAt = nowIso();
    const result: StoredVoteResult = {
      method: "per_proposal",
      reference: item.reference,
      counts: tally.counts,
      outcome: tally.outcome,
      decidedBy: tally.decidedBy,
      explanation: tally.explanation,
      tieRule: meeting.tie_rule,
      tieRuleText: TIE_RULE_TEXTS[meeting.tie_rule],
      castingVote: tally.decidedBy === "casting_vote" ? { memberId: chairId!, choice: castingVote! } : null,
      votesLeftOut: Number(allVotes.n) - counted.length,
      quorum: { ...quorum, checkedAt: closedAt },
      closedAt,
    };
    await trx
      .updateTable("vote_item")
      .set({ status: "closed", result: JSON.stringify(result), closed_at: closedAt })
      .where("id", "=", item.id)
      .execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "vote.closed",
      entityType: "vote_item",
      entityId: item.id,
      before: { status: "open" },
      after: { status: "closed", result },
    });
    return result;
  });
}

/**
 * Closes the approval ballot and stores each proposal's approvals and place
 * in its vote item's result. Approvals by members now recused or absent are
 * left out. Equal approvals are ordered by mean score under the tie rule
 * "higher_score"; under "chair" they are listed by reference and marked tied,
 * for the chair to settle when the decisions are recorded.
 */
export async function closeBallot(db: DB, actor: Person, meetingId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const meeting = await requireOpenMeeting(trx, meetingId);
    await requireMeetingRunner(trx, actor, meeting.decision_group_id);
    if (meeting.voting_method !== "approval") throw new DomainError("This fund votes on each proposal in turn, not by approval ballot.");
    const items = await trx
      .selectFrom("vote_item")
      .innerJoin("proposal", "proposal.id", "vote_item.proposal_id")
      .select(["vote_item.id", "vote_item.proposal_id", "vote_item.status", "proposal.reference"])
      .where("vote_item.meeting_id", "=", meetingId)
      .orderBy("proposal.reference")
      .execute();
    const open = items.filter((i) => i.status === "open");
    if (open.length === 0) throw new DomainError(items.length ? "The ballot has already closed." : "The ballot has not opened yet.");
    const [fund, present, votes] = await Promise.all([
      trx
        .selectFrom("fund")
        .innerJoin("decision_group", "decision_group.fund_id", "fund.id")
        .select(["fund.quorum_min_present", "fund.composition_rules"])
        .where("decision_group.id", "=", meeting.decision_group_id)
        .executeTakeFirstOrThrow(),
      listPresentMembers(trx, meetingId),
      listCountableVotes(
        trx,
        open.map((i) => i.id),
      ),
    ]);
    const presentIds = new Set(present.map((p) => p.id));
    const referenceOf = new Map(open.map((i) => [i.proposal_id, i.reference]));
    const ballots = new Map<string, string[]>();
    let leftOut = 0;
    for (const v of votes) {
      if (!presentIds.has(v.user_id)) {
        leftOut += 1;
        continue;
      }
      const list = ballots.get(v.user_id) ?? [];
      if (v.choice === "approve") list.push(referenceOf.get(v.proposal_id)!);
      ballots.set(v.user_id, list);
    }
    let tieBreakScores: Record<string, number | null> | undefined;
    if (meeting.tie_rule === "higher_score") {
      const means = await groupMeans(trx, meeting.decision_group_id);
      tieBreakScores = Object.fromEntries(open.map((i) => [i.reference, means.get(i.proposal_id) ?? null]));
    }
    const maxApprovals = meeting.approval_max ?? 1;
    const tally = tallyApprovals({
      proposals: open.map((i) => i.reference),
      ballots: [...ballots.entries()].map(([memberId, approvals]) => ({ memberId, approvals })),
      maxApprovals,
      tieBreakScores,
    });
    const quorum = quorumOf(present, { quorum_min_present: fund.quorum_min_present, compositionRules: parseCompositionRules(fund.composition_rules) });
    const closedAt = nowIso();
    const rule =
      meeting.tie_rule === "chair"
        ? `${tally.rule} Under the fund's tie rule, the chair settles between proposals with the same number of approvals when the decisions are recorded.`
        : tally.rule;
    const byReference = new Map(tally.rows.map((r) => [r.reference, r]));
    const results: { id: string; result: StoredVoteResult }[] = open.map((i) => {
      const row = byReference.get(i.reference)!;
      return {
        id: i.id,
        result: {
          method: "approval",
          reference: i.reference,
          approvals: row.approvals,
          position: row.position,
          isTied: row.isTied,
          ballotsCounted: tally.ballotsCounted,
          maxApprovals,
          explanation: `${row.approvals} of ${tally.ballotsCounted} ${tally.ballotsCounted === 1 ? "ballot" : "ballots"} approved this proposal, placing it ${row.position} of ${tally.rows.length}${row.isTied ? " (tied on approvals)" : ""}.`,
          rule,
          tieRule: meeting.tie_rule,
          tieRuleText: TIE_RULE_TEXTS[meeting.tie_rule],
          votesLeftOut: leftOut,
          quorum: { ...quorum, checkedAt: closedAt },
          closedAt,
        },
      };
    });
    for (const { id, result } of results) {
      await trx
        .updateTable("vote_item")
        .set({ status: "closed", result: JSON.stringify(result), closed_at: closedAt })
        .where("id", "=", id)
        .execute();
    }
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "ballot.closed",
      entityType: "meeting",
      entityId: meetingId,
      after: { rows: tally.rows, ballotsCounted: tally.ballotsCounted, rule, quorum },
    });
  });
}

import { inTransaction, type DB } from "../../db/client";
import type { DecisionOutcome, ProposalStatus } from "../../db/schema";
import { decisionNoticeText, decisionSubject, grantAmountProblem, namesIn, OUTCOME_ACTIONS } from "~/domain/decisions";
import { DomainError } from "~/domain/errors";
import { decisionDepartures, departureReasonProblem, panelVoteFrom } from "~/domain/decision-departures";
import { decisionRefusal } from "~/domain/scoring-guards";
import type { DecisionInput } from "~/domain/forms/decision";
import { GROUP_DECISION_FIELDS, rowField, RowProblems } from "~/domain/group-decisions";
import { can, recusalScope, type Actor } from "~/domain/permissions";
import { nextStatus } from "~/domain/proposal-status";
import { allocationView, getAllocationInputs, type AllocationPins } from "~/models/allocation.server";
import { runAllocation } from "~/utils/allocation-runner.server";
import { currentPanel } from "~/models/membership.server";
import { appendAuditEvent } from "~/models/audit.server";
import { listCriteria } from "~/models/fund.server";
import { DECISION_COLUMNS, fundedTotalOf, latestRecommendation, RECOMMENDATION_ACTION } from "~/models/decision.server";
import { getGroupFacts, groupScores, type GroupFacts } from "~/models/group-results.server";
import { getMeetingRecord } from "~/models/panel-support.server";
import { latestVotedMeetingId } from "~/models/decision-departures.server";
import { listUndecidedProposals } from "~/models/published-results.server";
import { publishRefusal } from "~/domain/publishing";
import { isRecused } from "~/models/recusal.server";
import { newId, nowIso } from "~/utils/ids.server";
import { notifyOrganisation } from "./notifications.server";
import { writeResultsSnapshot } from "./results-snapshot.server";
import type { Submission } from "~/domain/submissions";
import { inTransactionOnce } from "./submissions.server";

async function groupFor(trx: DB, actor: Actor, groupId: string): Promise<GroupFacts> {
  const group = await getGroupFacts(trx, groupId);
  if (!group) throw new DomainError("That decision group does not exist.");
  if (!can(actor, "decision.record", { type: "panel", decisionGroupId: group.id, chairIds: group.chairIds })) {
    throw new DomainError("Only a fund administrator or this group's chair can do that.");
  }
  return group;
}

const TEXT_FIELDS = [
  ["reason", "The reason"],
  ["feedback", "The feedback"],
  ["conditions", "The conditions"],
] as const;

/**
 * Records the panel's decision on one proposal, in one transaction: the
 * decision row (with the meeting's votes, attendance and quorum, and the
 * allocation it followed), the proposal's status (opening the review first if
 * it was still only eligible), the audit events, and the notice to the group.
 * A decision against the panel's vote or the adopted allocation needs a
 * departure reason (decisionDepartures), kept with it and published.
 * A reserve decision can be decided again, which replaces it. Throws a
 * DomainError (with the field to show it on) for anything the form must fix.
 */
export async function recordDecision(
  db: DB,
  actor: Actor,
  proposalId: string,
  input: Omit<DecisionInput, "proposalId" | "departureReason"> & { departureReason?: string },
  submission?: Submission | null,
): Promise<DecisionOutcome> {
  if (!input.reason.trim()) throw new DomainError("Write the reason for this decision: the applicant will read it", "reason");
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    const proposal = await trx
      .selectFrom("proposal")
      .select(["id", "reference", "title", "status", "organisation_id", "decision_group_id", "amount_requested_pence"])
      .where("id", "=", proposalId)
      .executeTakeFirst();
    if (!proposal) throw new DomainError("We could not find that proposal.");
    const group = await groupFor(trx, actor, proposal.decision_group_id);
    // A fund that scores decides on the panel's finished scores: not while its group's scoring is still open.
    const scoringRefusal = decisionRefusal({ scoringClosedAt: group.scoring_closed_at, usesScoring: (await listCriteria(trx, group.fund_id)).length > 0 });
    if (scoringRefusal) throw new DomainError(scoringRefusal);
    const recusal = recusalScope(actor);
    if (recusal.kind === "unless_recused" && (await isRecused(trx, recusal.userId, proposal.id))) {
      throw new DomainError("You declared an interest in this proposal, so you cannot decide it. Ask the fund administrator.");
    }

    const previous = await trx.selectFrom("decision").select(DECISION_COLUMNS).where("proposal_id", "=", proposal.id).executeTakeFirst();
    if (previous && previous.outcome !== "reserve") {
      throw new DomainError(
        `This proposal has already been decided (${previous.outcome === "funded" ? "funded" : "not funded"}). Only a decision to put a proposal on the reserve list can be decided again.`,
        "outcome",
      );
    }

    // Everything the form must fix is reported before anything is written.
    const members = await currentPanel(trx, group.id).select("user.name").execute();
    const names = members.map((m) => m.name);
    for (const [field, label] of TEXT_FIELDS) {
      const named = namesIn(input[field], names);
      if (named.length) {
        throw new DomainError(
          `${label} names a panel member (${named.join(", ")}). The applicant must not learn who scored or said what: describe what the panel thought instead.`,
          field,
        );
      }
    }
    if (input.outcome === "funded") {
      const alreadyFundedPence = await fundedTotalOf(trx, group.id, proposal.id);
      const problem = grantAmountProblem(input.amountPence ?? 0, {
        minGrantPence: group.min_grant_pence,
        maxGrantPence: group.max_grant_pence,
        potPence: group.pot_pence,
        alreadyFundedPence,
        askPence: proposal.amount_requested_pence,
      });
      if (problem) throw new DomainError(problem, "amount");
    }
    // With no meeting chosen, the latest meeting that voted on the proposal is recorded: its vote still counts.
    const meetingId = input.meetingId ?? (await latestVotedMeetingId(trx, group.id, proposal.id));
    const meeting = meetingId ? await getMeetingRecord(trx, group.id, meetingId, proposal.id) : null;
    if (input.meetingId && !meeting) throw new DomainError("Choose one of this group's meetings, or none", "meetingId");
    const recommendation = await latestRecommendation(trx, group.id);
    const allocation = recommendation
      ? {
          recommendationEventId: recommendation.eventId,
          isRecommended: proposal.id in recommendation.amounts,
          recommendedAmountPence: recommendation.amounts[proposal.id] ?? null,
        }
      : null;
    // Going against the panel's vote or the adopted allocation needs its own reason, which is published.
    const departures = decisionDepartures({
      outcome: input.outcome,
      amountPence: input.outcome === "funded" ? input.amountPence : null,
      vote: panelVoteFrom(meeting?.vote ?? null),
      allocation,
    });
    const departureReason = departures.length ? (input.departureReason ?? "").trim() : "";
    const departureProblem = departureReasonProblem(departures, departureReason);
    if (departureProblem) throw new DomainError(departureProblem, "departureReason");
    if (departureReason) {
      const named = namesIn(departureReason, names);
      if (named.length) {
        throw new DomainError(
          `The reason the decision differs names a panel member (${named.join(", ")}). It is published: describe what the panel thought instead.`,
          "departureReason",
        );
      }
    }

    let status: ProposalStatus = proposal.status;
    const stamp = nowIso();
    if (status === "eligible") {
      if (!can(actor, "proposal.open_review")) {
        throw new DomainError("The fund administrator must open the panel review of this proposal before the chair can decide it.", "outcome");
      }
      const opened = nextStatus("open_review", status, actor.role);
      await trx.updateTable("proposal").set({ status: opened, updated_at: stamp }).where("id", "=", proposal.id).execute();
      await appendAuditEvent(trx, {
        actor: actor.id,
        action: `proposal.status.${opened}`,
        entityType: "proposal",
        entityId: proposal.id,
        before: { status },
        after: { status: opened },
      });
      status = opened;
    }
    let to: ProposalStatus;
    try {
      to = nextStatus(OUTCOME_ACTIONS[input.outcome], status, actor.role);
    } catch (error) {
      if (error instanceof DomainError) throw new DomainError(error.message, "outcome");
      throw error;
    }

    const row = {
      proposal_id: proposal.id,
      meeting_id: meeting?.meetingId ?? null,
      outcome: input.outcome,
      amount_pence: input.outcome === "funded" ? input.amountPence : null,
      conditions: input.outcome === "funded" ? input.conditions : "",
      reason: input.reason,
      feedback: input.feedback,
      vote_counts: meeting?.vote ? JSON.stringify(meeting.vote) : null,
      attendance: meeting ? JSON.stringify(meeting.attendance) : null,
      quorum: meeting?.quorum ? JSON.stringify(meeting.quorum) : null,
      allocation: allocation ? JSON.stringify(allocation) : null,
      decided_by: actor.id,
      decided_at: stamp,
      departure_reason: departureReason,
    };
    let decisionId: string;
    if (previous) {
      decisionId = previous.id;
      await trx.updateTable("decision").set(row).where("id", "=", previous.id).execute();
    } else {
      decisionId = newId();
      await trx
        .insertInto("decision")
        .values({ id: decisionId, ...row })
        .execute();
    }
    await trx.updateTable("proposal").set({ status: to, updated_at: stamp }).where("id", "=", proposal.id).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: `proposal.status.${to}`,
      entityType: "proposal",
      entityId: proposal.id,
      before: { status },
      after: { status: to, reason: input.reason },
    });
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "decision.recorded",
      entityType: "decision",
      entityId: decisionId,
      before: previous ?? null,
      after: {
        id: decisionId,
        ...row,
        isQuorate: meeting?.quorum ? meeting.quorum.isQuorate : null,
        departsFrom: departures.map((d) => d.from),
      },
    });
    await notifyOrganisation(
      trx,
      proposal.organisation_id,
      { id: proposal.id, reference: proposal.reference, title: proposal.title },
      decisionSubject(input.outcome),
      decisionNoticeText(proposal.title || proposal.reference, {
        outcome: input.outcome,
        amountPence: row.amount_pence,
        conditions: row.conditions,
        reason: input.reason,
        feedback: input.feedback,
      }),
    );
    return input.outcome;
  });
}

/**
 * Records the allocation (for these pins) as the recommendation the decisions
 * form is pre-filled from. It is worked out again here, from the database,
 * so what is recorded is what the rules give, not what a form said. The
 * search runs before the transaction, so it never holds the write lock; the
 * short transaction then checks that nothing it was worked out from changed
 * meanwhile, and refuses if something did.
 */
export async function adoptAllocation(db: DB, actor: Actor, groupId: string, pins: AllocationPins): Promise<void> {
  const scoresClosedFirst = (group: GroupFacts) => {
    // The recommendation is ranked by scores: nobody records it before they may see them.
    if (!can(actor, "scores.read", groupScores(group))) {
      throw new DomainError("The allocation is worked out from the panel's scores, so it can be used once scoring has closed for the group.");
    }
  };
  const group = await groupFor(db, actor, groupId);
  scoresClosedFirst(group);
  const inputs = await getAllocationInputs(db, actor, group, pins, { isForRecord: true });
  const view = allocationView(inputs, await runAllocation(inputs.candidates, inputs.rules, { pinnedIn: inputs.pinnedIn, pinnedOut: inputs.pinnedOut }));
  if (!view.result.isFeasible) throw new DomainError(view.result.reason, "in");
  const result = view.result;
  await inTransaction(db, async (trx) => {
    const current = await groupFor(trx, actor, groupId);
    scoresClosedFirst(current);
    const now = await getAllocationInputs(trx, actor, current, pins, { isForRecord: true });
    if (now.fingerprint !== inputs.fingerprint) {
      throw new DomainError(
        "Scores, votes or decisions for this group changed while the allocation was worked out. Look at the new recommendation, then use it again.",
        "in",
      );
    }
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: RECOMMENDATION_ACTION,
      entityType: "decision_group",
      entityId: group.id,
      after: {
        basis: view.basis,
        availablePence: view.availablePence,
        pinnedIn: view.pins.pinnedIn,
        pinnedOut: view.pins.pinnedOut,
        amounts: result.amounts,
        leftoverPence: result.optimum.leftoverPence,
        ...(result.isProvenOptimal ? {} : { isProvenOptimal: false, maxShortfall: result.maxShortfall }),
      },
    });
  });
}

/**
 * Publishes the fund's results to the public (refused while any proposal waits for a decision), with a snapshot
 * of them that the public pages show, or takes them down. Publishing again takes a new snapshot. Administrators only.
 */
export async function setResultsPublished(db: DB, actor: Actor, fundId: string, isPublished: boolean): Promise<void> {
  if (!can(actor, "fund.manage")) throw new DomainError("Only a fund administrator can publish results.");
  await inTransaction(db, async (trx) => {
    const fund = await trx.selectFrom("fund").select(["id", "results_published_at"]).where("id", "=", fundId).executeTakeFirst();
    if (!fund) throw new DomainError("That fund does not exist.");
    if (Boolean(fund.results_published_at) === isPublished) {
      throw new DomainError(isPublished ? "The results are already published." : "The results are not published.", "intent");
    }
    // Published results with proposals still undecided would tell those groups nothing: refuse, naming them.
    const refusal = isPublished ? publishRefusal(await listUndecidedProposals(trx, fund.id)) : null;
    if (refusal) throw new DomainError(refusal, "intent");
    const after = isPublished ? nowIso() : null;
    await trx.updateTable("fund").set({ results_published_at: after }).where("id", "=", fundId).execute();
    // The public pages show the results as they are now, even if a decision changes later (docs/decisions/0035).
    const snapshot = isPublished ? await writeResultsSnapshot(trx, fundId) : null;
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: isPublished ? "fund.results_published" : "fund.results_unpublished",
      entityType: "fund",
      entityId: fundId,
      before: { results_published_at: fund.results_published_at },
      after: { results_published_at: after, ...(snapshot ? { snapshot_version: snapshot.version, snapshot_hash: snapshot.hash } : {}) },
    });
  });
}

/**
 * Records the decisions for a whole group in one step (the group's one-step
 * form), in one transaction: each row goes through recordDecision, with every
 * guard rail it has (scoring closed, recusal, the pot, a reason for a decision
 * that departs from the vote or the allocation), and its own audit events and
 * notice. Any row that fails leaves nothing written: a RowProblems error
 * names each row's problem on its field. Needs an adopted allocation, since
 * the rows are filled in from it. Returns how many were recorded.
 */
export async function recordGroupDecisions(
  db: DB,
  actor: Actor,
  groupId: string,
  rows: readonly DecisionInput[],
  submission?: Submission | null,
): Promise<{ count: number; fundedPence: number }> {
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    const group = await groupFor(trx, actor, groupId);
    const scoringRefusal = decisionRefusal({ scoringClosedAt: group.scoring_closed_at, usesScoring: (await listCriteria(trx, group.fund_id)).length > 0 });
    if (scoringRefusal) throw new DomainError(scoringRefusal);
    const recommendation = await latestRecommendation(trx, group.id);
    if (!recommendation) throw new DomainError("Choose an allocation on the allocation page first: the decisions are filled in from it.");
    const ids = [...new Set(rows.map((r) => r.proposalId))];
    const proposals = ids.length ? await trx.selectFrom("proposal").select(["id", "reference", "decision_group_id"]).where("id", "in", ids).execute() : [];
    const byId = new Map(proposals.map((p) => [p.id, p]));
    const errors: Record<string, string> = {};
    const seen = new Set<string>();
    for (const [index, row] of rows.entries()) {
      const proposal = byId.get(row.proposalId);
      if (!proposal || proposal.decision_group_id !== group.id) {
        errors[rowField(index, "outcome")] = "This proposal is not one of this group's. Reload the page.";
        continue;
      }
      if (seen.has(proposal.id)) {
        errors[rowField(index, "outcome")] = `${proposal.reference} is listed twice. Reload the page.`;
        continue;
      }
      seen.add(proposal.id);
      const { proposalId, ...input } = row;
      try {
        // Inside this transaction recordDecision runs in it (inTransaction nests), so a later row sees the pot the earlier rows used.
        await recordDecision(trx, actor, proposalId, input);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const field = (GROUP_DECISION_FIELDS as readonly string[]).includes(error.field ?? "") ? error.field! : "outcome";
        errors[rowField(index, field)] = `${proposal.reference}: ${error.message}`;
      }
    }
    // Rolls back every row already written, and the submission key with them.
    if (Object.keys(errors).length) throw new RowProblems(errors);
    const fundedPence = rows.reduce((sum, r) => sum + (r.outcome === "funded" ? (r.amountPence ?? 0) : 0), 0);
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "decisions.recorded_for_group",
      entityType: "decision_group",
      entityId: group.id,
      after: { count: rows.length, proposalIds: ids, fundedPence, recommendationEventId: recommendation.eventId },
    });
    return { count: rows.length, fundedPence };
  });
}

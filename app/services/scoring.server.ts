import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import { can, type Actor } from "~/domain/permissions";
import { nextStatus, STATUS_LABELS } from "~/domain/proposal-status";
import { openReviewRefusal } from "~/domain/scoring-guards";
import type { ScoreSheetInput } from "~/domain/score-sheet";
import { appendAuditEvent } from "~/models/audit.server";
import { listCriteria } from "~/models/fund.server";
import { queueEmail } from "~/models/outbox.server";
import { findPanelProposal, listPanelWork, SCORABLE_STATUSES } from "~/models/scoring.server";
import { getEnv } from "~/utils/env.server";
import { newId, nowIso } from "~/utils/ids.server";
import { notifyOrganisation } from "./notifications.server";
import type { Submission } from "~/domain/submissions";
import { inTransactionOnce } from "./submissions.server";

export const SUBMITTED_MESSAGE =
  "You have already submitted your scores for this proposal, so they cannot be changed. If you need to change them, ask the fund administrator to reopen your score sheet.";

/**
 * Saves a panel member's score sheet as a draft, or submits it, which locks
 * it. Throws a DomainError when the member is recused, scoring has closed,
 * the sheet is already submitted, or a mark is missing or out of range.
 */
export async function saveScoreSheet(
  db: DB,
  actor: Actor,
  proposalId: string,
  input: ScoreSheetInput,
  submit: boolean,
  submission?: Submission | null,
): Promise<void> {
  if (!can(actor, "proposal.score")) throw new DomainError("Only panel members score proposals. Advisers give written input instead.");
  await inTransactionOnce(db, actor.id, submission, async (trx) => {
    // Recusal is part of this query's WHERE clause.
    const proposal = await findPanelProposal(trx, actor, proposalId);
    if (!proposal) throw new DomainError("We could not find that proposal, or you have declared an interest in it and take no part.");
    if (!SCORABLE_STATUSES.includes(proposal.status)) throw new DomainError(`This proposal is "${STATUS_LABELS[proposal.status]}", so it is no longer scored.`);
    if (proposal.scoring_closed_at) throw new DomainError("Scoring has closed for this decision group, so scores can no longer be saved.");
    // The member's own sheet, in their group, not recused (the query), while scoring is open: the policy's score_sheet.save.
    const sheet = { type: "score_sheet" as const, decisionGroupId: proposal.decision_group_id, ownerId: actor.id, scoringClosed: false, isRecused: false };
    if (!can(actor, "score_sheet.save", sheet)) throw new DomainError("Only a member of this group's panel can score its proposals.");
    const criteria = await listCriteria(trx, proposal.fundId);
    if (criteria.length === 0) throw new DomainError("This fund has no scoring criteria yet. Ask the fund administrator.");
    const known = new Set(criteria.map((c) => c.id));
    for (const [criterionId, mark] of Object.entries(input.marks)) {
      if (!known.has(criterionId)) throw new DomainError("One of the scores is for a criterion this fund does not use. Reload the page and try again.");
      if (!Number.isInteger(mark) || mark < 0 || mark > proposal.score_scale_max) {
        throw new DomainError(`Scores must be whole numbers from 0 to ${proposal.score_scale_max}`, `mark-${criterionId}`);
      }
    }
    if (submit) {
      const missing = criteria.find((c) => input.marks[c.id] === undefined);
      if (missing) throw new DomainError(`Choose a score for "${missing.name}"`, `mark-${missing.id}`);
    }

    const stamp = nowIso();
    const existing = await trx
      .selectFrom("score_sheet")
      .select(["id", "overall_comment", "submitted_at"])
      .where("proposal_id", "=", proposal.id)
      .where("user_id", "=", actor.id)
      .executeTakeFirst();
    if (existing?.submitted_at) throw new DomainError(SUBMITTED_MESSAGE);
    const before = existing
      ? {
          overall_comment: existing.overall_comment,
          scores: await trx
            .selectFrom("score")
            .select(["criterion_id", "mark", "comment"])
            .where("score_sheet_id", "=", existing.id)
            .orderBy("criterion_id")
            .execute(),
        }
      : null;
    const sheetId = existing?.id ?? newId();
    const submittedAt = submit ? stamp : null;
    if (existing) {
      await trx
        .updateTable("score_sheet")
        .set({ overall_comment: input.overall, submitted_at: submittedAt, updated_at: stamp })
        .where("id", "=", sheetId)
        .execute();
      await trx.deleteFrom("score").where("score_sheet_id", "=", sheetId).execute();
    } else {
      await trx
        .insertInto("score_sheet")
        .values({ id: sheetId, proposal_id: proposal.id, user_id: actor.id, overall_comment: input.overall, submitted_at: submittedAt, updated_at: stamp })
        .execute();
    }
    const scores = criteria
      .filter((c) => input.marks[c.id] !== undefined)
      .map((c) => ({ id: newId(), score_sheet_id: sheetId, criterion_id: c.id, mark: input.marks[c.id]!, comment: input.comments[c.id] ?? "" }));
    if (scores.length) await trx.insertInto("score").values(scores).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: submit ? "score_sheet.submitted" : "score_sheet.draft_saved",
      entityType: "score_sheet",
      entityId: sheetId,
      before,
      after: {
        proposal_id: proposal.id,
        overall_comment: input.overall,
        submitted_at: submittedAt,
        scores: scores.map(({ criterion_id, mark, comment }) => ({ criterion_id, mark, comment })),
      },
    });
  });
}

function assertAdmin(actor: Actor) {
  if (!can(actor, "scoring.oversee")) throw new DomainError("Only the fund administrator can do that.");
}

/** Unlocks a member's submitted score sheet so they can change it; the reason is recorded and sent to them. */
export async function reopenScoreSheet(db: DB, admin: Actor, sheetId: string, reason: string): Promise<void> {
  assertAdmin(admin);
  const why = reason.trim();
  if (!why) throw new DomainError("Give the reason for reopening the score sheet", "reason");
  await inTransaction(db, async (trx) => {
    const sheet = await trx
      .selectFrom("score_sheet")
      .innerJoin("proposal", "proposal.id", "score_sheet.proposal_id")
      .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
      .innerJoin("user", "user.id", "score_sheet.user_id")
      .select([
        "score_sheet.id",
        "score_sheet.submitted_at",
        "proposal.id as proposalId",
        "proposal.reference",
        "proposal.title",
        "decision_group.scoring_closed_at",
        "user.email",
        "user.name",
      ])
      .where("score_sheet.id", "=", sheetId)
      .executeTakeFirst();
    if (!sheet) throw new DomainError("Choose a submitted score sheet from the list", "sheetId");
    if (!sheet.submitted_at) throw new DomainError(`${sheet.name}'s score sheet for ${sheet.reference} is not submitted, so it is already open.`, "sheetId");
    if (sheet.scoring_closed_at) throw new DomainError("Scoring has closed for this decision group, so score sheets can no longer be reopened.", "sheetId");
    await trx.updateTable("score_sheet").set({ submitted_at: null, updated_at: nowIso() }).where("id", "=", sheet.id).execute();
    await appendAuditEvent(trx, {
      actor: admin.id,
      action: "score_sheet.reopened",
      entityType: "score_sheet",
      entityId: sheet.id,
      before: { submitted_at: sheet.submitted_at },
      after: { submitted_at: null, reason: why },
    });
    await queueEmail(trx, {
      to: sheet.email,
      subject: `Your scores for ${sheet.reference} have been reopened`,
      text: [
        `Hello ${sheet.name},`,
        "",
        `The fund administrator has reopened your score sheet for ${sheet.reference} "${sheet.title}", so you can change your scores and submit them again.`,
        "",
        `Reason: ${why}`,
        "",
        `Your score sheet: ${getEnv().APP_URL}/panel/proposals/${sheet.proposalId}`,
      ].join("\n"),
    });
  });
}

/** Emails each panel member who has proposals left to score (one email each, audited); returns how many were sent. */
export async function sendScoringReminders(db: DB, admin: Actor, groupId: string): Promise<number> {
  assertAdmin(admin);
  return inTransaction(db, async (trx) => {
    const group = await trx.selectFrom("decision_group").select(["id", "name", "scoring_closed_at"]).where("id", "=", groupId).executeTakeFirst();
    if (!group) throw new DomainError("That decision group does not exist.");
    if (group.scoring_closed_at) throw new DomainError("Scoring has closed for this decision group, so there is nothing to remind members about.");
    const work = await listPanelWork(trx, groupId);
    const left = new Map<string, { total: number; unfinished: number }>();
    for (const w of work) {
      const entry = left.get(w.userId) ?? { total: 0, unfinished: 0 };
      entry.total += 1;
      if (!w.submitted_at) entry.unfinished += 1;
      left.set(w.userId, entry);
    }
    const ids = [...left].filter(([, e]) => e.unfinished > 0).map(([id]) => id);
    if (!ids.length) return 0;
    const members = await trx.selectFrom("user").select(["id", "name", "email"]).where("id", "in", ids).orderBy("name").execute();
    for (const member of members) {
      const { total, unfinished } = left.get(member.id)!;
      await queueEmail(trx, {
        to: member.email,
        subject: `Reminder: ${unfinished} proposal${unfinished === 1 ? "" : "s"} left to score for ${group.name}`,
        text: [
          `Hello ${member.name},`,
          "",
          `You have submitted scores for ${total - unfinished} of the ${total} proposals you are scoring for ${group.name}. ${unfinished} ${unfinished === 1 ? "is" : "are"} still to do.`,
          "",
          `Your scoring queue: ${getEnv().APP_URL}/panel`,
        ].join("\n"),
      });
      await appendAuditEvent(trx, {
        actor: admin.id,
        action: "scoring.reminder_sent",
        entityType: "user",
        entityId: member.id,
        after: { decision_group_id: groupId, unfinished, total },
      });
    }
    return members.length;
  });
}

/** Closes scoring for a decision group: sheets can no longer change, and every member may see the panel's scores. */
export async function closeScoring(db: DB, admin: Actor, groupId: string): Promise<void> {
  assertAdmin(admin);
  await inTransaction(db, async (trx) => {
    const group = await trx.selectFrom("decision_group").select(["id", "scoring_closed_at"]).where("id", "=", groupId).executeTakeFirst();
    if (!group) throw new DomainError("That decision group does not exist.");
    if (group.scoring_closed_at) throw new DomainError("Scoring has already closed for this decision group.");
    const stamp = nowIso();
    await trx.updateTable("decision_group").set({ scoring_closed_at: stamp }).where("id", "=", groupId).execute();
    await appendAuditEvent(trx, {
      actor: admin.id,
      action: "decision_group.scoring_closed",
      entityType: "decision_group",
      entityId: groupId,
      before: { scoring_closed_at: null },
      after: { scoring_closed_at: stamp },
    });
  });
}

/** Opens every eligible proposal in the group for panel review (eligible → under review); returns how many. */
export async function openGroupForReview(db: DB, admin: Actor, groupId: string): Promise<number> {
  assertAdmin(admin);
  return inTransaction(db, async (trx) => {
    const group = await trx.selectFrom("decision_group").select(["fund_id", "scoring_closed_at"]).where("id", "=", groupId).executeTakeFirst();
    if (!group) throw new DomainError("That decision group does not exist.");
    // A proposal opened after scoring closed could never be scored, and would reach the decisions unscored.
    const refusal = openReviewRefusal({ scoringClosedAt: group.scoring_closed_at, usesScoring: (await listCriteria(trx, group.fund_id)).length > 0 });
    if (refusal) throw new DomainError(refusal);
    const proposals = await trx
      .selectFrom("proposal")
      .select(["id", "reference", "title", "status", "organisation_id"])
      .where("decision_group_id", "=", groupId)
      .where("status", "=", "eligible")
      .orderBy("reference")
      .execute();
    if (!proposals.length) throw new DomainError("There are no eligible proposals in this decision group waiting to be opened for review.");
    const stamp = nowIso();
    for (const p of proposals) {
      const to = nextStatus("open_review", p.status, admin.role);
      await trx.updateTable("proposal").set({ status: to, updated_at: stamp }).where("id", "=", p.id).execute();
      await appendAuditEvent(trx, {
        actor: admin.id,
        action: `proposal.status.${to}`,
        entityType: "proposal",
        entityId: p.id,
        before: { status: p.status },
        after: { status: to },
      });
      await notifyOrganisation(
        trx,
        p.organisation_id,
        { id: p.id, reference: p.reference, title: p.title },
        "Your proposal is with the decision panel",
        `Your proposal "${p.title}" is now: ${STATUS_LABELS[to]}. The panel is reading and scoring it. They may ask you questions, which you can answer on the proposal's page.`,
      );
    }
    return proposals.length;
  });
}

import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import { can, recusalScope, type Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { queueEmail } from "~/models/outbox.server";
import { findPanelProposal, SCORABLE_STATUSES } from "~/models/scoring.server";
import { getEnv } from "~/utils/env.server";
import { newId, nowIso } from "~/utils/ids.server";
import { notifyOrganisation } from "./notifications.server";
import type { Submission } from "~/domain/submissions";
import { inTransactionOnce } from "./submissions.server";

/** A panel member (not recused) or an administrator asks the applicant a question; the group is told. */
export async function askQuestion(db: DB, actor: Actor, proposalId: string, body: string, submission?: Submission | null): Promise<string> {
  if (!can(actor, "proposal.ask_question")) throw new DomainError("Only panel members and the fund administrator ask applicants questions.");
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    // The administrator asks about any proposal; a panel member only one of their group's they are not recused from.
    const proposal =
      recusalScope(actor).kind === "everything"
        ? await trx.selectFrom("proposal").select(["id", "reference", "title", "status", "organisation_id"]).where("id", "=", proposalId).executeTakeFirst()
        : await findPanelProposal(trx, actor, proposalId);
    if (!proposal) throw new DomainError("We could not find that proposal, or you have declared an interest in it and take no part.");
    if (!SCORABLE_STATUSES.includes(proposal.status)) throw new DomainError("Questions can only be asked while the panel is reviewing the proposal.");
    const row = {
      id: newId(),
      proposal_id: proposal.id,
      asked_by: actor.id,
      body: body.trim(),
      asked_at: nowIso(),
      answer: null,
      answered_by: null,
      answered_at: null,
    };
    await trx.insertInto("clarification_question").values(row).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "question.asked",
      entityType: "clarification_question",
      entityId: row.id,
      after: { proposal_id: row.proposal_id, body: row.body },
    });
    await notifyOrganisation(
      trx,
      proposal.organisation_id,
      { id: proposal.id, reference: proposal.reference, title: proposal.title },
      "The decision panel has a question",
      `The decision panel has asked a question about your proposal "${proposal.title}":\n\n${row.body}\n\nYou can answer it on the proposal's page.`,
    );
    return row.id;
  });
}

/** The applicant answers an open question on their organisation's proposal; whoever asked is emailed. */
export async function answerQuestion(db: DB, actor: Actor, questionId: string, answer: string): Promise<string> {
  if (!can(actor, "question.answer")) throw new DomainError("Only the applicant group answers the panel's questions.");
  return inTransaction(db, async (trx) => {
    // Ownership is in the WHERE clause: the question must be on this applicant's organisation's proposal.
    const question = await trx
      .selectFrom("clarification_question as q")
      .innerJoin("proposal", "proposal.id", "q.proposal_id")
      .innerJoin("user as asker", "asker.id", "q.asked_by")
      // Whether the asker sits on this proposal's panel, for the link in their email.
      .leftJoin("membership as panel", (join) =>
        join
          .onRef("panel.user_id", "=", "q.asked_by")
          .onRef("panel.decision_group_id", "=", "proposal.decision_group_id")
          .on("panel.role", "=", "panel_member"),
      )
      .select([
        "q.id",
        "q.body",
        "q.answer",
        "proposal.id as proposalId",
        "proposal.reference",
        "proposal.title",
        "asker.email as askerEmail",
        "asker.name as askerName",
        "panel.id as askerPanelMembershipId",
      ])
      .where("q.id", "=", questionId)
      .where("proposal.organisation_id", "=", actor.organisationId ?? "")
      .executeTakeFirst();
    if (!question) throw new DomainError("We could not find that question.");
    if (question.answer !== null) throw new DomainError("This question has already been answered.");
    const stamp = nowIso();
    const text = answer.trim();
    await trx.updateTable("clarification_question").set({ answer: text, answered_by: actor.id, answered_at: stamp }).where("id", "=", question.id).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "question.answered",
      entityType: "clarification_question",
      entityId: question.id,
      before: { answer: null },
      after: { answer: text, answered_at: stamp },
    });
    const link = question.askerPanelMembershipId ? `/panel/proposals/${question.proposalId}#questions` : `/admin/proposals/${question.proposalId}`;
    await queueEmail(trx, {
      to: question.askerEmail,
      subject: `Your question on ${question.reference} has been answered`,
      text: [`Hello ${question.askerName},`, "", `You asked: ${question.body}`, "", `The applicant answered: ${text}`, "", `${getEnv().APP_URL}${link}`].join(
        "\n",
      ),
    });
    return question.proposalId;
  });
}

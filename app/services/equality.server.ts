import { randomUUID } from "node:crypto";
import { inTransaction, type DB } from "../../db/client";
import { PREFER_NOT_TO_SAY, type EqualityRoleGroup } from "~/domain/equality";
import { DomainError } from "~/domain/errors";
import { answerField, KEEP_WITH_VOTE_FIELD, referenceField, type EqualityQuestionInput } from "~/domain/forms/equality";
import { can, type Actor } from "~/domain/permissions";
import type { Submission } from "~/domain/submissions";
import { appendAuditEvent } from "~/models/audit.server";
import { equalityRoleGroupsFor } from "~/models/equality.server";
import { newId, nowIso } from "~/utils/ids.server";
import { inTransactionOnce } from "./submissions.server";

/** The audit trail says an answer came in for the fund, never from whom (docs/decisions/0030). */
export const ANONYMOUS_ACTOR = "anonymous";

function requireAdmin(actor: Actor) {
  if (!can(actor, "fund.manage")) throw new DomainError("Only a fund administrator can set up equality monitoring.");
}

async function requireFund(trx: DB, fundId: string) {
  const fund = await trx.selectFrom("fund").select("id").where("id", "=", fundId).executeTakeFirst();
  if (!fund) throw new DomainError("That fund does not exist.");
  return fund;
}

/** An administrator adds a question with its options; "Prefer not to say" is always added last. */
export async function addEqualityQuestion(db: DB, actor: Actor, fundId: string, input: EqualityQuestionInput, submission?: Submission | null): Promise<string> {
  requireAdmin(actor);
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    await requireFund(trx, fundId);
    const last = await trx
      .selectFrom("equality_question")
      .select((eb) => eb.fn.max("position").as("position"))
      .where("fund_id", "=", fundId)
      .executeTakeFirst();
    const question = { id: newId(), fund_id: fundId, text: input.text, position: Number(last?.position ?? 0) + 1, created_by: actor.id, created_at: nowIso() };
    await trx.insertInto("equality_question").values(question).execute();
    const options = [...input.options, PREFER_NOT_TO_SAY].map((label, i) => ({
      id: newId(),
      question_id: question.id,
      label,
      position: i + 1,
      is_prefer_not_to_say: (i === input.options.length ? 1 : 0) as 0 | 1,
      reference_tenths: null,
    }));
    await trx.insertInto("equality_option").values(options).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "equality.question_added",
      entityType: "equality_question",
      entityId: question.id,
      after: { fund_id: fundId, text: question.text, options: options.map((o) => o.label) },
    });
    return question.id;
  });
}

/** An administrator enters the area's figures for one question's options (tenths of a percent; null for not known). */
export async function setReferenceFigures(db: DB, actor: Actor, fundId: string, questionId: string, figures: Record<string, number | null>): Promise<void> {
  requireAdmin(actor);
  await inTransaction(db, async (trx) => {
    const question = await trx.selectFrom("equality_question").select("id").where("id", "=", questionId).where("fund_id", "=", fundId).executeTakeFirst();
    if (!question) throw new DomainError("That question is not part of this fund.");
    const options = await trx.selectFrom("equality_option").select(["id", "reference_tenths"]).where("question_id", "=", question.id).execute();
    const total = options.reduce((s, o) => s + (figures[o.id] ?? 0), 0);
    if (total > 1000) throw new DomainError("The area's figures must add up to 100% or less.", options[0] ? referenceField(options[0].id) : undefined);
    for (const o of options) {
      const value = figures[o.id] ?? null;
      if (value !== null && (!Number.isInteger(value) || value < 0 || value > 1000))
        throw new DomainError("Enter a percentage from 0 to 100.", referenceField(o.id));
      if (value !== o.reference_tenths) await trx.updateTable("equality_option").set({ reference_tenths: value }).where("id", "=", o.id).execute();
    }
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "equality.reference_figures_set",
      entityType: "equality_question",
      entityId: question.id,
      before: Object.fromEntries(options.map((o) => [o.id, o.reference_tenths])),
      after: Object.fromEntries(options.map((o) => [o.id, figures[o.id] ?? null])),
    });
  });
}

/** Checks each choice names an option of its question; the rows to write. */
async function choiceRows(trx: DB, fundId: string, responseId: string, choices: Record<string, string>) {
  const entries = Object.entries(choices);
  if (entries.length === 0) return [];
  const options = await trx
    .selectFrom("equality_option as o")
    .innerJoin("equality_question as q", "q.id", "o.question_id")
    .select(["o.id", "o.question_id"])
    .where("q.fund_id", "=", fundId)
    .where(
      "o.id",
      "in",
      entries.map(([, optionId]) => optionId),
    )
    .execute();
  return entries.map(([questionId, optionId]) => {
    if (!options.some((o) => o.id === optionId && o.question_id === questionId)) {
      throw new DomainError("Choose one of the answers, or leave it blank", answerField(questionId));
    }
    return { response_id: responseId, question_id: questionId, option_id: optionId };
  });
}

/** The answer itself: a random id, the fund and the group, no person and no time. */
async function insertAnonymousAnswer(trx: DB, fundId: string, roleGroup: EqualityRoleGroup | "voter", choices: Record<string, string>): Promise<string> {
  const responseId = randomUUID();
  const rows = await choiceRows(trx, fundId, responseId, choices);
  await trx.insertInto("equality_response").values({ id: responseId, fund_id: fundId, role_group: roleGroup }).execute();
  if (rows.length) await trx.insertInto("equality_response_choice").values(rows).execute();
  return responseId;
}

/**
 * A panel member or applicant of the fund answers, once per group they belong
 * to. The answer is stored without them; that they answered is stored apart,
 * with nothing that links the two. The audit event names the fund only.
 */
export async function recordEqualityAnswer(
  db: DB,
  person: { id: string },
  fundId: string,
  input: { as: EqualityRoleGroup; choices: Record<string, string> },
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await requireFund(trx, fundId);
    const hasQuestions = await trx.selectFrom("equality_question").select("id").where("fund_id", "=", fundId).executeTakeFirst();
    if (!hasQuestions) throw new DomainError("There are no questions for this fund yet.");
    const groups = await equalityRoleGroupsFor(trx, fundId, person.id);
    if (!groups.includes(input.as)) {
      throw new DomainError(
        input.as === "panel" ? "Only this fund's panel members can answer as a panel member." : "Only this fund's applicants can answer as an applicant.",
        "as",
      );
    }
    const already = await trx
      .selectFrom("equality_participation")
      .select("fund_id")
      .where("fund_id", "=", fundId)
      .where("user_id", "=", person.id)
      .where("role_group", "=", input.as)
      .executeTakeFirst();
    if (already) throw new DomainError("You have already answered these questions. Thank you.");
    await insertAnonymousAnswer(trx, fundId, input.as, input.choices);
    await trx.insertInto("equality_participation").values({ fund_id: fundId, user_id: person.id, role_group: input.as }).execute();
    await appendAuditEvent(trx, {
      actor: ANONYMOUS_ACTOR,
      action: "equality.answer_recorded",
      entityType: "fund",
      entityId: fundId,
      after: { note: "An equality answer was recorded for this fund" },
    });
  });
}

/** Said when a voter ticks the box to keep their answers with their vote after the votes have been counted. */
export const KEEP_AFTER_COUNT =
  "The votes have been counted, so your answers can no longer be used to show how the money was shared. Untick the box to send your answers.";

/**
 * A community ballot's voter answers the fund's equality questions after
 * voting, once. As for panel members and applicants, the answer holds no voter
 * and no time, and that they answered is kept apart (docs/decisions/0044).
 *
 * Only if the voter ticks the box (`keepWithVote`, never by default) is the
 * answer also linked to them, and so to their counted ballot, until the count
 * (docs/decisions/0055): a voter_equality_link row in the same transaction.
 * Refused once the votes have been counted; with no answer given there is
 * nothing to link and no link is kept. The audit event says only that the
 * voter agreed, never the answer or the voter.
 */
export async function recordVoterEqualityAnswer(
  db: DB,
  voterId: string,
  fundId: string,
  choices: Record<string, string>,
  options: { keepWithVote?: boolean } = {},
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const voted = await trx
      .selectFrom("ballot_paper")
      .innerJoin("community_ballot", "community_ballot.id", "ballot_paper.ballot_id")
      .select(["ballot_paper.id", "community_ballot.id as ballotId"])
      .where("ballot_paper.voter_id", "=", voterId)
      .where("community_ballot.fund_id", "=", fundId)
      .executeTakeFirst();
    if (!voted) throw new DomainError("Vote first. These questions come after your vote.");
    const already = await trx.selectFrom("ballot_voter_equality").select("voter_id").where("voter_id", "=", voterId).executeTakeFirst();
    if (already) throw new DomainError("You have already answered these questions. Thank you.");
    const isLinked = Boolean(options.keepWithVote) && Object.keys(choices).length > 0;
    if (isLinked) {
      const counted = await trx.selectFrom("ballot_result").select("ballot_id").where("ballot_id", "=", voted.ballotId).executeTakeFirst();
      if (counted) throw new DomainError(KEEP_AFTER_COUNT, KEEP_WITH_VOTE_FIELD);
    }
    const responseId = await insertAnonymousAnswer(trx, fundId, "voter", choices);
    await trx.insertInto("ballot_voter_equality").values({ voter_id: voterId }).execute();
    if (isLinked) await trx.insertInto("voter_equality_link").values({ response_id: responseId, fund_id: fundId, voter_id: voterId }).execute();
    await appendAuditEvent(trx, {
      actor: ANONYMOUS_ACTOR,
      action: "equality.answer_recorded",
      entityType: "fund",
      entityId: fundId,
      after: isLinked
        ? { note: "An equality answer was recorded for this fund, and the voter agreed to keep it with their vote until the count" }
        : { note: "An equality answer was recorded for this fund" },
    });
  });
}

/** An administrator types in a paper form handed in at a meeting or drop-in: stored the same anonymous way. */
export async function recordPaperEqualityAnswer(
  db: DB,
  actor: Actor,
  fundId: string,
  input: { as: EqualityRoleGroup; choices: Record<string, string> },
  submission?: Submission | null,
): Promise<void> {
  requireAdmin(actor);
  await inTransactionOnce(db, actor.id, submission, async (trx) => {
    await requireFund(trx, fundId);
    await insertAnonymousAnswer(trx, fundId, input.as, input.choices);
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "equality.paper_answer_recorded",
      entityType: "fund",
      entityId: fundId,
      after: { note: "A paper equality form was typed in for this fund" },
    });
  });
}

/** An administrator removes a question nobody has answered yet (one with answers stays, so no answer is lost). */
export async function removeEqualityQuestion(db: DB, actor: Actor, fundId: string, questionId: string): Promise<void> {
  requireAdmin(actor);
  await inTransaction(db, async (trx) => {
    const question = await trx
      .selectFrom("equality_question")
      .select(["id", "text"])
      .where("id", "=", questionId)
      .where("fund_id", "=", fundId)
      .executeTakeFirst();
    if (!question) throw new DomainError("That question is not part of this fund.");
    const answered = await trx.selectFrom("equality_response_choice").select("question_id").where("question_id", "=", question.id).executeTakeFirst();
    if (answered) throw new DomainError("People have answered this question, so it stays: removing it would lose their answers.");
    await trx.deleteFrom("equality_option").where("question_id", "=", question.id).execute();
    await trx.deleteFrom("equality_question").where("id", "=", question.id).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "equality.question_removed",
      entityType: "equality_question",
      entityId: question.id,
      before: { fund_id: fundId, text: question.text },
    });
  });
}

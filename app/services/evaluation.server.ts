import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import { isSurveyOpen, roleGroupFor } from "~/domain/evaluation";
import type { RunningCostsInput, SurveyAnswerInput } from "~/domain/forms/evaluation";
import { formatPence } from "~/domain/money";
import { can, type Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { getFundEvaluation, hasAnsweredSurvey, surveyRecipients, surveyRoleGroupsOf } from "~/models/evaluation.server";
import { queueEmail } from "~/models/outbox.server";
import { getEnv } from "~/utils/env.server";
import { newId, nowIso } from "~/utils/ids.server";

async function fundFor(trx: DB, fundId: string) {
  const fund = await trx.selectFrom("fund").select(["id", "name", "budget_pence", "results_published_at"]).where("id", "=", fundId).executeTakeFirst();
  if (!fund) throw new DomainError("That fund does not exist.");
  return fund;
}

/**
 * Records one person's survey answer, anonymously, in one transaction: a
 * "has answered" row (fund and person, nothing else) so they answer once,
 * and the answer itself with a random id, their role group and no person or
 * time. The audit event says that they answered, never what. Not run once
 * per submission key: the key's record holds a fingerprint of the answers
 * beside the person's id, which would link them (decision record 0029).
 */
export async function answerSurvey(db: DB, userId: string, fundId: string, input: SurveyAnswerInput): Promise<void> {
  await inTransaction(db, async (trx) => {
    const fund = await fundFor(trx, fundId);
    const settings = await getFundEvaluation(trx, fund.id);
    if (!isSurveyOpen({ resultsPublishedAt: fund.results_published_at, surveySentAt: settings.survey_sent_at })) {
      throw new DomainError("This survey opens once the decisions are published.");
    }
    const groups = await surveyRoleGroupsOf(trx, fund.id, userId);
    if (groups.length === 0) throw new DomainError("This survey is only for people who took part in this round.");
    const roleGroup = roleGroupFor(groups, input.roleGroup);
    if (!roleGroup) throw new DomainError("Choose how you took part", "roleGroup");
    if (await hasAnsweredSurvey(trx, fund.id, userId)) throw new DomainError("You have already answered this survey. Thank you.");
    await trx.insertInto("survey_respondent").values({ fund_id: fund.id, user_id: userId }).execute();
    await trx
      .insertInto("survey_answer")
      .values({
        id: newId(),
        fund_id: fund.id,
        role_group: roleGroup,
        take_part_again: input.takePartAgain,
        gained_confidence: input.gainedConfidence,
        felt_listened_to: input.feltListenedTo,
        feedback_useful: input.feedbackUseful,
        comment: input.comment,
      })
      .execute();
    await appendAuditEvent(trx, { actor: userId, action: "fund.survey_answered", entityType: "fund", entityId: fund.id });
  });
}

const surveyEmail = (name: string, fundName: string, link: string) =>
  [
    `Hello ${name},`,
    "",
    `Thank you for taking part in ${fundName}. The decisions have been made.`,
    "",
    "Please tell us how it went. There are four short questions and a box for anything else you want to say. It takes about two minutes.",
    "",
    "Your answers are anonymous. We do not keep your name with them, and we only show answers from groups of 5 people or more.",
    "",
    `Answer the survey: ${link}`,
  ].join("\n");

/** An administrator sends the survey: one email through the outbox to each person it is for who has not answered. It opens the survey if the results are not yet published. */
export async function sendSurvey(db: DB, actor: Actor, fundId: string): Promise<number> {
  if (!can(actor, "fund.manage")) throw new DomainError("Only a fund administrator can send the survey.");
  return inTransaction(db, async (trx) => {
    const fund = await fundFor(trx, fundId);
    const settings = await getFundEvaluation(trx, fund.id);
    if (settings.survey_sent_at) throw new DomainError("The survey has already been sent for this fund.");
    const people = await surveyRecipients(trx, fund.id);
    const link = `${getEnv().APP_URL}/survey/${fund.id}`;
    for (const person of people) {
      await queueEmail(trx, { to: person.email, subject: `How did it go? A short survey about ${fund.name}`, text: surveyEmail(person.name, fund.name, link) });
    }
    const now = nowIso();
    await trx
      .insertInto("fund_evaluation")
      .values({ fund_id: fund.id, survey_sent_at: now, survey_sent_by: actor.id, running_costs_pence: null, updated_at: now })
      .onConflict((oc) => oc.column("fund_id").doUpdateSet({ survey_sent_at: now, survey_sent_by: actor.id, updated_at: now }))
      .execute();
    await appendAuditEvent(trx, { actor: actor.id, action: "fund.survey_sent", entityType: "fund", entityId: fund.id, after: { emails: people.length } });
    return people.length;
  });
}

/** An administrator enters what running the round cost (whole pence), to show as a share of the fund. */
export async function setRunningCosts(db: DB, actor: Actor, fundId: string, input: RunningCostsInput): Promise<void> {
  if (!can(actor, "fund.manage")) throw new DomainError("Only a fund administrator can enter running costs.");
  if (!Number.isSafeInteger(input.runningCosts) || input.runningCosts < 0) throw new DomainError("Enter the cost in pounds, like 39000", "runningCosts");
  await inTransaction(db, async (trx) => {
    const fund = await fundFor(trx, fundId);
    if (input.runningCosts > fund.budget_pence) {
      throw new DomainError(`That is more than the whole fund (${formatPence(fund.budget_pence)}). Check the figure.`, "runningCosts");
    }
    const before = await getFundEvaluation(trx, fund.id);
    const now = nowIso();
    await trx
      .insertInto("fund_evaluation")
      .values({
        fund_id: fund.id,
        survey_sent_at: null,
        survey_sent_by: null,
        running_costs_pence: input.runningCosts,
        running_costs_note: input.runningCostsNote,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column("fund_id").doUpdateSet({ running_costs_pence: input.runningCosts, running_costs_note: input.runningCostsNote, updated_at: now }),
      )
      .execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "fund.running_costs_set",
      entityType: "fund",
      entityId: fund.id,
      before: { running_costs_pence: before.running_costs_pence, running_costs_note: before.running_costs_note },
      after: { running_costs_pence: input.runningCosts, running_costs_note: input.runningCostsNote },
    });
  });
}

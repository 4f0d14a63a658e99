import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import type { CriterionInput, DecisionGroupInput, EligibilityQuestionInput, FundInput, LeadOrganisationInput } from "~/domain/forms/fund";
import { budgetProblem, potsProblem } from "~/domain/fund";
import { can, type Actor } from "~/domain/permissions";
import { formatPence } from "~/domain/money";
import { appendAuditEvent } from "~/models/audit.server";
import { hasOpenedBallot } from "~/models/community-ballot.server";
import { FUND_COLUMNS, getFundGroup, nextPosition, sumOfPots } from "~/models/fund.server";
import { newId, nowIso } from "~/utils/ids.server";
import type { Submission } from "~/domain/submissions";
import { inTransactionOnce } from "./submissions.server";

const fundRow = (input: FundInput) => ({
  name: input.name,
  purpose: input.purpose,
  type: input.type,
  budget_pence: input.budget,
  is_published: input.isPublished ? (1 as const) : (0 as const),
  opens_on: input.opensOn,
  closes_on: input.closesOn,
  review_on: input.reviewOn,
  decisions_on: input.decisionsOn,
  awards_on: input.awardsOn,
  ...(input.decisionMethod ? { decision_method: input.decisionMethod } : {}),
});

/** The acting administrator's id, for the audit event; refuses anyone can(…, "fund.manage") does not allow. */
function fundManager(actor: Actor): string {
  if (!can(actor, "fund.manage")) throw new DomainError("Only a fund administrator can set up funds.");
  return actor.id;
}

async function requireFund(trx: DB, fundId: string) {
  const fund = await trx.selectFrom("fund").select(FUND_COLUMNS).where("fund.id", "=", fundId).executeTakeFirst();
  if (!fund) throw new DomainError("That fund does not exist. It may have been removed.");
  return fund;
}

/** Creates a fund and returns its id. */
export async function createFund(db: DB, actor: Actor, input: FundInput, submission?: Submission | null): Promise<string> {
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    const actorId = fundManager(actor);
    const fund = { id: newId(), ...fundRow(input), created_at: nowIso() };
    await trx.insertInto("fund").values(fund).execute();
    await appendAuditEvent(trx, { actor: actorId, action: "fund.created", entityType: "fund", entityId: fund.id, after: fund });
    return fund.id;
  });
}

/** Changes a fund's details and phases. Refuses a budget below the sum of its decision groups' pots. */
export async function updateFund(db: DB, actor: Actor, fundId: string, input: FundInput): Promise<void> {
  await inTransaction(db, async (trx) => {
    const actorId = fundManager(actor);
    const before = await requireFund(trx, fundId);
    const after = fundRow(input);
    const pots = await sumOfPots(trx, fundId);
    const problem = budgetProblem(after.budget_pence, [pots]);
    if (problem) throw new DomainError(problem, "budget");
    if (after.decision_method && after.decision_method !== before.decision_method && (await hasOpenedBallot(trx, fundId))) {
      throw new DomainError("The community vote has opened, so who decides cannot change now. Its rules were fixed when it opened.", "decisionMethod");
    }
    await trx.updateTable("fund").set(after).where("id", "=", fundId).execute();
    await appendAuditEvent(trx, { actor: actorId, action: "fund.updated", entityType: "fund", entityId: fundId, before, after: { id: fundId, ...after } });
  });
}

/** Adds an eligibility question at the end of the fund's list, or changes one (keeping its place). Returns its id. */
export async function saveEligibilityQuestion(db: DB, actor: Actor, fundId: string, input: EligibilityQuestionInput): Promise<string> {
  return inTransaction(db, async (trx) => {
    const actorId = fundManager(actor);
    await requireFund(trx, fundId);
    const values = {
      text: input.text,
      kind: input.kind,
      options: JSON.stringify(input.options),
      ineligible_answers: JSON.stringify(input.ineligibleAnswers),
      ineligible_reason: input.ineligibleReason,
    };
    if (input.questionId) {
      const before = await trx
        .selectFrom("eligibility_question")
        .select(["id", "fund_id", "position", "text", "kind", "options", "ineligible_answers", "ineligible_reason"])
        .where("id", "=", input.questionId)
        .where("fund_id", "=", fundId)
        .executeTakeFirst();
      if (!before) throw new DomainError("That question is not part of this fund. It may have been removed.", "form");
      await trx.updateTable("eligibility_question").set(values).where("id", "=", before.id).execute();
      await appendAuditEvent(trx, {
        actor: actorId,
        action: "eligibility_question.updated",
        entityType: "eligibility_question",
        entityId: before.id,
        before,
        after: { ...before, ...values },
      });
      return before.id;
    }
    const row = { id: newId(), fund_id: fundId, position: await nextPosition(trx, "eligibility_question", fundId), ...values };
    await trx.insertInto("eligibility_question").values(row).execute();
    await appendAuditEvent(trx, { actor: actorId, action: "eligibility_question.created", entityType: "eligibility_question", entityId: row.id, after: row });
    return row.id;
  });
}

/** Removes one of a fund's eligibility questions. */
export async function removeEligibilityQuestion(db: DB, actor: Actor, fundId: string, questionId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const actorId = fundManager(actor);
    const before = await trx
      .selectFrom("eligibility_question")
      .select(["id", "fund_id", "position", "text", "kind", "options", "ineligible_answers", "ineligible_reason"])
      .where("id", "=", questionId)
      .where("fund_id", "=", fundId)
      .executeTakeFirst();
    if (!before) throw new DomainError("That question is not part of this fund. It may have been removed already.", "form");
    await trx.deleteFrom("eligibility_question").where("id", "=", questionId).execute();
    await appendAuditEvent(trx, { actor: actorId, action: "eligibility_question.removed", entityType: "eligibility_question", entityId: questionId, before });
  });
}

/** Adds a scoring criterion at the end of the fund's list, or changes one. Returns its id. */
export async function saveCriterion(db: DB, actor: Actor, fundId: string, input: CriterionInput): Promise<string> {
  return inTransaction(db, async (trx) => {
    const actorId = fundManager(actor);
    await requireFund(trx, fundId);
    const values = { name: input.name, weight: input.weight, guidance: JSON.stringify(input.guidance) };
    if (input.criterionId) {
      const before = await trx
        .selectFrom("criterion")
        .select(["id", "fund_id", "position", "name", "weight", "guidance"])
        .where("id", "=", input.criterionId)
        .where("fund_id", "=", fundId)
        .executeTakeFirst();
      if (!before) throw new DomainError("That criterion is not part of this fund. It may have been removed.", "form");
      await trx.updateTable("criterion").set(values).where("id", "=", before.id).execute();
      await appendAuditEvent(trx, {
        actor: actorId,
        action: "criterion.updated",
        entityType: "criterion",
        entityId: before.id,
        before,
        after: { ...before, ...values },
      });
      return before.id;
    }
    const row = { id: newId(), fund_id: fundId, position: await nextPosition(trx, "criterion", fundId), ...values };
    await trx.insertInto("criterion").values(row).execute();
    await appendAuditEvent(trx, { actor: actorId, action: "criterion.created", entityType: "criterion", entityId: row.id, after: row });
    return row.id;
  });
}

/** Removes one of a fund's scoring criteria. */
export async function removeCriterion(db: DB, actor: Actor, fundId: string, criterionId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const actorId = fundManager(actor);
    const before = await trx
      .selectFrom("criterion")
      .select(["id", "fund_id", "position", "name", "weight", "guidance"])
      .where("id", "=", criterionId)
      .where("fund_id", "=", fundId)
      .executeTakeFirst();
    if (!before) throw new DomainError("That criterion is not part of this fund. It may have been removed already.", "form");
    await trx.deleteFrom("criterion").where("id", "=", criterionId).execute();
    await appendAuditEvent(trx, { actor: actorId, action: "criterion.removed", entityType: "criterion", entityId: criterionId, before });
  });
}

/**
 * Creates a decision group (groupId null) or changes one, with its lead
 * organisations. Refuses pots that would add up to more than the fund's budget.
 * Returns the group's id.
 */
export async function saveDecisionGroup(db: DB, actor: Actor, fundId: string, groupId: string | null, input: DecisionGroupInput): Promise<string> {
  return inTransaction(db, async (trx) => {
    const actorId = fundManager(actor);
    const fund = await requireFund(trx, fundId);
    const before = groupId ? await getFundGroup(trx, fundId, groupId) : undefined;
    if (groupId && !before) throw new DomainError("That decision group is not part of this fund.", "form");
    const others = await sumOfPots(trx, fundId, groupId ?? undefined);
    const problem = potsProblem(fund.budget_pence, [others, input.pot]);
    if (problem) {
      const most = Math.max(0, fund.budget_pence - others);
      throw new DomainError(`${problem}. The most this pot can be is ${formatPence(most)}`, "pot");
    }
    const found = await trx.selectFrom("organisation").select("id").where("kind", "=", "lead_org").where("id", "in", input.leadOrganisationIds).execute();
    if (found.length !== input.leadOrganisationIds.length) {
      throw new DomainError("Choose lead organisations from the list", "leadOrganisationIds");
    }
    const values = {
      name: input.name,
      area: input.area,
      area_code: input.areaCode,
      pot_pence: input.pot,
      min_grant_pence: input.minGrant,
      max_grant_pence: input.maxGrant,
    };
    const leadOrganisationIds = [...input.leadOrganisationIds].sort();
    const id = before?.id ?? newId();
    if (before) {
      await trx.updateTable("decision_group").set(values).where("id", "=", id).execute();
      await trx.deleteFrom("decision_group_lead_org").where("decision_group_id", "=", id).execute();
    } else {
      await trx
        .insertInto("decision_group")
        .values({ id, fund_id: fundId, ...values, created_at: nowIso() })
        .execute();
    }
    await trx
      .insertInto("decision_group_lead_org")
      .values(leadOrganisationIds.map((organisation_id) => ({ decision_group_id: id, organisation_id })))
      .execute();
    await appendAuditEvent(trx, {
      actor: actorId,
      action: before ? "decision_group.updated" : "decision_group.created",
      entityType: "decision_group",
      entityId: id,
      before: before ?? null,
      after: { id, fund_id: fundId, ...values, leadOrganisationIds },
    });
    return id;
  });
}

/** Registers a lead organisation. Names must be unique among lead organisations. Returns its id. */
export async function registerLeadOrganisation(db: DB, actor: Actor, input: LeadOrganisationInput, submission?: Submission | null): Promise<string> {
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    const actorId = fundManager(actor);
    const clash = await trx
      .selectFrom("organisation")
      .select("id")
      .where("kind", "=", "lead_org")
      .where((eb) => eb(eb.fn("lower", ["name"]), "=", input.name.toLowerCase()))
      .executeTakeFirst();
    if (clash) throw new DomainError("A lead organisation with this name is already registered", "name");
    const organisation = {
      id: newId(),
      name: input.name,
      kind: "lead_org" as const,
      created_at: nowIso(),
      contact_name: input.contactName,
      contact_email: input.contactEmail,
      contact_phone: input.contactPhone || null,
      address: input.address || null,
      postcode: input.postcode || null,
      created_by: actorId,
    };
    await trx.insertInto("organisation").values(organisation).execute();
    await appendAuditEvent(trx, {
      actor: actorId,
      action: "organisation.registered",
      entityType: "organisation",
      entityId: organisation.id,
      after: organisation,
    });
    return organisation.id;
  });
}

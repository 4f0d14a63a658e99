import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import type { DB } from "../../db/client";
import type { AwardStatus, Database } from "../../db/schema";
import { awardScope, type Actor, type AwardScope, type Resource } from "~/domain/permissions";

export const AWARD_COLUMNS = [
  "award.id",
  "award.reference",
  "award.proposal_id",
  "award.decision_id",
  "award.organisation_id",
  "award.decision_group_id",
  "award.status",
  "award.amount_pence",
  "award.offered_at",
  "award.accepted_at",
  "award.accepted_by",
  "award.signatory_name",
  "award.signatory_role",
  "award.declined_at",
  "award.decline_reason",
  "award.closed_at",
  "award.outcome_summary",
  "award.withdrawn_at",
  "award.withdrawal_reason",
  "award.clawback_pence",
  "award.version",
  "award.created_at",
  "award.updated_at",
] as const;

/** The WHERE clause for an award scope (the policy's awardScope), for a query that selects from award. */
export function inAwardScope(scope: AwardScope) {
  return (eb: ExpressionBuilder<Database, "award">): Expression<SqlBool> => {
    switch (scope.kind) {
      case "all":
        return sql<SqlBool>`1 = 1`;
      case "none":
        return sql<SqlBool>`1 = 0`;
      case "organisation":
        return eb("award.organisation_id", "=", scope.organisationId);
    }
  };
}

/** The policy's resource for an award row: can(actor, "award.act" | "award.read", awardResource(row)). */
export const awardResource = (award: { organisation_id: string; decision_group_id: string; status: AwardStatus }): Extract<Resource, { type: "award" }> => ({
  type: "award",
  organisationId: award.organisation_id,
  decisionGroupId: award.decision_group_id,
  status: award.status,
});

/**
 * An award the user may see, with its project and organisation, or undefined.
 * Ownership is part of the query (awardScope): administrators see every award;
 * a member of a group sees only their own organisation's; nobody else sees any.
 */
export function findAwardFor(db: DB, user: Actor, awardId: string) {
  return db
    .selectFrom("award")
    .innerJoin("proposal", "proposal.id", "award.proposal_id")
    .innerJoin("organisation", "organisation.id", "award.organisation_id")
    .innerJoin("decision_group", "decision_group.id", "award.decision_group_id")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .select([
      ...AWARD_COLUMNS,
      "proposal.reference as proposal_reference",
      "proposal.title as proposal_title",
      "proposal.summary as proposal_summary",
      "proposal.what_built as proposal_what_built",
      "proposal.status as proposal_status",
      "proposal.version as proposal_version",
      "organisation.name as organisation_name",
      "organisation.address as organisation_address",
      "organisation.postcode as organisation_postcode",
      "decision_group.name as decision_group_name",
      "fund.id as fund_id",
      "fund.name as fund_name",
      "fund.funder_org_name",
    ])
    .where("award.id", "=", awardId)
    .where(inAwardScope(awardScope(user)))
    .executeTakeFirst();
}

export type AwardDetail = NonNullable<Awaited<ReturnType<typeof findAwardFor>>>;

export function listConditions(db: DB, awardId: string) {
  return db
    .selectFrom("award_condition")
    .leftJoin("user", "user.id", "award_condition.signed_off_by")
    .select([
      "award_condition.id",
      "award_condition.position",
      "award_condition.text",
      "award_condition.status",
      "award_condition.evidence_note",
      "award_condition.signed_off_at",
      "user.name as signed_off_by_name",
    ])
    .where("award_condition.award_id", "=", awardId)
    .orderBy("award_condition.position")
    .execute();
}

/** The award's condition evidence files (not report files), oldest first. */
export function listConditionFiles(db: DB, awardId: string) {
  return db
    .selectFrom("award_file")
    .select(["id", "condition_id", "original_name", "mime_type", "size_bytes", "created_at"])
    .where("award_id", "=", awardId)
    .where("condition_id", "is not", null)
    .orderBy("created_at")
    .execute();
}

export function listSupport(db: DB, awardId: string) {
  return db
    .selectFrom("support_log")
    .innerJoin("user", "user.id", "support_log.recorded_by")
    .select([
      "support_log.id",
      "support_log.kind",
      "support_log.status",
      "support_log.description",
      "support_log.minutes",
      "support_log.occurred_on",
      "user.name as recorded_by_name",
    ])
    .where("support_log.award_id", "=", awardId)
    .orderBy("support_log.occurred_on", "desc")
    .orderBy("support_log.created_at", "desc")
    .execute();
}

export function listInstalments(db: DB, awardId: string) {
  return db
    .selectFrom("payment_instalment")
    .select(["id", "position", "amount_pence", "due_on", "released_by"])
    .where("award_id", "=", awardId)
    .orderBy("position")
    .execute();
}

export function listReports(db: DB, awardId: string) {
  return db.selectFrom("monitoring_report").select(["id", "kind", "due_on", "status"]).where("award_id", "=", awardId).orderBy("due_on").execute();
}

export function listPaidPayments(db: DB, awardId: string) {
  return db
    .selectFrom("payment")
    .select(["id", "amount_pence", "paid_on", "reference"])
    .where("award_id", "=", awardId)
    .where("status", "=", "paid")
    .orderBy("paid_on")
    .execute();
}

/** One award file the user may download: administrators any, a group member their organisation's. */
export function findAwardFileFor(db: DB, user: Actor, fileId: string) {
  return db
    .selectFrom("award_file")
    .innerJoin("award", "award.id", "award_file.award_id")
    .select(["award_file.id", "award_file.original_name", "award_file.stored_name", "award_file.mime_type", "award_file.size_bytes"])
    .where("award_file.id", "=", fileId)
    .where(inAwardScope(awardScope(user)))
    .executeTakeFirst();
}

export interface AwardFilters {
  fundId?: string;
  decisionGroupId?: string;
  status?: AwardStatus;
}

/** Awards for the administrator's list, newest first, one page at a time. */
export async function listAwards(db: DB, filters: AwardFilters, page: number, pageSize = 25) {
  let base = db
    .selectFrom("award")
    .innerJoin("decision_group", "decision_group.id", "award.decision_group_id")
    .innerJoin("organisation", "organisation.id", "award.organisation_id")
    .innerJoin("proposal", "proposal.id", "award.proposal_id");
  if (filters.fundId) base = base.where("decision_group.fund_id", "=", filters.fundId);
  if (filters.decisionGroupId) base = base.where("award.decision_group_id", "=", filters.decisionGroupId);
  if (filters.status) base = base.where("award.status", "=", filters.status);
  const [rows, total] = await Promise.all([
    base
      .select([
        "award.id",
        "award.reference",
        "award.status",
        "award.amount_pence",
        "award.offered_at",
        "organisation.name as organisation_name",
        "proposal.title as proposal_title",
        "decision_group.name as decision_group_name",
      ])
      .orderBy("award.offered_at", "desc")
      .orderBy("award.reference", "desc")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n), page, pageSize };
}

/** Funded decisions that have no award yet: the offers still to make. */
export function listOffersToMake(db: DB) {
  return db
    .selectFrom("decision")
    .innerJoin("proposal", "proposal.id", "decision.proposal_id")
    .innerJoin("organisation", "organisation.id", "proposal.organisation_id")
    .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
    .leftJoin("award", "award.decision_id", "decision.id")
    .select([
      "decision.id as decision_id",
      "decision.amount_pence",
      "decision.decided_at",
      "proposal.id as proposal_id",
      "proposal.reference as proposal_reference",
      "proposal.title as proposal_title",
      "organisation.name as organisation_name",
      "decision_group.name as decision_group_name",
      "decision_group.id as decision_group_id",
    ])
    .where("decision.outcome", "=", "funded")
    .where("award.id", "is", null)
    .orderBy("decision.decided_at")
    .limit(200)
    .execute();
}

/** One decision group's funded decisions without an award yet: the offers "Make all offers" would make. Oldest decision first. */
export function listGroupOffersToMake(db: DB, decisionGroupId: string) {
  return db
    .selectFrom("decision")
    .innerJoin("proposal", "proposal.id", "decision.proposal_id")
    .leftJoin("award", "award.proposal_id", "proposal.id")
    .select(["proposal.id as proposal_id", "proposal.reference as proposal_reference", "proposal.title as proposal_title", "decision.amount_pence"])
    .where("proposal.decision_group_id", "=", decisionGroupId)
    .where("decision.outcome", "=", "funded")
    .where("proposal.status", "=", "funded")
    .where("award.id", "is", null)
    .orderBy("decision.decided_at")
    .orderBy("proposal.reference")
    .execute();
}

/** The filters' choices: funds and decision groups. */
export function listAwardFilterChoices(db: DB) {
  return Promise.all([
    db.selectFrom("fund").select(["id", "name"]).orderBy("name").execute(),
    db.selectFrom("decision_group").select(["id", "name", "fund_id"]).orderBy("name").execute(),
  ]);
}

/** A group's awards, for its home page. */
export function listAwardsForOrganisation(db: DB, organisationId: string) {
  return db
    .selectFrom("award")
    .innerJoin("proposal", "proposal.id", "award.proposal_id")
    .select(["award.id", "award.reference", "award.status", "award.amount_pence", "award.proposal_id", "proposal.title as proposal_title"])
    .where("award.organisation_id", "=", organisationId)
    .orderBy("award.offered_at", "desc")
    .execute();
}

/** Everything the award pages show about one award, in a handful of queries, with the facts for its stage. */
/** The award made from a proposal, if any: enough to check who may read it and to describe where it is. */
export function findAwardForProposal(db: DB, proposalId: string) {
  return db
    .selectFrom("award")
    .select(["id", "organisation_id", "decision_group_id", "status", "amount_pence"])
    .where("proposal_id", "=", proposalId)
    .executeTakeFirst();
}

export async function getAwardOverview(db: DB, award: { id: string; status: AwardStatus; amount_pence: number }) {
  const [conditions, files, instalments, reports, payments, paidInstalments] = await Promise.all([
    listConditions(db, award.id),
    listConditionFiles(db, award.id),
    listInstalments(db, award.id),
    listReports(db, award.id),
    listPaidPayments(db, award.id),
    db
      .selectFrom("payment")
      .select("instalment_id")
      .where("award_id", "=", award.id)
      .where("status", "=", "paid")
      .where("instalment_id", "is not", null)
      .execute(),
  ]);
  const paidIds = new Set(paidInstalments.map((p) => p.instalment_id));
  const paidPence = payments.reduce((sum, p) => sum + p.amount_pence, 0);
  const nextInstalment = instalments.find((i) => !paidIds.has(i.id)) ?? null;
  const nextReport = reports.find((r) => r.status === "due" || r.status === "more_requested") ?? null;
  const facts = {
    status: award.status,
    amountPence: award.amount_pence,
    conditionsTotal: conditions.length,
    conditionsMet: conditions.filter((c) => c.status === "met").length,
    conditionsAwaitingSignOff: conditions.filter((c) => c.status === "evidence_submitted").length,
    paidPence,
    reportsTotal: reports.length,
    reportsApproved: reports.filter((r) => r.status === "approved").length,
    nextReportDueOn: nextReport?.due_on ?? null,
    nextInstalmentDueOn: nextInstalment?.due_on ?? null,
  };
  return { conditions, files, instalments, reports, payments, paidPence, nextInstalment, nextReport, facts };
}

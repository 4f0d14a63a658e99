import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import type { DB } from "../../db/client";
import type { Database, Proposal } from "../../db/schema";
import { proposalScope, type Actor, type ProposalResource, type ProposalScope } from "~/domain/permissions";
import type { BudgetLine, Outcome, ProposalContent } from "~/domain/proposal";
import { isRecused, recusedFrom } from "./recusal.server";

export const PROPOSAL_COLUMNS = [
  "proposal.id",
  "proposal.reference",
  "proposal.decision_group_id",
  "proposal.organisation_id",
  "proposal.status",
  "proposal.title",
  "proposal.summary",
  "proposal.need_type",
  "proposal.need_evidence",
  "proposal.beneficiaries",
  "proposal.beneficiary_count",
  "proposal.what_built",
  "proposal.budget_lines",
  "proposal.amount_requested_pence",
  "proposal.start_date",
  "proposal.end_date",
  "proposal.outcomes",
  "proposal.eligibility_answers",
  "proposal.prepared_by_organisation_id",
  "proposal.group_confirmation",
  "proposal.created_by",
  "proposal.imported_by",
  "proposal.created_at",
  "proposal.updated_at",
  "proposal.submitted_at",
  "proposal.version",
  "proposal.part_funding_floor_pence",
] as const;

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function contentOf(row: Proposal): ProposalContent {
  return {
    title: row.title,
    summary: row.summary,
    needType: row.need_type,
    needEvidence: row.need_evidence,
    beneficiaries: row.beneficiaries,
    beneficiaryCount: row.beneficiary_count,
    whatBuilt: row.what_built,
    budgetLines: parseJson<BudgetLine[]>(row.budget_lines, []),
    amountRequestedPence: row.amount_requested_pence,
    startDate: row.start_date,
    endDate: row.end_date,
    outcomes: parseJson<Outcome[]>(row.outcomes, []),
  };
}

export function rowOf(content: ProposalContent) {
  return {
    title: content.title,
    summary: content.summary,
    need_type: content.needType,
    need_evidence: content.needEvidence,
    beneficiaries: content.beneficiaries,
    beneficiary_count: content.beneficiaryCount,
    what_built: content.whatBuilt,
    budget_lines: JSON.stringify(content.budgetLines),
    amount_requested_pence: content.amountRequestedPence,
    start_date: content.startDate,
    end_date: content.endDate,
    outcomes: JSON.stringify(content.outcomes),
  };
}

export const eligibilityAnswersOf = (row: Pick<Proposal, "eligibility_answers">) => parseJson<Record<string, string>>(row.eligibility_answers, {});

/**
 * The WHERE clause for a proposal scope (app/domain/permissions.ts): the
 * rows of "proposal" this viewer may read. For a query that selects from
 * proposal: `.where(inProposalScope(proposalScope(actor)))`.
 */
export function inProposalScope(scope: ProposalScope) {
  return (eb: ExpressionBuilder<Database, "proposal">): Expression<SqlBool> => {
    switch (scope.kind) {
      case "all":
        return sql<SqlBool>`1 = 1`;
      case "none":
        return sql<SqlBool>`1 = 0`;
      case "organisation":
        return eb("proposal.organisation_id", "=", scope.organisationId);
      case "lead_organisation":
        return eb.or([
          eb("proposal.prepared_by_organisation_id", "=", scope.leadOrganisationId),
          eb.and([
            eb("proposal.submitted_at", "is not", null),
            eb.exists(
              eb
                .selectFrom("decision_group_lead_org")
                .select("decision_group_lead_org.organisation_id")
                .whereRef("decision_group_lead_org.decision_group_id", "=", "proposal.decision_group_id")
                .where("decision_group_lead_org.organisation_id", "=", scope.leadOrganisationId),
            ),
          ]),
        ]);
      case "decision_group":
        return eb.and([
          eb("proposal.decision_group_id", "=", scope.decisionGroupId),
          eb("proposal.status", "in", scope.statuses),
          ...(scope.unlessRecused ? [eb.not(recusedFrom(eb, scope.unlessRecused))] : []),
        ]);
      case "fund":
        return eb.and([
          eb(
            "proposal.decision_group_id",
            "in",
            eb.selectFrom("decision_group").select("decision_group.id").where("decision_group.fund_id", "=", scope.fundId),
          ),
          eb("proposal.status", "in", scope.statuses),
        ]);
    }
  };
}

/**
 * A proposal the user may see, or undefined. Who sees what is the policy's
 * proposalScope: the group its own, a lead organisation those it prepared and
 * its area's once submitted, the panel and advisers their group's once
 * eligible, administrators all.
 */
export function findProposalFor(db: DB, user: Actor, proposalId: string) {
  return db
    .selectFrom("proposal")
    .select(PROPOSAL_COLUMNS)
    .where("proposal.id", "=", proposalId)
    .where(inProposalScope(proposalScope(user)))
    .executeTakeFirst();
}

/** The ids of a decision group's lead organisations. */
export async function leadOrganisationIdsOf(db: DB, decisionGroupId: string): Promise<string[]> {
  const rows = await db.selectFrom("decision_group_lead_org").select("organisation_id").where("decision_group_id", "=", decisionGroupId).execute();
  return rows.map((r) => r.organisation_id);
}

/** The facts the policy's proposal rules need, for a proposal row and the person acting on it (read in the caller's transaction). */
export async function proposalFacts(
  db: DB,
  row: Pick<Proposal, "id" | "status" | "organisation_id" | "decision_group_id" | "prepared_by_organisation_id" | "submitted_at">,
  viewer: Actor,
): Promise<ProposalResource> {
  const scope = proposalScope(viewer);
  const recusedUserId = scope.kind === "decision_group" ? scope.unlessRecused : null;
  const group = await db.selectFrom("decision_group").select("fund_id").where("id", "=", row.decision_group_id).executeTakeFirst();
  return {
    type: "proposal",
    status: row.status,
    organisationId: row.organisation_id,
    decisionGroupId: row.decision_group_id,
    fundId: group?.fund_id ?? null,
    preparedByOrganisationId: row.prepared_by_organisation_id,
    leadOrganisationIds: await leadOrganisationIdsOf(db, row.decision_group_id),
    wasSubmitted: row.submitted_at !== null,
    isViewerRecused: recusedUserId ? await isRecused(db, recusedUserId, row.id) : false,
  };
}

/** The decision group's limits and its fund's dates, for checks on a proposal. */
export function getGroupContext(db: DB, decisionGroupId: string) {
  return db
    .selectFrom("decision_group")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .select([
      "decision_group.id",
      "decision_group.name",
      "decision_group.min_grant_pence",
      "decision_group.max_grant_pence",
      "decision_group.pot_pence",
      "fund.id as fund_id",
      "fund.name as fund_name",
      "fund.opens_on",
      "fund.closes_on",
      "fund.review_on",
      "fund.decisions_on",
      "fund.awards_on",
      "fund.is_published",
    ])
    .where("decision_group.id", "=", decisionGroupId)
    .executeTakeFirst();
}

export function listVersions(db: DB, proposalId: string) {
  return db
    .selectFrom("proposal_version")
    .select(["id", "version", "snapshot", "submitted_at", "submitted_by"])
    .where("proposal_id", "=", proposalId)
    .orderBy("version")
    .execute();
}

export function listMessages(db: DB, proposalId: string) {
  return db
    .selectFrom("proposal_message")
    .innerJoin("user", "user.id", "proposal_message.author_id")
    .select([
      "proposal_message.id",
      "proposal_message.kind",
      "proposal_message.body",
      "proposal_message.author_role",
      "proposal_message.created_at",
      "user.name as author_name",
    ])
    .where("proposal_message.proposal_id", "=", proposalId)
    .orderBy("proposal_message.created_at")
    .execute();
}

/** Status changes for the timeline: from the audit trail, without who did them. */
export function listStatusHistory(db: DB, proposalId: string) {
  return db
    .selectFrom("audit_event")
    .select(["action", "after", "time"])
    .where("entity_type", "=", "proposal")
    .where("entity_id", "=", proposalId)
    .where("action", "like", "proposal.status.%")
    .orderBy("id")
    .execute();
}

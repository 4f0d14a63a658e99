import type { DB } from "../../db/client";
import type { ProposalStatus } from "../../db/schema";
import { inProposalScope } from "./proposal.server";
import { proposalScope, type Actor } from "~/domain/permissions";
import { LEAD_VIEW_STATUSES, LEAD_VIEWS, type LeadView, type ScreeningFilters, type ScreeningSort } from "~/domain/proposal-lists";

/** The allow-list, mapped to columns. Nothing from the URL reaches orderBy except through here. */
const SORT_COLUMNS = {
  submitted: "proposal.submitted_at",
  amount: "proposal.amount_requested_pence",
  title: "proposal.title",
  reference: "proposal.reference",
} as const satisfies Record<ScreeningSort, string>;

/* ------------------------------------------------------------------ lead organisation queue */

function leadQueueBase(db: DB, organisationId: string) {
  return db
    .selectFrom("proposal")
    .innerJoin("decision_group_lead_org as served", (join) =>
      join.onRef("served.decision_group_id", "=", "proposal.decision_group_id").on("served.organisation_id", "=", organisationId),
    )
    .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
    .innerJoin("organisation as community", "community.id", "proposal.organisation_id");
}

/**
 * One tab of a lead organisation's queue: proposals for the decision groups
 * it serves (the join is the access rule), with names joined in.
 */
export async function listLeadQueue(db: DB, organisationId: string, view: LeadView, page: number, pageSize = 25) {
  const statuses = LEAD_VIEW_STATUSES[view];
  const query = leadQueueBase(db, organisationId).where((eb) =>
    view === "waiting"
      ? eb.or([
          eb("proposal.status", "in", statuses),
          eb.and([eb("proposal.status", "=", "draft"), eb("proposal.prepared_by_organisation_id", "=", organisationId)]),
        ])
      : eb("proposal.status", "in", statuses),
  );
  let rows = query.select([
    "proposal.id",
    "proposal.reference",
    "proposal.title",
    "proposal.status",
    "proposal.amount_requested_pence",
    "proposal.submitted_at",
    "proposal.updated_at",
    "community.name as communityGroupName",
    "decision_group.name as decisionGroupName",
  ]);
  // New proposals oldest first, so none waits longest; the rest by latest change.
  rows = view === "new" ? rows.orderBy("proposal.submitted_at", "asc") : rows.orderBy("proposal.updated_at", "desc");
  const [list, total] = await Promise.all([
    rows
      .orderBy("proposal.reference")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows: list, total: Number(total.n) };
}

/** How many proposals are in each tab, in one grouped query. */
export async function countLeadQueue(db: DB, organisationId: string): Promise<Record<LeadView, number>> {
  const rows = await leadQueueBase(db, organisationId)
    .select((eb) => ["proposal.status", eb("proposal.prepared_by_organisation_id", "=", organisationId).as("isOurs"), eb.fn.countAll<number>().as("n")])
    .groupBy(["proposal.status", "isOurs"])
    .execute();
  const counts = Object.fromEntries(LEAD_VIEWS.map((v) => [v, 0])) as Record<LeadView, number>;
  for (const row of rows) {
    const status = row.status as ProposalStatus;
    const view = LEAD_VIEWS.find((v) => LEAD_VIEW_STATUSES[v].includes(status)) ?? (status === "draft" && Number(row.isOurs) === 1 ? "waiting" : null);
    if (view) counts[view] += Number(row.n);
  }
  return counts;
}

/* ------------------------------------------------------------------ one proposal, summarised */

/** Everything the compact summary shows, with names joined in. Access is the caller's where(). */
function summaryQuery(db: DB) {
  return db
    .selectFrom("proposal")
    .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .innerJoin("organisation as community", "community.id", "proposal.organisation_id")
    .leftJoin("organisation as preparer", "preparer.id", "proposal.prepared_by_organisation_id")
    .leftJoin("user as importer", "importer.id", "proposal.imported_by")
    .select([
      "proposal.id",
      "proposal.reference",
      "proposal.status",
      "proposal.organisation_id",
      "proposal.title",
      "proposal.summary",
      "proposal.need_type",
      "proposal.amount_requested_pence",
      "proposal.start_date",
      "proposal.end_date",
      "proposal.submitted_at",
      "proposal.created_at",
      "proposal.updated_at",
      "proposal.version",
      "proposal.eligibility_answers",
      "proposal.prepared_by_organisation_id",
      "proposal.group_confirmation",
      "proposal.imported_by",
      "decision_group.id as decisionGroupId",
      "decision_group.name as decisionGroupName",
      "fund.id as fundId",
      "fund.name as fundName",
      "community.name as communityGroupName",
      "preparer.name as preparedByName",
      "importer.name as importedByName",
    ]);
}

export type ProposalSummaryRow = NonNullable<Awaited<ReturnType<typeof getProposalSummaryForAdmin>>>;

export function getProposalSummaryForAdmin(db: DB, proposalId: string) {
  return summaryQuery(db).where("proposal.id", "=", proposalId).executeTakeFirst();
}

/**
 * A proposal a lead organisation may see (the policy's proposalScope: one it
 * prepared, or one for a decision group it serves once the group has
 * submitted it). Says whether it serves the group, so the page offers only
 * the actions that apply.
 */
export function getProposalSummaryForLeadOrg(db: DB, viewer: Actor, proposalId: string) {
  return summaryQuery(db)
    .select((eb) => [
      eb
        .exists(
          eb
            .selectFrom("decision_group_lead_org")
            .select("decision_group_lead_org.organisation_id")
            .whereRef("decision_group_lead_org.decision_group_id", "=", "proposal.decision_group_id")
            .where("decision_group_lead_org.organisation_id", "=", viewer.organisationId ?? ""),
        )
        .as("servesGroup"),
    ])
    .where("proposal.id", "=", proposalId)
    .where(inProposalScope(proposalScope(viewer)))
    .executeTakeFirst();
}

export async function proposalExists(db: DB, proposalId: string): Promise<boolean> {
  return Boolean(await db.selectFrom("proposal").select("id").where("id", "=", proposalId).executeTakeFirst());
}

/** The fund's eligibility questions with the answers given, in the fund's order. */
export async function eligibilityAnswersFor(db: DB, fundId: string, answersJson: string) {
  let answers: Record<string, string> = {};
  try {
    answers = JSON.parse(answersJson) as Record<string, string>;
  } catch {
    answers = {};
  }
  const questions = await db.selectFrom("eligibility_question").select(["id", "text"]).where("fund_id", "=", fundId).orderBy("position").execute();
  return questions.map((q) => ({ id: q.id, question: q.text, answer: answers[q.id] ?? null }));
}

/* ------------------------------------------------------------------ screening queue and export */

function screeningBase(db: DB, filters: ScreeningFilters) {
  let query = db
    .selectFrom("proposal")
    .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .innerJoin("organisation as community", "community.id", "proposal.organisation_id");
  if (filters.fundId) query = query.where("fund.id", "=", filters.fundId);
  if (filters.decisionGroupId) query = query.where("proposal.decision_group_id", "=", filters.decisionGroupId);
  if (filters.status) query = query.where("proposal.status", "=", filters.status);
  if (filters.leadOrganisationId) {
    const lead = filters.leadOrganisationId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("decision_group_lead_org")
          .select("decision_group_lead_org.organisation_id")
          .whereRef("decision_group_lead_org.decision_group_id", "=", "proposal.decision_group_id")
          .where("decision_group_lead_org.organisation_id", "=", lead),
      ),
    );
  }
  return query;
}

/** Lead organisation names for each decision group, in one query. */
async function leadNamesByGroup(db: DB, groupIds: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (groupIds.length === 0) return map;
  const rows = await db
    .selectFrom("decision_group_lead_org")
    .innerJoin("organisation", "organisation.id", "decision_group_lead_org.organisation_id")
    .select(["decision_group_lead_org.decision_group_id as groupId", "organisation.name"])
    .where("decision_group_lead_org.decision_group_id", "in", [...new Set(groupIds)])
    .orderBy("organisation.name")
    .execute();
  for (const row of rows) map.set(row.groupId, [...(map.get(row.groupId) ?? []), row.name]);
  return map;
}

/** One page of the screening queue, with the count and total requested across every page. */
export async function listScreeningQueue(db: DB, filters: ScreeningFilters, page: number, pageSize = 25) {
  const base = screeningBase(db, filters);
  const [rows, totals] = await Promise.all([
    base
      .select([
        "proposal.id",
        "proposal.reference",
        "proposal.title",
        "proposal.status",
        "proposal.amount_requested_pence",
        "proposal.submitted_at",
        "proposal.decision_group_id",
        "decision_group.name as decisionGroupName",
        "fund.name as fundName",
        "community.name as communityGroupName",
      ])
      .orderBy(SORT_COLUMNS[filters.sort], filters.direction)
      .orderBy("proposal.reference", "asc")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    base.select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.sum<number | null>("proposal.amount_requested_pence").as("pence")]).executeTakeFirstOrThrow(),
  ]);
  const leads = await leadNamesByGroup(
    db,
    rows.map((r) => r.decision_group_id),
  );
  return {
    rows: rows.map((r) => ({ ...r, leadOrganisations: leads.get(r.decision_group_id) ?? [] })),
    total: Number(totals.n),
    totalRequestedPence: Number(totals.pence ?? 0),
  };
}

/**
 * Every proposal matching the screening filters (not one page of them), with
 * its status, by reference: what "Mark all matching" acts on. The service
 * runs it again inside its transaction, so it acts on what matches then.
 */
export function listScreeningMatches(db: DB, filters: ScreeningFilters) {
  return screeningBase(db, filters).select(["proposal.id", "proposal.reference", "proposal.status"]).orderBy("proposal.reference").execute();
}

/** Every matching proposal with every field, for the CSV export. Three queries, whatever the count. */
export async function listProposalsForExport(db: DB, filters: ScreeningFilters) {
  const rows = await screeningBase(db, filters)
    .leftJoin("organisation as preparer", "preparer.id", "proposal.prepared_by_organisation_id")
    .leftJoin("user as importer", "importer.id", "proposal.imported_by")
    .select([
      "proposal.id",
      "proposal.reference",
      "proposal.status",
      "proposal.decision_group_id",
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
      "proposal.created_at",
      "proposal.submitted_at",
      "proposal.updated_at",
      "proposal.version",
      "fund.id as fundId",
      "fund.name as fundName",
      "decision_group.name as decisionGroupName",
      "community.name as communityGroupName",
      "preparer.name as preparedByName",
      "importer.name as importedByName",
      "importer.email as importedByEmail",
    ])
    .orderBy(SORT_COLUMNS[filters.sort], filters.direction)
    .orderBy("proposal.reference", "asc")
    .execute();
  const fundIds = [...new Set(rows.map((r) => r.fundId))];
  const [leads, questions] = await Promise.all([
    leadNamesByGroup(
      db,
      rows.map((r) => r.decision_group_id),
    ),
    fundIds.length
      ? db.selectFrom("eligibility_question").select(["id", "text"]).where("fund_id", "in", fundIds).orderBy("position").execute()
      : Promise.resolve([]),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, leadOrganisations: leads.get(r.decision_group_id) ?? [] })),
    questions: questions.map((q) => ({ id: q.id, text: q.text })),
  };
}

/** The choices for the screening filters. */
export async function listScreeningFacets(db: DB) {
  const [funds, groups, leads] = await Promise.all([
    db.selectFrom("fund").select(["id", "name"]).orderBy("name").execute(),
    db
      .selectFrom("decision_group")
      .innerJoin("fund", "fund.id", "decision_group.fund_id")
      .select(["decision_group.id", "decision_group.name", "fund.name as fundName"])
      .orderBy("fund.name")
      .orderBy("decision_group.name")
      .execute(),
    db.selectFrom("organisation").select(["id", "name"]).where("kind", "=", "lead_org").orderBy("name").execute(),
  ]);
  return { funds, groups, leads };
}

import type { DB } from "../../db/client";

/** A group's proposals, newest activity first, with their decision group and fund dates. */
export function listGroupProposals(db: DB, organisationId: string) {
  return db
    .selectFrom("proposal")
    .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .select([
      "proposal.id",
      "proposal.reference",
      "proposal.title",
      "proposal.status",
      "proposal.updated_at",
      "decision_group.name as decisionGroupName",
      "fund.name as fundName",
      "fund.opens_on",
      "fund.closes_on",
      "fund.review_on",
      "fund.decisions_on",
      "fund.awards_on",
    ])
    .where("proposal.organisation_id", "=", organisationId)
    .orderBy("proposal.updated_at", "desc")
    .execute();
}

/** Decision groups of published funds, which groups can start proposals for. */
export function listOpenDecisionGroups(db: DB) {
  return db
    .selectFrom("decision_group")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .select([
      "decision_group.id",
      "decision_group.name",
      "decision_group.area",
      "decision_group.min_grant_pence",
      "decision_group.max_grant_pence",
      "fund.id as fundId",
      "fund.name as fundName",
      "fund.opens_on",
      "fund.closes_on",
    ])
    .where("fund.is_published", "=", 1)
    .orderBy("fund.name")
    .orderBy("decision_group.name")
    .execute();
}

/** The decision groups a lead organisation serves, of published funds. */
export function listOpenDecisionGroupsForLead(db: DB, organisationId: string) {
  return listOpenDecisionGroupsQuery(db).where("decision_group_lead_org.organisation_id", "=", organisationId).execute();
}

function listOpenDecisionGroupsQuery(db: DB) {
  return db
    .selectFrom("decision_group")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .innerJoin("decision_group_lead_org", "decision_group_lead_org.decision_group_id", "decision_group.id")
    .select([
      "decision_group.id",
      "decision_group.name",
      "decision_group.area",
      "decision_group.min_grant_pence",
      "decision_group.max_grant_pence",
      "fund.id as fundId",
      "fund.name as fundName",
      "fund.opens_on",
      "fund.closes_on",
    ])
    .where("fund.is_published", "=", 1)
    .orderBy("fund.name")
    .orderBy("decision_group.name");
}

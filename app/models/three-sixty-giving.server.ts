import type { DB } from "../../db/client";
import {
  geoCodeTypeOf,
  openDataProblems,
  registeredNumbers,
  type FundingOrganisation,
  type OpenDataProblem,
  type ThreeSixtyGivingAward,
} from "~/domain/three-sixty-giving";
import { areResultsPublished } from "./published-results.server";

/**
 * A published fund's accepted and closed awards as 360Giving awards, in two
 * queries; null when the fund does not exist or its results are not published.
 */
export async function getThreeSixtyGivingAwards(
  db: DB,
  fundId: string,
): Promise<{ funder: FundingOrganisation; fundName: string; awards: ThreeSixtyGivingAward[] } | null> {
  const fund = await db
    .selectFrom("fund")
    .select(["id", "name", "results_published_at", "funder_prefix", "funder_org_id", "funder_org_name"])
    .where("id", "=", fundId)
    .executeTakeFirst();
  // Open data goes public with the results, never before them (the same rule as /funds/:fundId/results).
  if (!fund || !areResultsPublished(fund)) return null;
  return { fundName: fund.name, funder: funderOf(fund), awards: await fundAwards(db, fund) };
}

/**
 * Any fund's awards as 360Giving awards, published or not: what the open data
 * would hold, so the publish page can check it first. Null for no such fund.
 */
export async function getOpenDataDraft(db: DB, fundId: string): Promise<{ funder: FundingOrganisation; awards: ThreeSixtyGivingAward[] } | null> {
  const fund = await db
    .selectFrom("fund")
    .select(["id", "name", "funder_prefix", "funder_org_id", "funder_org_name"])
    .where("id", "=", fundId)
    .executeTakeFirst();
  if (!fund) return null;
  return { funder: funderOf(fund), awards: await fundAwards(db, fund) };
}

type FundFacts = { id: string; name: string; funder_prefix: string; funder_org_id: string; funder_org_name: string };

const funderOf = (fund: FundFacts): FundingOrganisation => ({ prefix: fund.funder_prefix, id: fund.funder_org_id, name: fund.funder_org_name });

/**
 * The fund's accepted and closed awards, in one query. The recipient's numbers
 * come from the group profile's one registration number and its kind
 * (registeredNumbers), the beneficiary location from the decision group's area.
 */
async function fundAwards(db: DB, fund: FundFacts): Promise<ThreeSixtyGivingAward[]> {
  const rows = await db
    .selectFrom("award")
    .innerJoin("decision_group", "decision_group.id", "award.decision_group_id")
    .innerJoin("organisation", "organisation.id", "award.organisation_id")
    .innerJoin("proposal", "proposal.id", "award.proposal_id")
    .innerJoin("decision", "decision.id", "award.decision_id")
    .select([
      "award.id",
      "award.amount_pence",
      "award.offered_at",
      "decision.decided_at",
      "proposal.title",
      "proposal.summary",
      "proposal.what_built",
      "organisation.id as organisation_id",
      "organisation.name as organisation_name",
      "organisation.org_type",
      "organisation.registration_number",
      "organisation.postcode",
      "decision_group.area",
      "decision_group.area_code",
    ])
    .where("decision_group.fund_id", "=", fund.id)
    .where("award.status", "in", ["accepted", "closed"])
    .orderBy("decision.decided_at")
    .orderBy("award.id")
    .execute();
  return rows.map((r) => ({
    awardId: r.id,
    amountPence: r.amount_pence,
    awardDate: (r.decided_at || r.offered_at).slice(0, 10),
    title: r.title.trim() || "Community grant",
    description: r.summary.trim() || r.what_built.trim() || r.title.trim() || "Community grant",
    recipient: { id: r.organisation_id, name: r.organisation_name, ...registeredNumbers(r.org_type, r.registration_number), postcode: r.postcode },
    programme: { title: fund.name },
    beneficiaryLocation: r.area.trim() ? { name: r.area, countryCode: "GB" as const, geoCode: r.area_code, geoCodeType: geoCodeTypeOf(r.area_code) } : null,
  }));
}

/** What 360Giving's data-quality tool would flag in the fund's open data, checked before the results (and so the files) are published. */
export async function checkOpenData(db: DB, fundId: string): Promise<OpenDataProblem[]> {
  const draft = await getOpenDataDraft(db, fundId);
  return draft ? openDataProblems(draft.awards, draft.funder) : [];
}

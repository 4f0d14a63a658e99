import type { DB } from "../../db/client";
import type { FundingOrganisation, ThreeSixtyGivingAward } from "~/domain/three-sixty-giving";
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
      "organisation.charity_number",
      "organisation.company_number",
      "organisation.postcode",
      "decision_group.area",
    ])
    .where("decision_group.fund_id", "=", fund.id)
    .where("award.status", "in", ["accepted", "closed"])
    .orderBy("decision.decided_at")
    .orderBy("award.id")
    .execute();
  return {
    fundName: fund.name,
    funder: { prefix: fund.funder_prefix, id: fund.funder_org_id, name: fund.funder_org_name },
    awards: rows.map((r) => ({
      awardId: r.id,
      amountPence: r.amount_pence,
      awardDate: (r.decided_at || r.offered_at).slice(0, 10),
      title: r.title.trim() || "Community grant",
      description: r.summary.trim() || r.what_built.trim() || r.title.trim() || "Community grant",
      recipient: { id: r.organisation_id, name: r.organisation_name, charityNumber: r.charity_number, companyNumber: r.company_number, postcode: r.postcode },
      programme: { title: fund.name },
      beneficiaryLocation: r.area.trim() ? { name: r.area, countryCode: "GB" as const } : null,
    })),
  };
}

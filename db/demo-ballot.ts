import type { Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { openBallot, saveBallotSetup } from "~/services/community-ballots.server";
import { newId, nowIso } from "~/utils/ids.server";
import type { DB } from "./client";

export const BALLOT_FUND_NAME = "All In Neighbourhood Fund (demo)";
/** Postcodes starting with these may join the demo's vote, for example CO9 2AB. */
export const BALLOT_DEMO_PREFIXES = "CO9, CM7";

const DAY = 86_400_000;

/** Small ideas from community teams, as in Eastlight's All In. */
const IDEAS = [
  {
    group: "Halstead Repair Cafe",
    title: "A repair cafe once a month",
    summary: "People bring broken things. Volunteers fix them with them, over tea.",
    pence: 400_000,
  },
  {
    group: "Braintree Walking Buddies",
    title: "Walks for people who feel alone",
    summary: "Weekly walks with a cup of tea after. New people are met at the bus stop.",
    pence: 250_000,
  },
  {
    group: "Colne Valley Growers",
    title: "Raised beds on the estate",
    summary: "Six raised beds that anyone can use, with seeds and tools in a shed.",
    pence: 600_000,
  },
  {
    group: "Kids Kitchen Club",
    title: "Cooking club in the holidays",
    summary: "Children and parents cook a hot meal together, twice a week in the holidays.",
    pence: 800_000,
  },
];

/**
 * A second, small fund decided by residents, with its vote open (issue 12):
 * four ideas on an approval ballot, choose up to 2, for postcodes starting
 * CO9 or CM7. Nobody has voted yet.
 */
export async function seedDemoBallot(trx: DB, ctx: { admin: Actor }, now = new Date()): Promise<string> {
  const stamp = nowIso();
  const t = now.getTime();
  const audit = (entityType: string, entityId: string, after: unknown) =>
    appendAuditEvent(trx, { actor: "system", action: `${entityType}.seeded`, entityType, entityId, after });
  const fund = {
    id: newId(),
    name: BALLOT_FUND_NAME,
    purpose: "Small grants for ideas from local people. People who live in the area vote, and the ideas with most votes get the money.",
    type: "revenue" as const,
    budget_pence: 1_500_000,
    is_published: 1 as const,
    created_at: stamp,
    decision_method: "ballot" as const,
  };
  await trx.insertInto("fund").values(fund).execute();
  await audit("fund", fund.id, fund);
  const group = {
    id: newId(),
    fund_id: fund.id,
    name: "Halstead and Braintree",
    area: "Halstead and Braintree",
    pot_pence: 1_500_000,
    min_grant_pence: 100_000,
    max_grant_pence: 1_000_000,
    created_at: stamp,
  };
  await trx.insertInto("decision_group").values(group).execute();
  await audit("decision_group", group.id, group);
  for (const [i, idea] of IDEAS.entries()) {
    const org = { id: newId(), name: idea.group, kind: "community_group" as const, created_at: stamp };
    await trx.insertInto("organisation").values(org).execute();
    await audit("organisation", org.id, org);
    const proposal = {
      id: newId(),
      reference: `AI-${String(i + 1).padStart(4, "0")}`,
      decision_group_id: group.id,
      organisation_id: org.id,
      status: "eligible" as const,
      title: idea.title,
      summary: idea.summary,
      amount_requested_pence: idea.pence,
      budget_lines: JSON.stringify([{ item: idea.title, costPence: idea.pence }]),
      need_evidence: "",
      beneficiaries: "People who live nearby",
      what_built: "",
      outcomes: "[]",
      eligibility_answers: "{}",
      created_by: "system",
      created_at: stamp,
      updated_at: stamp,
      submitted_at: stamp,
      version: 1,
    };
    await trx.insertInto("proposal").values(proposal).execute();
    await audit("proposal", proposal.id, proposal);
  }
  await saveBallotSetup(trx, ctx.admin, fund.id, {
    settings: {
      kind: "approval",
      maxChoices: 2,
      pointsTotal: null,
      pointsMinProjects: null,
      budgetPence: null,
      countingRule: "equal-shares",
      tieRule: "cheaper-then-more-votes-then-reference",
      opensAt: new Date(t - DAY).toISOString(),
      closesAt: new Date(t + 30 * DAY).toISOString(),
      minAge: 16,
    },
    postcodes: "",
    prefixes: BALLOT_DEMO_PREFIXES,
  });
  await openBallot(trx, ctx.admin, fund.id, now);
  return fund.id;
}

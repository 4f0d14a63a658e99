import type { Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { generateVoterCodes, normaliseVoterCode, openBallot, saveBallotSetup } from "~/services/community-ballots.server";
import { keyPaperBallot, saveVenue } from "~/services/paper-ballots.server";
import { newId, nowIso, sha256 } from "~/utils/ids.server";
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

/** The demo's venue for paper ballots, and the volunteer who keyed papers there with the second administrator. */
export const PAPER_VENUE_NAME = "Halstead Library";
const VOLUNTEER_KEYER = { email: "paper-keyer@demo.example", name: "Kit Keyer" };
/** The printed code on the demo's paper that is keyed once: key it yourself to see a match or a mismatch. Public, like every demo secret. */
export const DEMO_PAPER_CODE = "PAPR-KEYS-22";

/**
 * A second, small fund decided by residents, with its vote open (issue 12):
 * four ideas on an approval ballot, choose up to 2, for postcodes starting
 * CO9 or CM7. Nobody has voted online yet. At Halstead Library, five paper
 * ballots have been keyed (docs/decisions/0044): two counted, one spoilt, one
 * waiting for its second keying, and one whose keyings differ, for a demo
 * administrator to resolve (the second administrator and a volunteer keyed it).
 */
export async function seedDemoBallot(trx: DB, ctx: { admin: Actor; secondAdmin: Actor }, now = new Date()): Promise<string> {
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
      countingRule: "equal_shares",
      tieRule: "The idea that asks for less money wins. If still tied, the one sent in first.",
      opensAt: new Date(t - DAY).toISOString(),
      closesAt: new Date(t + 30 * DAY).toISOString(),
      minAge: 16,
    },
    postcodes: "",
    prefixes: BALLOT_DEMO_PREFIXES,
  });
  await openBallot(trx, ctx.admin, fund.id, now);
  await seedDemoPaperBallots(trx, { ...ctx, fundId: fund.id }, now);
  return fund.id;
}

/** The venue, its papers, and five papers keyed by the second administrator and a volunteer keyer (who cannot sign in). */
async function seedDemoPaperBallots(trx: DB, ctx: { admin: Actor; secondAdmin: Actor; fundId: string }, now: Date) {
  const stamp = nowIso();
  const volunteer = { id: newId(), ...VOLUNTEER_KEYER };
  // No password anyone knows: the volunteer's keyings are history, and the demo's administrators do the rest.
  await trx
    .insertInto("user")
    .values({ ...volunteer, password_hash: "no-sign-in", disabled_at: null, created_at: stamp, updated_at: stamp })
    .execute();
  await appendAuditEvent(trx, { actor: "system", action: "user.seeded", entityType: "user", entityId: volunteer.id, after: volunteer });
  const membership = {
    id: newId(),
    user_id: volunteer.id,
    role: "admin" as const,
    organisation_id: null,
    decision_group_id: null,
    fund_id: null,
    constituency: null,
    interests_declared_at: null,
    started_at: stamp,
    ended_at: null,
    created_by: null,
  };
  await trx.insertInto("membership").values(membership).execute();
  await appendAuditEvent(trx, { actor: "system", action: "membership.seeded", entityType: "membership", entityId: membership.id, after: membership });
  const keyer: Actor = { id: volunteer.id, role: "admin", organisationId: null, decisionGroupId: null, membershipId: membership.id };

  const venueId = await saveVenue(trx, ctx.admin, ctx.fundId, { name: PAPER_VENUE_NAME, postcode: "CO9 2ET", issued: 40, returned: 6 });
  const codes = await generateVoterCodes(trx, ctx.admin, ctx.fundId, 4);
  // One code the README names, so a newcomer can key the paper that waits for its second keying.
  const ballot = await trx.selectFrom("community_ballot").select("id").where("fund_id", "=", ctx.fundId).executeTakeFirstOrThrow();
  const demoCode = {
    id: newId(),
    ballot_id: ballot.id,
    code_hash: sha256(normaliseVoterCode(DEMO_PAPER_CODE)),
    created_by: ctx.admin.id,
    created_at: stamp,
    used_at: null,
  };
  await trx.insertInto("ballot_voter_code").values(demoCode).execute();
  await appendAuditEvent(trx, {
    actor: "system",
    action: "ballot_voter_code.seeded",
    entityType: "community_ballot",
    entityId: ballot.id,
    after: { count: 1 },
  });
  const projects = await trx
    .selectFrom("community_ballot_project")
    .innerJoin("community_ballot", "community_ballot.id", "community_ballot_project.ballot_id")
    .select("community_ballot_project.proposal_id as id")
    .where("community_ballot.fund_id", "=", ctx.fundId)
    .orderBy("community_ballot_project.position")
    .execute();
  const pick = (...positions: number[]) => Object.fromEntries(positions.map((i) => [projects[i]!.id, 1]));
  const paper = (code: string, choices: Record<string, number>, isSpoilt = false) => ({ venueId, voterCode: code, isSpoilt, choices });
  const keyed: [Actor, ReturnType<typeof paper>][] = [
    [ctx.secondAdmin, paper(codes[0]!, pick(0, 1))],
    [keyer, paper(codes[0]!, pick(0, 1))],
    [ctx.secondAdmin, paper(codes[1]!, pick(2))],
    [keyer, paper(codes[1]!, pick(2))],
    [ctx.secondAdmin, paper(codes[2]!, {}, true)],
    [keyer, paper(codes[2]!, {}, true)],
    // The keyings differ: one read the second tick as the third idea, the other as the fourth.
    [ctx.secondAdmin, paper(codes[3]!, pick(1, 2))],
    [keyer, paper(codes[3]!, pick(1, 3))],
    [keyer, paper(DEMO_PAPER_CODE, pick(3))],
  ];
  for (const [by, input] of keyed) await keyPaperBallot(trx, by, ctx.fundId, input, now);
}

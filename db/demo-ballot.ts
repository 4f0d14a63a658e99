import type { Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import type { BallotSetupInput } from "~/services/community-ballots.server";
import {
  castBallot,
  countCommunityBallot,
  generateVoterCodes,
  normaliseVoterCode,
  openBallot,
  redeemVoterCode,
  saveBallotSetup,
} from "~/services/community-ballots.server";
import { getVoterBySessionHash } from "~/models/community-ballot.server";
import { addEqualityQuestion, recordVoterEqualityAnswer, setReferenceFigures } from "~/services/equality.server";
import { keyPaperBallot, saveVenue } from "~/services/paper-ballots.server";
import { newId, nowIso, sha256 } from "~/utils/ids.server";
import type { DB } from "./client";

export const BALLOT_FUND_NAME = "All In Neighbourhood Fund (demo)";
/** A second fund decided by residents: its vote closed last week and is counted, so the results page has something to show. */
export const COUNTED_BALLOT_FUND_NAME = "Pocket Parks Fund (demo)";
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

interface Idea {
  group: string;
  title: string;
  summary: string;
  pence: number;
}

type Audit = (entityType: string, entityId: string, after: unknown) => Promise<unknown>;

/** A published fund decided by residents, as the demo seeds it. */
async function addBallotFund(trx: DB, audit: Audit, fund: { name: string; purpose: string; budgetPence: number; createdAt: string }) {
  const row = {
    id: newId(),
    name: fund.name,
    purpose: fund.purpose,
    type: "revenue" as const,
    budget_pence: fund.budgetPence,
    is_published: 1 as const,
    created_at: fund.createdAt,
    decision_method: "ballot" as const,
  };
  await trx.insertInto("fund").values(row).execute();
  await audit("fund", row.id, row);
  return row.id;
}

/** A decision group (the ballot's pot) and its ideas, each from its own community group, eligible for the vote. */
async function addIdeas(
  trx: DB,
  audit: Audit,
  fundId: string,
  pot: { name: string; potPence: number },
  ideas: readonly Idea[],
  reference: (i: number) => string,
) {
  const stamp = nowIso();
  const group = {
    id: newId(),
    fund_id: fundId,
    name: pot.name,
    area: pot.name,
    pot_pence: pot.potPence,
    min_grant_pence: 100_000,
    max_grant_pence: 1_500_000,
    created_at: stamp,
  };
  await trx.insertInto("decision_group").values(group).execute();
  await audit("decision_group", group.id, group);
  const ids: string[] = [];
  for (const [i, idea] of ideas.entries()) {
    const org = { id: newId(), name: idea.group, kind: "community_group" as const, created_at: stamp };
    await trx.insertInto("organisation").values(org).execute();
    await audit("organisation", org.id, org);
    const proposal = {
      id: newId(),
      reference: reference(i),
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
    ids.push(proposal.id);
  }
  return ids;
}

const approvalSetup = (maxChoices: number, opensAt: Date, closesAt: Date): BallotSetupInput => ({
  settings: {
    kind: "approval",
    maxChoices,
    pointsTotal: null,
    pointsMinProjects: null,
    budgetPence: null,
    countingRule: "equal-shares",
    tieRule: "cheaper-then-more-votes-then-reference",
    opensAt: opensAt.toISOString(),
    closesAt: closesAt.toISOString(),
    minAge: 16,
  },
  postcodes: "",
  prefixes: BALLOT_DEMO_PREFIXES,
});

const demoAudit =
  (trx: DB): Audit =>
  (entityType, entityId, after) =>
    appendAuditEvent(trx, { actor: "system", action: `${entityType}.seeded`, entityType, entityId, after });

/**
 * A second, small fund decided by residents, with its vote open (issue 12):
 * four ideas on an approval ballot, choose up to 2, for postcodes starting
 * CO9 or CM7. Nobody has voted online yet. At Halstead Library, five paper
 * ballots have been keyed (docs/decisions/0044): two counted, one spoilt, one
 * waiting for its second keying, and one whose keyings differ, for a demo
 * administrator to resolve (the second administrator and a volunteer keyed it).
 */
export async function seedDemoBallot(trx: DB, ctx: { admin: Actor; secondAdmin: Actor }, now = new Date()): Promise<string> {
  const t = now.getTime();
  const audit = demoAudit(trx);
  const fundId = await addBallotFund(trx, audit, {
    name: BALLOT_FUND_NAME,
    purpose: "Small grants for ideas from local people. People who live in the area vote, and the ideas with most votes get the money.",
    budgetPence: 1_500_000,
    createdAt: nowIso(),
  });
  await addIdeas(trx, audit, fundId, { name: "Halstead and Braintree", potPence: 1_500_000 }, IDEAS, (i) => `AI-${String(i + 1).padStart(4, "0")}`);
  await saveBallotSetup(trx, ctx.admin, fundId, approvalSetup(2, new Date(t - DAY), new Date(t + 30 * DAY)));
  await openBallot(trx, ctx.admin, fundId, now);
  await seedDemoPaperBallots(trx, { ...ctx, fundId }, now);
  return fundId;
}

/** Pocket parks: two areas, each with its own pot. */
const PARKS: { pot: { name: string; potPence: number }; ideas: Idea[] }[] = [
  {
    pot: { name: "Halstead", potPence: 2_000_000 },
    ideas: [
      {
        group: "Halstead Town Green Friends",
        title: "A play area on the town green",
        summary: "Swings, a climbing frame and soft ground for small children.",
        pence: 1_200_000,
      },
      { group: "Halstead Benches Group", title: "Benches along the river walk", summary: "Ten benches so older people can rest on the walk.", pence: 800_000 },
      {
        group: "Trinity Wildflower Volunteers",
        title: "Wildflower meadow by the school",
        summary: "A meadow the school's children sow and look after.",
        pence: 600_000,
      },
      {
        group: "Halstead Youth Shelter Project",
        title: "A shelter for young people",
        summary: "A covered place to meet, with lights, designed by young people.",
        pence: 500_000,
      },
    ],
  },
  {
    pot: { name: "Witham", potPence: 1_500_000 },
    ideas: [
      { group: "Witham Orchard Group", title: "A community orchard", summary: "Twenty fruit trees that anyone may pick from.", pence: 900_000 },
      { group: "Witham Ramblers", title: "Signs for a pocket park trail", summary: "A walking trail linking four small parks, with maps.", pence: 600_000 },
      { group: "Witham Pond Dippers", title: "Clean up the pond", summary: "Clear the pond and add a dipping platform for families.", pence: 400_000 },
    ],
  },
];

/**
 * Who voted for what (by the ideas' places above, as [pot, idea]): a big
 * group who want the play area and the benches, a smaller group who want the
 * meadow and the youth shelter, and Witham's voters. Counted by Equal Shares,
 * both groups get projects; "most votes first" would fund only the big
 * group's (the results page shows both).
 */
const PARK_BALLOTS: { voters: number; choices: [number, number][] }[] = [
  {
    voters: 14,
    choices: [
      [0, 0],
      [0, 1],
      [1, 0],
    ],
  },
  {
    voters: 6,
    choices: [
      [0, 0],
      [0, 1],
    ],
  },
  {
    voters: 9,
    choices: [
      [0, 2],
      [0, 3],
      [1, 1],
    ],
  },
  {
    voters: 5,
    choices: [
      [1, 2],
      [1, 1],
    ],
  },
  { voters: 4, choices: [[1, 0]] },
];

/** The counted vote's one equality question, with the area's figures (tenths of a percent). */
const PARK_AGE_QUESTION = {
  text: "How old are you?",
  options: [
    ["Under 40", 450],
    ["40 to 64", 350],
    ["65 or over", 200],
  ] as [string, number][],
};

/**
 * Which age the nth voter gave (an index of PARK_AGE_QUESTION's options), or
 * null for no answer: 14 under 40, 17 aged 40 to 64, 4 aged 65 or over (a
 * group under 10, so the results page hides it), and 3 who did not answer.
 */
const parkAgeAnswer = (n: number): number | null => (n < 14 ? 0 : n < 31 ? 1 : n < 35 ? 2 : null);

/**
 * Whether the nth voter ticked "Also use my answers to show how the money was
 * shared" (docs/decisions/0055): all but every fifth, so 28 agreed: 12 under
 * 40 and 13 aged 40 to 64 (their money shows) and 3 aged 65 or over (hidden).
 */
const parkKeepsWithVote = (n: number): boolean => n % 5 !== 4;

/**
 * A third fund decided by residents, whose vote closed a week ago and has been
 * counted, so a newcomer sees a published result, the rule comparison and
 * the recount files at once. Made through the services, with times in the
 * past: opened three weeks ago, 38 people voted with printed codes ten days
 * ago (35 of them said how old they are, 28 of those agreed to keep their
 * answer with their vote until the count), closed a week ago, counted now.
 */
export async function seedDemoCountedBallot(trx: DB, ctx: { admin: Actor }, now = new Date()): Promise<string> {
  const t = now.getTime();
  const audit = demoAudit(trx);
  const fundId = await addBallotFund(trx, audit, {
    name: COUNTED_BALLOT_FUND_NAME,
    purpose: "Money to make small parks better. People who live in Halstead and Witham voted on the ideas, and the votes decided.",
    budgetPence: 3_500_000,
    // After the open vote's fund, so pages that pick "the first ballot fund" keep finding the open one.
    createdAt: new Date(t + 1000).toISOString(),
  });
  const ids: string[][] = [];
  for (const [p, park] of PARKS.entries()) {
    ids.push(await addIdeas(trx, audit, fundId, park.pot, park.ideas, (i) => `PP-${p + 1}${String(i + 1).padStart(3, "0")}`));
  }
  await saveBallotSetup(trx, ctx.admin, fundId, approvalSetup(2, new Date(t - 20 * DAY), new Date(t - 7 * DAY)));
  await openBallot(trx, ctx.admin, fundId, new Date(t - 21 * DAY));
  const voting = new Date(t - 10 * DAY);
  const total = PARK_BALLOTS.reduce((n, b) => n + b.voters, 0);
  const codes = await generateVoterCodes(trx, ctx.admin, fundId, total);
  const age = await addEqualityQuestion(trx, ctx.admin, fundId, { text: PARK_AGE_QUESTION.text, options: PARK_AGE_QUESTION.options.map(([label]) => label) });
  const ageOptions = await trx.selectFrom("equality_option").select("id").where("question_id", "=", age).orderBy("position").execute();
  await setReferenceFigures(trx, ctx.admin, fundId, age, Object.fromEntries(PARK_AGE_QUESTION.options.map(([, tenths], i) => [ageOptions[i]!.id, tenths])));
  let next = 0;
  for (const ballot of PARK_BALLOTS) {
    for (let v = 0; v < ballot.voters; v += 1) {
      const n = next;
      const token = await redeemVoterCode(trx, fundId, codes[next++]!, voting);
      const voter = await getVoterBySessionHash(trx, sha256(token), voting.toISOString());
      await castBallot(trx, voter!.id, fundId, Object.fromEntries(ballot.choices.map(([pot, idea]) => [ids[pot]![idea]!, 1])), voting);
      const answer = parkAgeAnswer(n);
      if (answer !== null) await recordVoterEqualityAnswer(trx, voter!.id, fundId, { [age]: ageOptions[answer]!.id }, { keepWithVote: parkKeepsWithVote(n) });
    }
  }
  await countCommunityBallot(trx, ctx.admin, fundId, now);
  return fundId;
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

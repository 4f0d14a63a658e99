import type { Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { acceptAward, createAward } from "~/services/awards.server";
import { recordDecision, setResultsPublished } from "~/services/decisions.server";
import { declareInterests } from "~/services/interests.server";
import { addNote, closeMeeting, openMeeting, recordAttendance } from "~/services/meetings.server";
import { endMembership, startMembership } from "~/services/memberships.server";
import { setChair } from "~/services/panel-rules.server";
import { leadOrganisationDecision, saveDraft, screenEligibility, startProposal, submitProposal } from "~/services/proposals.server";
import { closeScoring, openGroupForReview, saveScoreSheet } from "~/services/scoring.server";
import { castVote, closeVote, openVote } from "~/services/voting.server";
import { addYouSaidWeDid } from "~/services/you-said-we-did.server";
import { seedDemoSurvey } from "./demo-survey";
import { newId, nowIso } from "~/utils/ids.server";
import type { DB } from "./client";
import { seedDemoEquality } from "./demo-equality";

const POUNDS = 100;
const DAY = 86_400_000;

export const PAST_FUND_NAME = "Community Resilience Fund 2025 (demo)";
const GROUP = { name: "City-wide (2025)", area: "The most deprived 30% of the city", pot: 300_000, min: 10_000, max: 200_000 };
const LEAD = "South Bristol Community Network";

/**
 * Last round's panel: the South Bristol members sat on it, with the Equality communities members and one Inner City
 * resident (nine in all, so its survey has enough answers to show); their 2025 memberships ended with the round.
 */
const PANEL = [
  "south-resident@demo.example",
  "south-resident2@demo.example",
  "south-councillor@demo.example",
  "south-vcse@demo.example",
  "equality-resident@demo.example",
  "equality-resident2@demo.example",
  "equality-councillor@demo.example",
  "equality-vcse@demo.example",
  "resident2@demo.example",
] as const;
const CHAIR = "south-resident@demo.example";

/** Three proposals, decided in line with the panel's scores and votes: two funded, one not. */
const PROPOSALS = [
  {
    organisation: "Knowle West Youth Makers",
    title: "A maker space in the Knowle West youth centre",
    summary: "Benches, tools and a laser cutter so young people can build and repair things after school.",
    whatBuilt: "A fitted workshop with benches, hand tools, a laser cutter and dust extraction.",
    beneficiaries: "Young people aged 11 to 18 in Knowle West",
    count: 250,
    amount: 150_000,
    mark: 5,
    vote: "fund" as const,
  },
  {
    organisation: "Hartcliffe Allotment Society",
    title: "A shared polytunnel and rainwater store",
    summary: "A large polytunnel and rainwater tanks, so members and the local school can grow food all year.",
    whatBuilt: "A 30-metre polytunnel, two rainwater tanks and an accessible path.",
    beneficiaries: "Allotment members and pupils of the nearby primary school",
    count: 180,
    amount: 120_000,
    mark: 4,
    vote: "fund" as const,
  },
  {
    organisation: "Filwood Boxing Club",
    title: "A new ring and changing rooms",
    summary: "A full-size ring and new changing rooms, so the club can run more sessions for girls and women.",
    whatBuilt: "A boxing ring, two changing rooms and showers.",
    beneficiaries: "Club members and new women's and girls' groups",
    count: 140,
    amount: 180_000,
    mark: 2,
    vote: "dont_fund" as const,
  },
];

export interface PastRoundContext {
  admin: Actor;
  orgIds: Map<string, string>;
  /** The first user of each organisation. */
  actors: Map<string, Actor>;
  people: Map<string, Actor>;
  /** The current round's fund, whose scoring criteria last round used too. */
  currentFundId: string;
}

/**
 * Last year's round, already decided and published, so a newcomer sees every
 * public page at once: results with minutes, 360Giving open data and
 * "You said, we did". Made through the real services, like the rest of the
 * demo; proposals were submitted inside that round's window.
 */
export async function seedDemoPastRound(trx: DB, ctx: PastRoundContext, now = new Date()): Promise<string> {
  const { admin } = ctx;
  const t = now.getTime();
  const day = (offset: number) => new Date(t + offset * DAY).toISOString().slice(0, 10);
  const stamp = nowIso();
  const audit = (entityType: string, entityId: string, after: unknown) =>
    appendAuditEvent(trx, { actor: "system", action: `${entityType}.seeded`, entityType, entityId, after });

  const current = await trx
    .selectFrom("fund")
    .select(["purpose", "composition_rules", "funder_prefix", "funder_org_id", "funder_org_name"])
    .where("id", "=", ctx.currentFundId)
    .executeTakeFirstOrThrow();
  const fund = {
    id: newId(),
    name: PAST_FUND_NAME,
    purpose: current.purpose,
    type: "capital" as const,
    budget_pence: GROUP.pot * POUNDS,
    is_published: 1 as const,
    created_at: stamp,
    opens_on: day(-420),
    closes_on: day(-360),
    review_on: day(-345),
    decisions_on: day(-300),
    awards_on: day(-270),
    score_scale_max: 5,
    voting_method: "per_proposal" as const,
    approval_max: null,
    tie_rule: "chair" as const,
    quorum_min_present: 3,
    composition_rules: current.composition_rules,
    results_published_at: null,
    payment_approval_threshold_pence: 25_000 * POUNDS,
    funder_prefix: current.funder_prefix,
    funder_org_id: current.funder_org_id,
    funder_org_name: current.funder_org_name,
    previous_fund_id: null,
  };
  await trx.insertInto("fund").values(fund).execute();
  await audit("fund", fund.id, fund);
  const criteria = await trx
    .selectFrom("criterion")
    .select(["position", "name", "weight", "guidance"])
    .where("fund_id", "=", ctx.currentFundId)
    .orderBy("position")
    .execute();
  const criterionIds: string[] = [];
  for (const c of criteria) {
    const row = { id: newId(), fund_id: fund.id, ...c };
    await trx.insertInto("criterion").values(row).execute();
    await audit("criterion", row.id, row);
    criterionIds.push(row.id);
  }
  const group = {
    id: newId(),
    fund_id: fund.id,
    name: GROUP.name,
    area: GROUP.area,
    pot_pence: GROUP.pot * POUNDS,
    min_grant_pence: GROUP.min * POUNDS,
    max_grant_pence: GROUP.max * POUNDS,
    created_at: stamp,
  };
  await trx.insertInto("decision_group").values(group).execute();
  const link = { decision_group_id: group.id, organisation_id: ctx.orgIds.get(LEAD)! };
  await trx.insertInto("decision_group_lead_org").values(link).execute();
  await audit("decision_group", group.id, { ...group, lead_organisation_id: link.organisation_id });

  // Proposals, submitted while last round was open, supported by the lead organisation and screened eligible.
  const lead = ctx.actors.get(LEAD)!;
  const proposalIds: string[] = [];
  for (const p of PROPOSALS) {
    const applicant = ctx.actors.get(p.organisation)!;
    const id = await startProposal(trx, applicant, { decisionGroupId: group.id, organisationId: ctx.orgIds.get(p.organisation)!, eligibilityAnswers: {} });
    await saveDraft(trx, applicant, id, {
      title: p.title,
      summary: p.summary,
      needType: "expressed",
      needEvidence: "A survey of our members and a waiting list for our sessions.",
      beneficiaries: p.beneficiaries,
      beneficiaryCount: p.count,
      whatBuilt: p.whatBuilt,
      budgetLines: [{ item: p.whatBuilt, costPence: p.amount * POUNDS }],
      amountRequestedPence: p.amount * POUNDS,
      startDate: day(-250),
      endDate: day(-60),
      outcomes: [{ outcome: `${p.count} people use the new facility in its first year`, measure: "Attendance records, reported quarterly" }],
    });
    await submitProposal(trx, applicant, id, { now: new Date(t - 380 * DAY) });
    await leadOrganisationDecision(trx, lead, id, "support", "A well-run group with strong local backing; we helped them cost the work.");
    await screenEligibility(trx, admin, [id], "eligible", "");
    proposalIds.push(id);
  }

  // Last round's panel: a membership each for the round, interests declared, every proposal scored.
  const panel: [string, Actor][] = [];
  for (const email of PANEL) {
    const person = ctx.people.get(email)!;
    const constituency = email.includes("councillor") ? ("councillor" as const) : email.includes("vcse") ? ("vcse" as const) : ("resident" as const);
    const membershipId = await startMembership(trx, admin.id, { userId: person.id, role: "panel_member", decisionGroupId: group.id, constituency });
    const member: Actor = { id: person.id, membershipId, role: "panel_member", organisationId: null, decisionGroupId: group.id };
    await declareInterests(trx, member, { nothingToDeclare: true });
    panel.push([email, member]);
  }
  await setChair(trx, admin, group.id, ctx.people.get(CHAIR)!.id);
  await openGroupForReview(trx, admin, group.id);
  for (const [p, proposalId] of proposalIds.entries()) {
    for (const [m, [, member]] of panel.entries()) {
      const mark = Math.max(0, Math.min(5, PROPOSALS[p]!.mark - (m % 2)));
      await saveScoreSheet(
        trx,
        member,
        proposalId,
        {
          marks: Object.fromEntries(criterionIds.map((id) => [id, mark])),
          comments: Object.fromEntries(criterionIds.map((id) => [id, ""])),
          overall: mark >= 3 ? "Clear need and a realistic plan." : "The need is real, but the costs are not yet clear.",
        },
        true,
      );
    }
  }
  await closeScoring(trx, admin, group.id);

  // One decision meeting: everyone present, a vote on each proposal, minutes published with the results.
  const chair = panel.find(([email]) => email === CHAIR)![1];
  const meetingId = await openMeeting(trx, chair, group.id, { title: "Decision meeting", heldOn: day(-310) });
  await recordAttendance(
    trx,
    chair,
    meetingId,
    panel.map(([, a]) => a.id),
  );
  for (const [p, proposalId] of proposalIds.entries()) {
    const item = PROPOSALS[p]!;
    if (item.vote === "dont_fund") await addNote(trx, chair, meetingId, proposalId, "The panel liked the aim but found the building costs unclear.");
    await openVote(trx, chair, meetingId, proposalId);
    for (const [, member] of panel) await castVote(trx, member, meetingId, proposalId, item.vote);
    await closeVote(trx, chair, meetingId, proposalId, null);
  }
  await closeMeeting(
    trx,
    chair,
    meetingId,
    "All nine panel members were present, so the meeting was quorate. Nobody declared an interest. " +
      "The panel discussed each proposal in order of its scores. It voted to fund the Knowle West maker space and the Hartcliffe polytunnel. " +
      "It voted not to fund the Filwood ring and changing rooms, because the building costs were not yet clear, and asked the lead organisation to help the club apply again.",
  );

  for (const [p, proposalId] of proposalIds.entries()) {
    const item = PROPOSALS[p]!;
    const isFunded = item.vote === "fund";
    await recordDecision(trx, admin, proposalId, {
      outcome: isFunded ? "funded" : "not_funded",
      amountPence: isFunded ? item.amount * POUNDS : null,
      conditions: "",
      reason: isFunded
        ? "Scored highly on community need and deliverability, and the panel voted to fund it."
        : "The panel voted not to fund it: the building costs were not yet clear.",
      feedback: isFunded
        ? "The panel valued your evidence of need. Keep local people involved in the build."
        : "Get two quotes for the building work and talk to your lead organisation before the next round.",
      meetingId,
    });
    if (!isFunded) continue;
    const awardId = await createAward(trx, admin, proposalId);
    await acceptAward(trx, ctx.actors.get(item.organisation)!, awardId, { signatoryName: "Jo Treasurer", signatoryRole: "Treasurer" });
  }
  await setResultsPublished(trx, admin, fund.id, true);

  await addYouSaidWeDid(trx, admin, fund.id, {
    youSaid: "The outline form took too long to fill in.",
    weDid: "We cut the questions this round and the form now saves as you go.",
    doneOn: day(-200),
  });
  await addYouSaidWeDid(trx, admin, fund.id, {
    youSaid: "Panel meetings were at times when carers could not come.",
    weDid: "This round's panels meet in the evening, and we pay for childcare.",
    doneOn: day(-150),
  });

  await seedDemoEquality(trx, {
    admin,
    fundId: fund.id,
    panel: panel.map(([, member]) => member),
    applicants: PROPOSALS.map((p) => ctx.actors.get(p.organisation)!),
  });

  // The round is over: its panel memberships end, and the results keep who sat on the panel.
  for (const [, member] of panel) await endMembership(trx, admin, member.membershipId!);
  // How the round went: the survey after decisions and the running costs (issue 10, items 13 and 15).
  await seedDemoSurvey(trx, { admin, fundId: fund.id, people: ctx.people });
  return fund.id;
}

// npm run db:seed:city — the load benchmark's data set, ten times Bristol's scale, in its own database file
// (DATABASE_PATH, default data/city.sqlite): the demo data, then a second, decided and published fund with
// 1,200 proposals in 70 decision groups (the largest has 160), 1,220 panel members, about 60,000 scores
// (12,000 score sheets of 5 criteria), meetings with votes in four groups, a decision for every proposal,
// awards for the funded ones with a payment each, and the audit trail all that writes.
// Accounts, organisations and groups are written as the demo writes them (a row and its audit event); every
// step after that goes through the portal's own services, a decision group per transaction, so rows, hashes
// and audit events are real. Prints its progress; takes a few minutes.
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import type { Actor } from "~/domain/permissions";
import type { ProposalContent } from "~/domain/proposal";
import { hashPassword } from "~/auth/password.server";
import { appendAuditEvent } from "~/models/audit.server";
import { acceptAward, createAward } from "~/services/awards.server";
import { approvePayment, recordPayment, saveSchedule } from "~/services/award-payments.server";
import { recordDecision, setResultsPublished } from "~/services/decisions.server";
import { declareInterests } from "~/services/interests.server";
import { openMeeting, recordAttendance } from "~/services/meetings.server";
import { setChair } from "~/services/panel-rules.server";
import { eligibilityRules, leadOrganisationDecision, saveDraft, screenEligibility, startProposal, submitProposal } from "~/services/proposals.server";
import { closeScoring, openGroupForReview, saveScoreSheet } from "~/services/scoring.server";
import { castVote, closeVote, openVote } from "~/services/voting.server";
import { newId, nowIso } from "~/utils/ids.server";
import { createDb, inTransaction, migrateToLatest, type DB } from "./client";
import { DEMO_MEMBER_PASSWORD, isDatabaseEmpty, seedDemo } from "./demo-data";
import type { Constituency } from "./schema";

const file = process.env.DATABASE_PATH || "data/city.sqlite";
const GROUPS = 70;
const PROPOSALS = 1_200;
const LARGEST_GROUP = 160;
const PANEL_MEMBERS = 1_220;
const SCORERS_PER_PROPOSAL = 10;
const LEAD_ORGANISATIONS = 10;
const POUNDS = 100;
const MEETING_GROUPS = 4;

/** Seeded, so every city data set is the same. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(2026);
const started = performance.now();
const progress = (message: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);
const isoDay = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

fs.mkdirSync("data", { recursive: true });
const db = createDb(file);
await migrateToLatest(db);
if (!(await isDatabaseEmpty(db))) {
  console.error(`${file} already has data. Delete it (and its -wal and -shm files) to build the city data set again.`);
  process.exit(1);
}
progress(`Writing the demo data into ${file}`);
await seedDemo(db);
const memberHash = await hashPassword(DEMO_MEMBER_PASSWORD);

async function actorFor(trx: DB, email: string, role: string): Promise<Actor> {
  const row = await trx
    .selectFrom("user")
    .innerJoin("membership", "membership.user_id", "user.id")
    .select(["user.id", "membership.id as membershipId", "membership.organisation_id", "membership.decision_group_id"])
    .where("user.email", "=", email)
    .where("membership.role", "=", role as never)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    membershipId: row.membershipId,
    role: role as Actor["role"],
    organisationId: row.organisation_id,
    decisionGroupId: row.decision_group_id,
  };
}

const admin = await actorFor(db, "admin@demo.example", "admin");
const finance = await actorFor(db, "finance@demo.example", "admin");

// Group sizes: the last of 160, the rest share 1,040 (15 or 16 each).
const sizes = Array.from({ length: GROUPS }, (_, g) => (g === GROUPS - 1 ? LARGEST_GROUP : 0));
for (let i = 0; i < PROPOSALS - LARGEST_GROUP; i += 1) sizes[i % (GROUPS - 1)] += 1;
const LARGEST = GROUPS - 1;
/** CITY_GROUPS=3 builds only the first three groups' proposals (a quick check of the script). */
const groupsToBuild = Math.min(GROUPS, Number(process.env.CITY_GROUPS) || GROUPS);
const panelSizes = Array.from({ length: GROUPS }, (_, g) => Math.floor(PANEL_MEMBERS / GROUPS) + (g < PANEL_MEMBERS % GROUPS ? 1 : 0));

interface CityGroup {
  id: string;
  name: string;
  lead: Actor;
  panel: Actor[];
  applicants: Actor[];
  potPence: number;
}

progress("Writing the city fund, its organisations, groups and people");
const { fundId, groups } = await inTransaction(db, async (trx) => {
  const stamp = nowIso();
  const audit = (entityType: string, entityId: string, after: unknown) =>
    appendAuditEvent(trx, { actor: "system", action: `${entityType}.seeded`, entityType, entityId, after });
  const demo = await trx.selectFrom("fund").selectAll().where("name", "=", "Community Resilience Fund (demo)").executeTakeFirstOrThrow();
  const fund = {
    ...demo,
    id: newId(),
    name: "City Fund at ten times the scale (benchmark)",
    budget_pence: 40_000_000 * POUNDS,
    created_at: stamp,
    results_published_at: null,
    funder_prefix: "360G-demo-city10x",
  };
  await trx.insertInto("fund").values(fund).execute();
  await audit("fund", fund.id, fund);
  for (const row of await trx.selectFrom("eligibility_question").selectAll().where("fund_id", "=", demo.id).execute()) {
    const copy = { ...row, id: newId(), fund_id: fund.id };
    await trx.insertInto("eligibility_question").values(copy).execute();
    await audit("eligibility_question", copy.id, copy);
  }
  for (const row of await trx.selectFrom("criterion").selectAll().where("fund_id", "=", demo.id).execute()) {
    const copy = { ...row, id: newId(), fund_id: fund.id };
    await trx.insertInto("criterion").values(copy).execute();
    await audit("criterion", copy.id, copy);
  }

  const addOrganisation = async (name: string, kind: "community_group" | "lead_org") => {
    const org = {
      id: newId(),
      name,
      kind,
      created_at: stamp,
      org_type: kind === "community_group" ? ("unincorporated" as const) : ("charity" as const),
      registration_number: null,
      address: "1 Example Street, Bristol",
      postcode: "BS1 1AA",
      contact_name: null,
      contact_email: null,
      contact_phone: null,
      created_by: null,
    };
    await trx.insertInto("organisation").values(org).execute();
    await audit("organisation", org.id, org);
    return org.id;
  };
  const addPerson = async (
    email: string,
    name: string,
    role: Actor["role"] & string,
    where: { organisationId?: string; groupId?: string; constituency?: Constituency },
  ) => {
    const user = { id: newId(), email, name };
    await trx
      .insertInto("user")
      .values({ ...user, password_hash: memberHash, disabled_at: null, created_at: stamp, updated_at: stamp })
      .execute();
    await audit("user", user.id, user);
    const membership = {
      id: newId(),
      user_id: user.id,
      role,
      organisation_id: where.organisationId ?? null,
      decision_group_id: where.groupId ?? null,
      fund_id: null,
      constituency: where.constituency ?? null,
      interests_declared_at: null,
      started_at: stamp,
      ended_at: null,
      created_by: null,
    };
    await trx.insertInto("membership").values(membership).execute();
    await audit("membership", membership.id, membership);
    return {
      id: user.id,
      membershipId: membership.id,
      role,
      organisationId: membership.organisation_id,
      decisionGroupId: membership.decision_group_id,
    } as Actor;
  };

  const leads: Actor[] = [];
  const leadOrgIds: string[] = [];
  for (let l = 0; l < LEAD_ORGANISATIONS; l += 1) {
    const orgId = await addOrganisation(`City Lead Organisation ${l + 1}`, "lead_org");
    leadOrgIds.push(orgId);
    leads.push(await addPerson(`city-lead-${l + 1}@demo.example`, `City Lead ${l + 1}`, "lead_org", { organisationId: orgId }));
  }
  const list: CityGroup[] = [];
  for (let g = 0; g < GROUPS; g += 1) {
    const totalAsk = sizes[g]! * 80_000 * POUNDS;
    const group = {
      id: newId(),
      fund_id: fund.id,
      name: `City Area ${String(g + 1).padStart(2, "0")}`,
      area: `Ward group ${g + 1}`,
      pot_pence: Math.round(totalAsk * 0.45),
      min_grant_pence: 10_000 * POUNDS,
      max_grant_pence: 150_000 * POUNDS,
      created_at: stamp,
    };
    await trx.insertInto("decision_group").values(group).execute();
    const link = { decision_group_id: group.id, organisation_id: leadOrgIds[g % LEAD_ORGANISATIONS]! };
    await trx.insertInto("decision_group_lead_org").values(link).execute();
    await audit("decision_group", group.id, { ...group, lead_organisation_id: link.organisation_id });
    const panel: Actor[] = [];
    for (let m = 0; m < panelSizes[g]!; m += 1) {
      // Half residents, a quarter councillors, a quarter VCSE: inside the demo fund's composition rules.
      const constituency: Constituency = m % 4 === 1 ? "councillor" : m % 4 === 3 ? "vcse" : "resident";
      panel.push(
        await addPerson(`city-panel-${g + 1}-${m + 1}@demo.example`, `Panel Member ${g + 1}-${m + 1}`, "panel_member", { groupId: group.id, constituency }),
      );
    }
    // One community group (with one member) for every two proposals.
    const applicants: Actor[] = [];
    for (let a = 0; a < Math.ceil(sizes[g]! / 2); a += 1) {
      const orgId = await addOrganisation(`City Community Group ${g + 1}-${a + 1}`, "community_group");
      applicants.push(await addPerson(`city-group-${g + 1}-${a + 1}@demo.example`, `Group Member ${g + 1}-${a + 1}`, "applicant", { organisationId: orgId }));
    }
    list.push({ id: group.id, name: group.name, lead: leads[g % LEAD_ORGANISATIONS]!, panel, applicants, potPence: group.pot_pence });
  }
  return { fundId: fund.id, groups: list };
});

const rules = await eligibilityRules(db, fundId);
const eligibleAnswers = Object.fromEntries(rules.map((r) => [r.id, r.options.find((o) => !r.ineligibleAnswers.includes(o))!]));
const criteria = await db.selectFrom("criterion").select(["id", "weight"]).where("fund_id", "=", fundId).orderBy("position").execute();
let proposalCount = 0;
let sheetCount = 0;
let awardCount = 0;

for (const [g, group] of groups.entries()) {
  if (g >= groupsToBuild && g !== LARGEST) continue;
  await inTransaction(db, async (trx) => {
    for (const member of group.panel) await declareInterests(trx, member, { nothingToDeclare: true });
    await setChair(trx, admin, group.id, group.panel[0]!.id);

    // Proposals: started, written, submitted, supported by the lead organisation, then screened eligible.
    const proposals: { id: string; ask: number; quality: number; applicant: Actor }[] = [];
    for (let p = 0; p < sizes[g]!; p += 1) {
      const applicant = group.applicants[Math.floor(p / 2)]!;
      const ask = (10_000 + Math.floor(random() * 140) * 1_000) * POUNDS;
      const id = await startProposal(trx, applicant, {
        decisionGroupId: group.id,
        organisationId: applicant.organisationId!,
        eligibilityAnswers: eligibleAnswers,
      });
      const content: ProposalContent = {
        title: `${group.name}: community project ${p + 1}`,
        summary: "We will improve a shared community space so more local people can use it safely, all year round.",
        needType: "expressed",
        needEvidence: "Gathered at community meetings with our lead organisation, and from our own waiting lists and surveys.",
        beneficiaries: "Residents of the area",
        beneficiaryCount: 100 + p,
        whatBuilt: "Building works, fittings and equipment for the community space.",
        budgetLines: [{ item: "Building works and equipment", costPence: ask }],
        amountRequestedPence: ask,
        startDate: isoDay(120),
        endDate: isoDay(300),
        outcomes: [{ outcome: "People use the new space in its first year", measure: "Attendance records, reported quarterly" }],
      };
      await saveDraft(trx, applicant, id, content);
      await submitProposal(trx, applicant, id);
      await leadOrganisationDecision(trx, group.lead, id, "support", "We know this group well and the community asked for this project.");
      proposals.push({ id, ask, quality: random() * 3, applicant });
    }
    await screenEligibility(
      trx,
      admin,
      proposals.map((p) => p.id),
      "eligible",
      "",
    );
    proposalCount += proposals.length;

    // Scoring: each proposal by ten of the panel, in turn.
    await openGroupForReview(trx, admin, group.id);
    const means = new Map<string, number>();
    for (const [p, proposal] of proposals.entries()) {
      let total = 0;
      for (let s = 0; s < SCORERS_PER_PROPOSAL; s += 1) {
        const member = group.panel[(p + s) % group.panel.length]!;
        const marks = Object.fromEntries(criteria.map((c) => [c.id, Math.max(0, Math.min(5, Math.round(1 + proposal.quality + random() * 2 - 0.5)))]));
        total += criteria.reduce((sum, c) => sum + marks[c.id]! * c.weight, 0);
        await saveScoreSheet(trx, member, proposal.id, { marks, comments: Object.fromEntries(criteria.map((c) => [c.id, ""])), overall: "Clear plan." }, true);
        sheetCount += 1;
      }
      means.set(proposal.id, total / SCORERS_PER_PROPOSAL);
    }
    await closeScoring(trx, admin, group.id);

    // Funded: down the ranking while the pot lasts.
    const ranked = [...proposals].sort((a, b) => means.get(b.id)! - means.get(a.id)!);
    let left = group.potPence;
    const funded = new Set<string>();
    for (const p of ranked) {
      if (p.ask <= left) {
        funded.add(p.id);
        left -= p.ask;
      }
    }

    // A meeting with a vote on every proposal in the largest group and three others.
    let meetingId: string | null = null;
    if (g < MEETING_GROUPS - 1 || g === LARGEST) {
      const chair = group.panel[0]!;
      meetingId = await openMeeting(trx, chair, group.id, { title: "Decision meeting", heldOn: isoDay(0) });
      await recordAttendance(
        trx,
        chair,
        meetingId,
        group.panel.map((m) => m.id),
      );
      for (const p of ranked) {
        await openVote(trx, chair, meetingId, p.id);
        for (const member of group.panel) await castVote(trx, member, meetingId, p.id, funded.has(p.id) ? "fund" : "dont_fund");
        await closeVote(trx, chair, meetingId, p.id, null);
      }
    }

    // Decisions, and for each funded proposal an accepted award with its payment.
    for (const p of ranked) {
      const isFunded = funded.has(p.id);
      await recordDecision(trx, admin, p.id, {
        outcome: isFunded ? "funded" : "not_funded",
        amountPence: isFunded ? p.ask : null,
        conditions: "",
        reason: isFunded ? "Scored highly on community need and deliverability." : "Other proposals scored higher and the pot was spent.",
        feedback: "Thank you for your clear proposal.",
        meetingId,
      });
      if (!isFunded) continue;
      const awardId = await createAward(trx, admin, p.id);
      await acceptAward(trx, p.applicant, awardId, { signatoryName: "Jo Treasurer", signatoryRole: "Treasurer" });
      await saveSchedule(trx, admin, awardId, [{ amountPence: p.ask, dueOn: isoDay(-5), releasedBy: "acceptance", reportId: null }]);
      const [instalment] = await trx.selectFrom("payment_instalment").select("id").where("award_id", "=", awardId).execute();
      const payment = await recordPayment(trx, admin, awardId, {
        instalmentId: instalment!.id,
        amountPence: p.ask,
        paidOn: isoDay(-4),
        reference: `BACS-${awardId.slice(0, 8)}`,
      });
      if (payment.status === "awaiting_approval") await approvePayment(trx, finance, payment.id);
      awardCount += 1;
    }
  });
  progress(`${group.name}: ${sizes[g]} proposals (${proposalCount} of ${PROPOSALS}), ${sheetCount} score sheets, ${awardCount} awards`);
}

if (groupsToBuild === GROUPS) await setResultsPublished(db, admin, fundId, true);
const events = await db
  .selectFrom("audit_event")
  .select((eb) => eb.fn.countAll<number>().as("n"))
  .executeTakeFirstOrThrow();
progress(
  `Done: ${file} holds the city fund${groupsToBuild === GROUPS ? " (published)" : ""}, ${proposalCount} proposals, ${sheetCount} score sheets, ${awardCount} awards and ${events.n} audit events.`,
);
await db.destroy();

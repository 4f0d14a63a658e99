import { hashPassword } from "~/auth/password.server";
import type { Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { newId, nowIso } from "~/utils/ids.server";
import { inTransaction, type DB } from "./client";
import { seedDemoAwards } from "./demo-awards";
import { seedDemoBallot, seedDemoCountedBallot } from "./demo-ballot";
import { DEMO_TEAM_NAME, seedDemoTeams } from "./demo-teams";
import { seedDemoPublicMeetings } from "./demo-public-meeting";
import { seedDemoPastRound } from "./demo-past-round";
import { EXTRA_PANEL_MEMBERS, seedDemoPanels } from "./demo-panels";
import { seedDemoProposals } from "./demo-proposals";
import { seedDemoTwoFactor } from "./demo-two-factor";
import { DEMO_TWO_FACTOR_EMAILS } from "./demo-two-factor-key";
import type { Constituency, Role } from "./schema";

/** One demo person with three memberships (README: "One person, several roles"). */
export const MANY_HATS = {
  email: "many-hats@demo.example",
  name: "Morgan Many-Hats",
  memberships: [
    { role: "applicant" as const, organisation: "Easton Tenants' Kitchen" },
    { role: "panel_member" as const, constituency: "resident" as const, group: "Inner City and East" },
    { role: "lead_org" as const, organisation: "Equalities Voice Partnership" },
  ],
};

/** The demo accounts, one per role. The README lists them; keep the two in step. */
export const DEMO_ACCOUNTS: ReadonlyArray<{
  email: string;
  password: string;
  name: string;
  role: Role;
  constituency?: Constituency;
  organisation?: string;
  group?: string;
  /** A member of this community team (seedDemoTeams adds them). */
  team?: string;
}> = [
  { email: "admin@demo.example", password: "demo-admin-pass-2026", name: "Asha Admin", role: "admin" },
  { email: "lead@demo.example", password: "demo-lead-pass-2026", name: "Lee Lead", role: "lead_org", organisation: "Inner East Community Anchor" },
  {
    email: "applicant@demo.example",
    password: "demo-applicant-pass-2026",
    name: "Amara Applicant",
    role: "applicant",
    organisation: "Lawrence Hill Community Garden",
  },
  {
    email: "resident@demo.example",
    password: "demo-resident-pass-2026",
    name: "Rita Resident",
    role: "panel_member",
    constituency: "resident",
    group: "Inner City and East",
  },
  {
    email: "councillor@demo.example",
    password: "demo-councillor-pass-2026",
    name: "Cllr Colin Carter",
    role: "panel_member",
    constituency: "councillor",
    group: "Inner City and East",
  },
  { email: "vcse@demo.example", password: "demo-vcse-pass-2026", name: "Val VCSE", role: "panel_member", constituency: "vcse", group: "Inner City and East" },
  { email: "adviser@demo.example", password: "demo-adviser-pass-2026", name: "Sam Surveyor", role: "adviser", group: "Inner City and East" },
  { email: "team@demo.example", password: "demo-team-pass-2026", name: "Tia Team", role: "applicant", team: DEMO_TEAM_NAME },
];

/** Staff of the other lead organisations and one member of each other community group share this password. */
export const DEMO_MEMBER_PASSWORD = "demo-member-pass-2026";

const POUNDS = 100;
const DAY = 86_400_000;

const GROUPS = [
  {
    name: "Inner City and East",
    area: "Lawrence Hill, Easton, St Pauls and Ashley",
    pot: 1_600_000,
    min: 50_000,
    max: 400_000,
    lead: "Inner East Community Anchor",
  },
  {
    name: "South Bristol",
    area: "Hartcliffe, Withywood, Knowle West and Filwood",
    pot: 1_600_000,
    min: 50_000,
    max: 400_000,
    lead: "South Bristol Community Network",
  },
  {
    name: "Equality communities",
    area: "City-wide self-organised equality groups",
    pot: 800_000,
    min: 10_000,
    max: 150_000,
    lead: "Equalities Voice Partnership",
  },
];

const COMMUNITY_GROUPS = [
  "Lawrence Hill Community Garden",
  "Easton Tenants' Kitchen",
  "St Pauls Carnival Workshop",
  "Knowle West Youth Makers",
  "Hartcliffe Allotment Society",
  "Filwood Boxing Club",
  "Deaf Community Hub Bristol",
  "Bristol Somali Women's Network",
  "Trans Wellbeing Collective",
];

const ELIGIBILITY_QUESTIONS = [
  {
    text: "Is your group in the most deprived 30% of the city, or a city-wide self-organised equality group?",
    kind: "yes_no" as const,
    options: ["Yes", "No"],
    ineligible: ["No"],
    reason: "This fund is only for groups in the most deprived 30% of the city and for city-wide self-organised equality groups.",
  },
  {
    text: "Will the grant pay for something physical, such as building work or equipment, rather than running a service?",
    kind: "yes_no" as const,
    options: ["Yes", "No"],
    ineligible: ["No"],
    reason: "This is a capital fund. It pays for something physical, such as building work or equipment, not for running a service.",
  },
  {
    text: "What kind of organisation is your group?",
    kind: "choice" as const,
    options: ["Community or voluntary group", "Registered charity", "Community interest company", "Business run for private profit"],
    ineligible: ["Business run for private profit"],
    reason: "Grants go to community and voluntary organisations, not to businesses run for private profit.",
  },
];

const CRITERIA = [
  { name: "Community need", weight: 3 },
  { name: "Community involvement", weight: 2 },
  { name: "Deliverability", weight: 2 },
  { name: "Value for money", weight: 1 },
  { name: "Lasting benefit", weight: 2 },
];

const BANDS = [
  "No evidence",
  "Very weak: little evidence",
  "Weak: some evidence with gaps",
  "Adequate: meets the criterion",
  "Good: clear, well-evidenced",
  "Excellent: compelling, strong evidence",
];

export async function isDatabaseEmpty(db: DB): Promise<boolean> {
  const row = await db.selectFrom("user").select("id").limit(1).executeTakeFirst();
  return !row;
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * Writes the Bristol-style demo in one transaction: every record with its
 * audit event, and proposals moved through their states by the real services.
 * Phase dates are relative to today so the demo stays open for submissions.
 * With onlyIfEmpty it writes nothing, and returns false, when the database
 * already has people in it (checked inside the write transaction).
 */
export async function seedDemo(db: DB, now = new Date(), options: { onlyIfEmpty?: boolean } = {}): Promise<boolean> {
  const [hashes, memberHash] = await Promise.all([Promise.all(DEMO_ACCOUNTS.map((a) => hashPassword(a.password))), hashPassword(DEMO_MEMBER_PASSWORD)]);
  return inTransaction(db, async (trx) => {
    // Two servers started at once on one new PostgreSQL database both find it empty; the write lock lets one seed, and the other finds its rows here.
    if (options.onlyIfEmpty && !(await isDatabaseEmpty(trx))) return false;
    const stamp = nowIso();
    const audit = (entityType: string, entityId: string, after: unknown) =>
      appendAuditEvent(trx, { actor: "system", action: `${entityType}.seeded`, entityType, entityId, after });

    const t = now.getTime();
    const fund = {
      id: newId(),
      name: "Community Resilience Fund (demo)",
      purpose:
        "A one-off capital fund: it pays for buildings, spaces and equipment. It is for groups in the poorest 30% of the city. It is also for equality groups that work across the whole city. Panels of local people make the decisions. They are residents, councillors and people from local charities.",
      type: "capital" as const,
      budget_pence: 4_000_000 * POUNDS,
      is_published: 1 as const,
      created_at: stamp,
      opens_on: isoDay(t - 60 * DAY),
      closes_on: isoDay(t + 60 * DAY),
      review_on: isoDay(t + 75 * DAY),
      decisions_on: isoDay(t + 120 * DAY),
      awards_on: isoDay(t + 150 * DAY),
      score_scale_max: 5,
      voting_method: "per_proposal" as const,
      approval_max: null,
      tie_rule: "chair" as const,
      quorum_min_present: 3,
      // At least 40% residents and at most a third councillors (34%: one in three is 33.3%).
      composition_rules: JSON.stringify({ resident: { minShare: 40 }, councillor: { maxShare: 34 } }),
      results_published_at: null,
      payment_approval_threshold_pence: 25_000 * POUNDS,
      funder_prefix: "360G-demo-city",
      funder_org_id: "GB-LAE-DEMO",
      funder_org_name: "Demo City Council",
    };
    await trx.insertInto("fund").values(fund).execute();
    await audit("fund", fund.id, fund);

    for (const [position, q] of ELIGIBILITY_QUESTIONS.entries()) {
      const row = {
        id: newId(),
        fund_id: fund.id,
        position,
        text: q.text,
        kind: q.kind,
        options: JSON.stringify(q.options),
        ineligible_answers: JSON.stringify(q.ineligible),
        ineligible_reason: q.reason,
      };
      await trx.insertInto("eligibility_question").values(row).execute();
      await audit("eligibility_question", row.id, row);
    }
    for (const [position, c] of CRITERIA.entries()) {
      const row = { id: newId(), fund_id: fund.id, position, name: c.name, weight: c.weight, guidance: JSON.stringify(BANDS) };
      await trx.insertInto("criterion").values(row).execute();
      await audit("criterion", row.id, row);
    }

    const orgIds = new Map<string, string>();
    const groupIds = new Map<string, string>();
    for (const name of [...GROUPS.map((g) => g.lead), ...COMMUNITY_GROUPS]) {
      const isCommunity = COMMUNITY_GROUPS.includes(name);
      const org = {
        id: newId(),
        name,
        kind: isCommunity ? ("community_group" as const) : ("lead_org" as const),
        created_at: stamp,
        org_type: isCommunity ? ("unincorporated" as const) : ("charity" as const),
        registration_number: null,
        address: "1 Example Street, Bristol",
        postcode: "BS1 1AA",
        contact_name: null,
        contact_email: `${name
          .toLowerCase()
          .replace(/[^a-z]+/g, "-")
          .replace(/^-|-$/g, "")}@demo.example`,
        contact_phone: null,
        created_by: null,
      };
      await trx.insertInto("organisation").values(org).execute();
      await audit("organisation", org.id, org);
      orgIds.set(name, org.id);
    }
    for (const g of GROUPS) {
      const group = {
        id: newId(),
        fund_id: fund.id,
        name: g.name,
        area: g.area,
        pot_pence: g.pot * POUNDS,
        min_grant_pence: g.min * POUNDS,
        max_grant_pence: g.max * POUNDS,
        created_at: stamp,
      };
      await trx.insertInto("decision_group").values(group).execute();
      const link = { decision_group_id: group.id, organisation_id: orgIds.get(g.lead)! };
      await trx.insertInto("decision_group_lead_org").values(link).execute();
      await audit("decision_group", group.id, { ...group, lead_organisation_id: link.organisation_id });
      groupIds.set(g.name, group.id);
    }

    const actors = new Map<string, Actor>();
    const people = new Map<string, Actor>();
    const addUser = async (
      u: { email: string; name: string; role: Role; constituency?: Constituency; organisation?: string; group?: string },
      hash: string,
    ) => {
      const user = { id: newId(), email: u.email, name: u.name };
      await trx
        .insertInto("user")
        .values({ ...user, password_hash: hash, disabled_at: null, created_at: stamp, updated_at: stamp })
        .execute();
      await audit("user", user.id, user);
      const actor = await addMembership(user.id, u);
      people.set(u.email, actor);
      if (u.organisation && !actors.has(u.organisation)) actors.set(u.organisation, actor);
      if (u.role === "admin" && !actors.has("admin")) actors.set("admin", actor);
    };
    const addMembership = async (userId: string, u: { role: Role; constituency?: Constituency; organisation?: string; group?: string }): Promise<Actor> => {
      const membership = {
        id: newId(),
        user_id: userId,
        role: u.role,
        organisation_id: u.organisation ? orgIds.get(u.organisation)! : null,
        decision_group_id: u.group ? groupIds.get(u.group)! : null,
        fund_id: null,
        constituency: u.constituency ?? null,
        interests_declared_at: null,
        started_at: stamp,
        ended_at: null,
        created_by: null,
      };
      await trx.insertInto("membership").values(membership).execute();
      await audit("membership", membership.id, membership);
      return {
        id: userId,
        membershipId: membership.id,
        role: u.role,
        organisationId: membership.organisation_id,
        decisionGroupId: membership.decision_group_id,
      };
    };
    // The community team's member joins with their team (seedDemoTeams), which belongs to the All In fund made later.
    for (const [i, a] of DEMO_ACCOUNTS.entries()) if (!a.team) await addUser(a, hashes[i]!);
    for (const g of GROUPS.slice(1)) {
      await addUser(
        { email: `${g.name.split(" ")[0]!.toLowerCase()}-lead@demo.example`, name: `${g.lead} staff`, role: "lead_org", organisation: g.lead },
        memberHash,
      );
    }
    for (const member of EXTRA_PANEL_MEMBERS) await addUser({ ...member, role: "panel_member" }, memberHash);
    // A second administrator, so payments above the four-eyes threshold can be approved.
    await addUser({ email: "finance@demo.example", name: "Femi Finance", role: "admin" }, memberHash);
    // Administrators must use two-factor sign-in: the demo ones share the published demo key (npm run demo:code).
    for (const email of DEMO_TWO_FACTOR_EMAILS) await seedDemoTwoFactor(trx, people.get(email)!.id, stamp);
    for (const name of COMMUNITY_GROUPS.slice(1)) {
      const slug = name
        .toLowerCase()
        .replace(/[^a-z]+/g, "-")
        .replace(/^-|-$/g, "");
      await addUser({ email: `${slug}@demo.example`, name: `${name} member`, role: "applicant", organisation: name }, memberHash);
    }
    // One person with several roles: a member of a community group, on another area's panel, and staff of a lead organisation.
    await addUser({ ...MANY_HATS, ...MANY_HATS.memberships[0]! }, memberHash);
    for (const hat of MANY_HATS.memberships.slice(1)) await addMembership(people.get(MANY_HATS.email)!.id, hat);

    await seedDemoProposals(trx, { fundId: fund.id, groupIds, orgIds, actors, leadOf: new Map(GROUPS.map((g) => [g.name, g.lead])) });
    await seedDemoPanels(trx, { fundId: fund.id, groupIds, orgIds, people, admin: actors.get("admin")! });
    await seedDemoAwards(trx, { admin: actors.get("admin")!, secondAdmin: people.get("finance@demo.example")! });
    // Last year's round, decided and published, so every public page has something to show.
    await seedDemoPastRound(trx, { admin: actors.get("admin")!, orgIds, actors, people, currentFundId: fund.id }, now);
    // A small fund decided by residents, with its community vote open, and its community team.
    const ballotFundId = await seedDemoBallot(trx, { admin: actors.get("admin")!, secondAdmin: people.get("finance@demo.example")! }, now);
    const teamMember = DEMO_ACCOUNTS.findIndex((a) => a.team);
    await seedDemoTeams(
      trx,
      { admin: actors.get("admin")!, fundId: ballotFundId, member: { ...DEMO_ACCOUNTS[teamMember]!, passwordHash: hashes[teamMember]! } },
      now,
    );
    // Its Alliance's public meetings: one decided and minuted, one open to try (issue 13).
    await seedDemoPublicMeetings(trx, { admin: actors.get("admin")!, fundId: ballotFundId }, now);
    // Another, whose vote has closed and been counted: its results page and recount files are published.
    await seedDemoCountedBallot(trx, { admin: actors.get("admin")! }, now);
    return true;
  });
}

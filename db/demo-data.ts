import { hashPassword } from "~/auth/password.server";
import { appendAuditEvent } from "~/models/audit.server";
import { newId, nowIso } from "~/utils/ids.server";
import { inTransaction, type DB } from "./client";
import type { Constituency, Role } from "./schema";

/** The demo accounts, one per role. The README lists them; keep the two in step. */
export const DEMO_ACCOUNTS: ReadonlyArray<{
  email: string;
  password: string;
  name: string;
  role: Role;
  constituency?: Constituency;
  organisation?: string;
  group?: string;
}> = [
  { email: "admin@demo.example", password: "demo-admin-pass-2026", name: "Asha Admin", role: "admin" },
  { email: "lead@demo.example", password: "demo-lead-pass-2026", name: "Lee Lead", role: "lead_org", organisation: "Inner East Community Anchor" },
  { email: "applicant@demo.example", password: "demo-applicant-pass-2026", name: "Amara Applicant", role: "applicant", organisation: "Lawrence Hill Community Garden" },
  { email: "resident@demo.example", password: "demo-resident-pass-2026", name: "Rita Resident", role: "panel_member", constituency: "resident", group: "Inner City and East" },
  { email: "councillor@demo.example", password: "demo-councillor-pass-2026", name: "Cllr Colin Carter", role: "panel_member", constituency: "councillor", group: "Inner City and East" },
  { email: "vcse@demo.example", password: "demo-vcse-pass-2026", name: "Val VCSE", role: "panel_member", constituency: "vcse", group: "Inner City and East" },
  { email: "adviser@demo.example", password: "demo-adviser-pass-2026", name: "Sam Surveyor", role: "adviser", group: "Inner City and East" },
];

const POUNDS = 100;

const GROUPS = [
  { name: "Inner City and East", area: "Lawrence Hill, Easton, St Pauls and Ashley", pot: 1_600_000, min: 50_000, max: 400_000, lead: "Inner East Community Anchor" },
  { name: "South Bristol", area: "Hartcliffe, Withywood, Knowle West and Filwood", pot: 1_600_000, min: 50_000, max: 400_000, lead: "South Bristol Community Network" },
  { name: "Equality communities", area: "City-wide self-organised equality groups", pot: 800_000, min: 10_000, max: 150_000, lead: "Equalities Voice Partnership" },
];

const COMMUNITY_GROUPS = [
  "Lawrence Hill Community Garden",
  "Knowle West Youth Makers",
  "Deaf Community Hub Bristol",
  "Hartcliffe Allotment Society",
  "Easton Tenants' Kitchen",
];

export async function isDatabaseEmpty(db: DB): Promise<boolean> {
  const row = await db.selectFrom("user").select("id").limit(1).executeTakeFirst();
  return !row;
}

/** Writes the Bristol-style demo, each record with its audit event, in one transaction. */
export async function seedDemo(db: DB): Promise<void> {
  const hashes = await Promise.all(DEMO_ACCOUNTS.map((a) => hashPassword(a.password)));
  await inTransaction(db, async (trx) => {
    const now = nowIso();
    const audit = (entityType: string, entityId: string, after: unknown) =>
      appendAuditEvent(trx, { actor: "system", action: `${entityType}.seeded`, entityType, entityId, after });

    const fund = {
      id: newId(),
      name: "Community Resilience Fund (demo)",
      purpose:
        "A one-off capital fund for community buildings, spaces and equipment in the most deprived 30% of the city, and for city-wide self-organised equality groups. Decisions are made by panels of residents, councillors and voluntary-sector members.",
      type: "capital" as const,
      budget_pence: 4_000_000 * POUNDS,
      is_published: 1 as const,
      created_at: now,
    };
    await trx.insertInto("fund").values(fund).execute();
    await audit("fund", fund.id, fund);

    const orgIds = new Map<string, string>();
    const groupIds = new Map<string, string>();
    for (const name of [...GROUPS.map((g) => g.lead), ...COMMUNITY_GROUPS]) {
      const org = { id: newId(), name, kind: COMMUNITY_GROUPS.includes(name) ? ("community_group" as const) : ("lead_org" as const), created_at: now };
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
        created_at: now,
      };
      await trx.insertInto("decision_group").values(group).execute();
      const link = { decision_group_id: group.id, organisation_id: orgIds.get(g.lead)! };
      await trx.insertInto("decision_group_lead_org").values(link).execute();
      await audit("decision_group", group.id, { ...group, lead_organisation_id: link.organisation_id });
      groupIds.set(g.name, group.id);
    }
    for (const [i, a] of DEMO_ACCOUNTS.entries()) {
      const user = {
        id: newId(),
        email: a.email,
        name: a.name,
        role: a.role,
        constituency: a.constituency ?? null,
        decision_group_id: a.group ? groupIds.get(a.group)! : null,
        organisation_id: a.organisation ? orgIds.get(a.organisation)! : null,
      };
      await trx
        .insertInto("user")
        .values({ ...user, password_hash: hashes[i]!, disabled_at: null, created_at: now, updated_at: now })
        .execute();
      await audit("user", user.id, user);
    }
  });
}

import type { DB } from "../../db/client";

export const FUND_COLUMNS = [
  "fund.id",
  "fund.name",
  "fund.purpose",
  "fund.type",
  "fund.budget_pence",
  "fund.is_published",
  "fund.created_at",
  "fund.opens_on",
  "fund.closes_on",
  "fund.review_on",
  "fund.decisions_on",
  "fund.awards_on",
  "fund.decision_method",
] as const;

function parseStrings(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}

export function getFund(db: DB, fundId: string) {
  return db.selectFrom("fund").select(FUND_COLUMNS).where("fund.id", "=", fundId).executeTakeFirst();
}

/** Funds newest first, each with the total of its decision groups' pots, a page at a time. */
export async function listFundsWithAllocation(db: DB, page: number, pageSize: number) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom("fund")
      .leftJoin("decision_group", "decision_group.fund_id", "fund.id")
      .select([
        "fund.id",
        "fund.name",
        "fund.type",
        "fund.budget_pence",
        "fund.is_published",
        "fund.closes_on",
        "fund.created_at",
        (eb) => eb.fn.coalesce(eb.fn.sum<number>("decision_group.pot_pence"), eb.lit(0)).as("allocated_pence"),
        (eb) => eb.fn.count<number>("decision_group.id").as("group_count"),
      ])
      .groupBy(["fund.id", "fund.name", "fund.type", "fund.budget_pence", "fund.is_published", "fund.closes_on", "fund.created_at"])
      .orderBy("fund.created_at", "desc")
      .orderBy("fund.id")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom("fund")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, allocated_pence: Number(r.allocated_pence), group_count: Number(r.group_count) })),
    total: Number(total.n),
  };
}

/** Published funds for the public, soonest closing first (funds without a closing date last). */
export async function listPublishedFunds(db: DB, page: number, pageSize: number) {
  const published = db.selectFrom("fund").where("fund.is_published", "=", 1);
  const [rows, total] = await Promise.all([
    published
      .select(["fund.id", "fund.name", "fund.purpose", "fund.type", "fund.budget_pence", "fund.opens_on", "fund.closes_on"])
      .orderBy((eb) => eb.case().when("fund.closes_on", "is", null).then(1).else(0).end())
      .orderBy("fund.closes_on")
      .orderBy("fund.name")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    published.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** The total of a fund's pots, optionally leaving one group out (the one being changed). */
export async function sumOfPots(db: DB, fundId: string, exceptGroupId?: string): Promise<number> {
  let query = db
    .selectFrom("decision_group")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("decision_group.pot_pence"), eb.lit(0)).as("total"))
    .where("decision_group.fund_id", "=", fundId);
  if (exceptGroupId) query = query.where("decision_group.id", "!=", exceptGroupId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.total);
}

/** How many questions, criteria and decision groups a fund has, for its overview. */
export async function countFundParts(db: DB, fundId: string) {
  const count = (table: "eligibility_question" | "criterion" | "decision_group") =>
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("fund_id", "=", fundId)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  const [questions, criteria, groups] = await Promise.all([count("eligibility_question"), count("criterion"), count("decision_group")]);
  return { questions, criteria, groups };
}

export async function listEligibilityQuestions(db: DB, fundId: string) {
  const rows = await db
    .selectFrom("eligibility_question")
    .select(["id", "position", "text", "kind", "options", "ineligible_answers", "ineligible_reason"])
    .where("fund_id", "=", fundId)
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    position: r.position,
    text: r.text,
    kind: r.kind,
    options: parseStrings(r.options),
    ineligibleAnswers: parseStrings(r.ineligible_answers),
    ineligibleReason: r.ineligible_reason,
  }));
}

export async function listCriteria(db: DB, fundId: string) {
  const rows = await db
    .selectFrom("criterion")
    .select(["id", "position", "name", "weight", "guidance"])
    .where("fund_id", "=", fundId)
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map((r) => {
    const guidance = parseStrings(r.guidance);
    return { id: r.id, position: r.position, name: r.name, weight: r.weight, guidance: [0, 1, 2, 3, 4, 5].map((i) => guidance[i] ?? "") };
  });
}

/** The next position at the end of a fund's list of questions or criteria. */
export async function nextPosition(db: DB, table: "eligibility_question" | "criterion", fundId: string): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max<number | null>("position").as("last"))
    .where("fund_id", "=", fundId)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

/**
 * A fund's decision groups, each with its lead organisations (name and
 * contact email). Two queries however many groups there are.
 */
export async function listGroupsWithLeadOrgs(db: DB, fundId: string) {
  const groups = await db
    .selectFrom("decision_group")
    .select(["id", "name", "area", "pot_pence", "min_grant_pence", "max_grant_pence"])
    .where("fund_id", "=", fundId)
    .orderBy("name")
    .orderBy("id")
    .execute();
  // By the fund, not a list of the groups' ids: the statement stays the same however many groups the fund has.
  const links = groups.length
    ? await db
        .selectFrom("decision_group_lead_org")
        .innerJoin("decision_group", "decision_group.id", "decision_group_lead_org.decision_group_id")
        .innerJoin("organisation", "organisation.id", "decision_group_lead_org.organisation_id")
        .select([
          "decision_group_lead_org.decision_group_id",
          "organisation.id",
          "organisation.name",
          "organisation.contact_email",
          "organisation.contact_phone",
        ])
        .where("decision_group.fund_id", "=", fundId)
        .orderBy("organisation.name")
        .execute()
    : [];
  const leadsOf = new Map<string, { id: string; name: string; contactEmail: string | null; contactPhone: string | null }[]>();
  for (const l of links) {
    const leads = leadsOf.get(l.decision_group_id) ?? [];
    leads.push({ id: l.id, name: l.name, contactEmail: l.contact_email, contactPhone: l.contact_phone });
    leadsOf.set(l.decision_group_id, leads);
  }
  return groups.map((g) => ({ ...g, leadOrganisations: leadsOf.get(g.id) ?? [] }));
}

/** One decision group of one fund (the fund is part of the query), with its lead organisations' ids. */
export async function getFundGroup(db: DB, fundId: string, groupId: string) {
  const group = await db
    .selectFrom("decision_group")
    .select(["id", "fund_id", "name", "area", "area_code", "pot_pence", "min_grant_pence", "max_grant_pence"])
    .where("id", "=", groupId)
    .where("fund_id", "=", fundId)
    .executeTakeFirst();
  if (!group) return undefined;
  const links = await db.selectFrom("decision_group_lead_org").select("organisation_id").where("decision_group_id", "=", groupId).execute();
  return { ...group, leadOrganisationIds: links.map((l) => l.organisation_id).sort() };
}

/**
 * Lead organisations a page at a time, with the decision groups they serve
 * and how many staff accounts they have. Three queries per page.
 */
export async function listLeadOrganisationsWithDetails(db: DB, page: number, pageSize: number) {
  const [orgs, total] = await Promise.all([
    db
      .selectFrom("organisation")
      .select(["id", "name", "contact_name", "contact_email", "contact_phone", "address", "postcode"])
      .where("kind", "=", "lead_org")
      .orderBy("name")
      .orderBy("id")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom("organisation")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("kind", "=", "lead_org")
      .executeTakeFirstOrThrow(),
  ]);
  const ids = orgs.map((o) => o.id);
  const [groups, staff] = ids.length
    ? await Promise.all([
        db
          .selectFrom("decision_group_lead_org")
          .innerJoin("decision_group", "decision_group.id", "decision_group_lead_org.decision_group_id")
          .innerJoin("fund", "fund.id", "decision_group.fund_id")
          .select(["decision_group_lead_org.organisation_id", "decision_group.id", "decision_group.name", "fund.id as fundId", "fund.name as fundName"])
          .where("decision_group_lead_org.organisation_id", "in", ids)
          .orderBy("fund.name")
          .orderBy("decision_group.name")
          .execute(),
        db
          .selectFrom("membership")
          .select(["membership.organisation_id", (eb) => eb.fn.countAll<number>().as("n")])
          .where("membership.organisation_id", "in", ids)
          .where("membership.role", "=", "lead_org")
          .where("membership.ended_at", "is", null)
          .groupBy("membership.organisation_id")
          .execute(),
      ])
    : [[], []];
  return {
    rows: orgs.map((o) => ({
      ...o,
      groups: groups.filter((g) => g.organisation_id === o.id).map((g) => ({ id: g.id, name: g.name, fundId: g.fundId, fundName: g.fundName })),
      staffCount: Number(staff.find((s) => s.organisation_id === o.id)?.n ?? 0),
    })),
    total: Number(total.n),
  };
}

import type { DB } from "../../db/client";

export function getOrganisation(db: DB, id: string) {
  return db.selectFrom("organisation").select(["id", "name", "kind"]).where("id", "=", id).executeTakeFirst();
}

export function listLeadOrganisations(db: DB) {
  return db.selectFrom("organisation").select(["id", "name"]).where("kind", "=", "lead_org").orderBy("name").execute();
}

/** Every fund's id and name, for pickers. */
export function listFundNames(db: DB) {
  return db.selectFrom("fund").select(["id", "name"]).orderBy("name").execute();
}

/** Decision groups with their fund's name, for pickers and headings. */
export function listDecisionGroups(db: DB) {
  return db
    .selectFrom("decision_group")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .select([
      "decision_group.id",
      "decision_group.name",
      "decision_group.area",
      "decision_group.pot_pence",
      "decision_group.min_grant_pence",
      "decision_group.max_grant_pence",
      "fund.name as fundName",
    ])
    .orderBy("fund.name")
    .orderBy("decision_group.name")
    .execute();
}

export function getDecisionGroup(db: DB, id: string) {
  return db
    .selectFrom("decision_group")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .select([
      "decision_group.id",
      "decision_group.name",
      "decision_group.area",
      "decision_group.pot_pence",
      "decision_group.min_grant_pence",
      "decision_group.max_grant_pence",
      "fund.id as fundId",
      "fund.name as fundName",
    ])
    .where("decision_group.id", "=", id)
    .executeTakeFirst();
}

/** The decision groups a lead organisation serves. */
export function listDecisionGroupsForLeadOrg(db: DB, organisationId: string) {
  return db
    .selectFrom("decision_group_lead_org")
    .innerJoin("decision_group", "decision_group.id", "decision_group_lead_org.decision_group_id")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .select(["decision_group.id", "decision_group.name", "decision_group.area", "fund.name as fundName"])
    .where("decision_group_lead_org.organisation_id", "=", organisationId)
    .orderBy("decision_group.name")
    .execute();
}

export async function countRows(db: DB) {
  const count = (table: "user" | "fund" | "decision_group" | "organisation" | "email_outbox") =>
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  const [users, funds, decisionGroups, organisations, emails] = await Promise.all([
    count("user"),
    count("fund"),
    count("decision_group"),
    count("organisation"),
    count("email_outbox"),
  ]);
  return { users, funds, decisionGroups, organisations, emails };
}

export function listRecentInvitations(db: DB, limit = 20) {
  return db
    .selectFrom("invitation")
    .select(["id", "email", "name", "role", "constituency", "created_at", "expires_at", "accepted_at"])
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
}

import type { Kysely } from "kysely";
import type { DB } from "../../db/client";
import { portalTables } from "../../db/dialect";
import { isSecretColumn, PERSON_EMAIL_COLUMNS, PERSON_ID_COLUMNS } from "~/domain/personal-data";
import { personKeyIdOf, revealAuditRows } from "./person-key.server";

/** Any table by name, for the walks over every table (tables added later are covered without a change here). */
type AnyTables = Record<string, Record<string, unknown>>;

/** Tables read on their own terms, not by the generic walk. */
const SPECIAL_TABLES = new Set(["user", "audit_event", "person_key"]);

export interface PersonDataExport {
  format: "community-grant-decisions/subject-access/v1";
  exported_at: string;
  person: Record<string, unknown>;
  /** Organisations the person belongs to or belonged to, through a membership. */
  organisations: Record<string, unknown>[];
  /** Every other table's rows that name the person by id or by email, by table name. */
  records: Record<string, Record<string, unknown>[]>;
  /** Audit events they made, or about them, or holding their personal data; personal values decrypted. */
  audit_events: Record<string, unknown>[];
}

const withoutSecrets = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, isSecretColumn(k) && v !== null ? "(withheld: a security secret)" : v]));

/** The tables and columns in the database now, so tables added later are covered without a change here. */
export async function tablesAndColumns(db: DB): Promise<{ name: string; columns: { name: string; isText: boolean }[] }[]> {
  const tables = await portalTables(db);
  return tables.map((t) => ({ name: t.name, columns: t.columns.map((c) => ({ name: c.name, isText: /char|text|clob/i.test(c.dataType) })) }));
}

/**
 * Everything held about one person, for a subject access request, in machine-readable
 * form. Null when there is no such person. Secrets (password and token hashes) are withheld.
 */
export async function collectPersonData(db: DB, userId: string, now: Date): Promise<PersonDataExport | null> {
  const user = await db.selectFrom("user").selectAll().where("id", "=", userId).executeTakeFirst();
  if (!user) return null;
  const email = user.email.toLowerCase();
  const any = db as unknown as Kysely<AnyTables>;

  const records: Record<string, Record<string, unknown>[]> = {};
  for (const table of await tablesAndColumns(db)) {
    if (SPECIAL_TABLES.has(table.name)) continue;
    const idColumns = table.columns.filter((c) => PERSON_ID_COLUMNS.includes(c.name)).map((c) => c.name);
    const emailColumns = table.columns.filter((c) => PERSON_EMAIL_COLUMNS.includes(c.name)).map((c) => c.name);
    if (idColumns.length === 0 && emailColumns.length === 0) continue;
    const rows = await any
      .selectFrom(table.name)
      .selectAll()
      .where((eb) => eb.or([...idColumns.map((c) => eb(eb.ref(c), "=", userId)), ...emailColumns.map((c) => eb(eb.fn("lower", [eb.ref(c)]), "=", email))]))
      .execute();
    if (rows.length > 0) records[table.name] = rows.map(withoutSecrets);
  }

  const organisationIds = [...new Set((records.membership ?? []).map((m) => m.organisation_id).filter((id): id is string => typeof id === "string"))];
  const organisations = organisationIds.length ? await db.selectFrom("organisation").selectAll().where("id", "in", organisationIds).execute() : [];

  const keyId = await personKeyIdOf(db, userId);
  const events = await db
    .selectFrom("audit_event")
    .selectAll()
    .where((eb) =>
      eb.or([
        eb("actor", "=", userId),
        eb.and([eb("entity_type", "=", "user"), eb("entity_id", "=", userId)]),
        ...(keyId ? [eb("before", "like", `%${keyId}%`), eb("after", "like", `%${keyId}%`)] : []),
      ]),
    )
    .orderBy("id")
    .execute();
  const revealed = await revealAuditRows(db, events);

  const { password_hash: _withheld, ...person } = user;
  return {
    format: "community-grant-decisions/subject-access/v1",
    exported_at: now.toISOString(),
    person,
    organisations,
    records,
    audit_events: revealed.map((e) => ({
      ...e,
      before: e.before === null ? null : JSON.parse(e.before),
      after: e.after === null ? null : JSON.parse(e.after),
    })),
  };
}

/** The person's page: who they are and how much is held about them. Null when there is no such person. */
export async function personSummary(db: DB, userId: string) {
  const user = await db
    .selectFrom("user")
    .select(["id", "name", "email", "created_at", "disabled_at", "erased_at"])
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!user) return null;
  const [memberships, sessions] = await Promise.all([
    db
      .selectFrom("membership")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("session")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow(),
  ]);
  return { ...user, memberships: Number(memberships.n), sessions: Number(sessions.n) };
}

import { randomBytes } from "node:crypto";
import type { DB } from "../../db/client";
import { keyIdOf, openValue, personHints, revealPersonalFields, sealedValuesIn, sealPersonalFields, sealValue, type SealedValue } from "~/domain/personal-data";
import { canonicalJson } from "~/domain/audit-chain";
import { newId, nowIso } from "~/utils/ids.server";

/**
 * Per-person keys for the personal values in audit events (decision record
 * 0022). The only writes are sealForAudit's new keys, inside the caller's
 * transaction (appendAuditEvent), and the erasure service's deletions.
 */

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/** Seals the personal fields of one audit payload, creating keys for people who have none yet. */
export async function sealForAudit(trx: DB, entityType: string, entityId: string, payload: unknown): Promise<unknown> {
  if (payload === undefined || payload === null || typeof payload !== "object") return payload;
  const hints = personHints(payload);
  const userIds = new Set<string>();
  const byEmail = new Map<string, string>();
  if (hints.ids.length > 0 || hints.emails.length > 0) {
    let query = trx.selectFrom("user").select(["id", "email"]);
    query = query.where((eb) =>
      eb.or([...(hints.ids.length ? [eb("id", "in", hints.ids)] : []), ...(hints.emails.length ? [eb("email", "in", hints.emails)] : [])]),
    );
    for (const u of await query.execute()) {
      userIds.add(u.id);
      byEmail.set(u.email.toLowerCase(), u.id);
    }
  }
  const lookup = { entityType, entityId, isUserId: (id: string) => userIds.has(id), userIdByEmail: (email: string) => byEmail.get(email) };

  // First pass: which people's keys are needed. Most payloads hold no personal field and stop here.
  const subjects = new Set<string>();
  sealPersonalFields(payload, lookup, (_plain, subject) => {
    subjects.add(subject);
    return { $personal: "" };
  });
  if (subjects.size === 0) return payload;

  const keys = await keysForSubjects(trx, [...subjects]);
  return sealPersonalFields(payload, lookup, (plain, subject) => {
    const key = keys.get(subject)!;
    return sealValue(key.id, key.key, plain);
  });
}

async function keysForSubjects(trx: DB, subjects: string[]): Promise<Map<string, { id: string; key: Buffer }>> {
  const found = new Map<string, { id: string; key: Buffer }>();
  const rows = await trx.selectFrom("person_key").select(["id", "subject_id", "key"]).where("subject_id", "in", subjects).execute();
  for (const row of rows) found.set(row.subject_id, { id: row.id, key: Buffer.from(row.key, "base64") });
  for (const subject of subjects) {
    if (found.has(subject)) continue;
    const made = { id: newId(), key: randomBytes(32) };
    await trx
      .insertInto("person_key")
      .values({ id: made.id, subject_id: subject, key: made.key.toString("base64"), created_at: nowIso() })
      .execute();
    found.set(subject, made);
  }
  return found;
}

/** The keys that still exist among those these sealed values need. */
async function keysById(db: DB, sealed: SealedValue[]): Promise<Map<string, Buffer>> {
  const ids = [...new Set(sealed.map(keyIdOf).filter((id): id is string => id !== null))];
  const keys = new Map<string, Buffer>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom("person_key")
      .select(["id", "key"])
      .where("id", "in", ids.slice(i, i + 500))
      .execute();
    for (const row of rows) keys.set(row.id, Buffer.from(row.key, "base64"));
  }
  return keys;
}

/**
 * The events' before/after with personal values decrypted, or "(erased)" where
 * the person's key is gone. For display and export only: the stored, hashed
 * JSON is never changed.
 */
export async function revealAuditRows<T extends { before: string | null; after: string | null }>(db: DB, rows: T[]): Promise<T[]> {
  const parsed = rows.map((r) => ({ before: parseJson(r.before), after: parseJson(r.after) }));
  const keys = await keysById(
    db,
    parsed.flatMap((p) => [...sealedValuesIn(p.before), ...sealedValuesIn(p.after)]),
  );
  const open = (sealed: SealedValue) => {
    const id = keyIdOf(sealed);
    return openValue(sealed, id ? keys.get(id) : undefined);
  };
  return rows.map((row, i) => ({
    ...row,
    before: row.before === null ? null : canonicalJson(revealPersonalFields(parsed[i]!.before, open)),
    after: row.after === null ? null : canonicalJson(revealPersonalFields(parsed[i]!.after, open)),
  }));
}

/** The key id of a person's own key, if they have one. */
export async function personKeyIdOf(db: DB, userId: string): Promise<string | null> {
  const row = await db.selectFrom("person_key").select("id").where("subject_id", "=", userId).executeTakeFirst();
  return row?.id ?? null;
}

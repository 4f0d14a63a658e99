import { createCipheriv, createHash, randomBytes, randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { createRefusingTriggerOnPostgres, dropTriggerOnPostgres, isPostgres } from "../dialect";

/**
 * Personal data leaves the hashed audit payloads (decision record 0022).
 *
 * - `person_key`: one AES-256-GCM key per person (or per record when no person
 *   can be named). Erasing a person deletes their key.
 * - `user.erased_at`: when an administrator erased the person.
 * - Existing audit events are converted once: the chain is verified first (a
 *   broken chain stops the migration, so tampering is never re-hashed into a
 *   clean chain), each personal value is sealed under its person's key, the
 *   chain is re-hashed from the first event, and a last event records the old
 *   head hash and count as the anchor between the two.
 *
 * Frozen in time: imports nothing from app/. The field list and the sealed
 * format are this date's copy of app/domain/personal-data.ts.
 */

const PERSONAL_FIELDS: Record<string, "always" | "about_a_person"> = {
  email: "always",
  name: "about_a_person",
  contact_name: "always",
  contact_email: "always",
  contact_phone: "always",
  contactName: "always",
  contactEmail: "always",
  contactPhone: "always",
  address: "always",
  details: "always",
  signatory_name: "always",
  signatoryName: "always",
  group_confirmation: "always",
  groupConfirmation: "always",
  to_address: "always",
  message: "about_a_person",
};
const PERSON_ENTITY_TYPES = ["user", "invitation", "registration_request"];
const GENESIS_HASH = "0".repeat(64);

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

interface Row {
  id: number;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: string | null;
  after: string | null;
  time: string;
  prev_hash: string;
  hash: string;
}

function hashEvent(prevHash: string, row: Row): string {
  const { id, actor, action, entity_type, entity_id, before, after, time } = row;
  const body = canonicalJson({ id, actor, action, entity_type, entity_id, before, after, time });
  return createHash("sha256")
    .update(prevHash + body)
    .digest("hex");
}

const isSealed = (v: unknown) =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { $personal?: unknown }).$personal === "string";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("person_key")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subject_id", "text", (c) => c.notNull().unique())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.alterTable("user").addColumn("erased_at", "text").execute();

  // On PostgreSQL the migrator already runs each migration in a transaction (DDL is transactional there).
  const inOneTransaction = <T>(fn: (trx: Kysely<any>) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn));
  await inOneTransaction(async (trx) => {
    const rows = (await trx.selectFrom("audit_event").selectAll().orderBy("id").execute()) as Row[];
    if (rows.length === 0) return;

    let prev = GENESIS_HASH;
    for (const [index, row] of rows.entries()) {
      if (row.id !== index + 1 || row.prev_hash !== prev || hashEvent(prev, row) !== row.hash) {
        throw new Error(`The audit chain is broken at event ${row.id}; it must verify before personal data can be separated from it.`);
      }
      prev = row.hash;
    }
    const oldHead = prev;

    const users = (await trx.selectFrom("user").select(["id", "email"]).execute()) as { id: string; email: string }[];
    const userIds = new Set(users.map((u) => u.id));
    const byEmail = new Map(users.map((u) => [u.email.toLowerCase(), u.id]));
    const now = new Date().toISOString();
    const keys = new Map<string, { id: string; key: Buffer }>();
    const keyFor = (subject: string) => {
      let found = keys.get(subject);
      if (!found) {
        found = { id: randomUUID(), key: randomBytes(32) };
        keys.set(subject, found);
      }
      return found;
    };
    let sealedCount = 0;
    const seal = (plaintext: string, subject: string) => {
      const { id, key } = keyFor(subject);
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(id));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      sealedCount += 1;
      return { $personal: ["v1", id, iv.toString("base64url"), ciphertext.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".") };
    };

    const sealPayload = (text: string | null, row: Row): string | null => {
      if (text === null) return null;
      const walk = (value: unknown, isTop: boolean): unknown => {
        if (Array.isArray(value)) return value.map((v) => walk(v, false));
        if (typeof value !== "object" || value === null || isSealed(value)) return value;
        const object = value as Record<string, unknown>;
        let person: string | null = isTop && row.entity_type === "user" ? row.entity_id : null;
        for (const k of ["user_id", "userId", "id"]) {
          const id = object[k];
          if (!person && typeof id === "string" && userIds.has(id)) person = id;
        }
        if (!person && typeof object.email === "string") person = byEmail.get(object.email.toLowerCase()) ?? null;
        if (!person && row.entity_type === "user") person = row.entity_id;
        const aboutAPerson = person !== null || (isTop && PERSON_ENTITY_TYPES.includes(row.entity_type)) || typeof object.email === "string";
        const subject = person ?? `record:${row.entity_type}:${row.entity_id}`;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(object)) {
          const kind = PERSONAL_FIELDS[k];
          const isPersonal = kind === "always" || (kind === "about_a_person" && aboutAPerson);
          if (isPersonal && typeof v === "string" && v !== "") out[k] = seal(v, subject);
          else if (isPersonal && v !== null && typeof v === "object" && !isSealed(v)) out[k] = seal(JSON.stringify(v), subject);
          else out[k] = walk(v, false);
        }
        return out;
      };
      return canonicalJson(walk(JSON.parse(text), true));
    };

    const converted: Row[] = [];
    prev = GENESIS_HASH;
    for (const row of rows) {
      const next = { ...row, before: sealPayload(row.before, row), after: sealPayload(row.after, row), prev_hash: prev };
      next.hash = hashEvent(prev, next);
      converted.push(next);
      prev = next.hash;
    }

    for (const [subject, { id, key }] of keys) {
      await trx
        .insertInto("person_key")
        .values({ id, subject_id: subject, key: key.toString("base64"), created_at: now })
        .execute();
    }
    // The append-only trigger is lifted for this one conversion only, inside the migration's transaction.
    if (isPostgres(trx)) await dropTriggerOnPostgres(trx, "audit_event_no_update", "audit_event");
    else await sql`drop trigger audit_event_no_update`.execute(trx);
    for (const row of converted) {
      if (row.before === rows[row.id - 1]!.before && row.after === rows[row.id - 1]!.after && row.hash === rows[row.id - 1]!.hash) continue;
      await trx
        .updateTable("audit_event")
        .set({ before: row.before, after: row.after, prev_hash: row.prev_hash, hash: row.hash })
        .where("id", "=", row.id)
        .execute();
    }
    if (isPostgres(trx)) await createRefusingTriggerOnPostgres(trx, "audit_event_no_update", "audit_event", "update", "audit_event is append-only");
    else
      await sql`create trigger audit_event_no_update before update on audit_event
      begin select raise(abort, 'audit_event is append-only'); end`.execute(trx);

    const anchor: Row = {
      id: rows.length + 1,
      actor: "system",
      action: "audit.personal_data_separated",
      entity_type: "audit_event",
      entity_id: String(rows.length),
      before: canonicalJson({ head_hash: oldHead, event_count: rows.length }),
      after: canonicalJson({ head_hash: prev, event_count: rows.length, sealed_values: sealedCount, migration: "2026_12_01_1500_add_personal_data_keys" }),
      time: now,
      prev_hash: prev,
      hash: "",
    };
    anchor.hash = hashEvent(prev, anchor);
    await trx.insertInto("audit_event").values(anchor).execute();
  });
}

export async function down(): Promise<void> {
  // One way: the converted chain cannot be turned back into plain text once a key is destroyed.
  throw new Error("2026_12_01_1500_add_personal_data_keys cannot be undone; restore a backup instead.");
}

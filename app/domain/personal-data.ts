import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Personal data in the audit trail (decision record 0022).
 *
 * The audit chain hashes each event's before/after JSON. Personal values must
 * not sit there in plain text, or erasing a person would mean editing hashed
 * history. So before an event is hashed, every personal field's value is
 * sealed: encrypted with AES-256-GCM under the key of the person it is about
 * (a `person_key` row), and the hashed JSON holds only the sealed form
 * { "$personal": "v1.<keyId>.<iv>.<ciphertext>.<tag>" }. Erasing a person
 * deletes their key: the chain still verifies (it hashed the ciphertext), and
 * the values can never be read again.
 */

/**
 * The one list of personal fields, by name, wherever they appear in an audit
 * payload (at any depth).
 * - "always": the value is personal whatever record it belongs to.
 * - "about_a_person": personal only in an object about a person (a user, an
 *   invitation, or an object naming a user by id, user_id or email); "name" of
 *   a fund or a decision group is not personal.
 */
export const PERSONAL_FIELDS: Readonly<Record<string, "always" | "about_a_person">> = {
  email: "always",
  name: "about_a_person",
  contact_name: "always",
  contact_email: "always",
  contact_phone: "always",
  contactName: "always",
  contactEmail: "always",
  contactPhone: "always",
  address: "always",
  /** Interest declarations: "My daughter attends…" identifies people. */
  details: "always",
  /** The person who signed an award's acceptance. */
  signatory_name: "always",
  signatoryName: "always",
  /** Who at the group confirmed a proposal a lead organisation submitted. */
  group_confirmation: "always",
  groupConfirmation: "always",
  to_address: "always",
  /** A person's own note when asking to join a group. */
  message: "about_a_person",
};

/** Records whose "name" is a person's name. */
export const PERSON_ENTITY_TYPES: readonly string[] = ["user", "invitation", "registration_request"];

/** What the audit trail shows for a value whose key was destroyed. */
export const ERASED_VALUE = "(erased)";
/** An erased person's name, in every table. */
export const ERASED_NAME = "Erased person";
/** A unique address that can never receive email (.invalid is reserved, RFC 2606). */
export const erasedEmailFor = (userId: string): string => `erased-${userId}@erased.invalid`;

export interface SealedValue {
  $personal: string;
}

export function isSealed(value: unknown): value is SealedValue {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { $personal?: unknown }).$personal === "string"
  );
}

const b64 = (buffer: Buffer) => buffer.toString("base64url");

/** Encrypts one value with a 32-byte key. The key id is kept beside it so the right key can be found. */
export function sealValue(keyId: string, key: Buffer, plaintext: string): SealedValue {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(keyId));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { $personal: ["v1", keyId, b64(iv), b64(ciphertext), b64(cipher.getAuthTag())].join(".") };
}

/** The key id a sealed value needs. */
export function keyIdOf(sealed: SealedValue): string | null {
  const parts = sealed.$personal.split(".");
  return parts[0] === "v1" && parts.length === 5 ? parts[1]! : null;
}

/** The plaintext, or null when the key is missing or the value was altered. */
export function openValue(sealed: SealedValue, key: Buffer | undefined): string | null {
  const [version, keyId, iv, ciphertext, tag] = sealed.$personal.split(".");
  if (version !== "v1" || !key || !keyId || !iv || ciphertext === undefined || !tag) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Who a personal value is about: a user's id, or (when nobody can be named) the record it came from. */
export interface SubjectLookup {
  entityType: string;
  entityId: string;
  /** Is this id a user's? */
  isUserId: (id: string) => boolean;
  /** The user with this email, if any. */
  userIdByEmail: (email: string) => string | undefined;
}

const personalFieldsIn = (object: Record<string, unknown>) => Object.keys(object).filter((k) => PERSONAL_FIELDS[k] !== undefined);

/** The ids and emails an object names, so the caller can ask the database which are users. */
export function personHints(payload: unknown): { ids: string[]; emails: string[] } {
  const ids = new Set<string>();
  const emails = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== "object" || value === null || isSealed(value)) return;
    const object = value as Record<string, unknown>;
    if (personalFieldsIn(object).length > 0) {
      for (const k of ["user_id", "userId", "id"]) if (typeof object[k] === "string") ids.add(object[k] as string);
      if (typeof object.email === "string") emails.add(object.email.toLowerCase());
    }
    Object.values(object).forEach(walk);
  };
  walk(payload);
  return { ids: [...ids], emails: [...emails] };
}

/** The person (user id) an object is about, or null when it names none. */
function personOf(object: Record<string, unknown>, isTop: boolean, lookup: SubjectLookup): string | null {
  if (isTop && lookup.entityType === "user") return lookup.entityId;
  for (const k of ["user_id", "userId", "id"]) {
    const id = object[k];
    if (typeof id === "string" && lookup.isUserId(id)) return id;
  }
  if (typeof object.email === "string") {
    const byEmail = lookup.userIdByEmail(object.email.toLowerCase());
    if (byEmail) return byEmail;
  }
  if (lookup.entityType === "user") return lookup.entityId;
  return null;
}

/** The subject id of a record nobody can be named for: its own key, so erasing it touches no one else's history. */
export const recordSubject = (entityType: string, entityId: string) => `record:${entityType}:${entityId}`;

/**
 * Replaces every personal value in a payload with seal(value, subjectId).
 * Pure apart from the seal callback; the payload is not changed in place.
 */
export function sealPersonalFields(payload: unknown, lookup: SubjectLookup, seal: (plaintext: string, subjectId: string) => SealedValue): unknown {
  const walk = (value: unknown, isTop: boolean): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, false));
    if (typeof value !== "object" || value === null || isSealed(value)) return value;
    const object = value as Record<string, unknown>;
    const person = personOf(object, isTop, lookup);
    const aboutAPerson = person !== null || (isTop && PERSON_ENTITY_TYPES.includes(lookup.entityType)) || typeof object.email === "string";
    const subject = person ?? recordSubject(lookup.entityType, lookup.entityId);
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
  return walk(payload, true);
}

/** Every sealed value in a payload. */
export function sealedValuesIn(payload: unknown): SealedValue[] {
  const found: SealedValue[] = [];
  const walk = (value: unknown) => {
    if (isSealed(value)) found.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === "object" && value !== null) Object.values(value).forEach(walk);
  };
  walk(payload);
  return found;
}

/** Replaces sealed values with what open() gives, or ERASED_VALUE when it cannot. */
export function revealPersonalFields(payload: unknown, open: (sealed: SealedValue) => string | null): Json {
  const walk = (value: unknown): Json => {
    if (isSealed(value)) return open(value) ?? ERASED_VALUE;
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return (value ?? null) as Json;
  };
  return walk(payload);
}

/** Does this text mention the person (their full name or email, ignoring case)? */
export function mentions(text: string, needles: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return needles.some((n) => n.length > 0 && lower.includes(n.toLowerCase()));
}

/** Each piece of the person's data to look for: the email, and the full name when it is long enough not to match ordinary words. */
export function erasureNeedles(person: { name: string; email: string }): string[] {
  const needles = [person.email.trim()];
  if (person.name.trim().length >= 4) needles.push(person.name.trim());
  return needles.filter((n) => n.length > 0);
}

/** Columns that name a person by user id, in any table: a subject access export gathers every row they hold. */
export const PERSON_ID_COLUMNS: readonly string[] = [
  "user_id",
  "created_by",
  "author_id",
  "asked_by",
  "answered_by",
  "submitted_by",
  "uploaded_by",
  "decided_by",
  "recorded_by",
  "reviewed_by",
  "approved_by",
  "accepted_by",
  "signed_off_by",
  "opened_by",
  "invited_by",
  "requested_by",
  "imported_by",
];
/** Columns that hold an email address. */
export const PERSON_EMAIL_COLUMNS: readonly string[] = ["email", "to_address", "contact_email"];

/** Secrets are never exported, even to the person: a password hash, token hashes, second-factor secrets, keys. */
export const isSecretColumn = (column: string): boolean => /(^|_)(hash|secret|key|token)(_|$)|password/.test(column) && column !== "submission_key";

/** Security bookkeeping deleted outright when a person is erased: by their user id… */
export const ERASE_ROWS_BY_USER_ID: readonly string[] = ["session", "password_reset", "two_factor", "recovery_code", "pending_sign_in", "submission"];
/** …and by their email address (table and column). */
export const ERASE_ROWS_BY_EMAIL: readonly { table: string; column: string }[] = [
  { table: "login_attempt", column: "email" },
  { table: "email_outbox", column: "to_address" },
  { table: "registration_request", column: "email" },
];

/** Replaces every mention of the person in a text: their email with the placeholder, their name with ERASED_NAME. */
export function redactMentions(text: string, person: { name: string; email: string }, placeholderEmail: string): string {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  let out = text.replace(new RegExp(escape(person.email.trim()), "gi"), placeholderEmail);
  if (person.name.trim().length >= 4) out = out.replace(new RegExp(escape(person.name.trim()), "gi"), ERASED_NAME);
  return out;
}

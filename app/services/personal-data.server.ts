import { startRepeatingJob, type LeaderCheck } from "~/utils/repeating-job.server";
import type { Kysely } from "kysely";
import { inTransaction, type DB } from "../../db/client";
import { likeIgnoringCase } from "../../db/dialect";
import { DomainError } from "~/domain/errors";
import { can, type Actor } from "~/domain/permissions";
import {
  ERASE_ROWS_BY_EMAIL,
  ERASE_ROWS_BY_USER_ID,
  ERASED_NAME,
  erasedEmailFor,
  erasureNeedles,
  isSealed,
  keyIdOf,
  mentions,
  openValue,
  redactMentions,
  sealedValuesIn,
} from "~/domain/personal-data";
import { PURGE_INTERVAL_MS, retentionCutoffs } from "~/domain/retention";
import { appendAuditEvent } from "~/models/audit.server";
import { collectPersonData, tablesAndColumns, type PersonDataExport } from "~/models/personal-data.server";
import { forgetCachedSnapshots } from "~/models/results-snapshot.server";
import { nowIso } from "~/utils/ids.server";

/** Any table by name, for the walks over every table (tables added later are covered without a change here). */
type AnyTables = Record<string, Record<string, unknown>>;

/** Tables erasure never edits row by row: the hash-chained trail (its personal values are sealed) and the keys themselves. */
const NOT_REDACTED = new Set(["audit_event", "person_key"]);

function requirePersonManager(actor: Actor) {
  if (!can(actor, "person.manage")) throw new DomainError("Only an administrator can do this.");
}

/** A subject access export. The export itself is an audited event. */
export async function exportPersonData(db: DB, actor: Actor, userId: string, now = new Date()): Promise<PersonDataExport | null> {
  requirePersonManager(actor);
  return inTransaction(db, async (trx) => {
    const data = await collectPersonData(trx, userId, now);
    if (!data) return null;
    const counts = Object.fromEntries(Object.entries(data.records).map(([table, rows]) => [table, rows.length]));
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "person.data_exported",
      entityType: "user",
      entityId: userId,
      after: { records: counts, audit_events: data.audit_events.length },
    });
    return data;
  });
}

export interface ErasureResult {
  keysDestroyed: number;
  rowsDeleted: Record<string, number>;
  rowsRedacted: number;
  /** Plain-text mentions left in audit events written before a field was known to be personal. */
  auditMentionsLeft: number;
}

/**
 * Erases a person under the public-task exception (decision record 0022): their
 * account keeps its id (so decisions, scores, votes and payments still point at
 * someone) but loses its name, email and password; their security bookkeeping
 * is deleted; free text they wrote that identifies people is cleared; every
 * other mention of their name or email is replaced; and their audit key is
 * destroyed, so their personal values in the trail read "(erased)" while the
 * chain still verifies.
 */
export async function erasePerson(db: DB, actor: Actor, userId: string, reason: string): Promise<ErasureResult> {
  requirePersonManager(actor);
  if (actor.id === userId) throw new DomainError("You cannot erase your own account. Ask another administrator.");
  return inTransaction(db, async (trx) => {
    const user = await trx.selectFrom("user").select(["id", "name", "email", "erased_at", "disabled_at"]).where("id", "=", userId).executeTakeFirst();
    if (!user) throw new DomainError("There is no such person.");
    if (user.erased_at) throw new DomainError("This person has already been erased.");
    const any = trx as unknown as Kysely<AnyTables>;
    const stamp = nowIso();
    const placeholder = erasedEmailFor(userId);
    const email = user.email.toLowerCase();
    const tables = await tablesAndColumns(trx);
    const exists = (name: string) => tables.some((t) => t.name === name);

    // 1. Security bookkeeping goes.
    const rowsDeleted: Record<string, number> = {};
    for (const table of ERASE_ROWS_BY_USER_ID.filter(exists)) {
      const result = await any.deleteFrom(table).where("user_id", "=", userId).executeTakeFirst();
      rowsDeleted[table] = Number(result.numDeletedRows);
    }
    for (const { table, column } of ERASE_ROWS_BY_EMAIL.filter((t) => exists(t.table))) {
      const result = await any
        .deleteFrom(table)
        .where((eb) => eb(eb.fn("lower", [eb.ref(column)]), "=", email))
        .executeTakeFirst();
      rowsDeleted[table] = (rowsDeleted[table] ?? 0) + Number(result.numDeletedRows);
    }
    // Invitations to them that were never accepted say nothing about a decision.
    const invitations = await trx
      .deleteFrom("invitation")
      .where((eb) => eb(eb.fn("lower", [eb.ref("email")]), "=", email))
      .where("accepted_at", "is", null)
      .executeTakeFirst();
    rowsDeleted.invitation = Number(invitations.numDeletedRows);

    // 2. The account: no name, no address, no password, no way in.
    await trx
      .updateTable("user")
      .set({ name: ERASED_NAME, email: placeholder, password_hash: "erased", disabled_at: user.disabled_at ?? stamp, erased_at: stamp, updated_at: stamp })
      .where("id", "=", userId)
      .execute();

    // 3. Free text they wrote that is about people: interest details (who their family is, where they work),
    //    a note asking to join a group. The declaration itself (organisation, relationship, pecuniary) stays: it explains a recusal.
    await trx.updateTable("interest_declaration").set({ details: "" }).where("user_id", "=", userId).execute();
    await trx.updateTable("join_request").set({ message: "" }).where("user_id", "=", userId).execute();
    // An organisation whose contact was this person has no contact now.
    await trx
      .updateTable("organisation")
      .set({ contact_name: null, contact_email: null, contact_phone: null })
      .where((eb) => eb(eb.fn("lower", [eb.ref("contact_email")]), "=", email))
      .execute();

    // 4. Any other mention of their name or email, in any text column of any table.
    let rowsRedacted = 0;
    const person = { name: user.name, email: user.email };
    const needles = erasureNeedles(person);
    for (const table of tables) {
      if (NOT_REDACTED.has(table.name)) continue;
      for (const column of table.columns.filter((c) => c.isText)) {
        const hits = await any
          .selectFrom(table.name)
          .select(column.name)
          .distinct()
          .where((eb) => eb.or(needles.map((n) => eb(eb.ref(column.name), likeIgnoringCase(trx), `%${n}%`))))
          .execute();
        for (const hit of hits) {
          const old = hit[column.name] as string;
          if (!mentions(old, needles)) continue;
          const result = await any
            .updateTable(table.name)
            .set({ [column.name]: redactMentions(old, person, placeholder) })
            .where(column.name, "=", old)
            .executeTakeFirst();
          rowsRedacted += Number(result.numUpdatedRows);
        }
      }
    }

    // 5. The audit trail: destroy their key, and any record's key whose sealed values mention them.
    const { keysDestroyed, auditMentionsLeft } = await destroyAuditKeys(trx, userId, needles);

    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "person.erased",
      entityType: "user",
      entityId: userId,
      after: {
        reason,
        erased_at: stamp,
        keys_destroyed: keysDestroyed,
        rows_deleted: rowsDeleted,
        rows_redacted: rowsRedacted,
        audit_mentions_left: auditMentionsLeft,
      },
    });
    return { keysDestroyed, rowsDeleted, rowsRedacted, auditMentionsLeft };
    // The public results pages keep parsed snapshots in memory: forget them, so a named panel member's name goes at once.
  }).finally(forgetCachedSnapshots);
}

async function destroyAuditKeys(trx: DB, userId: string, needles: string[]): Promise<{ keysDestroyed: number; auditMentionsLeft: number }> {
  const own = await trx.deleteFrom("person_key").where("subject_id", "=", userId).executeTakeFirst();
  let keysDestroyed = Number(own.numDeletedRows);
  const recordKeys = new Map(
    (await trx.selectFrom("person_key").select(["id", "key"]).where("subject_id", "like", "record:%").execute()).map((k) => [
      k.id,
      Buffer.from(k.key, "base64"),
    ]),
  );
  const doomed = new Set<string>();
  let auditMentionsLeft = 0;
  const PAGE = 2000;
  for (let after = 0; ;) {
    const rows = await trx.selectFrom("audit_event").select(["id", "before", "after"]).where("id", ">", after).orderBy("id").limit(PAGE).execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      for (const text of [row.before, row.after]) {
        if (text === null) continue;
        const payload: unknown = JSON.parse(text);
        for (const sealed of sealedValuesIn(payload)) {
          const keyId = keyIdOf(sealed);
          if (!keyId || doomed.has(keyId) || !recordKeys.has(keyId)) continue;
          const plain = openValue(sealed, recordKeys.get(keyId));
          if (plain !== null && mentions(plain, needles)) doomed.add(keyId);
        }
        if (mentions(stripSealed(payload), needles)) auditMentionsLeft += 1;
      }
    }
    after = rows.at(-1)!.id;
    if (rows.length < PAGE) break;
  }
  if (doomed.size > 0) {
    const result = await trx
      .deleteFrom("person_key")
      .where("id", "in", [...doomed])
      .executeTakeFirst();
    keysDestroyed += Number(result.numDeletedRows);
  }
  return { keysDestroyed, auditMentionsLeft };
}

/** The payload's plain text, without its sealed values (whose ciphertext is not a mention). */
function stripSealed(payload: unknown): string {
  return JSON.stringify(payload, (_k, v: unknown) => (isSealed(v) ? null : v));
}

export interface PurgeResult {
  sessions: number;
  loginAttempts: number;
  passwordResets: number;
  invitations: number;
  emails: number;
  submissions: number;
  registrations: number;
  pendingSignIns: number;
  voterSessions: number;
  voterChallenges: number;
  /** Voters whose email hash was removed (their vote's results published long enough ago). */
  voterEmails: number;
  attendeeSessions: number;
  doorCodeFailures: number;
}

/**
 * Deletes security bookkeeping past its retention period (app/domain/retention.ts), by age only, and removes
 * voters' email hashes once their vote's results have been published for long enough (the ballots stay, anonymous).
 * One audit event records the counts when anything went.
 */
export async function purgeExpiredPersonalData(db: DB, now = new Date()): Promise<PurgeResult> {
  const cut = retentionCutoffs(now);
  return inTransaction(db, async (trx) => {
    const count = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
    const result: PurgeResult = {
      sessions: count(await trx.deleteFrom("session").where("expires_at", "<", cut.sessionExpiredBefore).executeTakeFirstOrThrow()),
      loginAttempts: count(await trx.deleteFrom("login_attempt").where("at", "<", cut.loginAttemptBefore).executeTakeFirstOrThrow()),
      passwordResets: count(
        await trx
          .deleteFrom("password_reset")
          .where((eb) => eb.or([eb("used_at", "<", cut.passwordResetEndedBefore), eb("expires_at", "<", cut.passwordResetEndedBefore)]))
          .executeTakeFirstOrThrow(),
      ),
      invitations: count(
        await trx.deleteFrom("invitation").where("accepted_at", "is", null).where("expires_at", "<", cut.invitationExpiredBefore).executeTakeFirstOrThrow(),
      ),
      emails: count(await trx.deleteFrom("email_outbox").where("sent_at", "is not", null).where("sent_at", "<", cut.emailSentBefore).executeTakeFirstOrThrow()),
      submissions: count(await trx.deleteFrom("submission").where("created_at", "<", cut.submissionBefore).executeTakeFirstOrThrow()),
      registrations: count(
        await trx
          .deleteFrom("registration_request")
          .where((eb) => eb.or([eb("used_at", "<", cut.registrationEndedBefore), eb("expires_at", "<", cut.registrationEndedBefore)]))
          .executeTakeFirstOrThrow(),
      ),
      pendingSignIns: count(await trx.deleteFrom("pending_sign_in").where("expires_at", "<", cut.pendingSignInExpiredBefore).executeTakeFirstOrThrow()),
      voterSessions: count(await trx.deleteFrom("ballot_voter_session").where("expires_at", "<", cut.voterSessionExpiredBefore).executeTakeFirstOrThrow()),
      voterChallenges: count(
        await trx.deleteFrom("ballot_voter_challenge").where("expires_at", "<", cut.voterChallengeExpiredBefore).executeTakeFirstOrThrow(),
      ),
      voterEmails: Number(
        (
          await trx
            .updateTable("ballot_voter")
            .set({ email_hash: null })
            .where("email_hash", "is not", null)
            .where("ballot_id", "in", (eb) =>
              eb
                .selectFrom("community_ballot")
                .innerJoin("fund", "fund.id", "community_ballot.fund_id")
                .select("community_ballot.id")
                .where("fund.results_published_at", "<", cut.voterResultsPublishedBefore)
                .where("community_ballot.closes_at", "<", cut.voterResultsPublishedBefore),
            )
            .executeTakeFirstOrThrow()
        ).numUpdatedRows,
      ),
      attendeeSessions: count(
        await trx.deleteFrom("public_meeting_attendee_session").where("expires_at", "<", cut.attendeeSessionExpiredBefore).executeTakeFirstOrThrow(),
      ),
      doorCodeFailures: count(await trx.deleteFrom("public_meeting_join_failure").where("at", "<", cut.doorCodeFailureBefore).executeTakeFirstOrThrow()),
    };
    if (Object.values(result).some((n) => n > 0)) {
      await appendAuditEvent(trx, {
        actor: "system",
        action: "retention.purged",
        entityType: "retention",
        entityId: now.toISOString().slice(0, 10),
        after: result,
      });
    }
    return result;
  });
}

/** Purges once now and then every PURGE_INTERVAL_MS in the running server (on the leader only, given isLeader); the timer never keeps the process alive. Returns a stop function. */
export function startRetentionPurge(db: DB, intervalMs = PURGE_INTERVAL_MS, isLeader?: LeaderCheck): () => void {
  return startRepeatingJob("Retention purge", () => purgeExpiredPersonalData(db).then(() => undefined), 1000, intervalMs, isLeader);
}

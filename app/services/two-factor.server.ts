import { inTransaction, type DB } from "../../db/client";
import { matchingStep, newRecoveryCodes, newTotpSecret, recoveryCodeHash } from "~/auth/two-factor.server";
import { openSecret, sealSecret } from "~/auth/two-factor-secret.server";
import { DomainError } from "~/domain/errors";
import { requiresTwoFactor } from "~/domain/two-factor";
import { appendAuditEvent } from "~/models/audit.server";
import { listActiveMemberships } from "~/models/membership.server";
import { newId } from "~/utils/ids.server";

/**
 * Setting up, changing and turning off two-factor sign-in for the signed-in
 * person. Each change is one transaction with its audit event; the audit
 * records never hold a secret or a recovery code.
 */

const WRONG_CODE = "The code is not right. Check the time on your phone is set automatically, and enter the code your app shows now.";

/** Starts setting up an authenticator app: a new secret waits, unused, until a code from it confirms it. */
export async function startTwoFactorSetUp(db: DB, userId: string, now = new Date()): Promise<void> {
  const pending = sealSecret(userId, newTotpSecret());
  await inTransaction(db, async (trx) => {
    const existing = await trx.selectFrom("two_factor").select(["user_id"]).where("user_id", "=", userId).executeTakeFirst();
    if (existing) await trx.updateTable("two_factor").set({ pending_secret: pending, updated_at: now.toISOString() }).where("user_id", "=", userId).execute();
    else
      await trx
        .insertInto("two_factor")
        .values({
          user_id: userId,
          secret: null,
          pending_secret: pending,
          confirmed_at: null,
          last_used_step: null,
          failed_since: null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .execute();
    await appendAuditEvent(trx, { actor: userId, action: "user.two_factor_setup_started", entityType: "user", entityId: userId });
  });
}

/** Drops an app that was never confirmed; a confirmed one stays. */
export async function cancelTwoFactorSetUp(db: DB, userId: string, now = new Date()): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom("two_factor").where("user_id", "=", userId).where("secret", "is", null).execute();
    await trx.updateTable("two_factor").set({ pending_secret: null, updated_at: now.toISOString() }).where("user_id", "=", userId).execute();
    await appendAuditEvent(trx, { actor: userId, action: "user.two_factor_setup_cancelled", entityType: "user", entityId: userId });
  });
}

async function replaceRecoveryCodes(trx: DB, userId: string, now: Date): Promise<string[]> {
  const codes = newRecoveryCodes();
  await trx.deleteFrom("recovery_code").where("user_id", "=", userId).execute();
  await trx
    .insertInto("recovery_code")
    .values(codes.map((code) => ({ id: newId(), user_id: userId, code_hash: recoveryCodeHash(userId, code), used_at: null, created_at: now.toISOString() })))
    .execute();
  return codes;
}

/**
 * Confirms the waiting app with a code from it: it becomes the person's second
 * factor (replacing any earlier app) and they get fresh recovery codes, which
 * are returned in plain text to show once.
 */
export async function confirmTwoFactorSetUp(db: DB, userId: string, code: string, now = new Date()): Promise<string[]> {
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom("two_factor").select(["pending_secret", "secret"]).where("user_id", "=", userId).executeTakeFirst();
    const secret = row?.pending_secret ? openSecret(userId, row.pending_secret) : null;
    if (!row?.pending_secret || !secret) throw new DomainError("Start setting up your authenticator app again: this page had no app waiting to be confirmed.");
    const step = matchingStep(secret, code, now);
    if (step === null) throw new DomainError(WRONG_CODE, "code");
    const wasEnrolled = Boolean(row.secret);
    await trx
      .updateTable("two_factor")
      .set({
        secret: row.pending_secret,
        pending_secret: null,
        confirmed_at: now.toISOString(),
        last_used_step: step,
        failed_count: 0,
        failed_since: null,
        updated_at: now.toISOString(),
      })
      .where("user_id", "=", userId)
      .execute();
    const codes = await replaceRecoveryCodes(trx, userId, now);
    await appendAuditEvent(trx, {
      actor: userId,
      action: wasEnrolled ? "user.two_factor_app_changed" : "user.two_factor_enabled",
      entityType: "user",
      entityId: userId,
      after: { recovery_codes: codes.length },
    });
    return codes;
  });
}

/** New recovery codes instead of the old ones (all of which stop working); returned in plain text to show once. */
export async function regenerateRecoveryCodes(db: DB, userId: string, now = new Date()): Promise<string[]> {
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom("two_factor").select(["user_id"]).where("user_id", "=", userId).where("confirmed_at", "is not", null).executeTakeFirst();
    if (!row) throw new DomainError("Set up two-factor sign-in first: recovery codes come with it.");
    const codes = await replaceRecoveryCodes(trx, userId, now);
    await appendAuditEvent(trx, {
      actor: userId,
      action: "user.recovery_codes_regenerated",
      entityType: "user",
      entityId: userId,
      after: { recovery_codes: codes.length },
    });
    return codes;
  });
}

/**
 * Turns two-factor sign-in off, with a current code from the app as proof.
 * Refused for anyone who may act as an administrator: for them it is required.
 */
export async function turnOffTwoFactor(db: DB, userId: string, code: string, now = new Date()): Promise<void> {
  const memberships = await listActiveMemberships(db, userId);
  if (requiresTwoFactor(userId, memberships)) throw new DomainError("Administrators must use two-factor sign-in, so it cannot be turned off.");
  await inTransaction(db, async (trx) => {
    const row = await trx.selectFrom("two_factor").select(["secret", "last_used_step"]).where("user_id", "=", userId).executeTakeFirst();
    const secret = row?.secret ? openSecret(userId, row.secret) : null;
    if (!row || !secret) throw new DomainError("Two-factor sign-in is not set up for your account.");
    const step = matchingStep(secret, code, now);
    if (step === null || (row.last_used_step !== null && step <= row.last_used_step)) throw new DomainError(WRONG_CODE, "code");
    await trx.deleteFrom("recovery_code").where("user_id", "=", userId).execute();
    await trx.deleteFrom("two_factor").where("user_id", "=", userId).execute();
    await appendAuditEvent(trx, { actor: userId, action: "user.two_factor_disabled", entityType: "user", entityId: userId });
  });
}

/** Writes the audit event for a sign-in completed with a recovery code (each one used is on the record). */
export async function recordRecoveryCodeSignIn(db: DB, userId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const left = await trx
      .selectFrom("recovery_code")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId)
      .where("used_at", "is", null)
      .executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: userId,
      action: "user.recovery_code_used",
      entityType: "user",
      entityId: userId,
      after: { recovery_codes_left: Number(left.n) },
    });
  });
}

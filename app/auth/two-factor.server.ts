import { redirect } from "@remix-run/node";
import { randomInt } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import type { DB } from "../../db/client";
import {
  FAILED_CODE_WINDOW_MS,
  isRecoveryCode,
  isTotpCode,
  MAX_CODE_ATTEMPTS,
  MAX_FAILED_CODES,
  PENDING_SIGN_IN_MS,
  RECOVERY_CODE_ALPHABET,
  RECOVERY_CODE_COUNT,
  RECOVERY_CODE_LENGTH,
  TOTP_DIGITS,
  TOTP_ISSUER,
  TOTP_PERIOD_SECONDS,
  TOTP_WINDOW,
  totpStepAt,
} from "~/domain/two-factor";
import { newToken, sha256 } from "~/utils/ids.server";
import { cookiePerProtocol } from "./cookies.server";
import { openSecret } from "./two-factor-secret.server";

/**
 * Two-factor sign-in: TOTP codes (RFC 6238, via otpauth) and recovery codes,
 * and the half-signed-in state between a right password and a right code.
 * Like sessions and sign-in attempts, this is security bookkeeping kept in
 * app/auth (docs/decisions/0002, 0020); enrolment itself is a service.
 */

/** A new random TOTP secret (160 bits, as RFC 4226 recommends), in base32. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

function totpOf(secret: string, label = ""): TOTP {
  return new TOTP({ issuer: TOTP_ISSUER, label, secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS });
}

/** The otpauth:// link an authenticator app reads (from the QR code). */
export const totpUri = (secret: string, email: string): string => totpOf(secret, email).toString();

/** The otpauth:// link as a QR code, a PNG data: URL (the CSP allows img-src data:), 224 px square. */
export const totpQrCode = (uri: string): Promise<string> => QRCode.toDataURL(uri, { margin: 2, width: 224, errorCorrectionLevel: "M" });

/** The code an app shows for this secret at this moment (scripts/demo-code.ts, and tests). */
export const totpCodeAt = (secret: string, at: Date): string => totpOf(secret).generate({ timestamp: at.getTime() });

/** The 30-second step whose code this is (within one step either side of now), or null when it is not a code for this secret now. */
export function matchingStep(secret: string, code: string, now: Date): number | null {
  const delta = totpOf(secret).validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW });
  return delta === null ? null : totpStepAt(now) + delta;
}

/** Whether this person has a confirmed second factor (so sign-in asks for a code). */
export async function isTwoFactorEnrolled(db: DB, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom("two_factor")
    .select("user_id")
    .where("user_id", "=", userId)
    .where("confirmed_at", "is not", null)
    .where("secret", "is not", null)
    .executeTakeFirst();
  return Boolean(row);
}

/** What the set-up page shows: whether they are set up, a new app waiting to be confirmed, and recovery codes left. */
export async function twoFactorStatus(db: DB, userId: string) {
  const row = await db.selectFrom("two_factor").select(["secret", "pending_secret", "confirmed_at"]).where("user_id", "=", userId).executeTakeFirst();
  const left = await db
    .selectFrom("recovery_code")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return {
    isEnrolled: Boolean(row?.secret && row.confirmed_at),
    confirmedAt: row?.confirmed_at ?? null,
    /** Still encrypted; openSecret it for the page. */
    pendingSecret: row?.pending_secret ?? null,
    recoveryCodesLeft: Number(left.n),
  };
}

/** Fresh recovery codes, in plain text: shown once, stored only as hashes. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    Array.from({ length: RECOVERY_CODE_LENGTH }, () => RECOVERY_CODE_ALPHABET[randomInt(RECOVERY_CODE_ALPHABET.length)]).join(""),
  );
}

/** How a recovery code is stored: salted with the person's id, so equal codes on two accounts do not look equal. */
export const recoveryCodeHash = (userId: string, code: string): string => sha256(`${userId}:${code}`);

/**
 * Accepts an authenticator code once: the step it belongs to must be later than
 * the last step accepted, and the update that records it is the check, so two
 * requests with the same code cannot both pass.
 */
async function acceptTotp(db: DB, userId: string, code: string, now: Date): Promise<"ok" | "used" | "wrong"> {
  const row = await db.selectFrom("two_factor").select(["secret"]).where("user_id", "=", userId).where("confirmed_at", "is not", null).executeTakeFirst();
  const secret = row?.secret ? openSecret(userId, row.secret) : null;
  if (!secret) return "wrong";
  const step = matchingStep(secret, code, now);
  if (step === null) return "wrong";
  const result = await db
    .updateTable("two_factor")
    .set({ last_used_step: step, updated_at: now.toISOString() })
    .where("user_id", "=", userId)
    .where((eb) => eb.or([eb("last_used_step", "is", null), eb("last_used_step", "<", step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? "ok" : "used";
}

/** Uses up a recovery code; false when it is not one of theirs or was used already. */
async function consumeRecoveryCode(db: DB, userId: string, code: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("recovery_code")
    .set({ used_at: now.toISOString() })
    .where("user_id", "=", userId)
    .where("code_hash", "=", recoveryCodeHash(userId, code))
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Counts one attempt against the account before the code is checked (so
 * parallel guesses cannot all get in under the limit); false when the account
 * has had MAX_FAILED_CODES in the window already.
 */
async function reserveAccountAttempt(db: DB, userId: string, now: Date): Promise<boolean> {
  const windowStart = new Date(now.getTime() - FAILED_CODE_WINDOW_MS).toISOString();
  const result = await db
    .updateTable("two_factor")
    .set((eb) => ({
      failed_count: eb
        .case()
        .when(eb.or([eb("failed_since", "is", null), eb("failed_since", "<", windowStart)]))
        .then(1)
        .else(eb("failed_count", "+", 1))
        .end(),
      failed_since: eb
        .case()
        .when(eb.or([eb("failed_since", "is", null), eb("failed_since", "<", windowStart)]))
        .then(now.toISOString())
        .else(eb.ref("failed_since"))
        .end(),
    }))
    .where("user_id", "=", userId)
    .where((eb) => eb.or([eb("failed_since", "is", null), eb("failed_since", "<", windowStart), eb("failed_count", "<", MAX_FAILED_CODES)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ---------------------------------------------------------------------------
// The half-signed-in state.

/**
 * The pending sign-in's cookie: its own name, never the session's, and read
 * only by the second step's page (login_.code.tsx). Five minutes at most.
 */
const pendingCookieOf = cookiePerProtocol(
  { https: "__Host-signin_pending", http: "__signin_pending" },
  { httpOnly: true, sameSite: "lax", maxAge: PENDING_SIGN_IN_MS / 1000 },
);

export interface PendingSignIn {
  id: string;
  userId: string;
  redirectTo: string | null;
}

/**
 * After a right password from someone with two-factor sign-in: records the
 * pending sign-in and sends them to the second step. No session exists yet.
 */
export async function redirectToSecondStep(
  db: DB,
  request: Request,
  userId: string,
  redirectTo: string | null | undefined,
  now = new Date(),
): Promise<Response> {
  const token = newToken(16);
  // Abandoned pending sign-ins go here, anyone's: the table stays as small as the last five minutes' sign-ins.
  await db.deleteFrom("pending_sign_in").where("expires_at", "<=", now.toISOString()).execute();
  await db
    .insertInto("pending_sign_in")
    .values({
      id: sha256(token),
      user_id: userId,
      redirect_to: redirectTo || null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + PENDING_SIGN_IN_MS).toISOString(),
    })
    .execute();
  return redirect("/login/code", { headers: { "Set-Cookie": await pendingCookieOf(request).serialize(token) } });
}

/** This request's pending sign-in, or null (none, or expired: then it is removed). */
export async function readPendingSignIn(db: DB, request: Request, now = new Date()): Promise<PendingSignIn | null> {
  const token = await pendingCookieOf(request).parse(request.headers.get("Cookie"));
  if (typeof token !== "string" || token.length === 0) return null;
  const id = sha256(token);
  const row = await db.selectFrom("pending_sign_in").select(["id", "user_id", "redirect_to", "expires_at"]).where("id", "=", id).executeTakeFirst();
  if (!row) return null;
  if (now.toISOString() >= row.expires_at) {
    await db.deleteFrom("pending_sign_in").where("id", "=", id).execute();
    return null;
  }
  return { id: row.id, userId: row.user_id, redirectTo: row.redirect_to };
}

/** Ends a pending sign-in (done, or given up); returns the Set-Cookie header that clears its cookie. */
export async function endPendingSignIn(db: DB, request: Request, pendingId: string | null): Promise<string> {
  if (pendingId) await db.deleteFrom("pending_sign_in").where("id", "=", pendingId).execute();
  return pendingCookieOf(request).serialize("", { maxAge: 0 });
}

export type SecondFactorResult =
  | { ok: true; method: "totp" | "recovery_code" }
  /** wrong: not a right code; used: a right code already used once; ended: too many tries, the pending sign-in is gone; locked: too many wrong codes for the account lately. */
  | { ok: false; reason: "wrong" | "used" | "ended" | "locked" };

/**
 * Checks a code typed at the second step. Each attempt is counted before the
 * check, against the pending sign-in (MAX_CODE_ATTEMPTS, then it ends) and the
 * account (MAX_FAILED_CODES in FAILED_CODE_WINDOW_MS); a right code clears the
 * account's count.
 */
export async function checkSecondFactor(db: DB, pending: PendingSignIn, code: string, now = new Date()): Promise<SecondFactorResult> {
  const reserved = await db
    .updateTable("pending_sign_in")
    .set((eb) => ({ failed_count: eb("failed_count", "+", 1) }))
    .where("id", "=", pending.id)
    .where("failed_count", "<", MAX_CODE_ATTEMPTS)
    .returning("failed_count")
    .executeTakeFirst();
  if (!reserved) {
    await db.deleteFrom("pending_sign_in").where("id", "=", pending.id).execute();
    return { ok: false, reason: "ended" };
  }
  if (!(await reserveAccountAttempt(db, pending.userId, now))) return { ok: false, reason: "locked" };

  let outcome: "ok" | "used" | "wrong" = "wrong";
  let method: "totp" | "recovery_code" = "totp";
  if (isTotpCode(code)) outcome = await acceptTotp(db, pending.userId, code, now);
  else if (isRecoveryCode(code)) {
    method = "recovery_code";
    outcome = (await consumeRecoveryCode(db, pending.userId, code, now)) ? "ok" : "wrong";
  }
  if (outcome === "ok") {
    await db.updateTable("two_factor").set({ failed_count: 0, failed_since: null }).where("user_id", "=", pending.userId).execute();
    return { ok: true, method };
  }
  if (reserved.failed_count >= MAX_CODE_ATTEMPTS) {
    await db.deleteFrom("pending_sign_in").where("id", "=", pending.id).execute();
    return { ok: false, reason: "ended" };
  }
  return { ok: false, reason: outcome };
}

import type { MembershipSummary } from "./memberships";
import { can } from "./permissions";

/**
 * Two-factor sign-in rules (pure). TOTP as RFC 6238 sets it out and every
 * authenticator app expects: SHA-1, 6 digits, 30-second steps.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** A code from the step before or after the current one is accepted too (clocks drift). */
export const TOTP_WINDOW = 1;
export const TOTP_ISSUER = "Community Grant Decisions";

/** How many recovery codes a person gets at a time. */
export const RECOVERY_CODE_COUNT = 10;
/** Recovery codes use letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L). */
export const RECOVERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/** 12 characters of 31: about 59 bits each, shown as three groups of four. */
export const RECOVERY_CODE_LENGTH = 12;

/** The half-signed-in state lasts this long. */
export const PENDING_SIGN_IN_MS = 5 * 60 * 1000;
/** Wrong codes one pending sign-in may take before it ends (the password must be given again). */
export const MAX_CODE_ATTEMPTS = 5;
/** Wrong codes an account may take in FAILED_CODE_WINDOW_MS, across sign-ins, before the second step refuses every code. */
export const MAX_FAILED_CODES = 10;
export const FAILED_CODE_WINDOW_MS = 15 * 60 * 1000;

/** Whether this person must use two-factor sign-in: anyone who may act as an administrator. */
export function requiresTwoFactor(
  userId: string,
  memberships: readonly Pick<MembershipSummary, "id" | "role" | "organisationId" | "decisionGroupId" | "fundId">[],
): boolean {
  return memberships.some((m) =>
    can(
      { id: userId, membershipId: m.id, role: m.role, organisationId: m.organisationId, decisionGroupId: m.decisionGroupId, fundId: m.fundId },
      "admin.access",
    ),
  );
}

/** The 30-second step a moment falls in. */
export const totpStepAt = (at: Date): number => Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);

/** What someone typed, without the spaces and dashes apps and printouts add. */
export const compactCode = (typed: string): string => typed.replace(/[\s-]+/g, "").toUpperCase();

/** A six-digit authenticator code (after compactCode). */
export const isTotpCode = (code: string): boolean => new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code);

/** A recovery code's shape (after compactCode). */
export const isRecoveryCode = (code: string): boolean => code.length === RECOVERY_CODE_LENGTH && [...code].every((c) => RECOVERY_CODE_ALPHABET.includes(c));

/** "ABCD-EFGH-JKMN": how a recovery code is shown. */
export const formatRecoveryCode = (code: string): string => code.match(/.{1,4}/g)?.join("-") ?? code;

/** A base32 secret in groups of four, easier to type into an app by hand. */
export const groupSecret = (secret: string): string => secret.match(/.{1,4}/g)?.join(" ") ?? secret;

/**
 * The demo administrators' authenticator key (base32), published in the
 * README. Imports nothing, so the browser tests and scripts/demo-code.ts can
 * read it without the server's modules.
 */
export const DEMO_TOTP_SECRET = "DEMOADMINSECRETFORTWOFACTORSIGNX";

/** The demo accounts that sign in with it: both administrators. */
export const DEMO_TWO_FACTOR_EMAILS = ["admin@demo.example", "finance@demo.example"] as const;

import { Secret, TOTP } from "otpauth";
import { DEMO_TOTP_SECRET, DEMO_TWO_FACTOR_EMAILS } from "../db/demo-two-factor-key";
import { TOTP_DIGITS, TOTP_ISSUER, TOTP_PERIOD_SECONDS } from "../app/domain/two-factor";

// Prints the demo administrators' sign-in code of the moment, so a newcomer can
// sign in as admin@demo.example without an authenticator app. The key is the
// demo's published one (README, Demo accounts); a real deployment has no demo.

const totp = new TOTP({
  issuer: TOTP_ISSUER,
  secret: Secret.fromBase32(DEMO_TOTP_SECRET),
  algorithm: "SHA1",
  digits: TOTP_DIGITS,
  period: TOTP_PERIOD_SECONDS,
});
const now = Date.now();
const left = TOTP_PERIOD_SECONDS - (Math.floor(now / 1000) % TOTP_PERIOD_SECONDS);
console.log(`${totp.generate({ timestamp: now })}`);
console.error(`The sign-in code for ${DEMO_TWO_FACTOR_EMAILS.join(" and ")}; it changes in ${left} s, and each code works once.`);

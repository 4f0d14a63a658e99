import { z } from "zod";
import { compactCode, isRecoveryCode, isTotpCode } from "../two-factor";

const ENTER_CODE = "Enter the 6-digit code from your authenticator app";

/** A code from the authenticator app, as typed (spaces allowed). */
const totpField = z
  .string({ required_error: ENTER_CODE })
  .max(40, ENTER_CODE)
  .transform(compactCode)
  .refine((v) => v.length > 0, ENTER_CODE)
  .refine((v) => v.length === 0 || isTotpCode(v), "The code must be 6 digits, like 123456");

/** The second step of signing in: an authenticator code or a recovery code. */
export const SecondFactorSchema = z.object({
  code: z
    .string({ required_error: "Enter the code from your authenticator app, or a recovery code" })
    .max(40, "Enter the 6-digit code from your app, or a 12-character recovery code")
    .transform(compactCode)
    .refine((v) => v.length > 0, "Enter the code from your authenticator app, or a recovery code")
    .refine((v) => v.length === 0 || isTotpCode(v) || isRecoveryCode(v), "Enter the 6-digit code from your app, or a 12-character recovery code"),
});

/** Confirming a new authenticator app, or turning two-factor sign-in off. */
export const TotpCodeSchema = z.object({ code: totpField });

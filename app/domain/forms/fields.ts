import { z } from "zod";

/** Shared field rules with GOV.UK-style messages. */
export const emailField = z
  .string({ required_error: "Enter your email address" })
  .trim()
  .min(1, "Enter your email address")
  .max(254, "Email address must be 254 characters or fewer")
  .email("Enter an email address in the correct format, like name@example.com")
  .transform((v) => v.toLowerCase());

export const nameField = z
  .string({ required_error: "Enter your full name" })
  .trim()
  .min(1, "Enter your full name")
  .max(120, "Name must be 120 characters or fewer");

/** Length only; the common-password rule runs on the server (the list is large). */
export const newPasswordField = z
  .string({ required_error: "Enter a password" })
  .min(1, "Enter a password")
  .min(10, "Password must be at least 10 characters")
  .max(64, "Password must be 64 characters or fewer");

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

/**
 * A name a form sends several times (a group of checkboxes), read like
 * form.getAll(name) and checked by `list`, an array schema: nothing ticked
 * is [], one ticked is [value].
 */
export const repeatedField = <T extends z.ZodTypeAny>(list: T) => z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), list);

/**
 * Rows of a form, named "name[0].field", "name[1].field"…, as an array in
 * page order. A row nobody sent (a gap in the numbering) reads as undefined,
 * so row schemas should allow it.
 */
export const rowsField = <T extends z.ZodTypeAny>(row: T, max: number, tooMany: string) =>
  z.preprocess((v) => (v === undefined || v === "" ? [] : v), z.array(row).max(max, tooMany));

export const REAL_DATE_MESSAGE = "Enter a real date, for example 2027-03-31";

/** True only for a date written YYYY-MM-DD that is on the calendar: 2026-02-30 and 2026-13-01 are not. */
export function isRealIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.UTC rolls an impossible date over (30 February → 2 March), so a real one comes back unchanged.
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The day after a real YYYY-MM-DD date, across month and year ends. */
export function nextIsoDate(value: string): string {
  const [year, month, day] = value.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

/** A required date from a form or a query string: YYYY-MM-DD and on the calendar. */
export const isoDateField = (messages: { required?: string; invalid?: string } = {}) => {
  const invalid = messages.invalid ?? REAL_DATE_MESSAGE;
  const required = messages.required ?? invalid;
  return z.string({ required_error: required, invalid_type_error: invalid }).trim().min(1, required).refine(isRealIsoDate, invalid);
};

/** An optional date: blank is null; anything else must be a real YYYY-MM-DD date. */
export const optionalIsoDateField = (invalid = REAL_DATE_MESSAGE) =>
  z
    .string({ invalid_type_error: invalid })
    .optional()
    .transform((v) => (v ?? "").trim() || null)
    .refine((v) => v === null || isRealIsoDate(v), invalid);

/** A form that is only a button (send reminders, close): nothing to check, but a refusal still comes back as a message. */
export const NoFieldsSchema = z.object({});

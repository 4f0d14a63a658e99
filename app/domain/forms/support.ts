import { z } from "zod";
import { isoDateField } from "./fields";

/**
 * Support logs: an award's development support and a community team's
 * mentoring and training share these fields, so they read and check the same.
 */
export const supportDateField = isoDateField({ invalid: "Enter the date as year-month-day, like 2027-03-14" });

/** Free text about the support, required, up to 5,000 characters. */
export const supportTextField = (missing: string, name: string) =>
  z.string({ required_error: missing }).trim().min(1, missing).max(5000, `${name} must be 5,000 characters or fewer`);

/** An award's development support: offered or given, with the time in whole minutes. */
export const SupportSchema = z.object({
  kind: z.enum(["meeting", "advice", "referral", "other"], { errorMap: () => ({ message: "Choose the kind of support" }) }),
  status: z.enum(["offered", "given"], { errorMap: () => ({ message: "Say whether the support was offered or given" }) }),
  description: supportTextField("Describe the support", "The description"),
  minutes: z
    .string()
    .trim()
    .regex(/^\d{1,5}$/, "Enter the time in whole minutes, like 90")
    .transform(Number),
  occurredOn: supportDateField,
});

/** A community team's mentoring or training: the time in hours (halves and quarters allowed), kept as minutes. */
export const TeamSupportSchema = z
  .object({
    givenOn: supportDateField,
    kind: z.enum(["mentoring", "training", "other"], { errorMap: () => ({ message: "Choose mentoring, training or other" }) }),
    hours: z
      .string({ required_error: "Enter the time in hours, like 1.5" })
      .trim()
      .regex(/^\d{1,3}(\.\d{1,2})?$/, "Enter the time in hours, like 1.5")
      .transform((v) => Math.round(Number(v) * 60))
      .refine((minutes) => minutes > 0, "Enter a time of more than 0 hours"),
    givenBy: z.string({ required_error: "Enter who gave it" }).trim().min(1, "Enter who gave it").max(200, "Who gave it must be 200 characters or fewer"),
    notes: supportTextField("Enter what it covered", "The notes"),
  })
  .transform(({ hours, ...rest }) => ({ ...rest, minutes: hours }));

export type TeamSupportInput = z.output<typeof TeamSupportSchema>;

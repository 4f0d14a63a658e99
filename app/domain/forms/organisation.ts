import { z } from "zod";
import type { OrganisationType } from "../../../db/schema";

export type { OrganisationType };

export const ORGANISATION_TYPES: readonly OrganisationType[] = ["unincorporated", "charity", "cic", "clg", "other"];

export const ORGANISATION_TYPE_LABELS: Record<OrganisationType, string> = {
  unincorporated: "Unincorporated community group",
  charity: "Registered charity",
  cic: "Community interest company (CIC)",
  clg: "Company limited by guarantee",
  other: "Other",
};

/** The types registered with the Charity Commission or Companies House, so they have a number. */
export const NEEDS_REGISTRATION_NUMBER: readonly OrganisationType[] = ["charity", "cic", "clg"];

const UK_POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?|GIR) ?(\d[A-Z]{2}|0AA)$/;

/** "bs5 9qa" → "BS5 9QA"; leaves anything that is not a postcode alone, for the error to show. */
export function normalisePostcode(input: string): string {
  const compact = input.trim().toUpperCase().replace(/\s+/g, "");
  if (compact.length < 5) return input.trim().toUpperCase();
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

export const isUkPostcode = (value: string): boolean => UK_POSTCODE.test(normalisePostcode(value));

const required = (message: string, max: number, label: string) =>
  z.string({ required_error: message }).trim().min(1, message).max(max, `${label} must be ${max} characters or fewer`);

const email = (message: string) =>
  z
    .string({ required_error: message })
    .trim()
    .min(1, message)
    .max(254, "Email address must be 254 characters or fewer")
    .email("Enter an email address in the correct format, like name@example.com")
    .transform((v) => v.toLowerCase());

const GroupProfileFields = z.object({
  name: required("Enter your group's name", 150, "Group name"),
  orgType: z.enum(ORGANISATION_TYPES as [OrganisationType, ...OrganisationType[]], {
    errorMap: () => ({ message: "Choose what kind of group you are" }),
  }),
  registrationNumber: z
    .string()
    .trim()
    .max(20, "Registration number must be 20 characters or fewer")
    .refine((v) => !v || /^[A-Za-z0-9 -]{4,20}$/.test(v), "Registration number must be letters and numbers only, like 1234567 or SC012345")
    .optional()
    .transform((v) => v?.toUpperCase() || null),
  address: required("Enter your group's address", 500, "Address"),
  postcode: z
    .string({ required_error: "Enter your group's postcode" })
    .trim()
    .min(1, "Enter your group's postcode")
    .refine(isUkPostcode, "Enter a real UK postcode, like BS5 9QA")
    .transform(normalisePostcode),
  contactName: required("Enter the name of the person we should contact", 120, "Contact name"),
  contactEmail: email("Enter the contact email address"),
  contactPhone: z
    .string()
    .trim()
    .max(30, "Phone number must be 30 characters or fewer")
    .optional()
    .refine(
      (v) => !v || (/^[+\d\s()-]+$/.test(v) && v.replace(/\D/g, "").length >= 10 && v.replace(/\D/g, "").length <= 15),
      "Enter a phone number, like 0117 496 0000 or +44 117 496 0000",
    )
    .transform((v) => v || null),
});

/**
 * The group profile form. Bank details are deliberately not asked for: the
 * portal does not store them. The registration-number rule looks at two
 * fields, so it runs on the raw input first: that way it is reported
 * together with every other problem, not in a second round.
 */
export const GroupProfileSchema = z.preprocess((raw, ctx) => {
  const input = (raw ?? {}) as Record<string, unknown>;
  const orgType = String(input.orgType ?? "") as OrganisationType;
  if (NEEDS_REGISTRATION_NUMBER.includes(orgType) && !String(input.registrationNumber ?? "").trim()) {
    const whose = orgType === "charity" ? "charity number" : "company number";
    ctx.addIssue({ code: "custom", path: ["registrationNumber"], message: `Enter your ${whose}` });
  }
  return raw;
}, GroupProfileFields);

export type GroupProfile = z.infer<typeof GroupProfileSchema>;

export const GroupMemberInviteSchema = z.object({
  inviteName: required("Enter the person's full name", 120, "Name"),
  inviteEmail: email("Enter the person's email address"),
});

/** A lead organisation names a group that is not online yet. */
export const NewGroupNameSchema = required("Enter the community group's name", 150, "Group name");

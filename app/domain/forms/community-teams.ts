import { z } from "zod";
import { looksLikeContactDetails } from "../community-teams";
import { isoDateField } from "./fields";

const text = (missing: string, label: string, max: number) =>
  z
    .string({ required_error: missing })
    .trim()
    .min(1, missing)
    .max(max, `${label} must be ${max.toLocaleString("en-GB")} characters or fewer`);

/** An administrator sets up a fund's community team: its name, area and paid term. */
export const NewTeamSchema = z
  .object({
    name: text("Enter the team's name", "The name", 120),
    area: text("Enter the area the team works in", "The area", 120),
    termStartsOn: isoDateField({ required: "Enter the first day of the paid term", invalid: "Enter the first day as a real date, like 2027-04-01" }),
    termEndsOn: isoDateField({ required: "Enter the last day of the paid term", invalid: "Enter the last day as a real date, like 2028-03-31" }),
  })
  .refine((t) => t.termEndsOn >= t.termStartsOn, { message: "The term must end on or after the day it starts", path: ["termEndsOn"] });

export type NewTeamInput = z.output<typeof NewTeamSchema>;

/** Adding a member is inviting them to the team's community group: the same two fields as any group invitation. */
export { GroupInviteSchema as AddTeamMemberSchema } from "./group-membership";

/** A team's idea: a title, what it is, and where. */
export const TeamIdeaSchema = z.object({
  title: text("Enter the idea's title", "The title", 150),
  summary: text("Say what the idea is", "The summary", 2000),
  area: text("Enter the area the idea is for", "The area", 120),
});

export type TeamIdeaInput = z.output<typeof TeamIdeaSchema>;

/** Moving an idea on (or back) by hand. */
export const IdeaStatusSchema = z.object({
  status: z.enum(["idea", "developing"], { errorMap: () => ({ message: "Choose idea or developing" }) }),
});

/** Counts and places only: no field names a person, and contact details are refused. */
const noContactDetails = (label: string, max: number) =>
  text(`Enter the ${label}`, `The ${label}`, max).refine((v) => !looksLikeContactDetails(v), {
    message: `The ${label} must not hold an email address or phone number. Record how many people, not who`,
  });

/** People the team engaged: how many, where, when and how. */
export const EngagementSchema = z.object({
  engagedOn: isoDateField({ required: "Enter the date", invalid: "Enter the date as a real date, like 2027-05-14" }),
  area: noContactDetails("area", 120),
  activity: noContactDetails("activity", 120),
  peopleCount: z
    .string({ required_error: "Enter how many people took part" })
    .trim()
    .min(1, "Enter how many people took part")
    .regex(/^\d+$/, "Enter how many people as a whole number, like 12")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 100_000, "Enter a number from 1 to 100,000"),
});

export type EngagementInput = z.output<typeof EngagementSchema>;

/** Turning an idea into an outline proposal: the decision group it goes to; the fund's eligibility answers are read beside it. */
export const IdeaToProposalSchema = z.object({
  decisionGroupId: z.string({ required_error: "Choose the decision group" }).trim().min(1, "Choose the decision group"),
});

import { z } from "zod";
import type { InterestRelationship } from "../../../db/schema";
import { parseScoreSheet, type ScoreSheetInput, type SheetCriterion } from "../score-sheet";

export const RELATIONSHIPS: readonly InterestRelationship[] = ["member", "trustee", "employee", "family", "other"];

export const RELATIONSHIP_LABELS: Record<InterestRelationship, string> = {
  member: "I am a member of it",
  trustee: "I am a trustee, director or committee member",
  employee: "I work for it, paid or unpaid",
  family: "A close family member or partner is involved",
  other: "Another connection",
};

const text = (missing: string, max: number, tooLong: string) => z.string({ required_error: missing }).trim().min(1, missing).max(max, tooLong);

const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, tooLong)
    .optional()
    .transform((v) => v ?? "");

const relationship = z.enum(RELATIONSHIPS as [InterestRelationship, ...InterestRelationship[]], {
  errorMap: () => ({ message: "Choose how you are connected" }),
});

const pecuniary = z.enum(["yes", "no"], { errorMap: () => ({ message: "Say whether the interest is financial (pecuniary)" }) }).transform((v) => v === "yes");

/** One declaration about an organisation, from the interests page. */
export const OrganisationInterestSchema = z.object({
  organisationId: z.string({ required_error: "Choose the organisation you are connected to" }).trim().min(1, "Choose the organisation you are connected to"),
  relationship,
  isPecuniary: pecuniary,
  details: optionalText(2000, "Details must be 2,000 characters or fewer"),
});

/** A declaration about one proposal, from the proposal's panel page. */
export const ProposalInterestSchema = z.object({
  relationship,
  isPecuniary: pecuniary,
  details: text("Say briefly what your interest is", 2000, "Details must be 2,000 characters or fewer"),
});

export const SpecialistInputSchema = z.object({
  feasibility: text("Write your view of the project's feasibility", 5000, "Feasibility must be 5,000 characters or fewer"),
  costRealism: text("Write your view of whether the costs are realistic", 5000, "Cost realism must be 5,000 characters or fewer"),
  risks: text("Write the main risks you see", 5000, "Risks must be 5,000 characters or fewer"),
});

export const QuestionSchema = z.object({
  question: text("Write your question for the applicant", 2000, "Your question must be 2,000 characters or fewer"),
});

export const AnswerSchema = z.object({
  answer: text("Write your answer", 5000, "Your answer must be 5,000 characters or fewer"),
});

export const ReopenSheetSchema = z.object({
  sheetId: z.string({ required_error: "Choose the score sheet to reopen" }).trim().min(1, "Choose the score sheet to reopen"),
  reason: text("Give the reason for reopening the score sheet", 1000, "The reason must be 1,000 characters or fewer"),
});

/**
 * The score sheet: a mark and a comment per criterion of the fund (named by
 * the criterion's id) and an overall comment, checked by parseScoreSheet.
 * Submitting needs every mark; saving a draft does not.
 */
export const scoreSheetSchema = (criteria: readonly SheetCriterion[], scaleMax: number, isSubmit: boolean) =>
  z.record(z.unknown()).transform((input, ctx): ScoreSheetInput => {
    const fields: Record<string, string> = {};
    for (const [key, value] of Object.entries(input)) if (typeof value === "string") fields[key] = value;
    const parsed = parseScoreSheet(fields, criteria, scaleMax, isSubmit);
    if (parsed.ok) return parsed.input;
    for (const [field, message] of Object.entries(parsed.errors)) ctx.addIssue({ code: "custom", path: [field], message });
    return z.NEVER;
  });

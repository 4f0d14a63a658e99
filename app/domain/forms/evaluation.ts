import { z } from "zod";
import { SURVEY_CHOICES, SURVEY_ROLE_GROUPS } from "../evaluation";
import { parsePoundsToPence } from "../money";

const choice = (question: string) => z.enum(SURVEY_CHOICES, { errorMap: () => ({ message: `Choose an answer to "${question}"` }) });

/** The survey after decisions: four questions with set answers, and one free-text answer. */
export const SurveyAnswerSchema = z.object({
  /** Only asked of someone who took part in more than one way; the service checks it is one of theirs. */
  roleGroup: z.enum(SURVEY_ROLE_GROUPS, { errorMap: () => ({ message: "Choose how you took part" }) }).optional(),
  takePartAgain: choice("Would you take part again?"),
  gainedConfidence: choice("Did you gain confidence by taking part?"),
  feltListenedTo: choice("Did you feel listened to?"),
  feedbackUseful: choice("Was the feedback you got useful?"),
  comment: z
    .string()
    .trim()
    .max(2000, "Your answer must be 2,000 characters or fewer")
    .optional()
    .transform((v) => v ?? ""),
});

export type SurveyAnswerInput = z.output<typeof SurveyAnswerSchema>;

/** What running the round cost, in pounds (kept as whole pence), and what it covers. */
export const RunningCostsSchema = z.object({
  runningCosts: z
    .string({ required_error: "Enter what running the round cost, in pounds" })
    .trim()
    .min(1, "Enter what running the round cost, in pounds")
    .transform((v, ctx) => {
      const pence = parsePoundsToPence(v);
      if (pence === null) {
        ctx.addIssue({ code: "custom", message: "Enter the cost in pounds, like 39000 or 39,000.50" });
        return z.NEVER;
      }
      return pence;
    }),
  runningCostsNote: z
    .string()
    .trim()
    .max(500, "What the costs cover must be 500 characters or fewer")
    .optional()
    .transform((v) => v ?? ""),
});

export type RunningCostsInput = z.output<typeof RunningCostsSchema>;

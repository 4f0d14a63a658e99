import { z } from "zod";
import { parseOptionLines, parsePercent, formatTenths, type EqualityRoleGroup } from "../equality";

/** A new equality question: its wording and its options, one a line ("Prefer not to say" is added for you). */
export const EqualityQuestionSchema = z.object({
  text: z.string({ required_error: "Enter the question" }).trim().min(1, "Enter the question").max(200, "The question must be 200 characters or fewer"),
  options: z
    .string({ required_error: "Enter at least two answers, one on each line" })
    .transform(parseOptionLines)
    .pipe(
      z
        .array(z.string().max(100, "Each answer must be 100 characters or fewer"))
        .min(2, "Enter at least two answers, one on each line")
        .max(30, "Enter 30 answers or fewer"),
    ),
});

export type EqualityQuestionInput = z.output<typeof EqualityQuestionSchema>;

/** The name of the input for an option's reference figure. */
export const referenceField = (optionId: string) => `ref_${optionId}`;

/**
 * The area's figures for one question's options: each blank (not known) or
 * 0 to 100 with one decimal at most; together no more than 100%.
 * Parsed into tenths of a percent by option id.
 */
export function referenceFiguresSchema(optionIds: readonly string[]) {
  const shape: Record<string, z.ZodTypeAny> = {};
  for (const id of optionIds) {
    shape[referenceField(id)] = z
      .string()
      .optional()
      .transform((v, ctx) => {
        const tenths = parsePercent(v ?? "");
        if (tenths === undefined) {
          ctx.addIssue({ code: "custom", message: "Enter a percentage from 0 to 100, with one decimal place at most, like 12.5" });
          return z.NEVER;
        }
        return tenths;
      });
  }
  return z
    .object(shape)
    .transform((values) => Object.fromEntries(optionIds.map((id) => [id, values[referenceField(id)] as number | null])))
    .superRefine((figures, ctx) => {
      const total = Object.values(figures).reduce<number>((s, t) => s + (t ?? 0), 0);
      if (total > 1000 && optionIds.length) {
        ctx.addIssue({
          code: "custom",
          path: [referenceField(optionIds[0]!)],
          message: `The area's figures add up to ${formatTenths(total)}. They must add up to 100% or less`,
        });
      }
    });
}

/** The name of the radio group for one question. */
export const answerField = (questionId: string) => `q_${questionId}`;

type AnswerQuestion = { id: string; optionIds: readonly string[] };

/** Each question optional (skipping it is fine), and when answered, one of that question's options. */
function answerShape(questions: readonly AnswerQuestion[]): Record<string, z.ZodTypeAny> {
  const shape: Record<string, z.ZodTypeAny> = {};
  for (const q of questions) {
    shape[answerField(q.id)] = z
      .string()
      .optional()
      .refine((v) => v === undefined || v === "" || q.optionIds.includes(v), "Choose one of the answers, or leave it blank");
  }
  return shape;
}

/** The options chosen, by question id (skipped questions left out). */
function chosenOptions(questions: readonly AnswerQuestion[], values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    questions.flatMap((q) => {
      const v = values[answerField(q.id)] as string | undefined;
      return v ? [[q.id, v] as const] : [];
    }),
  );
}

/** One person's answers; `as` says whether they answer as a panel member or as an applicant. */
export function equalityAnswersSchema(questions: readonly AnswerQuestion[]) {
  return z
    .object({ as: z.enum(["panel", "applicant"], { errorMap: () => ({ message: "Choose who filled in the form" }) }), ...answerShape(questions) })
    .transform((values) => ({ as: values.as as EqualityRoleGroup, choices: chosenOptions(questions, values) }));
}

/** The "About you" box a voter may tick to let their answers be kept with their vote until the count (docs/decisions/0055). */
export const KEEP_WITH_VOTE_FIELD = "keepWithVote";

/** A community ballot voter's answers (they answer only as a voter), and whether they ticked the box to keep them with their vote until the count. */
export function voterEqualityAnswersSchema(questions: readonly AnswerQuestion[]) {
  return z
    .object({
      ...answerShape(questions),
      [KEEP_WITH_VOTE_FIELD]: z.literal("yes", { errorMap: () => ({ message: "Tick the box, or leave it empty" }) }).optional(),
    })
    .transform((values) => ({ choices: chosenOptions(questions, values), keepWithVote: values[KEEP_WITH_VOTE_FIELD] === "yes" }));
}

export type EqualityAnswers = z.output<ReturnType<typeof equalityAnswersSchema>>;

/** Removing a question (only one nobody has answered). */
export const RemoveEqualityQuestionSchema = z.object({ questionId: z.string({ required_error: "Choose a question" }).min(1, "Choose a question") });

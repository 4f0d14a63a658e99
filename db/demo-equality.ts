import type { Actor } from "~/domain/permissions";
import { listEqualityQuestions } from "~/models/equality.server";
import { addEqualityQuestion, recordEqualityAnswer, recordPaperEqualityAnswer, setReferenceFigures } from "~/services/equality.server";
import type { DB } from "./client";

/**
 * The demo's equality questions, with the area's figures in per cent (about
 * Bristol's 2021 census). Gender leaves 0.5% unknown, so the page shows its
 * warning.
 */
const QUESTIONS: { text: string; options: [string, number][] }[] = [
  {
    text: "What is your age?",
    options: [
      ["16 to 24", 18.5],
      ["25 to 49", 44],
      ["50 to 64", 20.5],
      ["65 or over", 17],
    ],
  },
  {
    text: "Do you think of yourself as disabled?",
    options: [
      ["Yes", 16.5],
      ["No", 83.5],
    ],
  },
  {
    text: "What is your ethnic group?",
    options: [
      ["Asian or Asian British", 6.6],
      ["Black, Black British, Caribbean or African", 5.9],
      ["Mixed or more than one ethnic group", 4.5],
      ["White", 81.1],
      ["Another ethnic group", 1.9],
    ],
  },
  {
    text: "What is your gender?",
    options: [
      ["Woman", 50.5],
      ["Man", 49],
      ["In another way", 0],
    ],
  },
];

/** One person's answers, by question (in order): an option's label, or null for a question they skipped. */
type Answers = (string | null)[];

/** Last round's panel of nine: the report shows the panel's figures, and hides each answer fewer than 5 gave. */
const PANEL: Answers[] = [
  ["50 to 64", "No", "White", "Woman"],
  ["25 to 49", "No", "Black, Black British, Caribbean or African", "Man"],
  ["65 or over", "Yes", "White", "Woman"],
  ["25 to 49", "Prefer not to say", "Asian or Asian British", null],
  ["25 to 49", "No", "White", "Man"],
  ["25 to 49", "No", "White", "Woman"],
  ["25 to 49", "Yes", "Black, Black British, Caribbean or African", "Woman"],
  ["16 to 24", "No", "White", "Man"],
  ["50 to 64", "No", "White", "Woman"],
];

/** Twelve applicants: the three groups' members on the portal first, then nine paper forms from the lead organisation's drop-in. */
const APPLICANTS: Answers[] = [
  ["25 to 49", "No", "White", "Woman"],
  ["50 to 64", "Yes", "Black, Black British, Caribbean or African", "Man"],
  ["25 to 49", "No", "White", "Woman"],
  ["16 to 24", "Yes", "Black, Black British, Caribbean or African", "Woman"],
  ["25 to 49", "No", "White", "Man"],
  ["50 to 64", "Yes", "White", "Woman"],
  ["25 to 49", "No", "Black, Black British, Caribbean or African", "Man"],
  ["50 to 64", "No", "White", "Woman"],
  ["25 to 49", "Yes", "Black, Black British, Caribbean or African", "Woman"],
  ["50 to 64", "No", "White", "Man"],
  ["25 to 49", "Yes", "White", "Man"],
  ["50 to 64", "No", "Black, Black British, Caribbean or African", "Woman"],
];

/**
 * Equality monitoring on last year's round, through the real services: the
 * questions and the area's figures, the panel's and the online applicants'
 * own answers, and paper forms typed in by the administrator.
 */
export async function seedDemoEquality(trx: DB, ctx: { admin: Actor; fundId: string; panel: readonly Actor[]; applicants: readonly Actor[] }): Promise<void> {
  for (const q of QUESTIONS) await addEqualityQuestion(trx, ctx.admin, ctx.fundId, { text: q.text, options: q.options.map(([label]) => label) });
  const questions = await listEqualityQuestions(trx, ctx.fundId);
  for (const [i, q] of questions.entries()) {
    const figures = Object.fromEntries(q.options.map((o) => [o.id, QUESTIONS[i]!.options.find(([label]) => label === o.label)?.[1] ?? null]));
    await setReferenceFigures(
      trx,
      ctx.admin,
      ctx.fundId,
      q.id,
      Object.fromEntries(Object.entries(figures).map(([id, percent]) => [id, percent === null ? null : Math.round(percent * 10)])),
    );
  }
  const choicesOf = (answers: Answers): Record<string, string> =>
    Object.fromEntries(
      questions.flatMap((q, i) => {
        const option = q.options.find((o) => o.label === answers[i]);
        return option ? [[q.id, option.id]] : [];
      }),
    );
  for (const [i, member] of ctx.panel.entries()) await recordEqualityAnswer(trx, member, ctx.fundId, { as: "panel", choices: choicesOf(PANEL[i]!) });
  for (const [i, answers] of APPLICANTS.entries()) {
    const applicant = ctx.applicants[i];
    if (applicant) await recordEqualityAnswer(trx, applicant, ctx.fundId, { as: "applicant", choices: choicesOf(answers) });
    else await recordPaperEqualityAnswer(trx, ctx.admin, ctx.fundId, { as: "applicant", choices: choicesOf(answers) });
  }
}

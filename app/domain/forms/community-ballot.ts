import { z } from "zod";
import { COUNTING_RULES, TIE_RULES, type CountingRuleId, type TieRuleId } from "../ballot-rules";
import { BALLOT_KINDS, settingsProblems, ukLocalToIso, type BallotSettings } from "../community-ballot";
import { emailField } from "./fields";
import { moneyField } from "./fund";

/** An optional whole number from min to max, typed in a box; empty is null. */
export const wholeNumber = (what: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      if (!/^\d+$/.test(value)) {
        ctx.addIssue({ code: "custom", message: `Enter ${what} as a whole number, like ${min + 2}` });
        return z.NEVER;
      }
      const n = Number(value);
      if (n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `Enter ${what} from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

const ukTime = (what: string) =>
  z
    .string({ required_error: `Enter when the vote ${what}` })
    .trim()
    .min(1, `Enter when the vote ${what}`)
    .transform((value, ctx) => {
      const iso = ukLocalToIso(value);
      if (!iso) {
        ctx.addIssue({ code: "custom", message: `Enter when the vote ${what} as a real date and time, like 2027-03-01 09:00` });
        return z.NEVER;
      }
      return iso;
    });

/** The administrator's ballot set-up form: the rules, the times, the age limit and the area. */
export const BallotSetupSchema = z
  .object({
    kind: z.enum(BALLOT_KINDS as [string, ...string[]], { errorMap: () => ({ message: "Choose the kind of ballot" }) }),
    maxChoices: wholeNumber("the most projects each person may choose", 1, 500),
    pointsTotal: wholeNumber("the number of points", 1, 1000),
    pointsMinProjects: wholeNumber("the fewest projects", 1, 500),
    budget: z.string().trim().optional(),
    countingRule: z.enum(COUNTING_RULES as unknown as [string, ...string[]], { errorMap: () => ({ message: "Choose how the votes are counted" }) }),
    tieRule: z.enum(TIE_RULES as unknown as [string, ...string[]], { errorMap: () => ({ message: "Choose how a tie is broken" }) }),
    opensAt: ukTime("opens"),
    closesAt: ukTime("closes"),
    minAge: wholeNumber("the minimum age", 1, 120),
    postcodes: z.string().max(1_100_000).optional().default(""),
    prefixes: z.string().trim().max(2000, "The postcode beginnings must be 2,000 characters or fewer").optional().default(""),
  })
  .transform((v, ctx) => {
    let budgetPence: number | null = null;
    if (v.kind === "knapsack") {
      const parsed = moneyField("the budget each person fills", "The budget").safeParse(v.budget ?? "");
      if (!parsed.success) {
        ctx.addIssue({ code: "custom", path: ["budget"], message: parsed.error.issues[0]!.message });
        return z.NEVER;
      }
      budgetPence = parsed.data;
    }
    const settings: BallotSettings = {
      kind: v.kind as BallotSettings["kind"],
      maxChoices: v.maxChoices,
      pointsTotal: v.pointsTotal,
      pointsMinProjects: v.pointsMinProjects,
      budgetPence,
      countingRule: v.countingRule as CountingRuleId,
      tieRule: v.tieRule as TieRuleId,
      opensAt: v.opensAt,
      closesAt: v.closesAt,
      minAge: v.minAge,
    };
    const problems = settingsProblems(settings);
    for (const [field, message] of Object.entries(problems)) {
      ctx.addIssue({ code: "custom", path: [field === "budgetPence" ? "budget" : field], message });
    }
    if (Object.keys(problems).length) return z.NEVER;
    return { settings, postcodes: v.postcodes, prefixes: v.prefixes };
  });

export type BallotSetup = z.output<typeof BallotSetupSchema>;

/** How many printed voter codes to make. */
export const VoterCodesSchema = z.object({
  count: z
    .string({ required_error: "Enter how many codes to make" })
    .trim()
    .min(1, "Enter how many codes to make")
    .regex(/^\d+$/, "Enter how many codes to make as a whole number, like 50")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1000, "Make from 1 to 1,000 codes at a time"),
});

/** Joining the electorate: postcode, age (when the fund asks) and email. */
export const JoinSchema = z.object({
  postcode: z.string({ required_error: "Enter your postcode" }).trim().min(1, "Enter your postcode").max(12, "Enter your postcode, like BS5 0AB"),
  ageConfirmed: z.string().optional(),
  email: emailField,
});

/** The code from the email, and which join it finishes. */
export const ConfirmCodeSchema = z.object({
  challenge: z.string().trim().min(1, "Start again: enter your postcode and email").max(64),
  code: z
    .string({ required_error: "Enter the code from the email" })
    .trim()
    .min(1, "Enter the code from the email")
    .transform((v) => v.replace(/\s+/g, ""))
    .refine((v) => /^\d{6}$/.test(v), "The code is 6 numbers, like 123456"),
});

/** A printed voter code, as typed (spaces, dashes and small letters allowed). */
export const VoterCodeEntrySchema = z.object({
  voterCode: z
    .string({ required_error: "Enter the code on your card" })
    .trim()
    .min(1, "Enter the code on your card")
    .max(40, "Enter the code on your card, like ABCD-EFGH-JK"),
});

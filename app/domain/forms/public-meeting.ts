import { z } from "zod";
import { ukLocalToIso } from "../community-ballot";
import { ADMISSIONS, MAX_COUNTDOWN_SECONDS, MEETING_RULES, type Hands, type MeetingAdmission, type MeetingRule } from "../public-meeting";
import { wholeNumber } from "./community-ballot";
import { moneyField } from "./fund";

const text = (what: string, max: number) =>
  z
    .string({ required_error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .max(max, `${what.charAt(0).toUpperCase()}${what.slice(1)} must be ${max} characters or fewer`);

/** Scheduling a public meeting. "scope" is a fund id, or "fundId:groupId" for one of its decision groups. */
export const ScheduleMeetingSchema = z
  .object({
    scope: z.string({ required_error: "Choose the fund or decision group" }).trim().min(1, "Choose the fund or decision group").max(200),
    title: text("the meeting's name", 200),
    venue: text("where the meeting is", 300),
    startsAt: z
      .string({ required_error: "Enter when the meeting starts" })
      .trim()
      .min(1, "Enter when the meeting starts")
      .transform((value, ctx) => {
        const iso = ukLocalToIso(value);
        if (!iso) {
          ctx.addIssue({ code: "custom", message: "Enter when the meeting starts as a real date and time, like 2027-03-01 18:30" });
          return z.NEVER;
        }
        return iso;
      }),
    admission: z.enum(ADMISSIONS as [MeetingAdmission, ...MeetingAdmission[]], { errorMap: () => ({ message: "Choose who can vote" }) }),
  })
  .transform(({ scope, ...v }) => {
    const [fundId, groupId] = scope.split(":");
    return { ...v, fundId: fundId!, decisionGroupId: groupId || null };
  });

/** Adding a question to the agenda. */
export const QuestionSchema = z
  .object({
    title: text("the question", 300),
    rule: z.enum(MEETING_RULES as [MeetingRule, ...MeetingRule[]], { errorMap: () => ({ message: "Choose how the room decides" }) }),
    pointsTotal: wholeNumber("the points each person shares", 1, 100),
    budget: z.string().trim().max(30).optional().default(""),
    proposalId: z.string().trim().max(64).optional().default(""),
    proposalIds: z.union([z.string().max(64), z.array(z.string().max(64)).max(100)]).optional(),
    freeIdeas: z.string().max(5000, "The ideas must be 5,000 characters or fewer").optional().default(""),
  })
  .transform((v, ctx) => {
    if (v.rule === "points" && v.pointsTotal === null) {
      ctx.addIssue({ code: "custom", path: ["pointsTotal"], message: "Enter the points each person shares, like 10" });
      return z.NEVER;
    }
    let budgetPence: number | null = null;
    if (v.rule !== "majority" && v.budget) {
      const parsed = moneyField("the money to share out", "The money to share out").safeParse(v.budget);
      if (!parsed.success) {
        ctx.addIssue({ code: "custom", path: ["budget"], message: parsed.error.issues[0]!.message });
        return z.NEVER;
      }
      budgetPence = parsed.data;
    }
    const freeIdeas = v.freeIdeas
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
    if (freeIdeas.some((idea) => idea.length > 200)) {
      ctx.addIssue({ code: "custom", path: ["freeIdeas"], message: "Keep each idea to 200 characters or fewer" });
      return z.NEVER;
    }
    return {
      title: v.title,
      rule: v.rule,
      pointsTotal: v.pointsTotal,
      budgetPence,
      proposalId: v.proposalId || null,
      proposalIds: v.proposalIds === undefined ? [] : Array.isArray(v.proposalIds) ? v.proposalIds : [v.proposalIds],
      freeIdeas,
    };
  });

/** Opening a question, with an optional countdown in seconds. */
export const OpenQuestionSchema = z.object({
  questionId: z.string().trim().min(1).max(64),
  countdown: wholeNumber("the countdown in seconds", 10, MAX_COUNTDOWN_SECONDS),
});

export const QuestionIdSchema = z.object({ questionId: z.string().trim().min(1).max(64) });

/** The field a show-of-hands count for one answer or idea is typed in. */
export const handsField = (key: string) => `hands-${key}`;

const count = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (!value) return 0;
    if (!/^\d{1,6}$/.test(value)) {
      ctx.addIssue({ code: "custom", message: "Enter each count as a whole number, like 12, or leave it empty for 0" });
      return z.NEVER;
    }
    return Number(value);
  });

/** Counts from a show of hands: "hands-voters" and one "hands-<answer or idea>" each. */
export const HandsSchema = z
  .object({ questionId: z.string().trim().min(1).max(64), "hands-voters": count })
  .catchall(z.unknown())
  .transform((v, ctx) => {
    const counts: Record<string, number> = {};
    for (const [name, value] of Object.entries(v)) {
      if (!name.startsWith("hands-") || name === "hands-voters") continue;
      const parsed = count.safeParse(value);
      if (!parsed.success) {
        ctx.addIssue({ code: "custom", path: [name], message: parsed.error.issues[0]!.message });
        return z.NEVER;
      }
      counts[name.slice("hands-".length)] = parsed.data;
    }
    const hands: Hands = { voters: v["hands-voters"], counts };
    return { questionId: v.questionId, hands };
  });

export const CardsSchema = z.object({
  count: wholeNumber("how many cards to print", 1, 1000).refine((n) => n !== null, "Enter how many cards to print, like 100"),
});

export const MinutesSchema = z.object({
  note: z.string().trim().max(4000, "The note must be 4,000 characters or fewer").optional().default(""),
});

/** Joining at the door: the door code and, for some meetings, the attendee card. */
export const JoinMeetingSchema = z.object({
  doorCode: z
    .string({ required_error: "Enter the door code" })
    .trim()
    .min(1, "Enter the door code shown at the entrance")
    .max(20, "A door code has 6 characters"),
  cardCode: z.string().trim().max(30, "A card code has 10 characters").optional().default(""),
});

/** A vote from a phone: "choice" (radio or ticks) or "points-<idea>" boxes. */
export const MeetingVoteSchema = z
  .object({ questionId: z.string().trim().min(1).max(64) })
  .catchall(z.union([z.string().max(100), z.array(z.string().max(100)).max(200)]));

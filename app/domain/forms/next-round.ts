import { z } from "zod";
import { phasesProblems, PHASES, potsProblem, type Phases } from "../fund";
import { formatPence } from "../money";
import { isRealIsoDate, optionalIsoDateField, rowsField } from "./fields";
import { moneyField } from "./fund";

/** One decision group of the fund being copied, as the form needs it. */
export interface RoundGroup {
  id: string;
  name: string;
  maxGrantPence: number;
}

/** The name of one group's pot input, "groups[0].pot"; its message is keyed the same way. */
export const potField = (index: number) => `groups[${index}].pot`;
/** The hidden input that says which group a pot is for. */
export const potGroupField = (index: number) => `groups[${index}].id`;

const text = () =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim());

/** Issues from moneyField, as messages; null when the text is an amount (then `pence` is set). */
function money(value: string, what: string, What: string): { pence: number | null; message: string | null } {
  const parsed = moneyField(what, What).safeParse(value);
  return parsed.success ? { pence: parsed.data, message: null } : { pence: null, message: parsed.error.issues[0]?.message ?? `Enter ${what}` };
}

/**
 * The next-round form for a fund with these decision groups (in the order the
 * page lists them): the new name, dates and budget, and one pot per group.
 * Money stays text until every field has been read (0015), so a bad pot does
 * not hide a problem with the dates or the budget.
 *
 * Dates may be left empty, as for any unpublished fund (0006); the new round
 * starts unpublished and publishing it asks for all five.
 */
export function nextRoundSchema(groups: readonly RoundGroup[]) {
  return z
    .object({
      name: text()
        .refine((v) => v.length > 0, "Enter the new round's name")
        .refine((v) => v.length <= 120, "The new round's name must be 120 characters or fewer"),
      budget: text().superRefine((v, ctx) => {
        const message = money(v, "the total budget", "The total budget").message;
        if (message) ctx.addIssue({ code: "custom", message });
      }),
      opensOn: optionalIsoDateField(`Enter ${PHASES[0].noun} as a real date, like 2027-07-01`),
      closesOn: optionalIsoDateField(`Enter ${PHASES[1].noun} as a real date, like 2027-10-31`),
      reviewOn: optionalIsoDateField(`Enter ${PHASES[2].noun} as a real date, like 2028-01-09`),
      decisionsOn: optionalIsoDateField(`Enter ${PHASES[3].noun} as a real date, like 2028-05-01`),
      awardsOn: optionalIsoDateField(`Enter ${PHASES[4].noun} as a real date, like 2028-06-01`),
      groups: rowsField(z.object({ id: text(), pot: text() }).optional(), 200, "The fund has fewer decision groups than that"),
    })
    .superRefine((v, ctx) => {
      // Messages are added in the page's order (budget, dates, pots), so the error summary lists them top to bottom;
      // the fields' own messages (a blank name, a budget or date that cannot be read) came first.
      const budget = money(v.budget, "the total budget", "The total budget");
      // The rows must be this fund's groups, in the page's order: a group added or removed since the page was opened would misplace a pot.
      const sameGroups = v.groups.length === groups.length && groups.every((g, i) => v.groups[i]?.id === g.id);
      const potIssues: { index: number; message: string }[] = [];
      const pots = sameGroups
        ? groups.map((g, i) => {
            const pot = money(v.groups[i]!.pot, `the pot for ${g.name}`, `The pot for ${g.name}`);
            if (pot.message) {
              potIssues.push({ index: i, message: pot.message });
            } else if (pot.pence! < g.maxGrantPence) {
              potIssues.push({
                index: i,
                message: `The pot for ${g.name} must be at least ${formatPence(g.maxGrantPence)}, its maximum grant. To give it a smaller pot, lower its maximum grant after you start the round`,
              });
            }
            return pot.pence;
          })
        : [];
      const overBudget = sameGroups && budget.pence !== null && pots.every((p) => p !== null) ? potsProblem(budget.pence, pots as number[]) : null;

      if (!sameGroups) {
        ctx.addIssue({
          code: "custom",
          path: ["form"],
          message: "The fund's decision groups have changed since you opened this page. Check the pots and send the form again",
        });
      }
      if (overBudget) ctx.addIssue({ code: "custom", path: ["budget"], message: `${overBudget}. Raise the budget or lower the pots` });
      const real = (d: string | null) => (d && isRealIsoDate(d) ? d : null);
      const phases: Phases = {
        opensOn: real(v.opensOn),
        closesOn: real(v.closesOn),
        reviewOn: real(v.reviewOn),
        decisionsOn: real(v.decisionsOn),
        awardsOn: real(v.awardsOn),
      };
      for (const [field, message] of Object.entries(phasesProblems(phases, false))) {
        ctx.addIssue({ code: "custom", path: [field], message });
      }
      for (const issue of potIssues) ctx.addIssue({ code: "custom", path: ["groups", issue.index, "pot"], message: issue.message });
    })
    .transform((v) => ({
      name: v.name,
      budget: parseMoney(v.budget),
      opensOn: v.opensOn,
      closesOn: v.closesOn,
      reviewOn: v.reviewOn,
      decisionsOn: v.decisionsOn,
      awardsOn: v.awardsOn,
      pots: groups.map((g, i) => ({ decisionGroupId: g.id, pot: parseMoney(v.groups[i]!.pot) })),
    }));
}

/** Text the superRefine has already accepted as money, in pence. */
const parseMoney = (value: string) => moneyField("an amount", "An amount").parse(value);

export type NextRoundInput = z.output<ReturnType<typeof nextRoundSchema>>;

/** The "Invite back" button beside one of last round's panel members. */
export const InviteBackSchema = z.object({
  decisionGroupId: z.string({ required_error: "Choose a decision group" }).trim().min(1, "Choose a decision group"),
  userId: z.string({ required_error: "Choose who to invite back" }).trim().min(1, "Choose who to invite back"),
});

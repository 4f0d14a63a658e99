import { z } from "zod";
import { DECISION_OUTCOMES, type DecisionOutcome } from "../decisions";
import { parsePoundsToPence } from "../money";

const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, tooLong)
    .optional()
    .transform((v) => v ?? "");

/** One decision on one proposal, from the decisions page. The amount is checked against the pot by the service. */
export const DecisionSchema = z
  .object({
    proposalId: z.string({ required_error: "Choose a proposal" }).trim().min(1, "Choose a proposal").max(64),
    outcome: z.enum(DECISION_OUTCOMES as [DecisionOutcome, ...DecisionOutcome[]], {
      errorMap: () => ({ message: "Choose funded, not funded or reserve list" }),
    }),
    amount: optionalText(20, "Enter the amount in pounds, like 45000 or 45,000.50"),
    conditions: optionalText(4000, "Conditions must be 4,000 characters or fewer"),
    reason: z
      .string({ required_error: "Write the reason for this decision: the applicant will read it" })
      .trim()
      .min(1, "Write the reason for this decision: the applicant will read it")
      .max(4000, "The reason must be 4,000 characters or fewer"),
    feedback: optionalText(4000, "Feedback must be 4,000 characters or fewer"),
    meetingId: optionalText(64, "Choose a meeting from the list"),
    /** Needed only when the decision differs from the panel's vote or the adopted allocation (the service decides). */
    departureReason: optionalText(4000, "The reason the decision differs must be 4,000 characters or fewer"),
  })
  .superRefine((value, ctx) => {
    if (value.outcome !== "funded") return;
    if (!value.amount) {
      ctx.addIssue({ code: "custom", path: ["amount"], message: "Enter the amount to fund, in pounds" });
    } else if (parsePoundsToPence(value.amount) === null) {
      ctx.addIssue({ code: "custom", path: ["amount"], message: "Enter the amount in pounds, like 45000 or 45,000.50" });
    }
  })
  .transform((value) => ({
    proposalId: value.proposalId,
    outcome: value.outcome,
    amountPence: value.outcome === "funded" ? parsePoundsToPence(value.amount) : null,
    conditions: value.outcome === "funded" ? value.conditions : "",
    reason: value.reason,
    feedback: value.feedback,
    meetingId: value.meetingId || null,
    departureReason: value.departureReason,
  }));

export type DecisionInput = z.output<typeof DecisionSchema>;

export const RESULT_SORTS = ["score", "disagreement"] as const;
export type ResultSort = (typeof RESULT_SORTS)[number];

export interface ResultOptions {
  sort: ResultSort;
  isNormalised: boolean;
}

/** The results page's ?sort= and ?normalised=: allow-listed, anything else is the default. */
export function resultOptionsFrom(params: URLSearchParams): ResultOptions {
  const sort = params.get("sort");
  return {
    sort: (RESULT_SORTS as readonly string[]).includes(sort ?? "") ? (sort as ResultSort) : "score",
    isNormalised: params.get("normalised") === "1",
  };
}

const MAX_PINS = 500;

/** The allocation what-if: ?in=<proposal id>&out=<proposal id>, repeated. Ids are matched against the candidates later. */
export function pinsFrom(params: URLSearchParams | FormData): { pinnedIn: string[]; pinnedOut: string[] } {
  const ids = (name: string) =>
    [
      ...new Set(
        params
          .getAll(name)
          .filter((v): v is string => typeof v === "string")
          .map((v) => v.trim()),
      ),
    ]
      .filter((v) => v.length > 0 && v.length <= 64)
      .slice(0, MAX_PINS);
  return { pinnedIn: ids("in"), pinnedOut: ids("out") };
}

export const PublishResultsSchema = z.object({
  intent: z.enum(["publish", "unpublish"], { errorMap: () => ({ message: "Choose to publish or unpublish the results" }) }),
});

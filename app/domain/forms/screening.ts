import { z } from "zod";
import { DEFAULT_DIRECTION, DEFAULT_SCREENING_STATUS, DEFAULT_SORT, SCREENING_SORTS, type ScreeningFilters, type ScreeningSort } from "../proposal-lists";
import { PROPOSAL_STATUSES, type ProposalStatus } from "../proposal-status";
import { repeatedField } from "./fields";

const id = z
  .string()
  .trim()
  .max(64)
  .optional()
  .transform((v) => v || undefined);

/**
 * The screening queue's filters (a GET form; the export link carries the same
 * query). Anything unexpected falls back to the default rather than failing:
 * these come from a URL, and an unknown sort must never reach SQL.
 * A missing ?status= means "supported" (awaiting screening); an empty one,
 * chosen as "Any status", means every status.
 */
export function screeningFiltersFrom(params: URLSearchParams): ScreeningFilters {
  const parsed = z
    .object({ fund: id, group: id, lead: id })
    .safeParse({ fund: params.get("fund") ?? undefined, group: params.get("group") ?? undefined, lead: params.get("lead") ?? undefined });
  const ids = parsed.success ? parsed.data : { fund: undefined, group: undefined, lead: undefined };
  const rawStatus = params.get("status");
  let status: ProposalStatus | undefined;
  if (rawStatus === null) status = DEFAULT_SCREENING_STATUS;
  else if ((PROPOSAL_STATUSES as readonly string[]).includes(rawStatus)) status = rawStatus as ProposalStatus;
  else status = rawStatus === "" || rawStatus === "any" ? undefined : DEFAULT_SCREENING_STATUS;
  const rawSort = params.get("sort") ?? "";
  const sort = (SCREENING_SORTS as readonly string[]).includes(rawSort) ? (rawSort as ScreeningSort) : DEFAULT_SORT;
  const rawDirection = params.get("dir");
  const direction = rawDirection === "asc" || rawDirection === "desc" ? rawDirection : DEFAULT_DIRECTION;
  return { fundId: ids.fund, decisionGroupId: ids.group, leadOrganisationId: ids.lead, status, sort, direction };
}

export const MAX_BULK_SELECTION = 200;

/** The bulk (and single) eligibility decision. The ids come from checkboxes: one name, sent once per box ticked. */
export const ScreeningDecisionSchema = z
  .object({
    proposalIds: repeatedField(
      z
        .array(z.string().trim().min(1, "Select at least one proposal").max(64, "Select proposals from the list"))
        .min(1, "Select at least one proposal")
        .max(MAX_BULK_SELECTION, `Select ${MAX_BULK_SELECTION} proposals or fewer at a time`),
    ),
    intent: z.enum(["eligible", "ineligible"], {
      errorMap: () => ({ message: "Choose whether the selected proposals are eligible or not eligible" }),
    }),
    reason: z.string().trim().max(2000, "The reason must be 2,000 characters or fewer").default(""),
  })
  .superRefine((value, ctx) => {
    if (value.intent === "ineligible" && !value.reason) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Write the reason the selected proposals are not eligible" });
    }
  });

export type ScreeningDecision = z.infer<typeof ScreeningDecisionSchema>;

/**
 * "Mark all matching proposals": the first step asks (step "review"), the
 * second does it (step "confirm") with the count the administrator saw.
 */
export const ScreenAllMatchingSchema = z
  .object({
    outcome: z.enum(["eligible", "ineligible"], {
      errorMap: () => ({ message: "Choose whether the matching proposals are eligible or not eligible" }),
    }),
    allReason: z.string().trim().max(2000, "The reason must be 2,000 characters or fewer").default(""),
    step: z.enum(["review", "confirm"]).default("review"),
    confirmedCount: z.coerce.number().int().min(0).default(0),
  })
  .superRefine((value, ctx) => {
    if (value.outcome === "ineligible" && !value.allReason) {
      ctx.addIssue({ code: "custom", path: ["allReason"], message: "Write the reason the matching proposals are not eligible" });
    }
  });

/** A lead organisation's decision: each form has its own required text field. */
export const LeadDecisionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("request_changes"),
      note: z
        .string({ required_error: "Write a note saying what the group should change" })
        .trim()
        .min(1, "Write a note saying what the group should change")
        .max(5000, "The note must be 5,000 characters or fewer"),
    }),
    z.object({
      intent: z.literal("support"),
      statement: z
        .string({ required_error: "Write a support statement" })
        .trim()
        .min(1, "Write a support statement")
        .max(5000, "The support statement must be 5,000 characters or fewer"),
    }),
    z.object({
      intent: z.literal("decline"),
      reason: z
        .string({ required_error: "Write the reason for declining" })
        .trim()
        .min(1, "Write the reason for declining")
        .max(5000, "The reason must be 5,000 characters or fewer"),
    }),
    z.object({
      intent: z.literal("hand_to_group"),
      handNote: z.string().trim().max(5000, "The note must be 5,000 characters or fewer").default(""),
    }),
  ],
  { errorMap: () => ({ message: "Choose what to do with this proposal" }) },
);

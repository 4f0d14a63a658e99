import { z } from "zod";
import type { Constituency, TieRule, VotingMethod } from "../../../db/schema";
import { CONSTITUENCIES } from "../roles";
import type { CompositionRules, ConstituencyLimits } from "../panel-composition";

export type { ConstituencyLimits };

/** As stored in fund.composition_rules (the domain's CompositionRules). */
export type CompositionRulesInput = CompositionRules;

export interface PanelRulesInput {
  scoreScaleMax: number;
  votingMethod: VotingMethod;
  approvalMax: number | null;
  tieRule: TieRule;
  quorumMinPresent: number;
  compositionRules: CompositionRulesInput;
}

export const LIMIT_KEYS = ["minShare", "maxShare", "minCount", "maxCount"] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];

/** The form field for one constituency's limit, e.g. "residentMinShare". */
export const limitField = (constituency: Constituency, key: LimitKey) => `${constituency}${key[0]!.toUpperCase()}${key.slice(1)}`;

export const SCORE_SCALE_MAX_LIMIT = 10;
export const PANEL_SIZE_LIMIT = 500;

const LIMIT_WORDS: Record<LimitKey, string> = {
  minShare: "smallest share",
  maxShare: "largest share",
  minCount: "fewest members",
  maxCount: "most members",
};

/** A whole number typed into a box; blank is allowed when `optional`. */
function wholeNumber(what: string, min: number, max: number, { optional = false, unit = "" } = {}) {
  return z
    .string()
    .trim()
    .optional()
    .transform((value, ctx): number | undefined => {
      if (!value) {
        if (optional) return undefined;
        ctx.addIssue({ code: "custom", message: `Enter ${what}` });
        return z.NEVER;
      }
      const cleaned = value.replace(/%$/, "").trim();
      if (!/^\d+$/.test(cleaned)) {
        ctx.addIssue({ code: "custom", message: `${capitalise(what)} must be a whole number, like ${min === 0 ? 40 : min + 1}${unit}` });
        return z.NEVER;
      }
      const n = Number(cleaned);
      if (n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `${capitalise(what)} must be from ${min}${unit} to ${max}${unit}` });
        return z.NEVER;
      }
      return n;
    });
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Constituencies in the plural, as they appear mid-sentence. */
export const CONSTITUENCY_PLURALS: Record<Constituency, string> = {
  resident: "residents",
  councillor: "councillors",
  vcse: "VCSE representatives",
};

function limitSchema(constituency: Constituency, key: LimitKey) {
  const who = CONSTITUENCY_PLURALS[constituency];
  const isShare = key === "minShare" || key === "maxShare";
  return isShare
    ? wholeNumber(`the ${LIMIT_WORDS[key]} for ${who}`, 0, 100, { optional: true, unit: "%" })
    : wholeNumber(`the ${LIMIT_WORDS[key]} for ${who}`, 0, PANEL_SIZE_LIMIT, { optional: true });
}

const limitShape = Object.fromEntries(CONSTITUENCIES.flatMap((c) => LIMIT_KEYS.map((k) => [limitField(c, k), limitSchema(c, k)]))) as Record<
  string,
  ReturnType<typeof limitSchema>
>;

/** The fund's panel rules form: scale, voting method, tie rule, quorum and composition. */
export const PanelRulesSchema = z
  .object({
    scoreScaleMax: wholeNumber("the top score", 1, SCORE_SCALE_MAX_LIMIT),
    votingMethod: z.enum(["per_proposal", "approval"], {
      errorMap: () => ({ message: "Choose how the panel votes" }),
    }),
    approvalMax: wholeNumber("how many proposals each member may approve", 1, 1000, { optional: true }),
    tieRule: z.enum(["chair", "higher_score"], { errorMap: () => ({ message: "Choose how a tied vote is settled" }) }),
    quorumMinPresent: wholeNumber("the fewest members who must be present", 1, PANEL_SIZE_LIMIT),
    ...limitShape,
  })
  .superRefine((value, ctx) => {
    if (value.votingMethod === "approval" && value.approvalMax === undefined) {
      ctx.addIssue({ code: "custom", path: ["approvalMax"], message: "Enter how many proposals each member may approve" });
    }
    const v = value as unknown as Record<string, number | undefined>;
    let minShares = 0;
    for (const c of CONSTITUENCIES) {
      const who = CONSTITUENCY_PLURALS[c];
      const [minShare, maxShare, minCount, maxCount] = LIMIT_KEYS.map((k) => v[limitField(c, k)]);
      if (minShare !== undefined && maxShare !== undefined && minShare > maxShare) {
        ctx.addIssue({
          code: "custom",
          path: [limitField(c, "maxShare")],
          message: `The largest share for ${who} must be the same as or more than their smallest share (${minShare}%)`,
        });
      }
      if (minCount !== undefined && maxCount !== undefined && minCount > maxCount) {
        ctx.addIssue({
          code: "custom",
          path: [limitField(c, "maxCount")],
          message: `The most members for ${who} must be the same as or more than their fewest members (${minCount})`,
        });
      }
      minShares += minShare ?? 0;
    }
    if (minShares > 100) {
      ctx.addIssue({
        code: "custom",
        path: [limitField(CONSTITUENCIES[0]!, "minShare")],
        message: `The smallest shares add up to ${minShares}%, which no panel can meet. Make them add up to 100% or less`,
      });
    }
  })
  .transform((value): PanelRulesInput => {
    const v = value as unknown as Record<string, number | undefined>;
    const compositionRules: CompositionRulesInput = {};
    for (const c of CONSTITUENCIES) {
      const limits: ConstituencyLimits = {};
      for (const k of LIMIT_KEYS) {
        const n = v[limitField(c, k)];
        if (n !== undefined) limits[k] = n;
      }
      if (Object.keys(limits).length) compositionRules[c] = limits;
    }
    return {
      scoreScaleMax: value.scoreScaleMax!,
      votingMethod: value.votingMethod,
      approvalMax: value.votingMethod === "approval" ? value.approvalMax! : null,
      tieRule: value.tieRule,
      quorumMinPresent: value.quorumMinPresent!,
      compositionRules,
    };
  });

/** The form values for rules already saved, to fill the form. */
export function panelRulesValues(fund: {
  score_scale_max: number;
  voting_method: VotingMethod;
  approval_max: number | null;
  tie_rule: TieRule;
  quorum_min_present: number;
  compositionRules: CompositionRulesInput;
}): Record<string, string> {
  const values: Record<string, string> = {
    scoreScaleMax: String(fund.score_scale_max),
    votingMethod: fund.voting_method,
    approvalMax: fund.approval_max === null ? "" : String(fund.approval_max),
    tieRule: fund.tie_rule,
    quorumMinPresent: String(fund.quorum_min_present),
  };
  for (const c of CONSTITUENCIES) {
    for (const k of LIMIT_KEYS) {
      const n = fund.compositionRules[c]?.[k];
      values[limitField(c, k)] = n === undefined ? "" : String(n);
    }
  }
  return values;
}

/** Setting the group's chair. */
export const ChairSchema = z.object({
  chairId: z.string({ required_error: "Choose who chairs the panel" }).trim().min(1, "Choose who chairs the panel").max(64),
});

import type { DB } from "../../db/client";
import type { Constituency } from "../../db/schema";
import { CONSTITUENCIES } from "~/domain/roles";
import { LIMIT_KEYS, type CompositionRulesInput, type ConstituencyLimits } from "~/domain/forms/panel-rules";
import { currentPanel } from "./membership.server";

/** The fund columns that make up its panel rules (scale, voting, tie rule, quorum, composition). */
export const PANEL_RULE_COLUMNS = [
  "fund.id",
  "fund.name",
  "fund.score_scale_max",
  "fund.voting_method",
  "fund.approval_max",
  "fund.tie_rule",
  "fund.quorum_min_present",
  "fund.composition_rules",
] as const;

/**
 * fund.composition_rules as stored JSON, keeping only the limits this app
 * writes (whole numbers, 0 or more), so a hand-edited row cannot break a page.
 */
export function parseCompositionRules(text: string | null | undefined): CompositionRulesInput {
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? "{}");
  } catch {
    return {};
  }
  if (!raw || typeof raw !== "object") return {};
  const rules: CompositionRulesInput = {};
  for (const c of CONSTITUENCIES) {
    const entry = (raw as Record<string, unknown>)[c];
    if (!entry || typeof entry !== "object") continue;
    const limits: ConstituencyLimits = {};
    for (const k of LIMIT_KEYS) {
      const n = (entry as Record<string, unknown>)[k];
      if (typeof n === "number" && Number.isInteger(n) && n >= 0) limits[k] = n;
    }
    if (Object.keys(limits).length) rules[c] = limits;
  }
  return rules;
}

/** A fund's panel rules with its composition rules parsed, or undefined. */
export async function getFundPanelRules(db: DB, fundId: string) {
  const row = await db.selectFrom("fund").select(PANEL_RULE_COLUMNS).where("fund.id", "=", fundId).executeTakeFirst();
  return row ? { ...row, compositionRules: parseCompositionRules(row.composition_rules) } : undefined;
}

/** A decision group with its fund's panel rules, or undefined. */
export async function getGroupWithRules(db: DB, groupId: string) {
  const row = await db
    .selectFrom("decision_group")
    .innerJoin("fund", "fund.id", "decision_group.fund_id")
    .select([
      "decision_group.id",
      "decision_group.name",
      "decision_group.area",
      "fund.id as fundId",
      "fund.name as fundName",
      "fund.score_scale_max",
      "fund.voting_method",
      "fund.approval_max",
      "fund.tie_rule",
      "fund.quorum_min_present",
      "fund.composition_rules",
    ])
    .where("decision_group.id", "=", groupId)
    .executeTakeFirst();
  return row ? { ...row, compositionRules: parseCompositionRules(row.composition_rules) } : undefined;
}

export interface PanelMember {
  id: string;
  name: string;
  constituency: Constituency | null;
  isChair: boolean;
  isNamePublic: boolean;
  isDisabled: boolean;
}

/** A decision group's panel members, chair first then by name. */
export async function listPanelMembers(db: DB, groupId: string, { isEnabledOnly = false } = {}): Promise<PanelMember[]> {
  let query = currentPanel(db, groupId).select([
    "user.id",
    "user.name",
    "membership.constituency",
    "membership.is_chair",
    "membership.is_name_public",
    "user.disabled_at",
  ]);
  if (isEnabledOnly) query = query.where("user.disabled_at", "is", null);
  const rows = await query.orderBy("membership.is_chair", "desc").orderBy("user.name").orderBy("user.id").execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    constituency: r.constituency,
    isChair: r.is_chair === 1,
    isNamePublic: r.is_name_public === 1,
    isDisabled: r.disabled_at !== null,
  }));
}

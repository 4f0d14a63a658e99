import type { DB } from "../../db/client";
import type { ProposalStatus } from "../../db/schema";
import type { ResultOptions } from "~/domain/forms/decision";
import { recusalScope, type Actor, type ScoresResource } from "~/domain/permissions";
import { STATUS_LABELS } from "~/domain/proposal-status";
import {
  NORMALISED_SCORE_EXPLANATION,
  NORMALISED_SCORE_LABEL,
  sortByDisagreement,
  sortByNormalisedScore,
  sortByScore,
  STANDARD_DEVIATION_DEFINITION,
  statisticsFromTotals,
} from "~/domain/scoring";
import { recusedProposalIds } from "./recusal.server";
import { chairIdsOf } from "./membership.server";
import { summariseGroupScores } from "./group-score-summary.server";

/** Proposals that reached the panel: the ones results and allocation are about. */
export const PANEL_STATUSES: readonly ProposalStatus[] = ["eligible", "under_review", "reserve", "funded", "not_funded"];

/** A decision group with the fund facts the results, allocation and decisions pages need, or undefined. */
export async function getGroupFacts(db: DB, groupId: string) {
  const [group, chairIds] = await Promise.all([
    db
      .selectFrom("decision_group")
      .innerJoin("fund", "fund.id", "decision_group.fund_id")
      .select([
        "decision_group.id",
        "decision_group.name",
        "decision_group.area",
        "decision_group.pot_pence",
        "decision_group.min_grant_pence",
        "decision_group.max_grant_pence",
        "decision_group.scoring_closed_at",
        "fund.id as fund_id",
        "fund.name as fund_name",
        "fund.score_scale_max",
      ])
      .where("decision_group.id", "=", groupId)
      .executeTakeFirst(),
    chairIdsOf(db, groupId),
  ]);
  return group ? { ...group, chairIds } : undefined;
}

export type GroupFacts = NonNullable<Awaited<ReturnType<typeof getGroupFacts>>>;

/** A whole group's figures, for can(…, "scores.read"): the results, allocation and decisions pages all ask this. */
export const groupScores = (group: Pick<GroupFacts, "id" | "scoring_closed_at">): ScoresResource => ({
  type: "scores",
  decisionGroupId: group.id,
  scoringClosed: group.scoring_closed_at !== null,
});

/** The proposals the viewer may not see results for: those they are recused from (the policy's recusalScope). Administrators see all. */
export async function hiddenFrom(db: DB, viewer: Actor, groupId: string): Promise<Set<string>> {
  const scope = recusalScope(viewer);
  return scope.kind === "unless_recused" ? recusedProposalIds(db, scope.userId, groupId) : new Set<string>();
}

export interface ResultRow {
  id: string;
  reference: string;
  title: string;
  statusLabel: string;
  scorerCount: number;
  mean: number | null;
  median: number | null;
  minimum: number | null;
  maximum: number | null;
  standardDeviation: number | null;
  meanPercent: number | null;
  normalisedScore: number | null;
  /** Each scorer's weighted total, lowest first, with nothing saying whose it is. */
  totals: number[];
}

/** How many proposals a page of results shows. */
export const RESULTS_PAGE_SIZE = 50;

/**
 * The group's results for a viewer who has already been allowed to see them:
 * statistics per proposal, sorted as asked, without the rows a recused viewer
 * may not see. Normalisation uses every submitted sheet, so every viewer sees
 * the same numbers for the rows they can see. The scores are added up per
 * score sheet in the database (group-score-summary.server.ts); with a page,
 * only that page's rows are returned, so the page weighs the same however
 * large the group is. A page past the last gives the last.
 */
export async function getGroupResults(db: DB, viewer: Actor, group: GroupFacts, options: ResultOptions, askedPage?: number) {
  const [scores, proposals, hidden] = await Promise.all([
    summariseGroupScores(db, group, PANEL_STATUSES, { withNormalised: options.isNormalised }),
    db
      .selectFrom("proposal")
      .select(["id", "reference", "title", "status"])
      .where("decision_group_id", "=", group.id)
      .where("status", "in", PANEL_STATUSES)
      .execute(),
    hiddenFrom(db, viewer, group.id),
  ]);
  const shown = scores.hasCriteria ? proposals : [];
  const statsOf = (p: { id: string; reference: string }) => {
    const stats = scores.stats.get(p.id);
    return stats ? { ...stats, reference: p.reference } : statisticsFromTotals(p.reference, [], scores.maximumTotal);
  };
  const statsByRef = new Map(shown.map((p) => [p.reference, statsOf(p)]));
  const all = [...statsByRef.values()];
  const { items, rule } =
    options.sort === "disagreement"
      ? sortByDisagreement(all, "standardDeviation")
      : options.isNormalised
        ? sortByNormalisedScore(
            shown.map((p) => ({
              reference: p.reference,
              scorerCount: statsByRef.get(p.reference)!.scorerCount,
              normalisedScore: scores.normalised.get(p.id) ?? null,
            })),
          )
        : sortByScore(all, "mean");
  const byRef = new Map(shown.map((p) => [p.reference, p]));
  const visible = items.map((i) => byRef.get(i.reference)!).filter((p) => !hidden.has(p.id));
  const pageSize = askedPage === undefined ? Math.max(1, visible.length) : RESULTS_PAGE_SIZE;
  const pageCount = Math.max(1, Math.ceil(visible.length / pageSize));
  const page = Math.min(Math.max(1, askedPage ?? 1), pageCount);
  const rows: ResultRow[] = visible.slice((page - 1) * pageSize, page * pageSize).map((p) => {
    const stats = statsByRef.get(p.reference)!;
    return {
      id: p.id,
      reference: p.reference,
      title: p.title,
      statusLabel: STATUS_LABELS[p.status],
      scorerCount: stats.scorerCount,
      mean: stats.mean,
      median: stats.median,
      minimum: stats.minimum,
      maximum: stats.maximum,
      standardDeviation: stats.standardDeviation,
      meanPercent: stats.meanPercent,
      normalisedScore: options.isNormalised ? (scores.normalised.get(p.id) ?? null) : null,
      totals: stats.totals.map((t) => t.total).sort((a, b) => a - b),
    };
  });
  return {
    rows,
    rule,
    paging: { page, pageCount, pageSize, total: visible.length, askedPage: askedPage ?? 1 },
    hiddenCount: shown.filter((p) => hidden.has(p.id)).length,
    leftOutSheets: scores.leftOutSheets,
    hasCriteria: scores.hasCriteria,
    maximumTotal: scores.maximumTotal,
    criteria: scores.criteria.map((c) => ({ name: c.name, weight: c.weight })),
    normalisedLabel: NORMALISED_SCORE_LABEL,
    normalisedExplanation: NORMALISED_SCORE_EXPLANATION,
    standardDeviationDefinition: STANDARD_DEVIATION_DEFINITION,
  };
}

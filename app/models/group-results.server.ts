import type { DB } from "../../db/client";
import type { ProposalStatus } from "../../db/schema";
import { DomainError } from "~/domain/errors";
import type { ResultOptions } from "~/domain/forms/decision";
import { recusalScope, type Actor, type ScoresResource } from "~/domain/permissions";
import { STATUS_LABELS } from "~/domain/proposal-status";
import {
  normaliseScores,
  NORMALISED_SCORE_EXPLANATION,
  NORMALISED_SCORE_LABEL,
  sortByDisagreement,
  sortByNormalisedScore,
  sortByScore,
  STANDARD_DEVIATION_DEFINITION,
  statisticsFromTotals,
  tallyScores,
  type ProposalStatistics,
  type ScoreSet,
} from "~/domain/scoring";
import { recusedFrom, recusedProposalIds } from "./recusal.server";
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

interface ScoredProposal {
  id: string;
  reference: string;
  title: string;
  status: ProposalStatus;
  amountRequestedPence: number | null;
  partFundingFloorPence: number | null;
  stats: ProposalStatistics;
  normalisedScore: number | null;
}

/**
 * Every panel-stage proposal of a group with the statistics of its submitted
 * score sheets, in three queries whatever the number of proposals. Sheets that
 * do not mark every current criterion within the scale (for example after a
 * criterion was added) are left out and counted, rather than failing the page.
 * A member recused from a proposal is left out of its tally, even if they
 * scored it before declaring the interest (docs/glossary.md: a conflicted member
 * takes no part). Callers leave out rows the viewer may not see.
 */
export async function scoreGroup(db: DB, group: GroupFacts) {
  const [criteria, proposals, marks] = await Promise.all([
    db.selectFrom("criterion").select(["id", "name", "weight"]).where("fund_id", "=", group.fund_id).orderBy("position").execute(),
    db
      .selectFrom("proposal")
      .select(["id", "reference", "title", "status", "amount_requested_pence", "part_funding_floor_pence"])
      .where("decision_group_id", "=", group.id)
      .where("status", "in", PANEL_STATUSES)
      .orderBy("reference")
      .execute(),
    db
      .selectFrom("score_sheet")
      .innerJoin("proposal", "proposal.id", "score_sheet.proposal_id")
      .innerJoin("score", "score.score_sheet_id", "score_sheet.id")
      .select(["score_sheet.id as sheetId", "score_sheet.proposal_id", "score_sheet.user_id", "score.criterion_id", "score.mark"])
      .where("proposal.decision_group_id", "=", group.id)
      .where("proposal.status", "in", PANEL_STATUSES)
      .where("score_sheet.submitted_at", "is not", null)
      .where((eb) => eb.not(recusedFrom(eb, eb.ref("score_sheet.user_id"))))
      .execute(),
  ]);
  const scale = { min: 0, max: group.score_scale_max };
  const criterionIds = new Set(criteria.map((c) => c.id));
  const sheets = new Map<string, { proposalId: string; set: { scorerId: string; marks: Record<string, number> }; isValid: boolean }>();
  for (const row of marks) {
    let sheet = sheets.get(row.sheetId);
    if (!sheet) {
      sheet = { proposalId: row.proposal_id, set: { scorerId: row.user_id, marks: {} }, isValid: true };
      sheets.set(row.sheetId, sheet);
    }
    if (!criterionIds.has(row.criterion_id) || !Number.isInteger(row.mark) || row.mark < scale.min || row.mark > scale.max) sheet.isValid = false;
    sheet.set.marks[row.criterion_id] = row.mark;
  }
  const setsByProposal = new Map<string, ScoreSet[]>();
  let leftOutSheets = 0;
  for (const sheet of sheets.values()) {
    if (!sheet.isValid || Object.keys(sheet.set.marks).length !== criteria.length) {
      leftOutSheets += 1;
      continue;
    }
    const list = setsByProposal.get(sheet.proposalId) ?? [];
    list.push(sheet.set);
    setsByProposal.set(sheet.proposalId, list);
  }

  const byReference = new Map(proposals.map((p) => [p.reference, p]));
  if (criteria.length === 0) {
    return { criteria, proposals: [] as ScoredProposal[], maximumTotal: 0, leftOutSheets: sheets.size, hasCriteria: false, byReference };
  }
  const tally = tallyScores(
    criteria,
    proposals.map((p) => ({ reference: p.reference, scoreSets: setsByProposal.get(p.id) ?? [] })),
    scale,
  );
  const normalised = new Map(normaliseScores(tally).proposals.map((n) => [n.reference, n.normalisedScore]));
  const scored: ScoredProposal[] = tally.proposals.map((stats) => {
    const p = byReference.get(stats.reference)!;
    return {
      id: p.id,
      reference: p.reference,
      title: p.title,
      status: p.status,
      amountRequestedPence: p.amount_requested_pence,
      partFundingFloorPence: p.part_funding_floor_pence,
      stats,
      normalisedScore: normalised.get(p.reference) ?? null,
    };
  });
  return { criteria, proposals: scored, maximumTotal: tally.maximumTotal, leftOutSheets, hasCriteria: true, byReference };
}

export type GroupScores = Awaited<ReturnType<typeof scoreGroup>>;

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

/** Throws a DomainError when a loaded group has no scoring criteria yet (the allocation needs a score to rank by). */
export function assertHasCriteria(scores: GroupScores): void {
  if (!scores.hasCriteria) throw new DomainError("This fund has no scoring criteria yet, so there are no scores to rank proposals by.");
}

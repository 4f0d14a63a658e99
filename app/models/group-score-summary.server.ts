import type { ExpressionBuilder } from "kysely";
import type { DB } from "../../db/client";
import type { Database, ProposalStatus } from "../../db/schema";
import { normaliseScores, standardDeviationFromSums, statisticsFromTotals, type ProposalStatistics } from "~/domain/scoring";
import { readUntilChange } from "./read-cache.server";
import { recusedFrom } from "./recusal.server";

/**
 * The group's scores added up in the database, so a page pays for one row per
 * score sheet (or one per proposal) instead of one per mark. Every figure a
 * page shows about a group's scores comes from here, so the rules live only
 * here: only submitted sheets of proposals in the given statuses count; a
 * sheet that does not mark every current criterion, each a whole number
 * within the scale, is left out (isCountedSheet); a member recused from a
 * proposal is left out of its figures, even if they scored it before
 * declaring the interest.
 */
export interface ScoreSummaryGroup {
  id: string;
  fund_id: string;
  score_scale_max: number;
}

type SheetScope = ExpressionBuilder<Database, "score_sheet" | "proposal" | "score" | "criterion">;

/** 1 for a mark on one of the fund's criteria that is a whole number within the scale, else 0. */
const validMark = (eb: SheetScope, max: number) =>
  eb
    .case()
    .when(
      eb.and([
        eb("criterion.id", "is not", null),
        eb("score.mark", ">=", 0),
        eb("score.mark", "<=", max),
        eb(eb.cast<number>("score.mark", "integer"), "=", eb.ref("score.mark")),
      ]),
    )
    .then(1)
    .else(0)
    .end();

/**
 * THE rule for which score sheets count, in one place: a sheet counts when it
 * marks every current criterion (marks are unique per criterion) and nothing
 * else, each a whole number within the scale. An aggregate over one sheet's
 * marks, for a select or a having clause of sheetTotals.
 */
const isCountedSheet = (eb: SheetScope, criterionCount: number, max: number) =>
  eb.and([eb(eb.fn.countAll(), "=", criterionCount), eb(eb.fn.sum(validMark(eb, max)), "=", criterionCount)]);

/** One row per submitted score sheet of the group's proposals in the given statuses, leaving out recused members' sheets. */
function sheetTotals(db: DB, group: ScoreSummaryGroup, statuses: readonly ProposalStatus[]) {
  return db
    .selectFrom("score_sheet")
    .innerJoin("proposal", "proposal.id", "score_sheet.proposal_id")
    .innerJoin("score", "score.score_sheet_id", "score_sheet.id")
    .leftJoin("criterion", (join) => join.onRef("criterion.id", "=", "score.criterion_id").on("criterion.fund_id", "=", group.fund_id))
    .where("proposal.decision_group_id", "=", group.id)
    .where("proposal.status", "in", statuses)
    .where("score_sheet.submitted_at", "is not", null)
    .where((eb) => eb.not(recusedFrom(eb, eb.ref("score_sheet.user_id"))))
    .groupBy(["score_sheet.id", "score_sheet.proposal_id", "score_sheet.user_id"]);
}

function criteriaOf(db: DB, fundId: string) {
  return db.selectFrom("criterion").select(["id", "name", "weight"]).where("fund_id", "=", fundId).orderBy("position").execute();
}

const maximumTotalOf = (criteria: readonly { weight: number }[], max: number) => max * criteria.reduce((sum, c) => sum + c.weight, 0);

async function summarise(db: DB, group: ScoreSummaryGroup, statuses: readonly ProposalStatus[], withNormalised: boolean) {
  const max = group.score_scale_max;
  const criteria = await criteriaOf(db, group.fund_id);
  const sheets = await sheetTotals(db, group, statuses)
    .select((eb) => [
      "score_sheet.proposal_id as proposalId",
      "score_sheet.user_id as scorerId",
      eb
        .case()
        .when(isCountedSheet(eb, criteria.length, max))
        .then(1)
        .else(0)
        .end()
        .as("isCounted"),
      eb.fn.sum<number>(eb("score.mark", "*", eb.ref("criterion.weight"))).as("total"),
    ])
    .execute();
  if (criteria.length === 0) {
    return {
      criteria,
      stats: new Map<string, ProposalStatistics>(),
      normalised: new Map<string, number | null>(),
      maximumTotal: 0,
      leftOutSheets: sheets.length,
      hasCriteria: false,
    };
  }
  const maximumTotal = maximumTotalOf(criteria, max);
  const totalsByProposal = new Map<string, { scorerId: string; total: number }[]>();
  let leftOutSheets = 0;
  for (const sheet of sheets) {
    if (Number(sheet.isCounted) !== 1) {
      leftOutSheets += 1;
      continue;
    }
    const list = totalsByProposal.get(sheet.proposalId) ?? [];
    list.push({ scorerId: sheet.scorerId, total: Number(sheet.total) });
    totalsByProposal.set(sheet.proposalId, list);
  }
  // Keyed by proposal id; the statistics' reference field holds the id too.
  const stats = new Map<string, ProposalStatistics>();
  for (const [proposalId, totals] of totalsByProposal) stats.set(proposalId, statisticsFromTotals(proposalId, totals, maximumTotal));
  const normalised = new Map<string, number | null>();
  if (withNormalised) {
    for (const n of normaliseScores({ maximumTotal, proposals: [...stats.values()] }).proposals) normalised.set(n.reference, n.normalisedScore);
  }
  return { criteria, stats, normalised, maximumTotal, leftOutSheets, hasCriteria: true };
}

/**
 * Every scored proposal's statistics (the same figures tallyScores gives), from
 * one row per score sheet. Normalised scores only when asked: they need every
 * scorer's totals across the group. Shared between requests until the next
 * write (read-cache.server.ts): callers must not change what it returns.
 */
export function summariseGroupScores(db: DB, group: ScoreSummaryGroup, statuses: readonly ProposalStatus[], { withNormalised = false } = {}) {
  return readUntilChange(db, `summary:${withNormalised}:${groupKey(group, statuses)}`, () => summarise(db, group, statuses, withNormalised));
}

const groupKey = (group: ScoreSummaryGroup, statuses: readonly ProposalStatus[]) =>
  `${group.id}:${group.fund_id}:${group.score_scale_max}:${statuses.join(",")}`;

/** Per proposal: how many sheets counted, the sum of their weighted totals and of the totals' squares. One row per scored proposal. */
function countedSheetSums(db: DB, group: ScoreSummaryGroup, statuses: readonly ProposalStatus[], criterionCount: number) {
  return readUntilChange(db, `sheet-sums:${groupKey(group, statuses)}`, () => sumCountedSheets(db, group, statuses, criterionCount));
}

async function sumCountedSheets(db: DB, group: ScoreSummaryGroup, statuses: readonly ProposalStatus[], criterionCount: number) {
  const counted = sheetTotals(db, group, statuses)
    .select((eb) => ["score_sheet.proposal_id as proposalId", eb.fn.sum<number>(eb("score.mark", "*", eb.ref("criterion.weight"))).as("total")])
    .having((eb) => isCountedSheet(eb, criterionCount, group.score_scale_max));
  const rows = await db
    .selectFrom(counted.as("sheet"))
    .select((eb) => [
      "sheet.proposalId",
      eb.fn.countAll<number>().as("count"),
      eb.fn.sum<number>("sheet.total").as("sum"),
      eb.fn.sum<number>(eb("sheet.total", "*", eb.ref("sheet.total"))).as("sumOfSquares"),
    ])
    .groupBy("sheet.proposalId")
    .execute();
  return rows.map((r) => ({ proposalId: r.proposalId, count: Number(r.count), sum: Number(r.sum), sumOfSquares: Number(r.sumOfSquares) }));
}

export interface MeanScore {
  /** Mean weighted total of the proposal's counted score sheets. */
  mean: number;
  scorerCount: number;
}

/**
 * Each proposal's mean weighted score, equal to summariseGroupScores' mean,
 * from one row per scored proposal. Weights and marks are whole numbers, so
 * the sums are exact and the mean is the same division. Proposals with no
 * counted sheet are not in the map; with no criteria, hasCriteria is false and
 * the map is empty.
 */
export async function meanScores(
  db: DB,
  group: ScoreSummaryGroup,
  statuses: readonly ProposalStatus[],
): Promise<{ hasCriteria: boolean; maximumTotal: number; means: Map<string, MeanScore> }> {
  const criteria = await criteriaOf(db, group.fund_id);
  const maximumTotal = maximumTotalOf(criteria, group.score_scale_max);
  if (criteria.length === 0 || statuses.length === 0) return { hasCriteria: criteria.length > 0, maximumTotal, means: new Map() };
  const sums = await countedSheetSums(db, group, statuses, criteria.length);
  return { hasCriteria: true, maximumTotal, means: new Map(sums.map((r) => [r.proposalId, { mean: r.sum / r.count, scorerCount: r.count }])) };
}

export interface ProposalSpread {
  scorerCount: number;
  standardDeviation: number | null;
}

/**
 * How many counted and how far apart they were, per proposal: one row per
 * scored proposal, added up in the database from each sheet's weighted total.
 * Sheets scoreGroup would leave out are left out here too.
 */
export async function groupScoreSpreads(db: DB, group: ScoreSummaryGroup, statuses: readonly ProposalStatus[]): Promise<Map<string, ProposalSpread>> {
  const criteria = await criteriaOf(db, group.fund_id);
  if (criteria.length === 0) return new Map();
  const sums = await countedSheetSums(db, group, statuses, criteria.length);
  return new Map(sums.map((r) => [r.proposalId, { scorerCount: r.count, standardDeviation: standardDeviationFromSums(r.count, r.sum, r.sumOfSquares) }]));
}

import type { ExpressionBuilder } from "kysely";
import type { DB } from "../../db/client";
import type { Database, ProposalStatus } from "../../db/schema";
import { normaliseScores, standardDeviationFromSums, statisticsFromTotals, type ProposalStatistics } from "~/domain/scoring";
import { recusedFrom } from "./recusal.server";

/**
 * The group's scores added up in the database, so a page pays for one row per
 * score sheet (or one per proposal) instead of one per mark. The rules are
 * scoreGroup's (group-results.server.ts): only submitted sheets of proposals
 * in the given statuses count; a sheet that does not mark every current
 * criterion, each a whole number within the scale, is left out and counted;
 * a member recused from a proposal is left out of its figures, even if they
 * scored it before declaring the interest.
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

/** One row per submitted, countable score sheet: its marks, how many of them are valid, and its weighted total. */
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

/**
 * Every scored proposal's statistics (the same figures tallyScores gives), from
 * one row per score sheet. Normalised scores only when asked: they need every
 * scorer's totals across the group.
 */
export async function summariseGroupScores(db: DB, group: ScoreSummaryGroup, statuses: readonly ProposalStatus[], { withNormalised = false } = {}) {
  const max = group.score_scale_max;
  const [criteria, sheets] = await Promise.all([
    criteriaOf(db, group.fund_id),
    sheetTotals(db, group, statuses)
      .select((eb) => [
        "score_sheet.proposal_id as proposalId",
        "score_sheet.user_id as scorerId",
        eb.fn.countAll<number>().as("marks"),
        eb.fn.sum<number>(validMark(eb, max)).as("validMarks"),
        eb.fn.sum<number>(eb("score.mark", "*", eb.ref("criterion.weight"))).as("total"),
      ])
      .execute(),
  ]);
  const maximumTotal = max * criteria.reduce((sum, c) => sum + c.weight, 0);
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
  const totalsByProposal = new Map<string, { scorerId: string; total: number }[]>();
  let leftOutSheets = 0;
  for (const sheet of sheets) {
    if (Number(sheet.marks) !== criteria.length || Number(sheet.validMarks) !== criteria.length) {
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
  const n = criteria.length;
  const max = group.score_scale_max;
  const valid = sheetTotals(db, group, statuses)
    .select((eb) => ["score_sheet.proposal_id as proposalId", eb.fn.sum<number>(eb("score.mark", "*", eb.ref("criterion.weight"))).as("total")])
    .having((eb) => eb.and([eb(eb.fn.countAll(), "=", n), eb(eb.fn.sum(validMark(eb, max)), "=", n)]));
  const rows = await db
    .selectFrom(valid.as("sheet"))
    .select((eb) => [
      "sheet.proposalId",
      eb.fn.countAll<number>().as("count"),
      eb.fn.sum<number>("sheet.total").as("sum"),
      eb.fn.sum<number>(eb("sheet.total", "*", eb.ref("sheet.total"))).as("sumOfSquares"),
    ])
    .groupBy("sheet.proposalId")
    .execute();
  return new Map(
    rows.map((r) => {
      const count = Number(r.count);
      return [r.proposalId, { scorerCount: count, standardDeviation: standardDeviationFromSums(count, Number(r.sum), Number(r.sumOfSquares)) }];
    }),
  );
}

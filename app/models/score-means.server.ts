import type { DB } from "../../db/client";
import type { ProposalStatus } from "../../db/schema";
import type { GroupFacts } from "./group-results.server";
import { recusedFrom } from "./recusal.server";

export interface MeanScore {
  /** Mean weighted total of the proposal's counted score sheets. */
  mean: number;
  scorerCount: number;
}

/**
 * Each proposal's mean weighted score, for the group's proposals in the given
 * statuses, in one grouped query: the database adds up each sheet and each
 * proposal, so only one row per scored proposal comes back, not one per mark.
 * It counts the same sheets as scoreGroup (app/models/group-results.server.ts),
 * so the means are equal to its stats.mean: submitted sheets only, none from a
 * recused member, and only sheets with one whole mark within the scale for
 * every current criterion and nothing else. Weights and marks are whole
 * numbers, so the sums are exact and the mean is the same division.
 * Proposals with no counted sheet are not in the map. With no criteria,
 * hasCriteria is false and the map is empty, as scoreGroup lists nothing then.
 */
export async function meanScores(
  db: DB,
  group: Pick<GroupFacts, "id" | "fund_id" | "score_scale_max">,
  statuses: readonly ProposalStatus[],
): Promise<{ hasCriteria: boolean; maximumTotal: number; means: Map<string, MeanScore> }> {
  const criteria = await db.selectFrom("criterion").select("weight").where("fund_id", "=", group.fund_id).execute();
  const maximumTotal = group.score_scale_max * criteria.reduce((sum, c) => sum + c.weight, 0);
  if (criteria.length === 0 || statuses.length === 0) return { hasCriteria: criteria.length > 0, maximumTotal, means: new Map() };
  const sheets = db
    .selectFrom("score_sheet")
    .innerJoin("proposal", "proposal.id", "score_sheet.proposal_id")
    .innerJoin("score", "score.score_sheet_id", "score_sheet.id")
    .leftJoin("criterion", (join) => join.onRef("criterion.id", "=", "score.criterion_id").on("criterion.fund_id", "=", group.fund_id))
    .select((eb) => ["score_sheet.proposal_id", eb.fn.sum<number>(eb("score.mark", "*", eb.ref("criterion.weight"))).as("total")])
    .where("proposal.decision_group_id", "=", group.id)
    .where("proposal.status", "in", statuses)
    .where("score_sheet.submitted_at", "is not", null)
    .where((eb) => eb.not(recusedFrom(eb, eb.ref("score_sheet.user_id"))))
    .groupBy("score_sheet.id")
    // A sheet counts when it marks every current criterion (marks are unique per criterion), nothing else, with whole marks in the scale.
    .having((eb) =>
      eb.and([
        eb(eb.fn.countAll(), "=", criteria.length),
        eb(eb.fn.count("criterion.id"), "=", criteria.length),
        eb(eb.fn.min("score.mark"), ">=", 0),
        eb(eb.fn.max("score.mark"), "<=", group.score_scale_max),
        eb(eb.fn.sum(eb.case().when(eb.cast("score.mark", "integer"), "=", eb.ref("score.mark")).then(0).else(1).end()), "=", 0),
      ]),
    );
  const rows = await db
    .selectFrom(sheets.as("sheet"))
    .select((eb) => ["sheet.proposal_id", eb.fn.sum<number>("sheet.total").as("sum"), eb.fn.countAll<number>().as("count")])
    .groupBy("sheet.proposal_id")
    .execute();
  return {
    hasCriteria: true,
    maximumTotal,
    means: new Map(rows.map((r) => [r.proposal_id, { mean: Number(r.sum) / Number(r.count), scorerCount: Number(r.count) }])),
  };
}

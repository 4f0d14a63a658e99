import { sql } from "kysely";
import type { DB } from "../../db/client";
import { buildDashboard, type DashboardFund } from "~/domain/award-dashboard";

/**
 * Every fund's and decision group's award figures in six grouped queries
 * (never one per award). Optionally one fund only. `today` is YYYY-MM-DD.
 */
export async function getAwardDashboard(db: DB, today: string, fundId?: string): Promise<DashboardFund[]> {
  const [groups, awardsByStatus, paidByGroup, overdueByGroup, conditionsByGroup, spendByFundMonth] = await Promise.all([
    db
      .selectFrom("decision_group")
      .innerJoin("fund", "fund.id", "decision_group.fund_id")
      .select([
        "decision_group.id as groupId",
        "decision_group.name as groupName",
        "fund.id as fundId",
        "fund.name as fundName",
        "decision_group.pot_pence as potPence",
      ])
      .$if(!!fundId, (q) => q.where("fund.id", "=", fundId!))
      .orderBy("fund.name")
      .orderBy("decision_group.name")
      .execute(),
    db
      .selectFrom("award")
      .select((eb) => [
        "award.decision_group_id as groupId",
        "award.status",
        eb.fn.countAll<number>().as("count"),
        eb.fn.sum<number>("award.amount_pence").as("amountPence"),
      ])
      .groupBy(["award.decision_group_id", "award.status"])
      .execute(),
    db
      .selectFrom("payment")
      .innerJoin("award", "award.id", "payment.award_id")
      .select((eb) => ["award.decision_group_id as groupId", eb.fn.sum<number>("payment.amount_pence").as("paidPence")])
      .where("payment.status", "=", "paid")
      .groupBy("award.decision_group_id")
      .execute(),
    db
      .selectFrom("monitoring_report")
      .innerJoin("award", "award.id", "monitoring_report.award_id")
      .select((eb) => ["award.decision_group_id as groupId", eb.fn.countAll<number>().as("count")])
      .where("monitoring_report.due_on", "<", today)
      .where("monitoring_report.status", "in", ["due", "more_requested"])
      .groupBy("award.decision_group_id")
      .execute(),
    db
      .selectFrom("award_condition")
      .innerJoin("award", "award.id", "award_condition.award_id")
      .select((eb) => ["award.decision_group_id as groupId", eb.fn.countAll<number>().as("count")])
      .where("award_condition.status", "!=", "met")
      .where("award.status", "in", ["offered", "accepted"])
      .groupBy("award.decision_group_id")
      .execute(),
    db
      .selectFrom("payment")
      .innerJoin("award", "award.id", "payment.award_id")
      .innerJoin("decision_group", "decision_group.id", "award.decision_group_id")
      .select((eb) => [
        "decision_group.fund_id as fundId",
        sql<string>`substr(payment.paid_on, 1, 7)`.as("month"),
        eb.fn.sum<number>("payment.amount_pence").as("paidPence"),
      ])
      .where("payment.status", "=", "paid")
      .groupBy(["decision_group.fund_id", sql`substr(payment.paid_on, 1, 7)`])
      .orderBy(sql`substr(payment.paid_on, 1, 7)`)
      .execute(),
  ]);
  const num = (v: unknown) => Number(v ?? 0);
  return buildDashboard({
    groups,
    awardsByStatus: awardsByStatus.map((r) => ({ ...r, count: num(r.count), amountPence: num(r.amountPence) })),
    paidByGroup: paidByGroup.map((r) => ({ ...r, paidPence: num(r.paidPence) })),
    overdueByGroup: overdueByGroup.map((r) => ({ ...r, count: num(r.count) })),
    conditionsByGroup: conditionsByGroup.map((r) => ({ ...r, count: num(r.count) })),
    spendByFundMonth: spendByFundMonth.map((r) => ({ ...r, paidPence: num(r.paidPence) })),
  });
}

/** Funds for the dashboard's filter. */
export function listFundsForDashboard(db: DB) {
  return db.selectFrom("fund").select(["id", "name"]).orderBy("name").execute();
}

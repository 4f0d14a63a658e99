import { sql } from "kysely";
import type { DB } from "../../db/client";
import { buildDashboard, type DashboardFund } from "~/domain/award-dashboard";
import { staleOfferCutoff, type AttentionInput } from "~/domain/needs-attention";
import { getAdminQueueCounts } from "./admin-queue.server";
import { listOverdueReports, overdueReports } from "./monitoring.server";

/**
 * Every fund's and decision group's award figures in eight grouped queries
 * (never one per award). Optionally one fund only. `today` is the UK date
 * (ukDate), as on the reports list, YYYY-MM-DD.
 */
export async function getAwardDashboard(db: DB, today: string, fundId?: string): Promise<DashboardFund[]> {
  const [groups, awardsByStatus, paidByGroup, clawbackByGroup, overdueByGroup, conditionsByGroup, spendByFundMonth, clawbackByFundMonth] = await Promise.all([
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
      .select((eb) => ["award.decision_group_id as groupId", "award.status as awardStatus", eb.fn.sum<number>("payment.amount_pence").as("paidPence")])
      .where("payment.status", "=", "paid")
      .groupBy(["award.decision_group_id", "award.status"])
      .execute(),
    db
      .selectFrom("award")
      .select((eb) => ["award.decision_group_id as groupId", eb.fn.sum<number>("award.clawback_pence").as("clawbackPence")])
      .where("award.status", "=", "withdrawn")
      .groupBy("award.decision_group_id")
      .execute(),
    overdueReports(db, today)
      .select((eb) => ["award.decision_group_id as groupId", eb.fn.countAll<number>().as("count")])
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
    db
      .selectFrom("award")
      .innerJoin("decision_group", "decision_group.id", "award.decision_group_id")
      .select((eb) => [
        "decision_group.fund_id as fundId",
        sql<string>`substr(award.withdrawn_at, 1, 7)`.as("month"),
        eb.fn.sum<number>("award.clawback_pence").as("clawbackPence"),
      ])
      .where("award.status", "=", "withdrawn")
      .where("award.clawback_pence", ">", 0)
      .groupBy(["decision_group.fund_id", sql`substr(award.withdrawn_at, 1, 7)`])
      .execute(),
  ]);
  const num = (v: unknown) => Number(v ?? 0);
  return buildDashboard({
    groups,
    awardsByStatus: awardsByStatus.map((r) => ({ ...r, count: num(r.count), amountPence: num(r.amountPence) })),
    paidByGroup: paidByGroup.map((r) => ({ ...r, paidPence: num(r.paidPence) })),
    clawbackByGroup: clawbackByGroup.map((r) => ({ ...r, clawbackPence: num(r.clawbackPence) })),
    overdueByGroup: overdueByGroup.map((r) => ({ ...r, count: num(r.count) })),
    conditionsByGroup: conditionsByGroup.map((r) => ({ ...r, count: num(r.count) })),
    spendByFundMonth: spendByFundMonth.map((r) => ({ ...r, paidPence: num(r.paidPence) })),
    clawbackByFundMonth: clawbackByFundMonth.map((r) => ({ ...r, clawbackPence: num(r.clawbackPence) })),
  });
}

/** Funds for the dashboard's filter. */
export function listFundsForDashboard(db: DB) {
  return db.selectFrom("fund").select(["id", "name"]).orderBy("name").execute();
}

/**
 * The rows behind the dashboard's "needs attention" list, with the shared
 * definitions: overdue reports from listOverdueReports (as /admin/reports),
 * evidence from the administrator's work queue. Four queries, one per kind.
 */
export async function getAttentionInput(db: DB, today: string): Promise<AttentionInput> {
  const [overdue, payments, offers, queue] = await Promise.all([
    listOverdueReports(db, today),
    db
      .selectFrom("payment")
      .innerJoin("award", "award.id", "payment.award_id")
      .innerJoin("organisation", "organisation.id", "award.organisation_id")
      .select(["award.id as awardId", "award.reference as awardReference", "organisation.name as organisationName", "payment.amount_pence as amountPence"])
      .where("payment.status", "=", "awaiting_approval")
      .orderBy("payment.recorded_at")
      .execute(),
    db
      .selectFrom("award")
      .innerJoin("organisation", "organisation.id", "award.organisation_id")
      .select(["award.id as awardId", "award.reference as awardReference", "organisation.name as organisationName", "award.offered_at as offeredAt"])
      .where("award.status", "=", "offered")
      .where("award.offered_at", "<", staleOfferCutoff(today))
      .orderBy("award.offered_at")
      .execute(),
    getAdminQueueCounts(db, today),
  ]);
  return {
    overdueReports: overdue.map((r) => ({
      awardId: r.award_id,
      awardReference: r.award_reference,
      organisationName: r.organisation_name,
      kind: r.kind,
      dueOn: r.due_on,
    })),
    paymentsToApprove: payments,
    staleOffers: offers,
    evidenceByAward: queue.evidenceByAward,
  };
}

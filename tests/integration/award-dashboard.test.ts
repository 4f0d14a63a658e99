import { describe, expect, it } from "vitest";
import type { DashboardFund } from "~/domain/award-dashboard";
import * as dashboardPage from "~/routes/admin.dashboard";
import * as reportsPage from "~/routes/admin.reports";
import { withdrawAward } from "~/services/award-closure.server";
import { approvePayment, recordPayment } from "~/services/award-payments.server";
import { scheduleReports } from "~/services/monitoring.server";
import { getDb } from "~/utils/db.server";
import { newId } from "~/utils/ids.server";
import { makeAward, makeDecisionGroup, makeFund, makeUser } from "../factories";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

const pay = (awardId: string, adminId: string, amountPence: number, paidOn: string) =>
  recordPayment(getDb(), { id: adminId, role: "admin", organisationId: null, decisionGroupId: null }, awardId, {
    instalmentId: null,
    amountPence,
    paidOn,
    reference: `REF-${paidOn}`,
  });

async function report(awardId: string, dueOn: string, status: "due" | "submitted" | "approved" | "more_requested") {
  await getDb().insertInto("monitoring_report").values({ id: newId(), award_id: awardId, kind: "progress", due_on: dueOn, status }).execute();
}

describe("the awards dashboard", () => {
  it("adds up to the payments recorded, for each decision group and the whole fund", async () => {
    const fund = await makeFund();
    const north = await makeDecisionGroup({ fundId: fund.id, name: "North" });
    const south = await makeDecisionGroup({ fundId: fund.id, name: "South" });
    const admin = await makeUser({ role: "admin" });
    const second = await makeUser({ role: "admin" });
    const actor = (id: string) => ({ id, role: "admin" as const, organisationId: null, decisionGroupId: null });

    const a1 = await makeAward({ decisionGroupId: north.id, status: "accepted", amountPence: 6_000_000 });
    const a2 = await makeAward({ decisionGroupId: north.id, status: "accepted", amountPence: 1_500_000 });
    const a3 = await makeAward({ decisionGroupId: south.id, status: "accepted", amountPence: 4_000_000, conditions: ["Lease"], conditionStatus: "met" });
    await makeAward({ decisionGroupId: south.id, status: "offered", amountPence: 2_000_000, conditions: ["Planning", "Quotes"] });
    await makeAward({ decisionGroupId: south.id, status: "declined", amountPence: 1_000_000 });

    await pay(a1.awardId, admin.id, 2_000_000, "2027-01-10");
    const big = await pay(a1.awardId, admin.id, 3_000_000, "2027-02-03"); // above the £25,000 threshold
    await approvePayment(getDb(), actor(second.id), big.id);
    await pay(a1.awardId, admin.id, 1_000_000, "2027-02-20");
    await pay(a2.awardId, admin.id, 750_050, "2027-02-11");
    await pay(a3.awardId, admin.id, 2_600_000, "2027-03-01"); // awaiting approval: not paid
    await pay(a3.awardId, admin.id, 1_234_567, "2027-03-15");
    await report(a1.awardId, "2020-01-01", "due");
    await report(a2.awardId, "2020-01-01", "more_requested");
    await report(a3.awardId, "2020-01-01", "approved");
    await report(a3.awardId, "2999-01-01", "due");

    const cookie = await sessionCookieFor(admin.id);
    const response = await runLoader(dashboardPage.loader, getRequest(`/admin/dashboard?fundId=${fund.id}`, { cookie }));
    expect(response.status).toBe(200);
    const { dashboard } = (await response.json()) as { dashboard: DashboardFund[] };
    expect(dashboard).toHaveLength(1);
    const shown = dashboard[0]!;

    // Independent sums, straight from the rows recorded.
    const payments = await getDb()
      .selectFrom("payment")
      .innerJoin("award", "award.id", "payment.award_id")
      .select(["payment.amount_pence", "payment.status", "payment.paid_on", "award.decision_group_id"])
      .where("award.decision_group_id", "in", [north.id, south.id])
      .execute();
    const paidIn = (groupId?: string) =>
      payments.filter((p) => p.status === "paid" && (!groupId || p.decision_group_id === groupId)).reduce((t, p) => t + p.amount_pence, 0);
    const awards = await getDb()
      .selectFrom("award")
      .select(["amount_pence", "status", "decision_group_id"])
      .where("decision_group_id", "in", [north.id, south.id])
      .execute();
    const awardedIn = (groupId: string, statuses: string[]) =>
      awards.filter((a) => a.decision_group_id === groupId && statuses.includes(a.status)).reduce((t, a) => t + a.amount_pence, 0);

    for (const group of [north, south]) {
      const figures = shown.groups.find((g) => g.groupId === group.id)!;
      expect(figures.paidPence).toBe(paidIn(group.id));
      expect(figures.awardedPence).toBe(awardedIn(group.id, ["accepted", "closed"]));
      expect(figures.offeredPence).toBe(awardedIn(group.id, ["offered"]));
      expect(figures.remainingPence).toBe(figures.awardedPence - paidIn(group.id));
      expect(figures.uncommittedPence).toBe(group.pot_pence - figures.awardedPence - figures.offeredPence);
    }
    expect(shown.paidPence).toBe(paidIn());
    expect(shown.paidPence).toBe(2_000_000 + 3_000_000 + 1_000_000 + 750_050 + 1_234_567);
    expect(shown.groups.reduce((t, g) => t + g.paidPence, 0)).toBe(shown.paidPence);
    expect(shown.spendByMonth).toEqual([
      { month: "2027-01", paidPence: 2_000_000 },
      { month: "2027-02", paidPence: 3_000_000 + 1_000_000 + 750_050 },
      { month: "2027-03", paidPence: 1_234_567 },
    ]);
    expect(shown.spendByMonth.reduce((t, m) => t + m.paidPence, 0)).toBe(paidIn());
    expect(shown.byStatus).toEqual({ offered: 1, accepted: 3, declined: 1, closed: 0, withdrawn: 0 });
    expect(shown.overdueReports).toBe(2);
    expect(shown.outstandingConditions).toBe(2);
  });

  it("is net of withdrawals and clawbacks, and counts the overdue reports the reports page lists", async () => {
    const fund = await makeFund();
    const east = await makeDecisionGroup({ fundId: fund.id, name: "East" });
    const west = await makeDecisionGroup({ fundId: fund.id, name: "West" });
    const admin = await makeUser({ role: "admin" });
    const actor = { id: admin.id, role: "admin" as const, organisationId: null, decisionGroupId: null };

    // The case: £17,500 paid, then withdrawn with a £17,500 clawback, with a report overdue before the withdrawal.
    const gone = await makeAward({ decisionGroupId: east.id, status: "accepted", amountPence: 5_000_000 });
    await pay(gone.awardId, admin.id, 1_750_000, "2027-01-05");
    await scheduleReports(getDb(), actor, gone.awardId, [{ kind: "progress", dueOn: "2020-01-01" }]);
    // West: a live award with an overdue report, and a withdrawn one whose group keeps £6,000 of £10,000 paid.
    const live = await makeAward({ decisionGroupId: west.id, status: "accepted", amountPence: 3_000_000 });
    await pay(live.awardId, admin.id, 500_000, "2027-01-20");
    await scheduleReports(getDb(), actor, live.awardId, [{ kind: "progress", dueOn: "2020-02-01" }]);
    const part = await makeAward({ decisionGroupId: west.id, status: "accepted", amountPence: 2_000_000 });
    await pay(part.awardId, admin.id, 1_000_000, "2027-01-25");
    await scheduleReports(getDb(), actor, part.awardId, [{ kind: "progress", dueOn: "2020-03-01" }]);
    await makeAward({ decisionGroupId: west.id, status: "offered", amountPence: 700_000 });

    const cookie = await sessionCookieFor(admin.id);
    const load = async () => {
      const response = await runLoader(dashboardPage.loader, getRequest(`/admin/dashboard?fundId=${fund.id}`, { cookie }));
      return ((await response.json()) as { dashboard: DashboardFund[] }).dashboard[0]!;
    };
    const listed = async () => {
      const response = await runLoader(reportsPage.loader, getRequest("/admin/reports", { cookie }));
      const mine = new Set([gone.awardId, live.awardId, part.awardId]);
      return ((await response.json()) as { reports: { awardId: string }[] }).reports.filter((r) => mine.has(r.awardId));
    };
    // Before any withdrawal, both pages agree on three overdue reports.
    expect((await load()).overdueReports).toBe(3);
    expect(await listed()).toHaveLength(3);

    await withdrawAward(getDb(), actor, gone.awardId, { reason: "The hall was sold.", clawbackPence: 1_750_000 });
    await withdrawAward(getDb(), actor, part.awardId, { reason: "The project stopped half way.", clawbackPence: 400_000 });
    const shown = await load();

    // Independent sums, straight from the rows.
    const sums = async (groupId: string) => {
      const db = getDb();
      const paidOn = async (statuses: ("accepted" | "closed" | "withdrawn")[]) =>
        Number(
          (
            await db
              .selectFrom("payment")
              .innerJoin("award", "award.id", "payment.award_id")
              .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("payment.amount_pence"), eb.lit(0)).as("total"))
              .where("award.decision_group_id", "=", groupId)
              .where("payment.status", "=", "paid")
              .where("award.status", "in", statuses)
              .executeTakeFirstOrThrow()
          ).total,
        );
      const awardSum = async (column: "amount_pence" | "clawback_pence", statuses: ("offered" | "accepted" | "closed" | "withdrawn")[]) =>
        Number(
          (
            await db
              .selectFrom("award")
              .select((eb) => eb.fn.coalesce(eb.fn.sum<number>(column), eb.lit(0)).as("total"))
              .where("decision_group_id", "=", groupId)
              .where("status", "in", statuses)
              .executeTakeFirstOrThrow()
          ).total,
        );
      const pot = (await db.selectFrom("decision_group").select("pot_pence").where("id", "=", groupId).executeTakeFirstOrThrow()).pot_pence;
      const awarded = await awardSum("amount_pence", ["accepted", "closed"]);
      const offered = await awardSum("amount_pence", ["offered"]);
      const clawedBack = await awardSum("clawback_pence", ["withdrawn"]);
      const paidOnAwarded = await paidOn(["accepted", "closed"]);
      const paidOnWithdrawn = await paidOn(["withdrawn"]);
      return {
        awardedPence: awarded,
        offeredPence: offered,
        paidPence: paidOnAwarded + paidOnWithdrawn - clawedBack,
        clawedBackPence: clawedBack,
        remainingPence: awarded - paidOnAwarded,
        uncommittedPence: pot - awarded - offered - (paidOnWithdrawn - clawedBack),
      };
    };
    for (const group of [east, west]) {
      const figures = shown.groups.find((g) => g.groupId === group.id)!;
      expect(figures).toMatchObject(await sums(group.id));
    }
    const eastFigures = shown.groups.find((g) => g.groupId === east.id)!;
    expect(eastFigures).toMatchObject({ awardedPence: 0, paidPence: 0, clawedBackPence: 1_750_000, remainingPence: 0, overdueReports: 0 });
    expect(eastFigures.uncommittedPence).toBe(east.pot_pence);
    const westFigures = shown.groups.find((g) => g.groupId === west.id)!;
    expect(westFigures).toMatchObject({ paidPence: 500_000 + 600_000, remainingPence: 2_500_000, overdueReports: 1 });
    expect(shown.paidPence).toBe(eastFigures.paidPence + westFigures.paidPence);
    expect(shown.spendByMonth.reduce((t, m) => t + m.paidPence, 0)).toBe(shown.paidPence);

    // One definition of overdue: the dashboard counts what the reports page lists.
    const stillListed = await listed();
    expect(stillListed.map((r) => r.awardId)).toEqual([live.awardId]);
    expect(shown.overdueReports).toBe(stillListed.length);
  });

  it("is for administrators only", async () => {
    for (const role of ["applicant", "lead_org", "panel_member", "adviser"] as const) {
      const user = await makeUser({ role });
      const response = await runLoader(dashboardPage.loader, getRequest("/admin/dashboard", { cookie: await sessionCookieFor(user.id) }));
      expect(response.status).toBe(403);
    }
  });
});

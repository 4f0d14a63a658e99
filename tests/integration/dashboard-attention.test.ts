import { describe, expect, it } from "vitest";
import type { DashboardFund } from "~/domain/award-dashboard";
import type { AttentionItem, FundBar } from "~/domain/needs-attention";
import * as dashboardPage from "~/routes/admin.dashboard";
import * as reportsPage from "~/routes/admin.reports";
import { approvePayment, recordPayment } from "~/services/award-payments.server";
import { getDb } from "~/utils/db.server";
import { newId } from "~/utils/ids.server";
import { makeAward, makeDecisionGroup, makeFund, makeUser } from "../factories";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

const actor = (id: string) => ({ id, role: "admin" as const, organisationId: null, decisionGroupId: null });
const DAY = 86_400_000;

describe("the awards dashboard's bars and needs-attention list", () => {
  it("draws pot, awarded and paid bars that match the fund's totals, and lists what needs attention with links to each award", async () => {
    const fund = await makeFund({ name: "Bars fund" });
    const north = await makeDecisionGroup({ fundId: fund.id, name: "Bars North" });
    const south = await makeDecisionGroup({ fundId: fund.id, name: "Bars South" });
    const admin = await makeUser({ role: "admin" });
    const second = await makeUser({ role: "admin" });

    const paidAward = await makeAward({ decisionGroupId: north.id, status: "accepted", amountPence: 9_000_000 });
    const evidenceAward = await makeAward({
      decisionGroupId: south.id,
      status: "accepted",
      amountPence: 3_000_000,
      conditions: ["Lease", "Quotes"],
      conditionStatus: "evidence_submitted",
    });
    const staleOffer = await makeAward({ decisionGroupId: south.id, status: "offered", amountPence: 1_000_000 });
    const freshOffer = await makeAward({ decisionGroupId: north.id, status: "offered", amountPence: 500_000 });
    // Offered 20 days ago and still not accepted; the fresh one was offered today.
    await getDb()
      .updateTable("award")
      .set({ offered_at: new Date(Date.now() - 20 * DAY).toISOString() })
      .where("id", "=", staleOffer.awardId)
      .execute();

    await recordPayment(getDb(), actor(admin.id), paidAward.awardId, { instalmentId: null, amountPence: 1_000_000, paidOn: "2027-01-10", reference: "P-1" });
    const big = await recordPayment(getDb(), actor(admin.id), paidAward.awardId, {
      instalmentId: null,
      amountPence: 3_000_000,
      paidOn: "2027-02-03",
      reference: "P-2",
    });
    await approvePayment(getDb(), actor(second.id), big.id);
    // Above the threshold and not yet approved: waiting for a second administrator.
    await recordPayment(getDb(), actor(admin.id), paidAward.awardId, { instalmentId: null, amountPence: 2_600_000, paidOn: "2027-03-01", reference: "P-3" });
    await getDb()
      .insertInto("monitoring_report")
      .values({ id: newId(), award_id: paidAward.awardId, kind: "progress", due_on: "2020-01-01", status: "due" })
      .execute();

    const cookie = await sessionCookieFor(admin.id);
    const response = await runLoader(dashboardPage.loader, getRequest(`/admin/dashboard?fundId=${fund.id}`, { cookie }));
    expect(response.status).toBe(200);
    const { dashboard, attention } = (await response.json()) as { dashboard: (DashboardFund & { bars: FundBar[] })[]; attention: AttentionItem[] };
    const shown = dashboard[0]!;

    // The bars are the fund's totals, which are the sums of its groups'.
    const sum = (k: "potPence" | "awardedPence" | "paidPence") => shown.groups.reduce((n, g) => n + g[k], 0);
    const bar = (key: FundBar["key"]) => shown.bars.find((b) => b.key === key)!;
    expect(bar("pot").pence).toBe(shown.potPence);
    expect(bar("pot").pence).toBe(sum("potPence"));
    expect(bar("awarded").pence).toBe(sum("awardedPence"));
    expect(bar("awarded").pence).toBe(12_000_000);
    expect(bar("paid").pence).toBe(sum("paidPence"));
    expect(bar("paid").pence).toBe(4_000_000);
    // Each bar says its figure in words, so it does not rely on length or colour.
    expect(bar("awarded").text).toBe(`£120,000 (${Math.round((12_000_000 / shown.potPence) * 100)}% of the pot)`);
    expect(bar("pot").percent).toBe(100);

    const item = (key: AttentionItem["key"]) => attention.find((i) => i.key === key);
    expect(item("overdueReports")).toMatchObject({ count: 1, href: "/admin/reports", entries: [{ href: `/admin/awards/${paidAward.awardId}/reports` }] });
    expect(item("paymentsToApprove")).toMatchObject({ count: 1, href: "/admin/payments", entries: [{ href: `/admin/awards/${paidAward.awardId}/payments` }] });
    expect(item("staleOffers")).toMatchObject({ count: 1, entries: [{ href: `/admin/awards/${staleOffer.awardId}` }] });
    expect(item("staleOffers")!.entries[0]!.label).toMatch(/offered 2[01] days ago$/);
    expect(JSON.stringify(attention)).not.toContain(freshOffer.awardId);
    expect(item("evidence")).toMatchObject({ count: 2, entries: [{ href: `/admin/awards/${evidenceAward.awardId}` }] });

    // "Overdue" is the reports list's own definition: the two pages agree.
    const reports = (await (await runLoader(reportsPage.loader, getRequest("/admin/reports", { cookie }))).json()) as { reports: unknown[] };
    expect(item("overdueReports")!.count).toBe(reports.reports.length);
  });

  it("the dashboard and its list are for administrators only", async () => {
    const lead = await makeUser({ role: "lead_org" });
    const refused = await runLoader(dashboardPage.loader, getRequest("/admin/dashboard", { cookie: await sessionCookieFor(lead.id) }));
    expect(refused.status).toBe(403);
  });
});

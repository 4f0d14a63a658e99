import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { ukDate } from "~/domain/phases";
import { getAdminQueueCounts } from "~/models/admin-queue.server";
import { loader as adminHomeLoader } from "~/routes/admin._index";
import { getDb } from "~/utils/db.server";
import { newId, nowIso } from "~/utils/ids.server";
import { makeAward, makeDecisionGroup, makeFund, makeOrganisation, makeProposal, makeUser } from "../factories";
import { countingDb } from "../support/database";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

type QueueItem = { key: string; label: string; count: number; href: string; places: { label: string; count: number; href: string }[] };

async function queue(): Promise<QueueItem[]> {
  const admin = await makeUser({ role: "admin" });
  const response = await runLoader(adminHomeLoader, getRequest("/admin", { cookie: await sessionCookieFor(admin.id) }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { queue: QueueItem[] }).queue;
}

/** Counted straight from the tables, without the model, so the two can disagree. */
async function count(query: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`${sql.raw(query)}`.execute(getDb());
  return Number(rows[0]!.n);
}

describe("the administrator's home is a queue of work", () => {
  it("starts with nothing waiting, each kind of work still linked to its page", async () => {
    const items = await queue();
    expect(items.map((i) => [i.key, i.count, i.href])).toEqual([
      ["screening", 0, "/admin/screening"],
      ["decisions", 0, "/admin/funds"],
      ["evidence", 0, "/admin/awards"],
      ["payments", 0, "/admin/payments"],
      ["overdueReports", 0, "/admin/reports"],
    ]);
  });

  it("counts proposals to screen, decisions pending, evidence to sign off, payments to approve and overdue reports, each as the tables say, with links to where the work is done", async () => {
    const fund = await makeFund({ name: "Queue Fund" });
    const east = await makeDecisionGroup({ fundId: fund.id, name: "East" });
    const south = await makeDecisionGroup({ fundId: fund.id, name: "South" });
    const org = await makeOrganisation();
    for (const status of ["supported", "supported", "eligible", "under_review", "draft", "declined"] as const) {
      await makeProposal({ decisionGroupId: east.id, organisationId: org.id, status });
    }
    await makeProposal({ decisionGroupId: south.id, organisationId: org.id, status: "eligible" });

    const withEvidence = await makeAward({
      decisionGroupId: east.id,
      status: "accepted",
      conditions: ["Planning permission", "Quote"],
      conditionStatus: "evidence_submitted",
    });
    await makeAward({ decisionGroupId: east.id, status: "accepted", conditions: ["Lease"], conditionStatus: "outstanding" });
    const recorder = await makeUser({ role: "admin" });
    for (const status of ["awaiting_approval", "awaiting_approval", "paid"] as const) {
      await getDb()
        .insertInto("payment")
        .values({
          id: newId(),
          award_id: withEvidence.awardId,
          instalment_id: null,
          amount_pence: 100_00,
          paid_on: "2027-01-01",
          reference: `BACS-${newId()}`,
          status,
          recorded_by: recorder.id,
          recorded_at: nowIso(),
          approved_by: null,
          approved_at: null,
        })
        .execute();
    }
    const closed = await makeAward({ decisionGroupId: south.id, status: "closed" });
    for (const [awardId, due_on, status] of [
      [withEvidence.awardId, "2020-01-01", "due"],
      [withEvidence.awardId, "2020-02-01", "more_requested"],
      [withEvidence.awardId, "2099-01-01", "due"],
      [withEvidence.awardId, "2020-03-01", "approved"],
      [closed.awardId, "2020-01-01", "due"],
    ] as const) {
      await getDb().insertInto("monitoring_report").values({ id: newId(), award_id: awardId, kind: "progress", due_on, status }).execute();
    }

    const items = await queue();
    const item = (key: string) => items.find((i) => i.key === key)!;
    const today = ukDate(new Date());

    expect(item("screening").count).toBe(await count("select count(*) as n from proposal where status = 'supported'"));
    expect(item("screening").count).toBe(2);
    expect(item("decisions").count).toBe(await count("select count(*) as n from proposal where status in ('eligible', 'under_review')"));
    expect(item("decisions").count).toBe(3);
    expect(item("decisions").places).toEqual([
      { label: "East (Queue Fund)", count: 2, href: `/admin/groups/${east.id}/decisions` },
      { label: "South (Queue Fund)", count: 1, href: `/admin/groups/${south.id}/decisions` },
    ]);
    expect(item("evidence").count).toBe(await count("select count(*) as n from award_condition where status = 'evidence_submitted'"));
    expect(item("evidence").count).toBe(2);
    expect(item("evidence").places).toEqual([expect.objectContaining({ count: 2, href: `/admin/awards/${withEvidence.awardId}` })]);
    expect(item("payments").count).toBe(await count("select count(*) as n from payment where status = 'awaiting_approval'"));
    expect(item("payments").count).toBe(2);
    expect(item("overdueReports").count).toBe(
      await count(
        `select count(*) as n from monitoring_report r join award a on a.id = r.award_id where r.due_on < '${today}' and r.status in ('due', 'more_requested') and a.status in ('offered', 'accepted')`,
      ),
    );
    expect(item("overdueReports").count).toBe(2);
  });

  it("counts with five queries however much work is waiting (no query per group or award)", async () => {
    const { db: counted, statements } = countingDb();
    try {
      await getAdminQueueCounts(counted, "2026-12-01");
      const before = statements.length;
      const fund = await makeFund();
      for (let i = 0; i < 4; i++) {
        const group = await makeDecisionGroup({ fundId: fund.id });
        await makeProposal({ decisionGroupId: group.id, organisationId: (await makeOrganisation()).id, status: "eligible" });
        await makeAward({ decisionGroupId: group.id, status: "accepted", conditions: ["Lease"], conditionStatus: "evidence_submitted" });
      }
      statements.length = 0;
      const counts = await getAdminQueueCounts(counted, "2026-12-01");
      expect(counts.decisionsByGroup.length).toBeGreaterThanOrEqual(4);
      expect(counts.evidenceByAward.length).toBeGreaterThanOrEqual(4);
      expect([before, statements.length]).toEqual([5, 5]);
    } finally {
      await counted.destroy();
    }
  });
});

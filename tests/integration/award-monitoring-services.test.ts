import { describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { DomainError } from "~/domain/errors";
import type { Actor } from "~/domain/permissions";
import { approveReport, requestMore, scheduleReports, sendOverdueReminders, submitReport } from "~/services/monitoring.server";
import { approveVariation, rejectVariation, requestVariation } from "~/services/variations.server";
import { closeAward, withdrawAward } from "~/services/award-closure.server";
import { auditEventsFor, makeAward, makeUser } from "../factories";
import { newId, nowIso } from "~/utils/ids.server";

const actor = (u: { id: string; role: Actor["role"]; organisation_id: string | null; decision_group_id: string | null }): Actor => ({
  id: u.id,
  role: u.role,
  organisationId: u.organisation_id,
  decisionGroupId: u.decision_group_id,
});

async function setup() {
  const award = await makeAward({ status: "accepted", amountPence: 5_000_000 });
  const admin = actor(await makeUser({ role: "admin" }));
  const member = actor(await makeUser({ role: "applicant", organisationId: award.organisationId }));
  return { award, admin, member };
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const submission = { progress: "The roof is on.", spend: [{ item: "Roof", budget_pence: 100, spent_pence: 50 }], outcomes: [], files: [] };

async function pay(awardId: string, amount: number, by: string) {
  await getDb()
    .insertInto("payment")
    .values({
      id: newId(),
      award_id: awardId,
      amount_pence: amount,
      paid_on: "2026-10-01",
      reference: "BACS1",
      status: "paid",
      recorded_by: by,
      recorded_at: nowIso(),
    })
    .execute();
}

describe("monitoring reports (services)", () => {
  it("schedules, submits with evidence, asks for more, and approves on resubmission", async () => {
    const { award, admin, member } = await setup();
    expect(
      await scheduleReports(getDb(), admin, award.awardId, [
        { kind: "progress", dueOn: "2027-01-31" },
        { kind: "final", dueOn: "2027-06-30" },
      ]),
    ).toBe(2);
    const report = await getDb()
      .selectFrom("monitoring_report")
      .select("id")
      .where("award_id", "=", award.awardId)
      .where("kind", "=", "progress")
      .executeTakeFirstOrThrow();
    await submitReport(getDb(), member, report.id, { ...submission, files: [{ name: "roof.png", bytes: PNG }] });
    await requestMore(getDb(), admin, report.id, "Add a photo of the gutters.");
    expect((await getDb().selectFrom("monitoring_report").select("status").where("id", "=", report.id).executeTakeFirstOrThrow()).status).toBe(
      "more_requested",
    );
    await submitReport(getDb(), member, report.id, submission);
    await approveReport(getDb(), admin, report.id);
    expect((await getDb().selectFrom("monitoring_report").select("status").where("id", "=", report.id).executeTakeFirstOrThrow()).status).toBe("approved");
    expect((await getDb().selectFrom("award_file").select("id").where("report_id", "=", report.id).execute()).length).toBe(1);
    expect((await auditEventsFor("monitoring_report.approved")).some((e) => e.entity_id === report.id)).toBe(true);
  });

  it("refuses a report from a member of another group", async () => {
    const { award, admin } = await setup();
    const other = await makeAward({ status: "accepted" });
    const outsider = actor(await makeUser({ role: "applicant", organisationId: other.organisationId }));
    await scheduleReports(getDb(), admin, award.awardId, [{ kind: "progress", dueOn: "2027-01-31" }]);
    const report = await getDb().selectFrom("monitoring_report").select("id").where("award_id", "=", award.awardId).executeTakeFirstOrThrow();
    await expect(submitReport(getDb(), outsider, report.id, submission)).rejects.toThrow(/member of the funded group/);
  });

  it("refuses a file that is not a photo or PDF", async () => {
    const { award, admin, member } = await setup();
    await scheduleReports(getDb(), admin, award.awardId, [{ kind: "progress", dueOn: "2027-01-31" }]);
    const report = await getDb().selectFrom("monitoring_report").select("id").where("award_id", "=", award.awardId).executeTakeFirstOrThrow();
    await expect(
      submitReport(getDb(), member, report.id, { ...submission, files: [{ name: "x.png", bytes: new TextEncoder().encode("MZ not a picture") }] }),
    ).rejects.toThrow(/photo/);
  });

  it("queues one reminder for each overdue report and records when", async () => {
    const { award, admin } = await setup();
    await scheduleReports(getDb(), admin, award.awardId, [
      { kind: "progress", dueOn: "2020-01-31" },
      { kind: "progress", dueOn: "2020-04-30" },
      { kind: "final", dueOn: "2099-01-01" },
    ]);
    const before = await getDb().selectFrom("email_outbox").select("id").execute();
    expect(await sendOverdueReminders(getDb(), admin)).toBeGreaterThanOrEqual(2);
    const mine = await getDb()
      .selectFrom("monitoring_report")
      .select(["due_on", "reminded_at"])
      .where("award_id", "=", award.awardId)
      .orderBy("due_on")
      .execute();
    expect(mine.map((r) => Boolean(r.reminded_at))).toEqual([true, true, false]);
    const after = await getDb().selectFrom("email_outbox").select(["id", "body_text"]).execute();
    expect(after.filter((e) => !before.some((b) => b.id === e.id) && e.body_text.includes(`/awards/${award.awardId}/reports/`)).length).toBe(2);
  });
});

describe("variations (services)", () => {
  it("applies an approved amount change and keeps both versions", async () => {
    const { award, admin, member } = await setup();
    const id = await requestVariation(getDb(), member, award.awardId, { kind: "amount", amountPence: 5_500_000, reason: "Costs rose." });
    await approveVariation(getDb(), admin, id, "Agreed.");
    const row = await getDb().selectFrom("award").select(["amount_pence", "version"]).where("id", "=", award.awardId).executeTakeFirstOrThrow();
    expect(row).toEqual({ amount_pence: 5_500_000, version: 2 });
    const versions = await getDb()
      .selectFrom("award_version")
      .select(["version", "snapshot"])
      .where("award_id", "=", award.awardId)
      .orderBy("version")
      .execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(JSON.parse(versions[1]!.snapshot).amount_pence).toBe(5_500_000);
  });

  it("moves the proposal's end date and appends scope text", async () => {
    const { award, admin, member } = await setup();
    const t = await requestVariation(getDb(), member, award.awardId, { kind: "timeline", endDate: "2099-12-31", reason: "Delays." });
    await approveVariation(getDb(), admin, t, "");
    const s = await requestVariation(getDb(), member, award.awardId, { kind: "scope", scope: "Add a ramp.", reason: "Access." });
    await approveVariation(getDb(), admin, s, "");
    const p = await getDb().selectFrom("proposal").select("end_date").where("id", "=", award.proposalId).executeTakeFirstOrThrow();
    expect(p.end_date).toBe("2099-12-31");
    const latest = await getDb()
      .selectFrom("award_version")
      .select("snapshot")
      .where("award_id", "=", award.awardId)
      .orderBy("version", "desc")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(latest.snapshot).scope).toMatch(/Variation: Add a ramp\.$/);
  });

  it("leaves the award unchanged when rejected", async () => {
    const { award, admin, member } = await setup();
    const id = await requestVariation(getDb(), member, award.awardId, { kind: "amount", amountPence: 9_000_000, reason: "More." });
    await rejectVariation(getDb(), admin, id, "The pot is spent.");
    const row = await getDb().selectFrom("award").select(["amount_pence", "version"]).where("id", "=", award.awardId).executeTakeFirstOrThrow();
    expect(row).toEqual({ amount_pence: 5_000_000, version: 1 });
  });

  it("refuses an amount below what has been paid", async () => {
    const { award, admin, member } = await setup();
    await pay(award.awardId, 2_000_000, admin.id);
    await expect(requestVariation(getDb(), member, award.awardId, { kind: "amount", amountPence: 1_000_000, reason: "Less." })).rejects.toThrow(DomainError);
  });
});

describe("closure and withdrawal (services)", () => {
  it("closes only once the final report is approved", async () => {
    const { award, admin, member } = await setup();
    await scheduleReports(getDb(), admin, award.awardId, [{ kind: "final", dueOn: "2027-06-30" }]);
    await expect(closeAward(getDb(), admin, award.awardId, { outcomeSummary: "Built." })).rejects.toThrow(/final report/);
    const report = await getDb().selectFrom("monitoring_report").select("id").where("award_id", "=", award.awardId).executeTakeFirstOrThrow();
    await submitReport(getDb(), member, report.id, submission);
    await approveReport(getDb(), admin, report.id);
    await closeAward(getDb(), admin, award.awardId, { outcomeSummary: "Built." });
    expect((await getDb().selectFrom("award").select("status").where("id", "=", award.awardId).executeTakeFirstOrThrow()).status).toBe("closed");
  });

  it("withdraws with a clawback no more than was paid", async () => {
    const { award, admin } = await setup();
    await pay(award.awardId, 1_000_000, admin.id);
    await expect(withdrawAward(getDb(), admin, award.awardId, { reason: "Abandoned.", clawbackPence: 1_000_001 })).rejects.toThrow(/more than has been paid/);
    await withdrawAward(getDb(), admin, award.awardId, { reason: "Abandoned.", clawbackPence: 1_000_000 });
    const row = await getDb().selectFrom("award").select(["status", "clawback_pence"]).where("id", "=", award.awardId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "withdrawn", clawback_pence: 1_000_000 });
  });
});

import type { Actor } from "~/domain/permissions";
import { approveReport, scheduleReports, submitReport } from "~/services/monitoring.server";
import { closeAward } from "~/services/award-closure.server";
import { approvePayment, recordPayment, saveSchedule } from "~/services/award-payments.server";
import { acceptAward, createAward, logSupport, signOffCondition, submitConditionEvidence } from "~/services/awards.server";
import { recordDecision } from "~/services/decisions.server";
import { closeScoring } from "~/services/scoring.server";
import type { DB } from "./client";

const POUNDS = 100;
const DAY = 86_400_000;
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

/** Which demo proposals become awards, and how far along each one is. */
const PLAN: { title: string; stage: "offered" | "conditions_outstanding" | "part_paid" | "closed"; amount: number; conditions: string[] }[] = [
  { title: "A Changing Places toilet", stage: "offered", amount: 52_000, conditions: ["Two quotes for the building work"] },
  {
    title: "A permanent workshop for carnival makers",
    stage: "conditions_outstanding",
    amount: 190_000,
    conditions: ["Proof of a 10-year lease", "Planning permission for the roller door"],
  },
  { title: "Hearing loops and visual alarms", stage: "part_paid", amount: 35_000, conditions: ["Quotes from two installers"] },
  { title: "Refit of the Easton community café", stage: "closed", amount: 120_000, conditions: ["Food hygiene plan"] },
];

export interface AwardsContext {
  admin: Actor;
  /** Another administrator, who approves payments above the four-eyes threshold. */
  secondAdmin: Actor;
}

async function memberOf(trx: DB, organisationId: string): Promise<Actor> {
  const member = await trx
    .selectFrom("membership")
    .select(["user_id", "organisation_id"])
    .where("organisation_id", "=", organisationId)
    .where("role", "=", "applicant")
    .orderBy("started_at")
    .executeTakeFirstOrThrow();
  return { id: member.user_id, role: "applicant", organisationId: member.organisation_id, decisionGroupId: null };
}

/**
 * Awards at each stage, so the award pages, dashboards and open data show
 * something: an offer waiting, conditions outstanding, part paid with a report
 * overdue, and one closed. Made through the real services.
 */
export async function seedDemoAwards(trx: DB, ctx: AwardsContext): Promise<void> {
  const { admin } = ctx;
  for (const item of PLAN) {
    const proposal = await trx
      .selectFrom("proposal")
      .select(["id", "organisation_id", "decision_group_id", "status", "budget_lines"])
      .where("title", "=", item.title)
      .executeTakeFirst();
    if (!proposal || (proposal.status !== "under_review" && proposal.status !== "eligible")) continue;
    // Decisions follow the scoring (decision record 0023): the group's scoring closes first.
    const group = await trx.selectFrom("decision_group").select("scoring_closed_at").where("id", "=", proposal.decision_group_id).executeTakeFirstOrThrow();
    if (!group.scoring_closed_at) await closeScoring(trx, admin, proposal.decision_group_id);
    await recordDecision(trx, admin, proposal.id, {
      outcome: "funded",
      amountPence: item.amount * POUNDS,
      conditions: item.conditions.join("\n"),
      reason: "Scored highly on community need and deliverability, and the panel voted to fund it.",
      feedback: "The panel valued the evidence from your own survey and asked you to keep local people involved in the build.",
      meetingId: null,
    });
    const awardId = await createAward(trx, admin, proposal.id);
    if (item.stage === "offered") continue;

    const member = await memberOf(trx, proposal.organisation_id);
    await acceptAward(trx, member, awardId, { signatoryName: "Jo Treasurer", signatoryRole: "Treasurer" });
    await logSupport(trx, admin, awardId, {
      kind: "meeting",
      status: "given",
      description: "Met the group to refine the build plan and the quotes.",
      minutes: 90,
      occurredOn: isoDay(-10),
    });
    const conditions = await trx.selectFrom("award_condition").select("id").where("award_id", "=", awardId).orderBy("position").execute();
    for (const [i, condition] of conditions.entries()) {
      // The workshop leaves its last condition outstanding, so payments wait for it.
      if (item.stage === "conditions_outstanding" && i === conditions.length - 1) break;
      await submitConditionEvidence(trx, member, condition.id, { note: "Documents attached to our email of last week; copies held by the treasurer." });
      await signOffCondition(trx, admin, condition.id);
    }
    const total = item.amount * POUNDS;
    const first = Math.round(total / 2);
    await saveSchedule(trx, admin, awardId, [
      { amountPence: first, dueOn: isoDay(-5), releasedBy: item.stage === "conditions_outstanding" ? "conditions_met" : "acceptance", reportId: null },
      { amountPence: total - first, dueOn: isoDay(60), releasedBy: "conditions_met", reportId: null },
    ]);
    if (item.stage === "conditions_outstanding") continue;

    const instalments = await trx.selectFrom("payment_instalment").select(["id", "amount_pence"]).where("award_id", "=", awardId).orderBy("position").execute();
    const pay = async (n: number, paidOn: string) => {
      const payment = await recordPayment(trx, admin, awardId, {
        instalmentId: instalments[n]!.id,
        amountPence: instalments[n]!.amount_pence,
        paidOn,
        reference: `BACS-${awardId.slice(0, 6)}-${n + 1}`,
      });
      if (payment.status === "awaiting_approval") await approvePayment(trx, ctx.secondAdmin, payment.id);
    };
    await pay(0, isoDay(-4));
    if (item.stage === "part_paid") {
      // A progress report already overdue, so the overdue flags and reminders have something to show.
      await scheduleReports(trx, admin, awardId, [
        { kind: "progress", dueOn: isoDay(-2) },
        { kind: "final", dueOn: isoDay(200) },
      ]);
      continue;
    }
    await pay(1, isoDay(-1));
    await scheduleReports(trx, admin, awardId, [{ kind: "final", dueOn: isoDay(-1) }]);
    const report = await trx.selectFrom("monitoring_report").select("id").where("award_id", "=", awardId).executeTakeFirstOrThrow();
    await submitReport(trx, member, report.id, {
      progress: "The work is finished and the space is in daily use.",
      spend: (JSON.parse(proposal.budget_lines) as { item: string; costPence: number }[]).map((line) => ({
        item: line.item,
        budget_pence: line.costPence,
        spent_pence: line.costPence,
      })),
      outcomes: [{ outcome: "600 people use the new facility in its first year", measure: "Attendance records", achieved: "410 so far, on track" }],
      files: [],
    });
    await approveReport(trx, admin, report.id, "Thank you: clear and complete.");
    await closeAward(trx, admin, awardId, { outcomeSummary: "Finished on time and on budget; in daily use, with 410 people through the door so far." });
  }
}

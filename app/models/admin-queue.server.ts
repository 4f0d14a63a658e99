import type { DB } from "../../db/client";
import type { QueueCounts } from "~/domain/admin-queue";
import { DEFAULT_SCREENING_STATUS } from "~/domain/proposal-lists";
import { overdueReports } from "./monitoring.server";

/** Eligible, not yet decided: what a decision group's decisions page is waiting on. A reserve decision counts as decided. */
const PENDING_DECISION = ["eligible", "under_review"] as const;

/**
 * The administrator's work queue: five counts, one query each, run together
 * (grouped by decision group or award where the work sits in several places,
 * so the number of queries never grows with the data). `today` is a UK date.
 */
export async function getAdminQueueCounts(db: DB, today: string): Promise<QueueCounts> {
  const [screen, payments, evidence, overdue, decisions] = await Promise.all([
    db
      .selectFrom("proposal")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("status", "=", DEFAULT_SCREENING_STATUS)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("payment")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("status", "=", "awaiting_approval")
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("award_condition")
      .innerJoin("award", "award.id", "award_condition.award_id")
      .innerJoin("organisation", "organisation.id", "award.organisation_id")
      .select((eb) => ["award.id", "award.reference", "organisation.name", eb.fn.countAll<number>().as("n")])
      .where("award_condition.status", "=", "evidence_submitted")
      .groupBy(["award.id", "award.reference", "organisation.name"])
      .orderBy("award.reference")
      .execute(),
    overdueReports(db, today)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("proposal")
      .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
      .innerJoin("fund", "fund.id", "decision_group.fund_id")
      .select((eb) => ["decision_group.id", "decision_group.name", "fund.name as fund_name", eb.fn.countAll<number>().as("n")])
      .where("proposal.status", "in", PENDING_DECISION)
      .groupBy(["decision_group.id", "decision_group.name", "fund.name"])
      .orderBy("fund.name")
      .orderBy("decision_group.name")
      .execute(),
  ]);
  return {
    toScreen: Number(screen.n),
    paymentsToApprove: Number(payments.n),
    evidenceByAward: evidence.map((r) => ({ awardId: r.id, reference: r.reference, organisationName: r.name, count: Number(r.n) })),
    overdueReports: Number(overdue.n),
    decisionsByGroup: decisions.map((r) => ({ decisionGroupId: r.id, decisionGroupName: r.name, fundName: r.fund_name, count: Number(r.n) })),
  };
}

import type { DB } from "../../db/client";
import type { Role } from "../../db/schema";
import type { MembershipSummary } from "~/domain/memberships";
import { countLeadQueue } from "./proposal-lists.server";
import { getInterestsDeclaredAt, listAdviserQueue, listScoringQueue } from "./scoring.server";

/** Counts of what one membership asks of the person now, for the home page to put into words. */
export type MembershipTasks =
  | { kind: "applicant"; drafts: number; changesRequested: number; questions: number; offers: number }
  | { kind: "lead_org"; waiting: number }
  | { kind: "panel_member"; hasDeclared: boolean; toScore: number }
  | { kind: "adviser"; toAdvise: number }
  | { kind: "admin"; toScreen: number; paymentsToApprove: number };

const countOf = (rows: { n: number | string | bigint }[] | { n: number | string | bigint } | undefined) =>
  Number((Array.isArray(rows) ? rows[0] : rows)?.n ?? 0);

const TASKS: Record<Role, (db: DB, userId: string, m: MembershipSummary) => Promise<MembershipTasks>> = {
  async applicant(db, _userId, m) {
    const organisationId = m.organisationId ?? "";
    const [statuses, questions, offers] = await Promise.all([
      db
        .selectFrom("proposal")
        .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
        .where("organisation_id", "=", organisationId)
        .where("status", "in", ["draft", "changes_requested"])
        .groupBy("status")
        .execute(),
      db
        .selectFrom("clarification_question as q")
        .innerJoin("proposal", "proposal.id", "q.proposal_id")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("proposal.organisation_id", "=", organisationId)
        .where("q.answer", "is", null)
        .executeTakeFirst(),
      db
        .selectFrom("award")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("organisation_id", "=", organisationId)
        .where("status", "=", "offered")
        .executeTakeFirst(),
    ]);
    return {
      kind: "applicant",
      drafts: countOf(statuses.filter((s) => s.status === "draft")),
      changesRequested: countOf(statuses.filter((s) => s.status === "changes_requested")),
      questions: countOf(questions),
      offers: countOf(offers),
    };
  },
  async lead_org(db, _userId, m) {
    const counts = await countLeadQueue(db, m.organisationId ?? "");
    return { kind: "lead_org", waiting: counts.new };
  },
  async panel_member(db, userId, m) {
    const [declaredAt, queue] = await Promise.all([getInterestsDeclaredAt(db, m.id), listScoringQueue(db, userId, m.decisionGroupId ?? "")]);
    return { kind: "panel_member", hasDeclared: declaredAt !== null, toScore: queue.filter((p) => !p.submitted_at).length };
  },
  async adviser(db, userId, m) {
    // The membership's own scope (a decision group or a whole fund), through the policy's proposalScope.
    const adviser = { id: userId, membershipId: m.id, role: m.role, organisationId: m.organisationId, decisionGroupId: m.decisionGroupId, fundId: m.fundId };
    const queue = await listAdviserQueue(db, adviser);
    return { kind: "adviser", toAdvise: queue.filter((p) => !p.inputUpdatedAt).length };
  },
  async admin(db) {
    const [toScreen, payments] = await Promise.all([
      db
        .selectFrom("proposal")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "=", "supported")
        .executeTakeFirst(),
      db
        .selectFrom("payment")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "=", "awaiting_approval")
        .executeTakeFirst(),
    ]);
    return { kind: "admin", toScreen: countOf(toScreen), paymentsToApprove: countOf(payments) };
  },
};

/** What each of the person's memberships asks of them now: a few counts each, in parallel. */
export function tasksForMemberships(db: DB, userId: string, memberships: readonly MembershipSummary[]): Promise<MembershipTasks[]> {
  return Promise.all(memberships.map((m) => TASKS[m.role](db, userId, m)));
}

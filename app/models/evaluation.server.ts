import type { DB } from "../../db/client";
import type { SurveyRoleGroup } from "../../db/schema";
import type { ProcessFacts, SurveyAnswerRow } from "~/domain/evaluation";
import { SURVEY_ROLE_GROUPS } from "~/domain/evaluation";
import { ukDate } from "~/domain/phases";

/** A fund's evaluation settings (survey sent, running costs), or the defaults before anything is set. */
export async function getFundEvaluation(db: DB, fundId: string) {
  const row = await db
    .selectFrom("fund_evaluation")
    .select(["survey_sent_at", "running_costs_pence", "running_costs_note"])
    .where("fund_id", "=", fundId)
    .executeTakeFirst();
  return row ?? { survey_sent_at: null, running_costs_pence: null, running_costs_note: "" };
}

/** Proposals that reached the fund: submitted at least once (a draft never left the group). */
const submittedGroupsOf = (db: DB, fundId: string) =>
  db
    .selectFrom("proposal")
    .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
    .select("proposal.organisation_id")
    .where("decision_group.fund_id", "=", fundId)
    .where("proposal.submitted_at", "is not", null);

const leadOrganisationsOf = (db: DB, fundId: string) =>
  db
    .selectFrom("decision_group_lead_org")
    .innerJoin("decision_group", "decision_group.id", "decision_group_lead_org.decision_group_id")
    .select("decision_group_lead_org.organisation_id")
    .where("decision_group.fund_id", "=", fundId);

/**
 * Everyone the survey is for, with the ways they took part: the round's panel
 * members (its memberships end with the round, so ended ones count), the
 * current members of the community groups that submitted a proposal, and the
 * current staff of its lead organisations. Enabled accounts only.
 */
function participantRows(db: DB, fundId: string, userId?: string) {
  let query = db
    .selectFrom("membership")
    .innerJoin("user", "user.id", "membership.user_id")
    .leftJoin("decision_group", "decision_group.id", "membership.decision_group_id")
    .select(["user.id", "user.email", "user.name", "membership.role"])
    .where("user.disabled_at", "is", null)
    .where("user.erased_at", "is", null)
    .where((eb) =>
      eb.or([
        eb.and([eb("membership.role", "=", "panel_member"), eb("decision_group.fund_id", "=", fundId)]),
        eb.and([
          eb("membership.role", "=", "applicant"),
          eb("membership.ended_at", "is", null),
          eb("membership.organisation_id", "in", submittedGroupsOf(db, fundId)),
        ]),
        eb.and([
          eb("membership.role", "=", "lead_org"),
          eb("membership.ended_at", "is", null),
          eb("membership.organisation_id", "in", leadOrganisationsOf(db, fundId)),
        ]),
      ]),
    );
  if (userId) query = query.where("user.id", "=", userId);
  return query.execute();
}

const GROUP_OF_ROLE: Partial<Record<string, SurveyRoleGroup>> = { panel_member: "panel", applicant: "applicant", lead_org: "lead_org" };

/** The ways this person took part in the fund's round (none: the survey is not for them). */
export async function surveyRoleGroupsOf(db: DB, fundId: string, userId: string): Promise<SurveyRoleGroup[]> {
  const rows = await participantRows(db, fundId, userId);
  const found = new Set(rows.map((r) => GROUP_OF_ROLE[r.role]).filter((g): g is SurveyRoleGroup => Boolean(g)));
  return SURVEY_ROLE_GROUPS.filter((g) => found.has(g));
}

/** The people the survey is sent to, once each, who have not answered it yet. */
export async function surveyRecipients(db: DB, fundId: string) {
  const [rows, answered] = await Promise.all([
    participantRows(db, fundId),
    db.selectFrom("survey_respondent").select("user_id").where("fund_id", "=", fundId).execute(),
  ]);
  const done = new Set(answered.map((a) => a.user_id));
  const people = new Map<string, { id: string; email: string; name: string }>();
  for (const r of rows) if (!done.has(r.id) && !people.has(r.id)) people.set(r.id, { id: r.id, email: r.email, name: r.name });
  return [...people.values()].sort((a, b) => a.email.localeCompare(b.email));
}

/** How many people the survey is for, and how many have answered. */
export async function surveyResponseCounts(db: DB, fundId: string) {
  const [rows, answered] = await Promise.all([
    participantRows(db, fundId),
    db
      .selectFrom("survey_respondent")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("fund_id", "=", fundId)
      .executeTakeFirstOrThrow(),
  ]);
  return { asked: new Set(rows.map((r) => r.id)).size, answered: Number(answered.n) };
}

export async function hasAnsweredSurvey(db: DB, fundId: string, userId: string): Promise<boolean> {
  const row = await db.selectFrom("survey_respondent").select("user_id").where("fund_id", "=", fundId).where("user_id", "=", userId).executeTakeFirst();
  return Boolean(row);
}

/** The fund's anonymous answers (in the order of their random ids, not the order they came in). */
export function listSurveyAnswers(db: DB, fundId: string): Promise<SurveyAnswerRow[]> {
  return db
    .selectFrom("survey_answer")
    .select(["role_group", "take_part_again", "gained_confidence", "felt_listened_to", "feedback_useful", "comment"])
    .where("fund_id", "=", fundId)
    .orderBy("id")
    .execute();
}

/** What the process figures are worked out from: the fund's dates and budget, its decisions, awards and first payments. */
export async function loadProcessFacts(
  db: DB,
  fundId: string,
  budgetPence: number,
  closesOn: string | null,
  runningCostsPence: number | null,
): Promise<ProcessFacts> {
  const [decisions, undecided, awards] = await Promise.all([
    db
      .selectFrom("decision")
      .innerJoin("proposal", "proposal.id", "decision.proposal_id")
      .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
      .select(["decision.decided_at", "decision.feedback"])
      .where("decision_group.fund_id", "=", fundId)
      .execute(),
    db
      .selectFrom("proposal")
      .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
      .leftJoin("decision", "decision.proposal_id", "proposal.id")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("decision_group.fund_id", "=", fundId)
      .where("proposal.status", "in", ["eligible", "under_review"])
      .where("decision.id", "is", null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("award")
      .innerJoin("decision", "decision.id", "award.decision_id")
      .innerJoin("decision_group", "decision_group.id", "award.decision_group_id")
      .leftJoin("payment", (join) => join.onRef("payment.award_id", "=", "award.id").on("payment.status", "=", "paid"))
      .select((eb) => ["award.id", "award.status", "decision.decided_at", eb.fn.min("payment.paid_on").as("first_paid_on")])
      .where("decision_group.fund_id", "=", fundId)
      .groupBy(["award.id", "award.status", "decision.decided_at"])
      .execute(),
  ]);
  return {
    budgetPence,
    closesOn,
    decisionDates: decisions.map((d) => ukDate(new Date(d.decided_at))),
    undecided: Number(undecided.n),
    // An offer declined, or withdrawn before any payment, will never be paid: it is not waiting.
    awards: awards
      .filter((a) => a.first_paid_on !== null || (a.status !== "declined" && a.status !== "withdrawn"))
      .map((a) => ({ decidedOn: ukDate(new Date(a.decided_at)), firstPaidOn: (a.first_paid_on as string | null) ?? null })),
    decided: decisions.length,
    decidedWithFeedback: decisions.filter((d) => d.feedback.trim() !== "").length,
    runningCostsPence,
  };
}

/** A fund with what its evaluation needs: its budget, closing date, whether results are out, and its evaluation settings. */
export async function getEvaluatedFund(db: DB, fundId: string) {
  const row = await db
    .selectFrom("fund")
    .leftJoin("fund_evaluation", "fund_evaluation.fund_id", "fund.id")
    .select([
      "fund.id",
      "fund.name",
      "fund.budget_pence",
      "fund.closes_on",
      "fund.results_published_at",
      "fund_evaluation.survey_sent_at",
      "fund_evaluation.running_costs_pence",
      "fund_evaluation.running_costs_note",
    ])
    .where("fund.id", "=", fundId)
    .executeTakeFirst();
  return row && { ...row, running_costs_note: row.running_costs_note ?? "" };
}

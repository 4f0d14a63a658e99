import type { DB } from "../../db/client";
import { buildQuestionReport, type EqualityRoleGroup, type QuestionReport, type ReportQuestion } from "~/domain/equality";

/** A fund's equality questions with their options, in order (two queries). */
export async function listEqualityQuestions(db: DB, fundId: string): Promise<ReportQuestion[]> {
  const questions = await db
    .selectFrom("equality_question")
    .select(["id", "text"])
    .where("fund_id", "=", fundId)
    .orderBy("position")
    .orderBy("created_at")
    .execute();
  if (questions.length === 0) return [];
  const options = await db
    .selectFrom("equality_option")
    .select(["id", "question_id", "label", "is_prefer_not_to_say", "reference_tenths"])
    .where(
      "question_id",
      "in",
      questions.map((q) => q.id),
    )
    .orderBy("position")
    .execute();
  return questions.map((q) => ({
    id: q.id,
    text: q.text,
    options: options
      .filter((o) => o.question_id === q.id)
      .map((o) => ({ id: o.id, label: o.label, isPreferNotToSay: o.is_prefer_not_to_say === 1, referenceTenths: o.reference_tenths })),
  }));
}

/** The report: every question's answers by group beside the area's figures, small numbers hidden. */
export async function getEqualityReport(db: DB, fundId: string): Promise<{ questions: QuestionReport[]; responses: Record<EqualityRoleGroup, number | null> }> {
  const questions = await listEqualityQuestions(db, fundId);
  const rows = await db
    .selectFrom("equality_response_choice as c")
    .innerJoin("equality_response as r", "r.id", "c.response_id")
    .select(["r.role_group", "c.option_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("r.fund_id", "=", fundId)
    .groupBy(["r.role_group", "c.option_id"])
    .execute();
  const counts = new Map(rows.map((r) => [`${r.role_group}:${r.option_id}`, Number(r.n)]));
  const byGroup = await db
    .selectFrom("equality_response")
    .select(["role_group", (eb) => eb.fn.countAll<number>().as("n")])
    .where("fund_id", "=", fundId)
    .groupBy("role_group")
    .execute();
  const responses = (group: EqualityRoleGroup) => {
    const n = Number(byGroup.find((r) => r.role_group === group)?.n ?? 0);
    return n >= 5 ? n : null;
  };
  return { questions: questions.map((q) => buildQuestionReport(q, counts)), responses: { panel: responses("panel"), applicant: responses("applicant") } };
}

/**
 * The groups this person may answer for, for this fund: "panel" if they sat
 * (or sit) on the panel of one of its decision groups; "applicant" if they
 * belong to a community group that submitted a proposal to it.
 */
export async function equalityRoleGroupsFor(db: DB, fundId: string, userId: string): Promise<EqualityRoleGroup[]> {
  const [panel, applicant] = await Promise.all([
    db
      .selectFrom("membership as m")
      .innerJoin("decision_group as g", "g.id", "m.decision_group_id")
      .select("m.id")
      .where("m.user_id", "=", userId)
      .where("m.role", "=", "panel_member")
      .where("g.fund_id", "=", fundId)
      .executeTakeFirst(),
    db
      .selectFrom("membership as m")
      .innerJoin("proposal as p", "p.organisation_id", "m.organisation_id")
      .innerJoin("decision_group as g", "g.id", "p.decision_group_id")
      .select("m.id")
      .where("m.user_id", "=", userId)
      .where("m.role", "=", "applicant")
      .where("m.ended_at", "is", null)
      .where("p.submitted_at", "is not", null)
      .where("g.fund_id", "=", fundId)
      .executeTakeFirst(),
  ]);
  return [...(panel ? ["panel" as const] : []), ...(applicant ? ["applicant" as const] : [])];
}

/** The groups this person has already answered for, for this fund. */
export async function answeredRoleGroups(db: DB, fundId: string, userId: string): Promise<EqualityRoleGroup[]> {
  const rows = await db.selectFrom("equality_participation").select("role_group").where("fund_id", "=", fundId).where("user_id", "=", userId).execute();
  return rows.map((r) => r.role_group);
}

/**
 * Funds that ask this person equality questions they have not answered yet,
 * as a panel member (of the given decision group's fund) or as an applicant
 * (of the given community group): the link on their home page.
 */
export async function unansweredEqualityFunds(
  db: DB,
  userId: string,
  scope: { roleGroup: "panel"; decisionGroupId: string } | { roleGroup: "applicant"; organisationId: string },
): Promise<{ id: string; name: string }[]> {
  let query = db.selectFrom("fund as f").select(["f.id", "f.name"]).distinct();
  if (scope.roleGroup === "panel") {
    query = query.innerJoin("decision_group as g", "g.fund_id", "f.id").where("g.id", "=", scope.decisionGroupId);
  } else {
    query = query
      .innerJoin("decision_group as g", "g.fund_id", "f.id")
      .innerJoin("proposal as p", "p.decision_group_id", "g.id")
      .where("p.organisation_id", "=", scope.organisationId)
      .where("p.submitted_at", "is not", null);
  }
  return query
    .where((eb) => eb.exists(eb.selectFrom("equality_question as q").select("q.id").whereRef("q.fund_id", "=", "f.id")))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("equality_participation as ep")
            .select("ep.fund_id")
            .whereRef("ep.fund_id", "=", "f.id")
            .where("ep.user_id", "=", userId)
            .where("ep.role_group", "=", scope.roleGroup),
        ),
      ),
    )
    .orderBy("f.name")
    .execute();
}

/** The ids of a fund's questions that someone has answered (these can no longer be removed). */
export async function answeredQuestionIds(db: DB, fundId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("equality_response_choice as c")
    .innerJoin("equality_question as q", "q.id", "c.question_id")
    .select("q.id")
    .distinct()
    .where("q.fund_id", "=", fundId)
    .execute();
  return rows.map((r) => r.id);
}

import type { SurveyChoice, SurveyRoleGroup } from "./schema";
import type { Actor } from "~/domain/permissions";
import { answerSurvey, setRunningCosts } from "~/services/evaluation.server";
import type { DB } from "./client";

type Answer = [SurveyChoice, SurveyChoice, SurveyChoice, SurveyChoice, string];

/**
 * Last round's evaluation: eight of its nine panel members answered the survey
 * (south-vcse@demo.example has not, so the browser test can answer as them),
 * two of the groups that applied and its lead organisation's staff, whose
 * answers stay hidden (fewer than 5). Through the real service, so each is
 * anonymous and on the audit trail like a real answer.
 */
const PANEL_ANSWERS: Record<string, Answer> = {
  "south-resident@demo.example": ["yes", "yes", "yes", "yes", "Chairing was hard at first. The training before the first meeting helped a lot."],
  "south-resident2@demo.example": ["yes", "yes", "yes", "partly", "I learned how the council decides on money. I would like to do it again."],
  "south-councillor@demo.example": ["yes", "partly", "yes", "yes", ""],
  "equality-resident@demo.example": ["yes", "yes", "partly", "yes", "Please send the proposals earlier. Two weeks was not enough to read them all."],
  "equality-resident2@demo.example": ["yes", "yes", "yes", "yes", ""],
  "equality-councillor@demo.example": ["partly", "no", "yes", "not_sure", "Good process, but the evening meetings ran late."],
  "equality-vcse@demo.example": ["yes", "partly", "partly", "yes", ""],
  "resident2@demo.example": ["yes", "yes", "yes", "yes", "I felt my view counted, even as a new member."],
};

const OTHER_ANSWERS: [string, SurveyRoleGroup, Answer][] = [
  ["knowle-west-youth-makers@demo.example", "applicant", ["yes", "yes", "yes", "yes", "The lead organisation helped us cost the work."]],
  ["filwood-boxing-club@demo.example", "applicant", ["partly", "no", "partly", "yes", "We were not funded, but the feedback told us what to fix."]],
  ["south-lead@demo.example", "lead_org", ["yes", "yes", "yes", "partly", ""]],
];

export async function seedDemoSurvey(trx: DB, ctx: { admin: Actor; fundId: string; people: Map<string, Actor> }): Promise<void> {
  const answers: [string, SurveyRoleGroup | undefined, Answer][] = [
    ...Object.entries(PANEL_ANSWERS).map(([email, a]): [string, undefined, Answer] => [email, undefined, a]),
    ...OTHER_ANSWERS,
  ];
  for (const [email, roleGroup, [takePartAgain, gainedConfidence, feltListenedTo, feedbackUseful, comment]] of answers) {
    await answerSurvey(trx, ctx.people.get(email)!.id, ctx.fundId, { roleGroup, takePartAgain, gainedConfidence, feltListenedTo, feedbackUseful, comment });
  }
  await setRunningCosts(trx, ctx.admin, ctx.fundId, {
    runningCosts: 39_000 * 100,
    runningCostsNote: "Staff time, venues, childcare and payments to panel members.",
  });
}

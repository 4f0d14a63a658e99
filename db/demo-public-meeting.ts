import type { Actor } from "~/domain/permissions";
import {
  addQuestion,
  castMeetingVote,
  closeQuestion,
  joinMeeting,
  openQuestion,
  publishMinutes,
  recordHands,
  recordResult,
  scheduleMeeting,
} from "~/services/public-meetings.server";
import type { DB } from "./client";

export const DEMO_PAST_MEETING = "All In Alliance: Halstead";
export const DEMO_OPEN_MEETING = "All In Alliance: Braintree";

const DAY = 86_400_000;
const noBallotVoter = async () => null;

/**
 * Two public meetings of the All In fund's Alliance (issue 13), through the
 * portal's own services:
 * - a week ago in Halstead: an approval question on the four ideas (£10,000 to
 *   share), 12 phones and 5 hands, its result recorded and its minutes published;
 * - this evening in Braintree: a majority question open for trying (join at
 *   /meet with the door code on the administrator's Public meetings page),
 *   and a points question not opened yet.
 */
export async function seedDemoPublicMeetings(trx: DB, ctx: { admin: Actor; fundId: string }, now = new Date()): Promise<void> {
  const t = now.getTime();
  const proposals = await trx
    .selectFrom("proposal")
    .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
    .select(["proposal.id"])
    .where("decision_group.fund_id", "=", ctx.fundId)
    .orderBy("proposal.reference")
    .execute();
  const ids = proposals.map((p) => p.id);

  // A week ago: decided, minuted.
  const heldAt = new Date(t - 7 * DAY);
  const past = await scheduleMeeting(trx, ctx.admin, {
    fundId: ctx.fundId,
    decisionGroupId: null,
    title: DEMO_PAST_MEETING,
    venue: "Halstead Library, Bridge Street",
    startsAt: heldAt.toISOString(),
    admission: "open",
  });
  const question = await addQuestion(trx, ctx.admin, past, {
    title: "Which ideas should get the £10,000?",
    rule: "approval",
    pointsTotal: null,
    budgetPence: 1_000_000,
    proposalId: null,
    proposalIds: ids,
    freeIdeas: [],
  });
  await openQuestion(trx, ctx.admin, question, null, heldAt);
  const { door_code: code } = await trx.selectFrom("public_meeting").select("door_code").where("id", "=", past).executeTakeFirstOrThrow();
  const options = await trx.selectFrom("public_meeting_option").select("id").where("question_id", "=", question).orderBy("position").execute();
  // Twelve phones: the repair cafe and the walks are liked most.
  const ballots = [[0, 1], [0, 1], [0, 2], [1], [1, 3], [0], [0, 1, 2], [2, 3], [1], [0, 1], [3], [1, 2]];
  for (const picks of ballots) {
    const { attendeeId } = await joinMeeting(trx, { doorCode: code, cardCode: "", ballotVoterIdFor: noBallotVoter }, heldAt);
    await castMeetingVote(trx, attendeeId, question, Object.fromEntries(picks.map((i) => [options[i]!.id, 1])), heldAt);
  }
  await closeQuestion(trx, ctx.admin, question, new Date(heldAt.getTime() + 10 * 60_000));
  await recordHands(trx, ctx.admin, question, { voters: 5, counts: { [options[0]!.id]: 2, [options[2]!.id]: 4, [options[3]!.id]: 1 } });
  await recordResult(trx, ctx.admin, question, new Date(heldAt.getTime() + 15 * 60_000));
  await publishMinutes(trx, ctx.admin, past, "Seventeen people took part: twelve by phone and five by a show of hands.", new Date(heldAt.getTime() + DAY));

  // This evening: one question open to try, one still to come.
  const tonight = await scheduleMeeting(trx, ctx.admin, {
    fundId: ctx.fundId,
    decisionGroupId: null,
    title: DEMO_OPEN_MEETING,
    venue: "Braintree Town Hall, Market Place",
    startsAt: new Date(t + 2 * 60 * 60_000).toISOString(),
    admission: "open",
  });
  const open = await addQuestion(trx, ctx.admin, tonight, {
    title: "Should the Alliance meet again in the spring?",
    rule: "majority",
    pointsTotal: null,
    budgetPence: null,
    proposalId: null,
    proposalIds: [],
    freeIdeas: [],
  });
  await addQuestion(trx, ctx.admin, tonight, {
    title: "Share 10 points between the ideas",
    rule: "points",
    pointsTotal: 10,
    budgetPence: null,
    proposalId: null,
    proposalIds: ids,
    freeIdeas: [],
  });
  await openQuestion(trx, ctx.admin, open, null, now);
}

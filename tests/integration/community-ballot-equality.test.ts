import { beforeAll, describe, expect, it } from "vitest";
import { answerField } from "~/domain/forms/equality";
import { action as setupAction } from "~/routes/admin.funds.$fundId.ballot";
import { loader as participationLoader } from "~/routes/admin.funds.$fundId.ballot_.participation";
import { action as aboutYouAction } from "~/routes/funds.$fundId.vote.about-you";
import { action as codeAction } from "~/routes/funds.$fundId.vote.code";
import { generateVoterCodes } from "~/services/community-ballots.server";
import { addEqualityQuestion, recordVoterEqualityAnswer } from "~/services/equality.server";
import { getDb } from "~/utils/db.server";
import { actorOf, makeUser } from "../factories";
import { makeOpenBallot, renderResults, vote } from "../support/community-ballot";
import { cookiePair, getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

let admin: Awaited<ReturnType<typeof makeUser>>;
let adminCookie: string;

beforeAll(async () => {
  admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
});

/** Text as a reader gets it: tags gone, entities decoded, spaces collapsed. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

async function voterCookie(fundId: string, code: string) {
  const response = await runAction(codeAction, await postForm(`/funds/${fundId}/vote/code`, { voterCode: code }), { fundId });
  return cookiePair(response.headers.getSetCookie().find((c) => c.startsWith("__voter="))!);
}

const answer = async (fundId: string, cookie: string, choices: Record<string, string>) =>
  runAction(aboutYouAction, await postForm(`/funds/${fundId}/vote/about-you`, choices, { cookie }), { fundId });

/**
 * 17 voters vote. Two questions:
 * - "Your age": 12 say Under 40 and 3 say 40 or over (15 answered); the area is 60% under 40;
 * - "Do you have a disability?": 5 say Yes (5 answered).
 * The 16th voter answers only after the count; the 17th never answers.
 */
async function countedWithAnswers() {
  const world = await makeOpenBallot(actorOf(admin));
  const codes = await generateVoterCodes(getDb(), actorOf(admin), world.fundId, 17);
  const age = await addEqualityQuestion(getDb(), actorOf(admin), world.fundId, { text: "Your age", options: ["Under 40", "40 or over"] });
  const disability = await addEqualityQuestion(getDb(), actorOf(admin), world.fundId, { text: "Do you have a disability?", options: ["Yes", "No"] });
  const options = async (questionId: string) =>
    (await getDb().selectFrom("equality_option").select(["id", "label"]).where("question_id", "=", questionId).orderBy("position").execute()).map((o) => o.id);
  const [under40, over40] = await options(age);
  const [yes] = await options(disability);
  await getDb().updateTable("equality_option").set({ reference_tenths: 600 }).where("id", "=", under40!).execute();
  for (const [i, code] of codes.entries()) {
    const cookie = await voterCookie(world.fundId, code);
    expect((await vote(world.fundId, cookie, [world.proposals[i % 3]!.id])).status).toBe(302);
    if (i >= 15) continue;
    const choices: Record<string, string> = { [answerField(age)]: i < 12 ? under40! : over40! };
    if (i < 5) choices[answerField(disability)] = yes!;
    expect((await answer(world.fundId, cookie, choices)).status).toBe(303);
  }
  await getDb()
    .updateTable("community_ballot")
    .set({ closes_at: new Date(Date.now() - 60_000).toISOString() })
    .where("id", "=", world.ballotId)
    .execute();
  const counted = await runAction(setupAction, await postForm(`/admin/funds/${world.fundId}/ballot`, { intent: "count" }, { cookie: adminCookie }), {
    fundId: world.fundId,
  });
  expect(counted.status).toBe(302);
  return { ...world, age, under40: under40! };
}

describe("the results page's voters by equality group", () => {
  it("shows a group of 10 or more with its share and the area's figure, hides a group under 10 and a question fewer than 10 answered, and says money by group is shown only for voters who agreed", async () => {
    const { fundId, ballotId } = await countedWithAnswers();
    const text = textOf(await renderResults(fundId));
    expect(text).toContain("Who voted, by equality group");
    // Money by group is shown only for voters who agreed to keep their answers with their vote until the count (docs/decisions/0055); none did here.
    expect(text).not.toContain("We cannot show how much of the funded money reached each group.");
    expect(text).toContain("How much of the funded money reached each group is shown next, only for voters who agreed to it when they answered.");
    expect(text).toContain("Everyone else's answers were kept apart from their votes, so no answer of theirs can be matched to a ballot.");
    expect(text).toContain("Fewer than 10 voters agreed to let us use their answers this way, so no figures are shown.");
    expect(text).toContain("An answer is shown only when 10 or more voters gave it, so nobody can be picked out.");
    // Worked by hand: 15 answered; 12 of 15 is 80%; the area's figure is 60%. 3 is under 10: hidden. Nobody preferred not to say (0: hidden).
    expect(text).toContain("Your age 15 voters answered this question.");
    expect(text).toMatch(/Under 40 12 80% 60%/);
    expect(text).toMatch(/40 or over Fewer than 10: hidden Fewer than 10: hidden Not known/);
    expect(text).not.toMatch(/40 or over 3 /);
    // Five answered the second question: nothing of it is shown but that it is hidden.
    expect(text).toContain("Do you have a disability? Fewer than 10 voters answered this question, so none of its answers are shown.");
    expect(text).not.toMatch(/Yes 5/);

    // The figures are the ones stored with the count.
    const stored = await getDb().selectFrom("ballot_result").select("equality_json").where("ballot_id", "=", ballotId).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.equality_json!)).toEqual({
      version: 1,
      questions: [
        {
          question: "Your age",
          answered: 15,
          options: [
            { label: "Under 40", count: 12, referenceTenths: 600 },
            { label: "40 or over", count: null, referenceTenths: null },
            { label: "Prefer not to say", count: null, referenceTenths: null },
          ],
        },
        {
          question: "Do you have a disability?",
          answered: null,
          options: [
            { label: "Yes", count: null, referenceTenths: null },
            { label: "No", count: null, referenceTenths: null },
            { label: "Prefer not to say", count: null, referenceTenths: null },
          ],
        },
      ],
    });
  });

  it("is the count's: an answer recorded after the count shows in the administrator's report but does not change the published page", async () => {
    const { fundId, ballotId, age, under40 } = await countedWithAnswers();
    const before = await renderResults(fundId);
    // After the close the vote's pages no longer take answers; the service still does (as a typed-in paper form would).
    const unanswered = await getDb()
      .selectFrom("ballot_voter")
      .select("id")
      .where("ballot_id", "=", ballotId)
      .where("id", "not in", getDb().selectFrom("ballot_voter_equality").select("voter_id"))
      .executeTakeFirstOrThrow();
    await recordVoterEqualityAnswer(getDb(), unanswered.id, fundId, { [age]: under40 });
    const report = (await (
      await runLoader(participationLoader, getRequest(`/admin/funds/${fundId}/ballot/participation`, { cookie: adminCookie }), { fundId })
    ).json()) as { equality: { question: string; options: { label: string; count: number | null }[] }[] };
    expect(report.equality[0]!.options[0]).toEqual({ label: "Under 40", count: 13 });
    expect(await renderResults(fundId)).toBe(before);
  });

  it("a vote that asked no questions says so", async () => {
    const world = await makeOpenBallot(actorOf(admin));
    await getDb()
      .updateTable("community_ballot")
      .set({ closes_at: new Date(Date.now() - 60_000).toISOString() })
      .where("id", "=", world.ballotId)
      .execute();
    const counted = await runAction(setupAction, await postForm(`/admin/funds/${world.fundId}/ballot`, { intent: "count" }, { cookie: adminCookie }), {
      fundId: world.fundId,
    });
    expect(counted.status).toBe(302);
    expect(textOf(await renderResults(world.fundId))).toContain("This vote asked voters no questions about themselves.");
  });
});

import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import type { Actor } from "~/domain/permissions";
import { ukLocalToIso } from "~/domain/community-ballot";
import { openBallot, saveBallotSetup, type BallotSetupInput } from "~/services/community-ballots.server";
import { addQuestion, scheduleMeeting } from "~/services/public-meetings.server";
import { action as confirmAction } from "~/routes/funds.$fundId.vote.confirm";
import { action as joinAction } from "~/routes/funds.$fundId.vote.join";
import { action as ballotAction } from "~/routes/funds.$fundId.vote._index";
import VoteResults, { loader as resultsLoader } from "~/routes/funds.$fundId.vote.results";
import { getDb } from "~/utils/db.server";
import type { DB } from "../../db/client";
import { makeDecisionGroup, makeOrganisation, makeProposal } from "../factories";
import { cookiePair, getRequest, postForm, runAction } from "./http";

let counter = 0;

/** A published fund decided by community ballot, with one decision group and three eligible proposals (£10,000, £20,000, £30,000). */
export async function makeBallotFund() {
  const group = await makeDecisionGroup({ name: "Eastside" });
  await getDb().updateTable("fund").set({ decision_method: "ballot" }).where("id", "=", group.fund_id).execute();
  const org = await makeOrganisation();
  const proposals = [];
  for (const [i, pence] of [1_000_000, 2_000_000, 3_000_000].entries()) {
    proposals.push(
      await makeProposal({
        decisionGroupId: group.id,
        organisationId: org.id,
        status: "eligible",
        content: { title: `Idea ${i + 1}`, summary: `What idea ${i + 1} does.`, amountRequestedPence: pence },
      }),
    );
  }
  return { fundId: group.fund_id, group, proposals };
}

const hour = 60 * 60 * 1000;

/** Set-up form fields for an approval ballot (choose up to 2) that is open now, for postcodes starting BS5. */
export const approvalSetupFields = (overrides: Record<string, string> = {}) => ({
  kind: "approval",
  maxChoices: "2",
  countingRule: "equal-shares",
  tieRule: "cheaper-then-more-votes-then-reference",
  opensAt: new Date(Date.now() - hour).toISOString().slice(0, 16),
  closesAt: new Date(Date.now() + 24 * hour).toISOString().slice(0, 16),
  prefixes: "BS5",
  intent: "save",
  ...overrides,
});

/** The set-up as the service takes it: approval, up to 2, open from an hour ago to a day ahead, BS5 postcodes. */
export function approvalSetup(overrides: Partial<BallotSetupInput["settings"]> = {}, area: { postcodes?: string; prefixes?: string } = {}): BallotSetupInput {
  return {
    settings: {
      kind: "approval",
      maxChoices: 2,
      pointsTotal: null,
      pointsMinProjects: null,
      budgetPence: null,
      countingRule: "equal-shares",
      tieRule: "cheaper-then-more-votes-then-reference",
      opensAt: new Date(Date.now() - hour).toISOString(),
      closesAt: new Date(Date.now() + 24 * hour).toISOString(),
      minAge: null,
      ...overrides,
    },
    postcodes: area.postcodes ?? "",
    prefixes: area.prefixes ?? "BS5",
  };
}

/** A ballot fund whose approval ballot is set up and open now. */
export async function makeOpenBallot(
  admin: Actor,
  overrides: Partial<BallotSetupInput["settings"]> = {},
  area: { postcodes?: string; prefixes?: string } = {},
) {
  const world = await makeBallotFund();
  const ballotId = await saveBallotSetup(getDb(), admin, world.fundId, approvalSetup(overrides, area));
  const hash = await openBallot(getDb(), admin, world.fundId);
  return { ...world, ballotId, hash };
}

export { ukLocalToIso };

/** A new resident joins with an emailed code; returns their voter cookie. */
export async function newVoter(fundId: string): Promise<string> {
  counter += 1;
  const email = `voter${counter}@example.test`;
  const started = await runAction(joinAction, await postForm(`/funds/${fundId}/vote/join`, { postcode: "BS5 0AB", email }), { fundId });
  const challenge = new URL(started.headers.get("Location")!, "http://x").searchParams.get("challenge")!;
  const row = await getDb().selectFrom("email_outbox").select("body_text").where("to_address", "=", email).executeTakeFirstOrThrow();
  const code = /Your code is (\d{6})/.exec(row.body_text)![1]!;
  const response = await runAction(confirmAction, await postForm(`/funds/${fundId}/vote/confirm`, { challenge, code }), { fundId });
  return cookiePair(response.headers.getSetCookie().find((c) => c.startsWith("__voter="))!);
}

/** A ballot form post: ticked ids (sent as repeated "choice" fields) or other fields. */
export async function vote(fundId: string, cookie: string, ticked: string[], fields: Record<string, string> = {}) {
  const request = await postForm(`/funds/${fundId}/vote`, fields, { cookie });
  const body = new URLSearchParams(await request.text());
  for (const id of ticked) body.append("choice", id);
  return runAction(ballotAction, new Request(request.url, { method: "POST", headers: request.headers, body }), { fundId });
}

/** The results page as the browser gets it: the loader and the component rendered to HTML. */
export async function renderResults(fundId: string) {
  const handler = createStaticHandler([
    {
      id: "results",
      path: "/funds/:fundId/vote/results",
      loader: ({ request, params }) => resultsLoader({ request, params, context: { cspNonce: "test", pendingCookies: [] } }),
      Component: VoteResults,
    },
  ]);
  const context = await handler.query(getRequest(`/funds/${fundId}/vote/results`));
  if (context instanceof Response) throw new Error(`Expected a page, got ${context.status}`);
  return renderToString(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }));
}

/** A public meeting of a ballot fund an hour from now, open to all, with one majority question on its first idea (the live-update tests). */
export async function makeMeetingWithQuestion(db: DB, admin: Actor) {
  const { group, proposals } = await makeBallotFund();
  const meetingId = await scheduleMeeting(db, admin, {
    fundId: group.fund_id,
    decisionGroupId: group.id,
    title: "All In Alliance, Halstead",
    venue: "Halstead Library",
    startsAt: new Date(Date.now() + 3_600_000).toISOString(),
    admission: "open",
  });
  const questionId = await addQuestion(db, admin, meetingId, {
    title: "Should the fund pay for a minibus?",
    rule: "majority",
    pointsTotal: null,
    budgetPence: null,
    proposalId: proposals[0]!.id,
    proposalIds: [],
    freeIdeas: [],
  });
  const { door_code: doorCode } = await db.selectFrom("public_meeting").select("door_code").where("id", "=", meetingId).executeTakeFirstOrThrow();
  return { meetingId, questionId, doorCode };
}

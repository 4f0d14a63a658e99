import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { EqualityInvitations } from "~/components/equality-questions";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { INTERESTS_PATH } from "~/auth/panel-guards.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatPence } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { CONSTITUENCY_IN_SENTENCE, CONSTITUENCY_LABELS } from "~/domain/roles";
import { progressText, SHEET_STATE_LABELS, sheetState } from "~/domain/score-sheet";
import { getDecisionGroup } from "~/models/directory.server";
import { getInterestsDeclaredAt, getGroupForOversight, listRecusedProposals, listScoringQueue } from "~/models/scoring.server";
import { unansweredEqualityFunds } from "~/models/equality.server";
import { getDb } from "~/utils/db.server";
import { scrollRegion } from "~/components/ui/data-table";

const copy = {
  title: "Your decision panel",
  sitsAs: "You sit on this panel as",
  pot: "Ring-fenced pot",
  grants: "Grants from",
  none: "You are not yet on a decision group's panel. Ask the fund administrator.",
  declared: "Thank you. Your declarations are recorded, and you can now read and score the proposals.",
  queue: "Your scoring queue",
  queueIntro: "Score each proposal on your own. You will see the other members' scores once you have submitted yours.",
  progressLabel: "Your scoring progress",
  allDone: "You have submitted scores for every proposal in your queue.",
  empty: "There are no proposals for you to score yet. They appear here when the fund administrator finds them eligible.",
  caption: "Proposals for you to score",
  reference: "Reference",
  proposal: "Proposal",
  group: "Community group",
  amount: "Amount requested",
  yourScores: "Your scores",
  score: (title: string) => `Score ${title}`,
  view: (title: string) => `See your scores for ${title}`,
  continueDraft: (title: string) => `Continue scoring ${title}`,
  recusedTitle: "Proposals you take no part in",
  recusedIntro:
    "You declared an interest in these, or one of your other roles connects you to them (you belong to the group, or work for its lead organisation). You do not score, see scores for, or vote on them.",
  interests: "Your declarations of interest",
  interestsLink: "See or add to your declarations",
  nameLink: "Choose whether your name is published with the results",
  equality: "Who takes part",
  equalityBody: "Help us see if the panel looks like the area. You do not have to answer, and we do not keep your name with your answers.",
  equalityLink: (fund: string) => `Answer a few questions for ${fund}`,
  closed: (date: string) => `Scoring closed on ${date}. You can now see every member's scores on each proposal's page.`,
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "home.panel_member");
  const db = getDb();
  if (!user.decisionGroupId) return json({ group: null, constituency: null, sitsAs: null, queue: [], recused: [], closedOn: null, equality: [] });
  if (!(await getInterestsDeclaredAt(db, user.membershipId))) throw redirect(INTERESTS_PATH);
  const [group, queue, recused, oversight] = await Promise.all([
    getDecisionGroup(db, user.decisionGroupId),
    listScoringQueue(db, user.id, user.decisionGroupId),
    listRecusedProposals(db, user.id, user.decisionGroupId),
    getGroupForOversight(db, user.decisionGroupId),
  ]);
  const equality = await unansweredEqualityFunds(db, user.id, { roleGroup: "panel", decisionGroupId: user.decisionGroupId });
  return json({
    equality,
    constituency: user.constituency ? CONSTITUENCY_LABELS[user.constituency] : null,
    sitsAs: user.constituency ? CONSTITUENCY_IN_SENTENCE[user.constituency] : "a panel member",
    group: group ?? null,
    closedOn: oversight?.scoring_closed_at ? formatDate(oversight.scoring_closed_at) : null,
    queue: queue.map((p) => {
      const state = sheetState(p.sheetId ? { submitted_at: p.submitted_at } : null);
      return {
        id: p.id,
        reference: p.reference,
        title: p.title,
        organisationName: p.organisationName,
        statusLabel: STATUS_LABELS[p.status],
        amount: p.amount_requested_pence === null ? "–" : formatPence(p.amount_requested_pence),
        state,
        stateLabel: SHEET_STATE_LABELS[state],
      };
    }),
    recused: recused.map((p) => ({ id: p.id, reference: p.reference, title: p.title })),
  });
}

export default function PanelHome() {
  const { sitsAs, group, queue, recused, closedOn, equality } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  if (!group) {
    return (
      <div className="max-w-3xl">
        <h1>{copy.title}</h1>
        <p>{copy.none}</p>
      </div>
    );
  }
  const done = queue.filter((p) => p.state === "submitted").length;
  return (
    <div>
      {search.get("declared") ? (
        <p role="status" className="panel font-semibold">
          {copy.declared}
        </p>
      ) : null}
      <h1>
        {copy.title}: {group.name}
      </h1>
      <p>
        {copy.sitsAs} <strong>{sitsAs}</strong>. {group.fundName}, {group.area}.
      </p>
      <dl className="mb-6 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
        <dt className="font-semibold">{copy.pot}</dt>
        <dd>{formatPence(group.pot_pence)}</dd>
        <dt className="font-semibold">{copy.grants}</dt>
        <dd>
          {formatPence(group.min_grant_pence)} to {formatPence(group.max_grant_pence)}
        </dd>
      </dl>

      <section aria-labelledby="queue">
        <h2 id="queue">{copy.queue}</h2>
        {closedOn ? <p className="panel">{copy.closed(closedOn)}</p> : <p>{copy.queueIntro}</p>}
        {queue.length ? (
          <>
            <div className="mb-4 max-w-md">
              <label htmlFor="scoring-progress" className="block font-semibold">
                {copy.progressLabel}
              </label>
              <progress id="scoring-progress" className="h-4 w-full" max={queue.length} value={done} aria-describedby="scoring-progress-text">
                {progressText(done, queue.length)}
              </progress>
              <p id="scoring-progress-text" className="mb-0">
                {progressText(done, queue.length)}
              </p>
            </div>
            {done === queue.length ? <p className="font-semibold">{copy.allDone}</p> : null}
            <div {...scrollRegion(copy.caption)}>
              <table className="table">
                <caption className="sr-only">{copy.caption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{copy.reference}</th>
                    <th scope="col">{copy.proposal}</th>
                    <th scope="col">{copy.group}</th>
                    <th scope="col">{copy.amount}</th>
                    <th scope="col">{copy.yourScores}</th>
                  </tr>
                </thead>
                <tbody>
                  {queue.map((p) => (
                    <tr key={p.id}>
                      <td className="whitespace-nowrap">{p.reference}</td>
                      <td className="break-words">
                        <Link
                          to={`/panel/proposals/${p.id}`}
                          aria-label={p.state === "submitted" ? copy.view(p.title) : p.state === "draft" ? copy.continueDraft(p.title) : copy.score(p.title)}
                        >
                          {p.title}
                        </Link>
                        <span className="block text-sm text-slate-700">{p.statusLabel}</span>
                      </td>
                      <td className="break-words">{p.organisationName}</td>
                      <td className="whitespace-nowrap">{p.amount}</td>
                      <td>
                        <span
                          className={`tag ${p.state === "submitted" ? "bg-green-100 text-green-900" : p.state === "draft" ? "bg-yellow-100 text-yellow-900" : ""}`}
                        >
                          {p.stateLabel}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : (
          <p>{copy.empty}</p>
        )}
      </section>

      {recused.length ? (
        <section aria-labelledby="recused">
          <h2 id="recused">{copy.recusedTitle}</h2>
          <p>{copy.recusedIntro}</p>
          <ul className="list-disc pl-6">
            {recused.map((p) => (
              <li key={p.id} className="break-words">
                {p.reference} {p.title}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <EqualityInvitations funds={equality} as="panel" copy={{ heading: copy.equality, body: copy.equalityBody, link: copy.equalityLink }} />

      <h2>{copy.interests}</h2>
      <p>
        <Link to="/panel/interests">{copy.interestsLink}</Link>
      </p>
      <p>
        <Link to="/panel/name">{copy.nameLink}</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireGroupAccess } from "~/auth/group-guards.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { GroupResultsView } from "~/components/group-results-view";
import { resultOptionsFrom } from "~/domain/forms/decision";
import { formatDate } from "~/domain/phases";
import { getGroupResultsWithAdvice } from "~/models/residents-vote.server";
import { getDb } from "~/utils/db.server";
import { pageFrom } from "~/utils/pagination";
import { forbidden } from "~/utils/http.server";

const copy = {
  title: "Your panel's scoring results",
  intro:
    "How the panel scored each proposal, to guide your deliberation. The panel still decides: these figures are a starting point for discussion, not the decision.",
  closed: (date: string) => `Scoring closed on ${date}.`,
  waiting:
    "You will see the results here once scoring has closed for your group, so that nobody's scores are influenced by anyone else's. The fund administrator closes scoring when everyone has submitted their score sheets.",
  chair: "As chair you can also see:",
  allocation: "the allocation recommendation",
  decisions: "the decisions form",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requirePermission(request, "home.panel_member");
  if (!member.decisionGroupId) throw forbidden("You are not on a decision group's panel yet.");
  const { user, group, canDecide, canSeeScores } = await requireGroupAccess(request, member.decisionGroupId, "results.read");
  const url = new URL(request.url);
  const options = resultOptionsFrom(url.searchParams);
  const base = { group: { id: group.id, name: group.name, fundName: group.fund_name, scoringClosedOn: group.scoring_closed_at }, canDecide, options };
  if (!canSeeScores) return json({ ...base, results: null, advice: null });
  // With the residents' vote for the rows this viewer may see, once the vote has closed (null before: counts stay sealed).
  return json({ ...base, ...(await getGroupResultsWithAdvice(getDb(), user, group, options, pageFrom(url))) });
}

export default function PanelResults() {
  const { group, canDecide, options, results, advice } = useLoaderData<typeof loader>();
  return (
    <div>
      <p className="mb-2 text-lg text-slate-700">
        {group.name} ({group.fundName})
      </p>
      <h1>{copy.title}</h1>
      <p className="max-w-3xl">{copy.intro}</p>
      {canDecide ? (
        <p>
          {copy.chair} <Link to={`/admin/groups/${group.id}/allocation`}>{copy.allocation}</Link>,{" "}
          <Link to={`/admin/groups/${group.id}/decisions`}>{copy.decisions}</Link>.
        </p>
      ) : null}
      {results && group.scoringClosedOn ? (
        <>
          <p className="font-semibold">{copy.closed(formatDate(group.scoringClosedOn))}</p>
          <GroupResultsView data={results} sort={options.sort} isNormalised={options.isNormalised} advice={advice} />
        </>
      ) : (
        <p className="panel max-w-3xl">{copy.waiting}</p>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

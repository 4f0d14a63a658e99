import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireGroupAccess } from "~/auth/group-guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { GroupDecisionNav } from "~/components/group-decision-nav";
import { GroupResultsView } from "~/components/group-results-view";
import { resultOptionsFrom } from "~/domain/forms/decision";
import { formatDate } from "~/domain/phases";
import { getGroupResultsWithAdvice } from "~/models/residents-vote.server";
import { getDb } from "~/utils/db.server";
import { pageFrom } from "~/utils/pagination";

const copy = {
  title: "Scoring results",
  intro:
    "How the panel scored each proposal, to guide deliberation. The panel still decides: these figures are a starting point for discussion, not the decision.",
  closed: (date: string) => `Scoring closed on ${date}.`,
  open: "Scoring is still open: figures may change as more score sheets are submitted.",
  waiting:
    "Panel members see the results once scoring has closed for the group, so that nobody's scores are influenced by anyone else's. The fund administrator closes scoring when everyone has submitted their score sheets.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, group, canDecide, canSeeScores } = await requireGroupAccess(request, params.groupId, "results.read");
  const url = new URL(request.url);
  const options = resultOptionsFrom(url.searchParams);
  const base = {
    group: { id: group.id, name: group.name, fundName: group.fund_name, scoringClosedOn: group.scoring_closed_at },
    canDecide,
    options,
  };
  // Panel members wait for scoring to close; administrators can watch the figures come in.
  if (!canSeeScores) return json({ ...base, results: null, advice: null });
  // With the residents' vote for the rows this viewer may see, once the vote has closed (null before: counts stay sealed).
  return json({ ...base, ...(await getGroupResultsWithAdvice(getDb(), user, group, options, pageFrom(url))) });
}

export default function GroupResults() {
  const { group, canDecide, options, results, advice } = useLoaderData<typeof loader>();
  return (
    <div>
      <GroupDecisionNav groupId={group.id} groupName={group.name} fundName={group.fundName} canDecide={canDecide} />
      <h1>{copy.title}</h1>
      <p className="max-w-3xl">{copy.intro}</p>
      <p className="font-semibold">{group.scoringClosedOn ? copy.closed(formatDate(group.scoringClosedOn)) : copy.open}</p>
      {results ? (
        <GroupResultsView data={results} sort={options.sort} isNormalised={options.isNormalised} advice={advice} />
      ) : (
        <p className="panel max-w-3xl">{copy.waiting}</p>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

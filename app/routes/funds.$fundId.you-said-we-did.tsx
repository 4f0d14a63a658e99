import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { can } from "~/domain/permissions";
import { formatDate } from "~/domain/phases";
import { getFundForResults } from "~/models/published-results.server";
import { listYouSaidWeDid } from "~/models/you-said-we-did.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "You said, we did",
  preview: "Preview: this fund is not public yet. Only fund administrators can see this page.",
  intro: "You told us what worked and what did not. Here is what we changed because of it.",
  none: "Nothing here yet. When we change something because of what you told us, we will say so here.",
  said: "You said",
  did: "We did",
  on: (date: string) => `Changed on ${date}`,
  fundPage: "About this fund",
  results: "Results of this fund",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title}: ${data?.fund.name ?? "Fund"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const [user, fund] = await Promise.all([getUser(request), getFundForResults(db, params.fundId ?? "")]);
  // Like the fund's page: an unpublished fund does not exist for the public; administrators may preview it.
  if (!fund || (!fund.is_published && !can(user, "fund.manage"))) throw notFound();
  const entries = await listYouSaidWeDid(db, fund.id);
  return json({ fund: { id: fund.id, name: fund.name, isPublished: fund.is_published === 1, hasResults: Boolean(fund.results_published_at) }, entries });
}

export default function YouSaidWeDidPage() {
  const { fund, entries } = useLoaderData<typeof loader>();
  return (
    <div className="max-w-3xl">
      {fund.isPublished ? null : (
        <p role="status" className="panel font-semibold">
          {copy.preview}
        </p>
      )}
      <h1>
        {copy.title}: {fund.name}
      </h1>
      <p className="text-lg">{copy.intro}</p>
      <ul className="list-none pl-0">
        <li>
          <Link to={`/funds/${fund.id}`}>{copy.fundPage}</Link>
        </li>
        {fund.hasResults ? (
          <li>
            <Link to={`/funds/${fund.id}/results`}>{copy.results}</Link>
          </li>
        ) : null}
      </ul>
      {entries.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <ul className="list-none space-y-6 pl-0">
          {entries.map((e) => (
            <li key={e.id} className="border-l-4 border-slate-300 pl-4">
              <h2 className="mt-0 text-lg">{copy.on(formatDate(e.done_on))}</h2>
              <dl>
                <dt className="font-semibold">{copy.said}</dt>
                <dd className="mb-2 whitespace-pre-line break-words">{e.you_said}</dd>
                <dt className="font-semibold">{copy.did}</dt>
                <dd className="whitespace-pre-line break-words">{e.we_did}</dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

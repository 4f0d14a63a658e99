import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { getUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pagination } from "~/components/ui/pagination";
import { StatusTag } from "~/components/ui/status-tag";
import { ideaProgress, teamHeading } from "~/domain/community-teams";
import { can } from "~/domain/permissions";
import { formatDate } from "~/domain/phases";
import { listPublicTeams } from "~/models/community-team.server";
import { getFundForResults } from "~/models/published-results.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";
import { pageFrom } from "~/utils/pagination";

const PAGE_SIZE = 10;

const copy = {
  title: "Community teams",
  preview: "Preview: this fund is not public yet. Only fund administrators can see this page.",
  intro: "Local people, paid for a set time, who find ideas with their neighbours. Here are the teams and where each idea got to.",
  none: "This fund has no community teams.",
  term: (from: string, to: string) => `Paid term: ${from} to ${to}`,
  ideas: "Ideas",
  noIdeas: "No ideas yet.",
  fundPage: "About this fund",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title}: ${data?.fund.name ?? "Fund"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const [user, fund] = await Promise.all([getUser(request), getFundForResults(db, params.fundId ?? "")]);
  // Like the fund's page: an unpublished fund does not exist for the public; administrators may preview it.
  if (!fund || (!fund.is_published && !can(user, "fund.manage"))) throw notFound();
  const page = pageFrom(new URL(request.url));
  const teams = await listPublicTeams(db, fund.id, page, PAGE_SIZE);
  const today = new Date().toISOString().slice(0, 10);
  return json({
    fund: { id: fund.id, name: fund.name, isPublished: fund.is_published === 1 },
    page,
    total: teams.total,
    teams: teams.rows.map((t) => ({
      ...teamHeading(t, today, formatDate),
      ideas: t.ideas.map((i) => ({ id: i.id, title: i.title, progress: ideaProgress(i.status, i.proposalStatus) })),
    })),
  });
}

export default function PublicTeams() {
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <div className="max-w-3xl">
      {data.fund.isPublished ? null : (
        <p role="status" className="panel font-semibold">
          {copy.preview}
        </p>
      )}
      <h1>
        {copy.title}: {data.fund.name}
      </h1>
      <p className="text-lg">{copy.intro}</p>
      <p>
        <Link to={`/funds/${data.fund.id}`}>{copy.fundPage}</Link>
      </p>
      {data.teams.length === 0 ? <p>{copy.none}</p> : null}
      {data.teams.map(({ team, term, ideas }) => (
        <section key={team.id} aria-labelledby={`team-${team.id}`} className="mb-8 border-l-4 border-slate-300 pl-4">
          <h2 id={`team-${team.id}`} className="mt-0">
            {team.name}
          </h2>
          <p className="mb-1">{team.area}</p>
          <p>
            {copy.term(term.from, term.to)} <StatusTag tone={term.tone}>{term.label}</StatusTag>
          </p>
          <h3>{copy.ideas}</h3>
          {ideas.length === 0 ? (
            <p>{copy.noIdeas}</p>
          ) : (
            <ul className="list-none space-y-2 pl-0">
              {ideas.map((i) => (
                <li key={i.id}>
                  {i.title} <StatusTag tone={i.progress.tone}>{i.progress.label}</StatusTag>
                  {i.progress.proposalLabel ? <span className="ml-2">{i.progress.proposalLabel}</span> : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
      <Pagination page={data.page} pageSize={PAGE_SIZE} total={data.total} search={location.search} />
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

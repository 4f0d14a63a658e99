import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { getUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundedProjectsTable } from "~/components/funded-projects-table";
import { Pagination } from "~/components/ui/pagination";
import { formatPence } from "~/domain/money";
import { can } from "~/domain/permissions";
import { formatDate } from "~/domain/phases";
import { pageOf, requestedPage, RESULTS_PAGE_SIZE } from "~/domain/results-snapshot";
import { getResultsHead } from "~/models/results-snapshot.server";
import { resultsToShow } from "~/services/results-snapshot.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: (fund: string) => `Results: ${fund}`,
  preview: "Preview: these results are not public yet. Only fund administrators can see this page.",
  published: (date: string) => `Published on ${date}.`,
  intro:
    "Who got money, how much, and why. Panels of local people made the decisions: residents, councillors and people from local charities. We never publish each person's scores, or who gave which score.",
  fundTotals: "The fund in numbers",
  budget: "Total budget",
  pots: "Money in the groups' pots",
  fundedTotal: "Total funded",
  received: "Proposals sent in",
  eligible: "Met the rules",
  fundedCount: "Funded",
  groups: "Decision groups",
  groupsIntro: "Each group's page has its funded projects, its panel, the interests its members declared and the minutes of its meetings.",
  groupsCaption: "Money and proposals in each decision group",
  groupColumns: ["Decision group", "Area or community", "Pot", "Money given", "Proposals sent in", "Projects funded"],
  departed: (n: number) => `${n} ${n === 1 ? "decision" : "decisions"} went against the panel's vote or the allocation. The group's page says why.`,
  fundedProjects: "Funded projects",
  fundedCaption: (page: number, pages: number) => `Funded projects, with amounts and the panel's reasons (page ${page} of ${pages})`,
  columns: ["Reference", "Project", "Community group", "Decision group", "Amount", "The panel's reason"],
  showing: (from: number, to: number, total: number) => `Projects ${from} to ${to} of ${total}.`,
  noneFunded: "No projects have been funded yet.",
  noPage: (page: number, pages: number) => `There is no page ${page} of funded projects. There ${pages === 1 ? "is 1 page" : `are ${pages} pages`}.`,
  firstPage: "Go to the first page of funded projects",
  noGroups: "This fund has no decision groups.",
  fundPage: "About this fund",
  youSaidWeDid: "You said, we did: what we changed because of what you told us",
  openDataJson: "Open data: 360Giving JSON file",
  openDataCsv: "Open data: 360Giving CSV file",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? copy.title(data.fund.name) : "Results"} – Community Grant Decisions` }];

/**
 * The fund's results in summary: its totals, one row per decision group, and
 * one page of funded projects (?page=N). Each group's page has the rest. Once
 * published, read from the snapshot taken at publishing (docs/decisions/0035).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const [user, head] = await Promise.all([getUser(request), getResultsHead(db, params.fundId ?? "")]);
  // Unpublished results do not exist for the public; administrators may preview them.
  if (!head || (!head.results_published_at && !can(user, "fund.manage"))) throw notFound();
  const results = await resultsToShow(db, head);
  if (!results) throw notFound();
  const projects = pageOf(
    results.groups.flatMap((g) => g.funded.map((p) => ({ ...p, group: g.name }))),
    requestedPage(new URL(request.url).searchParams.get("page")),
  );
  return json(
    {
      fund: {
        id: head.id,
        name: results.fund.name,
        budgetPence: results.fund.budgetPence,
        publishedAt: head.results_published_at,
        isPublicFund: head.is_published === 1,
      },
      totals: results.totals,
      groups: results.groups.map((g) => ({
        id: g.id,
        name: g.name,
        area: g.area,
        potPence: g.potPence,
        fundedPence: g.fundedPence,
        counts: { received: g.counts.received, funded: g.counts.funded },
      })),
      departedCount: results.groups.reduce((n, g) => n + g.departed.length, 0),
      projects,
      // The 360Giving files list accepted and closed awards only, and answer 404 without one.
      hasOpenData: Number(head.has_open_data) > 0,
    },
    // A page that does not exist still shows the summary, with a link to the first page.
    { status: projects.isOutOfRange ? 404 : 200 },
  );
}

export default function PublishedResults() {
  const { fund, totals, groups, departedCount, projects, hasOpenData } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const from = (projects.page - 1) * RESULTS_PAGE_SIZE + 1;
  return (
    <div className="max-w-4xl">
      {fund.publishedAt ? null : (
        <p role="status" className="panel font-semibold">
          {copy.preview}
        </p>
      )}
      <h1>{copy.title(fund.name)}</h1>
      {fund.publishedAt ? <p className="text-slate-700">{copy.published(formatDate(fund.publishedAt))}</p> : null}
      <p className="text-lg">{copy.intro}</p>
      {fund.isPublicFund ? (
        <ul className="list-disc pl-6">
          <li>
            <Link to={`/funds/${fund.id}`}>{copy.fundPage}</Link>
          </li>
          <li>
            <Link to={`/funds/${fund.id}/you-said-we-did`}>{copy.youSaidWeDid}</Link>
          </li>
          {hasOpenData ? (
            <>
              <li>
                <a href={`/funds/${fund.id}/360giving.json`}>{copy.openDataJson}</a>
              </li>
              <li>
                <a href={`/funds/${fund.id}/360giving.csv`}>{copy.openDataCsv}</a>
              </li>
            </>
          ) : null}
        </ul>
      ) : null}

      <h2>{copy.fundTotals}</h2>
      <dl className="mb-6 grid grid-cols-1 gap-x-6 sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold">{copy.budget}</dt>
        <dd className="mb-1">{formatPence(fund.budgetPence)}</dd>
        <dt className="font-semibold">{copy.pots}</dt>
        <dd className="mb-1">{formatPence(totals.potsPence)}</dd>
        <dt className="font-semibold">{copy.fundedTotal}</dt>
        <dd className="mb-1">{formatPence(totals.fundedPence)}</dd>
        <dt className="font-semibold">{copy.received}</dt>
        <dd className="mb-1">{totals.received}</dd>
        <dt className="font-semibold">{copy.eligible}</dt>
        <dd className="mb-1">{totals.eligible}</dd>
        <dt className="font-semibold">{copy.fundedCount}</dt>
        <dd className="mb-1">{totals.funded}</dd>
      </dl>

      <h2>{copy.groups}</h2>
      {groups.length === 0 ? (
        <p>{copy.noGroups}</p>
      ) : (
        <>
          <p>{copy.groupsIntro}</p>
          <div role="region" aria-label={copy.groupsCaption} tabIndex={0} className="relative overflow-x-auto">
            <table className="table">
              <caption className="sr-only">{copy.groupsCaption}</caption>
              <thead>
                <tr>
                  {copy.groupColumns.map((c) => (
                    <th key={c} scope="col">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {groups.map((g) => (
                  <tr key={g.id}>
                    <th scope="row" className="font-normal">
                      <Link to={`/funds/${fund.id}/results/${g.id}`}>{g.name}</Link>
                    </th>
                    <td>{g.area}</td>
                    <td className="whitespace-nowrap">{formatPence(g.potPence)}</td>
                    <td className="whitespace-nowrap">{formatPence(g.fundedPence)}</td>
                    <td>{g.counts.received}</td>
                    <td>{g.counts.funded}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {departedCount > 0 ? <p className="mt-4">{copy.departed(departedCount)}</p> : null}

      <h2 id="funded">{copy.fundedProjects}</h2>
      {projects.isOutOfRange ? (
        <div role="status" className="panel">
          <p>{copy.noPage(projects.page, projects.pageCount)}</p>
          <p>
            <Link to="?page=1">{copy.firstPage}</Link>
          </p>
        </div>
      ) : projects.total === 0 ? (
        <p>{copy.noneFunded}</p>
      ) : (
        <>
          <p>{copy.showing(from, from + projects.items.length - 1, projects.total)}</p>
          <FundedProjectsTable caption={copy.fundedCaption(projects.page, projects.pageCount)} columns={copy.columns} projects={projects.items} />
          <Pagination page={projects.page} pageSize={RESULTS_PAGE_SIZE} total={projects.total} search={search} />
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

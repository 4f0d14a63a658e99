import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pagination } from "~/components/ui/pagination";
import { FUND_TYPE_HINTS, FUND_TYPE_LABELS } from "~/domain/fund";
import { formatPence } from "~/domain/money";
import { formatDate, submissionWindow } from "~/domain/phases";
import { publicFundLinks, type PublicLinkKey } from "~/domain/public-links";
import { listPublishedFunds } from "~/models/fund.server";
import { getFundPublications } from "~/models/public-links.server";
import { getDb } from "~/utils/db.server";
import { pageFrom } from "~/utils/pagination";

const PAGE_SIZE = 20;

const copy = {
  title: "Funds",
  intro:
    "Community groups can ask these funds for money. Each fund is split into decision groups, one for each area or community. A lead organisation near you helps you write a proposal. Then a panel of local people decides.",
  none: "No funds are open just now. Check again later.",
  type: "Type",
  budget: "Total budget",
  closes: "Proposals close",
  noDate: "No date yet",
  published: "Decisions and feedback",
  links: {
    results: "Results: who was funded and why",
    minutes: "Minutes of the panel meetings",
    json: "Open data: 360Giving JSON file",
    csv: "Open data: 360Giving CSV file",
    youSaidWeDid: "You said, we did",
  } satisfies Record<PublicLinkKey, string>,
  linksFor: (fund: string) => `Decisions and feedback for ${fund}`,
  window: {
    not_open: (opens: string) => (opens ? `Opens for proposals on ${opens}` : "Not open for proposals yet"),
    open: () => "Open for proposals",
    closed: () => "Closed for proposals",
  },
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const page = pageFrom(new URL(request.url));
  const funds = await listPublishedFunds(getDb(), page, PAGE_SIZE);
  const publications = await getFundPublications(
    getDb(),
    funds.rows.map((f) => f.id),
  );
  const now = new Date();
  const linksOf = (id: string) => {
    const p = publications.get(id);
    return p ? publicFundLinks(id, p) : [];
  };
  return json({ funds: { ...funds, rows: funds.rows.map((f) => ({ ...f, window: submissionWindow(f, now), links: linksOf(f.id) })) }, page });
}

export default function PublicFunds() {
  const { funds, page } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <div className="max-w-3xl">
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      {funds.rows.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <ul className="space-y-8">
          {funds.rows.map((f) => (
            <li key={f.id} className="border-t-2 border-slate-300 pt-4">
              <h2 className="mt-0">
                <Link to={`/funds/${f.id}`}>{f.name}</Link>
              </h2>
              <p className="tag mb-2">{copy.window[f.window](formatDate(f.opens_on))}</p>
              <p className="whitespace-pre-line">{f.purpose}</p>
              <dl className="grid grid-cols-1 gap-x-6 sm:grid-cols-[max-content_1fr]">
                <dt className="font-semibold">{copy.type}</dt>
                <dd className="mb-1">
                  {FUND_TYPE_LABELS[f.type]}: {FUND_TYPE_HINTS[f.type].toLowerCase()}
                </dd>
                <dt className="font-semibold">{copy.budget}</dt>
                <dd className="mb-1">{formatPence(f.budget_pence)}</dd>
                <dt className="font-semibold">{copy.closes}</dt>
                <dd className="mb-1">{formatDate(f.closes_on) || copy.noDate}</dd>
              </dl>
              {f.links.length ? (
                <nav aria-label={copy.linksFor(f.name)}>
                  <h3 className="mb-1 text-base">{copy.published}</h3>
                  <ul className="list-disc pl-6">
                    {f.links.map((l) => (
                      <li key={l.key}>
                        <a href={l.href}>{copy.links[l.key]}</a>
                      </li>
                    ))}
                  </ul>
                </nav>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pageSize={PAGE_SIZE} total={funds.total} search={location.search} />
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

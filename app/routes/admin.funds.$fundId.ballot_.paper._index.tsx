import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { requireOpenedBallotWork } from "~/auth/paper-ballot-guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundAdminNav } from "~/components/fund-admin-nav";
import { DataTable } from "~/components/ui/data-table";
import { Pagination } from "~/components/ui/pagination";
import { formatUkDateTime } from "~/domain/community-ballot";
import { CHANNEL_LABELS, VENUE_FIGURE_LABELS, venueFigures } from "~/domain/paper-ballots";
import { getVenueReconciliation, listBallotFlags, listOpenPapers, PAPER_LIST_PAGE_SIZE } from "~/models/paper-ballots.server";
import { pageFrom } from "~/utils/pagination";

const copy = {
  title: "Paper ballots",
  intro:
    "Two different people key each paper ballot, each on their own. When their keyings agree, the ballot is counted for the voter code printed on it. When they differ, the paper waits below until a third person keys it, or an administrator who keyed neither chooses the right keying.",
  key: "Key a paper ballot",
  venues: "Venues and papers handed out",
  csv: "Download the venue figures (CSV)",
  participation: "Who took part",
  back: "Community vote set-up",
  reconciliation: "Venues: papers issued, returned and keyed",
  noVenues: "No venues yet. Add the venues that hand out paper ballots first.",
  problems: "Figures to check",
  mismatches: "Keyings that differ: to resolve",
  noMismatches: "None. Every paper keyed twice so far has matching keyings.",
  resolve: (venue: string, at: string) => `Paper from ${venue}, first keyed ${at}`,
  waiting: "Keyed once: waiting for a second person",
  noWaiting: "None.",
  waitingRow: (venue: string, at: string) => `Paper from ${venue}, keyed ${at}`,
  flags: "Flagged ballots: refused as a second vote",
  flagsIntro: "Each person has one counted ballot. A ballot from a voter code that already had a counted one is refused and listed here.",
  noFlags: "None.",
  flagColumns: ["When", "Channel", "Venue", "Why"],
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title}: ${data?.fund.name ?? "Fund"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, fund, ballot } = await requireOpenedBallotWork(request, params.fundId);
  const url = new URL(request.url);
  const [reconciliation, mismatches, waiting, flags] = await Promise.all([
    getVenueReconciliation(db, ballot.id),
    listOpenPapers(db, ballot.id, "mismatch", pageFrom(url, "mismatches")),
    listOpenPapers(db, ballot.id, "waiting", pageFrom(url, "waiting")),
    listBallotFlags(db, ballot.id, pageFrom(url, "flags")),
  ]);
  return json({
    fund,
    reconciliation,
    mismatches,
    waiting,
    flags,
    pages: { mismatches: pageFrom(url, "mismatches"), waiting: pageFrom(url, "waiting"), flags: pageFrom(url, "flags") },
  });
}

export default function PaperBallots() {
  const { fund, reconciliation, mismatches, waiting, flags, pages } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const base = `/admin/funds/${fund.id}/ballot`;
  return (
    <div className="max-w-5xl">
      <FundAdminNav fundId={fund.id} fundName={fund.name} />
      <p>
        <Link to={base}>{copy.back}</Link>
      </p>
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <ul className="mb-6 flex flex-wrap gap-x-6 gap-y-2">
        <li>
          <Link to={`${base}/paper/key`} className="btn">
            {copy.key}
          </Link>
        </li>
        <li>
          <Link to={`${base}/paper/venues`}>{copy.venues}</Link>
        </li>
        <li>
          <a href={`${base}/paper.csv`} download>
            {copy.csv}
          </a>
        </li>
        <li>
          <Link to={`${base}/participation`}>{copy.participation}</Link>
        </li>
      </ul>

      <h2>{copy.reconciliation}</h2>
      {reconciliation.lines.length === 0 ? (
        <p>{copy.noVenues}</p>
      ) : (
        <DataTable caption={copy.reconciliation} columns={["Venue", ...VENUE_FIGURE_LABELS]}>
          {[...reconciliation.lines, reconciliation.totals].map((l) => (
            <tr key={l.id} className={l.id === "total" ? "font-bold" : undefined}>
              <th scope="row" className="text-left">
                {l.name}
              </th>
              {venueFigures(l).map((n, i) => (
                <td key={VENUE_FIGURE_LABELS[i]} className="text-right">
                  {n}
                </td>
              ))}
            </tr>
          ))}
        </DataTable>
      )}
      {reconciliation.totals.problems.length ? (
        <div className="panel mt-4">
          <h3>{copy.problems}</h3>
          <ul className="list-disc pl-6">
            {reconciliation.totals.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <h2 id="mismatches">{copy.mismatches}</h2>
      {mismatches.total === 0 ? (
        <p>{copy.noMismatches}</p>
      ) : (
        <ul className="list-disc pl-6">
          {mismatches.rows.map((p) => (
            <li key={p.id}>
              <Link to={`${base}/paper/${p.id}`}>{copy.resolve(p.venueName, formatUkDateTime(p.createdAt))}</Link>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={pages.mismatches} pageSize={PAPER_LIST_PAGE_SIZE} total={mismatches.total} search={search} param="mismatches" label={copy.mismatches} />

      <h2>{copy.waiting}</h2>
      {waiting.total === 0 ? (
        <p>{copy.noWaiting}</p>
      ) : (
        <ul className="list-disc pl-6">
          {waiting.rows.map((p) => (
            <li key={p.id}>{copy.waitingRow(p.venueName, formatUkDateTime(p.createdAt))}</li>
          ))}
        </ul>
      )}
      <Pagination page={pages.waiting} pageSize={PAPER_LIST_PAGE_SIZE} total={waiting.total} search={search} param="waiting" label={copy.waiting} />

      <h2>{copy.flags}</h2>
      <p>{copy.flagsIntro}</p>
      {flags.total === 0 ? (
        <p>{copy.noFlags}</p>
      ) : (
        <DataTable caption={copy.flags} columns={copy.flagColumns}>
          {flags.rows.map((f) => (
            <tr key={f.id}>
              <td>{formatUkDateTime(f.createdAt)}</td>
              <td>{CHANNEL_LABELS[f.channel]}</td>
              <td>{f.venueName ?? "–"}</td>
              <td>{f.reason}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pagination page={pages.flags} pageSize={PAPER_LIST_PAGE_SIZE} total={flags.total} search={search} param="flags" label={copy.flags} />
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

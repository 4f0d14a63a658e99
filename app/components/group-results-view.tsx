import { Form, useLocation } from "@remix-run/react";
import { Pagination } from "~/components/ui/pagination";
import type { ResultSort } from "~/domain/forms/decision";
import type { AdviceView } from "~/domain/panel-and-residents";

export interface ResultRowView {
  id: string;
  reference: string;
  title: string;
  statusLabel: string;
  scorerCount: number;
  mean: number | null;
  median: number | null;
  minimum: number | null;
  maximum: number | null;
  standardDeviation: number | null;
  meanPercent: number | null;
  normalisedScore: number | null;
  totals: number[];
}

export interface GroupResultsData {
  rows: ResultRowView[];
  rule: string;
  hiddenCount: number;
  leftOutSheets: number;
  hasCriteria: boolean;
  maximumTotal: number;
  criteria: { name: string; weight: number }[];
  normalisedLabel: string;
  normalisedExplanation: string;
  standardDeviationDefinition: string;
  /** Which page of the proposals the rows are (every row is on page 1 of 1 when the page is not paged). */
  paging?: { page: number; pageCount: number; pageSize: number; total: number; askedPage: number };
}

const copy = {
  options: "Sort and adjust",
  sort: "Sort proposals by",
  sorts: { score: "Score, highest first", disagreement: "Disagreement between scorers, most first" } as Record<ResultSort, string>,
  normalise: "Show the normalised score (adjusted for harsh and lenient scorers)",
  apply: "Update the results",
  onlySubmitted: "Only submitted score sheets count. Drafts are left out.",
  weighted: (max: number) =>
    `Each scorer's weighted total is the sum of their mark for each criterion times its weight, out of ${formatNumber(max)}. The statistics below describe those totals for each proposal.`,
  criteria: "Criteria and weights",
  hidden: (n: number) => `${n} ${n === 1 ? "proposal is" : "proposals are"} not shown because you declared an interest in ${n === 1 ? "it" : "them"}.`,
  leftOut: (n: number) =>
    `${n} submitted score ${n === 1 ? "sheet does" : "sheets do"} not mark every current criterion within the scale, so ${n === 1 ? "it is" : "they are"} left out of the figures.`,
  noCriteria: "This fund has no scoring criteria yet, so there are no scores to show.",
  none: "There are no proposals at the panel stage in this group yet.",
  caption: "Score statistics for each proposal",
  region: "Score statistics table",
  columns: {
    reference: "Reference",
    proposal: "Proposal",
    status: "Status",
    scorers: "Number of scorers",
    mean: "Mean",
    median: "Median",
    minimum: "Lowest",
    maximum: "Highest",
    sd: "Standard deviation",
    totals: "Each scorer's weighted total (lowest first)",
  },
  notScored: "Not scored yet",
  distribution: "Score distribution",
  distributionIntro: (max: number) =>
    `For each proposal: the line runs from the lowest to the highest weighted total, each circle is one scorer's total and the diamond is the mean. The axis runs from 0 to ${formatNumber(max)}. The same numbers are in the table above.`,
  totalsText: (totals: number[], max: number) => `Weighted totals: ${totals.map(formatNumber).join(", ")} (out of ${formatNumber(max)})`,
  chartLabel: (row: ResultRowView, max: number) =>
    row.scorerCount === 0
      ? `${row.reference}: not scored yet`
      : `${row.reference}: ${row.scorerCount} ${row.scorerCount === 1 ? "scorer" : "scorers"}, weighted totals from ${formatNumber(row.minimum)} to ${formatNumber(row.maximum)} out of ${formatNumber(max)}, mean ${formatNumber(row.mean)}`,
  meanMarker: (mean: number | null) => `Mean ${formatNumber(mean)}`,
  normalisedNote: "Normalised scores are z-scores: 0 is an average proposal for its scorers, positive is better than their average, negative worse.",
  anonymous: "No scorer is named on this page. Individual totals are listed lowest first, so they cannot be matched to a person.",
  showing: (from: number, to: number, total: number) => `Showing proposals ${from} to ${to} of ${total}, in the order above.`,
  noSuchPage: (asked: number, page: number) => `There is no page ${asked}. This is page ${page}, the last one.`,
};

/** One decimal place, or a dash when there is no value. */
export function formatNumber(value: number | null | undefined, places = 1): string {
  if (value === null || value === undefined) return "–";
  return Number.isInteger(value) ? String(value) : value.toFixed(places);
}

const formatZ = (value: number | null) => (value === null ? "–" : `${value > 0 ? "+" : value < 0 ? "−" : ""}${Math.abs(value).toFixed(2)}`);

const CHART = { width: 260, height: 54, left: 12, right: 248, lineY: 18, axisY: 36 };

const DOT_RADIUS = 4;

/** Every scorer's dot as one path of circles (two arcs each), so a page weighs the same per proposal however many scored it. */
export function dotsPath(xs: readonly number[], y: number): string {
  const r = DOT_RADIUS;
  return xs.map((cx) => `M ${cx - r} ${y} a ${r} ${r} 0 1 0 ${2 * r} 0 a ${r} ${r} 0 1 0 ${-2 * r} 0`).join(" ");
}

/** The distribution of one proposal's weighted totals, readable without colour: shapes, a labelled axis and the numbers in text. */
export function ScoreChart({ row, maximumTotal }: { row: ResultRowView; maximumTotal: number }) {
  const x = (v: number) => CHART.left + (maximumTotal > 0 ? (v / maximumTotal) * (CHART.right - CHART.left) : 0);
  const label = copy.chartLabel(row, maximumTotal);
  const titleId = `chart-${row.id}-title`;
  return (
    <svg role="img" aria-labelledby={titleId} width={CHART.width} height={CHART.height} viewBox={`0 0 ${CHART.width} ${CHART.height}`} className="max-w-full">
      <title id={titleId}>{label}</title>
      <line x1={CHART.left} x2={CHART.right} y1={CHART.axisY} y2={CHART.axisY} stroke="currentColor" strokeWidth={1} />
      {[0, maximumTotal / 2, maximumTotal].map((tick) => (
        <g key={tick}>
          <line x1={x(tick)} x2={x(tick)} y1={CHART.axisY} y2={CHART.axisY + 4} stroke="currentColor" />
          <text x={x(tick)} y={CHART.axisY + 15} fontSize={11} textAnchor="middle" fill="currentColor">
            {formatNumber(tick)}
          </text>
        </g>
      ))}
      {row.minimum !== null && row.maximum !== null ? (
        <line x1={x(row.minimum)} x2={x(row.maximum)} y1={CHART.lineY} y2={CHART.lineY} stroke="currentColor" strokeWidth={3} />
      ) : null}
      {row.totals.length ? <path d={dotsPath(row.totals.map(x), CHART.lineY)} fill="white" stroke="currentColor" strokeWidth={1.5} /> : null}
      {row.mean !== null ? (
        <path d={`M ${x(row.mean)} ${CHART.lineY - 8} l 6 8 l -6 8 l -6 -8 z`} fill="currentColor" aria-label={copy.meanMarker(row.mean)}>
          <title>{copy.meanMarker(row.mean)}</title>
        </path>
      ) : null}
    </svg>
  );
}

/** The residents' vote shown to the panel as advice (ballot_advises_panel, after the close), labelled as advice. */
export function ResidentsVoteNote({ advice }: { advice: AdviceView }) {
  return (
    <div className="panel max-w-3xl" role="note" aria-label={advice.label}>
      <p className="mb-1 font-semibold">{advice.label}</p>
      <p className="mb-0">{advice.intro}</p>
    </div>
  );
}

/**
 * The results of a decision group's scoring: sort form, statistics table and
 * distribution charts; with `advice`, the residents' vote in a column beside the scores.
 */
export function GroupResultsView({
  data,
  sort,
  isNormalised,
  advice = null,
}: {
  data: GroupResultsData;
  sort: ResultSort;
  isNormalised: boolean;
  advice?: AdviceView | null;
}) {
  const { search } = useLocation();
  const paging = data.paging;
  return (
    <>
      <Form method="get" className="mb-6 border-2 border-slate-300 p-4">
        <h2 className="mt-0">{copy.options}</h2>
        <div className="mb-4">
          <label htmlFor="sort" className="mb-1 block font-semibold">
            {copy.sort}
          </label>
          <select id="sort" name="sort" defaultValue={sort} className="input">
            {(Object.keys(copy.sorts) as ResultSort[]).map((s) => (
              <option key={s} value={s}>
                {copy.sorts[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="mb-4 flex items-start gap-2">
          <input type="checkbox" id="normalised" name="normalised" value="1" defaultChecked={isNormalised} className="mt-0.5 h-6 w-6 shrink-0" />
          <label htmlFor="normalised">{copy.normalise}</label>
        </div>
        <button type="submit" className="btn">
          {copy.apply}
        </button>
      </Form>

      <p>{copy.onlySubmitted}</p>
      {data.hasCriteria ? <p>{copy.weighted(data.maximumTotal)}</p> : <p className="panel">{copy.noCriteria}</p>}
      {data.criteria.length ? (
        <details className="mb-4">
          <summary className="cursor-pointer font-semibold">{copy.criteria}</summary>
          <ul className="list-disc pl-6">
            {data.criteria.map((c) => (
              <li key={c.name}>
                {c.name}: weight {c.weight}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <p className="font-semibold">{data.rule}</p>
      <p>{data.standardDeviationDefinition}</p>
      {isNormalised ? (
        <div className="panel">
          <p className="mb-1 font-semibold">{data.normalisedLabel}</p>
          <p className="mb-1">{data.normalisedExplanation}</p>
          <p className="mb-0">{copy.normalisedNote}</p>
        </div>
      ) : null}
      {advice ? <ResidentsVoteNote advice={advice} /> : null}
      {data.hiddenCount ? <p role="note">{copy.hidden(data.hiddenCount)}</p> : null}
      {data.leftOutSheets ? <p role="note">{copy.leftOut(data.leftOutSheets)}</p> : null}
      <p>{copy.anonymous}</p>

      {data.rows.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <>
          {paging && paging.askedPage > paging.pageCount ? (
            <p role="status" className="panel">
              {copy.noSuchPage(paging.askedPage, paging.page)}
            </p>
          ) : null}
          {paging && paging.pageCount > 1 ? (
            <p>{copy.showing((paging.page - 1) * paging.pageSize + 1, (paging.page - 1) * paging.pageSize + data.rows.length, paging.total)}</p>
          ) : null}
          <div role="region" aria-label={copy.region} tabIndex={0} className="relative overflow-x-auto">
            <table className="table">
              <caption className="sr-only">{copy.caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{copy.columns.reference}</th>
                  <th scope="col">{copy.columns.proposal}</th>
                  <th scope="col">{copy.columns.status}</th>
                  <th scope="col">{copy.columns.scorers}</th>
                  <th scope="col">{copy.columns.mean}</th>
                  <th scope="col">{copy.columns.median}</th>
                  <th scope="col">{copy.columns.minimum}</th>
                  <th scope="col">{copy.columns.maximum}</th>
                  <th scope="col">{copy.columns.sd}</th>
                  {isNormalised ? <th scope="col">{data.normalisedLabel}</th> : null}
                  <th scope="col">{copy.columns.totals}</th>
                  {advice ? <th scope="col">{advice.label}</th> : null}
                </tr>
              </thead>
              <tbody>
                {data.rows.map((row) => (
                  <tr key={row.id}>
                    <td className="whitespace-nowrap">{row.reference}</td>
                    <th scope="row" className="font-normal">
                      {row.title || row.reference}
                    </th>
                    <td>{row.statusLabel}</td>
                    <td>{row.scorerCount}</td>
                    <td>{formatNumber(row.mean)}</td>
                    <td>{formatNumber(row.median)}</td>
                    <td>{formatNumber(row.minimum)}</td>
                    <td>{formatNumber(row.maximum)}</td>
                    <td>{formatNumber(row.standardDeviation, 2)}</td>
                    {isNormalised ? <td className="whitespace-nowrap">{formatZ(row.normalisedScore)}</td> : null}
                    <td>{row.scorerCount ? row.totals.map((t) => formatNumber(t)).join(", ") : copy.notScored}</td>
                    {advice ? <td>{advice.byProposal[row.id]}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {paging ? <Pagination page={paging.page} pageSize={paging.pageSize} total={paging.total} search={search} /> : null}

          <h2>{copy.distribution}</h2>
          <p>{copy.distributionIntro(data.maximumTotal)}</p>
          <ul className="list-none space-y-4 pl-0">
            {data.rows.map((row) => (
              <li key={row.id} className="border-l-4 border-slate-300 pl-3">
                <p className="mb-1 font-semibold">
                  {row.reference} {row.title}
                </p>
                <p className="mb-1">{row.scorerCount ? copy.totalsText(row.totals, data.maximumTotal) : copy.notScored}</p>
                {row.scorerCount ? <ScoreChart row={row} maximumTotal={data.maximumTotal} /> : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

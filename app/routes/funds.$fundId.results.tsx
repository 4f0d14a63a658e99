import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getUser } from "~/auth/guards.server";
import { listDepartedDecisions } from "~/models/decision-departures.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { OUTCOME_LABELS } from "~/domain/decisions";
import { formatPence } from "~/domain/money";
import { can } from "~/domain/permissions";
import { formatDate } from "~/domain/phases";
import { CONSTITUENCIES, CONSTITUENCY_LABELS } from "~/domain/roles";
import { areResultsPublished, getFundForResults, getPublishedResults } from "~/models/published-results.server";
import { getFundPublications } from "~/models/public-links.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: (fund: string) => `Results: ${fund}`,
  preview: "Preview: these results are not public yet. Only fund administrators can see this page.",
  published: (date: string) => `Published on ${date}.`,
  intro:
    "Who got money, how much, and why. Panels of local people made the decisions: residents, councillors and people from local charities. We never publish each person's scores, or who gave which score.",
  fundTotals: "The fund in numbers",
  fundCaption: "Totals for the whole fund",
  budget: "Total budget",
  pots: "Money in the groups' pots",
  fundedTotal: "Total funded",
  received: "Proposals sent in",
  eligible: "Met the rules",
  fundedCount: "Funded",
  notFunded: "Not funded",
  reserve: "On the reserve list",
  area: "Area or community",
  pot: "Pot",
  spent: "Funded",
  left: "Not given out yet",
  countsCaption: (group: string) => `Proposals in ${group}`,
  fundedProjects: "Funded projects",
  fundedCaption: (group: string) => `Projects funded by ${group}, with amounts and the panel's reasons`,
  columns: ["Reference", "Project", "Community group", "Amount", "The panel's reason"],
  total: "Total",
  noneFunded: "No projects have been funded by this group yet.",
  panel: "The decision panel",
  panelCaption: (group: string) => `Members of the ${group} panel by constituency`,
  constituency: "Type of member",
  members: "Members",
  panelTotal: (n: number) => `${n} ${n === 1 ? "member" : "members"} in all.`,
  named: "Members who agreed to be named:",
  chair: "chair",
  noNames: "No members have agreed to be named.",
  minutes: "Minutes of meetings",
  declarations: "Interests declared",
  declarationsNone: "No member of this panel declared an interest.",
  noMinutes: "No meeting minutes have been published for this group yet.",
  noMinutesText: "No minutes were written for this meeting.",
  noGroups: "This fund has no decision groups.",
  fundPage: "About this fund",
  departed: "Decisions that went against the vote or the allocation",
  departedIntro: "These decisions went against the panel's vote or the allocation the group chose. Each one had to give a reason. You can read it here.",
  departedItem: (reference: string, title: string, outcome: string) => `${reference}${title ? `, ${title}` : ""}: ${outcome}. `,
  departedWhy: "Why: ",
  minutesDeparted: "Decisions that went against this meeting's vote:",
  youSaidWeDid: "You said, we did: what we changed because of what you told us",
  openDataJson: "Open data: 360Giving JSON file",
  openDataCsv: "Open data: 360Giving CSV file",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? copy.title(data.fund.name) : "Results"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const [user, fund] = await Promise.all([getUser(request), getFundForResults(db, params.fundId ?? "")]);
  // Unpublished results do not exist for the public; administrators may preview them.
  if (!fund || (!areResultsPublished(fund) && !can(user, "fund.manage"))) throw notFound();
  const [groups, publications, departed] = await Promise.all([
    getPublishedResults(db, fund.id),
    getFundPublications(db, [fund.id]),
    listDepartedDecisions(db, fund.id),
  ]);
  const sum = (f: (g: (typeof groups)[number]) => number) => groups.reduce((total, g) => total + f(g), 0);
  return json({
    fund: { id: fund.id, name: fund.name, budgetPence: fund.budget_pence, publishedAt: fund.results_published_at, isPublicFund: fund.is_published === 1 },
    totals: {
      potsPence: sum((g) => g.potPence),
      fundedPence: sum((g) => g.fundedPence),
      received: sum((g) => g.counts.received),
      eligible: sum((g) => g.counts.eligible),
      funded: sum((g) => g.counts.funded),
    },
    groups,
    // The 360Giving files list accepted and closed awards only, and answer 404 without one.
    hasOpenData: (publications.get(fund.id)?.openDataAwards ?? 0) > 0,
    departed: departed.map((d) => ({
      id: d.proposalId,
      groupId: d.decisionGroupId,
      meetingId: d.meetingId,
      label: copy.departedItem(d.reference, d.title, OUTCOME_LABELS[d.outcome].toLowerCase()),
      departures: d.departures,
      reason: d.departureReason,
    })),
  });
}

function DepartedList({ items }: { items: { id: string; label: string; departures: { from: string; text: string }[]; reason: string }[] }) {
  return (
    <ul className="list-disc space-y-2 pl-6">
      {items.map((d) => (
        <li key={d.id}>
          <strong>{d.label}</strong>
          {d.departures.map((x) => x.text).join(" ")} <strong>{copy.departedWhy}</strong>
          {d.reason}
        </li>
      ))}
    </ul>
  );
}

export default function PublishedResults() {
  const { fund, totals, groups, hasOpenData, departed } = useLoaderData<typeof loader>();
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

      {groups.length === 0 ? <p>{copy.noGroups}</p> : null}
      {groups.map((g) => (
        <section key={g.id} aria-labelledby={`group-${g.id}`} className="mt-10 border-t-4 border-slate-300 pt-2">
          <h2 id={`group-${g.id}`}>{g.name}</h2>
          <dl className="mb-4 grid grid-cols-1 gap-x-6 sm:grid-cols-[max-content_1fr]">
            <dt className="font-semibold">{copy.area}</dt>
            <dd className="mb-1">{g.area}</dd>
            <dt className="font-semibold">{copy.pot}</dt>
            <dd className="mb-1">{formatPence(g.potPence)}</dd>
            <dt className="font-semibold">{copy.spent}</dt>
            <dd className="mb-1">{formatPence(g.fundedPence)}</dd>
            <dt className="font-semibold">{copy.left}</dt>
            <dd className="mb-1">{formatPence(Math.max(0, g.potPence - g.fundedPence))}</dd>
          </dl>
          <table className="table mb-6 max-w-md">
            <caption className="sr-only">{copy.countsCaption(g.name)}</caption>
            <tbody>
              {(
                [
                  [copy.received, g.counts.received],
                  [copy.eligible, g.counts.eligible],
                  [copy.fundedCount, g.counts.funded],
                  [copy.notFunded, g.counts.notFunded],
                  [copy.reserve, g.counts.reserve],
                ] as const
              ).map(([label, n]) => (
                <tr key={label}>
                  <th scope="row" className="font-normal">
                    {label}
                  </th>
                  <td>{n}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <h3>{copy.fundedProjects}</h3>
          {g.funded.length === 0 ? (
            <p>{copy.noneFunded}</p>
          ) : (
            <div role="region" aria-label={copy.fundedCaption(g.name)} tabIndex={0} className="relative overflow-x-auto">
              <table className="table">
                <caption className="sr-only">{copy.fundedCaption(g.name)}</caption>
                <thead>
                  <tr>
                    {copy.columns.map((c) => (
                      <th key={c} scope="col">
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {g.funded.map((p) => (
                    <tr key={p.id}>
                      <td className="whitespace-nowrap">{p.reference}</td>
                      <th scope="row" className="font-normal">
                        {p.title}
                      </th>
                      <td>{p.organisation}</td>
                      <td className="whitespace-nowrap">{formatPence(p.amountPence)}</td>
                      <td className="min-w-[16rem] whitespace-pre-line">{p.reason}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={3}>
                      {copy.total}
                    </th>
                    <td className="whitespace-nowrap font-semibold">{formatPence(g.fundedPence)}</td>
                    <td />
                  </tr>
                </tfoot>
              </table>
            </div>
          )}

          {departed.some((d) => d.groupId === g.id) ? (
            <>
              <h3>{copy.departed}</h3>
              <p>{copy.departedIntro}</p>
              <DepartedList items={departed.filter((d) => d.groupId === g.id)} />
            </>
          ) : null}

          <h3>{copy.panel}</h3>
          <table className="table mb-2 max-w-md">
            <caption className="sr-only">{copy.panelCaption(g.name)}</caption>
            <thead>
              <tr>
                <th scope="col">{copy.constituency}</th>
                <th scope="col">{copy.members}</th>
              </tr>
            </thead>
            <tbody>
              {CONSTITUENCIES.map((k) => (
                <tr key={k}>
                  <th scope="row" className="font-normal">
                    {CONSTITUENCY_LABELS[k]}
                  </th>
                  <td>{g.panel.counts[k]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>{copy.panelTotal(g.panel.total)}</p>
          {g.panel.publicNames.length ? (
            <>
              <p className="mb-1">{copy.named}</p>
              <ul className="list-disc pl-6">
                {g.panel.publicNames.map((m, i) => (
                  <li key={i}>
                    {m.name}
                    {m.constituency ? `, ${CONSTITUENCY_LABELS[m.constituency]}` : ""}
                    {m.isChair ? ` (${copy.chair})` : ""}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>{copy.noNames}</p>
          )}

          <h3>{copy.declarations}</h3>
          {g.declarations.length === 0 ? (
            <p>{copy.declarationsNone}</p>
          ) : (
            <ul className="list-disc space-y-1 pl-6">
              {g.declarations.map((d) => (
                <li key={d.id}>{d.text}</li>
              ))}
            </ul>
          )}

          <h3 id={`minutes-${g.id}`}>{copy.minutes}</h3>
          {g.minutes.length === 0 ? (
            <p>{copy.noMinutes}</p>
          ) : (
            <ul className="list-none space-y-4 pl-0">
              {g.minutes.map((m) => (
                <li key={m.id} className="border-l-4 border-slate-300 pl-3">
                  <h4 className="mt-0 font-semibold">
                    {m.title}, {formatDate(m.heldOn)}
                  </h4>
                  <p className="whitespace-pre-line break-words">{m.minutes || copy.noMinutesText}</p>
                  {departed.some((d) => d.meetingId === m.id && d.departures.some((x) => x.from === "vote")) ? (
                    <>
                      <p className="mb-1 font-semibold">{copy.minutesDeparted}</p>
                      <DepartedList items={departed.filter((d) => d.meetingId === m.id && d.departures.some((x) => x.from === "vote"))} />
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { getUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundedProjectsTable } from "~/components/funded-projects-table";
import { Pagination } from "~/components/ui/pagination";
import { OUTCOME_LABELS } from "~/domain/decisions";
import { formatPence } from "~/domain/money";
import { can } from "~/domain/permissions";
import { formatDate } from "~/domain/phases";
import { pageOf, requestedPage, RESULTS_PAGE_SIZE } from "~/domain/results-snapshot";
import { CONSTITUENCIES, CONSTITUENCY_LABELS } from "~/domain/roles";
import { getResultsHead } from "~/models/results-snapshot.server";
import { resultsToShow } from "~/services/results-snapshot.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: (group: string) => `Results: ${group}`,
  preview: "Preview: these results are not public yet. Only fund administrators can see this page.",
  partOf: "Part of ",
  allResults: (fund: string) => `Results for all of ${fund}`,
  published: (date: string) => `Published on ${date}.`,
  money: "Money",
  area: "Area or community",
  pot: "Pot",
  spent: "Funded",
  left: "Not given out yet",
  counts: "Proposals",
  countsCaption: (group: string) => `Proposals in ${group}`,
  received: "Proposals sent in",
  eligible: "Met the rules",
  fundedCount: "Funded",
  notFunded: "Not funded",
  reserve: "On the reserve list",
  fundedProjects: "Funded projects",
  fundedCaption: (group: string, page: number, pages: number) =>
    `Projects funded by ${group}, with amounts and the panel's reasons${pages > 1 ? ` (page ${page} of ${pages})` : ""}`,
  columns: ["Reference", "Project", "Community group", "Amount", "The panel's reason"],
  total: "Total for the group",
  noneFunded: "No projects have been funded by this group yet.",
  noPage: (page: number, pages: number) =>
    `There is no page ${page} of this group's funded projects. There ${pages === 1 ? "is 1 page" : `are ${pages} pages`}.`,
  firstPage: "Go to the first page of funded projects",
  departed: "Decisions that went against the vote or the allocation",
  departedIntro: "These decisions went against the panel's vote or the allocation the group chose. Each one had to give a reason. You can read it here.",
  departedItem: (reference: string, title: string, outcome: string) => `${reference}${title ? `, ${title}` : ""}: ${outcome}. `,
  departedWhy: "Why: ",
  panel: "The decision panel",
  panelCaption: (group: string) => `Members of the ${group} panel by constituency`,
  constituency: "Type of member",
  members: "Members",
  panelTotal: (n: number) => `${n} ${n === 1 ? "member" : "members"} in all.`,
  named: "Members who agreed to be named:",
  chair: "chair",
  noNames: "No members have agreed to be named.",
  declarations: "Interests declared",
  declarationsNone: "No member of this panel declared an interest.",
  minutes: "Minutes of meetings",
  noMinutes: "No meeting minutes have been published for this group yet.",
  noMinutesText: "No minutes were written for this meeting.",
  minutesDeparted: "Decisions that went against this meeting's vote:",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? copy.title(data.group.name) : "Results"} – Community Grant Decisions` }];

/**
 * One decision group's published results: its money and counts, one page of
 * its funded projects (?page=N), decisions that departed from the vote, its
 * panel, declarations and minutes. Read from the snapshot taken at publishing.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const [user, head] = await Promise.all([getUser(request), getResultsHead(db, params.fundId ?? "")]);
  // Unpublished results do not exist for the public; administrators may preview them.
  if (!head || (!head.results_published_at && !can(user, "fund.manage"))) throw notFound();
  const results = await resultsToShow(db, head);
  const group = results?.groups.find((g) => g.id === params.groupId);
  if (!results || !group) throw notFound();
  const { funded, departed, ...rest } = group;
  const projects = pageOf(funded, requestedPage(new URL(request.url).searchParams.get("page")));
  return json(
    {
      fund: { id: head.id, name: results.fund.name, publishedAt: head.results_published_at },
      group: rest,
      projects,
      departed: departed.map((d) => ({
        id: d.id,
        meetingId: d.meetingId,
        label: copy.departedItem(d.reference, d.title, OUTCOME_LABELS[d.outcome].toLowerCase()),
        departures: d.departures,
        reason: d.reason,
      })),
    },
    { status: projects.isOutOfRange ? 404 : 200 },
  );
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

export default function GroupResults() {
  const { fund, group: g, projects, departed } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const votedAgainst = (meetingId: string) => departed.filter((d) => d.meetingId === meetingId && d.departures.some((x) => x.from === "vote"));
  return (
    <div className="max-w-4xl">
      {fund.publishedAt ? null : (
        <p role="status" className="panel font-semibold">
          {copy.preview}
        </p>
      )}
      <h1>{copy.title(g.name)}</h1>
      <p>
        {copy.partOf}
        <Link to={`/funds/${fund.id}/results`}>{copy.allResults(fund.name)}</Link>.{fund.publishedAt ? ` ${copy.published(formatDate(fund.publishedAt))}` : ""}
      </p>

      <h2>{copy.money}</h2>
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

      <h2>{copy.counts}</h2>
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
          <FundedProjectsTable
            caption={copy.fundedCaption(g.name, projects.page, projects.pageCount)}
            columns={copy.columns}
            projects={projects.items}
            total={{ label: copy.total, pence: g.fundedPence }}
          />
          <Pagination page={projects.page} pageSize={RESULTS_PAGE_SIZE} total={projects.total} search={search} />
        </>
      )}

      {departed.length ? (
        <>
          <h2>{copy.departed}</h2>
          <p>{copy.departedIntro}</p>
          <DepartedList items={departed} />
        </>
      ) : null}

      <h2>{copy.panel}</h2>
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

      <h2>{copy.declarations}</h2>
      {g.declarations.length === 0 ? (
        <p>{copy.declarationsNone}</p>
      ) : (
        <ul className="list-disc space-y-1 pl-6">
          {g.declarations.map((d) => (
            <li key={d.id}>{d.text}</li>
          ))}
        </ul>
      )}

      <h2 id="minutes">{copy.minutes}</h2>
      {g.minutes.length === 0 ? (
        <p>{copy.noMinutes}</p>
      ) : (
        <ul className="list-none space-y-4 pl-0">
          {g.minutes.map((m) => (
            <li key={m.id} className="border-l-4 border-slate-300 pl-3">
              <h3 className="mt-0 font-semibold">
                {m.title}, {formatDate(m.heldOn)}
              </h3>
              <p className="whitespace-pre-line break-words">{m.minutes || copy.noMinutesText}</p>
              {votedAgainst(m.id).length ? (
                <>
                  <p className="mb-1 font-semibold">{copy.minutesDeparted}</p>
                  <DepartedList items={votedAgainst(m.id)} />
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { JoinRequestRows } from "~/components/join-request-rows";
import { DataTable } from "~/components/ui/data-table";
import { TextField } from "~/components/ui/field";
import { Pagination } from "~/components/ui/pagination";
import { formatDate } from "~/domain/phases";
import { listCommunityGroups, listPendingJoinRequests } from "~/models/community-group.server";
import { getDb } from "~/utils/db.server";
import { pageFrom } from "~/utils/pagination";

const PAGE_SIZE = 25;

const copy = {
  title: "Community groups",
  intro:
    "Every community group on the portal: those that set up their own profile, those a lead organisation recorded for a proposal, and those created by a CSV import. A group that is not online yet gets its first member when you invite someone into it.",
  search: "Search by name",
  searchButton: "Search",
  clear: "Show all groups",
  found: (n: number, q: string) => `${n} ${n === 1 ? "group" : "groups"} with "${q}" in the name.`,
  none: "No community groups yet.",
  noneFound: "No community group has that in its name.",
  caption: "Community groups, by name",
  columns: ["Group", "Members", "Proposals", "Recorded by", "Action"],
  noMembers: "No one yet",
  invite: "Invite someone to this group",
  requests: "Requests to join a group, waiting for an answer",
  requestsIntro: "Someone who found their group already on the portal asked to join it. Approve them if the group knows them; refuse with a reason if not.",
  requestsCaption: "Requests to join a group, oldest first",
  requestColumns: ["Person", "Group", "Asked on", "Action"],
  answer: "Answer",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const url = new URL(request.url);
  const page = pageFrom(url);
  const search = (url.searchParams.get("q") ?? "").trim().slice(0, 150);
  const db = getDb();
  const [groups, requests] = await Promise.all([listCommunityGroups(db, { search, page, pageSize: PAGE_SIZE }), listPendingJoinRequests(db, { all: true })]);
  return json({
    search,
    page,
    groups,
    requests: requests.map((r) => ({
      id: r.id,
      requesterName: r.requesterName,
      requesterEmail: r.requesterEmail,
      groupName: r.groupName,
      createdAt: r.created_at,
    })),
  });
}

export default function CommunityGroups() {
  const { search, page, groups, requests } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <div>
      <h1>{copy.title}</h1>
      <p className="max-w-3xl">{copy.intro}</p>

      {requests.length ? (
        <section aria-labelledby="requests-title">
          <h2 id="requests-title">{copy.requests}</h2>
          <p className="max-w-3xl">{copy.requestsIntro}</p>
          <DataTable caption={copy.requestsCaption} columns={copy.requestColumns}>
            <JoinRequestRows requests={requests} answerLabel={copy.answer} />
          </DataTable>
        </section>
      ) : null}

      <Form method="get" role="search" className="mb-6 flex flex-wrap items-end gap-4">
        <TextField name="q" label={copy.search} type="search" defaultValue={search} className="max-w-md" />
        <button type="submit" className="btn-secondary mb-6">
          {copy.searchButton}
        </button>
      </Form>
      {search ? (
        <p>
          {copy.found(groups.total, search)} <Link to="/admin/community-groups">{copy.clear}</Link>
        </p>
      ) : null}

      {groups.rows.length === 0 ? (
        <p>{search ? copy.noneFound : copy.none}</p>
      ) : (
        <DataTable caption={copy.caption} columns={copy.columns}>
          {groups.rows.map((g) => (
            <tr key={g.id}>
              <th scope="row">
                <Link to={`/admin/community-groups/${g.id}`}>{g.name}</Link>
                {g.postcode ? <span className="block font-normal">{g.postcode}</span> : null}
              </th>
              <td>
                {g.members.length ? (
                  <ul className="list-none pl-0">
                    {g.members.map((m) => (
                      <li key={m.id}>{m.name}</li>
                    ))}
                  </ul>
                ) : (
                  copy.noMembers
                )}
              </td>
              <td>{g.proposalCount}</td>
              <td>
                {g.createdByName ?? ""}
                <span className="block text-sm text-slate-700">{formatDate(g.created_at)}</span>
              </td>
              <td>
                <Link to={`/admin/community-groups/${g.id}#invite`}>
                  {copy.invite}
                  <span className="sr-only">: {g.name}</span>
                </Link>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pagination page={page} pageSize={PAGE_SIZE} total={groups.total} search={location.search} />
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

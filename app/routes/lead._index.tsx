import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pagination } from "~/components/ui/pagination";
import { formatPence } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { LEAD_VIEWS, leadViewFrom, type LeadView } from "~/domain/proposal-lists";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { listPendingJoinRequests } from "~/models/community-group.server";
import { getOrganisation, listDecisionGroupsForLeadOrg } from "~/models/directory.server";
import { countLeadQueue, listLeadQueue } from "~/models/proposal-lists.server";
import { listNotifications } from "~/services/notifications.server";
import { getDb } from "~/utils/db.server";
import { pageFrom } from "~/utils/pagination";
import { JoinRequestRows } from "~/components/join-request-rows";
import { DataTable } from "~/components/ui/data-table";

const PAGE_SIZE = 25;

const copy = {
  title: "Lead organisation",
  role: "You help community groups in your areas draft outline proposals, then support them with a statement, ask for changes, or decline them with a reason.",
  groups: "The decision groups you serve",
  noGroups: "Your organisation is not yet linked to a decision group. Ask the fund administrator.",
  prepare: "Prepare a proposal for a group that is not online",
  proposals: "Proposals",
  views: {
    new: { tab: "New", heading: "New proposals, waiting for you", empty: "No proposals are waiting for you." },
    waiting: {
      tab: "Waiting on the group",
      heading: "Waiting on the group",
      empty: "No proposals are waiting on a group.",
      hint: "Proposals you asked the group to change, and drafts you are preparing with a group.",
    },
    supported: {
      tab: "Supported",
      heading: "Proposals you supported",
      empty: "You have not supported any proposals yet.",
      hint: "After you support a proposal, the fund administrator checks it is eligible. Its status shows what happened next.",
    },
    declined: { tab: "Declined", heading: "Declined or withdrawn", empty: "No proposals have been declined or withdrawn." },
  } satisfies Record<LeadView, { tab: string; heading: string; empty: string; hint?: string }>,
  columns: ["Reference", "Title", "Community group", "Decision group", "Amount", "Submitted", "Status"],
  open: "Open",
  untitled: "Untitled draft",
  notSubmitted: "Not yet",
  notices: "Notices",
  noNotices: "No notices yet.",
  seeProposal: "See the proposal",
  joinRequests: "People asking to join a group",
  joinRequestsIntro:
    'Someone found a group you work with already on the portal and asked to join it. Approve them if the group knows them; refuse with a reason if not. To bring someone into a group yourself, open one of its proposals and use "Invite someone".',
  joinRequestsCaption: "Requests to join a group, oldest first",
  joinRequestColumns: ["Person", "Group", "Asked on", "Action"],
  answer: "Answer",
};

export const meta: MetaFunction = () => [{ title: `${copy.proposals} – ${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "home.lead_org");
  const url = new URL(request.url);
  const view = leadViewFrom(url.searchParams.get("view"));
  const page = pageFrom(url);
  const db = getDb();
  // An account not yet linked to an organisation matches nothing, and sees the "ask the administrator" message.
  const organisationId = user.organisationId ?? "";
  const [organisation, groups, queue, counts, notices, requests] = await Promise.all([
    getOrganisation(db, organisationId),
    listDecisionGroupsForLeadOrg(db, organisationId),
    listLeadQueue(db, organisationId, view, page, PAGE_SIZE),
    countLeadQueue(db, organisationId),
    listNotifications(db, organisationId),
    listPendingJoinRequests(db, { leadOrganisationId: organisationId }),
  ]);
  const joinRequests = requests.map((r) => ({ id: r.id, requesterName: r.requesterName, groupName: r.groupName, createdAt: r.created_at }));
  return json({ organisationName: organisation?.name ?? null, groups, view, page, queue, counts, notices, joinRequests });
}

export default function LeadHome() {
  const { organisationName, groups, view, page, queue, counts, notices, joinRequests } = useLoaderData<typeof loader>();
  const location = useLocation();
  const current = copy.views[view];
  return (
    <div>
      <h1>{organisationName ?? copy.title}</h1>
      <p className="max-w-3xl">{copy.role}</p>
      <p>
        <Link to="/proposals/new" className="btn">
          {copy.prepare}
        </Link>
      </p>

      <h2>{copy.proposals}</h2>
      <nav aria-label={copy.proposals}>
        <ul className="mb-6 flex flex-wrap gap-x-2 gap-y-2 border-b-2 border-slate-300 pl-0">
          {LEAD_VIEWS.map((v) => (
            <li key={v} className="list-none">
              <Link
                to={`?view=${v}`}
                aria-current={v === view ? "page" : undefined}
                className={`inline-block px-3 py-2 ${v === view ? "border-b-4 border-blue-800 font-bold no-underline" : ""}`}
              >
                {copy.views[v].tab}
                {counts ? ` (${counts[v]})` : ""}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <h3>{current.heading}</h3>
      {"hint" in current && current.hint ? <p>{current.hint}</p> : null}
      {queue.rows.length === 0 ? (
        <p>{current.empty}</p>
      ) : (
        <DataTable caption={current.heading} columns={copy.columns}>
          {queue.rows.map((p) => (
            <tr key={p.id}>
              <td className="whitespace-nowrap">{p.reference}</td>
              <th scope="row" className="font-normal">
                <Link to={`/lead/proposals/${p.id}`}>{p.title || copy.untitled}</Link>
              </th>
              <td>{p.communityGroupName}</td>
              <td>{p.decisionGroupName}</td>
              <td className="whitespace-nowrap">{p.amount_requested_pence === null ? "" : formatPence(p.amount_requested_pence)}</td>
              <td className="whitespace-nowrap">{p.submitted_at ? formatDate(p.submitted_at) : copy.notSubmitted}</td>
              <td>{STATUS_LABELS[p.status]}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pagination page={page} pageSize={PAGE_SIZE} total={queue.total} search={location.search} />

      {joinRequests.length ? (
        <section aria-labelledby="join-requests-title">
          <h2 id="join-requests-title">{copy.joinRequests}</h2>
          <p className="max-w-3xl">{copy.joinRequestsIntro}</p>
          <DataTable caption={copy.joinRequestsCaption} columns={copy.joinRequestColumns}>
            <JoinRequestRows requests={joinRequests} answerLabel={copy.answer} />
          </DataTable>
        </section>
      ) : null}

      <h2>{copy.notices}</h2>
      {notices.length === 0 ? (
        <p>{copy.noNotices}</p>
      ) : (
        <ul className="max-w-3xl list-none space-y-3 pl-0">
          {notices.map((n) => (
            <li key={n.id} className="border-l-4 border-slate-300 pl-3">
              <p className="mb-1 text-sm text-slate-700">{formatDate(n.created_at)}</p>
              <p className="mb-1 whitespace-pre-line break-words">{n.body}</p>
              {n.proposal_id ? <Link to={`/lead/proposals/${n.proposal_id}`}>{copy.seeProposal}</Link> : null}
            </li>
          ))}
        </ul>
      )}

      <h2>{copy.groups}</h2>
      {groups.length ? (
        <ul className="list-disc pl-6">
          {groups.map((g) => (
            <li key={g.id}>
              <strong>{g.name}</strong> ({g.fundName}): {g.area}
            </li>
          ))}
        </ul>
      ) : (
        <p>{copy.noGroups}</p>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

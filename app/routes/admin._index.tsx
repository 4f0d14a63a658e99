import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { ChainStatusPanel } from "~/components/chain-status";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { adminWorkQueue } from "~/domain/admin-queue";
import { ukDate } from "~/domain/phases";
import { getAdminQueueCounts } from "~/models/admin-queue.server";
import { countRows } from "~/models/directory.server";
import { checkAuditChainSinceCheckpoint } from "~/services/audit-checks.server";
import { getDb } from "~/utils/db.server";

const copy = {
  title: "Fund administration",
  queue: "Work waiting for you",
  nothing: "Nothing waiting",
  figures: "At a glance",
  users: "People with accounts",
  funds: "Funds",
  groups: "Decision groups",
  organisations: "Organisations",
  emails: "Emails sent or waiting",
  tasks: "Tasks",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const db = getDb();
  const [counts, chain, queue] = await Promise.all([countRows(db), checkAuditChainSinceCheckpoint(db), getAdminQueueCounts(db, ukDate(new Date()))]);
  return json({ counts, chain, queue: adminWorkQueue(queue) });
}

export default function AdminHome() {
  const { counts, chain, queue } = useLoaderData<typeof loader>();
  const figures: [string, number][] = [
    [copy.users, counts.users],
    [copy.funds, counts.funds],
    [copy.groups, counts.decisionGroups],
    [copy.organisations, counts.organisations],
    [copy.emails, counts.emails],
  ];
  return (
    <div>
      <h1>{copy.title}</h1>
      <h2>{copy.queue}</h2>
      <ul className="space-y-3">
        {queue.map((item) => (
          <li key={item.key} className="border-2 border-slate-300 p-4">
            <p className="m-0 text-xl font-bold">
              <Link to={item.href}>
                {item.label}: {item.count}
              </Link>
            </p>
            {item.count === 0 ? <p className="m-0">{copy.nothing}</p> : null}
            {item.places.length ? (
              <ul className="mt-2 list-disc pl-6">
                {item.places.map((place) => (
                  <li key={place.href}>
                    <Link to={place.href}>{place.label}</Link>: {place.count}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
      <ChainStatusPanel check={chain} />
      <h2>{copy.figures}</h2>
      <dl className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        {figures.map(([label, value]) => (
          <div key={label} className="border-2 border-slate-300 p-4">
            <dt>{label}</dt>
            <dd className="text-3xl font-bold">{value}</dd>
          </div>
        ))}
      </dl>
      <h2>{copy.tasks}</h2>
      <ul className="list-disc space-y-1 pl-6">
        <li>
          <Link to="/admin/invitations">Invite a lead organisation, panel member, adviser or administrator</Link>
        </li>
        <li>
          <Link to="/admin/community-groups">Invite someone into a community group, and answer requests to join one</Link>
        </li>
        <li>
          <Link to="/admin/users">See people and disable an account</Link>
        </li>
        <li>
          <Link to="/admin/audit">Read the audit trail</Link>
        </li>
        <li>
          <Link to="/admin/outbox">Read the email outbox</Link>
        </li>
      </ul>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

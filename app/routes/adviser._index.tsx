import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { can } from "~/domain/permissions";
import { formatDate } from "~/domain/phases";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { getDecisionGroup } from "~/models/directory.server";
import { listAdviserQueue } from "~/models/scoring.server";
import { getDb } from "~/utils/db.server";
import { scrollRegion } from "~/components/ui/data-table";

const copy = {
  title: "Specialist adviser",
  advising: "You give written input to the panel of",
  advisingFund: (fund: string) => `You give written input to the panels of every decision group in ${fund}.`,
  none: "You are not yet advising a decision group or a fund. Ask the fund administrator.",
  role: "You write input on each proposal, such as feasibility, cost realism and risks. Panel members read it before they score. Advisers never score or vote.",
  queue: "Proposals with the panel",
  progress: (done: number, total: number) => `You have written input on ${done} of ${total} proposals.`,
  empty: "There are no proposals with the panel yet. They appear here when the fund administrator finds them eligible.",
  caption: "Proposals you advise on and whether you have written input",
  reference: "Reference",
  proposal: "Proposal",
  group: "Community group",
  decisionGroup: "Decision group",
  yourInput: "Your input",
  written: (date: string) => `Written, updated ${date}`,
  notWritten: "Not written yet",
  write: (title: string) => `Write input on ${title}`,
  update: (title: string) => `Update your input on ${title}`,
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "home.adviser");
  // An adviser for one decision group, or for a whole fund (every decision group of it): the policy's scope decides the queue.
  if (!can(user, "proposal.advise")) return json({ group: null, fundName: null, queue: [] });
  const db = getDb();
  const [group, queue] = await Promise.all([user.decisionGroupId ? getDecisionGroup(db, user.decisionGroupId) : undefined, listAdviserQueue(db, user)]);
  return json({
    group: group ?? null,
    /** For an adviser for a whole fund: the fund's name. */
    fundName: group ? null : (user.hat?.fundName ?? null),
    queue: queue.map((p) => ({
      id: p.id,
      reference: p.reference,
      title: p.title,
      organisationName: p.organisationName,
      decisionGroupName: p.decisionGroupName,
      statusLabel: STATUS_LABELS[p.status],
      writtenOn: p.inputUpdatedAt ? formatDate(p.inputUpdatedAt) : null,
    })),
  });
}

export default function AdviserHome() {
  const { group, fundName, queue } = useLoaderData<typeof loader>();
  const done = queue.filter((p) => p.writtenOn).length;
  const isFundWide = fundName !== null;
  return (
    <div>
      <h1>{copy.title}</h1>
      <p>{group ? `${copy.advising} ${group.name} (${group.fundName}).` : fundName ? copy.advisingFund(fundName) : copy.none}</p>
      <p>{copy.role}</p>
      {group || isFundWide ? (
        <section aria-labelledby="queue">
          <h2 id="queue">{copy.queue}</h2>
          {queue.length ? (
            <>
              <p>{copy.progress(done, queue.length)}</p>
              <div {...scrollRegion(copy.caption)}>
                <table className="table">
                  <caption className="sr-only">{copy.caption}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{copy.reference}</th>
                      <th scope="col">{copy.proposal}</th>
                      <th scope="col">{copy.group}</th>
                      {isFundWide ? <th scope="col">{copy.decisionGroup}</th> : null}
                      <th scope="col">{copy.yourInput}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {queue.map((p) => (
                      <tr key={p.id}>
                        <td className="whitespace-nowrap">{p.reference}</td>
                        <td className="break-words">
                          <Link to={`/adviser/proposals/${p.id}`} aria-label={p.writtenOn ? copy.update(p.title) : copy.write(p.title)}>
                            {p.title}
                          </Link>
                          <span className="block text-sm text-slate-700">{p.statusLabel}</span>
                        </td>
                        <td className="break-words">{p.organisationName}</td>
                        {isFundWide ? <td className="break-words">{p.decisionGroupName}</td> : null}
                        <td>
                          <span className={`tag ${p.writtenOn ? "bg-green-100 text-green-900" : ""}`}>
                            {p.writtenOn ? copy.written(p.writtenOn) : copy.notWritten}
                          </span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : (
            <p>{copy.empty}</p>
          )}
        </section>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatDate } from "~/domain/phases";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { getDecisionGroup } from "~/models/directory.server";
import { listAdviserQueue } from "~/models/scoring.server";
import { getDb } from "~/utils/db.server";

const copy = {
  title: "Specialist adviser",
  advising: "You give written input to the panel of",
  none: "You are not yet advising a decision group. Ask the fund administrator.",
  role: "You write input on each proposal, such as feasibility, cost realism and risks. Panel members read it before they score. Advisers never score or vote.",
  queue: "Proposals with the panel",
  progress: (done: number, total: number) => `You have written input on ${done} of ${total} proposals.`,
  empty: "There are no proposals with the panel yet. They appear here when the fund administrator finds them eligible.",
  caption: "Proposals in your decision group and whether you have written input",
  reference: "Reference",
  proposal: "Proposal",
  group: "Community group",
  yourInput: "Your input",
  written: (date: string) => `Written, updated ${date}`,
  notWritten: "Not written yet",
  write: (title: string) => `Write input on ${title}`,
  update: (title: string) => `Update your input on ${title}`,
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "home.adviser");
  if (!user.decisionGroupId) return json({ group: null, queue: [] });
  const db = getDb();
  const [group, queue] = await Promise.all([getDecisionGroup(db, user.decisionGroupId), listAdviserQueue(db, user.id, user.decisionGroupId)]);
  return json({
    group: group ?? null,
    queue: queue.map((p) => ({
      id: p.id,
      reference: p.reference,
      title: p.title,
      organisationName: p.organisationName,
      statusLabel: STATUS_LABELS[p.status],
      writtenOn: p.inputUpdatedAt ? formatDate(p.inputUpdatedAt) : null,
    })),
  });
}

export default function AdviserHome() {
  const { group, queue } = useLoaderData<typeof loader>();
  const done = queue.filter((p) => p.writtenOn).length;
  return (
    <div>
      <h1>{copy.title}</h1>
      <p>{group ? `${copy.advising} ${group.name} (${group.fundName}).` : copy.none}</p>
      <p>{copy.role}</p>
      {group ? (
        <section aria-labelledby="queue">
          <h2 id="queue">{copy.queue}</h2>
          {queue.length ? (
            <>
              <p>{copy.progress(done, queue.length)}</p>
              <div className="overflow-x-auto">
                <table className="table">
                  <caption className="sr-only">{copy.caption}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{copy.reference}</th>
                      <th scope="col">{copy.proposal}</th>
                      <th scope="col">{copy.group}</th>
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

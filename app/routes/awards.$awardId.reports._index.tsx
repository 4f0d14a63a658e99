import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { DataTable } from "~/components/ui/data-table";
import { isOverdue } from "~/domain/monitoring";
import { formatDate, ukDate } from "~/domain/phases";
import { listReports } from "~/models/monitoring.server";
import { requireAwardMember } from "~/utils/award-access.server";
import { getDb } from "~/utils/db.server";

const copy = {
  title: "Your monitoring reports",
  intro:
    "Tell the fund how the project is going. Say what you have spent on each budget line, and which outcomes you have reached. Add photos or other evidence if you have them.",
  caption: "Monitoring reports for this grant",
  columns: ["Report", "Due", "Status", "Action"],
  progress: "Progress report",
  final: "Final report",
  status: { due: "Due", submitted: "Submitted: waiting for review", approved: "Approved", more_requested: "More information asked for" },
  overdue: "Overdue",
  write: (kind: string, due: string) => `Write the ${kind} report due ${due}`,
  update: (kind: string, due: string) => `Update the ${kind} report due ${due}`,
  view: (kind: string, due: string) => `See the ${kind} report due ${due}`,
  none: "No report dates are set yet. The fund administrator will set them.",
  submitted: "Your report has been sent to the fund administrator.",
  variations: "Ask to change the amount, timeline or scope",
  back: "Back to your grant",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { award } = await requireAwardMember(request, params.awardId);
  const reports = await listReports(getDb(), award.id);
  const today = ukDate(new Date());
  return json({
    award: { id: award.id, reference: award.reference, title: award.title },
    reports: reports.map((r) => ({
      id: r.id,
      kind: r.kind,
      dueOn: formatDate(r.due_on),
      status: r.status,
      isOverdue: isOverdue({ dueOn: r.due_on, status: r.status }, today),
    })),
  });
}

export default function AwardReports() {
  const data = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <div className="max-w-4xl">
      {search.get("submitted") ? (
        <p role="status" className="panel font-semibold">
          {copy.submitted}
        </p>
      ) : null}
      <p className="mb-1 text-slate-700">
        {data.award.reference} · {data.award.title}
      </p>
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      {data.reports.length ? (
        <DataTable caption={copy.caption} columns={copy.columns}>
          {data.reports.map((r) => {
            const kind = r.kind === "final" ? "final" : "progress";
            const label =
              r.status === "due" ? copy.write(kind, r.dueOn) : r.status === "more_requested" ? copy.update(kind, r.dueOn) : copy.view(kind, r.dueOn);
            return (
              <tr key={r.id}>
                <td>{r.kind === "final" ? copy.final : copy.progress}</td>
                <td className="whitespace-nowrap">{r.dueOn}</td>
                <td>
                  {copy.status[r.status]}
                  {r.isOverdue ? <strong className="block text-red-800">{copy.overdue}</strong> : null}
                </td>
                <td>
                  <Link to={`/awards/${data.award.id}/reports/${r.id}`}>{label}</Link>
                </td>
              </tr>
            );
          })}
        </DataTable>
      ) : (
        <p>{copy.none}</p>
      )}
      <p className="mt-8">
        <Link to={`/awards/${data.award.id}/variations`}>{copy.variations}</Link>
      </p>
      <p>
        <Link to={`/awards/${data.award.id}`}>{copy.back}</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

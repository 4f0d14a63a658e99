import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { NoFieldsSchema } from "~/domain/forms/fields";
import { formatDate, ukDate } from "~/domain/phases";
import { listOverdueReports } from "~/models/monitoring.server";
import { sendOverdueReminders } from "~/services/monitoring.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "Overdue monitoring reports",
  intro:
    "Reports still owed after their due date, across all open awards. Reminders go to each group's contact through the outbox: one email for each overdue report.",
  caption: "Overdue monitoring reports",
  columns: ["Award", "Group", "Report", "Due", "Last reminded", "Review"],
  progress: "Progress report",
  final: "Final report",
  moreRequested: " (more information asked for)",
  never: "Not yet",
  open: (ref: string) => `Reports for ${ref}`,
  none: "No reports are overdue.",
  send: "Send reminders",
  sent: (n: number) => (n === 1 ? "1 reminder has been queued." : `${n} reminders have been queued.`),
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const rows = await listOverdueReports(getDb(), ukDate(new Date()));
  return json({
    reports: rows.map((r) => ({
      id: r.id,
      awardId: r.award_id,
      awardReference: r.award_reference,
      title: r.title,
      organisation: r.organisation_name,
      kind: r.kind,
      isMoreRequested: r.status === "more_requested",
      dueOn: formatDate(r.due_on),
      remindedOn: r.reminded_at ? formatDate(r.reminded_at) : null,
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const admin = await requirePermission(request, "admin.access");
  return submitForm(form, NoFieldsSchema, async () => {
    const sent = await sendOverdueReminders(getDb(), admin);
    return redirect(`/admin/reports?sent=${sent}`);
  });
}

export default function AdminReports() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const [search] = useSearchParams();
  const sent = search.get("sent");
  return (
    <div className="max-w-5xl">
      <ErrorSummary errors={actionData?.errors} />
      {sent !== null && !actionData?.errors ? (
        <p role="status" className="panel font-semibold">
          {copy.sent(Number(sent) || 0)}
        </p>
      ) : null}
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      {data.reports.length ? (
        <>
          <DataTable caption={copy.caption} columns={copy.columns}>
            {data.reports.map((r) => (
              <tr key={r.id}>
                <td>
                  {r.awardReference}
                  <br />
                  <span className="text-slate-700">{r.title}</span>
                </td>
                <td>{r.organisation}</td>
                <td>
                  {r.kind === "final" ? copy.final : copy.progress}
                  {r.isMoreRequested ? copy.moreRequested : ""}
                </td>
                <td className="whitespace-nowrap">
                  <strong className="text-red-800">{r.dueOn}</strong>
                </td>
                <td className="whitespace-nowrap">{r.remindedOn ?? copy.never}</td>
                <td>
                  <Link to={`/admin/awards/${r.awardId}/reports`}>{copy.open(r.awardReference)}</Link>
                </td>
              </tr>
            ))}
          </DataTable>
          <Form method="post" className="mt-6">
            <CsrfInput />
            <button type="submit" className="btn">
              {copy.send}
            </button>
          </Form>
        </>
      ) : (
        <p>{copy.none}</p>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

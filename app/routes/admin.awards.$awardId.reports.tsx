import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { RadioGroup, TextField } from "~/components/ui/field";
import { ErrorSummary } from "~/components/ui/error-summary";
import { AddReportSchema, ReviewSchema, ScheduleSchema } from "~/domain/forms/monitoring";
import { formatPence } from "~/domain/money";
import { isOverdue, reportSchedule, spendAgainstBudget, spendDifferenceText } from "~/domain/monitoring";
import { formatDate, ukDate } from "~/domain/phases";
import { getAwardFacts, listReportFiles, listReports } from "~/models/monitoring.server";
import { approveReport, requestMore, scheduleReports } from "~/services/monitoring.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "Monitoring reports",
  scheduleHeading: "Set reporting dates from a schedule",
  scheduleHint: "Progress reports are due every few months from the start date; the final report is due on the end date.",
  startOn: "Start date",
  endOn: "End date",
  everyMonths: "Months between progress reports",
  schedule: "Add these reporting dates",
  addHeading: "Add a reporting date by hand",
  kind: "Kind of report",
  progress: "Progress report",
  final: "Final report",
  dueOn: "Due date",
  add: "Add reporting date",
  listHeading: "Reports",
  caption: "Monitoring reports for this award",
  none: "No reporting dates yet.",
  columns: ["Report", "Due", "Status"],
  overdue: "Overdue",
  status: {
    due: "Due",
    submitted: "Submitted: waiting for review",
    approved: "Approved",
    more_requested: "More information asked for",
  },
  reviewHeading: (kind: string, due: string) => `Review the ${kind} report due ${due}`,
  spend: "Spend to date",
  spendColumns: ["Budget line", "Budget", "Spent", "Over or under"],
  outcomes: "Outcomes achieved",
  outcomeColumns: ["Outcome", "Measure", "Achieved"],
  evidence: "Evidence",
  note: "Note to the group",
  noteHint: "Needed when you ask for more. The group will read it.",
  approve: "Approve report",
  askMore: "Ask for more",
  previousNote: "Your last note",
  saved: "Saved.",
  back: "Back to the award",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const db = getDb();
  const award = await getAwardFacts(db, params.awardId ?? "");
  if (!award) throw notFound();
  const [reports, files] = await Promise.all([listReports(db, award.id), listReportFiles(db, award.id)]);
  const today = ukDate(new Date());
  return json({
    award: {
      id: award.id,
      reference: award.reference,
      title: award.title,
      organisation: award.organisation_name,
      startDate: award.start_date ?? "",
      endDate: award.end_date ?? "",
    },
    reports: reports.map((r) => {
      const spend = spendAgainstBudget(
        (
          JSON.parse(r.spend) as {
            item: string;
            budget_pence: number;
            spent_pence: number;
          }[]
        ).map((l) => ({
          item: l.item,
          budgetPence: l.budget_pence,
          spentPence: l.spent_pence,
        })),
      );
      return {
        id: r.id,
        kind: r.kind,
        dueOn: formatDate(r.due_on),
        status: r.status,
        isOverdue: isOverdue({ dueOn: r.due_on, status: r.status }, today),
        progress: r.progress,
        reviewNote: r.review_note,
        spend: {
          lines: spend.lines.map((l) => ({
            item: l.item,
            budget: formatPence(l.budgetPence),
            spent: formatPence(l.spentPence),
            difference: spendDifferenceText(l.differencePence),
          })),
          budget: formatPence(spend.budgetPence),
          spent: formatPence(spend.spentPence),
        },
        outcomes: JSON.parse(r.outcomes) as {
          outcome: string;
          measure: string;
          achieved: string;
        }[],
        files: files.filter((f) => f.report_id === r.id).map((f) => ({ id: f.id, name: f.original_name })),
      };
    }),
  });
}

type ActionData = FormActionData & { intent?: string; reportId?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const admin = await requirePermission(request, "admin.access");
  const db = getDb();
  const award = await getAwardFacts(db, params.awardId ?? "");
  if (!award) throw notFound();
  const intent = String(form.get("intent") ?? "");
  const back = `/admin/awards/${award.id}/reports?saved=1`;
  if (intent === "schedule") {
    return submitForm(
      form,
      ScheduleSchema,
      async (data) => {
        await scheduleReports(db, admin, award.id, reportSchedule(data.startOn, data.endOn, data.everyMonths));
        return redirect(back);
      },
      { extra: { intent } },
    );
  }
  if (intent === "add") {
    return submitForm(
      form,
      AddReportSchema,
      async (data) => {
        await scheduleReports(db, admin, award.id, [data]);
        return redirect(back);
      },
      { extra: { intent } },
    );
  }
  if (intent === "approve" || intent === "more") {
    // Which report's form was sent, so its message shows beside it.
    const reportId = String(form.get("reportId") ?? "");
    return submitForm(
      form,
      ReviewSchema,
      async (data) => {
        const report = (await listReports(db, award.id)).find((r) => r.id === data.reportId);
        if (!report) throw notFound();
        if (intent === "approve") await approveReport(db, admin, report.id, data.note);
        else await requestMore(db, admin, report.id, data.note);
        return redirect(back);
      },
      { extra: { intent, reportId } },
    );
  }
  return formError({ form: "Choose what to do" });
}

export default function AdminAwardReports() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [search] = useSearchParams();
  const errors = actionData?.errors;
  const on = (intent: string) => (actionData?.intent === intent ? errors : undefined);
  const values = actionData?.values ?? {};
  return (
    <div className="max-w-4xl">
      <ErrorSummary errors={errors} />
      {!errors && search.get("saved") ? (
        <p role="status" className="panel font-semibold">
          {copy.saved}
        </p>
      ) : null}
      <p className="mb-1 text-slate-700">
        {data.award.reference} · {data.award.title} · {data.award.organisation}
      </p>
      <h1>{copy.title}</h1>

      <h2>{copy.listHeading}</h2>
      {data.reports.length ? (
        <DataTable caption={copy.caption} columns={copy.columns}>
          {data.reports.map((r) => (
            <tr key={r.id}>
              <td>{r.kind === "final" ? copy.final : copy.progress}</td>
              <td className="whitespace-nowrap">{r.dueOn}</td>
              <td>
                {copy.status[r.status]}
                {r.isOverdue ? <strong className="ml-2 text-red-800">{copy.overdue}</strong> : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>{copy.none}</p>
      )}

      {data.reports
        .filter((r) => r.status === "submitted")
        .map((r) => {
          const mine = actionData?.reportId === r.id ? errors : undefined;
          return (
            <section key={r.id} className="mt-8 border-t pt-4" aria-labelledby={`review-${r.id}`}>
              <h2 id={`review-${r.id}`}>{copy.reviewHeading(r.kind === "final" ? "final" : "progress", r.dueOn)}</h2>
              <p className="whitespace-pre-wrap">{r.progress}</p>
              <h3>{copy.spend}</h3>
              <DataTable caption={`${copy.spend}: ${r.spend.spent} of ${r.spend.budget}`} isCaptionVisible columns={copy.spendColumns}>
                {r.spend.lines.map((l, i) => (
                  <tr key={i}>
                    <td>{l.item}</td>
                    <td>{l.budget}</td>
                    <td>{l.spent}</td>
                    <td>{l.difference}</td>
                  </tr>
                ))}
              </DataTable>
              <h3>{copy.outcomes}</h3>
              <DataTable caption={copy.outcomes} columns={copy.outcomeColumns}>
                {r.outcomes.map((o, i) => (
                  <tr key={i}>
                    <td>{o.outcome}</td>
                    <td>{o.measure}</td>
                    <td className="whitespace-pre-wrap">{o.achieved}</td>
                  </tr>
                ))}
              </DataTable>
              {r.files.length ? (
                <>
                  <h3>{copy.evidence}</h3>
                  <ul>
                    {r.files.map((f) => (
                      <li key={f.id} className="break-all">
                        <a href={`/award-files/${f.id}`} download>
                          {f.name}
                        </a>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              <Form method="post" noValidate className="mt-4">
                <CsrfInput />
                <input type="hidden" name="reportId" value={r.id} />
                {/* The report in error carries the id "note", so the error summary's link reaches it. */}
                <div className={`mb-6 ${mine?.note ? "border-l-4 border-red-700 pl-3" : ""}`}>
                  <label htmlFor={mine ? "note" : `note-${r.id}`} className="mb-1 block font-semibold">
                    {copy.note}
                  </label>
                  <p id={`note-hint-${r.id}`} className="mb-1 text-slate-700">
                    {copy.noteHint}
                  </p>
                  {mine?.note ? (
                    <p id={`note-error-${r.id}`} className="mb-1 font-semibold text-red-800">
                      <span className="sr-only">Error: </span>
                      {mine.note}
                    </p>
                  ) : null}
                  <textarea
                    id={mine ? "note" : `note-${r.id}`}
                    name="note"
                    rows={3}
                    aria-describedby={mine?.note ? `note-hint-${r.id} note-error-${r.id}` : `note-hint-${r.id}`}
                    aria-invalid={mine?.note ? true : undefined}
                    className={`input ${mine?.note ? "input-error" : ""}`}
                    defaultValue={mine ? values.note : ""}
                  />
                </div>
                <div className="flex flex-wrap gap-4">
                  <button type="submit" name="intent" value="approve" className="btn">
                    {copy.approve}
                  </button>
                  <button type="submit" name="intent" value="more" className="btn-secondary">
                    {copy.askMore}
                  </button>
                </div>
              </Form>
            </section>
          );
        })}

      <h2 className="mt-8">{copy.scheduleHeading}</h2>
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="schedule" />
        <p className="text-slate-700">{copy.scheduleHint}</p>
        <TextField
          name="startOn"
          type="date"
          label={copy.startOn}
          error={on("schedule")?.startOn}
          defaultValue={on("schedule") ? values.startOn : data.award.startDate}
        />
        <TextField
          name="endOn"
          type="date"
          label={copy.endOn}
          error={on("schedule")?.endOn}
          defaultValue={on("schedule") ? values.endOn : data.award.endDate}
        />
        <TextField
          name="everyMonths"
          inputMode="numeric"
          label={copy.everyMonths}
          error={on("schedule")?.everyMonths}
          defaultValue={on("schedule") ? values.everyMonths : "3"}
          className="max-w-[8rem]"
        />
        <button type="submit" className="btn">
          {copy.schedule}
        </button>
      </Form>

      <h2 className="mt-8">{copy.addHeading}</h2>
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="add" />
        <RadioGroup
          name="kind"
          label={copy.kind}
          error={on("add")?.kind}
          defaultValue={on("add") ? values.kind : "progress"}
          options={[
            { value: "progress", label: copy.progress },
            { value: "final", label: copy.final },
          ]}
        />
        <TextField name="dueOn" type="date" label={copy.dueOn} error={on("add")?.dueOn} defaultValue={on("add") ? values.dueOn : ""} />
        <button type="submit" className="btn">
          {copy.add}
        </button>
      </Form>

      <p className="mt-8">
        <Link to={`/admin/awards/${data.award.id}`}>{copy.back}</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

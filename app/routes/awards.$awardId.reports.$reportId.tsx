import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, MaxPartSizeExceededError, redirect, unstable_createMemoryUploadHandler, type UploadHandler } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedMultipart } from "~/auth/csrf.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextareaField } from "~/components/ui/textarea-field";
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from "~/domain/file-type";
import { reportFormSchema } from "~/domain/forms/monitoring";
import { formatPence, penceToPoundsInput } from "~/domain/money";
import { canSubmitReport, isOverdue, spendAgainstBudget, spendDifferenceText } from "~/domain/monitoring";
import { formatDate, ukDate } from "~/domain/phases";
import type { BudgetLine, Outcome } from "~/domain/proposal";
import { getReport, listReportFiles, type AwardFacts } from "~/models/monitoring.server";
import { EVIDENCE_TOO_LARGE, EVIDENCE_TOO_MANY, submitReport } from "~/services/monitoring.server";
import { requireAwardMember } from "~/utils/award-access.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: (kind: string) => (kind === "final" ? "Final report" : "Progress report"),
  due: (date: string) => `Due ${date}`,
  overdue: "This report is overdue. Please send it as soon as you can.",
  moreRequested: "The fund administrator has asked for more information:",
  progress: "Progress",
  progressHint: "What has happened since your last report, and what is next.",
  spendHeading: "Spend to date",
  spendHint: "For each budget line in your proposal, how much you have spent so far, in pounds. Enter 0 if nothing yet.",
  spendLabel: (item: string, budget: string) => `${item} (budget ${budget})`,
  outcomesHeading: "Outcomes achieved",
  outcomesHint: "Against each outcome in your proposal, what you have achieved so far.",
  outcomeLabel: (outcome: string, measure: string) => (measure ? `${outcome} (measured by: ${measure})` : outcome),
  evidence: "Photos or other evidence (optional)",
  evidenceHint: `Up to ${MAX_ATTACHMENTS} files. Each must be a photo (JPEG or PNG) or a PDF of 10 MB or smaller.`,
  submit: "Send the report",
  status: {
    due: "Due",
    submitted: "Submitted: waiting for review",
    approved: "Approved",
    more_requested: "More information asked for",
  },
  statusLine: (s: string) => `Status: ${s}`,
  spendCaption: "Spend to date against the budget lines",
  spendColumns: ["Budget line", "Budget", "Spent", "Over or under"],
  outcomesCaption: "Outcomes achieved",
  outcomeColumns: ["Outcome", "Measure", "Achieved"],
  files: "Evidence sent",
  back: "Back to your reports",
};

export const meta: MetaFunction = () => [{ title: "Monitoring report – Community Grant Decisions" }];

const parseJson = <T,>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

type SpendJson = { item: string; budget_pence: number; spent_pence: number };
type OutcomeJson = { outcome: string; measure: string; achieved: string };

/** The proposal's budget lines and outcomes: the form is prefilled with them. */
function planOf(award: AwardFacts) {
  return {
    budgetLines: parseJson<BudgetLine[]>(award.budget_lines, []),
    outcomes: parseJson<Outcome[]>(award.outcomes, []),
  };
}

async function load(request: Request, params: { awardId?: string; reportId?: string }) {
  const { user, award } = await requireAwardMember(request, params.awardId);
  const report = await getReport(getDb(), award.id, params.reportId ?? "");
  if (!report) throw notFound();
  return { user, award, report };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { award, report } = await load(request, params);
  const plan = planOf(award);
  const savedSpend = parseJson<SpendJson[]>(report.spend, []);
  const savedOutcomes = parseJson<OutcomeJson[]>(report.outcomes, []);
  const files = (await listReportFiles(getDb(), award.id)).filter((f) => f.report_id === report.id);
  const spend = spendAgainstBudget(
    savedSpend.map((l) => ({
      item: l.item,
      budgetPence: l.budget_pence,
      spentPence: l.spent_pence,
    })),
  );
  return json({
    award: { id: award.id, reference: award.reference, title: award.title },
    report: {
      id: report.id,
      kind: report.kind,
      dueOn: formatDate(report.due_on),
      status: report.status,
      isOverdue: isOverdue({ dueOn: report.due_on, status: report.status }, ukDate(new Date())),
      canSubmit: canSubmitReport(report.status),
      progress: report.progress,
      reviewNote: report.review_note,
    },
    budgetLines: plan.budgetLines.map((l, i) => ({
      item: l.item,
      budget: formatPence(l.costPence),
      spent: penceToPoundsInput(savedSpend.find((s) => s.item === l.item)?.spent_pence ?? (savedSpend[i] ? savedSpend[i]!.spent_pence : null)),
    })),
    outcomes: plan.outcomes.map((o, i) => ({
      outcome: o.outcome,
      measure: o.measure,
      achieved: savedOutcomes[i]?.achieved ?? "",
    })),
    submitted: {
      spend: spend.lines.map((l) => ({
        item: l.item,
        budget: formatPence(l.budgetPence),
        spent: formatPence(l.spentPence),
        difference: spendDifferenceText(l.differencePence),
      })),
      outcomes: savedOutcomes,
      files: files.map((f) => ({ id: f.id, name: f.original_name })),
    },
  });
}

const FIELD = /^(progress|spend\[\d{1,3}\]|achieved\[\d{1,3}\]|files)$/;

/** Small text fields and up to five files of 10 MB, in memory; anything else stops reading. */
function uploadHandler(tooMany: { value: boolean }): UploadHandler {
  const memory = unstable_createMemoryUploadHandler({
    maxPartSize: MAX_ATTACHMENT_BYTES,
  });
  let parts = 0;
  let files = 0;
  return async (part) => {
    parts += 1;
    if (parts > 400 || !FIELD.test(part.name) || (part.filename !== undefined && part.name !== "files")) {
      throw new Error(`Unexpected form part: ${part.name}`);
    }
    if (part.filename) {
      files += 1;
      if (files > MAX_ATTACHMENTS) {
        tooMany.value = true;
        for await (const chunk of part.data) void chunk;
        return undefined;
      }
    }
    return memory(part);
  };
}

type ActionData = FormActionData;

export async function action({ request, params }: ActionFunctionArgs) {
  const tooMany = { value: false };
  let form: FormData;
  try {
    form = await readVerifiedMultipart(request, uploadHandler(tooMany));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      await load(request, params);
      return formError({ files: EVIDENCE_TOO_LARGE });
    }
    throw error;
  }
  const { user, award, report } = await load(request, params);
  const plan = planOf(award);
  const schema = reportFormSchema(plan, { tooManyFiles: tooMany.value ? EVIDENCE_TOO_MANY : undefined });
  return submitForm(form, schema, async ({ progress, spend, achieved }) => {
    const files = form.getAll("files").filter((f): f is File => f instanceof File && (f.size > 0 || f.name !== ""));
    await submitReport(getDb(), user, report.id, {
      progress,
      spend,
      outcomes: achieved,
      files: await Promise.all(
        files.map(async (f) => ({
          name: f.name,
          bytes: new Uint8Array(await f.arrayBuffer()),
        })),
      ),
    });
    return redirect(`/awards/${award.id}/reports?submitted=1`);
  });
}

export default function AwardReport() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const errors = actionData?.errors;
  const values = actionData?.values;
  const r = data.report;
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      <p className="mb-1 text-slate-700">
        {data.award.reference} · {data.award.title}
      </p>
      <h1>{copy.title(r.kind)}</h1>
      <p>
        {copy.due(r.dueOn)} · {copy.statusLine(copy.status[r.status])}
      </p>
      {r.isOverdue ? <p className="panel font-semibold text-red-800">{copy.overdue}</p> : null}
      {r.status === "more_requested" && r.reviewNote ? (
        <div className="panel">
          <p className="font-semibold">{copy.moreRequested}</p>
          <p className="whitespace-pre-wrap">{r.reviewNote}</p>
        </div>
      ) : null}

      {r.canSubmit ? (
        <Form method="post" encType="multipart/form-data" noValidate>
          {/* The token comes first, so a forged upload is refused before any file is read. */}
          <CsrfInput />
          <TextareaField
            name="progress"
            label={copy.progress}
            hint={copy.progressHint}
            error={errors?.progress}
            defaultValue={values?.progress ?? r.progress}
            rows={6}
          />

          {data.budgetLines.length ? (
            <fieldset className="mb-6">
              <legend className="mb-1 text-xl font-semibold">{copy.spendHeading}</legend>
              <p className="text-slate-700">{copy.spendHint}</p>
              {data.budgetLines.map((l, i) => {
                const name = `spend[${i}]`;
                const error = errors?.[name];
                return (
                  <div key={name} className={`mb-4 ${error ? "border-l-4 border-red-700 pl-3" : ""}`}>
                    <label htmlFor={name} className="mb-1 block font-semibold">
                      {copy.spendLabel(l.item, l.budget)}
                    </label>
                    {error ? (
                      <p id={`${name}-error`} className="mb-1 font-semibold text-red-800">
                        <span className="sr-only">Error: </span>
                        {error}
                      </p>
                    ) : null}
                    <input
                      id={name}
                      name={name}
                      inputMode="decimal"
                      autoComplete="off"
                      defaultValue={values?.[name] ?? l.spent}
                      aria-describedby={error ? `${name}-error` : undefined}
                      aria-invalid={error ? true : undefined}
                      className={`input max-w-[12rem] ${error ? "input-error" : ""}`}
                    />
                  </div>
                );
              })}
            </fieldset>
          ) : null}

          {data.outcomes.length ? (
            <fieldset className="mb-6">
              <legend className="mb-1 text-xl font-semibold">{copy.outcomesHeading}</legend>
              <p className="text-slate-700">{copy.outcomesHint}</p>
              {data.outcomes.map((o, i) => (
                <TextareaField
                  key={i}
                  name={`achieved[${i}]`}
                  label={copy.outcomeLabel(o.outcome, o.measure)}
                  error={errors?.[`achieved[${i}]`]}
                  defaultValue={values?.[`achieved[${i}]`] ?? o.achieved}
                  rows={3}
                />
              ))}
            </fieldset>
          ) : null}

          <div className={`mb-6 ${errors?.files ? "border-l-4 border-red-700 pl-3" : ""}`}>
            <label htmlFor="files" className="mb-1 block font-semibold">
              {copy.evidence}
            </label>
            <p id="files-hint" className="mb-1 text-slate-700">
              {copy.evidenceHint}
            </p>
            {errors?.files ? (
              <p id="files-error" className="mb-1 font-semibold text-red-800">
                <span className="sr-only">Error: </span>
                {errors.files}
              </p>
            ) : null}
            <input
              id="files"
              name="files"
              type="file"
              multiple
              accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
              aria-describedby={errors?.files ? "files-hint files-error" : "files-hint"}
              aria-invalid={errors?.files ? true : undefined}
              className="block w-full max-w-xl"
            />
          </div>
          <button type="submit" className="btn">
            {copy.submit}
          </button>
        </Form>
      ) : (
        <>
          <h2>{copy.progress}</h2>
          <p className="whitespace-pre-wrap">{r.progress}</p>
          {data.submitted.spend.length ? (
            <DataTable caption={copy.spendCaption} isCaptionVisible columns={copy.spendColumns}>
              {data.submitted.spend.map((l, i) => (
                <tr key={i}>
                  <td>{l.item}</td>
                  <td>{l.budget}</td>
                  <td>{l.spent}</td>
                  <td>{l.difference}</td>
                </tr>
              ))}
            </DataTable>
          ) : null}
          {data.submitted.outcomes.length ? (
            <DataTable caption={copy.outcomesCaption} isCaptionVisible columns={copy.outcomeColumns}>
              {data.submitted.outcomes.map((o, i) => (
                <tr key={i}>
                  <td>{o.outcome}</td>
                  <td>{o.measure}</td>
                  <td className="whitespace-pre-wrap">{o.achieved}</td>
                </tr>
              ))}
            </DataTable>
          ) : null}
        </>
      )}
      {data.submitted.files.length ? (
        <>
          <h2 className="mt-8">{copy.files}</h2>
          <ul>
            {data.submitted.files.map((f) => (
              <li key={f.id} className="break-all">
                <a href={`/award-files/${f.id}`} download>
                  {f.name}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p className="mt-8">
        <Link to={`/awards/${data.award.id}/reports`}>{copy.back}</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

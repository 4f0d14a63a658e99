import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { readVerifiedForm } from "~/auth/csrf.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup, TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { formatPence, parsePoundsToPence } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { NEED_LABELS, NEED_TYPES, SUMMARY_MAX_WORDS } from "~/domain/proposal";
import {
  applyRowIntent,
  budgetCostField,
  budgetItemField,
  dateFieldNames,
  isSectionId,
  MAX_ROWS,
  measureField,
  outcomeField,
  parseSection,
  savedRowCount,
  sectionIntent,
  sectionOf,
  sectionValues,
  wordsLeftMessage,
  type FormValues,
  type SectionId,
} from "~/domain/proposal-sections";
import { isEditable, STATUS_LABELS } from "~/domain/proposal-status";
import { contentOf, getGroupContext } from "~/models/proposal.server";
import { saveSection } from "~/services/proposals.server";
import { getDb } from "~/utils/db.server";
import type { FieldErrors } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";
import { requireEditable } from "~/utils/proposal-access.server";

const copy = {
  back: "Back to your proposal",
  save: "Save and go back to the list",
  savedSome: "We saved the answers on this page that are right. Fix the ones below, then save again.",
  notEditable: (status: string) =>
    `This proposal is "${status}". You can only change it while it is a draft, or after your lead organisation asks for changes.`,
  // About the project
  titleLabel: "Title of your proposal",
  titleHint: "A short name for your project. For example, 'New kitchen for the Lawrence Hill community centre'.",
  summary: "Summary",
  summaryHint: (left: string) => `Say what your project is in ${SUMMARY_MAX_WORDS} words or fewer. ${left}.`,
  needType: "What kind of need does it meet?",
  needTypeHint: "Choose the one that fits best.",
  needEvidence: "How do you know people need it?",
  needEvidenceHint: "For example: a survey, a waiting list, local facts and figures, or a report.",
  whatBuilt: "What will be built or bought?",
  whatBuiltHint: "This fund pays for things you can touch, like a building, tools or a better space. It does not pay to run a service.",
  // Who benefits
  beneficiaries: "Who will it help?",
  beneficiariesHint: "Say which people or groups will use what you build or buy.",
  beneficiaryCount: "How many people will it help?",
  beneficiaryCountHint: "A whole number. For example, 250.",
  // Budget
  budgetLegend: "What you will spend the money on",
  budgetHint: "Add one thing on each line, with its cost in pounds.",
  budgetLine: (n: number) => `Budget line ${n}`,
  item: "What it is for",
  cost: "Cost in £",
  removeLine: (n: number) => ` budget line ${n}`,
  addLine: "Add another budget line",
  total: (t: string) => `Total of the budget lines: ${t}`,
  amount: "How much do you ask for, in £?",
  amountHint: (min: string, max: string) => `Between ${min} and ${max}. It can be less than your budget total if other money pays for the rest.`,
  least: "What is the least you could accept, in £?",
  leastHint:
    "The panel may not be able to give everyone the full amount. What is the least that would still let you do the project? Leave it empty if you need the full amount.",
  // Dates
  datesIntro: "Tell us when the project will start and end.",
  startDate: "When will the project start?",
  endDate: "When will the project end?",
  dateHint: "For example, 27 3 2027",
  startRule: (date: string) => `The project cannot start before ${date}, when the fund makes its decisions.`,
  day: "Day",
  month: "Month",
  year: "Year",
  // Outcomes
  outcomesLegend: "What will be different",
  outcomesHint: `Add up to ${MAX_ROWS.outcomes} things that will change because of your project, and how you will count or check each one.`,
  outcomeLegend: (n: number) => `Outcome ${n}`,
  outcome: "What will be different",
  measure: "How you will measure it",
  removeOutcome: (n: number) => ` outcome ${n}`,
  addOutcome: "Add another outcome",
  remove: "Remove",
};

type ActionData = { errors?: FieldErrors; values?: FormValues; rows?: number; savedSome?: boolean };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "Your proposal"} – Community Grant Decisions` }];

function sectionParam(value: string | undefined): SectionId {
  if (!isSectionId(value)) throw notFound();
  return value;
}

async function groupOf(decisionGroupId: string) {
  const group = await getGroupContext(getDb(), decisionGroupId);
  if (!group) throw notFound();
  return group;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const section = sectionParam(params.section);
  const { proposal } = await requireEditable(request, params.proposalId);
  if (!isEditable(proposal.status)) throw redirect(`/proposals/${proposal.id}/edit`);
  const group = await groupOf(proposal.decision_group_id);
  const draft = { content: contentOf(proposal), leastPence: proposal.part_funding_floor_pence };
  const requested = Number.parseInt(new URL(request.url).searchParams.get("rows") ?? "0", 10);
  return json({
    section,
    title: sectionOf(section).title,
    proposal: { id: proposal.id, reference: proposal.reference, title: proposal.title },
    values: sectionValues(draft),
    rows: savedRowCount(section, draft, Number.isFinite(requested) ? requested : 0),
    group: {
      min: formatPence(group.min_grant_pence),
      max: formatPence(group.max_grant_pence),
      decisionsOn: group.decisions_on ? formatDate(group.decisions_on) : null,
    },
  });
}

/** Any field may be sent: the section's own rules (app/domain/proposal-sections.ts) read the values. */
const SectionFormSchema = z.object({ intent: z.string().optional() });

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const section = sectionParam(params.section);
  const { user, proposal } = await requireEditable(request, params.proposalId);
  if (!isEditable(proposal.status)) return formError({ form: copy.notEditable(STATUS_LABELS[proposal.status]) });
  const group = await groupOf(proposal.decision_group_id);
  const base = `/proposals/${proposal.id}`;
  return submitForm(form, SectionFormSchema, async (data, sent) => {
    const intent = sectionIntent(data.intent);
    const { values, rows } = applyRowIntent(sent, section, intent);
    const result = parseSection(section, values, {
      limits: { minGrantPence: group.min_grant_pence, maxGrantPence: group.max_grant_pence, potPence: group.pot_pence },
      dateRules: { decisionsOn: group.decisions_on },
      saved: { content: contentOf(proposal), leastPence: proposal.part_funding_floor_pence },
      formatDate,
    });
    const hasPatch = Object.keys(result.patch).length > 0;
    if (hasPatch) await saveSection(getDb(), user, proposal.id, section, result.patch);
    if (Object.keys(result.errors).length) {
      return formError<ActionData>(result.errors, values, { rows, savedSome: hasPatch });
    }
    if (intent.kind === "add_row") {
      const first = section === "budget" ? budgetItemField(rows - 1) : outcomeField(rows - 1);
      return redirect(`${base}/sections/${section}?rows=${rows}#${first}`);
    }
    if (intent.kind === "remove_row") return redirect(`${base}/sections/${section}?rows=${rows}`);
    return redirect(`${base}/edit?saved=${section}`);
  });
}

function DateInput({ name, legend, hint, values, error }: { name: "startDate" | "endDate"; legend: string; hint: string; values: FormValues; error?: string }) {
  const f = dateFieldNames(name);
  const describedBy = [`${name}-hint`, error ? `${name}-error` : null].filter(Boolean).join(" ");
  const box = (id: string, field: string, label: string, width: string) => (
    <div>
      <label htmlFor={id} className="mb-1 block">
        {label}
      </label>
      <input
        id={id}
        name={field}
        type="text"
        inputMode="numeric"
        defaultValue={values[field] ?? ""}
        aria-invalid={error ? true : undefined}
        className={`input ${width} ${error ? "input-error" : ""}`}
      />
    </div>
  );
  return (
    <fieldset role="group" aria-describedby={describedBy} className={`mb-6 ${error ? "border-l-4 border-red-700 pl-3" : ""}`}>
      <legend className="mb-1 text-xl font-bold">{legend}</legend>
      <p id={`${name}-hint`} className="mb-1 text-slate-700">
        {hint}
      </p>
      {error ? (
        <p id={`${name}-error`} className="mb-1 font-semibold text-red-800">
          <span className="sr-only">Error: </span>
          {error}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-4">
        {/* The day box takes the field's own id, so the error summary's link lands on it. */}
        {box(name, f.day, copy.day, "w-16")}
        {box(`${name}-month`, f.month, copy.month, "w-16")}
        {box(`${name}-year`, f.year, copy.year, "w-24")}
      </div>
    </fieldset>
  );
}

function RowsFieldset(props: {
  legend: string;
  hint: string;
  rows: number;
  max: number;
  errors?: FieldErrors;
  rowLegend: (n: number) => string;
  removeLabel: (n: number) => string;
  addLabel: string;
  renderRow: (i: number) => JSX.Element;
  children?: JSX.Element | null;
}) {
  return (
    <fieldset className="mb-6" aria-describedby="rows-hint">
      <legend className="mb-1 text-xl font-bold">{props.legend}</legend>
      <p id="rows-hint" className="text-slate-700">
        {props.hint}
      </p>
      {Array.from({ length: props.rows }, (_, i) => (
        <fieldset key={i} className="mb-4 border-b border-slate-300 pb-2">
          <legend className="font-semibold">{props.rowLegend(i + 1)}</legend>
          {props.renderRow(i)}
          {props.rows > 1 ? (
            <button type="submit" name="intent" value={`remove-row-${i}`} className="btn-secondary">
              {copy.remove}
              <span className="sr-only">{props.removeLabel(i + 1)}</span>
            </button>
          ) : null}
        </fieldset>
      ))}
      {props.children}
      {props.rows < props.max ? (
        <button type="submit" name="intent" value="add-row" className="btn-secondary">
          {props.addLabel}
        </button>
      ) : null}
    </fieldset>
  );
}

function budgetTotal(values: FormValues, rows: number): number {
  let total = 0;
  for (let i = 0; i < rows; i += 1) total += parsePoundsToPence(values[budgetCostField(i)] ?? "") ?? 0;
  return total;
}

export default function SectionPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const errors = actionData?.errors;
  const values: FormValues = actionData?.values ?? data.values;
  const rows = actionData?.rows ?? data.rows;
  const v = (name: string) => values[name] ?? "";
  const base = `/proposals/${data.proposal.id}`;

  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`${base}/edit`}>{copy.back}</Link>
      </p>
      <ErrorSummary errors={errors} />
      {actionData?.savedSome ? <p className="panel">{copy.savedSome}</p> : null}
      <p className="mb-1 text-slate-700">
        {data.proposal.reference}
        {data.proposal.title ? ` · ${data.proposal.title}` : null}
      </p>
      <h1>{data.title}</h1>
      <Form method="post" noValidate>
        <CsrfInput />
        {/* Pressing Enter in a box saves: the first button in a form is the one Enter presses, so it is "save", not "remove". */}
        <button type="submit" name="intent" value="save" className="sr-only" tabIndex={-1} aria-hidden="true">
          {copy.save}
        </button>

        {data.section === "about" ? (
          <>
            <TextField name="title" label={copy.titleLabel} hint={copy.titleHint} defaultValue={v("title")} error={errors?.title} />
            <TextareaField
              name="summary"
              label={copy.summary}
              hint={copy.summaryHint(wordsLeftMessage(v("summary")))}
              rows={6}
              defaultValue={v("summary")}
              error={errors?.summary}
            />
            <RadioGroup
              name="needType"
              label={copy.needType}
              hint={copy.needTypeHint}
              defaultValue={v("needType")}
              error={errors?.needType}
              options={NEED_TYPES.map((t) => ({ value: t, label: NEED_LABELS[t] }))}
            />
            <TextareaField
              name="needEvidence"
              label={copy.needEvidence}
              hint={copy.needEvidenceHint}
              defaultValue={v("needEvidence")}
              error={errors?.needEvidence}
            />
            <TextareaField name="whatBuilt" label={copy.whatBuilt} hint={copy.whatBuiltHint} defaultValue={v("whatBuilt")} error={errors?.whatBuilt} />
          </>
        ) : null}

        {data.section === "benefits" ? (
          <>
            <TextareaField
              name="beneficiaries"
              label={copy.beneficiaries}
              hint={copy.beneficiariesHint}
              rows={3}
              defaultValue={v("beneficiaries")}
              error={errors?.beneficiaries}
            />
            <TextField
              name="beneficiaryCount"
              label={copy.beneficiaryCount}
              hint={copy.beneficiaryCountHint}
              inputMode="numeric"
              className="max-w-[10rem]"
              defaultValue={v("beneficiaryCount")}
              error={errors?.beneficiaryCount}
            />
          </>
        ) : null}

        {data.section === "budget" ? (
          <>
            <RowsFieldset
              legend={copy.budgetLegend}
              hint={copy.budgetHint}
              rows={rows}
              max={MAX_ROWS.budget}
              errors={errors}
              rowLegend={copy.budgetLine}
              removeLabel={copy.removeLine}
              addLabel={copy.addLine}
              renderRow={(i) => (
                <div className="flex flex-wrap gap-x-4">
                  <div className="min-w-0 flex-1 basis-56">
                    <TextField name={budgetItemField(i)} label={copy.item} defaultValue={v(budgetItemField(i))} error={errors?.[budgetItemField(i)]} />
                  </div>
                  <div className="w-40">
                    <TextField
                      name={budgetCostField(i)}
                      label={copy.cost}
                      inputMode="decimal"
                      defaultValue={v(budgetCostField(i))}
                      error={errors?.[budgetCostField(i)]}
                    />
                  </div>
                </div>
              )}
            >
              <p className="font-semibold">{copy.total(formatPence(budgetTotal(values, rows)))}</p>
            </RowsFieldset>
            <TextField
              name="amountRequested"
              label={copy.amount}
              hint={copy.amountHint(data.group.min, data.group.max)}
              inputMode="decimal"
              className="max-w-[14rem]"
              defaultValue={v("amountRequested")}
              error={errors?.amountRequested}
            />
            <TextField
              name="leastPence"
              label={copy.least}
              hint={copy.leastHint}
              inputMode="decimal"
              className="max-w-[14rem]"
              defaultValue={v("leastPence")}
              error={errors?.leastPence}
            />
          </>
        ) : null}

        {data.section === "dates" ? (
          <>
            <p>{copy.datesIntro}</p>
            {data.group.decisionsOn ? <p>{copy.startRule(data.group.decisionsOn)}</p> : null}
            <DateInput name="startDate" legend={copy.startDate} hint={copy.dateHint} values={values} error={errors?.startDate} />
            <DateInput name="endDate" legend={copy.endDate} hint={copy.dateHint} values={values} error={errors?.endDate} />
          </>
        ) : null}

        {data.section === "outcomes" ? (
          <RowsFieldset
            legend={copy.outcomesLegend}
            hint={copy.outcomesHint}
            rows={rows}
            max={MAX_ROWS.outcomes}
            errors={errors}
            rowLegend={copy.outcomeLegend}
            removeLabel={copy.removeOutcome}
            addLabel={copy.addOutcome}
            renderRow={(i) => (
              <>
                <TextField name={outcomeField(i)} label={copy.outcome} defaultValue={v(outcomeField(i))} error={errors?.[outcomeField(i)]} />
                <TextField name={measureField(i)} label={copy.measure} defaultValue={v(measureField(i))} error={errors?.[measureField(i)]} />
              </>
            )}
          />
        ) : null}

        <div className="mt-8">
          <button type="submit" name="intent" value="save" className="btn">
            {copy.save}
          </button>
        </div>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

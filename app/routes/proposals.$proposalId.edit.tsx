import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup, TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { MAX_ATTACHMENTS } from "~/domain/file-type";
import {
  budgetCostField,
  budgetItemField,
  budgetRowCount,
  BLANK_BUDGET_ROWS,
  measureField,
  outcomeField,
  ProposalIntentSchema,
  proposalFormSchema,
  valuesOf,
} from "~/domain/forms/proposal";
import { formatPence, parsePoundsToPence, penceToPoundsInput } from "~/domain/money";
import { can, isPreparingLead } from "~/domain/permissions";
import { formatDate, submissionWindow } from "~/domain/phases";
import { checklist, MAX_BUDGET_LINES, MAX_OUTCOMES, NEED_LABELS, NEED_TYPES, SUMMARY_MAX_WORDS, wordCount } from "~/domain/proposal";
import { isEditable, STATUS_LABELS } from "~/domain/proposal-status";
import { countAttachments } from "~/models/attachment.server";
import { getOrganisation } from "~/models/directory.server";
import { contentOf, findProposalFor, getGroupContext, listMessages, proposalFacts } from "~/models/proposal.server";
import { handToGroup, saveDraft, submitProposal } from "~/services/proposals.server";
import { getDb } from "~/utils/db.server";
import type { FieldErrors, FormActionData } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";
import { forbidden, notFound } from "~/utils/http.server";

const copy = {
  title: "Write your outline proposal",
  untitled: "Untitled draft",
  intro: "You can save a draft at any time and come back to it. Nothing is sent to your lead organisation until you submit.",
  forGroup: (group: string, fund: string) => `For ${group} (${fund}).`,
  prepared: (org: string) => `Prepared with the support of ${org}.`,
  saved: "Your draft has been saved.",
  morelines: "Your draft has been saved. There are more blank budget lines below.",
  closed: (date: string) => `Proposals for this fund closed on ${date}. You can no longer submit.`,
  closedPage: (date: string) => `Proposals for this fund closed on ${date}. You can still save your draft, but it can no longer be submitted.`,
  notOpen: (date: string) => `Proposals for this fund open on ${date}. You can write and save your draft now, and submit it from that date.`,
  closingDate: (date: string) => `The closing date for submitting is ${date}.`,
  notEditableTitle: "This proposal cannot be changed now",
  notEditable: (status: string) =>
    `This proposal is "${status}". It can only be changed while it is a draft or after your lead organisation has asked for changes.`,
  seeProposal: "See the proposal and where it is",
  changesRequested: "Your lead organisation asked for these changes",
  checklistTitle: "Before you can submit",
  checklistDone: "Done",
  checklistToDo: "To do",
  checklistAllDone: "Everything is ready. You can submit the proposal.",
  titleLabel: "Title of your proposal",
  titleHint: "A short name for your project, for example 'New kitchen for the Lawrence Hill community centre'.",
  summary: "Summary",
  summaryHint: (used: number) => `Describe your project in ${SUMMARY_MAX_WORDS} words or fewer. You have used ${used} words.`,
  needType: "What kind of need does it meet?",
  needTypeHint: "Choose the one that fits best.",
  needEvidence: "Evidence of the need",
  needEvidenceHint: "For example: a survey of residents, waiting lists, local statistics or a report.",
  beneficiaries: "Who benefits?",
  beneficiariesHint: "Which people or groups will use what you build or buy.",
  beneficiaryCount: "How many people will benefit?",
  beneficiaryCountHint: "A whole number, for example 250.",
  whatBuilt: "What will be built or bought?",
  whatBuiltHint: "This fund pays for physical things, like buildings, equipment or improvements to a space, not for running a service.",
  budget: "Budget",
  budgetHint: "List what you will spend the money on, one item per line, with its cost in pounds. Leave lines you do not need blank.",
  budgetLine: (n: number) => `Budget line ${n}`,
  item: "What it is for",
  cost: "Cost in £",
  total: "Total of the budget lines",
  totalHint: "The total is worked out from the lines above when the page loads or you save.",
  moreLines: "Save and add more budget lines",
  amount: "Amount requested in £",
  amountHint: (min: string, max: string, pot: string) =>
    `Between ${min} and ${max} for this decision group. The group's whole pot is ${pot}. This can be less than your budget total if other money pays for the rest.`,
  dates: "When will the project happen?",
  startDate: "Start date",
  endDate: "End date",
  dateHint: "For example, 2027-04-01.",
  outcomes: "Outcomes",
  outcomesHint: `Up to ${MAX_OUTCOMES} things that will be different because of your project, and how you will measure each one. Make them specific and measurable.`,
  outcomeLegend: (n: number) => `Outcome ${n}`,
  outcome: "What will be different",
  measure: "How you will measure it",
  attachments: "Files",
  attachmentsBody: (n: number) =>
    `You have attached ${n} of up to ${MAX_ATTACHMENTS} files (quotes, plans, photos). Save your draft before you go to the files page.`,
  attachmentsLink: "Add or remove files",
  groupConfirmation: "The group's confirmation",
  groupConfirmationHint:
    "You are submitting on the group's behalf. Record how and when the group confirmed they want this proposal submitted, for example 'Agreed by the committee at its meeting on 3 March, minuted'.",
  save: "Save draft",
  submit: "Submit to lead organisation",
  // A lead organisation that prepared the proposal is the lead organisation: the proposal joins its own list to support, send back or decline.
  submitAsLead: "Submit for your organisation's review",
  handTitle: "Hand the proposal to the group",
  handBody: "Saves the draft and tells the group it is ready for them to check, finish and submit themselves.",
  hand: "Save and hand to the group",
  submitIncomplete: "Your draft has been saved, but it cannot be submitted yet. Finish these first:",
};

type ActionData = FormActionData;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.proposal.title || copy.title} – Community Grant Decisions` }];

/**
 * The proposal and the policy's facts about it: 403 for a hat that never
 * writes proposals, 404 for one the person may not read, and 403 for one
 * they may read but not change (a lead organisation reading a group's own
 * proposal) while it is open to change.
 */
async function requireEditable(request: Request, proposalId: string | undefined) {
  const user = await requireUser(request);
  if (!can(user, "proposals.write")) throw forbidden();
  const db = getDb();
  const proposal = await findProposalFor(db, user, proposalId ?? "");
  if (!proposal) throw notFound();
  const facts = await proposalFacts(db, proposal, user);
  if (isEditable(proposal.status) && !can(user, "proposal.edit", facts)) throw forbidden();
  return { user, proposal, facts };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal, facts } = await requireEditable(request, params.proposalId);
  const db = getDb();
  const [group, attachments, messages, organisation, preparedBy] = await Promise.all([
    getGroupContext(db, proposal.decision_group_id),
    countAttachments(db, proposal.id),
    listMessages(db, proposal.id),
    getOrganisation(db, proposal.organisation_id),
    proposal.prepared_by_organisation_id ? getOrganisation(db, proposal.prepared_by_organisation_id) : Promise.resolve(undefined),
  ]);
  if (!group) throw notFound();
  const content = contentOf(proposal);
  const limits = { minGrantPence: group.min_grant_pence, maxGrantPence: group.max_grant_pence, potPence: group.pot_pence };
  const requestedRows = Number.parseInt(new URL(request.url).searchParams.get("budgetRows") ?? "0", 10);
  const changeNote = proposal.status === "changes_requested" ? [...messages].reverse().find((m) => m.kind === "changes_requested") : undefined;
  return json({
    proposal: { id: proposal.id, reference: proposal.reference, title: proposal.title, status: proposal.status, statusLabel: STATUS_LABELS[proposal.status] },
    isEditable: can(user, "proposal.edit", facts),
    values: valuesOf(content, penceToPoundsInput),
    requestedRows: Number.isFinite(requestedRows) ? Math.min(requestedRows, MAX_BUDGET_LINES) : 0,
    checklist: checklist(content, limits),
    summaryWords: wordCount(content.summary),
    group: {
      name: group.name,
      fundName: group.fund_name,
      min: formatPence(group.min_grant_pence),
      max: formatPence(group.max_grant_pence),
      pot: formatPence(group.pot_pence),
      window: submissionWindow(group, new Date()),
      opensOn: formatDate(group.opens_on),
      closesOn: formatDate(group.closes_on),
    },
    attachments,
    organisationName: organisation?.name ?? "",
    preparedByName: preparedBy?.name ?? null,
    isLead: isPreparingLead(user, facts),
    submitLabel: isPreparingLead(user, facts) ? copy.submitAsLead : copy.submit,
    canHand: can(user, "proposal.hand_to_group", facts),
    changeNote: changeNote ? { body: changeNote.body, author: changeNote.author_name, at: formatDate(changeNote.created_at) } : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, proposal } = await requireEditable(request, params.proposalId);
  const db = getDb();
  const group = await getGroupContext(db, proposal.decision_group_id);
  if (!group) throw notFound();
  const intent = ProposalIntentSchema.catch("save").parse(form.get("intent") ?? "save");
  const limits = { minGrantPence: group.min_grant_pence, maxGrantPence: group.max_grant_pence, potPence: group.pot_pence };

  if (!isEditable(proposal.status)) return formError({ form: copy.notEditable(STATUS_LABELS[proposal.status]) });
  return submitForm(form, proposalFormSchema(limits), async (content, values) => {
    // Refused for the date before anything is saved: the page already said submitting has closed.
    if (intent === "submit" && submissionWindow(group, new Date()) === "closed") {
      return formError({ form: copy.closed(formatDate(group.closes_on)) }, values);
    }
    await saveDraft(db, user, proposal.id, content);
    const base = `/proposals/${proposal.id}`;
    if (intent === "save") return redirect(`${base}/edit?saved=1`);
    if (intent === "more_lines") {
      const rows = budgetRowCount(values, Number.parseInt(String(form.get("budgetRows") ?? "0"), 10) || 0) + BLANK_BUDGET_ROWS;
      return redirect(`${base}/edit?saved=lines&budgetRows=${Math.min(rows, MAX_BUDGET_LINES)}#budget`);
    }
    if (intent === "hand_to_group") {
      await handToGroup(db, user, proposal.id, "");
      return redirect(`${base}?handed=1`);
    }
    const missing = checklist(content, limits).filter((item) => !item.isDone);
    if (missing.length) {
      const errors: FieldErrors = { form: copy.submitIncomplete };
      for (const item of missing) errors[item.field] = item.label;
      return formError(errors, values);
    }
    await submitProposal(db, user, proposal.id, { groupConfirmation: String(form.get("groupConfirmation") ?? ""), submission: content.submission });
    return redirect(`${base}?submitted=1`);
  });
}

/** The budget total of what is on the screen, worked out the same way on the server and in the browser. */
function totalOf(values: Record<string, string>, rows: number): number {
  let total = 0;
  for (let i = 0; i < rows; i += 1) total += parsePoundsToPence(values[budgetCostField(i)] ?? "") ?? 0;
  return total;
}

export default function EditProposal() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [search] = useSearchParams();
  const errors = actionData?.errors;
  const values: Record<string, string> = actionData?.values ?? data.values;
  const rows = budgetRowCount(values, data.requestedRows);
  const heading = data.proposal.title || copy.untitled;

  if (!data.isEditable) {
    return (
      <div className="max-w-3xl">
        <ErrorSummary errors={errors} />
        <h1>{heading}</h1>
        <h2 className="mt-0">{copy.notEditableTitle}</h2>
        <p>{copy.notEditable(data.proposal.statusLabel)}</p>
        <p>
          <Link to={`/proposals/${data.proposal.id}`}>{copy.seeProposal}</Link>
        </p>
      </div>
    );
  }

  const canSubmit = data.group.window !== "closed";
  return (
    <div>
      <ErrorSummary errors={errors} />
      {!errors && search.get("saved") ? (
        <p role="status" className="panel font-semibold">
          {search.get("saved") === "lines" ? copy.morelines : copy.saved}
        </p>
      ) : null}
      <p className="mb-1 text-slate-700">
        {data.proposal.reference} · {data.organisationName}
      </p>
      <h1>{heading}</h1>
      <p>
        {copy.forGroup(data.group.name, data.group.fundName)} {data.preparedByName ? copy.prepared(data.preparedByName) : null}
      </p>
      <p>{copy.intro}</p>
      {data.group.window === "closed" ? (
        <p className="panel font-semibold">{copy.closedPage(data.group.closesOn)}</p>
      ) : data.group.window === "not_open" ? (
        <p className="panel">{copy.notOpen(data.group.opensOn)}</p>
      ) : data.group.closesOn ? (
        <p className="font-semibold">{copy.closingDate(data.group.closesOn)}</p>
      ) : null}

      {data.changeNote ? (
        <div className="panel">
          <h2 className="mt-0">{copy.changesRequested}</h2>
          <p className="mb-1 whitespace-pre-line break-words">{data.changeNote.body}</p>
          <p className="mb-0 text-sm text-slate-700">
            {data.changeNote.author}, {data.changeNote.at}
          </p>
        </div>
      ) : null}

      <div className="lg:grid lg:grid-cols-3 lg:gap-8">
        <aside aria-labelledby="checklist-title" className="lg:order-2">
          <div className="panel">
            <h2 id="checklist-title" className="mt-0 text-xl">
              {copy.checklistTitle}
            </h2>
            {data.checklist.every((c) => c.isDone) ? <p>{copy.checklistAllDone}</p> : null}
            <ul className="list-none space-y-2 pl-0">
              {data.checklist.map((item) => (
                <li key={item.field}>
                  <span className={`tag mr-2 ${item.isDone ? "bg-green-100 text-green-900" : ""}`}>
                    {item.isDone ? copy.checklistDone : copy.checklistToDo}
                  </span>
                  {item.isDone ? item.label : <a href={`#${item.field}`}>{item.label}</a>}
                </li>
              ))}
            </ul>
          </div>
        </aside>

        <Form method="post" noValidate className="lg:order-1 lg:col-span-2">
          <CsrfInput />
          <input type="hidden" name="budgetRows" value={rows} />
          <TextField name="title" label={copy.titleLabel} hint={copy.titleHint} defaultValue={values.title} error={errors?.title} />
          <TextareaField
            name="summary"
            label={copy.summary}
            hint={copy.summaryHint(data.summaryWords)}
            rows={6}
            defaultValue={values.summary}
            error={errors?.summary}
          />
          <RadioGroup
            name="needType"
            label={copy.needType}
            hint={copy.needTypeHint}
            defaultValue={values.needType}
            error={errors?.needType}
            options={NEED_TYPES.map((t) => ({ value: t, label: NEED_LABELS[t] }))}
          />
          <TextareaField
            name="needEvidence"
            label={copy.needEvidence}
            hint={copy.needEvidenceHint}
            defaultValue={values.needEvidence}
            error={errors?.needEvidence}
          />
          <TextareaField
            name="beneficiaries"
            label={copy.beneficiaries}
            hint={copy.beneficiariesHint}
            rows={3}
            defaultValue={values.beneficiaries}
            error={errors?.beneficiaries}
          />
          <TextField
            name="beneficiaryCount"
            label={copy.beneficiaryCount}
            hint={copy.beneficiaryCountHint}
            inputMode="numeric"
            className="max-w-[10rem]"
            defaultValue={values.beneficiaryCount}
            error={errors?.beneficiaryCount}
          />
          <TextareaField name="whatBuilt" label={copy.whatBuilt} hint={copy.whatBuiltHint} defaultValue={values.whatBuilt} error={errors?.whatBuilt} />

          <fieldset id="budget" tabIndex={-1} className={`mb-6 ${errors?.budget ? "border-l-4 border-red-700 pl-3" : ""}`} aria-describedby="budget-hint">
            <legend className="mb-1 text-2xl font-bold">{copy.budget}</legend>
            <p id="budget-hint" className="text-slate-700">
              {copy.budgetHint}
            </p>
            {errors?.budget ? <p className="font-semibold text-red-800">{errors.budget}</p> : null}
            {Array.from({ length: rows }, (_, i) => (
              <fieldset key={i} className="mb-2 border-b border-slate-300 pb-2">
                <legend className="font-semibold">{copy.budgetLine(i + 1)}</legend>
                <div className="flex flex-wrap gap-x-4">
                  <div className="min-w-0 flex-1 basis-64">
                    <TextField name={budgetItemField(i)} label={copy.item} defaultValue={values[budgetItemField(i)]} error={errors?.[budgetItemField(i)]} />
                  </div>
                  <div className="w-40">
                    <TextField
                      name={budgetCostField(i)}
                      label={copy.cost}
                      inputMode="decimal"
                      defaultValue={values[budgetCostField(i)]}
                      error={errors?.[budgetCostField(i)]}
                    />
                  </div>
                </div>
              </fieldset>
            ))}
            <p className="font-semibold">
              {copy.total}: {formatPence(totalOf(values, rows))}
            </p>
            <p className="text-sm text-slate-700">{copy.totalHint}</p>
            {rows < MAX_BUDGET_LINES ? (
              <button type="submit" name="intent" value="more_lines" className="btn-secondary">
                {copy.moreLines}
              </button>
            ) : null}
          </fieldset>

          <TextField
            name="amountRequested"
            label={copy.amount}
            hint={copy.amountHint(data.group.min, data.group.max, data.group.pot)}
            inputMode="decimal"
            className="max-w-[14rem]"
            defaultValue={values.amountRequested}
            error={errors?.amountRequested}
          />

          <fieldset className="mb-6">
            <legend className="mb-1 text-2xl font-bold">{copy.dates}</legend>
            <div className="flex flex-wrap gap-x-6">
              <TextField
                name="startDate"
                label={copy.startDate}
                hint={copy.dateHint}
                type="date"
                className="max-w-[12rem]"
                defaultValue={values.startDate}
                error={errors?.startDate}
              />
              <TextField
                name="endDate"
                label={copy.endDate}
                hint={copy.dateHint}
                type="date"
                className="max-w-[12rem]"
                defaultValue={values.endDate}
                error={errors?.endDate}
              />
            </div>
          </fieldset>

          <fieldset id="outcomes" tabIndex={-1} className={`mb-6 ${errors?.outcomes ? "border-l-4 border-red-700 pl-3" : ""}`} aria-describedby="outcomes-hint">
            <legend className="mb-1 text-2xl font-bold">{copy.outcomes}</legend>
            <p id="outcomes-hint" className="text-slate-700">
              {copy.outcomesHint}
            </p>
            {errors?.outcomes ? <p className="font-semibold text-red-800">{errors.outcomes}</p> : null}
            {Array.from({ length: MAX_OUTCOMES }, (_, i) => (
              <fieldset key={i} className="mb-2 border-b border-slate-300 pb-2">
                <legend className="font-semibold">{copy.outcomeLegend(i + 1)}</legend>
                <TextField name={outcomeField(i)} label={copy.outcome} defaultValue={values[outcomeField(i)]} error={errors?.[outcomeField(i)]} />
                <TextField name={measureField(i)} label={copy.measure} defaultValue={values[measureField(i)]} error={errors?.[measureField(i)]} />
              </fieldset>
            ))}
          </fieldset>

          <h2>{copy.attachments}</h2>
          <p>{copy.attachmentsBody(data.attachments)}</p>
          <p>
            <Link to={`/proposals/${data.proposal.id}/attachments`}>{copy.attachmentsLink}</Link>
          </p>

          {data.isLead && canSubmit ? (
            <TextareaField
              name="groupConfirmation"
              label={copy.groupConfirmation}
              hint={copy.groupConfirmationHint}
              rows={3}
              defaultValue={values.groupConfirmation}
              error={errors?.groupConfirmation}
            />
          ) : null}

          <div className="mt-8 flex flex-wrap gap-4">
            <button type="submit" name="intent" value="save" className="btn-secondary">
              {copy.save}
            </button>
            {canSubmit ? (
              <button type="submit" name="intent" value="submit" className="btn">
                {data.submitLabel}
              </button>
            ) : null}
          </div>

          {data.canHand ? (
            <div className="mt-8">
              <h2>{copy.handTitle}</h2>
              <p>{copy.handBody}</p>
              <button type="submit" name="intent" value="hand_to_group" className="btn-secondary">
                {copy.hand}
              </button>
            </div>
          ) : null}
        </Form>
      </div>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

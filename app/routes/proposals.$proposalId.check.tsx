import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { readVerifiedForm } from "~/auth/csrf.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextareaField } from "~/components/ui/textarea-field";
import { formatPence } from "~/domain/money";
import { can, isPreparingLead } from "~/domain/permissions";
import { formatDate, submissionWindow } from "~/domain/phases";
import { checklist, NEED_LABELS } from "~/domain/proposal";
import { SECTIONS, sectionForCheck, type SectionId } from "~/domain/proposal-sections";
import { isEditable, STATUS_LABELS } from "~/domain/proposal-status";
import { countAttachments } from "~/models/attachment.server";
import { contentOf, getGroupContext } from "~/models/proposal.server";
import { submitProposal } from "~/services/proposals.server";
import { getDb } from "~/utils/db.server";
import type { FieldErrors, FormActionData } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";
import { requireEditable } from "~/utils/proposal-access.server";

const copy = {
  title: "Check your answers",
  back: "Back to your proposal",
  intro: "Read your answers. You can change any of them before you send the proposal.",
  change: "Change",
  notAnswered: "Not answered yet",
  fullAmount: "We need the full amount",
  files: "Files",
  filesCount: (n: number) => (n === 1 ? "1 file" : `${n} files`),
  labels: {
    title: "Title",
    summary: "Summary",
    needType: "Kind of need",
    needEvidence: "How you know people need it",
    whatBuilt: "What will be built or bought",
    beneficiaries: "Who it will help",
    beneficiaryCount: "How many people it will help",
    budget: "Budget lines",
    amount: "Amount you ask for",
    least: "The least you could accept",
    startDate: "Start date",
    endDate: "End date",
    outcomes: "Outcomes",
  },
  measuredBy: "Measured by",
  sendHeading: "Now send your proposal",
  sendBody: "When you send it, your lead organisation will read it. You cannot change it after that, unless they ask for changes.",
  submit: "Submit to lead organisation",
  // A lead organisation that prepared the proposal is the lead organisation: the proposal joins its own list to support, send back or decline.
  submitAsLead: "Submit for your organisation's review",
  groupConfirmation: "The group's confirmation",
  groupConfirmationHint:
    "You are sending this for the group. Say how and when the group agreed to send it. For example, 'Agreed by the committee at its meeting on 3 March, minuted'.",
  pressSend: "Press the button to send your proposal",
  missing: "You cannot send it yet. Finish these parts first:",
  closed: (date: string) => `Proposals for this fund closed on ${date}. You can no longer submit.`,
  closedPage: (date: string) => `Proposals for this fund closed on ${date}. You cannot send this proposal now.`,
  notEditable: (status: string) =>
    `This proposal is "${status}". You can only change it while it is a draft, or after your lead organisation asks for changes.`,
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

interface Row {
  key: string;
  label: string;
  value: string[];
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal, facts } = await requireEditable(request, params.proposalId);
  if (!isEditable(proposal.status)) throw redirect(`/proposals/${proposal.id}/edit`);
  const db = getDb();
  const [group, attachments] = await Promise.all([getGroupContext(db, proposal.decision_group_id), countAttachments(db, proposal.id)]);
  if (!group) throw notFound();
  const c = contentOf(proposal);
  const limits = { minGrantPence: group.min_grant_pence, maxGrantPence: group.max_grant_pence, potPence: group.pot_pence };
  const L = copy.labels;
  const text = (s: string | null | undefined) => (s ? [s] : []);
  const answers: Record<SectionId, Row[]> = {
    about: [
      { key: "title", label: L.title, value: text(c.title) },
      { key: "summary", label: L.summary, value: text(c.summary) },
      { key: "needType", label: L.needType, value: text(c.needType ? NEED_LABELS[c.needType] : null) },
      { key: "needEvidence", label: L.needEvidence, value: text(c.needEvidence) },
      { key: "whatBuilt", label: L.whatBuilt, value: text(c.whatBuilt) },
    ],
    benefits: [
      { key: "beneficiaries", label: L.beneficiaries, value: text(c.beneficiaries) },
      { key: "beneficiaryCount", label: L.beneficiaryCount, value: text(c.beneficiaryCount === null ? null : c.beneficiaryCount.toLocaleString("en-GB")) },
    ],
    budget: [
      { key: "budget", label: L.budget, value: c.budgetLines.map((l) => `${l.item}: ${formatPence(l.costPence)}`) },
      { key: "amount", label: L.amount, value: text(c.amountRequestedPence === null ? null : formatPence(c.amountRequestedPence)) },
      {
        key: "least",
        label: L.least,
        value: [proposal.part_funding_floor_pence === null ? copy.fullAmount : formatPence(proposal.part_funding_floor_pence)],
      },
    ],
    dates: [
      { key: "startDate", label: L.startDate, value: text(c.startDate ? formatDate(c.startDate) : null) },
      { key: "endDate", label: L.endDate, value: text(c.endDate ? formatDate(c.endDate) : null) },
    ],
    outcomes: [{ key: "outcomes", label: L.outcomes, value: c.outcomes.map((o) => `${o.outcome}. ${copy.measuredBy}: ${o.measure}`) }],
  };
  const isLead = isPreparingLead(user, facts);
  return json({
    proposal: { id: proposal.id, reference: proposal.reference, title: proposal.title },
    sections: SECTIONS.map((s) => ({ id: s.id, title: s.title, rows: answers[s.id] })),
    attachments,
    missing: checklist(c, limits)
      .filter((item) => !item.isDone)
      .map((item) => ({ field: item.field, label: item.label, section: sectionForCheck(item.field) })),
    isLead,
    canSubmit: can(user, "proposal.submit", facts) && submissionWindow(group, new Date()) !== "closed",
    closesOn: formatDate(group.closes_on),
    submitLabel: isLead ? copy.submitAsLead : copy.submit,
  });
}

/** The send button says intent=submit, so a form without it (or a stray post) sends nothing. */
const CheckSchema = z.object({
  intent: z.literal("submit", { errorMap: () => ({ message: copy.pressSend }) }),
  groupConfirmation: z.string().optional(),
});

/** Sends the proposal: everything is checked again, and what is missing is listed with links to its section. */
export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, proposal } = await requireEditable(request, params.proposalId);
  if (!isEditable(proposal.status)) return formError({ form: copy.notEditable(STATUS_LABELS[proposal.status]) });
  const db = getDb();
  const group = await getGroupContext(db, proposal.decision_group_id);
  if (!group) throw notFound();
  return submitForm(form, CheckSchema, async (data, values) => {
    if (submissionWindow(group, new Date()) === "closed") return formError({ form: copy.closed(formatDate(group.closes_on)) }, values);
    const limits = { minGrantPence: group.min_grant_pence, maxGrantPence: group.max_grant_pence, potPence: group.pot_pence };
    const missing = checklist(contentOf(proposal), limits).filter((item) => !item.isDone);
    if (missing.length) {
      const errors: FieldErrors = { form: copy.missing };
      for (const item of missing) errors[item.field] = item.label;
      return formError(errors, values, { sections: Object.fromEntries(missing.map((m) => [m.field, sectionForCheck(m.field)])) });
    }
    await submitProposal(db, user, proposal.id, { groupConfirmation: data.groupConfirmation ?? "", submission: data.submission });
    return redirect(`/proposals/${proposal.id}?submitted=1`);
  });
}

export default function CheckAnswers() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as (FormActionData & { sections?: Record<string, SectionId> }) | undefined;
  const base = `/proposals/${data.proposal.id}`;
  const errors = actionData?.errors;
  // A missing part's link goes to the section page where it is filled in.
  const hrefs = Object.fromEntries(Object.entries(actionData?.sections ?? {}).map(([field, section]) => [field, `${base}/sections/${section}`]));

  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`${base}/edit`}>{copy.back}</Link>
      </p>
      <ErrorSummary errors={errors} hrefs={hrefs} />
      <p className="mb-1 text-slate-700">
        {data.proposal.reference}
        {data.proposal.title ? ` · ${data.proposal.title}` : null}
      </p>
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>

      {data.sections.map((s) => (
        <section key={s.id} aria-labelledby={`answers-${s.id}`}>
          <h2 id={`answers-${s.id}`}>{s.title}</h2>
          <dl className="mb-8">
            {s.rows.map((row) => (
              <div key={row.key} className="flex flex-wrap gap-x-4 border-b border-slate-300 py-3">
                <dt className="w-full font-semibold sm:w-1/3">{row.label}</dt>
                <dd className="m-0 min-w-0 flex-1 whitespace-pre-line break-words">
                  {row.value.length ? (
                    row.value.length === 1 ? (
                      row.value[0]
                    ) : (
                      <ul className="m-0 pl-5">
                        {row.value.map((line, i) => (
                          <li key={i}>{line}</li>
                        ))}
                      </ul>
                    )
                  ) : (
                    <span className="text-slate-700">{copy.notAnswered}</span>
                  )}
                </dd>
                <dd className="m-0">
                  <Link to={`${base}/sections/${s.id}`}>
                    {copy.change}
                    <span className="sr-only"> {row.label.toLowerCase()}</span>
                  </Link>
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}

      <section aria-labelledby="answers-files">
        <h2 id="answers-files">{copy.files}</h2>
        <dl className="mb-8">
          <div className="flex flex-wrap gap-x-4 border-b border-slate-300 py-3">
            <dt className="w-full font-semibold sm:w-1/3">{copy.files}</dt>
            <dd className="m-0 flex-1">{copy.filesCount(data.attachments)}</dd>
            <dd className="m-0">
              <Link to={`${base}/attachments`}>
                {copy.change}
                <span className="sr-only"> {copy.files.toLowerCase()}</span>
              </Link>
            </dd>
          </div>
        </dl>
      </section>

      {data.canSubmit ? (
        <Form method="post" noValidate>
          <CsrfInput />
          <h2>{copy.sendHeading}</h2>
          <p>{copy.sendBody}</p>
          {data.missing.length ? (
            <div className="panel">
              <p className="font-semibold">{copy.missing}</p>
              <ul className="pl-5">
                {data.missing.map((m) => (
                  <li key={m.field}>
                    <Link to={`${base}/sections/${m.section}`}>{m.label}</Link>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {data.isLead ? (
            <TextareaField
              name="groupConfirmation"
              label={copy.groupConfirmation}
              hint={copy.groupConfirmationHint}
              rows={3}
              defaultValue={actionData?.values?.groupConfirmation}
              error={errors?.groupConfirmation}
            />
          ) : null}
          <button type="submit" name="intent" value="submit" className="btn">
            {data.submitLabel}
          </button>
        </Form>
      ) : (
        <p className="panel font-semibold">{copy.closedPage(data.closesOn)}</p>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

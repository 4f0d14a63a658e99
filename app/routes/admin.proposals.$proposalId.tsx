import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, TypedResponse } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ProposalActionHeader, ProposalMessages } from "~/components/proposal-summary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { TextareaField } from "~/components/ui/textarea-field";
import { ScreeningDecisionSchema } from "~/domain/forms/screening";
import { formatDate } from "~/domain/phases";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { eligibilityAnswersFor, getProposalSummaryForAdmin } from "~/models/proposal-lists.server";
import { listMessages } from "~/models/proposal.server";
import { screenSelection } from "~/services/screening.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";
import { EntityHistory } from "~/components/entity-history";
import { listAuditEvents } from "~/models/audit.server";

const copy = {
  title: "Proposal",
  back: "Back to eligibility screening",
  readAll: "Read the whole proposal",
  notFound: "We could not find that proposal. It may have been removed, or the link may be wrong.",
  answers: "Eligibility answers",
  answersIntro: "What the group answered to the fund's eligibility questions when it started the proposal.",
  noAnswer: "Not answered",
  noQuestions: "This fund has no eligibility questions.",
  imported: (name: string, date: string) =>
    `Imported by ${name} on ${date}. It was gathered offline, so the group did not answer the eligibility questions in the portal: check eligibility with the group or lead organisation.`,
  groupConfirmation: "How the group confirmed it wanted this submitted",
  screen: "Eligibility check",
  notReady: (status: string) => `This proposal is "${status}". Only proposals supported by their lead organisation can be screened.`,
  eligible: { heading: "Eligible", hint: "The proposal goes forward to the decision panel.", button: "Mark eligible" },
  ineligible: {
    heading: "Not eligible",
    label: "Reason it is not eligible",
    hint: "The group reads this reason, so say which rule it breaks, in plain English.",
    button: "Mark not eligible",
  },
  messages: "Messages",
  done: { eligible: "Marked eligible. The group has been told.", ineligible: "Marked not eligible. The group has been told your reason." },
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.proposal ? `${data.proposal.reference} ${data.proposal.title}` : copy.title} – Community Grant Decisions` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "proposal.screen");
  const db = getDb();
  const proposal = await getProposalSummaryForAdmin(db, params.proposalId ?? "");
  if (!proposal) throw notFound(copy.notFound);
  const [answers, messages, history] = await Promise.all([
    eligibilityAnswersFor(db, proposal.fundId, proposal.eligibility_answers),
    listMessages(db, proposal.id),
    listAuditEvents(db, { entityType: "proposal", entityId: proposal.id }, 1, 20),
  ]);
  return json({ proposal, answers, messages, history });
}

type ActionData = FormActionData & { done?: string };

export async function action({ request, params }: ActionFunctionArgs): Promise<TypedResponse<ActionData>> {
  const admin = await requirePermission(request, "proposal.screen");
  const form = await readVerifiedForm(request);
  const proposal = await getProposalSummaryForAdmin(getDb(), params.proposalId ?? "");
  if (!proposal) throw notFound(copy.notFound);
  // The id comes from the URL, never the form, so a form cannot screen a different proposal.
  form.delete("proposalIds");
  form.append("proposalIds", proposal.id);
  return submitForm(
    form,
    ScreeningDecisionSchema,
    async (data) => {
      await screenSelection(getDb(), admin, [proposal.id], data.intent, data.reason);
      return json({ done: copy.done[data.intent] });
    },
    // This page has one proposal and no checkboxes: only the reason box can show a message.
    { fields: ["reason"] },
  );
}

export default function AdminProposal() {
  const { proposal, answers, messages, history } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="max-w-3xl">
      <ProposalActionHeader
        proposal={proposal}
        back={{ to: "/admin/screening", label: copy.back }}
        untitled={copy.title}
        readAll={copy.readAll}
        errors={actionData?.errors}
        done={actionData?.done}
      />

      <h2>{copy.answers}</h2>
      {proposal.importedByName ? <p className="panel">{copy.imported(proposal.importedByName, formatDate(proposal.created_at))}</p> : null}
      {answers.length === 0 ? (
        <p>{copy.noQuestions}</p>
      ) : (
        <>
          <p>{copy.answersIntro}</p>
          <dl>
            {answers.map((a) => (
              <div key={a.id} className="mb-3">
                <dt className="font-semibold">{a.question}</dt>
                <dd>{a.answer ?? copy.noAnswer}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      {proposal.group_confirmation ? (
        <>
          <h3>{copy.groupConfirmation}</h3>
          <p className="whitespace-pre-line break-words">{proposal.group_confirmation}</p>
        </>
      ) : null}

      <h2>{copy.screen}</h2>
      {proposal.status === "supported" ? (
        <div className="grid gap-6 md:grid-cols-2">
          <Form method="post" className="border-2 border-slate-300 p-4">
            <CsrfInput />
            <input type="hidden" name="intent" value="eligible" />
            <h3 className="mt-0">{copy.eligible.heading}</h3>
            <p>{copy.eligible.hint}</p>
            <button type="submit" className="btn">
              {copy.eligible.button}
            </button>
          </Form>
          <Form method="post" className="border-2 border-slate-300 p-4">
            <CsrfInput />
            <input type="hidden" name="intent" value="ineligible" />
            <h3 className="mt-0">{copy.ineligible.heading}</h3>
            <TextareaField
              name="reason"
              label={copy.ineligible.label}
              hint={copy.ineligible.hint}
              error={actionData?.errors?.reason}
              defaultValue={actionData?.values?.reason}
              rows={4}
            />
            <button type="submit" className="btn-warning">
              {copy.ineligible.button}
            </button>
          </Form>
        </div>
      ) : (
        <p className="panel">{copy.notReady(STATUS_LABELS[proposal.status])}</p>
      )}

      <ProposalMessages messages={messages} title={copy.messages} />
      <EntityHistory events={history.rows} total={history.total} entityType="proposal" entityId={proposal.id} />
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

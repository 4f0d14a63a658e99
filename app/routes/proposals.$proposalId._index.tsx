import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import type { ProposalMessageKind } from "../../db/schema";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireUser } from "~/auth/guards.server";
import { AttachmentList } from "~/components/attachment-list";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ProposalTimeline } from "~/components/proposal-timeline";
import { ProposalView } from "~/components/proposal-view";
import { AddForm } from "~/components/ui/add-form";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextareaField } from "~/components/ui/textarea-field";
import { DECISION_HEADINGS, OUTCOME_LABELS } from "~/domain/decisions";
import { formatBytes, MAX_ATTACHMENTS } from "~/domain/file-type";
import { formatPence } from "~/domain/money";
import { GroupReplySchema } from "~/domain/forms/proposal";
import { can, isMemberOf } from "~/domain/permissions";
import { formatDate } from "~/domain/phases";
import { nextStep } from "~/domain/next-step";
import { STATUS_LABELS, type ProposalStatus } from "~/domain/proposal-status";
import { timelineFor } from "~/domain/proposal-timeline";
import { ROLE_LABELS } from "~/domain/roles";
import { listAttachments } from "~/models/attachment.server";
import { findAwardForProposal, getAwardOverview } from "~/models/award.server";
import { getOrganisation } from "~/models/directory.server";
import { getDecisionForApplicant } from "~/models/decision.server";
import { contentOf, findProposalFor, getGroupContext, listMessages, listStatusHistory, listVersions, proposalFacts } from "~/models/proposal.server";
import { listQuestionsForApplicant } from "~/models/scoring.server";
import { replyAsGroup } from "~/services/proposal-messages.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { forbidden, notFound } from "~/utils/http.server";
import { scrollRegion } from "~/components/ui/data-table";
import { ProposalStatusTag } from "~/components/ui/status-tag";

const copy = {
  untitled: "Untitled draft",
  submitted: "Your proposal has been sent to the lead organisation. We have told them, and we will tell you when they reply.",
  handed: "The proposal has been handed to the group. They have been told it is ready for them.",
  replied: "Your reply has been sent to the lead organisation.",
  forGroup: (group: string, fund: string) => `${group} (${fund})`,
  group: "Community group",
  decisionGroup: "Decision group",
  status: "Status",
  prepared: "Prepared with the support of",
  where: "Where it is",
  next: "What happens next",
  edit: "Continue editing the proposal",
  update: "Update the proposal and submit it again",
  messages: "Messages",
  noMessages: "No messages yet.",
  reply: "Reply to your lead organisation",
  replyHint: "For example, answer a question or say what you have changed. Your reply goes to the lead organisation.",
  send: "Send reply",
  proposal: "The proposal",
  attachments: "Files",
  noAttachments: "No files attached.",
  attachmentsCaption: "Files attached to this proposal",
  manageFiles: `Add or remove files (up to ${MAX_ATTACHMENTS})`,
  download: (name: string) => `Download ${name}`,
  versions: "Submitted versions",
  noVersions: "This proposal has not been submitted yet. Every version you submit is kept here.",
  version: (n: number, date: string) => `Version ${n}, submitted on ${date}`,
  compare: (from: number, to: number) => `See what changed from version ${from} to version ${to}`,
  history: "History",
  historyCaption: "Changes of status, oldest first",
  decision: "The panel's decision",
  seeAward: "See the award: the offer, conditions, payments and reports",
  decisionOutcome: "Decision",
  decidedOn: "Decided on",

  dateColumn: "Date",
  answered: "Your answer has been sent to the decision panel.",
  questions: "Questions from the decision panel",
  questionsIntro: "The panel may ask for more facts while it reads your proposal. Answer each question, so the panel can use your answer.",
  askedOn: (date: string) => `Asked on ${date}`,
  yourAnswer: (date: string) => `Your answer, sent on ${date}:`,
  answerQuestion: "Answer this question",
  statusColumn: "Status",
};

const MESSAGE_LABELS: Record<ProposalMessageKind, string> = {
  changes_requested: "Changes requested",
  support_statement: "Support statement",
  decline_reason: "Reason for not supporting",
  eligible: "Eligibility check",
  ineligible_reason: "Reason it is not eligible",
  group_reply: "Reply from the group",
  handed_to_group: "Handed to the group",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.proposal.title || data?.proposal.reference || "Proposal"} – Community Grant Decisions` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const proposal = await findProposalFor(db, user, params.proposalId ?? "");
  if (!proposal) throw notFound();
  const facts = await proposalFacts(db, proposal, user);
  // The group sees the panel's questions (to answer them), never who asked them or how anyone scored.
  const questionsFor = can(user, "question.answer", facts) ? listQuestionsForApplicant(db, proposal.id) : Promise.resolve([]);
  const [group, messages, versions, attachments, history, organisation, preparedBy, questions] = await Promise.all([
    getGroupContext(db, proposal.decision_group_id),
    listMessages(db, proposal.id),
    listVersions(db, proposal.id),
    listAttachments(db, proposal.id),
    listStatusHistory(db, proposal.id),
    getOrganisation(db, proposal.organisation_id),
    proposal.prepared_by_organisation_id ? getOrganisation(db, proposal.prepared_by_organisation_id) : Promise.resolve(undefined),
    questionsFor,
  ]);
  // Only what the applicant may read: the outcome, amount, conditions, reason and feedback, never who scored or voted what.
  const decision = ["funded", "not_funded", "reserve"].includes(proposal.status) ? await getDecisionForApplicant(db, proposal.id) : undefined;
  // The award made from a funded decision, for a link to it when this person may see it.
  const awardRow = proposal.status === "funded" ? await findAwardForProposal(db, proposal.id) : undefined;
  const award =
    awardRow &&
    can(user, "award.read", { type: "award", organisationId: awardRow.organisation_id, decisionGroupId: awardRow.decision_group_id, status: awardRow.status })
      ? awardRow
      : undefined;
  if (!group) throw notFound();
  const status = proposal.status;
  // Once an offer exists, what happens next follows the award, not the decision.
  const next = nextStep({ proposalStatus: status, fund: group, award: award ? (await getAwardOverview(db, award)).facts : null, formatDate });
  const canEdit = can(user, "proposal.edit", facts);
  return json({
    proposal: { id: proposal.id, reference: proposal.reference, title: proposal.title, status, statusLabel: STATUS_LABELS[status] },
    content: contentOf(proposal),
    organisationName: organisation?.name ?? "",
    preparedByName: preparedBy?.name ?? null,
    groupName: copy.forGroup(group.name, group.fund_name),
    timeline: timelineFor(status),
    next: next.step,
    when: next.when,
    canEdit,
    awardLink: award ? (can(user, "awards.oversee") ? `/admin/awards/${award.id}` : `/awards/${award.id}`) : null,
    decision: decision
      ? {
          outcome: OUTCOME_LABELS[decision.outcome],
          amount: decision.amount_pence === null ? null : formatPence(decision.amount_pence),
          conditions: decision.conditions,
          reason: decision.reason,
          feedback: decision.feedback,
          at: formatDate(decision.decided_at),
        }
      : null,
    canReply: can(user, "proposal.reply", facts),
    messages: messages.map((m) => ({
      id: m.id,
      label: MESSAGE_LABELS[m.kind],
      body: m.body,
      author: `${m.author_name} (${ROLE_LABELS[m.author_role]})`,
      at: formatDate(m.created_at),
    })),
    attachments: attachments.map((a) => ({ id: a.id, name: a.original_name, size: formatBytes(a.size_bytes) })),
    versions: versions.map((v) => ({ version: v.version, at: formatDate(v.submitted_at) })),
    questions: questions.map((q) => ({
      id: q.id,
      body: q.body,
      askedOn: formatDate(q.asked_at),
      answer: q.answer,
      answeredOn: q.answered_at ? formatDate(q.answered_at) : null,
    })),
    history: history.map((h) => {
      const to = h.action.replace(/^proposal\.status\./, "") as ProposalStatus;
      return { label: STATUS_LABELS[to] ?? to, at: formatDate(h.time) };
    }),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const user = await requireUser(request);
  const db = getDb();
  const proposal = await findProposalFor(db, user, params.proposalId ?? "");
  if (!proposal) throw notFound();
  // Only the group replies (403 for anyone else who may read it); the group out of turn gets the service's 400.
  if (!isMemberOf(user, proposal.organisation_id)) throw forbidden("Only the community group can reply here.");
  return submitForm(form, GroupReplySchema, async (data) => {
    await replyAsGroup(db, user, proposal.id, data.reply);
    return redirect(`/proposals/${proposal.id}?replied=1#messages`);
  });
}

export default function ProposalPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const [search] = useSearchParams();
  const notice = search.get("submitted")
    ? copy.submitted
    : search.get("handed")
      ? copy.handed
      : search.get("replied")
        ? copy.replied
        : search.get("answered")
          ? copy.answered
          : null;
  const { proposal } = data;
  return (
    <div>
      <ErrorSummary errors={actionData?.errors} />
      {notice && !actionData?.errors ? (
        <p role="status" className="panel font-semibold">
          {notice}
        </p>
      ) : null}
      <p className="mb-1 text-slate-700">{proposal.reference}</p>
      <h1>{proposal.title || copy.untitled}</h1>
      <dl className="mb-6 grid grid-cols-1 gap-x-6 sm:grid-cols-[auto_1fr]">
        <dt className="font-semibold">{copy.group}</dt>
        <dd className="mb-2">{data.organisationName}</dd>
        <dt className="font-semibold">{copy.decisionGroup}</dt>
        <dd className="mb-2">{data.groupName}</dd>
        {data.preparedByName ? (
          <>
            <dt className="font-semibold">{copy.prepared}</dt>
            <dd className="mb-2">{data.preparedByName}</dd>
          </>
        ) : null}
        <dt className="font-semibold">{copy.status}</dt>
        <dd className="mb-2">
          <ProposalStatusTag status={proposal.status} label={proposal.statusLabel} />
        </dd>
      </dl>

      <div className="md:grid md:grid-cols-2 md:gap-8">
        <section aria-labelledby="where">
          <h2 id="where" className="mt-0">
            {copy.where}
          </h2>
          <ProposalTimeline steps={data.timeline} />
        </section>
        <section aria-labelledby="next">
          <h2 id="next" className="mt-0">
            {copy.next}
          </h2>
          <p>{data.next}</p>
          {data.when ? <p className="font-semibold">{data.when}</p> : null}
          {data.canEdit ? (
            <p>
              <Link to={`/proposals/${proposal.id}/edit`} className="btn">
                {proposal.status === "changes_requested" ? copy.update : copy.edit}
              </Link>
            </p>
          ) : null}
        </section>
      </div>

      {data.decision ? (
        <section aria-labelledby="decision" className="panel">
          <h2 id="decision" className="mt-0">
            {copy.decision}
          </h2>
          <dl className="grid grid-cols-1 gap-x-6 sm:grid-cols-[max-content_1fr]">
            <dt className="font-semibold">{copy.decisionOutcome}</dt>
            <dd className="mb-2">{data.decision.outcome}</dd>
            {data.decision.amount ? (
              <>
                <dt className="font-semibold">{DECISION_HEADINGS.amount}</dt>
                <dd className="mb-2">{data.decision.amount}</dd>
              </>
            ) : null}
            {data.decision.conditions ? (
              <>
                <dt className="font-semibold">{DECISION_HEADINGS.conditions}</dt>
                <dd className="mb-2 whitespace-pre-line break-words">{data.decision.conditions}</dd>
              </>
            ) : null}
            <dt className="font-semibold">{DECISION_HEADINGS.reason}</dt>
            <dd className="mb-2 whitespace-pre-line break-words">{data.decision.reason}</dd>
            {data.decision.feedback ? (
              <>
                <dt className="font-semibold">{DECISION_HEADINGS.feedback}</dt>
                <dd className="mb-2 whitespace-pre-line break-words">{data.decision.feedback}</dd>
              </>
            ) : null}
            <dt className="font-semibold">{copy.decidedOn}</dt>
            <dd className="mb-0">{data.decision.at}</dd>
          </dl>
          {data.awardLink ? (
            <p className="mb-0 mt-4">
              <Link to={data.awardLink}>{copy.seeAward}</Link>
            </p>
          ) : null}
        </section>
      ) : null}

      {data.questions.length ? (
        <section aria-labelledby="questions">
          <h2 id="questions">{copy.questions}</h2>
          <p>{copy.questionsIntro}</p>
          <ul className="list-none space-y-4 pl-0">
            {data.questions.map((q) => (
              <li key={q.id} className="border-l-4 border-slate-400 pl-3">
                <p className="mb-1 whitespace-pre-line break-words font-semibold">{q.body}</p>
                <p className="mb-2 text-sm text-slate-700">{copy.askedOn(q.askedOn)}</p>
                {q.answer !== null ? (
                  <>
                    <p className="mb-1">{copy.yourAnswer(q.answeredOn ?? "")}</p>
                    <p className="mb-0 whitespace-pre-line break-words">{q.answer}</p>
                  </>
                ) : (
                  <Link to={`/proposals/${proposal.id}/questions/${q.id}`} className="btn-secondary">
                    {copy.answerQuestion}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="messages">
        <h2 id="messages">{copy.messages}</h2>
        {data.messages.length ? (
          <ul className="list-none space-y-4 pl-0">
            {data.messages.map((m) => (
              <li key={m.id} className="border-l-4 border-slate-400 pl-3">
                <h3 className="mt-0 text-lg">{m.label}</h3>
                <p className="mb-1 whitespace-pre-line break-words">{m.body}</p>
                <p className="mb-0 text-sm text-slate-700">
                  {m.author}, {m.at}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p>{copy.noMessages}</p>
        )}
        {data.canReply ? (
          <AddForm method="post" noValidate className="mt-6 max-w-2xl">
            <CsrfInput />
            <TextareaField
              name="reply"
              label={copy.reply}
              hint={copy.replyHint}
              rows={4}
              defaultValue={actionData?.values?.reply}
              error={actionData?.errors?.reply}
            />
            <button type="submit" className="btn">
              {copy.send}
            </button>
          </AddForm>
        ) : null}
      </section>

      <section aria-labelledby="content">
        <h2 id="content">{copy.proposal}</h2>
        <ProposalView content={data.content} headingLevel={3} />
      </section>

      <section aria-labelledby="files">
        <h2 id="files">{copy.attachments}</h2>
        <AttachmentList attachments={data.attachments} downloadLabel={copy.download} emptyText={copy.noAttachments} />
        {data.canEdit ? (
          <p>
            <Link to={`/proposals/${proposal.id}/attachments`}>{copy.manageFiles}</Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="versions">
        <h2 id="versions">{copy.versions}</h2>
        {data.versions.length ? (
          <ul className="list-none space-y-2 pl-0">
            {data.versions.map((v) => (
              <li key={v.version}>
                {copy.version(v.version, v.at)}
                {v.version > 1 ? (
                  <>
                    {" · "}
                    <Link to={`/proposals/${proposal.id}/versions?from=${v.version - 1}&to=${v.version}`}>{copy.compare(v.version - 1, v.version)}</Link>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>{copy.noVersions}</p>
        )}
      </section>

      {data.history.length ? (
        <section aria-labelledby="history">
          <h2 id="history">{copy.history}</h2>
          <div {...scrollRegion(copy.historyCaption)}>
            <table className="table max-w-xl">
              <caption className="sr-only">{copy.historyCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{copy.dateColumn}</th>
                  <th scope="col">{copy.statusColumn}</th>
                </tr>
              </thead>
              <tbody>
                {data.history.map((h, i) => (
                  <tr key={i}>
                    <td className="whitespace-nowrap">{h.at}</td>
                    <td>{h.label}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

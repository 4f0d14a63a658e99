import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { readVerifiedForm } from "~/auth/csrf.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { StatusTag } from "~/components/ui/status-tag";
import { MAX_ATTACHMENTS } from "~/domain/file-type";
import { can, isPreparingLead } from "~/domain/permissions";
import { formatDate, submissionWindow } from "~/domain/phases";
import { checklist } from "~/domain/proposal";
import { isSectionId, SECTION_STATUS_LABELS, sectionOf, sectionStatuses, type SectionStatus } from "~/domain/proposal-sections";
import { isEditable, STATUS_LABELS } from "~/domain/proposal-status";
import type { Tone } from "~/domain/status-tone";
import { countAttachments } from "~/models/attachment.server";
import { getOrganisation } from "~/models/directory.server";
import { contentOf, getGroupContext, listMessages } from "~/models/proposal.server";
import { handToGroup } from "~/services/proposals.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";
import { requireEditable } from "~/utils/proposal-access.server";

const copy = {
  title: "Your outline proposal",
  untitled: "Untitled draft",
  intro: "Fill in each part. Each part saves on its own, so you can do them in any order and come back later.",
  introSend: "Nothing goes to your lead organisation until you check your answers and send them.",
  forGroup: (group: string, fund: string) => `For ${group} (${fund}).`,
  prepared: (org: string) => `Prepared with the help of ${org}.`,
  saved: (section: string) => `Your answers for "${section}" are saved.`,
  closedPage: (date: string) => `Proposals for this fund closed on ${date}. You can still save your draft, but you cannot send it.`,
  notOpen: (date: string) => `Proposals for this fund open on ${date}. You can write your draft now, and send it from that date.`,
  closingDate: (date: string) => `The last day to send it is ${date}.`,
  notEditableTitle: "You cannot change this proposal now",
  notEditable: (status: string) =>
    `This proposal is "${status}". You can only change it while it is a draft, or after your lead organisation asks for changes.`,
  seeProposal: "See the proposal and where it is",
  changesRequested: "Your lead organisation asked for these changes",
  progress: (done: number, all: number) => `You have done ${done} of ${all} parts.`,
  sectionsHeading: "Fill in your proposal",
  filesHeading: "Add files",
  files: "Files",
  filesStatus: (n: number) => (n === 0 ? "Optional" : `${n} of ${MAX_ATTACHMENTS} added`),
  checkHeading: "Check and send",
  check: "Check your answers",
  checkReady: "Ready",
  checkNotReady: "Not ready",
  handTitle: "Hand the proposal to the group",
  handBody: "This tells the group it is ready for them to check, finish and send themselves.",
  hand: "Hand to the group",
  chooseSection: "Choose a part of the proposal to change",
};

const STATUS_TONES: Record<SectionStatus, Tone> = { not_started: "grey", in_progress: "yellow", completed: "green" };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.proposal.title || copy.title} – Community Grant Decisions` }];

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
  const changeNote = proposal.status === "changes_requested" ? [...messages].reverse().find((m) => m.kind === "changes_requested") : undefined;
  const sections = sectionStatuses({ content, leastPence: proposal.part_funding_floor_pence }, limits);
  return json({
    proposal: { id: proposal.id, reference: proposal.reference, title: proposal.title, status: proposal.status, statusLabel: STATUS_LABELS[proposal.status] },
    isEditable: can(user, "proposal.edit", facts),
    sections,
    checklist: checklist(content, limits),
    group: {
      name: group.name,
      fundName: group.fund_name,
      window: submissionWindow(group, new Date()),
      opensOn: formatDate(group.opens_on),
      closesOn: formatDate(group.closes_on),
    },
    attachments,
    organisationName: organisation?.name ?? "",
    preparedByName: preparedBy?.name ?? null,
    isLead: isPreparingLead(user, facts),
    canHand: can(user, "proposal.hand_to_group", facts),
    changeNote: changeNote ? { body: changeNote.body, author: changeNote.author_name, at: formatDate(changeNote.created_at) } : null,
  });
}

const TaskListIntentSchema = z.object({ intent: z.literal("hand_to_group", { errorMap: () => ({ message: copy.chooseSection }) }) });

/** The task list's only form: a lead organisation hands the draft it prepared to the group. Each section saves on its own page. */
export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, proposal } = await requireEditable(request, params.proposalId);
  if (!isEditable(proposal.status)) return formError({ form: copy.notEditable(STATUS_LABELS[proposal.status]) });
  return submitForm(
    form,
    TaskListIntentSchema,
    async () => {
      await handToGroup(getDb(), user, proposal.id, "");
      return redirect(`/proposals/${proposal.id}?handed=1`);
    },
    { fields: [] },
  );
}

function TaskRow({ href, label, status, tone, id }: { href: string; label: string; status: string; tone: Tone; id: string }) {
  return (
    <li className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-300 py-3">
      <Link to={href} aria-describedby={`${id}-status`} className="font-semibold">
        {label}
      </Link>
      <span id={`${id}-status`}>
        <StatusTag tone={tone}>{status}</StatusTag>
      </span>
    </li>
  );
}

export default function TaskList() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const [search] = useSearchParams();
  const saved = search.get("saved") ?? undefined;
  const heading = data.proposal.title || copy.untitled;
  const base = `/proposals/${data.proposal.id}`;

  if (!data.isEditable) {
    return (
      <div className="max-w-3xl">
        <ErrorSummary errors={actionData?.errors} />
        <h1>{heading}</h1>
        <h2 className="mt-0">{copy.notEditableTitle}</h2>
        <p>{copy.notEditable(data.proposal.statusLabel)}</p>
        <p>
          <Link to={base}>{copy.seeProposal}</Link>
        </p>
      </div>
    );
  }

  const done = data.sections.filter((s) => s.status === "completed").length;
  const isReady = data.checklist.every((c) => c.isDone);
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={actionData?.errors} />
      {!actionData?.errors && isSectionId(saved) ? (
        <p role="status" className="panel font-semibold">
          {copy.saved(sectionOf(saved).title)}
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
      <p>{copy.introSend}</p>
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

      <p className="font-semibold">{copy.progress(done, data.sections.length)}</p>

      <h2>{copy.sectionsHeading}</h2>
      <ul className="list-none pl-0">
        {data.sections.map((s) => (
          <TaskRow
            key={s.id}
            id={`task-${s.id}`}
            href={`${base}/sections/${s.id}`}
            label={s.title}
            status={SECTION_STATUS_LABELS[s.status]}
            tone={STATUS_TONES[s.status]}
          />
        ))}
      </ul>

      <h2>{copy.filesHeading}</h2>
      <ul className="list-none pl-0">
        <TaskRow
          id="task-files"
          href={`${base}/attachments`}
          label={copy.files}
          status={copy.filesStatus(data.attachments)}
          tone={data.attachments ? "green" : "grey"}
        />
      </ul>

      <h2>{copy.checkHeading}</h2>
      <ul className="list-none pl-0">
        <TaskRow
          id="task-check"
          href={`${base}/check`}
          label={copy.check}
          status={isReady ? copy.checkReady : copy.checkNotReady}
          tone={isReady ? "green" : "grey"}
        />
      </ul>

      {data.canHand ? (
        <Form method="post" className="mt-8">
          <CsrfInput />
          <h2>{copy.handTitle}</h2>
          <p>{copy.handBody}</p>
          <button type="submit" name="intent" value="hand_to_group" className="btn-secondary">
            {copy.hand}
          </button>
        </Form>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

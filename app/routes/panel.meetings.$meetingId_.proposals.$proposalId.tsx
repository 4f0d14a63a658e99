import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireMeetingAccess } from "~/auth/meeting-guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { MeetingVoteResult, type StoredVoteResult } from "~/components/meeting-vote-result";
import { evidenceView, ProposalEvidence } from "~/components/proposal-evidence";
import { AddForm } from "~/components/ui/add-form";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { NoFieldsSchema } from "~/domain/forms/fields";
import { CloseVoteSchema, NoteSchema, VOTE_CHOICE_LABELS, VOTE_CHOICES, VoteSchema } from "~/domain/forms/meeting";
import { formatPence } from "~/domain/money";
import { can } from "~/domain/permissions";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { TIE_RULE_TEXTS } from "~/domain/voting";
import { findAgendaProposal, getAttendance, getMeetingQuorum, getVoteItem, listNotes } from "~/models/meeting.server";
import { getProposalEvidence } from "~/models/proposal-evidence.server";
import { recusedViewerId } from "~/models/recusal.server";
import { addNote } from "~/services/meetings.server";
import { castVote, closeVote, openVote, RecusedError } from "~/services/voting.server";
import { getDb } from "~/utils/db.server";
import { formError, submitForm } from "~/utils/forms.server";
import { forbidden, notFound } from "~/utils/http.server";

const copy = {
  back: (title: string) => `Back to ${title}`,
  proposal: "Read the whole proposal",
  asked: "Amount asked for",
  status: "Status",
  recused: "You declared an interest in this proposal, so you cannot see its discussion or vote on it.",
  quorum: { yes: "Quorate for this proposal", no: "Not quorate for this proposal" },
  notes: "Discussion notes",
  notesNone: "No notes yet.",
  notesCaption: "Notes",
  addNote: "Add a note",
  noteLabel: "Note",
  noteHint: "Notes are seen by the panel and the fund administrator, never by members who declared an interest in this proposal.",
  noteSubmit: "Add note",
  vote: "Vote",
  voteNotOpen: "Voting on this proposal has not opened yet.",
  voteApproval: "This fund votes by approval ballot. Vote on the meeting page.",
  voteOpenCount: (n: number) => `${n} ${n === 1 ? "vote has" : "votes have"} been cast. Nobody sees how anyone voted until the vote closes.`,
  youVoted: "You voted.",
  choiceLabel: "Your vote",
  voteSubmit: "Cast my vote",
  notPresent: "Only members recorded as present can vote. Ask the chair to record you as present.",
  openVote: "Open the vote on this proposal",
  closeVote: "Close the vote and count it",
  castingLegend: "Chair's casting vote (only if the vote is tied)",
  castingHint: TIE_RULE_TEXTS.chair,
  castingOptions: [
    { value: "fund", label: "Fund" },
    { value: "dont_fund", label: "Don't fund" },
  ],
  result: "Result",
  done: { note: "Note added.", voted: "Your vote has been recorded.", opened: "The vote is open.", closed: "The vote is closed and counted." } as Record<
    string,
    string
  >,
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.proposal.reference ?? "Proposal"} at ${data?.meeting.title ?? "the meeting"} – Community Grant Decisions` },
];

/** The meeting and the agenda proposal, with access checked per record: 404 off the agenda, 403 for a recused member. */
async function requireAgendaItem(request: Request, params: { meetingId?: string; proposalId?: string }) {
  const access = await requireMeetingAccess(request, params.meetingId);
  const proposal = await findAgendaProposal(getDb(), access.meeting, access.user, params.proposalId ?? "");
  if (!proposal) throw notFound();
  if (proposal.isRecused) throw forbidden(copy.recused);
  return { ...access, proposal };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, meeting, proposal, canRun, canTakePart } = await requireAgendaItem(request, params);
  const db = getDb();
  const viewerId = recusedViewerId(user);
  const [notes, item, quorum, attendance, evidence] = await Promise.all([
    listNotes(db, meeting.id, proposal.id, viewerId),
    getVoteItem(db, meeting.id, proposal.id),
    getMeetingQuorum(db, meeting.id, proposal.id),
    getAttendance(db, meeting.id),
    getProposalEvidence(db, user, proposal.id),
  ]);
  const done = new URL(request.url).searchParams.get("done") ?? "";
  let vote: { status: "open" | "closed"; votesCast: number; hasVoted: boolean; result: StoredVoteResult | null } | null = null;
  if (item) {
    // Only a count and the viewer's own "you voted" while open: no one's choice leaves the server before the close.
    const [count, mine] = await Promise.all([
      db
        .selectFrom("vote")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("vote_item_id", "=", item.id)
        .executeTakeFirstOrThrow(),
      viewerId
        ? db.selectFrom("vote").select("id").where("vote_item_id", "=", item.id).where("user_id", "=", viewerId).executeTakeFirst()
        : Promise.resolve(undefined),
    ]);
    vote = {
      status: item.status,
      votesCast: Number(count.n),
      hasVoted: Boolean(mine),
      result: item.status === "closed" && item.result ? (JSON.parse(item.result) as StoredVoteResult) : null,
    };
  }
  return json({
    meeting: { id: meeting.id, title: meeting.title, status: meeting.status, votingMethod: meeting.voting_method, tieRule: meeting.tie_rule },
    proposal: {
      id: proposal.id,
      reference: proposal.reference,
      title: proposal.title,
      summary: proposal.summary,
      status: proposal.status,
      amountRequestedPence: proposal.amount_requested_pence,
    },
    evidence: evidenceView(evidence),
    notes,
    vote,
    quorum,
    canRun,
    canTakePart,
    isPresent: attendance.some((a) => a.userId === user.id && a.isPresent === true),
    isAdmin: can(user, "admin.access"),
    done: copy.done[done] ? done : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, meeting, proposal, canRun, canTakePart } = await requireAgendaItem(request, params);
  const db = getDb();
  const here = `/panel/meetings/${meeting.id}/proposals/${proposal.id}`;
  const intent = form.get("intent");
  try {
    switch (intent) {
      case "note":
        return await submitForm(form, NoteSchema, async (data) => {
          await addNote(db, user, meeting.id, proposal.id, data.body);
          return redirect(`${here}?done=note`);
        });
      case "vote":
        if (!canTakePart) throw forbidden();
        return await submitForm(form, VoteSchema, async (data) => {
          await castVote(db, user, meeting.id, proposal.id, data.choice, data.submission);
          return redirect(`${here}?done=voted`);
        });
      case "open_vote":
        if (!canRun) throw forbidden();
        return await submitForm(form, NoFieldsSchema, async () => {
          await openVote(db, user, meeting.id, proposal.id);
          return redirect(`${here}?done=opened`);
        });
      case "close_vote":
        if (!canRun) throw forbidden();
        return await submitForm(form, CloseVoteSchema, async (data) => {
          await closeVote(db, user, meeting.id, proposal.id, data.castingVote);
          return redirect(`${here}?done=closed`);
        });
      default:
        return formError({ form: "Choose what to do from the page." });
    }
  } catch (error) {
    // A member recused from this proposal may not vote on it: that is a 403, not a form error.
    if (error instanceof RecusedError) throw forbidden(error.message);
    throw error;
  }
}

export default function MeetingProposal() {
  const { meeting, proposal, evidence, notes, vote, quorum, canRun, canTakePart, isPresent, isAdmin, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  const isOpen = meeting.status === "open";
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      <p>
        <Link to={`/panel/meetings/${meeting.id}`}>{copy.back(meeting.title)}</Link>
      </p>
      {done && !actionData ? (
        <p role="status" className="panel font-semibold">
          {copy.done[done]}
        </p>
      ) : null}
      <h1>
        {proposal.reference} {proposal.title}
      </h1>
      <p className="whitespace-pre-line">{proposal.summary}</p>
      <dl className="mb-4 grid grid-cols-1 gap-x-6 sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold">{copy.status}</dt>
        <dd className="mb-2">{STATUS_LABELS[proposal.status]}</dd>
        <dt className="font-semibold">{copy.asked}</dt>
        <dd className="mb-2">{proposal.amountRequestedPence === null ? "" : formatPence(proposal.amountRequestedPence)}</dd>
      </dl>
      <p>
        <Link to={isAdmin ? `/admin/proposals/${proposal.id}` : `/panel/proposals/${proposal.id}`}>{copy.proposal}</Link>
      </p>
      <ProposalEvidence evidence={evidence} />
      {quorum ? (
        <div className={`mb-6 border-l-8 p-4 ${quorum.isQuorate ? "border-green-700 bg-green-50" : "border-red-700 bg-red-50"}`}>
          <p className="font-bold">{quorum.isQuorate ? copy.quorum.yes : copy.quorum.no}</p>
          <ul className="list-disc pl-6">
            {quorum.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <h2>{copy.vote}</h2>
      {meeting.votingMethod === "approval" ? (
        <p>{copy.voteApproval}</p>
      ) : !vote ? (
        <>
          <p>{copy.voteNotOpen}</p>
          {canRun && isOpen ? (
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="open_vote" />
              <button type="submit" className="btn">
                {copy.openVote}
              </button>
            </Form>
          ) : null}
        </>
      ) : vote.status === "closed" && vote.result ? (
        <section aria-labelledby="result-heading" className="panel">
          <h3 id="result-heading" className="mt-0">
            {copy.result}
          </h3>
          <MeetingVoteResult result={vote.result} />
        </section>
      ) : (
        <>
          <p>{copy.voteOpenCount(vote.votesCast)}</p>
          {canTakePart ? (
            vote.hasVoted ? (
              <p className="font-semibold">{copy.youVoted}</p>
            ) : !isPresent ? (
              <p>{copy.notPresent}</p>
            ) : (
              <Form method="post" noValidate>
                <CsrfInput />
                <input type="hidden" name="intent" value="vote" />
                <RadioGroup
                  name="choice"
                  label={copy.choiceLabel}
                  options={VOTE_CHOICES.map((c) => ({ value: c, label: VOTE_CHOICE_LABELS[c] }))}
                  defaultValue={values.choice}
                  error={errors?.choice}
                />
                <button type="submit" className="btn">
                  {copy.voteSubmit}
                </button>
              </Form>
            )
          ) : null}
          {canRun && isOpen ? (
            <Form method="post" noValidate className="mt-6 border-2 border-slate-300 p-4">
              <CsrfInput />
              <input type="hidden" name="intent" value="close_vote" />
              {meeting.tieRule === "chair" ? (
                <RadioGroup
                  name="castingVote"
                  label={copy.castingLegend}
                  hint={copy.castingHint}
                  options={copy.castingOptions}
                  defaultValue={values.castingVote}
                  error={errors?.castingVote}
                />
              ) : null}
              <button type="submit" className="btn-warning">
                {copy.closeVote}
              </button>
            </Form>
          ) : null}
        </>
      )}

      <h2>{copy.notes}</h2>
      {notes.length === 0 ? (
        <p>{copy.notesNone}</p>
      ) : (
        <ol className="mb-6 list-none space-y-4 pl-0" aria-label={copy.notesCaption}>
          {notes.map((n) => (
            <li key={n.id} className="border-l-4 border-slate-300 pl-3">
              <p className="mb-1 whitespace-pre-line">{n.body}</p>
              <p className="text-slate-700">
                {n.authorName}, {new Date(n.created_at).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/London" })}
              </p>
            </li>
          ))}
        </ol>
      )}
      {isOpen ? (
        <AddForm method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="note" />
          <TextareaField name="body" label={copy.addNote} hint={copy.noteHint} rows={4} defaultValue={values.body} error={errors?.body} />
          <button type="submit" className="btn-secondary">
            {copy.noteSubmit}
          </button>
        </AddForm>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

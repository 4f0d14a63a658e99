import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireMeetingAccess } from "~/auth/meeting-guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { MeetingVoteResult, type StoredVoteResult } from "~/components/meeting-vote-result";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextareaField } from "~/components/ui/textarea-field";
import { NoFieldsSchema } from "~/domain/forms/fields";
import { AttendanceSchema, BallotSchema, CloseMeetingSchema } from "~/domain/forms/meeting";
import { formatPence } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { CONSTITUENCY_LABELS } from "~/domain/roles";
import { getAgenda, getAttendance, getMeetingQuorum } from "~/models/meeting.server";
import { closeMeeting, recordAttendance } from "~/services/meetings.server";
import { closeBallot, openBallot, RecusedError, submitBallot } from "~/services/voting.server";
import { getDb } from "~/utils/db.server";
import { formError, submitForm } from "~/utils/forms.server";
import { forbidden, notFound } from "~/utils/http.server";
import { pageFrom } from "~/utils/pagination";
import { Pagination } from "~/components/ui/pagination";
import { DataTable } from "~/components/ui/data-table";
import { declarationSentence } from "~/domain/interests";
import { listInterestRegister } from "~/models/interests.server";
import { OUTCOME_LABELS } from "~/domain/decisions";
import { SHORTLIST_MEETING_NOTE, shortlistsFirst } from "~/domain/panel-and-residents";
import { listMeetingDepartures } from "~/models/decision-departures.server";

const copy = {
  back: "All meetings",
  status: { open: "Open", closed: "Closed" } as Record<string, string>,
  heldOn: "Date",
  group: "Decision group",
  attendance: "Attendance",
  attendanceHint: "Tick everyone who is present. Members not ticked are recorded as absent.",
  attendanceLegend: "Who is present",
  notRecorded: "Attendance has not been recorded yet.",
  present: "Present",
  absent: "Absent",
  notYet: "Not recorded",
  chair: "chair",
  attendanceCaption: "Panel members and whether they are present",
  attendanceColumns: ["Member", "Constituency", "Attendance"],
  saveAttendance: "Save attendance",
  quorum: "Quorum",
  quorate: "Quorate",
  notQuorate: "Not quorate",
  notQuorateWarning: "This meeting is not quorate. Votes can still be taken, but they and any decisions recorded at this meeting are marked not quorate.",
  agenda: "Agenda",
  declarations: "Declarations of interest",
  declarationsNone: "No member of this panel has declared an interest.",
  agendaIntro:
    "The proposals the panel discusses and votes on, the most contested first: those whose scorers disagreed most (by the standard deviation of their weighted totals). Proposals nobody has scored come last.",
  agendaNone: "There are no proposals to discuss: none of this group's proposals is eligible or under panel review.",
  agendaCaption: "Agenda, most contested first",
  agendaColumns: ["Proposal", "Status", "Amount asked for", "Scorers", "Disagreement (standard deviation)", "Vote"],
  recused: "You are recused: you declared an interest",
  noScores: "Not scored",
  voteNone: "Not opened",
  voteOpen: (n: number, hasVoted: boolean) => `Open: ${n} ${n === 1 ? "vote" : "votes"} cast${hasVoted ? ". You have voted" : ""}`,
  voteOpenRecused: "Open",
  voteClosed: "Closed",
  showing: (from: number, to: number, total: number) => `Showing proposals ${from} to ${to} of ${total} on the agenda.`,
  noSuchPage: (asked: number, page: number) => `There is no page ${asked} of the agenda. This is page ${page}, the last one.`,
  ballot: "Approval ballot",
  ballotIntro: (n: number) =>
    `Approve up to ${n} ${
      n === 1 ? "proposal" : "proposals"
    }. Proposals you do not tick count as not approved by you. You can cast your ballot once, and nobody sees how anyone voted until the ballot closes.`,
  ballotLegend: (n: number) => `Proposals you approve (up to ${n})`,
  ballotSubmit: "Cast my ballot",
  ballotCast: "You have cast your ballot.",
  ballotCount: (n: number) => `${n} ${n === 1 ? "member has" : "members have"} cast a ballot so far.`,
  ballotNotOpen: "The ballot has not been opened yet.",
  openBallot: "Open the ballot",
  closeBallot: "Close the ballot and count the votes",
  ballotResults: "Ballot results",
  notPresent: "Only members recorded as present can vote.",
  close: "Close the meeting",
  minutes: "Minutes",
  departed: "Decisions that differ from this meeting's vote or the allocation",
  departedWhy: "Why: ",
  minutesHint: "A plain record of what the panel discussed and decided. The public can read minutes once results are published.",
  closeSubmit: "Close meeting",
  closedOn: (d: string) => `This meeting closed on ${d}.`,
  done: {
    attendance: "Attendance saved.",
    ballot: "Your ballot has been recorded.",
    opened: "The ballot is open.",
    counted: "The ballot is closed and the votes are counted.",
    closed: "The meeting is closed.",
  } as Record<string, string>,
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.meeting.title ?? "Meeting"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, meeting, canRun, canTakePart } = await requireMeetingAccess(request, params.meetingId);
  const db = getDb();
  const url = new URL(request.url);
  const [attendance, quorumNow, agenda, register, departures] = await Promise.all([
    getAttendance(db, meeting.id),
    getMeetingQuorum(db, meeting.id),
    getAgenda(db, meeting, user, pageFrom(url)),
    listInterestRegister(db, [meeting.decision_group_id]),
    listMeetingDepartures(db, meeting.id),
  ]);
  if (!quorumNow) throw notFound();
  const quorum = quorumNow;
  const me = attendance.find((a) => a.userId === user.id);
  const done = url.searchParams.get("done") ?? "";
  return json({
    meeting: {
      id: meeting.id,
      title: meeting.title,
      heldOn: meeting.held_on,
      status: meeting.status,
      minutes: meeting.minutes,
      closedAt: meeting.closed_at,
      groupName: meeting.groupName,
      fundName: meeting.fundName,
      votingMethod: meeting.voting_method,
      approvalMax: meeting.approval_max ?? 1,
      shortlistNote: shortlistsFirst(meeting.decision_method) ? SHORTLIST_MEETING_NOTE : null,
    },
    attendance,
    quorum,
    // One page of the agenda; the ballot (approval voting) lists every open item the viewer may vote on.
    agenda: { items: agenda.items, rule: agenda.rule, paging: agenda.paging },
    // Flagged with the minutes; a member recused from a proposal does not see its decision here.
    departed: departures
      .filter((d) => agenda.isVisible(d.proposalId))
      .map((d) => ({
        id: d.proposalId,
        label: `${d.reference}${d.title ? `, ${d.title}` : ""}: ${OUTCOME_LABELS[d.outcome].toLowerCase()}. `,
        texts: d.departures.map((x) => x.text).join(" "),
        reason: d.departureReason,
      })),
    // Recorded in the meeting's record, as minutes record declarations (Localism Act 2011 s.31).
    declarations: register.map((r) => ({ id: r.id, text: declarationSentence(r, { isPublic: false }) })),
    canRun,
    canTakePart,
    isPresent: me?.isPresent === true,
    ballot: agenda.ballot,
    done: copy.done[done] ? done : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, meeting, canRun, canTakePart } = await requireMeetingAccess(request, params.meetingId);
  const db = getDb();
  const intent = form.get("intent");
  const here = `/panel/meetings/${meeting.id}`;
  try {
    switch (intent) {
      case "attendance":
        if (!canRun) throw forbidden();
        return await submitForm(form, AttendanceSchema, async (data) => {
          await recordAttendance(db, user, meeting.id, data.present);
          return redirect(`${here}?done=attendance`);
        });
      case "open_ballot":
        if (!canRun) throw forbidden();
        return await submitForm(form, NoFieldsSchema, async () => {
          await openBallot(db, user, meeting.id);
          return redirect(`${here}?done=opened`);
        });
      case "close_ballot":
        if (!canRun) throw forbidden();
        return await submitForm(form, NoFieldsSchema, async () => {
          await closeBallot(db, user, meeting.id);
          return redirect(`${here}?done=counted`);
        });
      case "ballot":
        if (!canTakePart) throw forbidden();
        return await submitForm(form, BallotSchema, async (data) => {
          await submitBallot(db, user, meeting.id, data.approve, data.submission);
          return redirect(`${here}?done=ballot`);
        });
      case "close":
        if (!canRun) throw forbidden();
        return await submitForm(form, CloseMeetingSchema, async (data) => {
          await closeMeeting(db, user, meeting.id, data.minutes);
          return redirect(`${here}?done=closed`);
        });
      default:
        return formError({ form: "Choose what to do from the page." });
    }
  } catch (error) {
    // A member recused from a proposal on the ballot may not vote at all: that is a 403, not a form error.
    if (error instanceof RecusedError) throw forbidden(error.message);
    throw error;
  }
}

export default function Meeting() {
  const { meeting, attendance, quorum, agenda, declarations, canRun, canTakePart, isPresent, ballot, done, departed } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  // Page links keep the rest of the address but not the "saved" message.
  const pageSearch = new URLSearchParams(search);
  pageSearch.delete("done");
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const isOpen = meeting.status === "open";
  const isRecorded = attendance.some((a) => a.isPresent !== null);
  return (
    <div className="max-w-5xl">
      <ErrorSummary errors={errors} />
      <p>
        <Link to="/panel/meetings">{copy.back}</Link>
      </p>
      {done && !actionData ? (
        <p role="status" className="panel font-semibold">
          {copy.done[done]}
        </p>
      ) : null}
      <h1>
        {meeting.title} <span className="tag align-middle text-base">{copy.status[meeting.status]}</span>
      </h1>
      <dl className="mb-6 grid grid-cols-1 gap-x-6 sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold">{copy.group}</dt>
        <dd className="mb-2">
          {meeting.groupName} ({meeting.fundName})
        </dd>
        <dt className="font-semibold">{copy.heldOn}</dt>
        <dd className="mb-2">{formatDate(meeting.heldOn)}</dd>
      </dl>
      {meeting.closedAt ? <p>{copy.closedOn(formatDate(meeting.closedAt.slice(0, 10)))}</p> : null}

      <h2 id="quorum-heading">{copy.quorum}</h2>
      <div className={`mb-6 border-l-8 p-4 ${quorum.isQuorate ? "border-green-700 bg-green-50" : "border-red-700 bg-red-50"}`} aria-labelledby="quorum-heading">
        <p className="text-xl font-bold">{quorum.isQuorate ? copy.quorate : copy.notQuorate}</p>
        <ul className="list-disc pl-6">
          {quorum.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
        {!quorum.isQuorate ? <p className="font-semibold">{copy.notQuorateWarning}</p> : null}
      </div>

      <h2>{copy.attendance}</h2>
      {canRun && isOpen ? (
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="attendance" />
          <fieldset className={`mb-6 ${errors?.present ? "border-l-4 border-red-700 pl-3" : ""}`} aria-describedby="present-hint">
            <legend className="mb-1 font-semibold">{copy.attendanceLegend}</legend>
            <p id="present-hint" className="text-slate-700">
              {copy.attendanceHint}
            </p>
            {errors?.present ? (
              <p className="font-semibold text-red-800">
                <span className="sr-only">Error: </span>
                {errors.present}
              </p>
            ) : null}
            {attendance.map((a, i) => (
              <div key={a.userId} className="my-2 flex items-start gap-2">
                <input
                  type="checkbox"
                  id={i === 0 ? "present" : `present-${a.userId}`}
                  name="present"
                  value={a.userId}
                  defaultChecked={a.isPresent === true}
                  className="mt-0.5 h-6 w-6 shrink-0"
                />
                <label htmlFor={i === 0 ? "present" : `present-${a.userId}`}>
                  {a.name}
                  {a.isChair ? ` (${copy.chair})` : ""}, {CONSTITUENCY_LABELS[a.constituency]}
                </label>
              </div>
            ))}
          </fieldset>
          <button type="submit" className="btn">
            {copy.saveAttendance}
          </button>
        </Form>
      ) : !isRecorded ? (
        <p>{copy.notRecorded}</p>
      ) : (
        <DataTable caption={copy.attendanceCaption} columns={copy.attendanceColumns}>
          {attendance.map((a) => (
            <tr key={a.userId}>
              <th scope="row" className="font-normal">
                {a.name}
                {a.isChair ? ` (${copy.chair})` : ""}
              </th>
              <td>{CONSTITUENCY_LABELS[a.constituency]}</td>
              <td>{a.isPresent === null ? copy.notYet : a.isPresent ? copy.present : copy.absent}</td>
            </tr>
          ))}
        </DataTable>
      )}

      <h2>{copy.declarations}</h2>
      {declarations.length === 0 ? (
        <p>{copy.declarationsNone}</p>
      ) : (
        <ul className="list-disc space-y-1 pl-6">
          {declarations.map((d) => (
            <li key={d.id}>{d.text}</li>
          ))}
        </ul>
      )}

      <h2>{copy.agenda}</h2>
      <p>{copy.agendaIntro}</p>
      {meeting.shortlistNote ? (
        <p role="note" className="panel max-w-3xl font-semibold">
          {meeting.shortlistNote}
        </p>
      ) : null}
      {agenda.paging.askedPage > agenda.paging.pageCount ? (
        <p role="status" className="panel">
          {copy.noSuchPage(agenda.paging.askedPage, agenda.paging.page)}
        </p>
      ) : null}
      {agenda.paging.pageCount > 1 ? (
        <p>
          {copy.showing(
            (agenda.paging.page - 1) * agenda.paging.pageSize + 1,
            (agenda.paging.page - 1) * agenda.paging.pageSize + agenda.items.length,
            agenda.paging.total,
          )}
        </p>
      ) : null}
      {agenda.items.length === 0 ? (
        <p>{copy.agendaNone}</p>
      ) : (
        <DataTable caption={copy.agendaCaption} columns={copy.agendaColumns}>
          {agenda.items.map((p) => (
            <tr key={p.id}>
              <th scope="row" className="font-normal">
                {p.isRecused ? (
                  <>
                    {p.reference} {p.title}
                    <br />
                    <span className="tag">{copy.recused}</span>
                  </>
                ) : (
                  <Link to={`/panel/meetings/${meeting.id}/proposals/${p.id}`}>
                    {p.reference} {p.title}
                  </Link>
                )}
              </th>
              <td>{STATUS_LABELS[p.status]}</td>
              <td className="whitespace-nowrap">{p.amountRequestedPence === null ? "" : formatPence(p.amountRequestedPence)}</td>
              <td>{p.scorerCount === null ? "–" : p.scorerCount}</td>
              <td>{p.isRecused ? "–" : p.standardDeviation === null ? copy.noScores : p.standardDeviation.toFixed(2)}</td>
              <td>
                {!p.voteItem
                  ? copy.voteNone
                  : p.voteItem.status === "closed"
                    ? copy.voteClosed
                    : p.voteItem.votesCast === null
                      ? copy.voteOpenRecused
                      : copy.voteOpen(p.voteItem.votesCast, p.voteItem.hasVoted)}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pagination page={agenda.paging.page} pageSize={agenda.paging.pageSize} total={agenda.paging.total} search={pageSearch.toString()} />

      {meeting.votingMethod === "approval" ? (
        <section aria-labelledby="ballot-heading">
          <h2 id="ballot-heading">{copy.ballot}</h2>
          {ballot.isClosed ? (
            <>
              <h3>{copy.ballotResults}</h3>
              <ul className="list-none space-y-4 pl-0">
                {ballot.results.map((p) => (
                  <li key={p.id} className="panel">
                    <p className="font-semibold">
                      {p.reference} {p.title}
                    </p>
                    <MeetingVoteResult result={p.result as StoredVoteResult} />
                  </li>
                ))}
              </ul>
            </>
          ) : !ballot.isOpen ? (
            <p>{copy.ballotNotOpen}</p>
          ) : (
            <>
              <p>{copy.ballotCount(ballot.ballotsCast)}</p>
              {canTakePart ? (
                ballot.hasVoted ? (
                  <p className="font-semibold">{copy.ballotCast}</p>
                ) : !isPresent ? (
                  <p>{copy.notPresent}</p>
                ) : (
                  <Form method="post" noValidate>
                    <CsrfInput />
                    <input type="hidden" name="intent" value="ballot" />
                    <p>{copy.ballotIntro(meeting.approvalMax)}</p>
                    <fieldset className={`mb-6 ${errors?.approve ? "border-l-4 border-red-700 pl-3" : ""}`}>
                      <legend className="mb-1 font-semibold">{copy.ballotLegend(meeting.approvalMax)}</legend>
                      {errors?.approve ? (
                        <p className="font-semibold text-red-800">
                          <span className="sr-only">Error: </span>
                          {errors.approve}
                        </p>
                      ) : null}
                      {ballot.choices.map((p, i) => (
                        <div key={p.id} className="my-2 flex items-start gap-2">
                          <input type="checkbox" id={i === 0 ? "approve" : `approve-${p.id}`} name="approve" value={p.id} className="mt-0.5 h-6 w-6 shrink-0" />
                          <label htmlFor={i === 0 ? "approve" : `approve-${p.id}`}>
                            {p.reference} {p.title}
                          </label>
                        </div>
                      ))}
                    </fieldset>
                    <button type="submit" className="btn">
                      {copy.ballotSubmit}
                    </button>
                  </Form>
                )
              ) : null}
            </>
          )}
          {canRun && isOpen && !ballot.isOpen && !ballot.isClosed && agenda.items.length > 0 ? (
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="open_ballot" />
              <button type="submit" className="btn">
                {copy.openBallot}
              </button>
            </Form>
          ) : null}
          {canRun && isOpen && ballot.isOpen ? (
            <Form method="post" className="mt-4">
              <CsrfInput />
              <input type="hidden" name="intent" value="close_ballot" />
              <button type="submit" className="btn-warning">
                {copy.closeBallot}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      <h2>{isOpen && canRun ? copy.close : copy.minutes}</h2>
      {isOpen && canRun ? (
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="close" />
          <TextareaField
            name="minutes"
            label={copy.minutes}
            hint={copy.minutesHint}
            rows={8}
            defaultValue={actionData?.values?.minutes}
            error={errors?.minutes}
          />
          <button type="submit" className="btn-warning">
            {copy.closeSubmit}
          </button>
        </Form>
      ) : meeting.minutes ? (
        <p className="whitespace-pre-line">{meeting.minutes}</p>
      ) : null}
      {departed.length ? (
        <>
          <h3>{copy.departed}</h3>
          <ul className="list-disc space-y-2 pl-6">
            {departed.map((d) => (
              <li key={d.id}>
                <strong>{d.label}</strong>
                {d.texts} <strong>{copy.departedWhy}</strong>
                {d.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

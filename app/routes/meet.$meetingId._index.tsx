import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getAttendee } from "~/auth/attendee-session.server";
import { readVerifiedForm } from "~/auth/csrf.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ChoicesFieldset } from "~/components/ui/choices-fieldset";
import { ErrorSummary } from "~/components/ui/error-summary";
import { CHOICE_FIELD, choicesFromForm, pointsField, type Choices } from "~/domain/community-ballot";
import { DomainError } from "~/domain/errors";
import { MeetingVoteSchema } from "~/domain/forms/public-meeting";
import { MAJORITY_ANSWERS, MAJORITY_LABELS } from "~/domain/public-meeting";
import { getOwnVotes, getPublicMeeting, listQuestions } from "~/models/public-meeting.server";
import { castMeetingVote } from "~/services/public-meetings.server";
import { getDb } from "~/utils/db.server";
import { repeatedValues } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  waiting: "Waiting for the chair to open the next question.",
  waitingHint: "This page checks for the next question every 10 seconds.",
  check: "Check now",
  legend: {
    majority: "Your answer",
    approval: "Choose the ideas you support",
    points: (n: number) => `Share out ${n} points between the ideas`,
  },
  hint: {
    majority: "Choose one.",
    approval: "Tick as many as you like.",
    points: "Give more points to the ideas you like most. Leave a box empty for no points.",
  },
  pointsFor: (label: string) => `Points for ${label}`,
  submit: "Send my vote",
  already: "You have voted on this question. Your choice is shown below. You can change it while the question is open.",
  countdown: (at: string) => `Voting closes at ${at}.`,
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.meeting.title ?? "Meeting"} – Community Grant Decisions` }];

async function attendeeContext(request: Request, meetingId: string | undefined) {
  const db = getDb();
  const meeting = await getPublicMeeting(db, meetingId ?? "");
  if (!meeting) throw notFound();
  const attendee = await getAttendee(db, request, meeting.id);
  if (!attendee) throw redirect("/meet");
  // Only the open question, and never a count: counts are for after the close (docs/decisions/0047).
  const open = (await listQuestions(db, meeting.id)).find((q) => q.status === "open") ?? null;
  return { db, meeting, attendee, open };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, meeting, attendee, open } = await attendeeContext(request, params.meetingId);
  const own = open ? ((await getOwnVotes(db, attendee.id))[open.id] ?? null) : null;
  return json({
    meeting: { id: meeting.id, title: meeting.title },
    question: open
      ? {
          id: open.id,
          title: open.title,
          rule: open.rule,
          pointsTotal: open.pointsTotal ?? 0,
          closesAt: open.closesAt,
          options: open.options.map((o) => ({ id: o.id, label: o.label })),
        }
      : null,
    own,
  });
}

/** The form's fields as choices: a radio (majority), ticks (approval) or points boxes. */
function choicesOf(rule: "majority" | "approval" | "points", optionIds: readonly string[], data: Record<string, unknown>): Choices {
  const read = choicesFromForm(rule === "points" ? "points" : "approval", rule === "majority" ? [...MAJORITY_ANSWERS] : optionIds, data);
  if (read.problem !== null) throw new DomainError(read.problem.replace("project", "idea"), "choices");
  return read.choices;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { db, meeting, attendee, open } = await attendeeContext(request, params.meetingId);
  return submitForm(
    form,
    MeetingVoteSchema,
    async (data) => {
      if (!open || open.id !== data.questionId) throw new DomainError("Voting on this question has closed.", "choices");
      await castMeetingVote(
        db,
        attendee.id,
        open.id,
        choicesOf(
          open.rule,
          open.options.map((o) => o.id),
          data,
        ),
      );
      return redirect(`/meet/${meeting.id}/counted`);
    },
    { errorField: "choices" },
  );
}

export default function MeetingVote() {
  const { meeting, question, own } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const kept = actionData?.values;
  const ticked = new Set(kept ? repeatedValues(kept, CHOICE_FIELD) : Object.keys(own ?? {}));
  const pointsOf = (id: string) => (kept ? (kept[pointsField(id)] ?? "") : own?.[id] ? String(own[id]) : "");
  return (
    <div className="max-w-xl">
      <ErrorSummary errors={errors} />
      <p className="text-lg">{meeting.title}</p>
      {!question ? (
        <>
          <noscript>
            <meta httpEquiv="refresh" content="10" />
          </noscript>
          <h1>{copy.waiting}</h1>
          <p>{copy.waitingHint}</p>
          <p>
            <Link to={`/meet/${meeting.id}`} reloadDocument>
              {copy.check}
            </Link>
          </p>
        </>
      ) : (
        <>
          <h1>{question.title}</h1>
          {question.closesAt ? <p>{copy.countdown(new Date(question.closesAt).toLocaleTimeString("en-GB", { timeZone: "Europe/London" }))}</p> : null}
          {own && !actionData ? <p>{copy.already}</p> : null}
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="questionId" value={question.id} />
            <ChoicesFieldset
              legend={question.rule === "points" ? copy.legend.points(question.pointsTotal) : copy.legend[question.rule]}
              hint={copy.hint[question.rule]}
              error={errors?.choices}
            >
              <ul className="space-y-4">
                {(question.rule === "majority" ? MAJORITY_ANSWERS.map((a) => ({ id: a as string, label: MAJORITY_LABELS[a] })) : question.options).map(
                  (o, i) => {
                    const id = i === 0 ? "choices" : `choice-${o.id}`;
                    return (
                      <li key={o.id} className="flex items-center gap-3 text-xl">
                        {question.rule === "points" ? (
                          <>
                            <input id={id} name={pointsField(o.id)} inputMode="numeric" className="input w-20" defaultValue={pointsOf(o.id)} />
                            <label htmlFor={id}>{copy.pointsFor(o.label)}</label>
                          </>
                        ) : (
                          <>
                            <input
                              type={question.rule === "majority" ? "radio" : "checkbox"}
                              id={id}
                              name={CHOICE_FIELD}
                              value={o.id}
                              defaultChecked={ticked.has(o.id)}
                              className="h-7 w-7 shrink-0"
                            />
                            <label htmlFor={id}>{o.label}</label>
                          </>
                        )}
                      </li>
                    );
                  },
                )}
              </ul>
            </ChoicesFieldset>
            <button type="submit" className="btn text-xl">
              {copy.submit}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

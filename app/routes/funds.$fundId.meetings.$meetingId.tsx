import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PublicMeetingResult } from "~/components/public-meeting-result";
import { formatUkDateTime } from "~/domain/community-ballot";
import { MEETING_RULE_LABELS } from "~/domain/public-meeting";
import { getPublicMeeting, listQuestions } from "~/models/public-meeting.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: (t: string) => `Minutes: ${t}`,
  back: (fund: string) => `Back to ${fund}`,
  held: (venue: string, at: string) => `Held at ${venue} on ${at}.`,
  published: (at: string) => `Published on ${at}.`,
  rule: "How the room decided",
  turnout: "Turnout",
  turnoutText: (phone: number, hands: number) => `${phone + hands} people voted: ${phone} by phone and ${hands} by show of hands.`,
  none: "No questions were decided at this meeting.",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title(data?.meeting.title ?? "Meeting")} – Community Grant Decisions` }];

/** A meeting's published minutes: each decided question, its rule, its turnout and its result. 404 until they are published. */
export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const meeting = await getPublicMeeting(db, params.meetingId ?? "");
  if (!meeting || meeting.fund_id !== params.fundId || !meeting.isFundPublished || !meeting.minutes_published_at) throw notFound();
  const questions = (await listQuestions(db, meeting.id)).filter((q) => q.status === "recorded" && q.result);
  return json({
    meeting: {
      title: meeting.title,
      venue: meeting.venue,
      startsAt: meeting.starts_at,
      fundId: meeting.fund_id,
      fund: meeting.fundName,
      note: meeting.minutes_note,
      publishedAt: meeting.minutes_published_at,
    },
    questions: questions.map((q) => ({ id: q.id, position: q.position, title: q.title, rule: q.rule, result: q.result! })),
  });
}

export default function MeetingMinutes() {
  const { meeting, questions } = useLoaderData<typeof loader>();
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/funds/${meeting.fundId}`}>{copy.back(meeting.fund)}</Link>
      </p>
      <h1>{copy.title(meeting.title)}</h1>
      <p>{copy.held(meeting.venue, formatUkDateTime(meeting.startsAt))}</p>
      <p>{copy.published(formatUkDateTime(meeting.publishedAt))}</p>
      {meeting.note ? <p className="whitespace-pre-line">{meeting.note}</p> : null}
      {questions.length === 0 ? <p>{copy.none}</p> : null}
      {questions.map((q) => (
        <section key={q.id} aria-labelledby={`q-${q.id}`}>
          <h2 id={`q-${q.id}`}>
            {q.position}. {q.title}
          </h2>
          <p>
            {copy.rule}: {MEETING_RULE_LABELS[q.rule]}
          </p>
          <p>
            {copy.turnout}: {copy.turnoutText(q.result.phoneVoters, q.result.handsVoters)}
          </p>
          <PublicMeetingResult title={q.title} result={q.result} />
        </section>
      ))}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

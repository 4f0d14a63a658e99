import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { getUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PublicMeetingResult } from "~/components/public-meeting-result";
import { MEETING_RULE_LABELS, secondsLeft } from "~/domain/public-meeting";
import { canRunPublicMeeting, getDoorCode, getProjectorView, getPublicMeeting, type ProjectorView } from "~/models/public-meeting.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";

const copy = {
  join: (url: string, code: string) => `Vote on your phone: go to ${url} and type ${code}`,
  waiting: "The next question will appear here.",
  questionOf: (n: number, of: number) => `Question ${n} of ${of}`,
  voted: (n: number) => `${n} ${n === 1 ? "person has" : "people have"} voted`,
  open: "Voting is open",
  closed: "Voting has closed",
  recorded: "Result",
  left: (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")} left`,
  timeUp: "Time is up",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Projector: ${data?.view.title ?? "Meeting"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const meeting = await getPublicMeeting(db, params.meetingId ?? "");
  if (!meeting) throw notFound();
  const user = await getUser(request);
  const canRun = user ? await canRunPublicMeeting(db, user, meeting) : false;
  // A public page once the fund is; the door code only for the people running the meeting (their laptop drives the projector).
  if (!meeting.isFundPublished && !canRun) throw notFound();
  const [view, door] = await Promise.all([getProjectorView(db, meeting.id), canRun ? getDoorCode(db, meeting.id) : null]);
  return json({ meetingId: meeting.id, view: view!, doorCode: door?.code ?? null, joinUrl: `${new URL(request.url).host}/meet` });
}

/** Follows the live feed with JavaScript; without it, the page refreshes itself every 5 seconds. */
function useLiveView(initial: ProjectorView, meetingId: string): ProjectorView {
  const [view, setView] = useState(initial);
  useEffect(() => setView(initial), [initial]);
  useEffect(() => {
    const source = new EventSource(`/projector/${meetingId}/events`);
    source.addEventListener("view", (event) => setView(JSON.parse((event as MessageEvent<string>).data) as ProjectorView));
    return () => source.close();
  }, [meetingId]);
  return view;
}

function useSecondsLeft(closesAt: string | null): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (!closesAt) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [closesAt]);
  return now === null ? null : secondsLeft(closesAt, now);
}

export default function Projector() {
  const { meetingId, view: initial, doorCode, joinUrl } = useLoaderData<typeof loader>();
  const view = useLiveView(initial, meetingId);
  const q = view.question;
  const left = useSecondsLeft(q?.status === "open" ? q.closesAt : null);
  return (
    <div className="-mx-4 min-h-screen bg-black p-8 text-white">
      <noscript>
        <meta httpEquiv="refresh" content="5" />
      </noscript>
      <h1 className="text-4xl text-white">{view.title}</h1>
      {doorCode ? <p className="mb-8 text-3xl text-yellow-300">{copy.join(joinUrl, doorCode)}</p> : null}
      {!q ? (
        <p className="text-5xl">{copy.waiting}</p>
      ) : (
        <section aria-labelledby="projector-question">
          <p className="text-3xl">{copy.questionOf(q.position, view.questionCount)}</p>
          <h2 id="projector-question" className="my-6 text-6xl font-bold leading-tight text-white">
            {q.title}
          </h2>
          <p className="text-3xl">{MEETING_RULE_LABELS[q.rule]}</p>
          <p className="my-6 text-5xl font-bold" role="status">
            {q.status === "open" ? copy.open : q.status === "closed" ? copy.closed : copy.recorded}. {copy.voted(q.votedCount)}.
          </p>
          {left !== null ? <p className="text-6xl font-bold text-yellow-300">{left > 0 ? copy.left(left) : copy.timeUp}</p> : null}
          {q.result ? (
            <div className="projector-result">
              <PublicMeetingResult title={q.title} result={q.result} isLarge />
            </div>
          ) : null}
        </section>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

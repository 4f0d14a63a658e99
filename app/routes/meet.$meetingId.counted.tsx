import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getAttendee } from "~/auth/attendee-session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { getPublicMeeting } from "~/models/public-meeting.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "Your vote was counted",
  change: "You can change your vote while the question is open. Only your last vote counts, and nobody can see how you voted.",
  back: "Back to the meeting",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const meeting = await getPublicMeeting(db, params.meetingId ?? "");
  if (!meeting) throw notFound();
  if (!(await getAttendee(db, request, meeting.id))) throw redirect("/meet");
  return json({ meeting: { id: meeting.id, title: meeting.title } });
}

export default function VoteCounted() {
  const { meeting } = useLoaderData<typeof loader>();
  return (
    <div className="max-w-xl">
      <h1>{copy.title}</h1>
      <p className="text-lg">{meeting.title}</p>
      <p>{copy.change}</p>
      <p>
        <Link to={`/meet/${meeting.id}`} className="btn">
          {copy.back}
        </Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

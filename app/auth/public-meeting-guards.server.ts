import { canRunPublicMeeting, getPublicMeeting, type PublicMeeting } from "~/models/public-meeting.server";
import { getDb } from "~/utils/db.server";
import { forbidden, notFound } from "~/utils/http.server";
import { requireUser } from "./guards.server";
import type { SessionUser } from "./session.server";

/** The signed-in user and a public meeting they may run (an administrator, or the group's chair); 404 for no such meeting, 403 for anyone else. */
export async function requirePublicMeetingRunner(request: Request, meetingId: string | undefined): Promise<{ user: SessionUser; meeting: PublicMeeting }> {
  const user = await requireUser(request);
  const db = getDb();
  const meeting = await getPublicMeeting(db, meetingId ?? "");
  if (!meeting) throw notFound();
  if (!(await canRunPublicMeeting(db, user, meeting))) throw forbidden();
  return { user, meeting };
}

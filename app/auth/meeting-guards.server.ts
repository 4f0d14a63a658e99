import { redirect } from "@remix-run/node";
import { can, meetingScope, mustDeclareInterestsFirst } from "~/domain/permissions";
import { findMeetingFor, type MeetingRecord } from "~/models/meeting.server";
import { getInterestsDeclaredAt } from "~/models/scoring.server";
import { getDb } from "~/utils/db.server";
import { forbidden, notFound } from "~/utils/http.server";
import { requireUser } from "./guards.server";
import type { SessionUser } from "./session.server";

export interface MeetingAccess {
  user: SessionUser;
  meeting: MeetingRecord;
  /** An administrator, or the group's chair: opens and closes votes, records attendance, closes the meeting. */
  canRun: boolean;
  /** A panel member of the group: may vote (if present and not recused). */
  canTakePart: boolean;
}

/**
 * The signed-in user and a meeting they may see: administrators any, panel
 * members their own group's (checked in the query: anyone else gets 404).
 * A panel member who has not declared their interests is sent to do so first,
 * because recusal decides what they may see here.
 */
export async function requireMeetingAccess(request: Request, meetingId: string | undefined): Promise<MeetingAccess> {
  const user = await requireUser(request);
  if (meetingScope(user).kind === "none") throw forbidden();
  const db = getDb();
  const meeting = await findMeetingFor(db, user, meetingId ?? "");
  if (!meeting) throw notFound();
  const panel = { type: "panel" as const, decisionGroupId: meeting.decision_group_id, chairIds: meeting.chairIds };
  if (!can(user, "meeting.read", panel)) throw forbidden();
  if (mustDeclareInterestsFirst(user)) {
    if (!(await getInterestsDeclaredAt(db, user.membershipId))) throw redirect("/panel/interests");
  }
  return { user, meeting, canRun: can(user, "meeting.run", panel), canTakePart: can(user, "meeting.take_part", panel) };
}

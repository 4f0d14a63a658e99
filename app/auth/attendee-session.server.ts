import type { DB } from "../../db/client";
import { getAttendeeBySessionHash } from "~/models/public-meeting.server";
import { sha256 } from "~/utils/ids.server";
import { cookiePerProtocol } from "./cookies.server";

/**
 * An attendee's session at a public meeting (docs/decisions/0047), like a
 * voter's (voter-session.server.ts): a random token in its own cookie, only
 * its hash in public_meeting_attendee_session. It opens one meeting's voting
 * page and nothing else. Twelve hours: one evening's meeting, however long.
 */
export const ATTENDEE_SESSION_MS = 12 * 60 * 60 * 1000;

export const attendeeCookieOf = cookiePerProtocol(
  { https: "__Host-attendee", http: "__attendee" },
  { httpOnly: true, sameSite: "lax", maxAge: ATTENDEE_SESSION_MS / 1000 },
);

/** The Set-Cookie header that gives the browser an attendee session token. */
export function attendeeCookieHeader(request: Request, token: string): Promise<string> {
  return attendeeCookieOf(request).serialize(token);
}

/** The attendee this request's cookie belongs to, at this meeting; null without a live session. */
export async function getAttendee(db: DB, request: Request, meetingId: string, now = new Date()): Promise<{ id: string } | null> {
  const token = await attendeeCookieOf(request).parse(request.headers.get("Cookie"));
  if (typeof token !== "string" || token.length < 20) return null;
  const attendee = await getAttendeeBySessionHash(db, sha256(token), now.toISOString());
  return attendee && attendee.meetingId === meetingId ? { id: attendee.id } : null;
}

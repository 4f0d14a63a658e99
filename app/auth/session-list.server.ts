import type { DB } from "../../db/client";
import { IDLE_TIMEOUT_MS, sessionCookieOf } from "./session.server";

/** One of a person's live sessions, as the session list shows it. */
export interface SessionRow {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string | null;
}

/** A person's live sessions (not expired, not idle too long), most recently used first. */
export async function listUserSessions(db: DB, userId: string, now = new Date()): Promise<SessionRow[]> {
  const rows = await db
    .selectFrom("session")
    .select(["id", "created_at", "last_seen_at", "user_agent"])
    .where("user_id", "=", userId)
    .where("expires_at", ">", now.toISOString())
    .where("last_seen_at", ">=", new Date(now.getTime() - IDLE_TIMEOUT_MS).toISOString())
    .orderBy("last_seen_at", "desc")
    .orderBy("created_at", "desc")
    .execute();
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, userAgent: r.user_agent }));
}

/** Deletes one session, only if it is this user's; returns whether a row went. */
export async function deleteUserSession(db: DB, userId: string, sessionId: string): Promise<boolean> {
  const result = await db.deleteFrom("session").where("id", "=", sessionId).where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Deletes every session of this user except `keepId` (none kept when null); returns how many went. */
export async function deleteUserSessionsExcept(db: DB, userId: string, keepId: string | null): Promise<number> {
  let query = db.deleteFrom("session").where("user_id", "=", userId);
  if (keepId) query = query.where("id", "!=", keepId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The Set-Cookie header that clears this request's session cookie. */
export function clearedSessionCookie(request: Request): Promise<string> {
  return sessionCookieOf(request).serialize("", { maxAge: 0 });
}

import { createCookie } from "@remix-run/node";
import type { DB } from "../../db/client";
import type { Actor } from "~/domain/permissions";
import type { Constituency, Role } from "~/domain/roles";
import { getEnv } from "~/utils/env.server";
import { newToken, sha256 } from "~/utils/ids.server";

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, to keep reads from becoming writes. */
const TOUCH_EVERY_MS = 60 * 1000;

export const sessionCookie = createCookie("__session", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  secure: getEnv().isProduction,
  maxAge: ABSOLUTE_TIMEOUT_MS / 1000,
});

export interface SessionUser extends Actor {
  email: string;
  name: string;
  constituency: Constituency | null;
  role: Role;
}

/** Starts a session with a fresh 128-bit id; returns the Set-Cookie header. Writes no audit event. */
export async function createSession(db: DB, userId: string, now = new Date()): Promise<string> {
  const token = newToken(16);
  await db
    .insertInto("session")
    .values({
      id: sha256(token),
      user_id: userId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS).toISOString(),
    })
    .execute();
  return sessionCookie.serialize(token);
}

async function readToken(request: Request): Promise<string | null> {
  const value = await sessionCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** The signed-in user, or null when there is no live session. Expired sessions are removed. */
export async function getSessionUser(db: DB, request: Request, now = new Date()): Promise<SessionUser | null> {
  const token = await readToken(request);
  if (!token) return null;
  const id = sha256(token);
  const row = await db
    .selectFrom("session")
    .innerJoin("user", "user.id", "session.user_id")
    .select([
      "session.last_seen_at",
      "session.expires_at",
      "user.id",
      "user.email",
      "user.name",
      "user.role",
      "user.constituency",
      "user.organisation_id",
      "user.decision_group_id",
      "user.disabled_at",
    ])
    .where("session.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const idleFor = now.getTime() - Date.parse(row.last_seen_at);
  if (row.disabled_at || idleFor > IDLE_TIMEOUT_MS || now.toISOString() >= row.expires_at) {
    await db.deleteFrom("session").where("id", "=", id).execute();
    return null;
  }
  if (idleFor > TOUCH_EVERY_MS) {
    await db.updateTable("session").set({ last_seen_at: now.toISOString() }).where("id", "=", id).execute();
  }
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    constituency: row.constituency,
    organisationId: row.organisation_id,
    decisionGroupId: row.decision_group_id,
  };
}

/** Deletes this request's session; returns a Set-Cookie header that clears the cookie. */
export async function destroySession(db: DB, request: Request): Promise<string> {
  const token = await readToken(request);
  if (token) await db.deleteFrom("session").where("id", "=", sha256(token)).execute();
  return sessionCookie.serialize("", { maxAge: 0 });
}

/** Ends every session a user has, for example when the account is disabled. */
export async function destroyUserSessions(db: DB, userId: string): Promise<void> {
  await db.deleteFrom("session").where("user_id", "=", userId).execute();
}

import type { DB } from "../../db/client";
import { isStorageFault } from "../../db/storage-faults";
import { sortMemberships, type MembershipSummary } from "~/domain/memberships";
import type { Actor } from "~/domain/permissions";
import type { Constituency } from "~/domain/roles";
import { listActiveMemberships } from "~/models/membership.server";
import { newToken, sha256 } from "~/utils/ids.server";
import { cookiePerProtocol } from "./cookies.server";

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, to keep reads from becoming writes. */
const TOUCH_EVERY_MS = 60 * 1000;

/** The session cookie for a request: `__Host-session` (Secure) over HTTPS, `__session` over plain HTTP. */
export const sessionCookieOf = cookiePerProtocol(
  { https: "__Host-session", http: "__session" },
  {
    httpOnly: true,
    sameSite: "lax",
    maxAge: ABSOLUTE_TIMEOUT_MS / 1000,
  },
);

/** How much of the User-Agent header a session keeps, for the list of signed-in devices. */
const USER_AGENT_MAX = 300;

/**
 * The signed-in person, acting under one of their memberships (the "hat"):
 * the Actor fields (role, organisationId, decisionGroupId, fundId) are that
 * membership's. Someone with no membership yet has role null.
 */
export interface SessionUser extends Actor {
  email: string;
  name: string;
  constituency: Constituency | null;
  isChair: boolean;
  hat: MembershipSummary | null;
  /** Every membership that has not ended, the hat among them. */
  memberships: MembershipSummary[];
}

/** The Actor that wears this membership. */
export function actorFor(userId: string, hat: MembershipSummary | null): Actor {
  return {
    id: userId,
    membershipId: hat?.id ?? null,
    role: hat?.role ?? null,
    organisationId: hat?.organisationId ?? null,
    decisionGroupId: hat?.decisionGroupId ?? null,
    fundId: hat?.fundId ?? null,
  };
}

/**
 * Starts a session with a fresh 128-bit id, acting under the person's first
 * membership; returns the Set-Cookie header. Writes no audit event.
 * `request` is the sign-in request: it names the cookie for its protocol and
 * gives the device description; without it (tests), a plain-HTTP cookie.
 */
export async function createSession(db: DB, userId: string, now = new Date(), request?: Request): Promise<string> {
  const token = newToken(16);
  const [first] = await listActiveMemberships(db, userId);
  await db
    .insertInto("session")
    .values({
      id: sha256(token),
      user_id: userId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS).toISOString(),
      membership_id: first?.id ?? null,
      user_agent: request?.headers.get("User-Agent")?.slice(0, USER_AGENT_MAX) ?? null,
    })
    .execute();
  return sessionCookieOf(request).serialize(token);
}

async function readToken(request: Request): Promise<string | null> {
  const value = await sessionCookieOf(request).parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** The signed-in user, or null when there is no live session. Expired sessions are removed. */
export async function getSessionUser(db: DB, request: Request, now = new Date()): Promise<SessionUser | null> {
  const token = await readToken(request);
  return token ? sessionUserById(db, sha256(token), now) : null;
}

/** getSessionUser for a session's id (the stored hash of its cookie's token). */
export async function sessionUserById(db: DB, id: string, now = new Date()): Promise<SessionUser | null> {
  const rows = await db
    .selectFrom("session")
    .innerJoin("user", "user.id", "session.user_id")
    .leftJoin("membership as m", (join) => join.onRef("m.user_id", "=", "user.id").on("m.ended_at", "is", null))
    .leftJoin("organisation as o", "o.id", "m.organisation_id")
    .leftJoin("decision_group as g", "g.id", "m.decision_group_id")
    .leftJoin("fund as f", "f.id", "m.fund_id")
    .select([
      "session.last_seen_at",
      "session.expires_at",
      "session.membership_id",
      "user.id as user_id",
      "user.email",
      "user.name",
      "user.disabled_at",
      "m.id",
      "m.role",
      "m.organisation_id",
      "o.name as organisation_name",
      "m.decision_group_id",
      "g.name as decision_group_name",
      "m.fund_id",
      "f.name as fund_name",
      "m.constituency",
      "m.is_chair",
      "m.started_at",
      "m.ended_at",
    ])
    .where("session.id", "=", id)
    .execute();
  const row = rows[0];
  if (!row) return null;
  const idleFor = now.getTime() - Date.parse(row.last_seen_at);
  if (row.disabled_at || idleFor > IDLE_TIMEOUT_MS || now.toISOString() >= row.expires_at) {
    await unlessStorageFault(db.deleteFrom("session").where("id", "=", id).execute());
    return null;
  }
  if (idleFor > TOUCH_EVERY_MS) {
    await unlessStorageFault(db.updateTable("session").set({ last_seen_at: now.toISOString() }).where("id", "=", id).execute());
  }
  const memberships = sortMemberships(
    // A person with no membership gives one row whose membership columns are all null.
    rows.flatMap((r) =>
      r.id && r.role && r.started_at
        ? [
            {
              id: r.id,
              role: r.role,
              organisationId: r.organisation_id,
              organisationName: r.organisation_name,
              decisionGroupId: r.decision_group_id,
              decisionGroupName: r.decision_group_name,
              fundId: r.fund_id,
              fundName: r.fund_name,
              constituency: r.constituency,
              isChair: r.is_chair === 1,
              startedAt: r.started_at,
              endedAt: r.ended_at,
            },
          ]
        : [],
    ),
  );
  // A membership that has ended since the session began falls back to the first one left.
  const hat = memberships.find((m) => m.id === row.membership_id) ?? memberships[0] ?? null;
  return {
    ...actorFor(row.user_id, hat),
    email: row.email,
    name: row.name,
    constituency: hat?.constituency ?? null,
    isChair: hat?.isChair ?? false,
    hat,
    memberships,
  };
}

/**
 * Session bookkeeping that reading a page does: on a full disk or a read-only
 * database the page is still shown, and the write waits for a later request.
 */
async function unlessStorageFault(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!isStorageFault(error)) throw error;
  }
}

/** This request's session's id (the stored hash), or null. */
export async function sessionIdOf(request: Request): Promise<string | null> {
  const token = await readToken(request);
  return token ? sha256(token) : null;
}

/** Deletes this request's session; returns a Set-Cookie header that clears the cookie. */
export async function destroySession(db: DB, request: Request): Promise<string> {
  const token = await readToken(request);
  if (token) await db.deleteFrom("session").where("id", "=", sha256(token)).execute();
  return sessionCookieOf(request).serialize("", { maxAge: 0 });
}

/** Ends every session a user has, for example when the account is disabled. */
export async function destroyUserSessions(db: DB, userId: string): Promise<void> {
  await db.deleteFrom("session").where("user_id", "=", userId).execute();
}

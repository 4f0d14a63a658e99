import { redirect } from "@remix-run/node";
import type { MembershipSummary } from "~/domain/memberships";
import { can, type Action, type Actor, type Resource } from "~/domain/permissions";
import { wearMembership } from "~/services/memberships.server";
import { getDb } from "~/utils/db.server";
import { forbidden } from "~/utils/http.server";
import { actorFor, getSessionUser, sessionIdOf, type SessionUser } from "./session.server";

/** The signed-in user, or null. */
export function getUser(request: Request): Promise<SessionUser | null> {
  return getSessionUser(getDb(), request);
}

/** Throws a redirect to sign-in (returning here afterwards) when nobody is signed in. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`);
  }
  return user;
}

/**
 * The user acting under a membership that passes `allows`: the one they wear,
 * or else another of theirs, which this session then wears (so a link to a
 * panel page works for someone last acting for their community group, and the
 * header says so). Throws 403 when none does.
 */
async function requireHat(request: Request, allows: (actor: Actor) => boolean): Promise<SessionUser> {
  const user = await requireUser(request);
  if (allows(user)) return user;
  const other = user.memberships.find((m) => m.id !== user.membershipId && allows(actorFor(user.id, m)));
  if (!other) throw forbidden();
  const sessionId = await sessionIdOf(request);
  if (sessionId) await wearMembership(getDb(), sessionId, user.id, other.id);
  return wearing(user, other);
}

/** The same person, acting under another of their memberships. */
export const wearing = (user: SessionUser, hat: MembershipSummary): SessionUser => ({
  ...user,
  ...actorFor(user.id, hat),
  constituency: hat.constituency,
  isChair: hat.isChair,
  hat,
});

/** Throws 403 unless can(user, action, resource) under one of their memberships. */
export function requirePermission(request: Request, action: Action, resource?: Resource): Promise<SessionUser> {
  return requireHat(request, (actor) => can(actor, action, resource));
}

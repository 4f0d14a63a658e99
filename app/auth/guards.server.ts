import { redirect } from "@remix-run/node";
import type { MembershipSummary } from "~/domain/memberships";
import { can, type Action, type Actor, type Resource } from "~/domain/permissions";
import { requiresTwoFactor } from "~/domain/two-factor";
import { wearMembership } from "~/services/memberships.server";
import { getDb } from "~/utils/db.server";
import { forbidden } from "~/utils/http.server";
import { actorFor, sessionIdOf, sessionUserById, type SessionUser } from "./session.server";
import { isTwoFactorEnrolled } from "./two-factor.server";

/** Where two-factor sign-in is set up; administrators who have not are sent here first. */
export const TWO_FACTOR_SETUP_PATH = "/account/two-factor";

/**
 * The signed-in user, and whether they must set up two-factor sign-in first:
 * someone who may act as an administrator and has not. Until they have, their
 * administrator memberships are left out, so nothing that asks can() lets them
 * act as one, whatever page they are on (docs/decisions/0020).
 */
async function readUser(request: Request): Promise<SignedIn | null> {
  const sessionId = await sessionIdOf(request);
  if (!sessionId) return null;
  const running = readsUnderWay.get(sessionId);
  if (running) return running;
  const read = readSession(sessionId).finally(() => readsUnderWay.delete(sessionId));
  readsUnderWay.set(sessionId, read);
  return read;
}

type SignedIn = { user: SessionUser; mustSetUpTwoFactor: boolean };

/**
 * Reads of one session that are under way. A page's loaders (the root's and the page's,
 * which Remix runs side by side, each with its own copy of the request) then read the
 * session, check it, touch it and ask about two-factor sign-in once between them.
 * An entry lasts only while its read runs: nothing is kept after it answers.
 */
const readsUnderWay = new Map<string, Promise<SignedIn | null>>();

async function readSession(sessionId: string): Promise<SignedIn | null> {
  const user = await sessionUserById(getDb(), sessionId);
  if (!user || !requiresTwoFactor(user.id, user.memberships) || (await isTwoFactorEnrolled(getDb(), user.id)))
    return user && { user, mustSetUpTwoFactor: false };
  const memberships = user.memberships.filter((m) => !requiresTwoFactor(user.id, [m]));
  const hat = memberships.find((m) => m.id === user.membershipId) ?? memberships[0] ?? null;
  const withoutAdmin = hat
    ? wearing({ ...user, memberships }, hat)
    : { ...user, ...actorFor(user.id, null), constituency: null, isChair: false, hat: null, memberships };
  return { user: withoutAdmin, mustSetUpTwoFactor: true };
}

/** The signed-in user, or null. */
export async function getUser(request: Request): Promise<SessionUser | null> {
  return (await readUser(request))?.user ?? null;
}

const backHere = (request: Request): string => {
  const url = new URL(request.url);
  return url.pathname + url.search;
};

/** Throws a redirect to sign-in when nobody is signed in (returning here afterwards). Does not ask for two-factor set-up: only its own page uses this. */
export async function requireUserForTwoFactorSetUp(request: Request): Promise<SessionUser> {
  const found = await readUser(request);
  if (!found) throw redirect(`/login?${new URLSearchParams({ redirectTo: backHere(request) })}`);
  return found.user;
}

/**
 * Throws a redirect to sign-in when nobody is signed in, and to two-factor
 * set-up when they must set it up first (returning here afterwards either way).
 */
export async function requireUser(request: Request): Promise<SessionUser> {
  const found = await readUser(request);
  if (!found) throw redirect(`/login?${new URLSearchParams({ redirectTo: backHere(request) })}`);
  if (found.mustSetUpTwoFactor) throw redirect(`${TWO_FACTOR_SETUP_PATH}?${new URLSearchParams({ redirectTo: backHere(request) })}`);
  return found.user;
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

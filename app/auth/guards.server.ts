import { redirect } from "@remix-run/node";
import { can, type Action, type Resource } from "~/domain/permissions";
import type { Role } from "~/domain/roles";
import { getDb } from "~/utils/db.server";
import { forbidden } from "~/utils/http.server";
import { getSessionUser, type SessionUser } from "./session.server";

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

/** Throws 403 unless the signed-in user has one of these roles. */
export async function requireRole(request: Request, ...roles: Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) throw forbidden();
  return user;
}

/** Throws 403 unless can(user, action, resource). */
export async function requirePermission(request: Request, action: Action, resource?: Resource): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!can(user, action, resource)) throw forbidden();
  return user;
}

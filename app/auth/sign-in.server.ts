import { redirect } from "@remix-run/node";
import type { DB } from "../../db/client";
import { landingPath } from "~/domain/memberships";
import { listActiveMemberships } from "~/models/membership.server";
import { signIn } from "~/services/accounts.server";
import { safeRedirectPath } from "~/utils/http.server";
import { issueCsrfToken } from "./csrf.server";
import { isTwoFactorEnrolled, redirectToSecondStep } from "./two-factor.server";

/**
 * Signs in someone who has proved who they are: a new session, a new form
 * token, and on to `redirectTo` (when it is a path on this site) or their
 * landing page. `extraCookies` go out with it (e.g. clearing a pending sign-in).
 */
export async function startSession(db: DB, request: Request, userId: string, redirectTo?: string | null, extraCookies: string[] = []): Promise<Response> {
  const headers = new Headers();
  for (const cookie of extraCookies) headers.append("Set-Cookie", cookie);
  headers.append("Set-Cookie", await signIn(db, userId, request));
  headers.append("Set-Cookie", (await issueCsrfToken(request)).setCookie);
  const memberships = await listActiveMemberships(db, userId);
  return redirect(safeRedirectPath(redirectTo, landingPath(memberships)), { headers });
}

/**
 * What follows a right password, in one place for every route that takes one
 * (sign-in, accepting an invitation): with two-factor sign-in set up, the
 * second step (/login/code), which starts the session; otherwise the session.
 */
export async function afterPassword(db: DB, request: Request, userId: string, redirectTo?: string | null): Promise<Response> {
  if (await isTwoFactorEnrolled(db, userId)) return redirectToSecondStep(db, request, userId, redirectTo);
  return startSession(db, request, userId, redirectTo);
}

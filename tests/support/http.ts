import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { csrfCookieOf } from "~/auth/csrf.server";
import { createSession } from "~/auth/session.server";
import { getDb } from "~/utils/db.server";
import { newToken } from "~/utils/ids.server";

export const ORIGIN = "http://localhost";

/** "name=value" from a Set-Cookie header. */
export const cookiePair = (setCookie: string) => setCookie.split(";")[0]!;

/** A signed-in user's session cookie, as a browser would send it. */
export async function sessionCookieFor(userId: string): Promise<string> {
  return cookiePair(await createSession(getDb(), userId));
}

/** A CSRF token and the cookie that carries it. */
export async function csrfFor(): Promise<{ token: string; cookie: string }> {
  const token = newToken(32);
  return { token, cookie: cookiePair(await csrfCookieOf(new Request(ORIGIN)).serialize(token)) };
}

export interface RequestOptions {
  cookie?: string;
  /** false: send no token; a string: send that token instead of the right one. */
  csrf?: boolean | string;
  origin?: string | null;
  /** The page's one-time submission key, as <CsrfInput /> sends it; none by default (like a script or an old page). */
  submissionKey?: string;
}

/** A form POST as the browser sends it: same Origin, the CSRF cookie and field, and any session cookie. */
export async function postForm(path: string, fields: Record<string, string>, options: RequestOptions = {}): Promise<Request> {
  const { token, cookie: csrfCookiePair } = await csrfFor();
  const body = new URLSearchParams(fields);
  if (options.csrf !== false) body.set("csrf", typeof options.csrf === "string" ? options.csrf : token);
  if (options.submissionKey !== undefined) body.set("submissionKey", options.submissionKey);
  const headers = new Headers({ "Content-Type": "application/x-www-form-urlencoded" });
  const origin = options.origin === undefined ? ORIGIN : options.origin;
  if (origin) headers.set("Origin", origin);
  headers.set("Cookie", [csrfCookiePair, options.cookie].filter(Boolean).join("; "));
  return new Request(`${ORIGIN}${path}`, { method: "POST", headers, body });
}

export function getRequest(path: string, options: { cookie?: string } = {}): Request {
  return new Request(`${ORIGIN}${path}`, { headers: options.cookie ? { Cookie: options.cookie } : {} });
}

const context = (): AppLoadContext => ({ cspNonce: "test", pendingCookies: [] });

/** Runs a route's action; a thrown Response (redirect, 403) is returned like a returned one. */
export async function runAction(
  action: (args: ActionFunctionArgs) => Promise<Response> | Response,
  request: Request,
  params: Record<string, string> = {},
): Promise<Response> {
  try {
    return await action({ request, params, context: context() });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Runs a route's loader, returning thrown Responses too. */
export async function runLoader(
  loader: (args: LoaderFunctionArgs) => Promise<Response> | Response,
  request: Request,
  params: Record<string, string> = {},
): Promise<Response> {
  try {
    return await loader({ request, params, context: context() });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** The session cookie a response set (`__session`, or `__Host-session` over HTTPS), as "name=value", or null. */
export function sessionCookieFrom(response: Response): string | null {
  const set = response.headers.getSetCookie().find((c) => c.startsWith("__session=") || c.startsWith("__Host-session="));
  return set ? cookiePair(set) : null;
}

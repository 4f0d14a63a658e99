import { MaxPartSizeExceededError, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { timingSafeEqual } from "node:crypto";
import { SUBMISSION_FIELD } from "~/domain/submissions";
import { forbidden } from "~/utils/http.server";
import { newToken } from "~/utils/ids.server";
import { cookiePerProtocol, isHttpsRequest } from "./cookies.server";

export const CSRF_FIELD = "csrf";

/**
 * The form token lives in its own HttpOnly cookie and is echoed in a hidden
 * field (double submit). A new token is issued at sign-in and sign-out, so
 * each session has its own. See docs/decisions/0003-csrf.md.
 */
export const csrfCookieOf = cookiePerProtocol({ https: "__Host-csrf", http: "__csrf" }, { httpOnly: true, sameSite: "lax" });

export async function readCsrfToken(request: Request): Promise<string | null> {
  const value = await csrfCookieOf(request).parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length >= 20 ? value : null;
}

/** A fresh token and the Set-Cookie header that stores it, named and flagged for this request's protocol. */
export async function issueCsrfToken(request: Request): Promise<{ token: string; setCookie: string }> {
  const token = newToken(32);
  return { token, setCookie: await csrfCookieOf(request).serialize(token) };
}

/**
 * The 403 message when the form token's cookie did not come back: say exactly
 * why, because "expired" sends people round in circles when the real cause is
 * a blocked cookie or a proxy that hides HTTPS from the portal.
 */
export function missingCookieMessage(request: Request): string {
  const name = csrfCookieOf(request).name;
  const base = `Your browser did not send this site's form cookie (${name}) with the form, so we could not check that the form came from you.`;
  const advice = isHttpsRequest(request)
    ? "Check that cookies are allowed for this site, then reload the page and try again. If the address in your browser begins http:// rather than https://, the browser refuses the portal's secure cookies: use the https:// address, or ask the portal's administrator to check TRUST_PROXY and the proxy's X-Forwarded-Proto header (README: Sessions and cookies)."
    : "Check that cookies are allowed for this site, then reload the page and try again.";
  return `${base} ${advice}`;
}

function originMatches(request: Request): boolean {
  const url = new URL(request.url);
  const source = request.headers.get("Origin") ?? request.headers.get("Referer");
  if (!source || source === "null") return false;
  try {
    return new URL(source).host === url.host;
  } catch {
    return false;
  }
}

function tokensMatch(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Reads a form post after checking its Origin (or Referer) and its token.
 * Throws 403 when either check fails. The request body is read from a clone,
 * so remix-auth can still read the original.
 */
export async function readVerifiedForm(request: Request): Promise<FormData> {
  if (!originMatches(request)) throw forbidden("This form came from another site, so we did not accept it.");
  let form: FormData;
  try {
    form = await request.clone().formData();
  } catch {
    throw forbidden("This form could not be read. Go back, reload the page and try again.");
  }
  const cookieToken = await readCsrfToken(request);
  if (!cookieToken) throw forbidden(missingCookieMessage(request));
  const sent = form.get(CSRF_FIELD);
  if (typeof sent !== "string" || !tokensMatch(cookieToken, sent)) {
    throw forbidden("This form has expired. Go back, reload the page and try again.");
  }
  return form;
}

const EXPIRED = "This form has expired. Go back, reload the page and try again.";

class CsrfPartRefused extends Error {}

async function readSmallText(data: AsyncIterable<Uint8Array>, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new CsrfPartRefused();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The multipart (file upload) version of readVerifiedForm. The Origin is
 * checked first; then the token, which must be the first part of the body
 * (put <CsrfInput /> before the file input), so no file is read at all for
 * a forged post. Throws 403 when a check fails; rethrows
 * MaxPartSizeExceededError for the route to answer with a 400.
 * A form without files (a plain urlencoded post) is read as readVerifiedForm does.
 */
export async function readVerifiedMultipart(request: Request, uploadHandler: UploadHandler): Promise<FormData> {
  if (!originMatches(request)) throw forbidden("This form came from another site, so we did not accept it.");
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) return readVerifiedForm(request);
  const cookieToken = await readCsrfToken(request);
  if (!cookieToken) throw forbidden(missingCookieMessage(request));
  let isVerified = false;
  const guarded: UploadHandler = async (part) => {
    if (!isVerified && part.name === CSRF_FIELD && part.filename === undefined) {
      const sent = await readSmallText(part.data, 256);
      isVerified = Boolean(cookieToken) && tokensMatch(cookieToken!, sent);
      if (!isVerified) throw new CsrfPartRefused();
      return sent;
    }
    if (!isVerified) throw new CsrfPartRefused();
    // Every form's one-time key (app/domain/submissions.ts) is read here, so a route's upload handler sees only its own fields.
    if (part.name === SUBMISSION_FIELD && part.filename === undefined) return readSmallText(part.data, 256);
    return uploadHandler(part);
  };
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, guarded);
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) throw error;
    if (error instanceof CsrfPartRefused) throw forbidden(EXPIRED);
    throw forbidden("This form could not be read. Go back, reload the page and try again.");
  }
  if (!isVerified) throw forbidden(EXPIRED);
  return form;
}

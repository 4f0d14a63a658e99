import { createCookie, type Cookie, type CookieOptions } from "@remix-run/node";

/**
 * Whether this request reached the portal over HTTPS. request.url's protocol
 * comes from Express's req.protocol, which follows X-Forwarded-Proto only when
 * TRUST_PROXY tells server.js to trust the proxy (docs/decisions/0019).
 */
export function isHttpsRequest(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

const LOCAL_HOSTNAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Plain HTTP to an address other than this machine: passwords and cookies cross the network unencrypted. */
export function isUnencryptedNetworkRequest(request: Request): boolean {
  const url = new URL(request.url);
  if (url.protocol === "https:") return false;
  return !(LOCAL_HOSTNAMES.has(url.hostname) || url.hostname.endsWith(".localhost"));
}

/**
 * One cookie, named and flagged per request: over HTTPS it is Secure and
 * carries the `__Host-` prefix (which the browser accepts only with Secure,
 * Path=/ and no Domain, so no sibling subdomain can set or shadow it); over
 * plain HTTP it has its plain name and no Secure flag, so the browser keeps it.
 * Each protocol reads only its own name.
 */
export function cookiePerProtocol(names: { https: `__Host-${string}`; http: string }, options: Omit<CookieOptions, "secure" | "path" | "domain">) {
  const overHttps = createCookie(names.https, { ...options, path: "/", secure: true });
  const overHttp = createCookie(names.http, { ...options, path: "/", secure: false });
  /** The cookie for this request's protocol; without a request, the plain-HTTP one. */
  return (request?: Request | null): Cookie => (request && isHttpsRequest(request) ? overHttps : overHttp);
}

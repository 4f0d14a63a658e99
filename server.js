// The portal's HTTP server: security headers, static files, then Remix.
import crypto from "node:crypto";
import path from "node:path";
import url from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, installGlobals } from "@remix-run/node";
import { bodyLimits, unlessBodyRefused } from "./body-limits.js";

installGlobals({ nativeFetch: true });

const here = path.dirname(url.fileURLToPath(import.meta.url));
const BUILD_PATH = path.join(here, "build", "index.js");
const isProduction = process.env.NODE_ENV === "production";

/**
 * TRUST_PROXY, for Express's "trust proxy": unset (the default) trusts no
 * proxy, so X-Forwarded-Proto and X-Forwarded-For are ignored and a client
 * cannot claim HTTPS it does not have. `1` trusts one proxy in front, `true`
 * any, and anything else is Express's list form ("loopback", "10.0.0.1", …).
 * request.url's protocol follows, and with it the cookies' Secure flag and
 * __Host- names (app/auth/cookies.server.ts).
 */
export function trustProxySetting(value = process.env.TRUST_PROXY) {
  const text = (value ?? "").trim();
  if (text === "" || text === "false" || text === "0") return false;
  if (text === "true") return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text;
}

/** Headers for every response, including static files and errors. */
function securityHeaders(req, res, next) {
  const nonce = crypto.randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  const connect = isProduction ? "'self'" : "'self' ws://localhost:* ws://127.0.0.1:*";
  res.setHeader(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src ${connect}`,
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "object-src 'none'",
    ].join("; "),
  );
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  // Browsers ignore HSTS over plain HTTP; send it only where it means something.
  if (isProduction && req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
}

/**
 * Refuse cross-site writes before Remix sees them: Remix's own check answers
 * a mismatched Origin with a 500, and nothing a user does should be a 500.
 * Actions check the Origin and the form token again (app/auth/csrf.server.ts).
 */
function sameOriginWrites(req, res, next) {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const source = req.get("origin") ?? req.get("referer");
  let sourceHost = null;
  try {
    sourceHost = source && source !== "null" ? new URL(source).host : null;
  } catch {
    sourceHost = null;
  }
  if (sourceHost && sourceHost === req.get("host")) return next();
  res
    .status(403)
    .type("html")
    .send(
      '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Form not accepted</title></head>' +
        "<body><main><h1>This form came from another site, so we did not accept it</h1>" +
        '<p><a href="/">Go to the home page</a></p></main></body></html>',
    );
}

export async function createServer() {
  const build = await import(url.pathToFileURL(BUILD_PATH).href);
  const boot = await build.entry.module.bootstrap();

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustProxySetting());
  app.use(securityHeaders);
  app.use(sameOriginWrites);
  app.use(bodyLimits);
  app.use("/build", express.static(path.join(here, "public", "build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(here, "public"), { maxAge: "1h" }));
  app.all(
    "*",
    unlessBodyRefused(
      createRequestHandler({
        build,
        mode: build.mode,
        getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce, pendingCookies: [], clientAddress: req.ip ?? req.socket.remoteAddress }),
      }),
    ),
  );
  return { app, build, boot };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === url.fileURLToPath(import.meta.url);
if (isMain || process.env.PORTAL_START === "1") {
  const started = Date.now();
  const { app, build, boot } = await createServer();
  const port = Number(process.env.PORT || 3000);
  app.listen(port, () => {
    console.log(`Database: ${boot.databasePath}${boot.seeded ? " (new: demo data written)" : ""}; email: ${boot.isSmtp ? "SMTP" : "outbox page only"}`);
    // Mode, and loud lines while demo accounts exist or no administrator does (app/services/bootstrap.server.ts).
    for (const line of boot.notices ?? []) console.log(line);
    console.log(`Grant portal ready in ${Date.now() - started} ms: http://localhost:${port}`);
    if (process.env.REMIX_DEV_ORIGIN) broadcastDevReady(build);
  });
}

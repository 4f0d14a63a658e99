// The portal's HTTP server: security headers, cross-site write refusal, body limits, compression, static files, then Remix.
// With WEB_CONCURRENCY above 1 it runs one process per core (node:cluster): see startCluster and decision record 0033.
import cluster from "node:cluster";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { clearTimeout, setTimeout } from "node:timers";
import path from "node:path";
import url from "node:url";
import compression from "compression";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, installGlobals } from "@remix-run/node";

installGlobals({ nativeFetch: true });

const here = path.dirname(url.fileURLToPath(import.meta.url));
const BUILD_PATH = path.join(here, "build", "index.js");
const isProduction = process.env.NODE_ENV === "production";

// Request body limits, applied before Remix reads a byte of the body: without them an
// anonymous 60 MB form post was read into memory before it was refused. See decision record 0018.

const MB = 1024 * 1024;

/** Any form, and any body sent to a page that takes no files. */
export const MAX_FORM_BYTES = 1 * MB;
/** One file, as the upload routes take it (app/domain/file-type.ts MAX_ATTACHMENT_BYTES); they refuse a bigger file part with their own message. */
export const MAX_FILE_BYTES = 10 * MB;

/**
 * The pages that take files, and the most each whole body may be: its files
 * plus 1 MB for the other fields and the multipart framing. A multipart body
 * sent anywhere else gets MAX_FORM_BYTES. Keep in step with the routes that
 * call readVerifiedMultipart (tests/unit/body-limits.test.ts checks).
 */
export const UPLOAD_LIMITS = [
  // One attachment to a proposal: proposals.$proposalId.attachments.tsx
  { path: /^\/proposals\/[^/]+\/attachments\/?$/, maxBytes: MAX_FILE_BYTES + MAX_FORM_BYTES },
  // One file of evidence for an award's condition: awards.$awardId._index.tsx
  { path: /^\/awards\/[^/]+\/?$/, maxBytes: MAX_FILE_BYTES + MAX_FORM_BYTES },
  // A monitoring report with up to five files: awards.$awardId.reports.$reportId.tsx
  { path: /^\/awards\/[^/]+\/reports\/[^/]+\/?$/, maxBytes: 5 * MAX_FILE_BYTES + MAX_FORM_BYTES },
  // A CSV import of 2 MB or less: admin.proposals.import.tsx
  { path: /^\/admin\/proposals\/import\/?$/, maxBytes: 2 * MB + MAX_FORM_BYTES },
  // A bulk invitation CSV of 1 MB or less, and the checked copy sent back with it: admin.invitations_.bulk.tsx
  { path: /^\/admin\/invitations\/bulk\/?$/, maxBytes: 2 * MB + MAX_FORM_BYTES },
  // A community vote's postcode list of 1 MB or less: admin.funds.$fundId.ballot.tsx
  { path: /^\/admin\/funds\/[^/]+\/ballot\/?$/, maxBytes: 2 * MB + MAX_FORM_BYTES },
];

/** The most a body to this path with this Content-Type may be, in bytes. */
export function bodyLimitFor(path, contentType) {
  const isMultipart = String(contentType ?? "")
    .toLowerCase()
    .startsWith("multipart/form-data");
  if (!isMultipart) return MAX_FORM_BYTES;
  return UPLOAD_LIMITS.find((u) => u.path.test(path))?.maxBytes ?? MAX_FORM_BYTES;
}

/** How long the rest of a body over its limit is read and thrown away before the connection is cut. */
const LINGER_MS = 10_000;

const megabytes = (bytes) => `${Math.floor(bytes / MB)} MB`;

/** Answers 413 with a plain page. The connection stays open, so a client still sending reads it instead of a broken connection. */
function refuse(res, limit) {
  res.locals.isBodyRefused = true;
  res
    .status(413)
    .type("html")
    .send(
      '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Too large to accept</title></head>' +
        "<body><main><h1>What you sent is too large, so we did not accept it</h1>" +
        `<p>A form can be at most ${megabytes(MAX_FORM_BYTES)}. Each file must be ${megabytes(MAX_FILE_BYTES)} or smaller, ` +
        `and this page takes at most ${megabytes(limit)} in all.</p>` +
        "<p>Go back, make the file smaller or send fewer files at once, and try again.</p>" +
        '<p><a href="/">Go to the home page</a></p></main></body></html>',
    );
}

/**
 * Express middleware, before Remix: a body whose Content-Length is over its
 * limit is refused with 413 before any of it is read; a body without one
 * (chunked) is counted as it arrives and refused as soon as it passes the
 * limit. The bytes over the limit never reach Remix, and neither does the end
 * of the body, so a refused form can never be acted on: after the 413 the
 * request ends in an error, which the action reads as an unreadable form.
 */
export function bodyLimits(req, res, next) {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const limit = bodyLimitFor(req.path, req.get("content-type"));
  const declared = req.get("content-length");
  if (declared !== undefined && !(Number(declared) <= limit)) return refuse(res, limit);

  // Count what the HTTP parser hands the request, before anyone reads it.
  let received = 0;
  let isOver = false;
  let cutOff = null;
  const push = req.push;
  req.push = function countedPush(chunk, encoding) {
    if (isOver) {
      // Nothing more reaches the request, not even its end: the rest is read and thrown away, so
      // the client, still sending, reads the 413 and the connection can serve its next request.
      if (chunk === null) clearTimeout(cutOff);
      return true;
    }
    if (chunk !== null && chunk !== undefined) {
      received += chunk.length;
      if (received > limit) {
        isOver = true;
        if (!res.headersSent) refuse(res, limit);
        // Whoever is reading the body (Remix) gets an error, never a cut-off form; the listener keeps an unread body from crashing the process.
        req.on("error", () => {});
        req.emit("error", new Error("The request body was over its limit"));
        // A client that goes on sending is cut off.
        cutOff = setTimeout(() => req.socket?.destroy(), LINGER_MS).unref();
        return true;
      }
    }
    return push.call(this, chunk, encoding);
  };
  next();
}

/** Wraps Remix's handler: once a 413 has gone out, whatever Remix then makes of the cut-off request is dropped. */
export function unlessBodyRefused(handler) {
  return (req, res, next) =>
    handler(req, res, (error) => {
      if (res.locals.isBodyRefused) return;
      next(error);
    });
}

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

/** The Content-Security-Policy around the nonce, joined once rather than on every request. */
const CSP_BEFORE_NONCE = "default-src 'self'; script-src 'self' 'nonce-";
const CSP_AFTER_NONCE = [
  "'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  `connect-src ${isProduction ? "'self'" : "'self' ws://localhost:* ws://127.0.0.1:*"}`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
].join("; ");

/** Headers for every response, including static files and errors. */
function securityHeaders(req, res, next) {
  const nonce = crypto.randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  res.setHeader("Content-Security-Policy", CSP_BEFORE_NONCE + nonce + CSP_AFTER_NONCE);
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

/**
 * Compresses HTML, JSON, CSV and other text (compression's own list, responses
 * over 1 KB) for clients that accept gzip or brotli. Server-sent events
 * (text/event-stream) stay uncompressed, so each event reaches the browser at once.
 */
export function isCompressible(req, res) {
  if (String(res.getHeader("Content-Type") ?? "").startsWith("text/event-stream")) return false;
  return compression.filter(req, res);
}

/** Every file under dir, as URL paths ("/favicon.ico", "/_shared/chunk.js"). */
function listFiles(dir, prefix = "") {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}/${entry.name}`) : [`${prefix}/${entry.name}`]));
}

/**
 * express.static, asked only for files that exist. In production the list of
 * files is read once at start, so a page or /healthz never waits for an fs.stat
 * on libuv's thread pool, where password hashes run (issue 11, item 6). In
 * development the build changes under the running server, so every request asks the disk.
 */
export function staticFiles(dir, options, isIndexed = isProduction) {
  const serve = express.static(dir, options);
  if (!isIndexed) return serve;
  const files = new Set(listFiles(dir));
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    let file;
    try {
      file = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    return files.has(file) ? serve(req, res, next) : next();
  };
}

/**
 * Sign-ins in progress are bounded like the password hashes they wait for
 * (app/auth/password.server.ts): one posted while as many are in progress as the
 * hashing queue holds, or while that queue is full, gets a small 503 page at once,
 * before its form is read or a page is rendered. Fifty sign-ins arriving together
 * would otherwise all be read and answered with a rendered page, holding the event
 * loop for a second. The sign-in page refuses the same way, on its form, if the
 * queue fills later.
 */
export function signInQueue({ isHashingQueueFull, HASHING_LIMITS, HASHING_BUSY, HASHING_RETRY_AFTER_SECONDS }) {
  const capacity = HASHING_LIMITS.running + HASHING_LIMITS.waiting;
  let inProgress = 0;
  return (req, res, next) => {
    if (inProgress < capacity && !isHashingQueueFull()) {
      inProgress += 1;
      let isCounted = true;
      const done = () => {
        if (isCounted) inProgress -= 1;
        isCounted = false;
      };
      res.once("finish", done);
      res.once("close", done);
      return next();
    }
    res
      .status(503)
      .set("Retry-After", String(HASHING_RETRY_AFTER_SECONDS))
      .type("html")
      .send(
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Too many people are signing in</title></head>' +
          `<body><main><h1>Too many people are signing in</h1><p>${HASHING_BUSY}</p>` +
          '<p><a href="/login">Go back to sign in</a></p></main></body></html>',
      );
  };
}

export async function createServer() {
  const build = await import(url.pathToFileURL(BUILD_PATH).href);
  // Migrations and demo data always; the scheduled jobs only where PORTAL_RUNS_JOBS is not "0" (one process of a cluster).
  const boot = await build.entry.module.bootstrap({ isRunningJobs: process.env.PORTAL_RUNS_JOBS !== "0" });

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustProxySetting());
  app.use(securityHeaders);
  app.use(sameOriginWrites);
  app.use(bodyLimits);
  app.post("/login", signInQueue(build.entry.module));
  app.use(compression({ filter: isCompressible }));
  app.use("/build", staticFiles(path.join(here, "public", "build"), { immutable: true, maxAge: "1y" }));
  app.use(staticFiles(path.join(here, "public"), { maxAge: "1h" }));
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

/**
 * WEB_CONCURRENCY: how many server processes. Unset means 1 (the tests, `npm run dev`);
 * `npm start` sets it to the number of cores. "auto" means one per core.
 */
export function processCount(value = process.env.WEB_CONCURRENCY, cores = os.availableParallelism()) {
  const text = String(value ?? "").trim();
  if (text === "auto") return cores;
  const count = Number(text);
  return Number.isInteger(count) && count >= 1 ? count : 1;
}

/** This process's memory in bytes (process.memoryUsage()), as one line: `memory {"pid":…,"rss":…,"heapUsed":…}`. */
export function memoryLine() {
  return `memory ${JSON.stringify({ pid: process.pid, ...process.memoryUsage() })}`;
}

/**
 * `kill -USR2 <pid>` prints the process's memory to its error output, for an operator or
 * `npm run bench:load`; a cluster's first process passes the signal on to each server process.
 * A signal rather than a page, so nothing about the server is visible over HTTP.
 */
function reportMemoryOnSignal() {
  process.on("SIGUSR2", () => {
    console.error(memoryLine());
    if (cluster.isPrimary) for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGUSR2");
  });
}

/** Starts one server process: it migrates, seeds a new demo database, and (unless PORTAL_RUNS_JOBS=0) runs the scheduled jobs. */
async function startServerProcess({ isQuiet = false } = {}) {
  const started = Date.now();
  const { app, build, boot } = await createServer();
  const port = Number(process.env.PORT || 3000);
  app.listen(port, () => {
    if (isQuiet) return;
    console.log(`Database: ${boot.databasePath}${boot.seeded ? " (new: demo data written)" : ""}; email: ${boot.isSmtp ? "SMTP" : "outbox page only"}`);
    // Mode, and loud lines while demo accounts exist or no administrator does (app/services/bootstrap.server.ts).
    for (const line of boot.notices ?? []) console.log(line);
    console.log(`Grant portal ready in ${Date.now() - started} ms: http://localhost:${port}`);
    if (process.env.REMIX_DEV_ORIGIN) broadcastDevReady(build);
  });
}

/**
 * glibc's malloc gives each thread that allocates (libuv's pool, V8's helpers) an arena of its own,
 * up to 8 per core, and keeps what it frees there: the server's memory grew by hundreds of MB
 * under load with the V8 heap at about 150 MB. Two arenas held it lower in the same runs (issue 11).
 */
const MALLOC_ARENAS = "2";

/**
 * V8's limit on each server process's old space, in MB (PORTAL_HEAP_MB; 0 leaves V8's own
 * limit, which is far larger). Without it V8 let garbage pile up to 200 MB and more under load
 * and the process's memory reached 420-450 MB; at 256 MB it stayed under 250 MB through the city
 * benchmark with about the same throughput, its live data being far smaller (issue 11).
 * An operator's own --max-old-space-size (in NODE_OPTIONS or on the command line) wins.
 * @param {Record<string, string | undefined>} env
 * @param {readonly string[]} execArgv
 */
export function heapLimitArgs(env = process.env, execArgv = process.execArgv) {
  if (`${env.NODE_OPTIONS ?? ""} ${execArgv.join(" ")}`.includes("--max-old-space-size")) return [];
  const text = String(env.PORTAL_HEAP_MB ?? "").trim();
  const mb = text === "" ? 256 : Number(text);
  if (mb === 0) return [];
  return [`--max-old-space-size=${Number.isInteger(mb) && mb >= 64 ? mb : 256}`];
}

/** Threads in each worker's libuv pool: two for password hashes (app/auth/password.server.ts) and the rest for files and compression. */
const THREAD_POOL_SIZE = "6";

/**
 * One process per core (node:cluster), all on one port. The first worker alone
 * migrates, writes demo data into a new database and runs the scheduled jobs
 * (retention purge, email delivery, the full audit check): the others start
 * once it is listening and run no jobs (PORTAL_RUNS_JOBS=0). A worker that dies
 * is started again with the same part. See decision record 0033.
 */
function startCluster(count) {
  const started = Date.now();
  const parts = new Map();
  let isStopping = false;
  cluster.setupPrimary({ execArgv: [...process.execArgv, ...heapLimitArgs()] });
  const fork = (runsJobs) => {
    const worker = cluster.fork({
      PORTAL_RUNS_JOBS: runsJobs ? "1" : "0",
      UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE || THREAD_POOL_SIZE,
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX || MALLOC_ARENAS,
    });
    parts.set(worker.id, runsJobs);
    return worker;
  };
  cluster.on("exit", (worker, code, signal) => {
    const runsJobs = parts.get(worker.id);
    parts.delete(worker.id);
    if (isStopping) {
      if (parts.size === 0) process.exit(0);
      return;
    }
    console.error(`Server process ${worker.process.pid} stopped (${signal ?? code}); starting another.`);
    fork(runsJobs);
  });
  fork(true).once("listening", () => {
    for (let i = 1; i < count; i += 1) fork(false);
    console.log(`Grant portal running ${count} server processes (WEB_CONCURRENCY), ready in ${Date.now() - started} ms`);
  });
  const stop = () => {
    isStopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === url.fileURLToPath(import.meta.url);
if (isMain || process.env.PORTAL_START === "1") {
  const count = processCount();
  reportMemoryOnSignal();
  if (count > 1 && cluster.isPrimary) startCluster(count);
  else await startServerProcess({ isQuiet: cluster.isWorker && process.env.PORTAL_RUNS_JOBS === "0" });
}

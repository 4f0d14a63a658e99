import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleDataRequestFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { createJobLeader } from "../db/leader";
import { NonceProvider } from "./components/nonce";
import { startAuditChainCheck } from "./services/audit-checks.server";
import { bootstrapDatabase } from "./services/bootstrap.server";
import { startOutboxDelivery } from "./services/mailer.server";
import { startRetentionPurge } from "./services/personal-data.server";
import { getDb } from "./utils/db.server";
import { getEnv } from "./utils/env.server";

const ABORT_DELAY = 5_000;

// For server.js, which refuses a sign-in while the password-hashing queue is full before Remix reads it (docs/decisions/0033).
export { HASHING_BUSY, HASHING_LIMITS, HASHING_RETRY_AFTER_SECONDS, isHashingQueueFull } from "./auth/password.server";

/**
 * Called once by server.js before it listens: migrations, first-run demo data, and the
 * scheduled jobs (email delivery, the retention purge, the full audit check). In a cluster
 * only one process runs the jobs (isRunningJobs; docs/decisions/0033). With several servers
 * on one PostgreSQL, each such process delivers email (claims keep every email to one
 * server) and only the leader among them runs the hourly jobs (docs/decisions/0052).
 */
export async function bootstrap({ isRunningJobs = true }: { isRunningJobs?: boolean } = {}) {
  const env = getEnv();
  const db = getDb();
  const result = await bootstrapDatabase(db);
  if (isRunningJobs) {
    if (env.SMTP_URL) startOutboxDelivery(db, env.SMTP_URL, env.MAIL_FROM);
    // SQLite: always this process. PostgreSQL: the one holding the leader lock, asked before each turn.
    const leader = createJobLeader(env.DATABASE_URL);
    // Retention (app/domain/retention.ts): expired sessions, old sign-in attempts, used links, delivered emails, hourly.
    startRetentionPurge(db, undefined, leader.isLeader);
    // The whole audit chain, checked soon after start and hourly; the admin pages check only what is new.
    startAuditChainCheck(db, undefined, leader.isLeader);
  }
  // A PostgreSQL URL may hold a password: the start-up line names the database, not the URL.
  return { ...result, databasePath: env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : env.DATABASE_PATH, isSmtp: Boolean(env.SMTP_URL) };
}

/** Cookies that loaders asked for through the load context (the CSRF cookie on a first visit). */
function appendPendingCookies(headers: Headers, context: AppLoadContext | undefined) {
  for (const cookie of context?.pendingCookies ?? []) headers.append("Set-Cookie", cookie);
}

export const handleDataRequest: HandleDataRequestFunction = (response, { context }) => {
  appendPendingCookies(response.headers, context);
  return response;
};

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext?.cspNonce ?? "";
  appendPendingCookies(responseHeaders, loadContext);
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

import type { AppLoadContext } from "@remix-run/node";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { inTransaction, type DB } from "../../db/client";
import { clientKey } from "~/domain/client-address";
import { newId } from "~/utils/ids.server";

/** Failed sign-ins for one email address (an account or not) in the window before it is locked. */
export const MAX_FAILURES = 10;
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** Failed sign-ins from one client address (an IPv6 /64 counts as one) in the same window, across every email. */
export const MAX_CLIENT_FAILURES = 30;
/** Failed sign-ins across the whole site in SITE_WINDOW_MS that mean the site is under attack. */
export const SITE_FAILURE_LIMIT = 100;
export const SITE_WINDOW_MS = 5 * 60 * 1000;
/** While under attack, password checks are rationed to one per this many milliseconds, for everyone. */
export const SITE_SLOW_INTERVAL_MS = 1000;
/** How long a sign-in waits for its turn while under attack before it is refused. */
export const SITE_SLOW_MAX_WAIT_MS = 5000;

export type Reservation = { outcome: "reserved"; attemptId: string } | { outcome: "account" | "client" | "busy" };

const since = (now: Date, ms: number) => new Date(now.getTime() - ms).toISOString();

/**
 * Reserves one password check, or says which limit refuses it. The counts and
 * the reservation happen in one BEGIN IMMEDIATE transaction, and the reserved
 * row counts as a failure until markSignInSucceeded, so however many sign-ins
 * for one account run at once, at most MAX_FAILURES of them reach the password
 * check. Security bookkeeping, not a domain record (decision records 0002, 0018).
 */
export async function reserveSignInAttempt(db: DB, email: string, client: string | null, now = new Date()): Promise<Reservation> {
  return inTransaction(db, async (trx) => {
    const windowStart = since(now, THROTTLE_WINDOW_MS);
    const failures = trx
      .selectFrom("login_attempt")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("is_success", "=", 0);
    const account = await failures.where("email", "=", email).where("at", ">", windowStart).executeTakeFirstOrThrow();
    if (Number(account.n) >= MAX_FAILURES) return { outcome: "account" };
    if (client) {
      const fromClient = await failures.where("client", "=", client).where("at", ">", windowStart).executeTakeFirstOrThrow();
      if (Number(fromClient.n) >= MAX_CLIENT_FAILURES) return { outcome: "client" };
    }
    if (await isSiteUnderAttack(trx, now)) {
      const recent = await trx
        .selectFrom("login_attempt")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("at", ">", since(now, SITE_SLOW_INTERVAL_MS))
        .executeTakeFirstOrThrow();
      if (Number(recent.n) > 0) return { outcome: "busy" };
    }
    const attemptId = newId();
    await trx.insertInto("login_attempt").values({ id: attemptId, email, client, at: now.toISOString(), is_success: 0 }).execute();
    return { outcome: "reserved", attemptId };
  });
}

/** True when the site has had SITE_FAILURE_LIMIT failed sign-ins in the last SITE_WINDOW_MS. */
export async function isSiteUnderAttack(db: DB, now = new Date()): Promise<boolean> {
  const { n } = await db
    .selectFrom("login_attempt")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("is_success", "=", 0)
    .where("at", ">", since(now, SITE_WINDOW_MS))
    .executeTakeFirstOrThrow();
  return Number(n) >= SITE_FAILURE_LIMIT;
}

/**
 * Reserves a password check, waiting for a turn while the site is under
 * attack (at most SITE_SLOW_MAX_WAIT_MS). The per-account and per-client
 * limits answer at once.
 */
export async function reserveSignInAttemptWaiting(db: DB, email: string, client: string | null): Promise<Reservation> {
  const deadline = Date.now() + SITE_SLOW_MAX_WAIT_MS;
  for (;;) {
    const reservation = await reserveSignInAttempt(db, email, client);
    if (reservation.outcome !== "busy" || Date.now() >= deadline) return reservation;
    // A random pause, so waiting sign-ins do not all ask again at the same moment.
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.floor(Math.random() * 300)));
  }
}

/** The reserved password check was right: the attempt no longer counts as a failure. */
export async function markSignInSucceeded(db: DB, attemptId: string): Promise<void> {
  await db.updateTable("login_attempt").set({ is_success: 1 }).where("id", "=", attemptId).execute();
}

/** Carries the client's key from the route to the sign-in strategy, which gets a copy of the request (remix-auth makes a new one). */
const CLIENT_HEADER = "x-portal-sign-in-client";
/** Per process: a header a client sends itself cannot carry a valid signature. */
const clientHeaderKey = randomBytes(32);

const signatureOf = (key: string) => createHmac("sha256", clientHeaderKey).update(key).digest("base64url");

/**
 * Remembers the client's address (server.js puts Express's req.ip in the load
 * context) for the sign-in strategy, which sees only the request: a signed
 * header replaces anything the client sent under that name. Without an
 * address (a test calling the action directly) there is no per-client limit;
 * the per-account and site-wide limits still apply.
 */
export function rememberClient(request: Request, context: AppLoadContext | undefined): void {
  const key = clientKey(context?.clientAddress);
  if (key) request.headers.set(CLIENT_HEADER, `${signatureOf(key)} ${key}`);
  else request.headers.delete(CLIENT_HEADER);
}

/** The client key rememberClient put on this request (or a copy of it), or null. */
export function clientOf(request: Request): string | null {
  const value = request.headers.get(CLIENT_HEADER);
  const space = value?.indexOf(" ") ?? -1;
  if (!value || space < 0) return null;
  const [sent, key] = [Buffer.from(value.slice(0, space)), value.slice(space + 1)];
  const expected = Buffer.from(signatureOf(key));
  return sent.length === expected.length && timingSafeEqual(sent, expected) ? key : null;
}

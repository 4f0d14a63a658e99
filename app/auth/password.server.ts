import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { isExamplePassword } from "~/domain/password-hint";
import { COMMON_PASSWORDS } from "./common-passwords.server";

/** OWASP's scrypt floor: N = 2^17, r = 8, p = 1. Asserted by a test. */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;

/**
 * The cost new hashes use. Tests may lower N with SCRYPT_TEST_LOG2N, which is
 * honoured only when NODE_ENV is "test", so a production server never hashes
 * cheaply. Verifying always uses the parameters stored in the hash.
 */
export function scryptParams(env: NodeJS.ProcessEnv = process.env): { N: number; r: number; p: number } {
  const log2n = Number(env.SCRYPT_TEST_LOG2N);
  if (env.NODE_ENV === "test" && Number.isInteger(log2n) && log2n >= 10 && log2n < 17) return { ...SCRYPT_PARAMS, N: 2 ** log2n };
  return SCRYPT_PARAMS;
}
const KEY_LENGTH = 64;
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 64;

/** What a person sees when the hashing queue is full: on the sign-in form, or as a 503 page elsewhere. */
export const HASHING_BUSY = "Too many people are signing in. Try again in a minute.";
/** Seconds, for the Retry-After header. */
export const HASHING_RETRY_AFTER_SECONDS = 60;

/**
 * Password hashes in flight at once, and waiting. Each scrypt hash takes about a
 * second and 128 MiB on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE
 * says otherwise), which file reads and compression share. One at a time leaves
 * the rest of the pool free and, on a 2-core machine, a core for every other
 * request; a full queue is refused at once rather than held, so a burst of
 * sign-ins cannot stall the site (issue 11, item 6).
 */
export const HASHING_LIMITS = hashingLimits();

/** The queue's limits for this hashing cost. Tests hash a thousand times more cheaply (SCRYPT_TEST_LOG2N) and send 40 sign-ins at once to test the throttle: a longer line there costs nothing. */
export function hashingLimits(env: NodeJS.ProcessEnv = process.env): { running: number; waiting: number } {
  return scryptParams(env).N < SCRYPT_PARAMS.N ? { running: 2, waiting: 100 } : { running: 1, waiting: 4 };
}

let running = 0;
const waiting: (() => void)[] = [];

/** The queue right now (for tests and the server log). */
export function hashingQueue() {
  return { running, waiting: waiting.length };
}

/** Whether a hash asked for now would be refused. */
export function isHashingQueueFull(): boolean {
  return running >= HASHING_LIMITS.running && waiting.length >= HASHING_LIMITS.waiting;
}

/** A 503 with Retry-After; GeneralErrorBoundary shows its text, and the sign-in page shows it on the form. */
export function hashingBusyResponse(): Response {
  return new Response(HASHING_BUSY, {
    status: 503,
    statusText: "Service Unavailable",
    headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": String(HASHING_RETRY_AFTER_SECONDS) },
  });
}

/**
 * Runs work when a hashing slot is free. A sign-in (canRefuse) finding the line full
 * gets hashingBusyResponse(); new passwords (registration, resets, the demo data, the
 * command line) always wait their turn, still one at a time.
 */
async function withHashingSlot<T>(work: () => Promise<T>, { canRefuse }: { canRefuse: boolean }): Promise<T> {
  if (running >= HASHING_LIMITS.running) {
    if (canRefuse && waiting.length >= HASHING_LIMITS.waiting) throw hashingBusyResponse();
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running += 1;
  }
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next in line, or give it back.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions, canRefuse: boolean): Promise<Buffer> {
  return withHashingSlot(
    () => new Promise((resolve, reject) => scryptCallback(password.normalize("NFKC"), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)))),
    { canRefuse },
  );
}

const maxmem = (N: number, r: number, p: number) => 256 * N * r * p;

/** Hashes off the event loop (libuv pool), waiting its turn in the hashing queue. Call it before opening a transaction. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = scryptParams();
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r, p, maxmem: maxmem(N, r, p) }, false);
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export function parseHash(stored: string): { N: number; r: number; p: number; salt: Buffer; key: Buffer } | null {
  const [scheme, N, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !N || !r || !p || !salt || !key) return null;
  return { N: Number(N), r: Number(r), p: Number(p), salt: Buffer.from(salt, "base64"), key: Buffer.from(key, "base64") };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const { N, r, p, salt, key } = parsed;
  const candidate = await scrypt(password, salt, key.length, { N, r, p, maxmem: maxmem(N, r, p) }, true);
  return timingSafeEqual(candidate, key);
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check, so an unknown email cannot be told apart by timing. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("not-a-real-password-for-timing");
  await verifyPassword(password, await dummyHash);
  return false;
}

/** The plain-English problem with a new password, or null if it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`;
  if (isExamplePassword(password)) return "That is the example password from the form, so anyone could guess it. Choose three random words of your own";
  if (COMMON_PASSWORDS.has(password.toLowerCase())) {
    return "That password is too common and easy to guess. Choose a different one, for example three random words";
  }
  return null;
}

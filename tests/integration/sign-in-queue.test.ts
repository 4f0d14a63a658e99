import { describe, expect, it } from "vitest";
import { HASHING_BUSY, HASHING_LIMITS, hashingLimits, hashingQueue, hashPassword, verifyPassword } from "~/auth/password.server";
import { action as loginAction } from "~/routes/login";
import { countOf, makeUser, TEST_PASSWORD } from "../factories";
import { postForm, runAction, sessionCookieFrom } from "../support/http";

// Issue 11, item 6: 50 simultaneous sign-ins took 25 s and held /healthz for up to
// 13.8 s, each scrypt hash taking a second on libuv's small thread pool. Hashes now
// queue: HASHING_LIMITS.running at once, HASHING_LIMITS.waiting in line, and the
// rest are told at once to try again in a minute. (The timing, against a real
// server, is in tests/e2e/server-under-load.test.ts.)

const capacity = HASHING_LIMITS.running + HASHING_LIMITS.waiting;

describe("password hashes wait in a bounded queue", () => {
  it("at the real cost, one hash runs at a time, leaving a core for everything else, and four sign-ins wait; tests, hashing cheaply, may queue more", () => {
    expect(hashingLimits({ NODE_ENV: "production" })).toEqual({ running: 1, waiting: 4 });
    expect(hashingLimits({ NODE_ENV: "test", SCRYPT_TEST_LOG2N: "12" })).toEqual({ running: 2, waiting: 100 });
  });

  it("runs a few at once, queues a few more, and refuses the rest at once with 503 and Retry-After", async () => {
    const stored = await hashPassword("a long enough password");
    const attempts = Array.from({ length: capacity + 20 }, () => verifyPassword("a long enough password", stored));
    expect(hashingQueue()).toEqual({ running: HASHING_LIMITS.running, waiting: HASHING_LIMITS.waiting });
    const results = await Promise.allSettled(attempts);
    const done = results.filter((r) => r.status === "fulfilled");
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason as Response] : []));
    expect(done).toHaveLength(capacity);
    expect(done.every((r) => r.value === true)).toBe(true);
    expect(refused).toHaveLength(20);
    expect(refused[0]!.status).toBe(503);
    expect(refused[0]!.headers.get("Retry-After")).toBe("60");
    expect(await refused[0]!.text()).toBe(HASHING_BUSY);
    expect(hashingQueue()).toEqual({ running: 0, waiting: 0 });
  });

  it("new passwords (registration, resets, the demo data) are never refused: they wait their turn, still a few at a time", async () => {
    const hashes = Array.from({ length: capacity + 5 }, (_, i) => hashPassword(`new password number ${i}`));
    expect(hashingQueue()).toEqual({ running: HASHING_LIMITS.running, waiting: capacity + 5 - HASHING_LIMITS.running });
    expect(await Promise.all(hashes)).toHaveLength(capacity + 5);
  });

  it("a sign-in while the queue is full gets the form back with 503, Retry-After and a plain message, and is not counted as a failed attempt", async () => {
    const user = await makeUser();
    const stored = await hashPassword("a long enough password");
    // Counted before the queue is filled: the queue drains in a fraction of a second at the tests' cheap cost, and on
    // PostgreSQL this count is a round trip that, on a busy machine, could outlast it.
    const attemptsBefore = await countOf("login_attempt");
    const busy = Array.from({ length: capacity }, () => verifyPassword("a long enough password", stored));
    const response = await runAction(loginAction, await postForm("/login", { email: user.email, password: TEST_PASSWORD }));
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("60");
    const body = await response.json();
    expect(body.errors).toEqual({ email: "Too many people are signing in. Try again in a minute." });
    expect(body.values.email).toBe(user.email);
    expect(sessionCookieFrom(response)).toBeNull();
    expect(await countOf("login_attempt")).toBe(attemptsBefore);
    await Promise.all(busy);

    // Once the queue has room, the same sign-in works.
    const later = await runAction(loginAction, await postForm("/login", { email: user.email, password: TEST_PASSWORD }));
    expect(later.status).toBe(302);
  });
});

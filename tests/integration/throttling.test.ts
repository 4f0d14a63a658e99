import type { AppLoadContext } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";
import { SIGN_IN_BUSY, SIGN_IN_CLIENT_THROTTLED, SIGN_IN_FAILED, SIGN_IN_THROTTLED } from "~/auth/authenticator.server";
import {
  MAX_CLIENT_FAILURES,
  MAX_FAILURES,
  SITE_FAILURE_LIMIT,
  SITE_SLOW_INTERVAL_MS,
  SITE_SLOW_MAX_WAIT_MS,
  SITE_WINDOW_MS,
  THROTTLE_WINDOW_MS,
} from "~/auth/throttle.server";
import { action as loginAction } from "~/routes/login";
import { getDb } from "~/utils/db.server";
import { newId } from "~/utils/ids.server";
import { countOf, makeUser, TEST_PASSWORD } from "../factories";
import { postForm, runAction, sessionCookieFrom } from "../support/http";

const MINUTE = 60_000;

const signIn = async (email: string, password: string) => runAction(loginAction, await postForm("/login", { email, password }));

/** The real login action, as server.js calls it: with the client's address in the load context. */
async function signInFrom(clientAddress: string, email: string, password: string): Promise<Response> {
  const context: AppLoadContext = { cspNonce: "test", pendingCookies: [], clientAddress };
  try {
    return await loginAction({ request: await postForm("/login", { email, password }), params: {}, context });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const messageOf = async (response: Response) => (response.status === 302 ? "signed in" : ((await response.json()).errors.email as string));

/** How many times each outcome came back. */
async function tally(responses: Response[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const message of await Promise.all(responses.map(messageOf))) counts[message] = (counts[message] ?? 0) + 1;
  return counts;
}

/** Every attempt row reached the password check: a row is written (reserved) just before it, and only then. */
async function passwordChecks(where: { email?: string; client?: string }) {
  let query = getDb().selectFrom("login_attempt").select(["at", "is_success"]);
  if (where.email) query = query.where("email", "=", where.email);
  if (where.client) query = query.where("client", "=", where.client);
  return query.orderBy("at").execute();
}

// Each test starts with no attempts on record, so the site-wide count is each test's own.
beforeEach(async () => {
  await getDb().deleteFrom("login_attempt").execute();
});

/** Failed attempts written straight to the table, as if made `minutesAgo` minutes ago. */
async function pastFailures(email: string, count: number, minutesAgo: number) {
  const at = new Date(Date.now() - minutesAgo * MINUTE).toISOString();
  const rows = Array.from({ length: count }, () => ({ id: newId(), email, at, is_success: 0 as const }));
  await getDb().insertInto("login_attempt").values(rows).execute();
}

describe("sign-in throttling", () => {
  it("the limits are 10 failures an account and 30 a client in 15 minutes, and 100 across the site in 5 minutes", () => {
    expect(MAX_FAILURES).toBe(10);
    expect(THROTTLE_WINDOW_MS).toBe(15 * MINUTE);
    expect(MAX_CLIENT_FAILURES).toBe(30);
    expect(SITE_FAILURE_LIMIT).toBe(100);
    expect(SITE_WINDOW_MS).toBe(5 * MINUTE);
    expect(SITE_SLOW_INTERVAL_MS).toBe(1000);
  });

  it("after 10 failed sign-ins the 11th attempt is refused with the throttle message, even with the right password", async () => {
    const user = await makeUser();
    for (let i = 0; i < 10; i += 1) {
      const response = await signIn(user.email, `wrong password ${i}`);
      expect(response.status).toBe(400);
      expect((await response.json()).errors.email).toBe(SIGN_IN_FAILED);
    }
    const sessions = await countOf("session");
    const response = await signIn(user.email, TEST_PASSWORD);
    expect(response.status).toBe(400);
    expect((await response.json()).errors.email).toBe(SIGN_IN_THROTTLED);
    expect(sessionCookieFrom(response)).toBeNull();
    expect(await countOf("session")).toBe(sessions);
  });

  it("nine recent failures still let the right password in", async () => {
    const user = await makeUser();
    await pastFailures(user.email, 9, 1);
    const response = await signIn(user.email, TEST_PASSWORD);
    expect(response.status).toBe(302);
  });

  it("failures older than 15 minutes do not count", async () => {
    const user = await makeUser();
    await pastFailures(user.email, 30, 16);
    await pastFailures(user.email, 9, 14);
    const response = await signIn(user.email, TEST_PASSWORD);
    expect(response.status).toBe(302);
    expect(sessionCookieFrom(response)).not.toBeNull();
  });

  it("the same address typed in another case counts towards the same limit", async () => {
    const user = await makeUser();
    await pastFailures(user.email, 10, 2);
    const response = await signIn(user.email.toUpperCase(), TEST_PASSWORD);
    expect(response.status).toBe(400);
    expect((await response.json()).errors.email).toBe(SIGN_IN_THROTTLED);
  });

  it("one account being throttled does not lock out another", async () => {
    const attacked = await makeUser();
    const other = await makeUser();
    await pastFailures(attacked.email, 10, 2);
    const response = await signIn(other.email, TEST_PASSWORD);
    expect(response.status).toBe(302);
  });

  it("an unknown address is throttled the same way, so throttling cannot reveal which accounts exist", async () => {
    await pastFailures("nobody@example.test", 10, 2);
    const response = await signIn("nobody@example.test", "any password at all");
    expect(response.status).toBe(400);
    expect((await response.json()).errors.email).toBe(SIGN_IN_THROTTLED);
  });
});

describe("parallel guesses", () => {
  it("40 wrong passwords for one account sent at once run at most 10 password checks; the rest are refused unchecked", async () => {
    const user = await makeUser();
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn(user.email, `parallel guess ${i}`)));
    expect(responses.every((r) => r.status === 400)).toBe(true);
    expect(await tally(responses)).toEqual({ [SIGN_IN_FAILED]: MAX_FAILURES, [SIGN_IN_THROTTLED]: 40 - MAX_FAILURES });
    const checks = await passwordChecks({ email: user.email });
    expect(checks).toHaveLength(MAX_FAILURES);
    expect(checks.every((c) => c.is_success === 0)).toBe(true);
  });

  it("the right password among 40 parallel posts is checked at most once in the limit, and a success does not count as a failure", async () => {
    const user = await makeUser();
    const responses = await Promise.all([signIn(user.email, TEST_PASSWORD), ...Array.from({ length: 39 }, (_, i) => signIn(user.email, `guess ${i}`))]);
    const counts = await tally(responses);
    const checks = await passwordChecks({ email: user.email });
    expect(checks.length).toBeLessThanOrEqual(MAX_FAILURES + 1);
    expect(checks.filter((c) => c.is_success === 1)).toHaveLength(counts["signed in"] ?? 0);
    expect(counts[SIGN_IN_FAILED]).toBe(checks.filter((c) => c.is_success === 0).length);
  });

  it(`one client trying one password on 40 accounts at once gets at most ${MAX_CLIENT_FAILURES} password checks; then even the right password is refused from that client, but not from another`, async () => {
    const users = await Promise.all(Array.from({ length: 40 }, () => makeUser()));
    const attacker = "203.0.113.66";
    const responses = await Promise.all(users.map((u) => signInFrom(attacker, u.email, "Summer2026!")));
    expect(await tally(responses)).toEqual({ [SIGN_IN_FAILED]: MAX_CLIENT_FAILURES, [SIGN_IN_CLIENT_THROTTLED]: 40 - MAX_CLIENT_FAILURES });
    expect(await passwordChecks({ client: attacker })).toHaveLength(MAX_CLIENT_FAILURES);

    const fromAttacker = await signInFrom(attacker, users[0]!.email, TEST_PASSWORD);
    expect(await messageOf(fromAttacker)).toBe(SIGN_IN_CLIENT_THROTTLED);
    // Each account had one failure, far below its own limit: its owner elsewhere signs in.
    expect((await signInFrom("198.51.100.7", users[0]!.email, TEST_PASSWORD)).status).toBe(302);
  });

  it("addresses in one IPv6 /64 count as one client", async () => {
    const users = await Promise.all(Array.from({ length: MAX_CLIENT_FAILURES + 1 }, () => makeUser()));
    const responses = await Promise.all(users.map((u, i) => signInFrom(`2001:db8:7:7::${(i + 1).toString(16)}`, u.email, "wrong password")));
    expect(await tally(responses)).toEqual({ [SIGN_IN_FAILED]: MAX_CLIENT_FAILURES, [SIGN_IN_CLIENT_THROTTLED]: 1 });
  });

  it("the per-client message is the same for an address with no account, so it reveals nothing", async () => {
    const client = "203.0.113.99";
    const past = new Date(Date.now() - 60_000).toISOString();
    const rows = Array.from({ length: MAX_CLIENT_FAILURES }, (_, i) => ({
      id: newId(),
      email: `x${i}@example.test`,
      client,
      at: past,
      is_success: 0 as const,
    }));
    await getDb().insertInto("login_attempt").values(rows).execute();
    const user = await makeUser();
    expect(await messageOf(await signInFrom(client, "nobody-here@example.test", "anything at all"))).toBe(SIGN_IN_CLIENT_THROTTLED);
    expect(await messageOf(await signInFrom(client, user.email, "anything at all"))).toBe(SIGN_IN_CLIENT_THROTTLED);
  });
});

describe("the client address", () => {
  it("comes only from the server, never from a header the client sends", async () => {
    const user = await makeUser();
    const forged = await postForm("/login", { email: user.email, password: "wrong password" });
    forged.headers.set("x-portal-sign-in-client", "forged 192.0.2.1");
    await runAction(loginAction, forged);
    const fromServer = await postForm("/login", { email: user.email, password: "wrong password" });
    await loginAction({ request: fromServer, params: {}, context: { cspNonce: "test", pendingCookies: [], clientAddress: "198.51.100.20" } }).catch((r) => r);
    const rows = await passwordChecks({ email: user.email });
    expect(rows).toHaveLength(2);
    const clients = await getDb().selectFrom("login_attempt").select("client").where("email", "=", user.email).execute();
    expect(clients.map((c) => c.client).sort()).toEqual(["198.51.100.20", null].sort());
  });
});

describe("the site-wide rate of failed sign-ins", () => {
  /** Failures spread over many addresses and accounts, as a botnet would make them. */
  async function siteFailures(count: number, minutesAgo: number) {
    const at = new Date(Date.now() - minutesAgo * MINUTE).toISOString();
    const rows = Array.from({ length: count }, (_, i) => ({
      id: newId(),
      email: `victim${i}@example.test`,
      client: `192.0.2.${i % 250}`,
      at,
      is_success: 0 as const,
    }));
    await getDb().insertInto("login_attempt").values(rows).execute();
  }

  it(`below ${SITE_FAILURE_LIMIT} failures in ${SITE_WINDOW_MS / MINUTE} minutes nobody is slowed`, async () => {
    await siteFailures(SITE_FAILURE_LIMIT - 1, 1);
    const users = await Promise.all(Array.from({ length: 8 }, () => makeUser()));
    const started = Date.now();
    const responses = await Promise.all(users.map((u, i) => signInFrom(`198.51.100.${i}`, u.email, TEST_PASSWORD)));
    expect(responses.map((r) => r.status)).toEqual(users.map(() => 302));
    expect(Date.now() - started).toBeLessThan(SITE_SLOW_INTERVAL_MS * 2);
  });

  it(`at ${SITE_FAILURE_LIMIT} failures everyone is slowed to one password check a second; who waits too long is told to wait`, async () => {
    await siteFailures(SITE_FAILURE_LIMIT, 2);
    const users = await Promise.all(Array.from({ length: 10 }, () => makeUser()));
    const startedIso = new Date().toISOString();
    const responses = await Promise.all(users.map((u, i) => signInFrom(`198.51.100.${i}`, u.email, TEST_PASSWORD)));
    const counts = await tally(responses);

    const checks = (await passwordChecks({})).filter((c) => c.at >= startedIso);
    expect(checks.length).toBe(counts["signed in"]);
    for (let i = 1; i < checks.length; i += 1) {
      expect(Date.parse(checks[i]!.at) - Date.parse(checks[i - 1]!.at)).toBeGreaterThanOrEqual(SITE_SLOW_INTERVAL_MS);
    }
    // Within the longest wait, one check a second lets at most 1 + 5 through.
    expect(checks.length).toBeLessThanOrEqual(1 + Math.ceil(SITE_SLOW_MAX_WAIT_MS / SITE_SLOW_INTERVAL_MS) + 1);
    expect(counts[SIGN_IN_BUSY]).toBe(10 - checks.length);
    expect(counts[SIGN_IN_BUSY]).toBeGreaterThanOrEqual(3);
  });

  it("failures older than the site-wide window do not slow anyone", async () => {
    await siteFailures(SITE_FAILURE_LIMIT * 2, SITE_WINDOW_MS / MINUTE + 1);
    const users = await Promise.all(Array.from({ length: 5 }, () => makeUser()));
    const responses = await Promise.all(users.map((u, i) => signInFrom(`198.51.100.${i}`, u.email, TEST_PASSWORD)));
    expect(responses.map((r) => r.status)).toEqual(users.map(() => 302));
  });
});

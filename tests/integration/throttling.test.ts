import { describe, expect, it } from "vitest";
import { SIGN_IN_FAILED, SIGN_IN_THROTTLED } from "~/auth/authenticator.server";
import { MAX_FAILURES, THROTTLE_WINDOW_MS } from "~/auth/throttle.server";
import { action as loginAction } from "~/routes/login";
import { getDb } from "~/utils/db.server";
import { newId } from "~/utils/ids.server";
import { countOf, makeUser, TEST_PASSWORD } from "../factories";
import { postForm, runAction, sessionCookieFrom } from "../support/http";

const MINUTE = 60_000;

const signIn = async (email: string, password: string) => runAction(loginAction, await postForm("/login", { email, password }));

/** Failed attempts written straight to the table, as if made `minutesAgo` minutes ago. */
async function pastFailures(email: string, count: number, minutesAgo: number) {
  const at = new Date(Date.now() - minutesAgo * MINUTE).toISOString();
  const rows = Array.from({ length: count }, () => ({ id: newId(), email, at, is_success: 0 as const }));
  await getDb().insertInto("login_attempt").values(rows).execute();
}

describe("sign-in throttling", () => {
  it("the limit is 10 failures in 15 minutes", () => {
    expect(MAX_FAILURES).toBe(10);
    expect(THROTTLE_WINDOW_MS).toBe(15 * MINUTE);
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

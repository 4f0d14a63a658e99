import { describe, expect, it } from "vitest";
import { ABSOLUTE_TIMEOUT_MS, createSession, getSessionUser, IDLE_TIMEOUT_MS } from "~/auth/session.server";
import { getDb } from "~/utils/db.server";
import { countOf, makeUser } from "../factories";
import { cookiePair, getRequest } from "../support/http";

const MINUTE = 60_000;
const at = (start: Date, ms: number) => new Date(start.getTime() + ms);

async function startSession(userId: string, now: Date) {
  return cookiePair(await createSession(getDb(), userId, now));
}

const whoAt = (cookie: string, now: Date) => getSessionUser(getDb(), getRequest("/", { cookie }), now);

describe("session expiry", () => {
  it("the limits are 30 minutes idle and 12 hours in all", () => {
    expect(IDLE_TIMEOUT_MS).toBe(30 * MINUTE);
    expect(ABSOLUTE_TIMEOUT_MS).toBe(12 * 60 * MINUTE);
  });

  it("a session used within 30 minutes still signs the user in", async () => {
    const user = await makeUser();
    const start = new Date();
    const cookie = await startSession(user.id, start);
    expect((await whoAt(cookie, at(start, 29 * MINUTE)))?.id).toBe(user.id);
  });

  it("a session idle for more than 30 minutes is refused and removed", async () => {
    const user = await makeUser();
    const start = new Date(Date.now() - 31 * MINUTE);
    const cookie = await startSession(user.id, start);
    const before = await countOf("session");
    expect(await whoAt(cookie, new Date())).toBeNull();
    expect(await countOf("session")).toBe(before - 1);
    // Coming back "earlier" does not revive it.
    expect(await whoAt(cookie, at(start, MINUTE))).toBeNull();
  });

  it("each use resets the idle clock", async () => {
    const user = await makeUser();
    const start = new Date();
    const cookie = await startSession(user.id, start);
    expect((await whoAt(cookie, at(start, 20 * MINUTE)))?.id).toBe(user.id);
    expect((await whoAt(cookie, at(start, 45 * MINUTE)))?.id).toBe(user.id);
    expect((await whoAt(cookie, at(start, 70 * MINUTE)))?.id).toBe(user.id);
    expect(await whoAt(cookie, at(start, 101 * MINUTE))).toBeNull();
  });

  it("a session kept busy is still refused once it is older than 12 hours", async () => {
    const user = await makeUser();
    const start = new Date(Date.now() - 13 * 60 * MINUTE);
    const cookie = await startSession(user.id, start);
    let t = 0;
    for (; t <= 12 * 60 * MINUTE - 20 * MINUTE; t += 20 * MINUTE) {
      expect((await whoAt(cookie, at(start, t)))?.id, `at +${t / MINUTE} min`).toBe(user.id);
    }
    expect((await whoAt(cookie, at(start, 12 * 60 * MINUTE - MINUTE)))?.id).toBe(user.id);
    expect(await whoAt(cookie, at(start, 12 * 60 * MINUTE + MINUTE))).toBeNull();
    expect(await whoAt(cookie, new Date())).toBeNull();
  });

  it("an unknown or tampered session cookie signs nobody in", async () => {
    const user = await makeUser();
    const cookie = await startSession(user.id, new Date());
    const tampered = cookie.slice(0, -4) + (cookie.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect(await whoAt(tampered, new Date())).toBeNull();
    expect(await whoAt("__session=", new Date())).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { getSessionUser, sessionCookieOf } from "~/auth/session.server";
import { action as logoutAction, loader as logoutLoader } from "~/routes/logout";
import { getDb } from "~/utils/db.server";
import { sha256 } from "~/utils/ids.server";
import { auditEventsFor, countOf, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

/** The session row behind a "__session=..." cookie pair. */
async function sessionRowFor(cookie: string) {
  const token = (await sessionCookieOf().parse(cookie)) as string;
  return getDb().selectFrom("session").selectAll().where("id", "=", sha256(token)).executeTakeFirst();
}

describe("signing out", () => {
  it("POST /logout revokes the session: the old cookie no longer signs anyone in and its row is gone", async () => {
    const user = await makeUser();
    const cookie = await sessionCookieFor(user.id);
    expect(await sessionRowFor(cookie)).toBeDefined();

    const response = await runAction(logoutAction, await postForm("/logout", {}, { cookie }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?signedOut=1");
    const cleared = response.headers.getSetCookie().find((c) => c.startsWith("__session="));
    expect(cleared).toMatch(/^__session=;|Max-Age=0|Expires=Thu, 01 Jan 1970/);

    expect(await sessionRowFor(cookie)).toBeUndefined();
    // A copy of the old cookie kept by an attacker is now worthless.
    expect(await getSessionUser(getDb(), getRequest("/applicant", { cookie }))).toBeNull();
  });

  it("signing out records user.signed_out for that user", async () => {
    const user = await makeUser();
    const cookie = await sessionCookieFor(user.id);
    await runAction(logoutAction, await postForm("/logout", {}, { cookie }));
    const events = await auditEventsFor("user.signed_out");
    expect(events.map((e) => e.entity_id)).toContain(user.id);
  });

  it("signing out ends only this session, not the user's session on another device", async () => {
    const user = await makeUser();
    const laptop = await sessionCookieFor(user.id);
    const phone = await sessionCookieFor(user.id);
    await runAction(logoutAction, await postForm("/logout", {}, { cookie: laptop }));
    expect(await getSessionUser(getDb(), getRequest("/", { cookie: laptop }))).toBeNull();
    expect((await getSessionUser(getDb(), getRequest("/", { cookie: phone })))?.id).toBe(user.id);
  });

  it("GET /logout changes nothing: the session still works and no event is written", async () => {
    const user = await makeUser();
    const cookie = await sessionCookieFor(user.id);
    const [sessions, events] = [await countOf("session"), await countOf("audit_event")];
    const response = await runLoader(logoutLoader, getRequest("/logout", { cookie }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await countOf("session")).toBe(sessions);
    expect(await countOf("audit_event")).toBe(events);
    expect((await getSessionUser(getDb(), getRequest("/", { cookie })))?.id).toBe(user.id);
  });

  it("a sign-out POST without the form token is refused and the session survives", async () => {
    const user = await makeUser();
    const cookie = await sessionCookieFor(user.id);
    const response = await runAction(logoutAction, await postForm("/logout", {}, { cookie, csrf: false }));
    expect(response.status).toBe(403);
    expect((await getSessionUser(getDb(), getRequest("/", { cookie })))?.id).toBe(user.id);
  });
});

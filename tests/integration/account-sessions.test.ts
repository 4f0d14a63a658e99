import { describe, expect, it } from "vitest";
import { csrfCookieOf } from "~/auth/csrf.server";
import { createSession, getSessionUser } from "~/auth/session.server";
import { describeDevice } from "~/domain/sessions";
import { loader as rootLoader } from "~/root";
import { action as sessionsAction, loader as sessionsLoader } from "~/routes/account.sessions";
import { action as loginAction, loader as loginLoader } from "~/routes/login";
import { getDb } from "~/utils/db.server";
import { newToken } from "~/utils/ids.server";
import { auditEventsFor, countOf, makeUser, TEST_PASSWORD } from "../factories";
import { cookiePair, getRequest, postForm, runAction, runLoader, sessionCookieFor, sessionCookieFrom } from "../support/http";

const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

/** A signed-in session started from a browser with this User-Agent, as "name=value". */
async function sessionFrom(userId: string, userAgent: string): Promise<string> {
  return cookiePair(await createSession(getDb(), userId, new Date(), new Request("http://localhost/login", { headers: { "User-Agent": userAgent } })));
}

const sessionRows = (userId: string) => getDb().selectFrom("session").select("id").where("user_id", "=", userId).execute();
const whoIs = (cookie: string) => getSessionUser(getDb(), getRequest("/", { cookie }));
/** This person's audit events with this action. */
const eventsOf = async (action: string, userId: string) => (await auditEventsFor(action)).filter((e) => e.entity_id === userId);

describe("where you are signed in (/account/sessions)", () => {
  it("lists the person's own live sessions only, with a device description, and marks this one", async () => {
    const user = await makeUser();
    const other = await makeUser();
    const laptop = await sessionFrom(user.id, FIREFOX_WINDOWS);
    await sessionFrom(user.id, SAFARI_IPHONE);
    await sessionFrom(other.id, FIREFOX_WINDOWS);

    const response = await runLoader(sessionsLoader, getRequest("/account/sessions", { cookie: laptop }));
    expect(response.status).toBe(200);
    const { sessions } = await response.json();
    expect(sessions).toHaveLength(2);
    expect(sessions.map((s: { device: string }) => s.device).sort()).toEqual(["Firefox on Windows", "Safari on iPhone"]);
    const current = sessions.filter((s: { isCurrent: boolean }) => s.isCurrent);
    expect(current).toHaveLength(1);
    expect(current[0].device).toBe("Firefox on Windows");
    const own = (await sessionRows(user.id)).map((r) => r.id).sort();
    expect(sessions.map((s: { id: string }) => s.id).sort()).toEqual(own);
  });

  it("sends someone who is not signed in to sign in", async () => {
    const response = await runLoader(sessionsLoader, getRequest("/account/sessions"));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("Sign out on another session ends that one only, and its cookie stops working", async () => {
    const user = await makeUser();
    const laptop = await sessionFrom(user.id, FIREFOX_WINDOWS);
    const phone = await sessionFrom(user.id, SAFARI_IPHONE);
    const { sessions } = await (await runLoader(sessionsLoader, getRequest("/account/sessions", { cookie: laptop }))).json();
    const phoneId = sessions.find((s: { isCurrent: boolean }) => !s.isCurrent).id;

    const response = await runAction(sessionsAction, await postForm("/account/sessions", { intent: "end", sessionId: phoneId }, { cookie: laptop }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/account/sessions?ended=1");
    expect(await whoIs(phone)).toBeNull();
    expect((await whoIs(laptop))?.id).toBe(user.id);
    expect(await eventsOf("user.session_ended", user.id)).toHaveLength(1);
  });

  it("another person's session id ends nothing: 400 with a plain message, and their session lives on", async () => {
    const user = await makeUser();
    const victim = await makeUser();
    const victimCookie = await sessionFrom(victim.id, FIREFOX_WINDOWS);
    const [victimSession] = await sessionRows(victim.id);
    const cookie = await sessionCookieFor(user.id);
    const sessionsBefore = await countOf("session");

    const response = await runAction(sessionsAction, await postForm("/account/sessions", { intent: "end", sessionId: victimSession!.id }, { cookie }));
    expect(response.status).toBe(400);
    expect((await response.json()).errors.form).toMatch(/already ended/);
    expect(await countOf("session")).toBe(sessionsBefore);
    expect((await whoIs(victimCookie))?.id).toBe(victim.id);
  });

  it("Sign out everywhere else ends every other session and keeps this one, with one audit event", async () => {
    const user = await makeUser();
    const bystander = await makeUser();
    const here = await sessionFrom(user.id, FIREFOX_WINDOWS);
    const others = [await sessionFrom(user.id, SAFARI_IPHONE), await sessionCookieFor(user.id), await sessionCookieFor(user.id)];
    const bystanderCookie = await sessionCookieFor(bystander.id);

    const response = await runAction(sessionsAction, await postForm("/account/sessions", { intent: "end-others" }, { cookie: here }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/account/sessions?endedOthers=3");
    for (const cookie of others) expect(await whoIs(cookie)).toBeNull();
    expect((await whoIs(here))?.id).toBe(user.id);
    expect(await sessionRows(user.id)).toHaveLength(1);
    expect((await whoIs(bystanderCookie))?.id).toBe(bystander.id);
    const [event] = await eventsOf("user.signed_out_everywhere", user.id);
    expect(JSON.parse(event!.after!)).toEqual({ sessionsEnded: 3, keptThisSession: true });
  });

  it("Sign out everywhere ends every session, this one too: rows gone, old cookies rejected, cookie cleared", async () => {
    const user = await makeUser();
    const cookies = [await sessionFrom(user.id, FIREFOX_WINDOWS), await sessionFrom(user.id, SAFARI_IPHONE), await sessionCookieFor(user.id)];

    const response = await runAction(sessionsAction, await postForm("/account/sessions", { intent: "end-all" }, { cookie: cookies[0] }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?signedOut=1");
    const cleared = response.headers.getSetCookie().find((c) => c.startsWith("__session="));
    expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    expect(await sessionRows(user.id)).toHaveLength(0);
    for (const cookie of cookies) expect(await whoIs(cookie)).toBeNull();
    const [event] = await eventsOf("user.signed_out_everywhere", user.id);
    expect(JSON.parse(event!.after!)).toEqual({ sessionsEnded: 3, keptThisSession: false });
  });

  it("signing this session out from the list signs you out", async () => {
    const user = await makeUser();
    const here = await sessionFrom(user.id, FIREFOX_WINDOWS);
    const [row] = await sessionRows(user.id);
    const response = await runAction(sessionsAction, await postForm("/account/sessions", { intent: "end", sessionId: row!.id }, { cookie: here }));
    expect(response.headers.get("Location")).toBe("/login?signedOut=1");
    expect(await whoIs(here)).toBeNull();
  });

  it("describes common browsers roughly, and says so when it cannot", () => {
    expect(describeDevice(FIREFOX_WINDOWS)).toBe("Firefox on Windows");
    expect(describeDevice(SAFARI_IPHONE)).toBe("Safari on iPhone");
    expect(
      describeDevice("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"),
    ).toBe("Edge on Mac");
    expect(describeDevice("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36")).toBe(
      "Chrome on Android",
    );
    expect(describeDevice(null)).toBe("Unknown device");
    expect(describeDevice("something odd")).toBe("Unknown device");
  });
});

/** A sign-in form post as a browser sends it to a portal at `origin` (http or https). */
async function signInPost(origin: string, email: string) {
  const probe = new Request(`${origin}/login`);
  const token = newToken(32);
  const csrf = cookiePair(await csrfCookieOf(probe).serialize(token));
  return new Request(`${origin}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin, Cookie: csrf, "User-Agent": FIREFOX_WINDOWS },
    body: new URLSearchParams({ csrf: token, email, password: TEST_PASSWORD }),
  });
}

describe("cookies follow the request's protocol", () => {
  it("over HTTPS the session and form cookies are named __Host- and carry Secure, Path=/ and no Domain", async () => {
    const user = await makeUser();
    const response = await runAction(loginAction, await signInPost("https://portal.example", user.email));
    expect(response.status).toBe(302);
    const setCookies = response.headers.getSetCookie();
    const session = setCookies.find((c) => c.startsWith("__Host-session="));
    const csrf = setCookies.find((c) => c.startsWith("__Host-csrf="));
    for (const cookie of [session, csrf]) {
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/Domain=/i);
    }
    expect(setCookies.some((c) => c.startsWith("__session=") || c.startsWith("__csrf="))).toBe(false);
    // The secure cookie signs in over HTTPS; the same value under the plain name does not (nothing but this host can set a __Host- cookie).
    const value = cookiePair(session!).split("=")[1]!;
    expect((await getSessionUser(getDb(), new Request("https://portal.example/", { headers: { Cookie: `__Host-session=${value}` } })))?.id).toBe(user.id);
    expect(await getSessionUser(getDb(), new Request("https://portal.example/", { headers: { Cookie: `__session=${value}` } }))).toBeNull();
  });

  it("over plain HTTP on a network address the cookies have their plain names and no Secure flag, so the browser keeps them and sign-in works", async () => {
    const user = await makeUser();
    const response = await runAction(loginAction, await signInPost("http://192.168.1.20:3000", user.email));
    expect(response.status).toBe(302);
    const setCookies = response.headers.getSetCookie();
    expect(setCookies.some((c) => c.startsWith("__Host-"))).toBe(false);
    const session = setCookies.find((c) => c.startsWith("__session="));
    expect(session).toBeDefined();
    expect(session).not.toMatch(/Secure/);
    expect(setCookies.find((c) => c.startsWith("__csrf="))).not.toMatch(/Secure/);
    const signedIn = await getSessionUser(getDb(), new Request("http://192.168.1.20:3000/", { headers: { Cookie: cookiePair(session!) } }));
    expect(signedIn?.id).toBe(user.id);
    // The session remembers the browser it was started from.
    expect((await getDb().selectFrom("session").select("user_agent").where("user_id", "=", user.id).executeTakeFirst())?.user_agent).toBe(FIREFOX_WINDOWS);
  });

  it("the first page over HTTPS issues the form cookie as __Host-csrf with Secure; over HTTP as __csrf without", async () => {
    const secure = { cspNonce: "test", pendingCookies: [] as string[] };
    await rootLoader({ request: new Request("https://portal.example/"), params: {}, context: secure });
    expect(secure.pendingCookies[0]).toMatch(/^__Host-csrf=.*; Secure/);
    const plain = { cspNonce: "test", pendingCookies: [] as string[] };
    await rootLoader({ request: new Request("http://192.168.1.20:3000/"), params: {}, context: plain });
    expect(plain.pendingCookies[0]).toMatch(/^__csrf=/);
    expect(plain.pendingCookies[0]).not.toMatch(/Secure/);
  });

  it("a sign-in whose form cookie never came back gets a 403 that says exactly that", async () => {
    const user = await makeUser();
    const post = await postForm("/login", { email: user.email, password: TEST_PASSWORD });
    post.headers.delete("Cookie");
    const response = await runAction(loginAction, post);
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/Your browser did not send this site's form cookie \(__csrf\)/);
    expect(sessionCookieFrom(response)).toBeNull();
  });

  it("the sign-in page warns when the connection is plain HTTP to a network address, and not on localhost or HTTPS", async () => {
    const warns = async (url: string) => (await (await runLoader(loginLoader, new Request(url))).json()).isUnencrypted;
    expect(await warns("http://192.168.1.20:3000/login")).toBe(true);
    expect(await warns("http://portal.example/login")).toBe(true);
    expect(await warns("http://localhost:3000/login")).toBe(false);
    expect(await warns("http://127.0.0.1:3000/login")).toBe(false);
    expect(await warns("https://portal.example/login")).toBe(false);
  });
});

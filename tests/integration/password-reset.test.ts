import { describe, expect, it } from "vitest";
import { SIGN_IN_FAILED } from "~/auth/authenticator.server";
import { getSessionUser } from "~/auth/session.server";
import { action as forgotAction } from "~/routes/forgot-password";
import { action as loginAction } from "~/routes/login";
import { action as resetAction, loader as resetLoader } from "~/routes/reset-password.$token";
import { requestPasswordReset } from "~/services/accounts.server";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, countOf, emailsTo, makeUser, TEST_PASSWORD, tokenFromLink } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

const NEW_PASSWORD = "marmalade harbour kite";

const forgot = async (email: string) => runAction(forgotAction, await postForm("/forgot-password", { email }));
const reset = async (token: string, password: string) => runAction(resetAction, await postForm(`/reset-password/${token}`, { password }), { token });
const signIn = async (email: string, password: string) => runAction(loginAction, await postForm("/login", { email, password }));
const isUsable = async (token: string) => (await (await runLoader(resetLoader, getRequest(`/reset-password/${token}`), { token })).json()).isUsable as boolean;

async function resetTokenFor(email: string) {
  const emails = await emailsTo(email);
  return tokenFromLink(emails.at(-1)!.body_text, "reset-password");
}

describe("forgotten password", () => {
  it("queues a reset email for a real account and none for an unknown address, with the same response for both", async () => {
    const user = await makeUser();
    const outboxBefore = await countOf("email_outbox");

    const known = await forgot(user.email.toUpperCase());
    const unknown = await forgot("nobody@example.test");

    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    const [knownBody, unknownBody] = [await known.json(), await unknown.json()];
    expect(knownBody).toEqual({ isSent: true });
    expect(unknownBody).toEqual(knownBody);

    expect(await countOf("email_outbox")).toBe(outboxBefore + 1);
    const emails = await emailsTo(user.email);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe("Reset your password");
    expect(emails[0]!.body_text).toMatch(/http:\/\/localhost\/reset-password\/[A-Za-z0-9_-]{40,}/);
    expect(await emailsTo("nobody@example.test")).toHaveLength(0);
    expect((await auditEventsFor("password_reset.requested")).map((e) => e.entity_id)).toEqual([user.id]);
  });

  it("a disabled account gets no reset email", async () => {
    const user = await makeUser({ isDisabled: true });
    const response = await forgot(user.email);
    expect(await response.json()).toEqual({ isSent: true });
    expect(await emailsTo(user.email)).toHaveLength(0);
  });

  it("a malformed email address gets 400 with the address kept", async () => {
    const outboxBefore = await countOf("email_outbox");
    const response = await forgot("not an email");
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.email).toBe("Enter an email address in the correct format, like name@example.com");
    expect(body.values.email).toBe("not an email");
    expect(await countOf("email_outbox")).toBe(outboxBefore);
  });
});

describe("resetting a password from the emailed link", () => {
  it("sets the new password: the old one stops working and the new one works", async () => {
    const user = await makeUser();
    await forgot(user.email);
    const token = await resetTokenFor(user.email);
    expect(await isUsable(token)).toBe(true);

    const response = await reset(token, NEW_PASSWORD);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?passwordReset=1");

    const withOld = await signIn(user.email, TEST_PASSWORD);
    expect(withOld.status).toBe(400);
    expect((await withOld.json()).errors.email).toBe(SIGN_IN_FAILED);
    const withNew = await signIn(user.email, NEW_PASSWORD);
    expect(withNew.status).toBe(302);
    expect((await auditEventsFor("password.reset")).map((e) => e.entity_id)).toEqual([user.id]);
  });

  it("ends every session the user already had", async () => {
    const user = await makeUser();
    const other = await makeUser();
    const sessionA = await sessionCookieFor(user.id);
    const sessionB = await sessionCookieFor(user.id);
    const bystander = await sessionCookieFor(other.id);
    await forgot(user.email);
    expect((await reset(await resetTokenFor(user.email), NEW_PASSWORD)).status).toBe(302);

    expect(await getSessionUser(getDb(), getRequest("/", { cookie: sessionA }))).toBeNull();
    expect(await getSessionUser(getDb(), getRequest("/", { cookie: sessionB }))).toBeNull();
    const remaining = await getDb().selectFrom("session").select("id").where("user_id", "=", user.id).execute();
    expect(remaining).toEqual([]);
    expect((await getSessionUser(getDb(), getRequest("/", { cookie: bystander })))?.id).toBe(other.id);
  });

  it("a link works only once", async () => {
    const user = await makeUser();
    await forgot(user.email);
    const token = await resetTokenFor(user.email);
    expect((await reset(token, NEW_PASSWORD)).status).toBe(302);

    const again = await reset(token, "a second new password");
    expect(again.status).toBe(400);
    expect((await again.json()).errors.form).toBe("This reset link has already been used or has expired. Ask for a new one.");
    expect(await isUsable(token)).toBe(false);
    expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(302);
  });

  it("a link older than an hour is refused and the password is unchanged", async () => {
    const user = await makeUser();
    await requestPasswordReset(getDb(), user.email, new Date(Date.now() - 61 * 60 * 1000));
    const token = await resetTokenFor(user.email);
    expect(await isUsable(token)).toBe(false);

    const response = await reset(token, NEW_PASSWORD);
    expect(response.status).toBe(400);
    expect((await response.json()).errors.form).toMatch(/already been used or has expired/);
    expect((await signIn(user.email, TEST_PASSWORD)).status).toBe(302);
  });

  it("a made-up link is refused", async () => {
    expect(await isUsable("made-up-token")).toBe(false);
    expect((await reset("made-up-token", NEW_PASSWORD)).status).toBe(400);
  });

  it("a short, long or common new password gets 400 on the password field, is never echoed, and leaves the link usable", async () => {
    const user = await makeUser();
    await forgot(user.email);
    const token = await resetTokenFor(user.email);
    const cases: [string, RegExp][] = [
      ["", /Enter a password/],
      ["too-short", /at least 10 characters/],
      ["y".repeat(65), /64 characters or fewer/],
      ["password123", /too common/],
    ];
    for (const [password, message] of cases) {
      const response = await reset(token, password);
      expect(response.status, password).toBe(400);
      const body = await response.json();
      expect(body.errors.password).toMatch(message);
      expect(body.values.password).toBeUndefined();
    }
    expect(await isUsable(token)).toBe(true);
    expect((await signIn(user.email, TEST_PASSWORD)).status).toBe(302);
  });

  it("a reset ends every other link still outstanding: an older unused link stops working", async () => {
    const user = await makeUser();
    await forgot(user.email);
    const older = await resetTokenFor(user.email);
    await forgot(user.email);
    const newer = await resetTokenFor(user.email);
    expect(older).not.toBe(newer);
    expect(await isUsable(older)).toBe(true);

    expect((await reset(newer, NEW_PASSWORD)).status).toBe(302);
    expect(await isUsable(older)).toBe(false);
    const withOlder = await reset(older, "a thief's new password");
    expect(withOlder.status).toBe(400);
    expect((await withOlder.json()).errors.form).toBe("This reset link has already been used or has expired. Ask for a new one.");
    expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(302);
    expect(await getDb().selectFrom("password_reset").select("id").where("user_id", "=", user.id).where("used_at", "is", null).execute()).toEqual([]);
  });

  it("signing in ends every outstanding link: the owner remembered the password, so a link left in the mailbox is of use only to a thief", async () => {
    const user = await makeUser();
    const bystander = await makeUser();
    await forgot(user.email);
    await forgot(user.email);
    await forgot(bystander.email);
    const links = (await emailsTo(user.email)).map((e) => tokenFromLink(e.body_text, "reset-password"));
    expect(links).toHaveLength(2);

    expect((await signIn(user.email, TEST_PASSWORD)).status).toBe(302);
    for (const token of links) {
      expect(await isUsable(token)).toBe(false);
      expect((await reset(token, NEW_PASSWORD)).status).toBe(400);
    }
    expect((await signIn(user.email, TEST_PASSWORD)).status).toBe(302);
    // Someone else's link is untouched.
    expect(await isUsable(await resetTokenFor(bystander.email))).toBe(true);
  });

  it("a failed sign-in leaves the link working", async () => {
    const user = await makeUser();
    await forgot(user.email);
    const token = await resetTokenFor(user.email);
    expect((await signIn(user.email, "not the password")).status).toBe(400);
    expect(await isUsable(token)).toBe(true);
  });
});

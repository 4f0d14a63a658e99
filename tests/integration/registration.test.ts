import { describe, expect, it } from "vitest";
import { verifyPassword } from "~/auth/password.server";
import { getSessionUser } from "~/auth/session.server";
import { findUserByEmail } from "~/models/user.server";
import { action as registerAction, loader as registerLoader } from "~/routes/register";
import { action as confirmAction, loader as confirmLoader } from "~/routes/register_.confirm.$token";
import { requestRegistration } from "~/services/accounts.server";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, countOf, emailsTo, makeUser, TEST_PASSWORD } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor, sessionCookieFrom } from "../support/http";

const GOOD_PASSWORD = "teapot river lantern";

const register = async (fields: Record<string, string>) => runAction(registerAction, await postForm("/register", fields));
const confirmToken = (bodyText: string) => /http:\/\/localhost\/register\/confirm\/([A-Za-z0-9_-]+)/.exec(bodyText)![1]!;

describe("registering as an applicant", () => {
  it("a new address gets a confirmation link and no account yet; the link's button creates the account, records user.registered and signs the new user in", async () => {
    const response = await register({ name: "  Nia Newcomer ", email: " Nia.Newcomer@Example.TEST ", password: GOOD_PASSWORD });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/register?sent=1");
    expect(sessionCookieFrom(response)).toBeNull();
    expect(await findUserByEmail(getDb(), "nia.newcomer@example.test")).toBeUndefined();
    const sent = await runLoader(registerLoader, getRequest("/register?sent=1"));
    expect(await sent.json()).toEqual({ isSent: true });

    const emails = await emailsTo("nia.newcomer@example.test");
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe("Confirm your email address to finish creating your account");
    expect(emails[0]!.body_text).not.toContain(GOOD_PASSWORD);
    const token = confirmToken(emails[0]!.body_text);
    // Opening the link changes nothing (email scanners open links); the button does.
    expect(await (await runLoader(confirmLoader, getRequest(`/register/confirm/${token}`), { token })).json()).toEqual({ isUsable: true });
    expect(await findUserByEmail(getDb(), "nia.newcomer@example.test")).toBeUndefined();

    const confirmed = await runAction(confirmAction, await postForm(`/register/confirm/${token}`, {}), { token });
    expect(confirmed.status).toBe(302);
    // No role yet: the applicant home offers to set up their group.
    expect(confirmed.headers.get("Location")).toBe("/applicant");
    const user = await findUserByEmail(getDb(), "nia.newcomer@example.test");
    expect(user).toMatchObject({ name: "Nia Newcomer", email: "nia.newcomer@example.test", disabled_at: null });
    expect(user!.password_hash).not.toContain(GOOD_PASSWORD);
    expect(await verifyPassword(GOOD_PASSWORD, user!.password_hash)).toBe(true);

    const events = await auditEventsFor("user.registered");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: user!.id, entity_type: "user", entity_id: user!.id });
    expect(events[0]!.after).not.toContain("password");

    const cookie = sessionCookieFrom(confirmed);
    expect(cookie).not.toBeNull();
    const signedIn = await getSessionUser(getDb(), getRequest("/applicant", { cookie: cookie! }));
    // Signed in, with no membership until they set up or join a group.
    expect(signedIn).toMatchObject({ id: user!.id, role: null, memberships: [] });
    expect(confirmed.headers.getSetCookie().some((c) => c.includes("csrf="))).toBe(true);

    // The link works once.
    const again = await runAction(confirmAction, await postForm(`/register/confirm/${token}`, {}), { token });
    expect(again.status).toBe(400);
    expect((await again.json()).errors.form).toMatch(/already been used or has expired/);
  });

  it("an address that already has an account gets exactly the same answer as a new one, and its owner gets an email instead; nothing is created", async () => {
    const existing = await makeUser({ email: "taken@example.test" });
    const usersBefore = await countOf("user");
    const fresh = await register({ name: "Someone New", email: "fresh@example.test", password: GOOD_PASSWORD });
    const taken = await register({ name: "Someone Else", email: "TAKEN@example.test", password: GOOD_PASSWORD });

    // The same status, the same place, the same (no) cookies, the same (empty) body.
    expect(taken.status).toBe(fresh.status);
    expect(taken.headers.get("Location")).toBe(fresh.headers.get("Location"));
    expect(taken.headers.getSetCookie()).toEqual(fresh.headers.getSetCookie());
    expect(await taken.text()).toBe(await fresh.text());
    expect(await countOf("user")).toBe(usersBefore);
    expect((await findUserByEmail(getDb(), existing.email))!.name).toBe("Test Person");

    const toOwner = await emailsTo(existing.email);
    expect(toOwner).toHaveLength(1);
    expect(toOwner[0]!.subject).toBe("Someone tried to create an account with your email address");
    expect(toOwner[0]!.body_text).toContain("http://localhost/login");
    expect(toOwner[0]!.body_text).toContain("http://localhost/forgot-password");
    expect(toOwner[0]!.body_text).not.toContain("/register/confirm/");
    expect(await getDb().selectFrom("registration_request").select("id").where("email", "=", existing.email).execute()).toEqual([]);
    // The owner's password is untouched.
    expect(await verifyPassword(TEST_PASSWORD, (await findUserByEmail(getDb(), existing.email))!.password_hash)).toBe(true);
  });

  it("both answers take about as long: the password is hashed either way", async () => {
    await makeUser({ email: "timing-taken@example.test" });
    const time = async (email: string) => {
      const request = await postForm("/register", { name: "Tim", email, password: GOOD_PASSWORD });
      const started = performance.now();
      await runAction(registerAction, request);
      return performance.now() - started;
    };
    // Alternate, and compare medians, so one slow moment does not decide it.
    const fresh: number[] = [];
    const taken: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      fresh.push(await time(`timing-fresh-${i}@example.test`));
      taken.push(await time("timing-taken@example.test"));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[4]!;
    expect(median(taken)).toBeGreaterThan(median(fresh) / 3);
    expect(median(taken)).toBeLessThan(median(fresh) * 3);
  });

  it("a registration link dies when another for the same address is used, and an expired one is refused", async () => {
    await requestRegistration(getDb(), { name: "Old", email: "twice@example.test", password: GOOD_PASSWORD }, new Date(Date.now() - 25 * 60 * 60 * 1000));
    await register({ name: "First", email: "twice@example.test", password: GOOD_PASSWORD });
    await register({ name: "Second", email: "twice@example.test", password: "another fine password" });
    const emails = await emailsTo("twice@example.test");
    const linkFor = (name: string) => confirmToken(emails.find((e) => e.body_text.startsWith(`Hello ${name},`))!.body_text);
    const [expired, first, second] = [linkFor("Old"), linkFor("First"), linkFor("Second")];
    const confirm = async (token: string) => runAction(confirmAction, await postForm(`/register/confirm/${token}`, {}), { token });
    expect((await confirm(expired!)).status).toBe(400);
    expect((await confirm(second!)).status).toBe(302);
    const gone = await confirm(first!);
    expect(gone.status).toBe(400);
    expect((await gone.json()).errors.form).toMatch(/already been used or has expired/);
    expect((await findUserByEmail(getDb(), "twice@example.test"))!.name).toBe("Second");
  });

  it("missing name, a malformed email and a short password each get their own message, with the typed values kept but never the password", async () => {
    const before = await countOf("user");
    const response = await runAction(registerAction, await postForm("/register", { name: "   ", email: "not-an-email", password: "short" }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toEqual({
      name: "Enter your full name",
      email: "Enter an email address in the correct format, like name@example.com",
      password: "Password must be at least 10 characters",
    });
    expect(body.values).toEqual({ name: "   ", email: "not-an-email" });
    expect(JSON.stringify(body)).not.toContain("short");
    expect(await countOf("user")).toBe(before);
  });

  it("a missing email and missing password are asked for", async () => {
    const response = await runAction(registerAction, await postForm("/register", { name: "Nia" }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.email).toBe("Enter your email address");
    expect(body.errors.password).toBe("Enter a password");
    expect(body.values).toEqual({ name: "Nia" });
  });

  it("a password over 64 characters is refused", async () => {
    const response = await runAction(registerAction, await postForm("/register", { name: "Nia", email: "nia@example.test", password: "x".repeat(65) }));
    expect(response.status).toBe(400);
    expect((await response.json()).errors.password).toBe("Password must be 64 characters or fewer");
  });

  it("a common password is refused on the password field, with name and email kept", async () => {
    const before = await countOf("user");
    const response = await runAction(
      registerAction,
      await postForm("/register", { name: "Nia Newcomer", email: "nia2@example.test", password: "qwertyuiop123" }),
    );
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.password).toMatch(/too common/);
    expect(body.values).toEqual({ name: "Nia Newcomer", email: "nia2@example.test" });
    expect(JSON.stringify(body)).not.toContain("qwertyuiop123");
    expect(await countOf("user")).toBe(before);
    expect(await findUserByEmail(getDb(), "nia2@example.test")).toBeUndefined();
  });

  it("someone already signed in who opens the page is sent to their home page", async () => {
    const user = await makeUser({ role: "panel_member" });
    const response = await runLoader(registerLoader, getRequest("/register", { cookie: await sessionCookieFor(user.id) }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/panel");
  });
});

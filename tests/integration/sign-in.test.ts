import { describe, expect, it } from "vitest";
import { SIGN_IN_FAILED } from "~/auth/authenticator.server";
import { getSessionUser } from "~/auth/session.server";
import { action as loginAction, loader as loginLoader } from "~/routes/login";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, countOf, makeUser, TEST_PASSWORD } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor, sessionCookieFrom } from "../support/http";

describe("signing in", () => {
  it("a user with the right password gets a new session and lands on their role's home page", async () => {
    // Without two-factor sign-in set up (tests/integration/two-factor.test.ts has the second step).
    const user = await makeUser({ role: "admin", hasTwoFactor: false });
    const response = await runAction(loginAction, await postForm("/login", { email: user.email, password: TEST_PASSWORD }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/admin");
    const cookie = sessionCookieFrom(response);
    expect(cookie).toMatch(/^__session=/);
    const signedIn = await getSessionUser(getDb(), getRequest("/", { cookie: cookie! }));
    expect(signedIn?.id).toBe(user.id);
    const setCookies = response.headers.getSetCookie().join("\n");
    expect(setCookies).toMatch(/HttpOnly/);
    expect(setCookies).toMatch(/SameSite=Lax/);
  });

  it("a wrong password gets 400 with a plain message and the email kept", async () => {
    const user = await makeUser();
    const response = await runAction(loginAction, await postForm("/login", { email: user.email, password: "not the password" }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.email).toBe("The email address or password is not right. Check them and try again.");
    expect(body.values.email).toBe(user.email);
    expect(body.values.password).toBeUndefined();
    expect(sessionCookieFrom(response)).toBeNull();
  });

  it("an unknown email gets exactly the same 400 and message as a wrong password", async () => {
    const user = await makeUser();
    const wrongPassword = await runAction(loginAction, await postForm("/login", { email: user.email, password: "not the password" }));
    const unknownEmail = await runAction(loginAction, await postForm("/login", { email: "nobody@example.test", password: "not the password" }));
    expect(unknownEmail.status).toBe(wrongPassword.status);
    const [a, b] = [await wrongPassword.json(), await unknownEmail.json()];
    expect(a.errors).toEqual({ email: SIGN_IN_FAILED });
    expect(b.errors).toEqual(a.errors);
    expect(sessionCookieFrom(unknownEmail)).toBeNull();
  });

  it("a disabled user cannot sign in, even with the right password, and is told nothing more", async () => {
    const user = await makeUser({ isDisabled: true });
    const sessionsBefore = await countOf("session");
    const response = await runAction(loginAction, await postForm("/login", { email: user.email, password: TEST_PASSWORD }));
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ email: SIGN_IN_FAILED });
    expect(sessionCookieFrom(response)).toBeNull();
    expect(await countOf("session")).toBe(sessionsBefore);
  });

  it("the email is matched whatever its case or surrounding spaces", async () => {
    const user = await makeUser({ role: "lead_org" });
    const response = await runAction(loginAction, await postForm("/login", { email: `  ${user.email.toUpperCase()} `, password: TEST_PASSWORD }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/lead");
  });

  it("a successful sign-in is recorded in the audit trail", async () => {
    const user = await makeUser();
    await runAction(loginAction, await postForm("/login", { email: user.email, password: TEST_PASSWORD }));
    const events = await auditEventsFor("user.signed_in");
    expect(events.filter((e) => e.entity_id === user.id)).toHaveLength(1);
  });

  it("an empty form is refused with a message on each field", async () => {
    const response = await runAction(loginAction, await postForm("/login", { email: "", password: "" }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toEqual({ email: "Enter your email address", password: "Enter your password" });
  });

  it("redirectTo sends the user back to the same-site page they came from", async () => {
    // Without two-factor sign-in; with it, the second step keeps redirectTo (two-factor.test.ts).
    const user = await makeUser({ role: "admin", hasTwoFactor: false });
    const response = await runAction(
      loginAction,
      await postForm("/login", { email: user.email, password: TEST_PASSWORD, redirectTo: "/admin/audit?action=user.disabled" }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/admin/audit?action=user.disabled");
  });

  it.each([
    "//evil.example",
    "//evil.example/admin",
    "https://evil.example/",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "evil.example",
    "javascript:alert(1)",
  ])("redirectTo %s is ignored and the user lands on their role's home page", async (redirectTo) => {
    const user = await makeUser({ role: "adviser" });
    const response = await runAction(loginAction, await postForm("/login", { email: user.email, password: TEST_PASSWORD, redirectTo }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/adviser");
  });

  it("someone already signed in who opens the sign-in page goes to their home page", async () => {
    const user = await makeUser({ role: "applicant" });
    const response = await runLoader(loginLoader, getRequest("/login", { cookie: await sessionCookieFor(user.id) }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/applicant");
  });
});

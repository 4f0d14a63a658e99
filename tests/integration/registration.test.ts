import { describe, expect, it } from "vitest";
import { verifyPassword } from "~/auth/password.server";
import { getSessionUser } from "~/auth/session.server";
import { findUserByEmail } from "~/models/user.server";
import { action as registerAction, loader as registerLoader } from "~/routes/register";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, countOf, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor, sessionCookieFrom } from "../support/http";

const GOOD_PASSWORD = "teapot river lantern";

describe("registering as an applicant", () => {
  it("creates an applicant account, records user.registered and signs the new user in", async () => {
    const response = await runAction(
      registerAction,
      await postForm("/register", { name: "  Nia Newcomer ", email: " Nia.Newcomer@Example.TEST ", password: GOOD_PASSWORD }),
    );
    expect(response.status).toBe(302);
    // No role yet: the applicant home offers to set up their group.
    expect(response.headers.get("Location")).toBe("/applicant");

    const user = await findUserByEmail(getDb(), "nia.newcomer@example.test");
    expect(user).toMatchObject({ name: "Nia Newcomer", email: "nia.newcomer@example.test", disabled_at: null });
    expect(user!.password_hash).not.toContain(GOOD_PASSWORD);
    expect(await verifyPassword(GOOD_PASSWORD, user!.password_hash)).toBe(true);

    const events = await auditEventsFor("user.registered");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: user!.id, entity_type: "user", entity_id: user!.id });
    expect(events[0]!.after).not.toContain("password");

    const cookie = sessionCookieFrom(response);
    expect(cookie).not.toBeNull();
    const signedIn = await getSessionUser(getDb(), getRequest("/applicant", { cookie: cookie! }));
    // Signed in, with no membership until they set up or join a group.
    expect(signedIn).toMatchObject({ id: user!.id, role: null, memberships: [] });
    expect(response.headers.getSetCookie().some((c) => c.startsWith("__csrf="))).toBe(true);
  });

  it("an email address that already has an account gets 400 on the email field and no second account", async () => {
    const existing = await makeUser({ email: "taken@example.test" });
    const before = await countOf("user");
    const response = await runAction(
      registerAction,
      await postForm("/register", { name: "Someone Else", email: "TAKEN@example.test", password: GOOD_PASSWORD }),
    );
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.email).toBe("An account with this email address already exists. Sign in, or reset your password.");
    expect(body.values).toEqual({ name: "Someone Else", email: "TAKEN@example.test" });
    expect(await countOf("user")).toBe(before);
    expect((await findUserByEmail(getDb(), existing.email))!.name).toBe("Test Person");
    expect(sessionCookieFrom(response)).toBeNull();
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

import { describe, expect, it } from "vitest";
import { getSessionUser } from "~/auth/session.server";
import { action as loginAction } from "~/routes/login";
import { getDb } from "~/utils/db.server";
import { makeUser, TEST_PASSWORD } from "../factories";
import { getRequest, postForm, runAction, sessionCookieFrom } from "../support/http";

describe("signing in", () => {
  it("a user with the right password gets a new session and lands on their role's home page", async () => {
    const user = await makeUser({ role: "admin" });
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
});

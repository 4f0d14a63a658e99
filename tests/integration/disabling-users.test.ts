import { describe, expect, it } from "vitest";
import { getSessionUser } from "~/auth/session.server";
import { action as usersAction, loader as usersLoader } from "~/routes/admin.users";
import { action as loginAction } from "~/routes/login";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, countOf, makeUser, TEST_PASSWORD } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

async function signedInAdmin() {
  const admin = await makeUser({ role: "admin" });
  return { admin, cookie: await sessionCookieFor(admin.id) };
}

const setDisabled = async (cookie: string, userId: string, intent: string) =>
  runAction(usersAction, await postForm("/admin/users", { userId, intent }, { cookie }));

const userSessions = (userId: string) => getDb().selectFrom("session").select("id").where("user_id", "=", userId).execute();

describe("disabling an account", () => {
  it("ends all of that user's sessions at once and records user.disabled", async () => {
    const { admin, cookie } = await signedInAdmin();
    const user = await makeUser({ role: "panel_member" });
    const laptop = await sessionCookieFor(user.id);
    const phone = await sessionCookieFor(user.id);
    expect((await getSessionUser(getDb(), getRequest("/panel", { cookie: laptop })))?.id).toBe(user.id);

    const response = await setDisabled(cookie, user.id, "disable");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: "Account disabled and signed out." });

    expect(await userSessions(user.id)).toEqual([]);
    expect(await getSessionUser(getDb(), getRequest("/panel", { cookie: laptop }))).toBeNull();
    expect(await getSessionUser(getDb(), getRequest("/panel", { cookie: phone }))).toBeNull();

    const row = await getDb().selectFrom("user").select("disabled_at").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.disabled_at).not.toBeNull();

    const events = await auditEventsFor("user.disabled");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: admin.id, entity_type: "user", entity_id: user.id, before: '{"disabled_at":null}' });
    expect(JSON.parse(events[0]!.after!)).toEqual({ disabled_at: row.disabled_at });
  });

  it("leaves other people's sessions alone, including the admin's own", async () => {
    const { cookie } = await signedInAdmin();
    const user = await makeUser();
    const bystander = await makeUser();
    const bystanderCookie = await sessionCookieFor(bystander.id);
    await setDisabled(cookie, user.id, "disable");
    expect((await getSessionUser(getDb(), getRequest("/", { cookie: bystanderCookie })))?.id).toBe(bystander.id);
    expect(await getSessionUser(getDb(), getRequest("/", { cookie }))).not.toBeNull();
  });

  it("a disabled user cannot sign in again until re-enabled", async () => {
    const { cookie } = await signedInAdmin();
    const user = await makeUser();
    await setDisabled(cookie, user.id, "disable");
    const refused = await runAction(loginAction, await postForm("/login", { email: user.email, password: TEST_PASSWORD }));
    expect(refused.status).toBe(400);

    const enabled = await setDisabled(cookie, user.id, "enable");
    expect(await enabled.json()).toEqual({ done: "Account enabled." });
    expect((await auditEventsFor("user.enabled")).map((e) => e.entity_id)).toEqual([user.id]);
    const allowed = await runAction(loginAction, await postForm("/login", { email: user.email, password: TEST_PASSWORD }));
    expect(allowed.status).toBe(302);
  });

  it("an admin cannot disable their own account", async () => {
    const { admin, cookie } = await signedInAdmin();
    const response = await setDisabled(cookie, admin.id, "disable");
    expect(response.status).toBe(400);
    expect((await response.json()).errors.form).toBe("You cannot disable your own account.");
    expect(await getSessionUser(getDb(), getRequest("/admin", { cookie }))).not.toBeNull();
  });

  it("an unknown account or intent gets 400 and changes nothing", async () => {
    const { cookie } = await signedInAdmin();
    const user = await makeUser();
    const events = await countOf("audit_event");
    const unknown = await setDisabled(cookie, "no-such-user", "disable");
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors.form).toBe("That account does not exist.");
    const badIntent = await setDisabled(cookie, user.id, "delete");
    expect(badIntent.status).toBe(400);
    expect(await countOf("audit_event")).toBe(events);
  });

  it("only an administrator may disable accounts", async () => {
    const lead = await makeUser({ role: "lead_org" });
    const victim = await makeUser();
    const victimCookie = await sessionCookieFor(victim.id);
    const response = await setDisabled(await sessionCookieFor(lead.id), victim.id, "disable");
    expect(response.status).toBe(403);
    expect((await getSessionUser(getDb(), getRequest("/", { cookie: victimCookie })))?.id).toBe(victim.id);
    const page = await runLoader(usersLoader, getRequest("/admin/users", { cookie: await sessionCookieFor(lead.id) }));
    expect(page.status).toBe(403);
  });
});

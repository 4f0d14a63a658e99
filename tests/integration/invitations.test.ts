import { describe, expect, it } from "vitest";
import { getSessionUser } from "~/auth/session.server";
import { findUserByEmail } from "~/models/user.server";
import { action as invitationsAction, loader as invitationsLoader } from "~/routes/admin.invitations";
import { action as acceptAction, loader as acceptLoader } from "~/routes/invitations.$token";
import { inviteUser } from "~/services/accounts.server";
import { getDb } from "~/utils/db.server";
import { sha256 } from "~/utils/ids.server";
import { actorOf, auditEventsFor, countOf, emailsTo, makeDecisionGroup, makeOrganisation, makeUser, TEST_PASSWORD, tokenFromLink } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor, sessionCookieFrom } from "../support/http";

const DAY = 24 * 60 * 60 * 1000;
const NEW_PASSWORD = "lantern teapot meadow";

async function signedInAdmin() {
  const admin = await makeUser({ role: "admin" });
  return { admin, cookie: await sessionCookieFor(admin.id) };
}

const invite = async (cookie: string, fields: Record<string, string>) => runAction(invitationsAction, await postForm("/admin/invitations", fields, { cookie }));

const accept = async (token: string, fields: Record<string, string>) => runAction(acceptAction, await postForm(`/invitations/${token}`, fields), { token });

describe("inviting someone", () => {
  it("an admin's invitation creates the invitation, an audit event and an email with a link", async () => {
    const { admin, cookie } = await signedInAdmin();
    const group = await makeDecisionGroup();
    const response = await invite(cookie, {
      name: "Rita Resident",
      email: "Rita@Example.test",
      role: "panel_member",
      constituency: "resident",
      decisionGroupId: group.id,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sentTo: "rita@example.test" });

    const invitation = await getDb().selectFrom("invitation").selectAll().where("email", "=", "rita@example.test").executeTakeFirstOrThrow();
    expect(invitation).toMatchObject({
      name: "Rita Resident",
      role: "panel_member",
      constituency: "resident",
      decision_group_id: group.id,
      organisation_id: null,
      invited_by: admin.id,
      accepted_at: null,
    });
    expect(Date.parse(invitation.expires_at) - Date.parse(invitation.created_at)).toBe(7 * DAY);

    const events = await auditEventsFor("invitation.created");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: admin.id, entity_type: "invitation", entity_id: invitation.id });

    const emails = await emailsTo("rita@example.test");
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe("You are invited to the grant decision portal");
    expect(emails[0]!.body_text).toContain("Hello Rita Resident,");
    expect(emails[0]!.body_text).toContain("Panel member");
    const token = tokenFromLink(emails[0]!.body_text, "invitations");
    // Only a hash of the token is stored, so a database leak does not leak working links.
    expect(invitation.token_hash).toBe(sha256(token));
    expect(JSON.stringify(invitation)).not.toContain(token);
    expect(events[0]!.after).not.toContain(token);
  });

  it("the emailed link creates an account with the invited role, constituency and decision group, and signs the person in", async () => {
    const { cookie } = await signedInAdmin();
    const group = await makeDecisionGroup();
    await invite(cookie, { name: "Colin Carter", email: "colin@example.test", role: "panel_member", constituency: "councillor", decisionGroupId: group.id });
    const token = tokenFromLink((await emailsTo("colin@example.test"))[0]!.body_text, "invitations");

    const page = await runLoader(acceptLoader, getRequest(`/invitations/${token}`), { token });
    expect(page.status).toBe(200);
    expect((await page.json()).invitation).toEqual({
      email: "colin@example.test",
      name: "Colin Carter",
      roleLabel: "Panel member (Councillor)",
      hasAccount: false,
    });

    const response = await accept(token, { name: "Cllr Colin Carter", password: NEW_PASSWORD });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/panel");
    const user = await findUserByEmail(getDb(), "colin@example.test");
    expect(user).toMatchObject({ name: "Cllr Colin Carter", disabled_at: null });
    const memberships = await getDb()
      .selectFrom("membership")
      .select(["role", "constituency", "decision_group_id", "organisation_id"])
      .where("user_id", "=", user!.id)
      .execute();
    expect(memberships).toEqual([{ role: "panel_member", constituency: "councillor", decision_group_id: group.id, organisation_id: null }]);
    const signedIn = await getSessionUser(getDb(), getRequest("/panel", { cookie: sessionCookieFrom(response)! }));
    expect(signedIn).toMatchObject({ id: user!.id, role: "panel_member", decisionGroupId: group.id });

    const invitation = await getDb().selectFrom("invitation").select("accepted_at").where("email", "=", "colin@example.test").executeTakeFirstOrThrow();
    expect(invitation.accepted_at).not.toBeNull();
    expect((await auditEventsFor("invitation.accepted")).map((e) => e.actor)).toEqual([user!.id]);
    expect((await auditEventsFor("user.created")).map((e) => e.entity_id)).toEqual([user!.id]);
  });

  it("a lead organisation invitation gives the new account that organisation", async () => {
    const { admin } = await signedInAdmin();
    const org = await makeOrganisation({ kind: "lead_org" });
    const { token } = await inviteUser(getDb(), actorOf(admin), { name: "Lee Lead", email: "lee@example.test", role: "lead_org", organisationId: org.id });
    const response = await accept(token, { name: "Lee Lead", password: NEW_PASSWORD });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/lead");
    const lee = await findUserByEmail(getDb(), "lee@example.test");
    const memberships = await getDb()
      .selectFrom("membership")
      .select(["role", "organisation_id", "constituency", "decision_group_id"])
      .where("user_id", "=", lee!.id)
      .execute();
    expect(memberships).toEqual([{ role: "lead_org", organisation_id: org.id, constituency: null, decision_group_id: null }]);
  });

  it("a second use of the same link fails with a clear message and makes no second account", async () => {
    const { admin } = await signedInAdmin();
    const group = await makeDecisionGroup();
    const { token } = await inviteUser(getDb(), actorOf(admin), { name: "Sam", email: "sam@example.test", role: "adviser", decisionGroupId: group.id });
    expect((await accept(token, { name: "Sam Surveyor", password: NEW_PASSWORD })).status).toBe(302);
    const users = await countOf("user");

    const again = await accept(token, { name: "Sam Again", password: "another good password" });
    expect(again.status).toBe(400);
    expect((await again.json()).errors.form).toBe("This invitation link has already been used or has expired. Ask the fund administrator for a new one.");
    expect(sessionCookieFrom(again)).toBeNull();
    expect(await countOf("user")).toBe(users);
    expect((await findUserByEmail(getDb(), "sam@example.test"))!.name).toBe("Sam Surveyor");

    const page = await runLoader(acceptLoader, getRequest(`/invitations/${token}`), { token });
    expect(page.status).toBe(410);
    expect((await page.json()).problem).toMatch(/already been used or has expired/);
  });

  it("an invitation sent 8 days ago has expired and is refused", async () => {
    const { admin } = await signedInAdmin();
    const group = await makeDecisionGroup();
    const { token } = await inviteUser(
      getDb(),
      actorOf(admin),
      { name: "Old Invite", email: "old@example.test", role: "adviser", decisionGroupId: group.id },
      new Date(Date.now() - 8 * DAY),
    );
    const users = await countOf("user");
    const page = await runLoader(acceptLoader, getRequest(`/invitations/${token}`), { token });
    expect(page.status).toBe(410);
    const response = await accept(token, { name: "Old Invite", password: NEW_PASSWORD });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.form).toMatch(/already been used or has expired/);
    expect(await countOf("user")).toBe(users);
    expect(await findUserByEmail(getDb(), "old@example.test")).toBeUndefined();
  });

  it("a made-up link is refused", async () => {
    const page = await runLoader(acceptLoader, getRequest("/invitations/not-a-real-token"), { token: "not-a-real-token" });
    expect(page.status).toBe(410);
    const response = await accept("not-a-real-token", { name: "Mallory", password: NEW_PASSWORD });
    expect(response.status).toBe(400);
  });

  it("accepting with a short or common password is refused on the password field and leaves the link usable", async () => {
    const { admin } = await signedInAdmin();
    const group = await makeDecisionGroup();
    const { token } = await inviteUser(getDb(), actorOf(admin), { name: "Val", email: "val@example.test", role: "adviser", decisionGroupId: group.id });

    const short = await accept(token, { name: "Val VCSE", password: "short" });
    expect(short.status).toBe(400);
    const shortBody = await short.json();
    expect(shortBody.errors.password).toBe("Password must be at least 10 characters");
    expect(shortBody.values).toEqual({ name: "Val VCSE" });

    const common = await accept(token, { name: "Val VCSE", password: "qwertyuiop123" });
    expect(common.status).toBe(400);
    const commonBody = await common.json();
    expect(commonBody.errors.password).toMatch(/too common/);
    expect(JSON.stringify(commonBody)).not.toContain("qwertyuiop123");

    expect(await findUserByEmail(getDb(), "val@example.test")).toBeUndefined();
    expect((await accept(token, { name: "Val VCSE", password: NEW_PASSWORD })).status).toBe(302);
  });

  it("an invitation to someone who already has an account adds a role to it when they enter their own password", async () => {
    const { cookie } = await signedInAdmin();
    const group = await makeDecisionGroup();
    const existing = await makeUser({ role: "panel_member", decisionGroupId: (await makeDecisionGroup()).id, constituency: "resident" });
    const response = await invite(cookie, { name: "Back Again", email: existing.email, role: "panel_member", constituency: "vcse", decisionGroupId: group.id });
    expect(response.status).toBe(200);
    const [email] = await emailsTo(existing.email);
    expect(email!.body_text).toContain("You already have an account");
    const token = tokenFromLink(email!.body_text, "invitations");
    expect((await (await runLoader(acceptLoader, getRequest(`/invitations/${token}`), { token })).json()).invitation.hasAccount).toBe(true);

    const wrong = await accept(token, { name: "Back Again", password: "not the right password" });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).errors.password).toMatch(/not the password for this account/);

    const accepted = await accept(token, { name: "Back Again", password: TEST_PASSWORD });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("Location")).toBe("/home");
    const memberships = await getDb()
      .selectFrom("membership")
      .select(["decision_group_id", "constituency"])
      .where("user_id", "=", existing.id)
      .orderBy("constituency")
      .execute();
    expect(memberships).toEqual([
      { decision_group_id: existing.decision_group_id, constituency: "resident" },
      { decision_group_id: group.id, constituency: "vcse" },
    ]);
    expect(await getDb().selectFrom("user").select("id").where("email", "=", existing.email).execute()).toHaveLength(1);
  });

  it("inviting someone to a role they already hold is refused on the email field", async () => {
    const { cookie } = await signedInAdmin();
    const group = await makeDecisionGroup();
    const existing = await makeUser({ role: "panel_member", decisionGroupId: group.id });
    const before = await countOf("invitation");
    const response = await invite(cookie, { name: "Dup", email: existing.email, role: "panel_member", constituency: "resident", decisionGroupId: group.id });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.email).toBe("This person already has that role.");
    expect(await countOf("invitation")).toBe(before);
  });

  it("a missing name is refused with the other typed values kept", async () => {
    const { cookie } = await signedInAdmin();
    const before = [await countOf("invitation"), await countOf("email_outbox"), await countOf("audit_event")];
    const response = await invite(cookie, { name: "", email: "new.admin@example.test", role: "admin" });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(Object.keys(body.errors)).toEqual(["name"]);
    expect(body.errors.name).toBe("Enter the person's full name");
    expect(body.values).toMatchObject({ name: "", email: "new.admin@example.test", role: "admin" });
    expect([await countOf("invitation"), await countOf("email_outbox"), await countOf("audit_event")]).toEqual(before);
  });

  it("a panel member without a constituency or decision group is refused on both fields", async () => {
    const { cookie } = await signedInAdmin();
    const before = await countOf("invitation");
    const response = await invite(cookie, { name: "Pat Panel", email: "pat@example.test", role: "panel_member" });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toEqual({
      constituency: "Choose the panel member's constituency",
      decisionGroupId: "Choose the decision group they will sit on",
    });
    expect(body.values).toEqual({ name: "Pat Panel", email: "pat@example.test", role: "panel_member" });
    expect(await countOf("invitation")).toBe(before);
  });

  it("a panel member with a made-up constituency is refused", async () => {
    const { cookie } = await signedInAdmin();
    const group = await makeDecisionGroup();
    const response = await invite(cookie, { name: "Pat", email: "pat2@example.test", role: "panel_member", constituency: "mayor", decisionGroupId: group.id });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.constituency).toBe("Choose the panel member's constituency");
    expect(body.values.constituency).toBe("mayor");
  });

  it("lead organisation staff without an organisation are refused on the organisation field", async () => {
    const { cookie } = await signedInAdmin();
    const response = await invite(cookie, { name: "Lou Lead", email: "lou@example.test", role: "lead_org" });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toEqual({ organisationId: "Choose the lead organisation they work for" });
    expect(body.values).toEqual({ name: "Lou Lead", email: "lou@example.test", role: "lead_org" });
  });

  it("a lead organisation that is really a community group is refused", async () => {
    const { cookie } = await signedInAdmin();
    const group = await makeOrganisation({ kind: "community_group" });
    const response = await invite(cookie, { name: "Lou Lead", email: "lou2@example.test", role: "lead_org", organisationId: group.id });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.organisationId).toBe("Choose a lead organisation from the list");
  });

  it("an applicant cannot be invited, and an unknown role is refused", async () => {
    const { cookie } = await signedInAdmin();
    for (const role of ["applicant", "superuser", ""]) {
      const response = await invite(cookie, { name: "Ann", email: "ann@example.test", role });
      expect(response.status, role).toBe(400);
      expect((await response.json()).errors.role).toBe("Choose the role they will have");
    }
  });

  it("only an administrator may send invitations", async () => {
    const lead = await makeUser({ role: "lead_org" });
    const before = await countOf("invitation");
    const response = await invite(await sessionCookieFor(lead.id), { name: "Eve", email: "eve@example.test", role: "admin" });
    expect(response.status).toBe(403);
    expect(await countOf("invitation")).toBe(before);
    const page = await runLoader(invitationsLoader, getRequest("/admin/invitations", { cookie: await sessionCookieFor(lead.id) }));
    expect(page.status).toBe(403);
  });
});

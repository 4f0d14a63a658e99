import { describe, expect, it } from "vitest";
import { getSessionUser } from "~/auth/session.server";
import { loader as homeLoader } from "~/routes/applicant._index";
import { action as groupAction, loader as groupLoader } from "~/routes/applicant.group";
import { acceptInvitation } from "~/services/accounts.server";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, emailsTo, makeDecisionGroup, makeOrganisation, makeProposal, makeUser, TEST_PASSWORD, tokenFromLink } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

const PROFILE = {
  intent: "profile",
  name: "Easton Repair Café",
  orgType: "charity",
  registrationNumber: "1234567",
  address: "12 Chelsea Road\nBristol",
  postcode: "bs5 6ah",
  contactName: "Priya Shah",
  contactEmail: "Priya@Example.org",
  contactPhone: "0117 496 0000",
};

async function newApplicant() {
  const user = await makeUser();
  return { user, cookie: await sessionCookieFor(user.id) };
}

describe("a community group's profile", () => {
  it("an applicant without a group creates its profile and becomes its member", async () => {
    const { user, cookie } = await newApplicant();
    const response = await runAction(groupAction, await postForm("/applicant/group", PROFILE, { cookie }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/applicant/group?saved=created");
    const member = await getDb()
      .selectFrom("membership")
      .select("organisation_id")
      .where("user_id", "=", user.id)
      .where("role", "=", "applicant")
      .executeTakeFirstOrThrow();
    const org = await getDb().selectFrom("organisation").selectAll().where("id", "=", member.organisation_id!).executeTakeFirstOrThrow();
    expect(org).toMatchObject({
      name: "Easton Repair Café",
      kind: "community_group",
      org_type: "charity",
      registration_number: "1234567",
      postcode: "BS5 6AH",
      contact_email: "priya@example.org",
      created_by: user.id,
    });
    expect(await auditEventsFor("organisation.created")).toEqual(expect.arrayContaining([expect.objectContaining({ entity_id: org.id })]));
    const signedIn = await getSessionUser(getDb(), getRequest("/", { cookie }));
    expect(signedIn?.organisationId).toBe(org.id);
  });

  it("a charity without its number and a postcode that is not a UK postcode are refused, keeping what was typed", async () => {
    const { user, cookie } = await newApplicant();
    const response = await runAction(groupAction, await postForm("/applicant/group", { ...PROFILE, registrationNumber: "", postcode: "12345" }, { cookie }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toEqual({ registrationNumber: "Enter your charity number", postcode: "Enter a real UK postcode, like BS5 9QA" });
    expect(body.values).toMatchObject({ name: "Easton Repair Café", postcode: "12345" });
    // Nothing was created: no group, and the person is still nobody's member.
    expect(await getDb().selectFrom("membership").select("id").where("user_id", "=", user.id).execute()).toEqual([]);
  });

  it("an unincorporated group does not need a registration number", async () => {
    const { cookie } = await newApplicant();
    const response = await runAction(
      groupAction,
      await postForm("/applicant/group", { ...PROFILE, name: "Knowle West Tenants", orgType: "unincorporated", registrationNumber: "" }, { cookie }),
    );
    expect(response.status).toBe(302);
  });

  it("a member can change the group's profile, and the change is audited", async () => {
    const org = await makeOrganisation();
    const user = await makeUser({ organisationId: org.id });
    const cookie = await sessionCookieFor(user.id);
    const response = await runAction(groupAction, await postForm("/applicant/group", { ...PROFILE, name: "Easton Fixers" }, { cookie }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/applicant/group?saved=updated");
    const row = await getDb().selectFrom("organisation").select(["name", "postcode"]).where("id", "=", org.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: "Easton Fixers", postcode: "BS5 6AH" });
    expect(await auditEventsFor("organisation.updated")).toEqual([expect.objectContaining({ entity_id: org.id, actor: user.id })]);
    const page = await (await runLoader(groupLoader, getRequest("/applicant/group", { cookie }))).json();
    expect(page.profile.name).toBe("Easton Fixers");
    expect(page.members.map((m: { id: string }) => m.id)).toEqual([user.id]);
  });

  it("a member invites someone, who joins the same group by accepting the emailed link", async () => {
    const org = await makeOrganisation();
    const user = await makeUser({ organisationId: org.id });
    const cookie = await sessionCookieFor(user.id);
    const response = await runAction(
      groupAction,
      await postForm("/applicant/group", { intent: "invite", inviteName: "Sam Lee", inviteEmail: "sam@example.org" }, { cookie }),
    );
    expect(response.status).toBe(200);
    expect((await response.json()).invitedTo).toBe("sam@example.org");
    const invitation = await getDb().selectFrom("invitation").selectAll().where("email", "=", "sam@example.org").executeTakeFirstOrThrow();
    expect(invitation).toMatchObject({ role: "applicant", organisation_id: org.id, invited_by: user.id });
    const [email] = await emailsTo("sam@example.org");
    expect(email!.subject).toContain(org.name);

    const newUserId = await acceptInvitation(getDb(), tokenFromLink(email!.body_text, "invitations"), {
      name: "Sam Lee",
      password: "a long enough passphrase",
    });
    const joined = await getDb().selectFrom("membership").select(["role", "organisation_id"]).where("user_id", "=", newUserId).executeTakeFirstOrThrow();
    expect(joined).toEqual({ role: "applicant", organisation_id: org.id });
  });

  it("someone who already has an account is invited too: accepting with their password adds the group to that account", async () => {
    const org = await makeOrganisation();
    const user = await makeUser({ organisationId: org.id });
    const existing = await makeUser({ role: "panel_member", decisionGroupId: (await makeDecisionGroup()).id });
    const response = await runAction(
      groupAction,
      await postForm("/applicant/group", { intent: "invite", inviteName: "Someone", inviteEmail: existing.email }, { cookie: await sessionCookieFor(user.id) }),
    );
    expect(response.status).toBe(200);
    const [email] = await emailsTo(existing.email);
    expect(email!.body_text).toContain("You already have an account");
    const userId = await acceptInvitation(getDb(), tokenFromLink(email!.body_text, "invitations"), { name: "Ignored", password: TEST_PASSWORD });
    expect(userId).toBe(existing.id);
    const roles = await getDb()
      .selectFrom("membership")
      .select(["role", "organisation_id"])
      .where("user_id", "=", existing.id)
      .where("ended_at", "is", null)
      .orderBy("role")
      .execute();
    expect(roles).toEqual([
      { role: "applicant", organisation_id: org.id },
      { role: "panel_member", organisation_id: null },
    ]);
  });

  it("inviting someone who is already a member is refused on the email field", async () => {
    const org = await makeOrganisation();
    const user = await makeUser({ organisationId: org.id });
    const other = await makeUser({ organisationId: org.id, name: "Already Here" });
    const response = await runAction(
      groupAction,
      await postForm("/applicant/group", { intent: "invite", inviteName: "Someone", inviteEmail: other.email }, { cookie: await sessionCookieFor(user.id) }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).errors.inviteEmail).toBe(`Already Here is already a member of ${org.name}.`);
  });

  it("someone with another role and no group is offered to set one up, and then also belongs to it", async () => {
    const leadOrg = await makeOrganisation({ kind: "lead_org" });
    const lead = await makeUser({ role: "lead_org", organisationId: leadOrg.id });
    const cookie = await sessionCookieFor(lead.id);
    const page = await runLoader(groupLoader, getRequest("/applicant/group", { cookie }));
    expect(page.status).toBe(200);
    expect((await page.json()).profile).toBeNull();
    const response = await runAction(
      groupAction,
      await postForm("/applicant/group", { ...PROFILE, name: "Filwood Men's Shed", registrationNumber: "7654321" }, { cookie }),
    );
    expect(response.status).toBe(302);
    const roles = await getDb().selectFrom("membership").select(["role", "organisation_id"]).where("user_id", "=", lead.id).orderBy("role").execute();
    expect(roles).toEqual([
      { role: "applicant", organisation_id: expect.any(String) },
      { role: "lead_org", organisation_id: leadOrg.id },
    ]);
  });
});

describe("the applicant's home page", () => {
  it("without a group, it asks them to set up the profile and offers no proposals", async () => {
    const { cookie } = await newApplicant();
    const data = await (await runLoader(homeLoader, getRequest("/applicant", { cookie }))).json();
    expect(data).toMatchObject({ organisation: null, proposals: [], notices: [] });
  });

  it("lists only the group's own proposals with where each is and what happens next, and the group's notices", async () => {
    const org = await makeOrganisation();
    const user = await makeUser({ organisationId: org.id });
    const group = await makeDecisionGroup({ name: "Inner City and East" });
    const ours = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, status: "submitted" });
    await makeProposal({ decisionGroupId: group.id, organisationId: (await makeOrganisation()).id });
    await getDb()
      .insertInto("notification")
      .values({ id: "n1", organisation_id: org.id, proposal_id: ours.id, body: "Your proposal was submitted.", created_at: new Date().toISOString() })
      .execute();
    const data = await (await runLoader(homeLoader, getRequest("/applicant", { cookie: await sessionCookieFor(user.id) }))).json();
    expect(data.proposals).toEqual([
      expect.objectContaining({
        id: ours.id,
        status: "Submitted to lead organisation",
        decisionGroup: expect.stringContaining("Inner City and East"),
        next: expect.stringContaining("Your lead organisation is reading the proposal"),
      }),
    ]);
    expect(data.notices.map((n: { body: string }) => n.body)).toEqual(["Your proposal was submitted."]);
  });
});

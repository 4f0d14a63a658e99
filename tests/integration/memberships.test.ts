import { describe, expect, it } from "vitest";
import { getSessionUser } from "~/auth/session.server";
import { loader as rootLoader } from "~/root";
import { action as usersAction } from "~/routes/admin.users";
import { action as homeAction, loader as homeLoader } from "~/routes/home";
import { action as loginAction } from "~/routes/login";
import { loader as panelHomeLoader } from "~/routes/panel._index";
import { loader as scoreLoader } from "~/routes/panel.proposals.$proposalId";
import { getPublishedResults } from "~/models/published-results.server";
import { getDb } from "~/utils/db.server";
import { addMembership, auditEventsFor, makeDecisionGroup, makeFund, makeOrganisation, makeProposal, makeUser, TEST_PASSWORD } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

/** A fund with one decision group, its lead organisation, and two community groups with a proposal each under panel review. */
async function area() {
  const fund = await makeFund();
  const lead = await makeOrganisation({ kind: "lead_org", name: "Anchor Trust" });
  const group = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id, name: "Inner City" });
  const kitchen = await makeOrganisation({ name: "Kitchen Collective" });
  const garden = await makeOrganisation({ name: "Garden Friends" });
  const kitchenProposal = await makeProposal({ decisionGroupId: group.id, organisationId: kitchen.id, status: "under_review" });
  const gardenProposal = await makeProposal({ decisionGroupId: group.id, organisationId: garden.id, status: "under_review" });
  return { fund, lead, group, kitchen, garden, kitchenProposal, gardenProposal };
}

const queueIds = async (cookie: string) => {
  const response = await runLoader(panelHomeLoader, getRequest("/panel", { cookie }));
  expect(response.status).toBe(200);
  return ((await response.json()).queue as { id: string }[]).map((p) => p.id);
};

describe("one person with several memberships", () => {
  it("lands on Your roles after signing in, which lists what each role asks of them", async () => {
    const a = await area();
    const person = await makeUser({ role: "applicant", organisationId: a.kitchen.id, name: "Morgan" });
    await addMembership(person.id, { role: "panel_member", decisionGroupId: (await makeDecisionGroup()).id, constituency: "resident" });
    await addMembership(person.id, { role: "lead_org", organisationId: a.lead.id });

    const signIn = await runAction(loginAction, await postForm("/login", { email: person.email, password: TEST_PASSWORD }));
    expect(signIn.status).toBe(302);
    expect(signIn.headers.get("Location")).toBe("/home");

    const home = await (await runLoader(homeLoader, getRequest("/home", { cookie: await sessionCookieFor(person.id) }))).json();
    expect(home.roles.map((r: { label: string }) => r.label)).toEqual([
      expect.stringMatching(/^Panel member \(Resident\), /),
      "Lead organisation, Anchor Trust",
      "Applicant, Kitchen Collective",
    ]);
    const panel = home.roles[0];
    expect(panel.tasks).toEqual(["Declare your interests for this round before you see the proposals"]);
    // The garden's proposal was submitted to the lead organisation's area and waits for its support.
    await makeProposal({ decisionGroupId: a.group.id, organisationId: a.garden.id, status: "submitted" });
    const again = await (await runLoader(homeLoader, getRequest("/home", { cookie: await sessionCookieFor(person.id) }))).json();
    expect(again.roles[1].tasks).toEqual(["1 proposal waiting for your support"]);
  });

  it("acts under the role they choose, and every page's header says which", async () => {
    const a = await area();
    const person = await makeUser({ role: "applicant", organisationId: a.kitchen.id });
    const leadHat = await addMembership(person.id, { role: "lead_org", organisationId: a.lead.id });
    const cookie = await sessionCookieFor(person.id);

    const header = async () => (await (await runLoader(rootLoader, getRequest("/", { cookie }))).json()).user;
    expect(await header()).toMatchObject({ hatLabel: "Lead organisation, Anchor Trust", hatCount: 2 });

    const applicantHat = person.membershipId!;
    const response = await runAction(homeAction, await postForm("/home", { membershipId: applicantHat }, { cookie }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/applicant");
    expect(await header()).toMatchObject({
      hatLabel: "Applicant, Kitchen Collective",
      nav: expect.arrayContaining([{ to: "/applicant/group", label: "Your group" }]),
    });
    const events = await auditEventsFor("membership.worn");
    expect(events.at(-1)).toMatchObject({ actor: person.id, entity_id: applicantHat });

    // Someone else's membership cannot be worn.
    const stranger = await makeUser({ role: "admin" });
    const refused = await runAction(homeAction, await postForm("/home", { membershipId: stranger.membershipId! }, { cookie }));
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors.membershipId).toBe("Choose one of your roles");
    expect((await getSessionUser(getDb(), getRequest("/", { cookie })))!.membershipId).toBe(applicantHat);
    expect(leadHat).not.toBe(applicantHat);
  });

  it("following a link that needs another of their roles switches to it", async () => {
    const a = await area();
    const person = await makeUser({ role: "applicant", organisationId: a.garden.id });
    const panelHat = await addMembership(person.id, { role: "panel_member", decisionGroupId: a.group.id, hasDeclaredInterests: true });
    const cookie = await sessionCookieFor(person.id);
    const before = await getSessionUser(getDb(), getRequest("/", { cookie }));
    expect(before!.role).toBe("panel_member");
    await runAction(homeAction, await postForm("/home", { membershipId: person.membershipId! }, { cookie }));
    expect((await getSessionUser(getDb(), getRequest("/", { cookie })))!.role).toBe("applicant");

    expect(await queueIds(cookie)).toEqual([a.kitchenProposal.id]);
    const after = await getSessionUser(getDb(), getRequest("/", { cookie }));
    expect(after).toMatchObject({ role: "panel_member", membershipId: panelHat });
  });

  it("a panel member who belongs to an applicant group is recused from its proposals without declaring anything", async () => {
    const a = await area();
    const member = await makeUser({ role: "panel_member", decisionGroupId: a.group.id, hasDeclaredInterests: true });
    const cookie = await sessionCookieFor(member.id);
    expect((await queueIds(cookie)).sort()).toEqual([a.gardenProposal.id, a.kitchenProposal.id].sort());

    await addMembership(member.id, { role: "applicant", organisationId: a.kitchen.id });
    expect(await queueIds(cookie)).toEqual([a.gardenProposal.id]);
    const page = await runLoader(scoreLoader, getRequest(`/panel/proposals/${a.kitchenProposal.id}`, { cookie }), { proposalId: a.kitchenProposal.id });
    expect(page.status).toBe(403);
    expect(await getDb().selectFrom("interest_declaration").select("id").where("user_id", "=", member.id).execute()).toEqual([]);
  });

  it("a panel member who works for the area's lead organisation is recused from all its proposals", async () => {
    const a = await area();
    const member = await makeUser({ role: "panel_member", decisionGroupId: a.group.id, hasDeclaredInterests: true });
    await addMembership(member.id, { role: "lead_org", organisationId: a.lead.id });
    const cookie = await sessionCookieFor(member.id);
    expect(await queueIds(cookie)).toEqual([]);
  });

  it("interests are declared per panel membership: a new round's panel asks afresh", async () => {
    const a = await area();
    const lastRound = await makeDecisionGroup({ name: "Last year" });
    const member = await makeUser({ role: "panel_member", decisionGroupId: lastRound.id, hasDeclaredInterests: true });
    await getDb().updateTable("membership").set({ ended_at: new Date().toISOString() }).where("id", "=", member.membershipId!).execute();
    await addMembership(member.id, { role: "panel_member", decisionGroupId: a.group.id });
    const response = await runLoader(panelHomeLoader, getRequest("/panel", { cookie: await sessionCookieFor(member.id) }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/panel/interests");
  });
});

describe("ending a role", () => {
  it("an administrator ends someone's panel role: they keep their account and other roles, and lose the panel", async () => {
    const a = await area();
    const admin = await makeUser({ role: "admin" });
    const member = await makeUser({ role: "panel_member", decisionGroupId: a.group.id, hasDeclaredInterests: true });
    await addMembership(member.id, { role: "applicant", organisationId: a.garden.id });
    const response = await runAction(
      usersAction,
      await postForm("/admin/users", { intent: "end-role", membershipId: member.membershipId! }, { cookie: await sessionCookieFor(admin.id) }),
    );
    expect(response.status).toBe(200);
    const row = await getDb().selectFrom("membership").select(["ended_at"]).where("id", "=", member.membershipId!).executeTakeFirstOrThrow();
    expect(row.ended_at).not.toBeNull();
    expect((await auditEventsFor("membership.ended")).at(-1)).toMatchObject({ actor: admin.id, entity_id: member.membershipId });

    const cookie = await sessionCookieFor(member.id);
    expect((await runLoader(panelHomeLoader, getRequest("/panel", { cookie }))).status).toBe(403);
    expect(await getSessionUser(getDb(), getRequest("/", { cookie }))).toMatchObject({
      role: "applicant",
      memberships: [expect.objectContaining({ role: "applicant" })],
    });
  });

  it("nobody but an administrator may end a role, and an unknown role is a 400 with nothing changed", async () => {
    const a = await area();
    const member = await makeUser({ role: "panel_member", decisionGroupId: a.group.id });
    const lead = await makeUser({ role: "lead_org", organisationId: a.lead.id });
    const forbidden = await runAction(
      usersAction,
      await postForm("/admin/users", { intent: "end-role", membershipId: member.membershipId! }, { cookie: await sessionCookieFor(lead.id) }),
    );
    expect(forbidden.status).toBe(403);
    const admin = await makeUser({ role: "admin" });
    const unknown = await runAction(
      usersAction,
      await postForm("/admin/users", { intent: "end-role", membershipId: "no-such-role" }, { cookie: await sessionCookieFor(admin.id) }),
    );
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors.form).toBe("We could not find that role.");
    const row = await getDb().selectFrom("membership").select("ended_at").where("id", "=", member.membershipId!).executeTakeFirstOrThrow();
    expect(row.ended_at).toBeNull();
  });
});

describe("a fund's history", () => {
  it("keeps an ended panel membership, and the name its owner agreed to publish, in the fund's published composition", async () => {
    const fund = await makeFund();
    const group = await makeDecisionGroup({ fundId: fund.id });
    const member = await makeUser({ role: "panel_member", decisionGroupId: group.id, constituency: "councillor", name: "Cllr Ada Moved-On" });
    await makeUser({ role: "panel_member", decisionGroupId: group.id, constituency: "resident" });
    await getDb().updateTable("membership").set({ ended_at: new Date().toISOString(), is_name_public: 1 }).where("id", "=", member.membershipId!).execute();
    const [published] = await getPublishedResults(getDb(), fund.id);
    expect(published!.panel).toMatchObject({
      total: 2,
      counts: { councillor: 1, resident: 1, vcse: 0 },
      publicNames: [{ name: "Cllr Ada Moved-On", constituency: "councillor", isChair: false }],
    });
  });
});

import { describe, expect, it } from "vitest";
import { loader as invitationsLoader } from "~/routes/admin.invitations";
import { action as editGroupAction, loader as editGroupLoader } from "~/routes/admin.funds.$fundId.groups.$groupId";
import { action as groupsAction, loader as groupsLoader } from "~/routes/admin.funds.$fundId.groups._index";
import { action as organisationsAction, loader as organisationsLoader } from "~/routes/admin.organisations";
import { getDb } from "~/utils/db.server";
import { makeDecisionGroup, makeFund, makeUser } from "../factories";
import { auditCount, auditTrailOf, makeLeadOrganisation, signedIn } from "../support/funds";
import { getRequest, postForm, ORIGIN, runAction, runLoader } from "../support/http";

/** A POST with one field sent several times, as ticked checkboxes are. */
async function postGroup(path: string, fields: Record<string, string>, leadOrganisationIds: string[], cookie: string) {
  const request = await postForm(path, fields, { cookie });
  const body = new URLSearchParams(await request.text());
  for (const id of leadOrganisationIds) body.append("leadOrganisationIds", id);
  return new Request(`${ORIGIN}${path}`, { method: "POST", headers: request.headers, body });
}

const groupFields = { name: "East Central", area: "Easton, Lawrence Hill and St Philips", pot: "£500,000", minGrant: "50000", maxGrant: "200000" };

const leadLinks = (groupId: string) =>
  getDb().selectFrom("decision_group_lead_org").select("organisation_id").where("decision_group_id", "=", groupId).execute();

describe("adding a decision group", () => {
  it("an administrator adds a group with its pot, grant range and lead organisations; all written and audited", async () => {
    const { user, cookie } = await signedIn("admin");
    const fund = await makeFund({ budgetPence: 100_000_000 });
    const [a, b] = [await makeLeadOrganisation(), await makeLeadOrganisation()];
    const path = `/admin/funds/${fund.id}/groups`;
    const response = await runAction(groupsAction, await postGroup(path, groupFields, [a.id, b.id], cookie), { fundId: fund.id });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`${path}?done=added`);
    const group = await getDb().selectFrom("decision_group").selectAll().where("fund_id", "=", fund.id).executeTakeFirstOrThrow();
    expect(group).toMatchObject({ name: "East Central", pot_pence: 50_000_000, min_grant_pence: 5_000_000, max_grant_pence: 20_000_000 });
    expect((await leadLinks(group.id)).map((l) => l.organisation_id).sort()).toEqual([a.id, b.id].sort());
    const [event] = await auditTrailOf("decision_group", group.id);
    expect(event).toMatchObject({ action: "decision_group.created", actor: user.id });
    expect(JSON.parse(event!.after!).leadOrganisationIds.sort()).toEqual([a.id, b.id].sort());
  });

  it("pots that would exceed the fund's budget are refused, saying by how much and the most this pot can be", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund({ budgetPence: 80_000_000 }); // £800,000
    await makeDecisionGroup({ fundId: fund.id }); // pot £500,000
    const lead = await makeLeadOrganisation();
    const before = await auditCount();
    const path = `/admin/funds/${fund.id}/groups`;
    const response = await runAction(groupsAction, await postGroup(path, groupFields, [lead.id], cookie), { fundId: fund.id });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.pot).toBe(
      "The decision groups' pots would add up to £1,000,000, which is £200,000 more than the fund's total budget of £800,000. The most this pot can be is £300,000",
    );
    expect(body.values).toMatchObject({ ...groupFields, leadOrganisationIds: lead.id });
    expect(await auditCount()).toBe(before);
  });

  it.each([
    ["a minimum above the maximum", { minGrant: "250000" }, "minGrant", "The minimum grant must be the same as or less than the maximum grant"],
    ["a maximum above the pot", { maxGrant: "600000" }, "maxGrant", "The maximum grant must be the same as or less than the pot (£500,000)"],
    ["a pot of abc", { pot: "abc" }, "pot", "Enter the pot as an amount of money, like 50000 or £50,000.00"],
    ["a missing name", { name: "" }, "name", "Enter the decision group's name"],
  ])("%s is refused with 400 and the input kept", async (_label, change, field, message) => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    const lead = await makeLeadOrganisation();
    const path = `/admin/funds/${fund.id}/groups`;
    const response = await runAction(groupsAction, await postGroup(path, { ...groupFields, ...change }, [lead.id], cookie), { fundId: fund.id });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[field]).toBe(message);
    expect(body.values).toMatchObject({ ...groupFields, ...change });
  });

  it("a group needs at least one lead organisation, and only real lead organisations", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    const path = `/admin/funds/${fund.id}/groups`;
    const none = await runAction(groupsAction, await postGroup(path, groupFields, [], cookie), { fundId: fund.id });
    expect(none.status).toBe(400);
    expect((await none.json()).errors.leadOrganisationIds).toBe("Choose at least one lead organisation");
    const communityGroup = await getDb()
      .insertInto("organisation")
      .values({ id: "not-a-lead-org", name: "A community group", kind: "community_group", created_at: new Date().toISOString() })
      .returning("id")
      .executeTakeFirstOrThrow();
    const wrong = await runAction(groupsAction, await postGroup(path, groupFields, [communityGroup.id], cookie), { fundId: fund.id });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).errors.leadOrganisationIds).toBe("Choose lead organisations from the list");
  });

  it("the page lists the fund's groups with their lead organisations", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    const lead = await makeLeadOrganisation({ name: "Easton Community Centre" });
    await makeDecisionGroup({ fundId: fund.id, name: "East", leadOrganisationId: lead.id });
    const response = await runLoader(groupsLoader, getRequest(`/admin/funds/${fund.id}/groups`, { cookie }), { fundId: fund.id });
    const data = await response.json();
    expect(data.groups).toMatchObject([{ name: "East", leadOrganisations: [{ name: "Easton Community Centre" }] }]);
  });
});

describe("changing a decision group", () => {
  it("changing a group replaces its lead organisations and audits before and after", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund({ budgetPence: 100_000_000 });
    const [oldLead, newLead] = [await makeLeadOrganisation(), await makeLeadOrganisation()];
    const group = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: oldLead.id });
    const path = `/admin/funds/${fund.id}/groups/${group.id}`;
    // The group's own pot does not count twice: £1,000,000 fits a £1,000,000 budget.
    const response = await runAction(editGroupAction, await postGroup(path, { ...groupFields, pot: "1000000" }, [newLead.id], cookie), {
      fundId: fund.id,
      groupId: group.id,
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/admin/funds/${fund.id}/groups?done=saved`);
    expect(await leadLinks(group.id)).toEqual([{ organisation_id: newLead.id }]);
    const [event] = await auditTrailOf("decision_group", group.id);
    expect(event!.action).toBe("decision_group.updated");
    expect(JSON.parse(event!.before!)).toMatchObject({ pot_pence: 50_000_000, leadOrganisationIds: [oldLead.id] });
    expect(JSON.parse(event!.after!)).toMatchObject({ pot_pence: 100_000_000, leadOrganisationIds: [newLead.id] });
  });

  it("raising a pot past the budget is refused and nothing changes", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund({ budgetPence: 100_000_000 });
    const lead = await makeLeadOrganisation();
    const group = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id });
    await makeDecisionGroup({ fundId: fund.id });
    const path = `/admin/funds/${fund.id}/groups/${group.id}`;
    const response = await runAction(editGroupAction, await postGroup(path, { ...groupFields, pot: "500000.01" }, [lead.id], cookie), {
      fundId: fund.id,
      groupId: group.id,
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.pot).toMatch(/which is £0\.01 more than the fund's total budget of £1,000,000/);
    const row = await getDb().selectFrom("decision_group").select("pot_pence").where("id", "=", group.id).executeTakeFirstOrThrow();
    expect(row.pot_pence).toBe(50_000_000);
  });

  it("a group is only found through its own fund", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    const otherGroup = await makeDecisionGroup();
    const params = { fundId: fund.id, groupId: otherGroup.id };
    expect((await runLoader(editGroupLoader, getRequest(`/admin/funds/${fund.id}/groups/${otherGroup.id}`, { cookie }), params)).status).toBe(404);
    const lead = await makeLeadOrganisation();
    const post = await postGroup(`/admin/funds/${fund.id}/groups/${otherGroup.id}`, groupFields, [lead.id], cookie);
    expect((await runAction(editGroupAction, post, params)).status).toBe(404);
  });
});

const orgFields = {
  name: "Knowle West Community Hub",
  contactName: "Sam Jones",
  contactEmail: "Sam@KWHub.example",
  contactPhone: "0117 496 0000",
  address: "1 Filwood Broadway\nBristol",
  postcode: "bs4 1jn",
};

describe("lead organisations", () => {
  it("an administrator registers a lead organisation with its contact details, audited", async () => {
    const { user, cookie } = await signedIn("admin");
    const response = await runAction(organisationsAction, await postForm("/admin/organisations", orgFields, { cookie }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/admin/organisations?done=registered");
    const org = await getDb().selectFrom("organisation").selectAll().where("name", "=", orgFields.name).executeTakeFirstOrThrow();
    expect(org).toMatchObject({
      kind: "lead_org",
      contact_email: "sam@kwhub.example",
      postcode: "BS4 1JN",
      contact_phone: "0117 496 0000",
      created_by: user.id,
    });
    expect(await auditTrailOf("organisation", org.id)).toMatchObject([{ action: "organisation.registered", actor: user.id }]);
  });

  it.each([
    ["no name", { name: "" }, "name", "Enter the organisation's name"],
    ["no contact email", { contactEmail: "" }, "contactEmail", "Enter the contact's email address"],
    ["a badly written email", { contactEmail: "sam at hub" }, "contactEmail", "Enter an email address in the correct format, like name@example.com"],
    ["a postcode that is not one", { postcode: "ABC" }, "postcode", "Enter a real postcode, like BS1 5TR"],
  ])("%s is refused with 400 and the input kept", async (_label, change, field, message) => {
    const { cookie } = await signedIn("admin");
    const response = await runAction(organisationsAction, await postForm("/admin/organisations", { ...orgFields, ...change }, { cookie }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[field]).toBe(message);
    expect(body.values).toMatchObject({ ...orgFields, ...change });
  });

  it("a second lead organisation with the same name is refused", async () => {
    const { cookie } = await signedIn("admin");
    await makeLeadOrganisation({ name: "Barton Hill Settlement" });
    const response = await runAction(organisationsAction, await postForm("/admin/organisations", { ...orgFields, name: "barton hill settlement" }, { cookie }));
    expect(response.status).toBe(400);
    expect((await response.json()).errors.name).toBe("A lead organisation with this name is already registered");
  });

  it("the list shows the decision groups each serves and how many staff accounts it has", async () => {
    const { cookie } = await signedIn("admin");
    const lead = await makeLeadOrganisation({ name: "AAA Lead organisation" });
    const fund = await makeFund({ name: "Resilience" });
    await makeDecisionGroup({ fundId: fund.id, name: "South", leadOrganisationId: lead.id });
    await makeUser({ role: "lead_org", organisationId: lead.id });
    await makeUser({ role: "lead_org", organisationId: lead.id });
    const response = await runLoader(organisationsLoader, getRequest("/admin/organisations", { cookie }));
    const { organisations } = await response.json();
    expect(organisations.rows.find((o: { id: string }) => o.id === lead.id)).toMatchObject({
      staffCount: 2,
      groups: [{ name: "South", fundName: "Resilience" }],
    });
  });

  it("the invite link preselects lead organisation staff and the organisation", async () => {
    const { cookie } = await signedIn("admin");
    const lead = await makeLeadOrganisation();
    const response = await runLoader(invitationsLoader, getRequest(`/admin/invitations?role=lead_org&organisationId=${lead.id}`, { cookie }));
    expect((await response.json()).preset).toEqual({ role: "lead_org", organisationId: lead.id });
    const ignored = await runLoader(invitationsLoader, getRequest("/admin/invitations?role=applicant&organisationId=nope", { cookie }));
    expect((await ignored.json()).preset).toEqual({});
  });
});

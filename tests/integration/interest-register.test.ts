import { describe, expect, it } from "vitest";
import { declareInterests } from "~/services/interests.server";
import { loader as panelLoader } from "~/routes/admin.groups.$groupId.panel";
import { loader as meetingLoader } from "~/routes/panel.meetings.$meetingId";
import { loader as publicResultsLoader } from "~/routes/funds.$fundId.results";
import { loader as publicGroupLoader } from "~/routes/funds.$fundId.results_.$groupId";
import { getDb } from "~/utils/db.server";
import { nowIso } from "~/utils/ids.server";
import { makeDecisionGroup, makeFund, makeOrganisation, makeProposal, makeUser } from "../factories";
import { panelMember } from "../support/decisions";
import { makeMeeting } from "../support/meetings";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

async function setUp() {
  const fund = await makeFund();
  const lead = await makeOrganisation({ kind: "lead_org", name: "Anchor Trust" });
  const group = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id });
  const garden = await makeOrganisation({ name: "Garden Club" });
  const kitchen = await makeOrganisation({ name: "Kitchen Co-op" });
  const gardenProposal = await makeProposal({ decisionGroupId: group.id, organisationId: garden.id, status: "under_review" });
  const kitchenProposal = await makeProposal({ decisionGroupId: group.id, organisationId: kitchen.id, status: "under_review" });
  const trustee = await panelMember(group.id, { name: "Tara Trustee", constituency: "vcse", isNamePublic: false });
  const open = await panelMember(group.id, { name: "Olu Open", constituency: "resident", isNamePublic: true, isChair: true });
  const actor = (m: { id: string }) => ({ id: m.id, role: "panel_member" as const, organisationId: null, decisionGroupId: group.id });
  await declareInterests(getDb(), actor(trustee), { organisationId: garden.id, relationship: "trustee", isPecuniary: false, details: "Unpaid trustee" });
  await declareInterests(getDb(), actor(open), { organisationId: lead.id, relationship: "employee", isPecuniary: true, details: "Part-time job" });
  return { fund, group, gardenProposal, kitchenProposal, trustee, open };
}

describe("the register of interests", () => {
  it("the administrator sees every declaration with the proposals it recuses the member from", async () => {
    const { group, gardenProposal, kitchenProposal } = await setUp();
    const admin = await makeUser({ role: "admin" });
    const response = await runLoader(panelLoader, getRequest(`/admin/groups/${group.id}/panel`, { cookie: await sessionCookieFor(admin.id) }), {
      groupId: group.id,
    });
    expect(response.status).toBe(200);
    const { register } = await response.json();
    const byName = Object.fromEntries(register.map((r: { memberName: string }) => [r.memberName, r]));
    expect(byName["Tara Trustee"]).toMatchObject({ subject: "Garden Club", isPecuniary: false, recusedFrom: [gardenProposal.reference] });
    // An interest in the lead organisation recuses the member from every proposal in its group.
    expect(byName["Olu Open"].recusedFrom).toEqual([gardenProposal.reference, kitchenProposal.reference].sort());
  });

  it("is for administrators only", async () => {
    const { group, open } = await setUp();
    const response = await runLoader(panelLoader, getRequest(`/admin/groups/${group.id}/panel`, { cookie: open.cookie }), { groupId: group.id });
    expect(response.status).toBe(403);
  });

  it("a meeting's page records the declarations and recusals, naming members", async () => {
    const { group, open, gardenProposal } = await setUp();
    const { id: meetingId } = await makeMeeting(group.id, open.id);
    const response = await runLoader(meetingLoader, getRequest(`/panel/meetings/${meetingId}`, { cookie: open.cookie }), { meetingId });
    expect(response.status).toBe(200);
    const { declarations } = await response.json();
    const texts = declarations.map((d: { text: string }) => d.text);
    expect(texts).toContain(
      `Tara Trustee (VCSE representative) declared a non-pecuniary interest as a trustee, director or committee member of Garden Club, and took no part in ${gardenProposal.reference}.`,
    );
  });

  it("published minutes list declarations, naming only members who agreed to be named", async () => {
    const { fund, group } = await setUp();
    await getDb().updateTable("fund").set({ results_published_at: nowIso() }).where("id", "=", fund.id).execute();
    // The declarations are on the group's results page; the fund's page links it.
    const summary = await runLoader(publicResultsLoader, getRequest(`/funds/${fund.id}/results`), { fundId: fund.id });
    expect(summary.status).toBe(200);
    expect(((await summary.json()) as { groups: { id: string }[] }).groups.map((g) => g.id)).toEqual([group.id]);
    const response = await runLoader(publicGroupLoader, getRequest(`/funds/${fund.id}/results/${group.id}`), { fundId: fund.id, groupId: group.id });
    expect(response.status).toBe(200);
    const text = JSON.stringify(await response.json());
    expect(text).toContain("A VCSE representative on the panel declared a non-pecuniary interest");
    expect(text).toContain("Olu Open (Resident) declared a pecuniary (financial) interest as someone who works for Anchor Trust");
    expect(text).not.toContain("Tara Trustee");
  });
});

import { describe, expect, it } from "vitest";
import { loader as editLoader } from "~/routes/proposals.$proposalId.edit";
import { makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

describe("the submit button says what will happen", () => {
  it("a lead organisation submitting a proposal it prepared is not told it submits 'to lead organisation'; the group still is", async () => {
    const lead = await makeOrganisation({ kind: "lead_org" });
    const group = await makeDecisionGroup({ leadOrganisationId: lead.id });
    const leadUser = await makeUser({ role: "lead_org", organisationId: lead.id });
    const community = await makeOrganisation();
    const member = await makeUser({ organisationId: community.id });
    const proposal = await makeProposal({ decisionGroupId: group.id, organisationId: community.id, preparedByOrganisationId: lead.id, createdBy: leadUser.id });
    const params = { proposalId: proposal.id };
    const asLead = await (
      await runLoader(editLoader, getRequest(`/proposals/${proposal.id}/edit`, { cookie: await sessionCookieFor(leadUser.id) }), params)
    ).json();
    expect(asLead.submitLabel).toBe("Submit for your organisation's review");
    const asGroup = await (
      await runLoader(editLoader, getRequest(`/proposals/${proposal.id}/edit`, { cookie: await sessionCookieFor(member.id) }), params)
    ).json();
    expect(asGroup.submitLabel).toBe("Submit to lead organisation");
  });
});

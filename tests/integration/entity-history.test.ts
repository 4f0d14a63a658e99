import { describe, expect, it } from "vitest";
import { loader as proposalLoader } from "~/routes/admin.proposals.$proposalId";
import { screenEligibility } from "~/services/proposals.server";
import { getDb } from "~/utils/db.server";
import { makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

describe("a proposal's history on its own admin page", () => {
  it("lists what happened to it, newest first, with who did it", async () => {
    const admin = await makeUser({ role: "admin" });
    const group = await makeDecisionGroup();
    const org = await makeOrganisation();
    const proposal = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, status: "supported" });
    await screenEligibility(getDb(), { id: admin.id, role: "admin", organisationId: null, decisionGroupId: null }, [proposal.id], "eligible", "");
    const response = await runLoader(proposalLoader, getRequest(`/admin/proposals/${proposal.id}`, { cookie: await sessionCookieFor(admin.id) }), {
      proposalId: proposal.id,
    });
    expect(response.status).toBe(200);
    const { history } = await response.json();
    expect(history.total).toBe(1);
    expect(history.rows[0]).toMatchObject({ action: "proposal.status.eligible", actorEmail: admin.email });
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { links as rootLinks } from "~/root";
import { loader as notFoundLoader, meta as notFoundMeta } from "~/routes/$";
import { loader as checkLoader } from "~/routes/proposals.$proposalId.check";
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
      await runLoader(checkLoader, getRequest(`/proposals/${proposal.id}/check`, { cookie: await sessionCookieFor(leadUser.id) }), params)
    ).json();
    expect(asLead.submitLabel).toBe("Submit for your organisation's review");
    const asGroup = await (
      await runLoader(checkLoader, getRequest(`/proposals/${proposal.id}/check`, { cookie: await sessionCookieFor(member.id) }), params)
    ).json();
    expect(asGroup.submitLabel).toBe("Submit to lead organisation");
  });
});

describe("the 404 page and the favicon", () => {
  it("an unknown address answers 404 with the title 'Page not found – Community Grant Decisions'", async () => {
    const response = await runLoader(notFoundLoader as () => never, getRequest("/no-such-page")); // it only ever throws
    expect(response.status).toBe(404);
    // What Remix hands the meta function for a thrown 404 (an ErrorResponse).
    const error = { status: response.status, statusText: "Not Found", internal: false, data: await response.text() };
    const meta = notFoundMeta({
      error,
      data: undefined,
      params: {},
      matches: [],
      location: { pathname: "/no-such-page", search: "", hash: "", state: null, key: "" },
    });
    expect(meta).toEqual([{ title: "Page not found – Community Grant Decisions" }]);
  });

  it("every page links a favicon that is in public/, so /favicon.ico is served rather than a 404", () => {
    const icons = rootLinks().filter((l) => "rel" in l && l.rel === "icon");
    expect(icons.map((l) => ("href" in l ? l.href : ""))).toEqual(["/favicon.ico", "/favicon.svg"]);
    const ico = readFileSync(path.join(process.cwd(), "public", "favicon.ico"));
    expect([...ico.subarray(0, 4)]).toEqual([0, 0, 1, 0]); // an icon file's header
    expect(readFileSync(path.join(process.cwd(), "public", "favicon.svg"), "utf8")).toMatch(/^<svg /);
  });
});

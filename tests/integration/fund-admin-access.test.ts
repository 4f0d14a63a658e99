import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import * as criteria from "~/routes/admin.funds.$fundId.criteria";
import * as eligibility from "~/routes/admin.funds.$fundId.eligibility";
import * as editGroup from "~/routes/admin.funds.$fundId.groups.$groupId";
import * as groups from "~/routes/admin.funds.$fundId.groups._index";
import * as fundOverview from "~/routes/admin.funds.$fundId._index";
import * as fundList from "~/routes/admin.funds._index";
import * as newFund from "~/routes/admin.funds.new";
import * as organisations from "~/routes/admin.organisations";
import { makeDecisionGroup, makeFund } from "../factories";
import { auditCount, makeLeadOrganisation, signedIn } from "../support/funds";
import { getRequest, postForm, runAction, runLoader } from "../support/http";

type Loader = (args: LoaderFunctionArgs) => Promise<Response>;
type Action = (args: ActionFunctionArgs) => Promise<Response>;

let ids: { fundId: string; groupId: string; leadId: string };

beforeAll(async () => {
  const fund = await makeFund();
  const lead = await makeLeadOrganisation();
  const group = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id });
  ids = { fundId: fund.id, groupId: group.id, leadId: lead.id };
});

/** Every admin page of fund set-up, with a form post that would succeed for an administrator. */
const pages = (): { name: string; path: string; loader: Loader; action?: Action; params: Record<string, string>; fields: Record<string, string> }[] => [
  { name: "list of funds", path: "/admin/funds", loader: fundList.loader, params: {}, fields: {} },
  {
    name: "new fund",
    path: "/admin/funds/new",
    loader: newFund.loader,
    action: newFund.action,
    params: {},
    fields: { name: "Sneaky", purpose: "x", type: "capital", budget: "100", isPublished: "no" },
  },
  {
    name: "fund overview",
    path: `/admin/funds/${ids.fundId}`,
    loader: fundOverview.loader,
    action: fundOverview.action,
    params: { fundId: ids.fundId },
    fields: { name: "Sneaky", purpose: "x", type: "capital", budget: "100000000", isPublished: "no" },
  },
  {
    name: "eligibility questions",
    path: `/admin/funds/${ids.fundId}/eligibility`,
    loader: eligibility.loader,
    action: eligibility.action,
    params: { fundId: ids.fundId },
    fields: { intent: "save", text: "Q?", kind: "yes_no", ineligibleIfNo: "on", ineligibleReason: "x" },
  },
  {
    name: "scoring criteria",
    path: `/admin/funds/${ids.fundId}/criteria`,
    loader: criteria.loader,
    action: criteria.action,
    params: { fundId: ids.fundId },
    fields: { intent: "save", name: "Need", weight: "1" },
  },
  {
    name: "decision groups",
    path: `/admin/funds/${ids.fundId}/groups`,
    loader: groups.loader,
    action: groups.action,
    params: { fundId: ids.fundId },
    fields: { name: "G", area: "A", pot: "1000", minGrant: "1", maxGrant: "10", leadOrganisationIds: ids.leadId },
  },
  {
    name: "decision group",
    path: `/admin/funds/${ids.fundId}/groups/${ids.groupId}`,
    loader: editGroup.loader,
    action: editGroup.action,
    params: { fundId: ids.fundId, groupId: ids.groupId },
    fields: { name: "G", area: "A", pot: "1000", minGrant: "1", maxGrant: "10", leadOrganisationIds: ids.leadId },
  },
  {
    name: "lead organisations",
    path: "/admin/organisations",
    loader: organisations.loader,
    action: organisations.action,
    params: {},
    fields: { name: "Sneaky Org", contactName: "A", contactEmail: "a@example.org" },
  },
];

describe("only fund administrators can set up funds", () => {
  for (const role of ["applicant", "lead_org", "panel_member", "adviser"] as const) {
    it(`${role === "applicant" || role === "adviser" ? "an" : "a"} ${role} gets 403 on every fund set-up page and form, and nothing is written`, async () => {
      const { cookie } = await signedIn(role);
      const before = await auditCount();
      for (const page of pages()) {
        const loaded = await runLoader(page.loader, getRequest(page.path, { cookie }), page.params);
        expect(loaded.status, `${page.name} page`).toBe(403);
        if (page.action) {
          const posted = await runAction(page.action, await postForm(page.path, page.fields, { cookie }), page.params);
          expect(posted.status, `${page.name} form`).toBe(403);
        }
      }
      expect(await auditCount()).toBe(before);
    });
  }

  it("someone not signed in is sent to sign in from every fund set-up page and form", async () => {
    for (const page of pages()) {
      const loaded = await runLoader(page.loader, getRequest(page.path), page.params);
      expect(loaded.status, `${page.name} page`).toBe(302);
      expect(loaded.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
      if (page.action) {
        const posted = await runAction(page.action, await postForm(page.path, page.fields), page.params);
        expect(posted.status, `${page.name} form`).toBe(302);
      }
    }
  });

  it("an administrator can open every fund set-up page", async () => {
    const { cookie } = await signedIn("admin");
    for (const page of pages()) {
      const loaded = await runLoader(page.loader, getRequest(page.path, { cookie }), page.params);
      expect(loaded.status, `${page.name} page`).toBe(200);
    }
  });
});

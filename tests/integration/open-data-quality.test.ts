import { describe, expect, it } from "vitest";
import { action as editGroupAction } from "~/routes/admin.funds.$fundId.groups.$groupId";
import { action as resultsAction, loader as resultsLoader } from "~/routes/admin.funds.$fundId.results";
import { action as groupAction } from "~/routes/applicant.group";
import * as openJson from "~/routes/funds.$fundId.360giving[.]json";
import { getDb } from "~/utils/db.server";
import { makeAward, makeDecisionGroup, makeFund, makeUser } from "../factories";
import { makeLeadOrganisation } from "../support/funds";
import { getRequest, ORIGIN, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";
import { packageValidator } from "../support/three-sixty-giving";

type Grant = {
  id: string;
  recipientOrganization: { id: string; charityNumber?: string; companyNumber?: string }[];
  beneficiaryLocation?: { name: string; geoCode?: string; geoCodeType?: string }[];
};

/** A group set up through the applicant's own profile form, as the portal's users do it. */
async function groupFromProfile(name: string, orgType: string, registrationNumber: string): Promise<string> {
  const user = await makeUser();
  const cookie = await sessionCookieFor(user.id);
  const fields = {
    intent: "profile",
    name,
    orgType,
    registrationNumber,
    address: "1 High Street\nBristol",
    postcode: "BS5 6AH",
    contactName: "Sam",
    contactEmail: "sam@example.org",
  };
  const response = await runAction(groupAction, await postForm("/applicant/group", fields, { cookie }));
  expect(response.status).toBe(302);
  const member = await getDb()
    .selectFrom("membership")
    .select("organisation_id")
    .where("user_id", "=", user.id)
    .where("role", "=", "applicant")
    .executeTakeFirstOrThrow();
  return member.organisation_id!;
}

async function publishedGrants(fundId: string): Promise<Grant[]> {
  await getDb().updateTable("fund").set({ results_published_at: "2027-05-01T10:00:00.000Z" }).where("id", "=", fundId).execute();
  const response = await runLoader(openJson.loader, getRequest(`/funds/${fundId}/360giving.json`), { fundId });
  expect(response.status).toBe(200);
  const data = (await response.json()) as { grants: Grant[] };
  const validate = packageValidator();
  expect(validate(data) ? [] : validate.errors).toEqual([]);
  return data.grants;
}

describe("360Giving identifiers come from the group profile", () => {
  it("a registered charity's grant is identified GB-CHC-<number>, a company's GB-COH-<8 characters>, an unregistered group's under the prefix", async () => {
    const fund = await makeFund();
    const group = await makeDecisionGroup({ fundId: fund.id });
    const charityId = await groupFromProfile("Lawrence Hill Garden Trust", "charity", "1234567");
    const companyId = await groupFromProfile("Hartcliffe Sports CIC", "cic", "01234567");
    const plainId = await groupFromProfile("Fishponds Allotment Friends", "unincorporated", "");
    const charity = await makeAward({ decisionGroupId: group.id, organisationId: charityId, status: "accepted" });
    const company = await makeAward({ decisionGroupId: group.id, organisationId: companyId, status: "closed" });
    const plain = await makeAward({ decisionGroupId: group.id, organisationId: plainId, status: "accepted" });

    const grants = await publishedGrants(fund.id);
    const recipientOf = (awardId: string) => grants.find((g) => g.id.endsWith(awardId))!.recipientOrganization[0]!;
    expect(recipientOf(charity.awardId)).toMatchObject({ id: "GB-CHC-1234567", charityNumber: "1234567" });
    expect(recipientOf(company.awardId)).toMatchObject({ id: "GB-COH-01234567", companyNumber: "01234567" });
    expect(recipientOf(plain.awardId).id).toBe(`360G-portal-ORG-${plainId}`);
  });

  it("a decision group's ONS area code is published as the beneficiary location's geoCode", async () => {
    const fund = await makeFund();
    const group = await makeDecisionGroup({ fundId: fund.id });
    await getDb().updateTable("decision_group").set({ area: "Lawrence Hill", area_code: "E05010897" }).where("id", "=", group.id).execute();
    await makeAward({ decisionGroupId: group.id, status: "accepted" });
    const [grant] = await publishedGrants(fund.id);
    expect(grant!.beneficiaryLocation).toEqual([{ name: "Lawrence Hill", countryCode: "GB", geoCode: "E05010897", geoCodeType: "WD" }]);
  });
});

describe("a decision group's ONS area code", () => {
  async function saveGroup(areaCode: string) {
    const admin = await makeUser({ role: "admin" });
    const cookie = await sessionCookieFor(admin.id);
    const fund = await makeFund({ budgetPence: 100_000_000 });
    const group = await makeDecisionGroup({ fundId: fund.id });
    const lead = await makeLeadOrganisation();
    const path = `/admin/funds/${fund.id}/groups/${group.id}`;
    const fields = { name: "Lawrence Hill", area: "Lawrence Hill ward", areaCode, pot: "500000", minGrant: "50000", maxGrant: "200000" };
    const request = await postForm(path, fields, { cookie });
    const body = new URLSearchParams(await request.text());
    body.append("leadOrganisationIds", lead.id);
    const response = await runAction(editGroupAction, new Request(`${ORIGIN}${path}`, { method: "POST", headers: request.headers, body }), {
      fundId: fund.id,
      groupId: group.id,
    });
    const row = await getDb().selectFrom("decision_group").select("area_code").where("id", "=", group.id).executeTakeFirstOrThrow();
    return { response, areaCode: row.area_code };
  }

  it("is saved from the decision group form, in capitals, and is optional", async () => {
    const saved = await saveGroup(" e05010897 ");
    expect(saved.response.status).toBe(302);
    expect(saved.areaCode).toBe("E05010897");
    const empty = await saveGroup("");
    expect(empty.response.status).toBe(302);
    expect(empty.areaCode).toBeNull();
  });

  it("that is not an ONS code is refused with a plain message, and nothing is saved", async () => {
    const refused = await saveGroup("Lawrence Hill");
    expect(refused.response.status).toBe(400);
    expect(((await refused.response.json()) as { errors: Record<string, string> }).errors.areaCode).toMatch(/like E05010897/);
    expect(refused.areaCode).toBeNull();
  });
});

describe("publishing checks the open data first, as 360Giving's data-quality tool does", () => {
  it("lists each problem on the publishing page and refuses to publish until it is fixed", async () => {
    const fund = await makeFund();
    const group = await makeDecisionGroup({ fundId: fund.id });
    const shortId = await groupFromProfile("Short Number Trust", "charity", "12345");
    const companyId = await groupFromProfile("Long Number CIC", "clg", "123456789");
    await makeAward({ decisionGroupId: group.id, organisationId: shortId, status: "accepted" });
    await makeAward({ decisionGroupId: group.id, organisationId: companyId, status: "accepted" });
    const admin = await makeUser({ role: "admin" });
    const cookie = await sessionCookieFor(admin.id);

    const page = (await (await runLoader(resultsLoader, getRequest(`/admin/funds/${fund.id}/results`, { cookie }), { fundId: fund.id })).json()) as {
      openDataProblems: { message: string }[];
    };
    const messages = page.openDataProblems.map((p) => p.message);
    expect(messages).toContainEqual(expect.stringMatching(/^Short Number Trust: .*"GB-CHC-12345"/));
    expect(messages).toContainEqual(expect.stringMatching(/^Short Number Trust: the charity number "12345"/));
    expect(messages).toContainEqual(expect.stringMatching(/^Long Number CIC: the company number "123456789"/));

    const refused = await runAction(resultsAction, await postForm(`/admin/funds/${fund.id}/results`, { intent: "publish" }, { cookie }), { fundId: fund.id });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: Record<string, string> }).errors.intent).toMatch(/open data has \d+ problems/);
    const unpublished = await getDb().selectFrom("fund").select("results_published_at").where("id", "=", fund.id).executeTakeFirstOrThrow();
    expect(unpublished.results_published_at).toBeNull();

    await getDb().updateTable("organisation").set({ registration_number: "1123456" }).where("id", "=", shortId).execute();
    await getDb().updateTable("organisation").set({ registration_number: "12345678" }).where("id", "=", companyId).execute();
    const fixed = (await (await runLoader(resultsLoader, getRequest(`/admin/funds/${fund.id}/results`, { cookie }), { fundId: fund.id })).json()) as {
      openDataProblems: unknown[];
    };
    expect(fixed.openDataProblems).toEqual([]);
    const published = await runAction(resultsAction, await postForm(`/admin/funds/${fund.id}/results`, { intent: "publish" }, { cookie }), { fundId: fund.id });
    expect(published.status).toBe(302);
    const row = await getDb().selectFrom("fund").select("results_published_at").where("id", "=", fund.id).executeTakeFirstOrThrow();
    expect(row.results_published_at).not.toBeNull();
  });
});

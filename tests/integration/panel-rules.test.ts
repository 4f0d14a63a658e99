import { describe, expect, it } from "vitest";
import { action as rulesAction, loader as rulesLoader } from "~/routes/admin.funds.$fundId.panel-rules";
import { getDb } from "~/utils/db.server";
import { makeFund } from "../factories";
import { auditTrailOf, signedIn } from "../support/funds";
import { getRequest, postForm, runAction, runLoader } from "../support/http";

const VALID = {
  scoreScaleMax: "5",
  votingMethod: "per_proposal",
  approvalMax: "",
  tieRule: "chair",
  quorumMinPresent: "4",
  residentMinShare: "40",
  residentMaxShare: "",
  residentMinCount: "",
  residentMaxCount: "",
  councillorMinShare: "",
  councillorMaxShare: "30",
  councillorMinCount: "1",
  councillorMaxCount: "",
  vcseMinShare: "",
  vcseMaxShare: "",
  vcseMinCount: "",
  vcseMaxCount: "",
};

async function post(fundId: string, fields: Record<string, string>, cookie: string) {
  return runAction(rulesAction, await postForm(`/admin/funds/${fundId}/panel-rules`, fields, { cookie }), { fundId });
}

const fundRow = (id: string) => getDb().selectFrom("fund").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe("a fund's panel rules", () => {
  it("are saved with the composition rules as JSON, and audited", async () => {
    const { user, cookie } = await signedIn("admin");
    const fund = await makeFund();
    const response = await post(fund.id, { ...VALID, votingMethod: "approval", approvalMax: "3", tieRule: "higher_score" }, cookie);
    expect(response.status).toBe(302);
    const row = await fundRow(fund.id);
    expect(row).toMatchObject({ voting_method: "approval", approval_max: 3, tie_rule: "higher_score", quorum_min_present: 4, score_scale_max: 5 });
    expect(JSON.parse(row.composition_rules)).toEqual({ resident: { minShare: 40 }, councillor: { maxShare: 30, minCount: 1 } });
    expect(await auditTrailOf("fund", fund.id)).toMatchObject([{ action: "fund.panel_rules_updated", actor: user.id }]);

    const page = await runLoader(rulesLoader, getRequest(`/admin/funds/${fund.id}/panel-rules`, { cookie }), { fundId: fund.id });
    const data = await page.json();
    expect(data.values).toMatchObject({ residentMinShare: "40", councillorMaxShare: "30", approvalMax: "3" });
  });

  it("a share over 100, a smallest share above the largest, and an approval ballot without a number are refused with 400 and the input kept", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    const response = await post(
      fund.id,
      { ...VALID, votingMethod: "approval", approvalMax: "", residentMinShare: "120", vcseMinShare: "50", vcseMaxShare: "20", councillorMinCount: "x" },
      cookie,
    );
    expect(response.status).toBe(400);
    const data = await response.json();
    expect(data.errors).toMatchObject({
      approvalMax: "Enter how many proposals each member may approve",
      residentMinShare: "The smallest share for residents must be from 0% to 100%",
      vcseMaxShare: "The largest share for VCSE representatives must be the same as or more than their smallest share (50%)",
      councillorMinCount: expect.stringContaining("must be a whole number"),
    });
    expect(data.values.residentMinShare).toBe("120");
    expect((await fundRow(fund.id)).voting_method).toBe("per_proposal");
  });

  it("smallest shares that add up to more than 100% are refused", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    const response = await post(fund.id, { ...VALID, residentMinShare: "60", councillorMinShare: "30", vcseMinShare: "20" }, cookie);
    expect(response.status).toBe(400);
    expect((await response.json()).errors.residentMinShare).toMatch(/add up to 110%/);
  });

  it("are for administrators only", async () => {
    const { cookie } = await signedIn("panel_member");
    const fund = await makeFund();
    expect((await post(fund.id, VALID, cookie)).status).toBe(403);
    expect((await runLoader(rulesLoader, getRequest(`/admin/funds/${fund.id}/panel-rules`, { cookie }), { fundId: fund.id })).status).toBe(403);
  });
});

import { describe, expect, it } from "vitest";
import { action, loader } from "~/routes/admin.funds.$fundId.award-settings";
import { getDb } from "~/utils/db.server";
import { makeFund, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

const fundRow = (id: string) =>
  getDb()
    .selectFrom("fund")
    .select(["payment_approval_threshold_pence", "funder_prefix", "funder_org_id", "funder_org_name"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();

const good = { threshold: "10,000", funderPrefix: "360G-bristolcc", funderOrgId: "GB-LAE-BST", funderOrgName: "Bristol City Council" };

describe("a fund's payment and open-data settings", () => {
  it("an administrator sets the four-eyes threshold and the 360Giving identifiers, audited", async () => {
    const admin = await makeUser({ role: "admin" });
    const fund = await makeFund();
    const cookie = await sessionCookieFor(admin.id);
    const response = await runAction(action, await postForm(`/admin/funds/${fund.id}/award-settings`, good, { cookie }), { fundId: fund.id });
    expect(response.status).toBe(200);
    expect(await fundRow(fund.id)).toEqual({
      payment_approval_threshold_pence: 1_000_000,
      funder_prefix: "360G-bristolcc",
      funder_org_id: "GB-LAE-BST",
      funder_org_name: "Bristol City Council",
    });
    const event = await getDb()
      .selectFrom("audit_event")
      .select(["actor", "entity_id"])
      .where("action", "=", "fund.award_settings_saved")
      .executeTakeFirstOrThrow();
    expect(event).toEqual({ actor: admin.id, entity_id: fund.id });
    const page = await (await runLoader(loader, getRequest(`/admin/funds/${fund.id}/award-settings`, { cookie }), { fundId: fund.id })).json();
    expect(page.values.threshold).toBe("10000");
  });

  it("answers bad input with 400, plain messages and the input kept, changing nothing", async () => {
    const admin = await makeUser({ role: "admin" });
    const fund = await makeFund();
    const before = await fundRow(fund.id);
    const response = await runAction(
      action,
      await postForm(
        `/admin/funds/${fund.id}/award-settings`,
        { ...good, threshold: "lots", funderPrefix: "bristol" },
        { cookie: await sessionCookieFor(admin.id) },
      ),
      { fundId: fund.id },
    );
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.threshold).toBe("Enter the threshold in pounds, like 25000 or 25,000");
    expect(body.errors.funderPrefix).toMatch(/starting 360G-/);
    expect(body.values.funderPrefix).toBe("bristol");
    expect(await fundRow(fund.id)).toEqual(before);
  });

  it("is for administrators only", async () => {
    const lead = await makeUser({ role: "lead_org" });
    const fund = await makeFund();
    const response = await runAction(action, await postForm(`/admin/funds/${fund.id}/award-settings`, good, { cookie: await sessionCookieFor(lead.id) }), {
      fundId: fund.id,
    });
    expect(response.status).toBe(403);
  });
});

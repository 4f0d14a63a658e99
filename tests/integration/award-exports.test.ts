import { describe, expect, it } from "vitest";
import { parseCsv } from "~/domain/csv";
import { THREE_SIXTY_GIVING_CSV_HEADER } from "~/domain/three-sixty-giving";
import * as awardsExport from "~/routes/admin.awards.export[.]csv";
import * as paymentsExport from "~/routes/admin.payments.export[.]csv";
import * as reportsExport from "~/routes/admin.reports.export[.]csv";
import * as openCsv from "~/routes/funds.$fundId.360giving[.]csv";
import * as openJson from "~/routes/funds.$fundId.360giving[.]json";
import { recordPayment } from "~/services/award-payments.server";
import { getDb } from "~/utils/db.server";
import { newId } from "~/utils/ids.server";
import { makeAward, makeDecisionGroup, makeFund, makeUser } from "../factories";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";
import { packageValidator, schemaTitle } from "../support/three-sixty-giving";

const FORMULA = '=HYPERLINK("http://evil.example","Click")';

async function fundWithAwards() {
  const fund = await makeFund({ name: "Resilience Fund" });
  // Open data is public only once the fund's results are.
  await getDb().updateTable("fund").set({ results_published_at: "2027-05-01T10:00:00.000Z" }).where("id", "=", fund.id).execute();
  const group = await makeDecisionGroup({ fundId: fund.id, name: "East" });
  const admin = await makeUser({ role: "admin" });
  const accepted = await makeAward({ decisionGroupId: group.id, status: "accepted", amountPence: 5_000_050 });
  const closed = await makeAward({ decisionGroupId: group.id, status: "closed", amountPence: 1_000_000 });
  await makeAward({ decisionGroupId: group.id, status: "offered", amountPence: 2_000_000 });
  await getDb().updateTable("proposal").set({ title: FORMULA, summary: "A kitchen for the lunch club." }).where("id", "=", accepted.proposalId).execute();
  await getDb()
    .updateTable("organisation")
    .set({ org_type: "charity", registration_number: "1123456", postcode: "BS5 0AA" })
    .where("id", "=", accepted.organisationId)
    .execute();
  await recordPayment(getDb(), { id: admin.id, role: "admin", organisationId: null, decisionGroupId: null }, accepted.awardId, {
    instalmentId: null,
    amountPence: 1_234_55,
    paidOn: "2027-02-01",
    reference: "-1+1",
  });
  await getDb()
    .insertInto("monitoring_report")
    .values({ id: newId(), award_id: accepted.awardId, kind: "progress", due_on: "2020-01-01", status: "due", progress: "@SUM(A1)" })
    .execute();
  return { fund, group, admin, accepted, closed };
}

const cells = async (response: Response) => {
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toContain("text/csv");
  return parseCsv(await response.text());
};

describe("CSV exports for administrators", () => {
  it("export awards, payments and reports with money in pounds and formula cells neutralised", async () => {
    const { fund, admin, accepted } = await fundWithAwards();
    const cookie = await sessionCookieFor(admin.id);
    const q = `?fundId=${fund.id}`;

    const awards = await cells(await runLoader(awardsExport.loader, getRequest(`/admin/awards/export.csv${q}`, { cookie })));
    expect(awards).toHaveLength(4);
    const row = awards.find((r) => r[0] === accepted.reference)!;
    expect(row).toContain(`'${FORMULA}`);
    expect(row).toContain("50000.50");
    expect(row).toContain("1234.55");
    expect(row).toContain("48765.95");

    const payments = await cells(await runLoader(paymentsExport.loader, getRequest(`/admin/payments/export.csv${q}`, { cookie })));
    expect(payments).toHaveLength(2);
    expect(payments[1]).toContain("1234.55");
    expect(payments[1]).toContain("'-1+1");

    const reports = await cells(await runLoader(reportsExport.loader, getRequest(`/admin/reports/export.csv${q}`, { cookie })));
    expect(reports).toHaveLength(2);
    expect(reports[1]).toContain("'@SUM(A1)");
    expect(reports[1]).toContain("Yes");
  });

  it("are for administrators only", async () => {
    for (const role of ["applicant", "lead_org", "panel_member", "adviser"] as const) {
      const cookie = await sessionCookieFor((await makeUser({ role })).id);
      for (const [loader, path] of [
        [awardsExport.loader, "/admin/awards/export.csv"],
        [paymentsExport.loader, "/admin/payments/export.csv"],
        [reportsExport.loader, "/admin/reports/export.csv"],
      ] as const) {
        expect((await runLoader(loader, getRequest(path, { cookie }))).status).toBe(403);
      }
    }
  });
});

describe("360Giving open data", () => {
  it("publishes the fund's accepted and closed awards as JSON that validates against the standard", async () => {
    const { fund, group, accepted, closed } = await fundWithAwards();
    const response = await runLoader(openJson.loader, getRequest(`/funds/${fund.id}/360giving.json`), { fundId: fund.id });
    expect(response.status).toBe(200);
    const data = (await response.json()) as {
      grants: {
        id: string;
        amountAwarded: number;
        grantProgramme: { title: string }[];
        beneficiaryLocation?: { name: string }[];
        recipientOrganization: { id: string }[];
      }[];
    };
    const validate = packageValidator();
    const ok = validate(data);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(data.grants.map((g) => g.id).sort()).toEqual([`360G-portal-${accepted.awardId}`, `360G-portal-${closed.awardId}`].sort());
    const grant = data.grants.find((g) => g.id.endsWith(accepted.awardId))!;
    expect(grant.amountAwarded).toBe(50000.5);
    expect(grant.grantProgramme[0]!.title).toBe(fund.name);
    expect(grant.beneficiaryLocation?.[0]!.name).toBe(group.area);
    expect(grant.recipientOrganization[0]!.id).toBe("GB-CHC-1123456");
  });

  it("publishes the same grants as CSV under the standard's column titles", async () => {
    const { fund } = await fundWithAwards();
    const response = await runLoader(openCsv.loader, getRequest(`/funds/${fund.id}/360giving.csv`), { fundId: fund.id });
    const rows = await cells(response);
    expect(rows[0]).toEqual([...THREE_SIXTY_GIVING_CSV_HEADER]);
    for (const field of ["id", "title", "amountAwarded", "recipientOrganization.name", "fundingOrganization.id"]) expect(rows[0]).toContain(schemaTitle(field));
    expect(rows).toHaveLength(3);
  });

  it("is not found for a fund with no accepted awards, an unpublished fund or no fund", async () => {
    const empty = await makeFund();
    await makeAward({ decisionGroupId: (await makeDecisionGroup({ fundId: empty.id })).id, status: "offered" });
    expect((await runLoader(openJson.loader, getRequest(`/funds/${empty.id}/360giving.json`), { fundId: empty.id })).status).toBe(404);
    expect((await runLoader(openCsv.loader, getRequest(`/funds/${empty.id}/360giving.csv`), { fundId: empty.id })).status).toBe(404);
    const { fund } = await fundWithAwards();
    await getDb().updateTable("fund").set({ results_published_at: null }).where("id", "=", fund.id).execute();
    expect((await runLoader(openJson.loader, getRequest(`/funds/${fund.id}/360giving.json`), { fundId: fund.id })).status).toBe(404);
    expect((await runLoader(openJson.loader, getRequest("/funds/nope/360giving.json"), { fundId: "nope" })).status).toBe(404);
  });
});

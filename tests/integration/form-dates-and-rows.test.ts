import { describe, expect, it } from "vitest";
import { appendAuditEvent } from "~/models/audit.server";
import { loader as auditLoader } from "~/routes/admin.audit";
import { loader as auditExportLoader } from "~/routes/admin.audit.export[.]csv";
import { action as sectionAction } from "~/routes/proposals.$proposalId.sections.$section";
import { getDb } from "~/utils/db.server";
import { makeDecisionGroup, makeFund, makeOrganisation, makeProposal, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

async function adminCookie() {
  return sessionCookieFor((await makeUser({ role: "admin" })).id);
}

describe("a date filter that is not on the calendar", () => {
  it.each([
    ["to", "2026-13-01"],
    ["from", "2026-02-30"],
    ["to", "2025-02-29"],
  ])("?%s=%s gives the audit page with a plain-English message, not a 500", async (field, date) => {
    const response = await runLoader(auditLoader, getRequest(`/admin/audit?${field}=${date}`, { cookie: await adminCookie() }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[field]).toBe(`Enter the ${field} date as a real date, for example 2027-03-31`);
    expect(body.values[field]).toBe(date);
    expect(Array.isArray(body.events.rows)).toBe(true);
  });

  it("is left out while the other filters still apply, and the CSV download refuses it with 400", async () => {
    const cookie = await adminCookie();
    const admin = await makeUser({ role: "admin" });
    await appendAuditEvent(getDb(), { actor: admin.id, action: "award.noted", entityType: "award", entityId: "dates-1" });
    await appendAuditEvent(getDb(), { actor: admin.id, action: "award.noted", entityType: "award", entityId: "dates-2" });
    const page = await runLoader(auditLoader, getRequest("/admin/audit?entityId=dates-1&to=2026-02-30", { cookie }));
    expect(page.status).toBe(400);
    const body = await page.json();
    expect(body.events.rows.map((e: { entity_id: string }) => e.entity_id)).toEqual(["dates-1"]);
    const csv = await runLoader(auditExportLoader, getRequest("/admin/audit/export.csv?to=2026-13-01", { cookie }));
    expect(csv.status).toBe(400);
    expect(await csv.text()).toMatch(/real date/);
  });

  it("a real date, a leap day included, filters as before: 'to' takes in the whole of that day", async () => {
    const cookie = await adminCookie();
    const response = await runLoader(auditLoader, getRequest("/admin/audit?from=2024-02-29&to=2099-12-31", { cookie }));
    expect(response.status).toBe(200);
    expect((await response.json()).errors).toBeNull();
  });
});

describe("a form with repeated rows, sent without JavaScript", () => {
  async function draft() {
    const fund = await makeFund();
    const group = await makeDecisionGroup({ fundId: fund.id });
    const org = await makeOrganisation();
    const applicant = await makeUser({ organisationId: org.id });
    const proposal = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, isEmpty: true });
    return { proposal, cookie: await sessionCookieFor(applicant.id) };
  }
  const postBudget = async (proposalId: string, cookie: string, fields: Record<string, string>) =>
    runAction(sectionAction, await postForm(`/proposals/${proposalId}/sections/budget`, fields, { cookie }), { proposalId, section: "budget" });

  it("a budget line with a bad cost is a 400 with the message on that row's cost, every row kept, the lines not saved", async () => {
    const { proposal, cookie } = await draft();
    // What a browser sends for the budget page's rows: one field per input, blank rows included.
    const fields = {
      intent: "save",
      "budgetLines[0].item": "Oven",
      "budgetLines[0].cost": "2,500",
      "budgetLines[1].item": "Units",
      "budgetLines[1].cost": "lots",
      "budgetLines[2].item": "",
      "budgetLines[2].cost": "",
    };
    const response = await postBudget(proposal.id, cookie, fields);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toEqual({ "budgetLines[1].cost": "Enter the cost of budget line 2 in pounds, like 1250 or 1250.50" });
    expect(body.values).toMatchObject({
      "budgetLines[0].item": "Oven",
      "budgetLines[0].cost": "2,500",
      "budgetLines[1].item": "Units",
      "budgetLines[1].cost": "lots",
    });
    const row = await getDb().selectFrom("proposal").select(["budget_lines"]).where("id", "=", proposal.id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.budget_lines)).toEqual([]);
  });

  it("good rows are saved in page order, blank rows skipped", async () => {
    const { proposal, cookie } = await draft();
    const fields = {
      intent: "save",
      "budgetLines[0].item": "Oven",
      "budgetLines[0].cost": "2,500",
      "budgetLines[1].item": "",
      "budgetLines[1].cost": "",
      "budgetLines[2].item": "Units",
      "budgetLines[2].cost": "1200.50",
    };
    const response = await postBudget(proposal.id, cookie, fields);
    expect(response.status).toBe(302);
    const row = await getDb().selectFrom("proposal").select(["budget_lines"]).where("id", "=", proposal.id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.budget_lines)).toEqual([
      { item: "Oven", costPence: 250_000 },
      { item: "Units", costPence: 120_050 },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { parseCsv } from "~/domain/csv";
import { appendAuditEvent } from "~/models/audit.server";
import { loader } from "~/routes/admin.audit.export[.]csv";
import { getDb } from "~/utils/db.server";
import { makeUser } from "../factories";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

describe("exporting the audit trail", () => {
  it("downloads the filtered events oldest first as CSV, with formula cells neutralised", async () => {
    const admin = await makeUser({ role: "admin" });
    await appendAuditEvent(getDb(), { actor: admin.id, action: "award.created", entityType: "award", entityId: "a-1", after: { amount_pence: 100 } });
    await appendAuditEvent(getDb(), { actor: admin.id, action: "award.accepted", entityType: "award", entityId: "a-1", after: { signatory: "=HYPERLINK(1)" } });
    await appendAuditEvent(getDb(), { actor: admin.id, action: "proposal.status.draft", entityType: "proposal", entityId: "p-1" });
    const response = await runLoader(loader, getRequest("/admin/audit/export.csv?entityType=award&entityId=a-1", { cookie: await sessionCookieFor(admin.id) }));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(["Event", "Time (UTC)", "Actor id", "Actor email", "Action", "Record type", "Record id", "Before", "After", "Hash"]);
    expect(rows.map((r) => r[4])).toEqual(["award.created", "award.accepted"]);
    expect(rows[0]![3]).toBe(admin.email);
    expect(rows[1]![8]).toBe('{"signatory":"=HYPERLINK(1)"}');
    // A cell that would start a spreadsheet formula is prefixed with a quote.
    await appendAuditEvent(getDb(), { actor: admin.id, action: "award.noted", entityType: "award", entityId: "=1+1" });
    const sneaky = await runLoader(loader, getRequest("/admin/audit/export.csv?action=award.noted", { cookie: await sessionCookieFor(admin.id) }));
    const [, noted] = parseCsv(await sneaky.text());
    expect(noted![6]).toBe("'=1+1");
  });

  it("refuses a bad date with 400", async () => {
    const admin = await makeUser({ role: "admin" });
    const response = await runLoader(loader, getRequest("/admin/audit/export.csv?from=yesterday", { cookie: await sessionCookieFor(admin.id) }));
    expect(response.status).toBe(400);
  });

  it("is for administrators only", async () => {
    const lead = await makeUser({ role: "lead_org" });
    const response = await runLoader(loader, getRequest("/admin/audit/export.csv", { cookie: await sessionCookieFor(lead.id) }));
    expect(response.status).toBe(403);
  });
});

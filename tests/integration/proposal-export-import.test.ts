import { beforeAll, describe, expect, it } from "vitest";
import { parseCsv, toCsv } from "~/domain/csv";
import { EXPORT_HEADER } from "~/domain/proposal-export";
import { IMPORT_COLUMN_NAMES } from "~/domain/proposal-import";
import { loader as exportLoader } from "~/routes/admin.proposals.export[.]csv";
import { action as importAction, loader as importLoader } from "~/routes/admin.proposals.import";
import { loader as templateLoader } from "~/routes/admin.proposals.import-template[.]csv";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, makeDecisionGroup, makeFund, makeOrganisation, makeProposal, makeUser } from "../factories";
import { csrfFor, getRequest, ORIGIN, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

let admin: { id: string; name: string };
let adminCookie: string;
let fund: { id: string };
let group: { id: string; name: string };
let leadStaff: { email: string };
let community: { id: string; name: string };

beforeAll(async () => {
  admin = await makeUser({ role: "admin", name: "Asha Admin" });
  adminCookie = await sessionCookieFor(admin.id);
  fund = await makeFund({ name: "Export fund" });
  const lead = await makeOrganisation({ kind: "lead_org", name: "Export Anchor" });
  leadStaff = await makeUser({ role: "lead_org", organisationId: lead.id });
  group = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id, name: "Export East" });
  community = await makeOrganisation({ name: "Export Garden" });
});

const GOOD: Record<string, string> = {
  decision_group: "Export East",
  community_group: "Export Garden",
  title: "Offline kitchen",
  summary: "A kitchen gathered on paper.",
  need_type: "felt",
  need_evidence: "Residents asked for it at three meetings.",
  beneficiaries: "Neighbours",
  beneficiary_count: "150",
  what_built: "A kitchen",
  budget_lines: "Units: £20,000; Fitting: £5,000",
  amount_requested: "£25,000",
  start_date: "2027-04-01",
  end_date: "2027-08-31",
  outcomes: "Meals served | weekly count",
  contact_email: "",
};

const importCsv = (...rows: Record<string, string>[]) => toCsv([IMPORT_COLUMN_NAMES.slice(), ...rows.map((r) => IMPORT_COLUMN_NAMES.map((c) => r[c] ?? ""))]);

/** A multipart post as the browser sends it: the token first, then the file and the text box. */
async function postImport(fields: { csv?: string; file?: string; fileName?: string; fileBytes?: number[]; intent?: string }, cookie = adminCookie) {
  const { token, cookie: csrfCookie } = await csrfFor();
  const form = new FormData();
  form.append("csrf", token);
  const fileBody: BlobPart = fields.fileBytes ? new Uint8Array(fields.fileBytes) : (fields.file ?? "");
  form.append("file", new File([fileBody], fields.file === undefined && !fields.fileBytes ? "" : (fields.fileName ?? "proposals.csv"), { type: "text/csv" }));
  form.append("csv", fields.csv ?? "");
  form.append("intent", fields.intent ?? "import");
  const request = new Request(`${ORIGIN}/admin/proposals/import`, {
    method: "POST",
    body: form,
    headers: { Origin: ORIGIN, Cookie: `${csrfCookie}; ${cookie}` },
  });
  return runAction(importAction, request);
}

async function proposalsTitled(title: string) {
  return getDb().selectFrom("proposal").selectAll().where("title", "=", title).execute();
}

describe("exporting proposals as CSV", () => {
  it("sends a CSV attachment with the header and one row per matching proposal, formulas neutralised", async () => {
    const evil = await makeProposal({
      decisionGroupId: group.id,
      organisationId: community.id,
      status: "supported",
      content: { title: '=HYPERLINK("http://evil.example","Click")' },
    });
    const plain = await makeProposal({
      decisionGroupId: group.id,
      organisationId: community.id,
      status: "supported",
      content: { title: "Plain, with a comma" },
    });
    await makeProposal({ decisionGroupId: group.id, organisationId: community.id, status: "declined", content: { title: "Declined one" } });

    const response = await runLoader(exportLoader, getRequest(`/admin/proposals/export.csv?fund=${fund.id}&sort=reference`, { cookie: adminCookie }));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/csv/);
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="proposals-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await response.text();
    const records = parseCsv(text);
    expect(records[0]).toEqual([...EXPORT_HEADER]);
    // The default filter, like the screening queue: supported proposals only.
    expect(
      records
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([evil.reference, plain.reference].sort());
    const title = EXPORT_HEADER.indexOf("Title");
    const evilRow = records.find((r) => r[0] === evil.reference)!;
    expect(evilRow[title]).toBe(`'=HYPERLINK("http://evil.example","Click")`);
    expect(records.find((r) => r[0] === plain.reference)![title]).toBe("Plain, with a comma");
    expect(evilRow[EXPORT_HEADER.indexOf("Amount requested (£)")]).toBe("45000.00");
    expect(evilRow[EXPORT_HEADER.indexOf("Budget lines")]).toBe("Roofing contractor: £40,000; Scaffolding: £5,000");
    expect(evilRow[EXPORT_HEADER.indexOf("Lead organisations")]).toBe("Export Anchor");
    expect(evilRow[EXPORT_HEADER.indexOf("Community group")]).toBe("Export Garden");
  });

  it("honours the status filter: any status includes the declined proposal", async () => {
    const response = await runLoader(exportLoader, getRequest(`/admin/proposals/export.csv?fund=${fund.id}&status=`, { cookie: adminCookie }));
    const titles = parseCsv(await response.text())
      .slice(1)
      .map((r) => r[EXPORT_HEADER.indexOf("Title")]);
    expect(titles).toContain("Declined one");
  });
});

describe("importing proposals gathered offline", () => {
  it("a file with one bad row imports nothing and reports that row's problem (400)", async () => {
    const before = await getDb()
      .selectFrom("proposal")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const response = await postImport({
      file: importCsv(
        { ...GOOD, title: "Good row" },
        { ...GOOD, title: "Bad row", amount_requested: "£500" },
        { ...GOOD, title: "New group row", community_group: "Brand New Group" },
      ),
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.rowErrors).toEqual(["Row 3: the amount requested must be at least £10,000, the minimum grant for this decision group"]);
    const after = await getDb()
      .selectFrom("proposal")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await proposalsTitled("Good row")).toEqual([]);
    expect(await getDb().selectFrom("organisation").select("id").where("name", "=", "Brand New Group").execute()).toEqual([]);
  });

  it("a good import creates the proposals as submitted, version 1, imported by the admin, each audited", async () => {
    const response = await postImport({
      file: importCsv(GOOD, { ...GOOD, title: "Second offline", community_group: "Offline Newcomers", contact_email: "new@example.org" }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.imported).toHaveLength(2);
    expect(body.createdGroups).toEqual(["Offline Newcomers"]);

    const [first] = await proposalsTitled("Offline kitchen");
    expect(first).toMatchObject({
      status: "submitted",
      version: 1,
      imported_by: admin.id,
      created_by: admin.id,
      organisation_id: community.id,
      decision_group_id: group.id,
      amount_requested_pence: 2_500_000,
      reference: expect.stringMatching(/^P-\d{4}$/),
    });
    expect(first!.submitted_at).not.toBeNull();
    const versions = await getDb()
      .selectFrom("proposal_version")
      .select(["version", "snapshot", "submitted_by"])
      .where("proposal_id", "=", first!.id)
      .execute();
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ version: 1, submitted_by: admin.id });
    expect(JSON.parse(versions[0]!.snapshot).budgetLines).toEqual([
      { item: "Units", costPence: 2_000_000 },
      { item: "Fitting", costPence: 500_000 },
    ]);

    const [second] = await proposalsTitled("Second offline");
    const newGroup = await getDb().selectFrom("organisation").selectAll().where("id", "=", second!.organisation_id).executeTakeFirstOrThrow();
    expect(newGroup).toMatchObject({ name: "Offline Newcomers", kind: "community_group", contact_email: "new@example.org", created_by: admin.id });

    const events = await auditEventsFor("proposal.imported");
    expect(events.filter((e) => e.entity_id === first!.id || e.entity_id === second!.id).map((e) => e.actor)).toEqual([admin.id, admin.id]);
    expect((await auditEventsFor("organisation.created_by_import")).some((e) => e.entity_id === newGroup.id)).toBe(true);

    // The lead organisation is told there is something new to read.
    const leadMail = await getDb().selectFrom("email_outbox").select("subject").where("to_address", "=", leadStaff.email).execute();
    expect(leadMail.filter((m) => m.subject.startsWith("Proposal imported"))).toHaveLength(2);
  });

  it("importing the same file twice is refused, naming the existing proposal", async () => {
    const response = await postImport({ csv: importCsv(GOOD) });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.rowErrors[0]).toMatch(/^Row 2: "Export Garden" already has a proposal called "Offline kitchen".*Was this file imported before\?$/);
    expect(body.values.csv).toContain("Offline kitchen");
  });

  it("a pasted CSV works too, and checking it writes nothing", async () => {
    const text = importCsv({ ...GOOD, title: "Pasted and checked" });
    const checked = await postImport({ csv: text, intent: "check" });
    expect(checked.status).toBe(200);
    expect((await checked.json()).checked).toEqual([
      { row: 2, title: "Pasted and checked", communityGroupName: "Export Garden", isNewGroup: false, decisionGroupName: "Export East", amountPence: 2_500_000 },
    ]);
    expect(await proposalsTitled("Pasted and checked")).toEqual([]);
    const imported = await postImport({ csv: text });
    expect(imported.status).toBe(200);
    expect(await proposalsTitled("Pasted and checked")).toHaveLength(1);
  });

  it("nothing to import, a broken CSV, a wrong header and an Excel workbook are each a 400 with a plain message", async () => {
    const empty = await postImport({});
    expect(empty.status).toBe(400);
    expect((await empty.json()).errors.file).toBe("Choose a CSV file, or paste the proposals into the box");

    const broken = await postImport({ csv: 'decision_group,title\n"Export East,Unclosed' });
    expect(broken.status).toBe(400);
    expect((await broken.json()).rowErrors).toEqual(["Row 2: a quoted cell is never closed. Check for a missing quote mark."]);

    const header = await postImport({ csv: "group,name\nA,B\n" });
    expect(header.status).toBe(400);
    expect((await header.json()).rowErrors[0]).toMatch(/^The header row \(row 1\) is missing these columns: decision_group/);

    const workbook = await postImport({ fileBytes: [0x50, 0x4b, 0x03, 0x04, 1, 2, 3], fileName: "proposals.xlsx" });
    expect(workbook.status).toBe(400);
    expect((await workbook.json()).errors.file).toMatch(/Excel workbook/);
  });

  it("a file over 2 MB is a 400, not a 500", async () => {
    const response = await postImport({ file: "x".repeat(2_000_001) });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.file).toMatch(/2 MB or smaller/);
  });

  it("a post without the form token is refused before any file is read", async () => {
    const form = new FormData();
    form.append("file", new File([importCsv({ ...GOOD, title: "Forged" })], "p.csv", { type: "text/csv" }));
    form.append("intent", "import");
    const request = new Request(`${ORIGIN}/admin/proposals/import`, { method: "POST", body: form, headers: { Origin: ORIGIN, Cookie: adminCookie } });
    expect((await runAction(importAction, request)).status).toBe(403);
    expect(await proposalsTitled("Forged")).toEqual([]);
  });

  it("the page documents the columns and lists the decision groups; the template downloads", async () => {
    const page = await runLoader(importLoader, getRequest("/admin/proposals/import", { cookie: adminCookie }));
    expect(page.status).toBe(200);
    expect((await page.json()).groups.map((g: { name: string }) => g.name)).toContain("Export East");
    const template = await runLoader(templateLoader, getRequest("/admin/proposals/import-template.csv", { cookie: adminCookie }));
    expect(template.status).toBe(200);
    expect(template.headers.get("Content-Disposition")).toMatch(/attachment/);
    expect(parseCsv(await template.text())[0]).toEqual(IMPORT_COLUMN_NAMES);
  });
});

describe("export and import are for administrators only", () => {
  it("lead organisations and applicants get 403 on the export, the template, the import page and the import action", async () => {
    const lead = await makeOrganisation({ kind: "lead_org" });
    for (const user of [await makeUser({ role: "lead_org", organisationId: lead.id }), await makeUser({ role: "applicant", organisationId: community.id })]) {
      const cookie = await sessionCookieFor(user.id);
      expect((await runLoader(exportLoader, getRequest("/admin/proposals/export.csv", { cookie }))).status).toBe(403);
      expect((await runLoader(templateLoader, getRequest("/admin/proposals/import-template.csv", { cookie }))).status).toBe(403);
      expect((await runLoader(importLoader, getRequest("/admin/proposals/import", { cookie }))).status).toBe(403);
      expect((await postImport({ csv: importCsv({ ...GOOD, title: "Not allowed" }) }, cookie)).status).toBe(403);
      expect((await runAction(importAction, await postForm("/admin/proposals/import", { csv: "x" }, { cookie }))).status).toBe(403);
    }
    expect(await proposalsTitled("Not allowed")).toEqual([]);
  });
});

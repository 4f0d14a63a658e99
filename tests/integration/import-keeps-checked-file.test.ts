import { beforeAll, describe, expect, it } from "vitest";
import { toCsv } from "~/domain/csv";
import { IMPORT_COLUMN_NAMES, IMPORTED_STATUS } from "~/domain/proposal-import";
import { action as importAction } from "~/routes/admin.proposals.import";
import { getDb } from "~/utils/db.server";
import { makeDecisionGroup, makeFund, makeOrganisation, makeUser } from "../factories";
import { csrfFor, ORIGIN, runAction, sessionCookieFor } from "../support/http";

let adminCookie: string;

beforeAll(async () => {
  const admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
  const fund = await makeFund({ name: "Kept-file fund" });
  const lead = await makeOrganisation({ kind: "lead_org", name: "Kept Anchor" });
  await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id, name: "Kept East" });
  await makeOrganisation({ name: "Kept Garden" });
});

const ROW: Record<string, string> = {
  decision_group: "Kept East",
  community_group: "Kept Garden",
  title: "Checked once, imported once",
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
const csv = (row: Record<string, string>) => toCsv([IMPORT_COLUMN_NAMES.slice(), IMPORT_COLUMN_NAMES.map((c) => row[c] ?? "")]);

/** A multipart post as the browser sends it; `file` empty means no file chosen (the browser sends an empty part). */
async function post(fields: { file?: string; kept?: Record<string, string>; intent: "check" | "import" }) {
  const { token, cookie } = await csrfFor();
  const form = new FormData();
  form.append("csrf", token);
  for (const [k, v] of Object.entries(fields.kept ?? {})) form.append(k, v);
  form.append("file", new File([fields.file ?? ""], fields.file ? "offline.csv" : "", { type: "text/csv" }));
  form.append("csv", "");
  form.append("intent", fields.intent);
  const request = new Request(`${ORIGIN}/admin/proposals/import`, {
    method: "POST",
    body: form,
    headers: { Origin: ORIGIN, Cookie: `${cookie}; ${adminCookie}` },
  });
  return runAction(importAction, request);
}

const titled = (title: string) => getDb().selectFrom("proposal").select(["id", "status"]).where("title", "=", title).execute();

describe("the import keeps the checked file", () => {
  it("the status named on the page comes from a shared module, not the server-only service", () => {
    expect(IMPORTED_STATUS).toBe("submitted");
  });

  it("after checking a file, Import proposals imports it without choosing it again", async () => {
    const checked = await post({ file: csv(ROW), intent: "check" });
    expect(checked.status).toBe(200);
    const data = (await checked.json()) as { checked: unknown[]; kept: { csv: string; fileName: string } };
    expect(data.checked).toHaveLength(1);
    expect(data.kept).toEqual({ csv: csv(ROW), fileName: "offline.csv" });
    expect(await titled(ROW.title!)).toEqual([]);

    // The second step: no file chosen, the kept text comes back in the form's hidden fields.
    const imported = await post({ kept: { keptCsv: data.kept.csv, keptFileName: data.kept.fileName }, intent: "import" });
    expect(imported.status).toBe(200);
    expect(((await imported.json()) as { imported: unknown[] }).imported).toHaveLength(1);
    expect(await titled(ROW.title!)).toEqual([{ id: expect.any(String), status: IMPORTED_STATUS }]);
  });

  it("a newly chosen file wins over the kept one, and the kept text is checked again like any other", async () => {
    const other = { ...ROW, title: "The newer file" };
    const response = await post({ file: csv(other), kept: { keptCsv: csv({ ...ROW, title: "The older file" }), keptFileName: "old.csv" }, intent: "import" });
    expect(response.status).toBe(200);
    expect(await titled("The newer file")).toHaveLength(1);
    expect(await titled("The older file")).toEqual([]);

    const bad = await post({ kept: { keptCsv: csv({ ...ROW, title: "Bad kept", decision_group: "Nowhere" }), keptFileName: "x.csv" }, intent: "import" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { rowErrors: string[] }).rowErrors[0]).toMatch(/^Row 2:/);
    expect(await titled("Bad kept")).toEqual([]);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { toCsv } from "~/domain/csv";
import { action as bulkAction, loader as bulkLoader } from "~/routes/admin.invitations_.bulk";
import { loader as templateLoader } from "~/routes/admin.invitations_.bulk-template[.]csv";
import { getDb } from "~/utils/db.server";
import { bodyLimitFor } from "../../server.js";
import { auditEventsFor, countOf, makeDecisionGroup, makeFund, makeOrganisation, makeUser } from "../factories";
import { csrfFor, getRequest, ORIGIN, runAction, runLoader, sessionCookieFor } from "../support/http";

let adminCookie: string;
let groupName: string;
let leadName: string;
let memberEmail: string;

beforeAll(async () => {
  const admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
  const fund = await makeFund({ name: "Bulk fund" });
  const lead = await makeOrganisation({ kind: "lead_org", name: "Bulk Anchor" });
  const group = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id, name: "Bulk East" });
  groupName = group.name;
  leadName = "Bulk Anchor";
  // Already on the panel: a row inviting them again to the same group is refused.
  const member = await makeUser({ role: "panel_member", decisionGroupId: group.id, email: "sitting@example.test" });
  memberEmail = member.email;
});

const HEADER = ["name", "email", "role", "constituency", "group"];

/** A multipart post as the browser sends it; no file chosen sends an empty file part. */
async function post(fields: {
  file?: { text: string | Uint8Array<ArrayBuffer>; name?: string; type?: string };
  kept?: Record<string, string>;
  intent: "check" | "send";
  csv?: string;
}) {
  const { token, cookie } = await csrfFor();
  const form = new FormData();
  form.append("csrf", token);
  for (const [k, v] of Object.entries(fields.kept ?? {})) form.append(k, v);
  const f = fields.file;
  form.append("file", new File([f?.text ?? ""], f ? (f.name ?? "people.csv") : "", { type: f?.type ?? "text/csv" }));
  form.append("csv", fields.csv ?? "");
  form.append("intent", fields.intent);
  const request = new Request(`${ORIGIN}/admin/invitations/bulk`, {
    method: "POST",
    body: form,
    headers: { Origin: ORIGIN, Cookie: `${cookie}; ${adminCookie}` },
  });
  return runAction(bulkAction, request);
}

interface Preview {
  preview: { rows: { row: number; email: string; errors: string[] }[]; sendable: number };
  kept: { csv: string; fileName: string };
}

const invitationsTo = (emails: string[]) => getDb().selectFrom("invitation").select(["email", "role", "constituency"]).where("email", "in", emails).execute();

describe("inviting people in bulk from a CSV file", () => {
  it("the preview lists every row with its problems in plain English, and sends nothing", async () => {
    const csv = toCsv([
      HEADER,
      ["Good Resident", "good1@example.test", "Panel member", "resident", groupName], // row 2: fine
      ["Bad Role", "badrole@example.test", "Chief", "", groupName], // row 3
      ["Bad Email", "not-an-email", "panel_member", "resident", groupName], // row 4
      ["Bad Constituency", "badcon@example.test", "Panel member", "mayor", groupName], // row 5
      ["Unknown Group", "nogroup@example.test", "Panel member", "vcse", "Atlantis"], // row 6
      ["Twice", "GOOD1@example.test", "Panel member", "councillor", groupName], // row 7: same email as row 2
      ["Sitting Member", memberEmail, "Panel member", "resident", groupName], // row 8: already a member
      ["Lead Staff", "leadstaff@example.test", "Lead organisation", "", leadName], // row 9: fine
      ["Boss", "boss@example.test", "admin", "", ""], // row 10: not from a file
    ]);
    const before = await countOf("invitation");
    const response = await post({ file: { text: csv }, intent: "check" });
    expect(response.status).toBe(200);
    const data = (await response.json()) as Preview;
    const errorsOf = (row: number) => data.preview.rows.find((r) => r.row === row)!.errors;
    expect(errorsOf(2)).toEqual([]);
    expect(errorsOf(3)).toEqual(['"Chief" is not a role we know. Use "Panel member", "Lead organisation" or "Specialist adviser".']);
    expect(errorsOf(4)).toEqual(['"not-an-email" is not an email address. It should look like name@example.com.']);
    expect(errorsOf(5)).toEqual(['"mayor" is not a constituency. Use resident, councillor or vcse.']);
    expect(errorsOf(6)).toEqual(['"Atlantis" is not a decision group we know.']);
    expect(errorsOf(7)).toEqual(["This email address is also on row 2. Each person once per file."]);
    expect(errorsOf(8)).toEqual(["This person already has this role."]);
    expect(errorsOf(9)).toEqual([]);
    expect(errorsOf(10)).toEqual(["Administrators are not invited from a file. Invite each one on the Invite someone page."]);
    expect(data.preview.sendable).toBe(2);
    expect(data.kept).toEqual({ csv, fileName: "people.csv" });
    expect(await countOf("invitation")).toBe(before);
  });

  it("sending the kept file creates exactly the valid rows' invitations, each with an audit event and an email, and lists the rest", async () => {
    const people = Array.from({ length: 12 }, (_, i) => [
      `Person ${i}`,
      `person${i}@example.test`,
      "Panel member",
      ["resident", "councillor", "vcse"][i % 3]!,
      groupName,
    ]);
    const csv = toCsv([HEADER, ...people, ["Nobody", "nobody@example.test", "Panel member", "resident", "Nowhere"]]);
    const checked = (await (await post({ file: { text: csv }, intent: "check" })).json()) as Preview;
    expect(checked.preview.sendable).toBe(12);

    const auditBefore = (await auditEventsFor("invitation.created")).length;
    const emailsBefore = await countOf("email_outbox");
    // The second step: no file chosen; the checked text comes back in the hidden fields.
    const sent = await post({ kept: { keptCsv: checked.kept.csv, keptFileName: checked.kept.fileName, confirmedCount: "12" }, intent: "send" });
    expect(sent.status).toBe(200);
    const result = (await sent.json()) as { sent: { row: number }[]; notSent: { row: number; errors: string[] }[] };
    expect(result.sent).toHaveLength(12);
    expect(result.notSent).toEqual([expect.objectContaining({ row: 14, errors: ['"Nowhere" is not a decision group we know.'] })]);

    const emails = people.map((p) => p[1]!);
    const rows = await invitationsTo([...emails, "nobody@example.test"]);
    expect(rows).toHaveLength(12);
    expect(rows.filter((r) => r.constituency === "vcse")).toHaveLength(4);
    expect((await auditEventsFor("invitation.created")).length - auditBefore).toBe(12);
    expect((await countOf("email_outbox")) - emailsBefore).toBe(12);

    // The same file again: every row is now "already invited", so nothing is sent twice.
    const again = (await (await post({ file: { text: csv }, intent: "check" })).json()) as Preview;
    expect(again.preview.sendable).toBe(0);
    expect(again.preview.rows[0]!.errors).toEqual(["This person was already invited to this role, and the invitation has not expired yet."]);
  });

  it("a double click sends the invitations once: the repeat gets the first answer", async () => {
    const csv = toCsv([HEADER, ["Double Click", "double@example.test", "Panel member", "resident", groupName]]);
    const kept = { keptCsv: csv, keptFileName: "x.csv", confirmedCount: "1", submissionKey: "bulk-double-click-key-1" };
    const first = await post({ kept, intent: "send" });
    const second = await post({ kept, intent: "send" });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual(await first.json());
    expect(await invitationsTo(["double@example.test"])).toHaveLength(1);
  });

  it("refuses to send when the number of rows that can be sent is not the number confirmed", async () => {
    const csv = toCsv([HEADER, ["Late Comer", "late@example.test", "Specialist adviser", "", groupName]]);
    const response = await post({ kept: { keptCsv: csv, keptFileName: "x.csv", confirmedCount: "5" }, intent: "send" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ changed: true, preview: { sendable: 1 } });
    expect(await invitationsTo(["late@example.test"])).toEqual([]);
  });

  it("a file over 1 MB is refused with 413 and a clear message; the server's limit for the page lets the route say so", async () => {
    const big = "name,email,role,constituency,group\r\n" + "x".repeat(1024 * 1024 + 10);
    const response = await post({ file: { text: big }, intent: "check" });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ errors: { file: "The file is bigger than 1 MB. Split it into smaller files and send each one." } });
    expect(bodyLimitFor("/admin/invitations/bulk", "multipart/form-data; boundary=x")).toBeGreaterThan(1024 * 1024);
  });

  it("a file that is not a CSV is refused with 400", async () => {
    const notCsv = 'This is not a CSV file. In your spreadsheet, choose "Save As", then "CSV UTF-8", and upload that file.';
    const png = await post({ file: { text: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), name: "photo.png", type: "image/png" }, intent: "check" });
    expect(png.status).toBe(400);
    expect(await png.json()).toMatchObject({ errors: { file: notCsv } });
    const xlsx = await post({ file: { text: new Uint8Array([0x50, 0x4b, 3, 4, 1, 2]), name: "people.csv", type: "text/csv" }, intent: "check" });
    expect(xlsx.status).toBe(400);
    expect(await xlsx.json()).toMatchObject({ errors: { file: notCsv } });
  });

  it("pasted rows work like a file, and a file without the header names the missing columns", async () => {
    const pasted = await post({ csv: `name,email,role,constituency,group\nPaste Person,paste@example.test,adviser,,${groupName}`, intent: "check" });
    expect(((await pasted.json()) as Preview).preview.sendable).toBe(1);
    const headless = await post({ csv: "Sam,sam@example.test", intent: "check" });
    expect(headless.status).toBe(400);
    expect(((await headless.json()) as { fileErrors: string[] }).fileErrors[0]).toContain("These columns are missing: name, email, role, constituency, group");
  });

  it("the template downloads as CSV with the header and example rows; the page needs an administrator", async () => {
    const template = await runLoader(templateLoader, getRequest("/admin/invitations/bulk-template.csv", { cookie: adminCookie }));
    expect(template.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const text = await template.text();
    expect(text.replace("\uFEFF", "").split("\r\n")[0]).toBe("name,email,role,constituency,group");
    const lead = await makeUser({ role: "lead_org" });
    const refused = await runLoader(bulkLoader, getRequest("/admin/invitations/bulk", { cookie: await sessionCookieFor(lead.id) }));
    expect(refused.status).toBe(403);
  });
});

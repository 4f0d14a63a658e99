import type { Browser } from "playwright-core";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { DATABASE_VARIABLE, serverUrl } from "./server";

// Issue 11: a group's results page and a meeting's agenda show 50 proposals a page, with page links that work
// without JavaScript. The demo group gets 60 more proposals under review, each scored, and a meeting.

const baseUrl = serverUrl();
const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
const resident = DEMO_ACCOUNTS.find((a) => a.email === "resident@demo.example")!;
const stamp = Date.now().toString(36);
let browser: Browser;
let groupId: string;
let meetingId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const db = new SQLite(process.env[DATABASE_VARIABLE]!);
  try {
    const member = db
      .prepare("select m.user_id, m.decision_group_id from membership m join user u on u.id = m.user_id where u.email = ? and m.role = 'panel_member'")
      .get(resident.email) as { user_id: string; decision_group_id: string };
    groupId = member.decision_group_id;
    const template = db.prepare("select * from proposal where decision_group_id = ? limit 1").get(groupId) as Record<string, unknown>;
    const criteria = db.prepare("select c.id from criterion c join decision_group g on g.fund_id = c.fund_id where g.id = ?").all(groupId) as { id: string }[];
    const columns = Object.keys(template);
    const insertProposal = db.prepare(`insert into proposal (${columns.join(", ")}) values (${columns.map((c) => `@${c}`).join(", ")})`);
    const insertSheet = db.prepare("insert into score_sheet (id, proposal_id, user_id, overall_comment, submitted_at, updated_at) values (?, ?, ?, '', ?, ?)");
    const insertScore = db.prepare("insert into score (id, score_sheet_id, criterion_id, mark, comment) values (?, ?, ?, ?, '')");
    const now = new Date().toISOString();
    db.transaction(() => {
      for (let i = 0; i < 60; i++) {
        const id = `paged-${stamp}-${i}`;
        insertProposal.run({ ...template, id, reference: `PG-${stamp}-${String(i).padStart(2, "0")}`, title: `Paged project ${i}`, status: "under_review" });
        insertSheet.run(`${id}-sheet`, id, member.user_id, now, now);
        for (const c of criteria) insertScore.run(`${id}-${c.id}`, `${id}-sheet`, c.id, i % 6);
      }
      meetingId = `paged-meeting-${stamp}`;
      db.prepare(
        "insert into meeting (id, decision_group_id, title, held_on, status, minutes, opened_by, created_at, closed_at) values (?, ?, ?, '2027-03-14', 'open', '', ?, ?, null)",
      ).run(meetingId, groupId, `Paged meeting ${stamp}`, member.user_id, now);
    })();
  } finally {
    db.close();
  }
});
afterAll(async () => {
  await browser?.close();
});

test("without JavaScript: the results page shows 50 proposals, the next page the rest, and a page past the end says so", async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  page.setDefaultTimeout(10_000);
  await signIn(page, baseUrl, admin.email, admin.password);
  await page.goto(`${baseUrl}/admin/groups/${groupId}/results`);
  await page.getByText(/^Showing proposals 1 to 50 of \d+/).waitFor();
  expect(await page.locator("table tbody tr").count()).toBe(50);
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Next page" }).click();
  await page.getByText(/^Showing proposals 51 to \d+ of \d+/).waitFor();
  expect(new URL(page.url()).searchParams.get("page")).toBe("2");
  const response = await page.goto(`${baseUrl}/admin/groups/${groupId}/results?page=99`);
  expect(response?.status()).toBe(200);
  await page
    .getByRole("status")
    .getByText(/^There is no page 99\. This is page \d+, the last one\.$/)
    .waitFor();
  await page.close();

  // axe runs in the page, so it needs JavaScript.
  const checked = await newPage(browser);
  checked.setDefaultTimeout(10_000);
  await signIn(checked, baseUrl, admin.email, admin.password);
  await checked.goto(`${baseUrl}/admin/groups/${groupId}/results?page=99`);
  await checked
    .getByRole("status")
    .getByText(/^There is no page 99/)
    .waitFor();
  await expectNoAxeViolations(checked, "/admin/groups/:groupId/results?page=99");
  await checked.close();
}, 150_000);

test("without JavaScript: a panel member pages through the meeting's agenda", async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  page.setDefaultTimeout(10_000);
  await signIn(page, baseUrl, resident.email, resident.password);
  await page.goto(`${baseUrl}/panel/meetings/${meetingId}`);
  await page.getByText(/^Showing proposals 1 to 50 of \d+ on the agenda\.$/).waitFor();
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Next page" }).click();
  await page.getByText(/^Showing proposals 51 to \d+ of \d+ on the agenda\.$/).waitFor();
  expect(new URL(page.url()).searchParams.get("page")).toBe("2");
  const response = await page.goto(`${baseUrl}/panel/meetings/${meetingId}?page=nine`);
  expect(response?.status()).toBe(200);
  await page.getByText(/^Showing proposals 1 to 50 of \d+ on the agenda\.$/).waitFor();
  await page.close();

  const checked = await newPage(browser);
  checked.setDefaultTimeout(10_000);
  await signIn(checked, baseUrl, resident.email, resident.password);
  await checked.goto(`${baseUrl}/panel/meetings/${meetingId}?page=2`);
  await checked.getByText(/^Showing proposals 51 to/).waitFor();
  await expectNoAxeViolations(checked, "/panel/meetings/:meetingId?page=2");
  await checked.close();
}, 150_000);

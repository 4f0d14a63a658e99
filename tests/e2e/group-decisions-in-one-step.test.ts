import SQLite from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { DATABASE_VARIABLE, serverUrl } from "./server";

// Issue 10: the allocation leads with its recommendation, and a group's decisions are recorded in one step, without JavaScript.

const baseUrl = serverUrl();
const admin = DEMO_ACCOUNTS.find((a) => a.email === "admin@demo.example")!;
let browser: Browser;
let page: Page;
/** The same administrator with JavaScript off: the forms and the folded method work without it (axe needs JavaScript, so it runs on `page`). */
let noJs: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await newPage(browser);
  page.setDefaultTimeout(20_000);
  await signIn(page, baseUrl, admin.email, admin.password);
  noJs = await newPage(browser, { javaScriptEnabled: false });
  noJs.setDefaultTimeout(20_000);
  await signIn(noJs, baseUrl, admin.email, admin.password);
});
afterAll(async () => {
  await browser?.close();
});

/** The demo's South Bristol group: its scoring is still open, and P-0008 is scored and waiting for a decision. */
function southBristol(): { id: string; proposal: { reference: string; title: string } } {
  const db = new SQLite(process.env[DATABASE_VARIABLE]!, { fileMustExist: true, readonly: true });
  try {
    const group = db
      .prepare(
        "select decision_group.id from decision_group join fund on fund.id = decision_group.fund_id where decision_group.name = ? and fund.results_published_at is null",
      )
      .get("South Bristol") as { id: string };
    const proposal = db
      .prepare("select reference, title from proposal where decision_group_id = ? and status = 'under_review' order by reference")
      .get(group.id) as { reference: string; title: string };
    return { id: group.id, proposal };
  } finally {
    db.close();
  }
}

const RECORD_ALL = /^Record all \d+ decisions? and tell the groups$/;

test("while scoring is open the one-step page says so and offers no form", async () => {
  const group = southBristol();
  await page.goto(`${baseUrl}/admin/groups/${group.id}/decisions/all`);
  await page.getByRole("note").getByText("close scoring first", { exact: false }).waitFor();
  await expect(page.getByRole("button", { name: /^Record all/ }).count()).resolves.toBe(0);
  await expectNoAxeViolations(page, "/admin/groups/:groupId/decisions/all while scoring is open");

  await noJs.goto(`${baseUrl}/admin/groups/${group.id}/scoring`);
  await Promise.all([noJs.waitForURL(/done=closed/), noJs.getByRole("button", { name: "Close scoring for this group" }).click()]);
});

test("the allocation page leads with one sentence, and the method opens from a summary", async () => {
  const group = southBristol();
  await page.goto(`${baseUrl}/admin/groups/${group.id}/allocation`);
  const lead = page.locator("#recommendation");
  await lead.getByRole("heading", { name: "Our recommendation" }).waitFor();
  await expect(lead.locator("p").textContent()).resolves.toMatch(
    new RegExp(`^Fund ${group.proposal.reference} .*, £[\\d,]+, the same as going down the ranking\\.$`),
  );
  await expectNoAxeViolations(page, "/admin/groups/:groupId/allocation");
  // Folded away, and it opens without JavaScript.
  await noJs.goto(`${baseUrl}/admin/groups/${group.id}/allocation`);
  await expect(noJs.getByText("Tie rule", { exact: true }).isVisible()).resolves.toBe(false);
  await noJs.getByText("How the recommendation is worked out", { exact: true }).click();
  await expect(noJs.getByText("Tie rule", { exact: true }).isVisible()).resolves.toBe(true);

  await Promise.all([page.waitForURL(/\/decisions\?done=recommended/), page.getByRole("button", { name: "Use this allocation" }).click()]);
});

test("the administrator records the group's decisions in one step, without JavaScript; a problem keeps what was typed", async () => {
  const group = southBristol();
  await page.goto(`${baseUrl}/admin/groups/${group.id}/decisions/all`);
  await page.getByRole("heading", { level: 1, name: "Record all decisions in one step" }).waitFor();
  const row = page.getByRole("region", { name: new RegExp(`^${group.proposal.reference}`) });
  await expect(row.getByRole("radio", { name: "Funded", exact: true }).isChecked()).resolves.toBe(true);
  await expect(row.getByLabel(/^Reason/).inputValue()).resolves.toBe("Funded: the panel's chosen allocation includes it.");
  await expectNoAxeViolations(page, "/admin/groups/:groupId/decisions/all");

  // No reason: the page names the problem on the row, and keeps the conditions typed.
  await row.getByLabel(/^Reason/).fill("");
  await row.getByLabel(/^Conditions/).fill("Planning permission for the shelter.");
  await page.getByRole("button", { name: RECORD_ALL }).click();
  await page.getByRole("alert", { name: "There is a problem" }).getByText("Write the reason for this decision", { exact: false }).waitFor();
  await expect(row.getByLabel(/^Conditions/).inputValue()).resolves.toBe("Planning permission for the shelter.");
  await expectNoAxeViolations(page, "/admin/groups/:groupId/decisions/all with a problem");

  // Recorded without JavaScript: one ordinary form post.
  await noJs.goto(`${baseUrl}/admin/groups/${group.id}/decisions/all`);
  const noJsRow = noJs.getByRole("region", { name: new RegExp(`^${group.proposal.reference}`) });
  await noJsRow.getByLabel(/^Reason/).fill("Funded: it scored well on need, and the panel's chosen allocation includes it.");
  await noJsRow.getByLabel(/^Conditions/).fill("Planning permission for the shelter.");
  await Promise.all([noJs.waitForURL(/\/decisions\?done=all/), noJs.getByRole("button", { name: RECORD_ALL }).click()]);
  await noJs.getByRole("status").getByText("All the decisions are recorded").waitFor();

  await page.goto(`${baseUrl}/admin/groups/${group.id}/decisions`);
  await page.getByRole("table", { name: "Proposals decided" }).getByRole("row").filter({ hasText: group.proposal.reference }).waitFor();
  await expectNoAxeViolations(page, "/admin/groups/:groupId/decisions after one step");
});

test("the administrator makes the group's offers at once, after a check that shows how many and the total", async () => {
  const group = southBristol();
  await page.goto(`${baseUrl}/admin/awards?offerGroup=${group.id}#confirm-offers`);
  const confirm = page.locator("#confirm-offers");
  await confirm.getByRole("heading", { name: "Make 1 offer for South Bristol?" }).waitFor();
  await confirm.getByText(/^This makes 1 award, £[\d,]+ in all/).waitFor();
  await expectNoAxeViolations(page, "/admin/awards: make all offers, confirm");

  await Promise.all([
    noJs.waitForURL(/made=1/),
    (async () => {
      await noJs.goto(`${baseUrl}/admin/awards?offerGroup=${group.id}`);
      await noJs.getByRole("button", { name: "Yes, make the offer" }).click();
    })(),
  ]);
  await noJs
    .getByRole("status")
    .getByText(/^1 offer made for South Bristol, £[\d,]+ in all\./)
    .waitFor();

  // Nothing is left to offer: the check says so and offers no button.
  await page.goto(`${baseUrl}/admin/awards?offerGroup=${group.id}`);
  await page.locator("#confirm-offers").getByText("Every funded decision in South Bristol already has an award.").waitFor();
  await expectNoAxeViolations(page, "/admin/awards: nothing left to offer");
});

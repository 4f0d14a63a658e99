import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { serverUrl } from "./server";

const baseUrl = serverUrl();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const VIEWPORT = { width: 320, height: 640 };
const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
const lead = DEMO_ACCOUNTS.find((a) => a.role === "lead_org")!;

async function expectNoHorizontalScroll(page: Page, label: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${label} scrolls sideways at 320 px`).toBeLessThanOrEqual(VIEWPORT.width);
}

// New proposals, so the demo's own proposals keep the states other browser tests expect.
const stamp = Date.now().toString(36);
const titles = [`Offline hall floor ${stamp}`, `Offline play area ${stamp}`];
const importFile = [
  "decision_group,community_group,title,summary,need_type,need_evidence,beneficiaries,beneficiary_count,what_built,budget_lines,amount_requested,start_date,end_date,outcomes",
  ...titles.map(
    (title) =>
      `Inner City and East,Lawrence Hill Community Garden,${title},"A new floor, gathered on paper.",felt,Asked for at meetings,Neighbours,80,A new floor,"Floor: £60,000",£60000,01/04/2027,2027-06-30,Hall open daily | bookings counted`,
  ),
].join("\r\n");

test("without JavaScript: an administrator imports offline proposals, the lead organisation supports them, and the administrator screens both at once", async () => {
  const adminPage = await newPage(browser, { viewport: VIEWPORT, javaScriptEnabled: false });
  adminPage.setDefaultTimeout(10_000);
  await signIn(adminPage, baseUrl, admin.email, admin.password);
  await adminPage.goto(`${baseUrl}/admin/proposals/import`);
  await adminPage.getByLabel("Upload a CSV file").setInputFiles({ name: "offline.csv", mimeType: "text/csv", buffer: Buffer.from(importFile) });
  await adminPage.getByRole("button", { name: "Import proposals" }).click();
  await adminPage.getByRole("status").getByText("2 proposals imported", { exact: false }).waitFor();

  const leadPage = await newPage(browser, { viewport: VIEWPORT, javaScriptEnabled: false });
  leadPage.setDefaultTimeout(10_000);
  await signIn(leadPage, baseUrl, lead.email, lead.password);
  for (const title of titles) {
    await leadPage.goto(`${baseUrl}/lead`);
    await leadPage.getByRole("link", { name: title }).click();
    await leadPage.getByRole("button", { name: "Support", exact: true }).click();
    // Without a statement the page comes back with the error, and nothing changes.
    await leadPage.getByRole("alert").getByText("Write a support statement").waitFor();
    await leadPage.getByLabel("Support statement").fill("We gathered this with the group and back it.");
    await leadPage.getByRole("button", { name: "Support", exact: true }).click();
    await leadPage.getByRole("status").getByText("Proposal supported", { exact: false }).waitFor();
  }

  await adminPage.goto(`${baseUrl}/admin/screening?sort=title`);
  for (const title of titles) await adminPage.getByLabel(new RegExp(`^Select P-\\d+, ${title}$`)).check();
  await adminPage.getByRole("button", { name: "Mark selected eligible" }).click();
  await adminPage.getByRole("status").getByText("2 proposals marked eligible", { exact: false }).waitFor();

  await adminPage.goto(`${baseUrl}/admin/screening?status=eligible&sort=title`);
  await adminPage.getByRole("link", { name: titles[0] }).click();
  await adminPage.getByText(`Imported by ${admin.name} on`, { exact: false }).waitFor();
  await adminPage.context().close();
  await leadPage.context().close();
}, 120_000);

// axe needs JavaScript in the page, so the layout and accessibility checks run with it on.
test("the lead organisation's and the screening pages fit a 320 px screen and stay accessible, errors included", async () => {
  const leadPage = await newPage(browser, { viewport: VIEWPORT });
  leadPage.setDefaultTimeout(10_000);
  await signIn(leadPage, baseUrl, lead.email, lead.password);
  for (const view of ["new", "waiting", "supported", "declined"]) {
    await leadPage.goto(`${baseUrl}/lead?view=${view}`);
    await expectNoHorizontalScroll(leadPage, `/lead?view=${view}`);
    await expectNoAxeViolations(leadPage, `/lead?view=${view} at 320 px`);
  }
  await leadPage.goto(`${baseUrl}/lead?view=new`);
  await leadPage.locator("main table a").first().click();
  await leadPage.getByRole("button", { name: "Decline", exact: true }).waitFor();
  await expectNoHorizontalScroll(leadPage, "/lead/proposals/:id");
  await expectNoAxeViolations(leadPage, "/lead/proposals/:id at 320 px");
  await leadPage.getByRole("button", { name: "Decline", exact: true }).click();
  await leadPage.getByRole("alert").getByText("Write the reason for declining").waitFor();
  await expectNoAxeViolations(leadPage, "/lead/proposals/:id with an error");
  await leadPage.context().close();

  const adminPage = await newPage(browser, { viewport: VIEWPORT });
  adminPage.setDefaultTimeout(10_000);
  await signIn(adminPage, baseUrl, admin.email, admin.password);
  await adminPage.goto(`${baseUrl}/admin/screening?status=`);
  await expectNoHorizontalScroll(adminPage, "/admin/screening");
  await expectNoAxeViolations(adminPage, "/admin/screening at 320 px");
  await adminPage.getByRole("button", { name: "Mark selected not eligible" }).click();
  await adminPage.getByRole("alert").getByText("Select at least one proposal").waitFor();
  await expectNoAxeViolations(adminPage, "/admin/screening with errors");
  await adminPage.locator("main table tbody a").first().click();
  await adminPage.getByRole("heading", { name: "Eligibility answers" }).waitFor();
  await expectNoHorizontalScroll(adminPage, "/admin/proposals/:id");
  await expectNoAxeViolations(adminPage, "/admin/proposals/:id at 320 px");
  await adminPage.goto(`${baseUrl}/admin/proposals/import`);
  await expectNoHorizontalScroll(adminPage, "/admin/proposals/import");
  await expectNoAxeViolations(adminPage, "/admin/proposals/import at 320 px");
  await adminPage.getByLabel("Or paste the CSV here").fill("decision_group,title\nNowhere,Test\n");
  await adminPage.getByRole("button", { name: "Check without importing" }).click();
  await adminPage.getByRole("alert").getByText("The header row (row 1) is missing", { exact: false }).waitFor();
  await expectNoAxeViolations(adminPage, "/admin/proposals/import with errors");
  await adminPage.context().close();
}, 120_000);

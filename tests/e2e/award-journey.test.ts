import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS, DEMO_MEMBER_PASSWORD } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { serverUrl } from "./server";

// Issue 5's journey through the pages: offer → accept → condition evidence →
// payment → report → closure, on the demo's waiting offer (A Changing Places toilet).

const baseUrl = serverUrl();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
const today = new Date().toISOString().slice(0, 10);
const later = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);

/** Clicks a button and waits for the post to finish, with or without JavaScript (Remix may submit without a page load). */
async function click(page: Page, name: string | RegExp) {
  await page
    .getByRole("button", { name, exact: typeof name === "string" })
    .first()
    .click();
  await page.waitForLoadState("networkidle");
}

async function choose(page: Page, name: string, value: string) {
  const select = page.locator(`select[name="${name}"]`);
  if (await select.count()) await select.selectOption(value);
  else await page.locator(`input[name="${name}"][value="${value}"]`).check();
}

test("an award goes from offer to closure through the pages", async () => {
  const group = await newPage(browser);
  group.setDefaultTimeout(15_000);
  await signIn(group, baseUrl, "deaf-community-hub-bristol@demo.example", DEMO_MEMBER_PASSWORD);
  await group.goto(`${baseUrl}/applicant`);
  await group
    .locator('a[href^="/awards/"]', { hasText: /Changing Places|A-0001/ })
    .first()
    .click();
  await group.waitForURL(/\/awards\/[^/]+$/);
  const awardPath = new URL(group.url()).pathname;
  const awardId = awardPath.split("/").pop()!;
  await expectNoAxeViolations(group, "award page, offered");

  await group.goto(`${baseUrl}${awardPath}/offer`);
  await group.getByText("We offer a grant of", { exact: false }).waitFor();
  await expectNoAxeViolations(group, "offer letter");

  await group.goto(`${baseUrl}${awardPath}`);
  await group.getByLabel("Full name of the authorised signatory").fill("Dee Signer");
  await group.getByLabel("Their role in your group").fill("Chair");
  await click(group, "Accept the offer");
  await group.getByText("by Dee Signer (Chair)", { exact: false }).waitFor();
  await group.getByLabel("Describe your evidence").first().fill("Two quotes, from Avon Builders and Frome Construction.");
  await click(group, "Send evidence");
  await expectNoAxeViolations(group, "award page, accepted");

  const office = await newPage(browser);
  office.setDefaultTimeout(15_000);
  await signIn(office, baseUrl, admin.email, admin.password);
  await office.goto(`${baseUrl}/admin/awards/${awardId}`);
  await click(office, /^Sign off/);
  await office.getByText("Signed off by", { exact: false }).first().waitFor();
  await expectNoAxeViolations(office, "admin award page");

  await office.goto(`${baseUrl}/admin/awards/${awardId}/payments`);
  await office.locator('input[name="instalments[0].amount"]').fill("20000");
  await office.locator('input[name="instalments[0].dueOn"]').fill(today);
  await choose(office, "instalments[0].releasedBy", "acceptance");
  await office.locator('input[name="instalments[1].amount"]').fill("32000");
  await office.locator('input[name="instalments[1].dueOn"]').fill(later);
  await choose(office, "instalments[1].releasedBy", "conditions_met");
  await click(office, "Save the schedule");
  await office.locator('select[name="instalmentId"] option').nth(1).waitFor({ state: "attached" });
  await office.locator('select[name="instalmentId"]').selectOption({ index: 1 });
  await office.locator('input[name="amount"]').fill("20000");
  await office.locator('input[name="paidOn"]').fill(today);
  await office.locator('input[name="reference"]').fill("BACS-E2E-1");
  await click(office, "Record payment");
  await office.getByText("BACS-E2E-1").waitFor();
  // Never more than the award: £60,000 on top of £20,000 paid would overpay £52,000.
  await office.locator('input[name="amount"]').fill("60000");
  await office.locator('input[name="paidOn"]').fill(today);
  await office.locator('input[name="reference"]').fill("BACS-E2E-2");
  await click(office, "Record payment");
  await office.getByRole("alert").waitFor();
  expect(await office.locator("main").innerText()).not.toContain("BACS-E2E-2\t");
  await expectNoAxeViolations(office, "payments page with an error");

  await office.goto(`${baseUrl}/admin/awards/${awardId}/reports`);
  await choose(office, "kind", "final");
  await office.locator('input[name="dueOn"]').fill(later);
  await click(office, "Add reporting date");
  await office.locator("table").getByText("Final report").first().waitFor();

  await group.goto(`${baseUrl}${awardPath}/reports`);
  await group.locator(`a[href^="${awardPath}/reports/"]`).first().click();
  await group.getByLabel("Progress", { exact: true }).fill("The toilet is built and the hoist is installed; first users this week.");
  await group.getByLabel(/^Building work \(budget/).fill("20000");
  await group.getByLabel(/^Hoist and bench \(budget/).fill("0");
  await expectNoAxeViolations(group, "report form");
  await click(group, "Send the report");
  await group
    .getByText("Submitted", { exact: false })
    .first()
    .waitFor()
    .catch(async (error) => {
      throw new Error(`After sending the report (${group.url()}): ${(await group.locator("main").innerText()).slice(0, 1500)}`, { cause: error });
    });

  await office.goto(`${baseUrl}/admin/awards/${awardId}/reports`);
  await click(office, "Approve report");
  await office.getByText("Approved").first().waitFor();

  await office.goto(`${baseUrl}/admin/awards/${awardId}/close`);
  await office.getByLabel("Outcome summary").fill("Built and in daily use; 40 people used it in the first month.");
  await expectNoAxeViolations(office, "close page");
  await click(office, "Close the award");
  await office.getByRole("status").getByText("This award was closed on", { exact: false }).waitFor();

  // The dashboard adds the £20,000 to what has been paid.
  await office.goto(`${baseUrl}/admin/dashboard`);
  await expectNoAxeViolations(office, "dashboard");
});

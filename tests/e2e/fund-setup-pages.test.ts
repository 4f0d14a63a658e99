import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { serverUrl } from "./server";

const baseUrl = serverUrl();
const VIEWPORT = { width: 320, height: 640 };
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function expectFitsWidth(page: Page, label: string) {
  const { scrollWidth, tooWide } = await page.evaluate(() => {
    const limit = document.documentElement.clientWidth + 0.5;
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > limit)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}`);
    return { scrollWidth: document.documentElement.scrollWidth, tooWide: wide };
  });
  expect(scrollWidth, `${label} scrolls sideways at 320 px. Too wide: ${tooWide.join("; ")}`).toBeLessThanOrEqual(VIEWPORT.width);
}

test("the public fund pages fit a 320 px screen, are accessible, and offer to start a proposal for each decision group", async () => {
  const page = await newPage(browser, { viewport: VIEWPORT });
  await page.goto(`${baseUrl}/funds`);
  await expectFitsWidth(page, "/funds");
  await expectNoAxeViolations(page, "/funds at 320 px");
  await page.getByRole("link", { name: "Community Resilience Fund (demo)" }).click();
  await page.getByRole("heading", { level: 1, name: "Community Resilience Fund (demo)" }).waitFor();
  await expectFitsWidth(page, "a fund's public page");
  await expectNoAxeViolations(page, "a fund's public page at 320 px");
  expect(await page.getByRole("link", { name: /^Start a proposal for / }).count()).toBeGreaterThan(0);
  await page.context().close();
});

test("with JavaScript off, an administrator sets up a fund: errors are summarised and typed input kept, then it saves", async () => {
  const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
  const page = await newPage(browser, { viewport: VIEWPORT, javaScriptEnabled: false });
  await signIn(page, baseUrl, admin.email, admin.password);
  await page.goto(`${baseUrl}/admin/funds/new`);
  await page.getByLabel("Name of the fund").fill("Browser-made fund");
  await page.getByLabel("Purpose", { exact: true }).fill("Small capital grants for community spaces.");
  await page.getByLabel(/^Capital/).check();
  await page.getByLabel("Total budget, in pounds").fill("abc");
  await page.getByRole("button", { name: "Create fund" }).click();
  await page.getByRole("alert").getByText("Enter the total budget as an amount of money, like 50000 or £50,000.00").waitFor();
  expect(await page.getByLabel("Name of the fund").inputValue()).toBe("Browser-made fund");
  await page.getByLabel("Total budget, in pounds").fill("250000");
  await page.getByRole("button", { name: "Create fund" }).click();
  await page.getByRole("status").getByText("Fund created.", { exact: false }).waitFor();
  const fundPath = new URL(page.url()).pathname;
  // A decision group whose pot is more than the whole budget is refused with the amount over.
  await page.goto(`${baseUrl}${fundPath}/groups`);
  await page.getByLabel("Name of the decision group").fill("Whole city");
  await page.getByLabel("Area or community of interest").fill("All of Bristol");
  await page.getByLabel("Ring-fenced pot, in pounds").fill("300000");
  await page.getByLabel("Minimum grant, in pounds").fill("1000");
  await page.getByLabel("Maximum grant, in pounds").fill("50000");
  await page.getByLabel("Inner East Community Anchor").check();
  await page.getByRole("button", { name: "Add decision group" }).click();
  await page
    .getByRole("alert")
    .getByText(/£50,000 more than the fund's total budget of £250,000/)
    .waitFor();
  expect(await page.getByLabel("Inner East Community Anchor").isChecked()).toBe(true);
  await page.getByLabel("Ring-fenced pot, in pounds").fill("200000");
  await page.getByRole("button", { name: "Add decision group" }).click();
  await page.getByRole("status").getByText("Decision group added.").waitFor();
  expect(await page.getByRole("row", { name: /Whole city/ }).count()).toBe(1);
  await page.context().close();
});

test("the fund set-up pages fit a 320 px screen and stay accessible, errors included", async () => {
  const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
  const page = await newPage(browser, { viewport: VIEWPORT });
  await signIn(page, baseUrl, admin.email, admin.password);
  await page.goto(`${baseUrl}/admin/funds`);
  await expectFitsWidth(page, "/admin/funds");
  await expectNoAxeViolations(page, "/admin/funds at 320 px");
  await Promise.all([page.waitForURL(/\/admin\/funds\/[0-9a-f-]{36}$/), page.getByRole("link", { name: "Community Resilience Fund (demo)" }).click()]);
  const fundPath = new URL(page.url()).pathname;
  for (const sub of ["", "/eligibility", "/criteria", "/groups"]) {
    const response = await page.goto(`${baseUrl}${fundPath}${sub}`);
    expect(response?.status(), `${fundPath}${sub}`).toBe(200);
    await expectFitsWidth(page, `${fundPath}${sub}`);
    await expectNoAxeViolations(page, `${fundPath}${sub} at 320 px`);
  }
  await page
    .getByRole("link", { name: /^Change / })
    .first()
    .click();
  await page.getByRole("heading", { level: 1, name: /^Change / }).waitFor();
  await expectFitsWidth(page, "a decision group's page");
  await expectNoAxeViolations(page, "a decision group's page at 320 px");
  await page.goto(`${baseUrl}${fundPath}/eligibility`);
  await page.getByRole("button", { name: "Add question" }).click();
  await page.getByRole("alert").waitFor();
  await expectFitsWidth(page, "the eligibility form with errors");
  await expectNoAxeViolations(page, "the eligibility form with errors at 320 px");
  await page.goto(`${baseUrl}/admin/organisations`);
  await expectFitsWidth(page, "/admin/organisations");
  await expectNoAxeViolations(page, "/admin/organisations at 320 px");
  await page.context().close();
});

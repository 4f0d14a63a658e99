import type { Browser } from "playwright-core";
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

test("an unknown address shows a plain-English 'Page not found' with status 404", async () => {
  const page = await newPage(browser);
  const response = await page.goto(`${baseUrl}/no-such-page`);
  expect(response?.status()).toBe(404);
  expect(await page.locator("h1").innerText()).toBe("Page not found");
  expect(await page.title()).toBe("Page not found – Community Grant Decisions");
  // The favicon is served, not a second 404.
  expect((await page.request.get(`${baseUrl}/favicon.ico`)).status()).toBe(200);
  await expectNoAxeViolations(page, "/no-such-page");
  await page.context().close();
});

test("a panel member who opens the admin pages sees a plain-English 403 page", async () => {
  const panelMember = DEMO_ACCOUNTS.find((a) => a.role === "panel_member")!;
  const page = await newPage(browser);
  await signIn(page, baseUrl, panelMember.email, panelMember.password);
  const response = await page.goto(`${baseUrl}/admin`);
  expect(response?.status()).toBe(403);
  expect(await page.locator("h1").innerText()).toBe("You do not have permission to see this page");
  expect(await page.locator("main").innerText()).toContain("contact the fund administrator");
  await expectNoAxeViolations(page, "/admin as a panel member");
  await page.context().close();
});

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { ROLE_HOME } from "../../app/domain/roles";
import { launchBrowser, newPage, signIn } from "./browser";
import { serverUrl } from "./server";

const baseUrl = serverUrl();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test("signing in and out works with JavaScript turned off", async () => {
  const account = DEMO_ACCOUNTS.find((a) => a.role === "applicant")!;
  const page = await newPage(browser, { javaScriptEnabled: false });

  await signIn(page, baseUrl, account.email, account.password);
  expect(new URL(page.url()).pathname).toBe(ROLE_HOME[account.role]);
  expect(await page.locator("header").first().innerText()).toContain(`Signed in as ${account.name}`);
  expect(await page.locator("h1").first().isVisible()).toBe(true);

  await Promise.all([page.waitForURL((u) => u.pathname === "/login", { waitUntil: "load" }), page.getByRole("button", { name: "Sign out" }).click()]);
  expect(await page.locator("header").first().innerText()).not.toContain("Signed in as");

  // The session really ended: the home page now sends us back to sign in.
  await page.goto(`${baseUrl}${ROLE_HOME[account.role]}`);
  expect(new URL(page.url()).pathname).toBe("/login");
  await page.context().close();
});

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage } from "./browser";
import { serverUrl } from "./server";

const baseUrl = serverUrl();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test("a wrong password shows the error summary, keeps the typed email and stays accessible", async () => {
  const account = DEMO_ACCOUNTS.find((a) => a.role === "lead_org")!;
  const page = await newPage(browser);
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email address").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill("not-the-right-password");
  await page.getByRole("button", { name: "Sign in" }).click();

  const summary = page.getByRole("alert");
  await summary.waitFor();
  expect(await summary.innerText()).toContain("There is a problem");
  expect(new URL(page.url()).pathname).toBe("/login");
  expect(await page.getByLabel("Email address").inputValue()).toBe(account.email);
  await expectNoAxeViolations(page, "/login with a wrong password");
  await page.context().close();
});

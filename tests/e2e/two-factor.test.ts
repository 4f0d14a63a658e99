import { Secret, TOTP } from "otpauth";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, nextDemoCode, signIn } from "./browser";
import { serverUrl } from "./server";

const baseUrl = serverUrl();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test("the demo administrator gives a code from the published key after the password; a wrong one is refused accessibly", async () => {
  const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
  const page = await newPage(browser);
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email address").fill(admin.email);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await Promise.all([page.waitForURL((u) => u.pathname === "/login/code", { waitUntil: "load" }), page.getByRole("button", { name: "Sign in" }).click()]);
  await page.getByRole("heading", { level: 1, name: "Enter your sign-in code" }).waitFor();
  // Still not signed in: the header offers sign-in, and an administrator page sends here to sign in.
  expect(await page.locator("header").first().innerText()).not.toContain("Signed in as");
  await expectNoAxeViolations(page, "/login/code");

  await page.getByLabel("Code", { exact: true }).fill("000000");
  await page.getByRole("button", { name: "Continue" }).click();
  const summary = page.getByRole("alert");
  await summary.waitFor();
  expect(await summary.innerText()).toContain("The code is not right");
  expect(new URL(page.url()).pathname).toBe("/login/code");
  await expectNoAxeViolations(page, "/login/code with a wrong code");

  await page.getByLabel("Code", { exact: true }).fill(await nextDemoCode(admin.email));
  await Promise.all([page.waitForURL((u) => u.pathname !== "/login/code", { waitUntil: "load" }), page.getByRole("button", { name: "Continue" }).click()]);
  expect(new URL(page.url()).pathname).toBe("/admin");
  await expect.poll(() => page.locator("header").first().innerText()).toContain(`Signed in as ${admin.name}`);

  // Their set-up page says it is on, and that an administrator cannot turn it off.
  await page.goto(`${baseUrl}/account/two-factor`);
  expect(await page.locator("main").innerText()).toContain("As a fund administrator you cannot turn two-factor sign-in off.");
  await expectNoAxeViolations(page, "/account/two-factor for an administrator");
  await page.context().close();
});

test("a lead organisation sets it up from the key shown as text, confirms with a code, and sees recovery codes once", async () => {
  const lead = DEMO_ACCOUNTS.find((a) => a.role === "lead_org")!;
  const page = await newPage(browser);
  await signIn(page, baseUrl, lead.email, lead.password);
  await page.goto(`${baseUrl}/account/two-factor`);
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await page.locator("#totp-key").waitFor();
  expect(await page.getByRole("img", { name: /QR code/ }).isVisible()).toBe(true);
  await expectNoAxeViolations(page, "/account/two-factor while setting up");

  const key = (await page.locator("#totp-key").innerText()).replace(/\s+/g, "");
  const code = new TOTP({ secret: Secret.fromBase32(key), algorithm: "SHA1", digits: 6, period: 30 }).generate();
  await page.getByLabel("Code from your app").fill(code);
  await page.getByRole("button", { name: "Confirm and turn on" }).click();
  await page.getByRole("heading", { name: "Your recovery codes" }).waitFor();
  expect(await page.locator("#codes-title + p + ol li").count()).toBe(10);
  await expectNoAxeViolations(page, "/account/two-factor showing recovery codes");
  await page.context().close();
});

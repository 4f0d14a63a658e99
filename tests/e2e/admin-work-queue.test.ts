import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { serverUrl } from "./server";

// Issue 10: the administrator's home is a queue of work, each kind linked to the page that does it.

const baseUrl = serverUrl();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;

test("the admin home lists the work waiting, and each link leads to where it is done", async () => {
  const page = await newPage(browser);
  page.setDefaultTimeout(15_000);
  await signIn(page, baseUrl, admin.email, admin.password);
  await page.goto(`${baseUrl}/admin`);
  await page.getByRole("heading", { name: "Work waiting for you" }).waitFor();
  await expectNoAxeViolations(page, "admin home work queue");

  for (const [label, path] of [
    ["Proposals to screen", "/admin/screening"],
    ["Decisions pending", "/admin/funds"],
    ["Evidence to sign off", "/admin/awards"],
    ["Payments to approve", "/admin/payments"],
    ["Overdue reports", "/admin/reports"],
  ] as const) {
    const link = page.getByRole("link", { name: new RegExp(`^${label}: \\d+$`) });
    expect(await link.getAttribute("href")).toBe(path);
  }

  // The demo has a report overdue: the count leads to the reports page that lists it.
  const overdue = page.getByRole("link", { name: /^Overdue reports: \d+$/ });
  expect(Number((await overdue.textContent())!.split(": ")[1])).toBeGreaterThan(0);
  await Promise.all([page.waitForURL((u) => u.pathname === "/admin/reports"), overdue.click()]);
  await page.getByRole("heading", { level: 1 }).waitFor();
});

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { collectCspViolations, launchBrowser, newPage, signIn } from "./browser";
import { serverUrl } from "./server";

const baseUrl = serverUrl();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test("the home page is served with a nonce-based CSP and the other security headers", async () => {
  const res = await fetch(`${baseUrl}/`);
  expect(res.status).toBe(200);
  const csp = res.headers.get("content-security-policy") ?? "";
  const directives = new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values] as const),
  );
  const scriptSrc = directives.get("script-src") ?? directives.get("default-src") ?? [];
  expect(
    scriptSrc.some((v) => /^'nonce-[A-Za-z0-9+/=_-]{16,}'$/.test(v)),
    `script-src has a nonce: ${csp}`,
  ).toBe(true);
  expect(scriptSrc, `script-src allows no inline scripts: ${csp}`).not.toContain("'unsafe-inline'");
  expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("referrer-policy")).toBeTruthy();

  // A fresh nonce per response.
  const again = await fetch(`${baseUrl}/`);
  expect(again.headers.get("content-security-policy")).not.toBe(csp);
});

test("pages load with JavaScript on and break no Content Security Policy rule", async () => {
  const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
  const page = await newPage(browser);
  const violations = collectCspViolations(page);
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));

  for (const path of ["/", "/login", "/register", "/forgot-password"]) {
    await page.goto(`${baseUrl}${path}`, { waitUntil: "networkidle" });
  }
  await signIn(page, baseUrl, admin.email, admin.password);
  await page.waitForLoadState("networkidle");
  for (const path of ["/admin", "/admin/users", "/admin/invitations", "/admin/audit", "/admin/outbox"]) {
    await page.goto(`${baseUrl}${path}`, { waitUntil: "networkidle" });
  }
  // Client-side navigation after hydration: follow a link in the menu.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link").first().click();
  await page.waitForLoadState("networkidle");

  expect(violations, violations.join("\n")).toEqual([]);
  expect(pageErrors, pageErrors.join("\n")).toEqual([]);
  await page.context().close();
});

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { CONSTITUENCY_LABELS, ROLE_HOME, ROLE_LABELS } from "../../app/domain/roles";
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

describe("demo accounts", () => {
  test("the sign-in page has no accessibility violations", async () => {
    const page = await newPage(browser);
    const response = await page.goto(`${baseUrl}/login`);
    expect(response?.status()).toBe(200);
    await expect.poll(() => page.locator("h1").isVisible()).toBe(true);
    await expectNoAxeViolations(page, "/login");
    await page.context().close();
  });

  test.each(DEMO_ACCOUNTS.map((a) => [`${a.name} (${a.role}${a.constituency ? `, ${a.constituency}` : ""})`, a] as const))(
    "%s signs in and reaches their accessible home page",
    async (_label, account) => {
      const page = await newPage(browser);
      await signIn(page, baseUrl, account.email, account.password);
      // A panel member who has not yet declared their interests is sent to declare them first.
      const home = new URL(page.url()).pathname;
      expect(account.role === "panel_member" ? [ROLE_HOME.panel_member, "/panel/interests"] : [ROLE_HOME[account.role]]).toContain(home);
      const header = page.locator("header").first();
      // The header names the role the pages act under, for example "Panel member (Resident), Inner City and East".
      const expectedRole = account.constituency ? `${ROLE_LABELS[account.role]} (${CONSTITUENCY_LABELS[account.constituency]}` : ROLE_LABELS[account.role];
      await expect.poll(() => header.innerText()).toContain(`Signed in as ${account.name}`);
      expect((await page.getByTestId("acting-as").innerText()).startsWith(expectedRole)).toBe(true);
      expect(await page.locator("h1").first().isVisible()).toBe(true);
      await expectNoAxeViolations(page, home);
      await page.context().close();
    },
  );

  test("the administrator's pages have no accessibility violations", async () => {
    const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
    const page = await newPage(browser);
    await signIn(page, baseUrl, admin.email, admin.password);
    for (const path of ["/admin/users", "/admin/invitations", "/admin/audit", "/admin/outbox"]) {
      const response = await page.goto(`${baseUrl}${path}`);
      expect(response?.status(), path).toBe(200);
      expect(await page.locator("h1").first().isVisible(), `${path} shows its heading`).toBe(true);
      await expectNoAxeViolations(page, path);
    }
    await page.context().close();
  });
});

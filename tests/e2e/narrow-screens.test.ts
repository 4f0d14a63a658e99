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

async function expectNoHorizontalScroll(page: Page, label: string) {
  const found = await page.evaluate(() => {
    const limit = document.documentElement.clientWidth + 0.5;
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.classList.length ? `.${[...el.classList].join(".")}` : ""}`;
    const tooWide: string[] = [];
    // Text that does not wrap (a long email address, say) overflows without widening its element, so look at text too.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode() && tooWide.length < 5) {
      const range = document.createRange();
      range.selectNodeContents(walker.currentNode);
      const right = Math.max(0, ...[...range.getClientRects()].map((r) => r.right));
      if (right > limit)
        tooWide.push(
          `text "${walker.currentNode.textContent!.trim().slice(0, 40)}" in ${describe(walker.currentNode.parentElement!)} (to ${Math.round(right)} px)`,
        );
    }
    for (const el of document.querySelectorAll("body *")) {
      if (tooWide.length >= 10) break;
      const right = el.getBoundingClientRect().right;
      if (right > limit) tooWide.push(`${describe(el)} (to ${Math.round(right)} px)`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, tooWide };
  });
  expect(found.scrollWidth, `${label} scrolls sideways at 320 px. Too wide: ${found.tooWide.join("; ")}`).toBeLessThanOrEqual(VIEWPORT.width);
}

test("the sign-in page fits a 320 px wide screen without scrolling sideways", async () => {
  const page = await newPage(browser, { viewport: VIEWPORT });
  await page.goto(`${baseUrl}/login`);
  await expectNoHorizontalScroll(page, "/login");
  await expectNoAxeViolations(page, "/login at 320 px");
  await page.context().close();
});

test("the administrator's pages fit a 320 px wide screen without scrolling sideways and stay accessible", async () => {
  const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
  const page = await newPage(browser, { viewport: VIEWPORT });
  await signIn(page, baseUrl, admin.email, admin.password);
  expect(new URL(page.url()).pathname).toBe("/admin");
  await expectNoHorizontalScroll(page, "/admin");
  await expectNoAxeViolations(page, "/admin at 320 px");
  // Long, unbreakable text is what usually overflows: queue an invitation to a long email address first.
  await page.goto(`${baseUrl}/admin/invitations`);
  await page.getByLabel("Full name").fill("Maximilian Bartholomew Fortescue-Smythe");
  await page.getByLabel("Email address").fill(`maximilian.bartholomew.fortescue-smythe.${Date.now()}@community-organisation.demo.example`);
  await page.getByRole("radio", { name: "Fund administrator" }).check();
  await page.getByRole("button", { name: "Send invitation" }).click();
  await page.getByRole("status").waitFor();
  // Wide tables may scroll inside their own box, but the page must not.
  for (const path of ["/admin/users", "/admin/invitations", "/admin/audit", "/admin/outbox"]) {
    await page.goto(`${baseUrl}${path}`);
    await expectNoHorizontalScroll(page, path);
    await expectNoAxeViolations(page, `${path} at 320 px`);
  }
  await page.context().close();
});

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS, DEMO_MEMBER_PASSWORD } from "../../db/demo-data";
import { launchBrowser, newPage, signIn } from "./browser";
import { serverUrl } from "./server";

// Issue 10, items 8 and 9, with JavaScript on: a form that adds something empties itself once sent,
// and the import page hydrates with the imported status's name.

const baseUrl = serverUrl();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const PDF = Buffer.from("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF");

/** Waits until Remix has hydrated the page, so clicks go through its client-side submissions. */
async function hydrated(page: Page) {
  await page.waitForFunction(() => Boolean((window as unknown as { __remixContext?: unknown }).__remixContext) && document.readyState === "complete");
  await page.waitForLoadState("networkidle");
}

test("evidence sent with JavaScript clears the note and the file, so a second click sends no second copy", async () => {
  const group = await newPage(browser);
  group.setDefaultTimeout(15_000);
  const pageErrors: string[] = [];
  group.on("pageerror", (error) => pageErrors.push(error.message));
  await signIn(group, baseUrl, "deaf-community-hub-bristol@demo.example", DEMO_MEMBER_PASSWORD);
  await group.goto(`${baseUrl}/applicant`);
  await group
    .locator('a[href^="/awards/"]', { hasText: /Changing Places|A-0001/ })
    .first()
    .click();
  await group.waitForURL(/\/awards\/[^/]+$/);
  await group.getByLabel("Full name of the authorised signatory").fill("Dee Signer");
  await group.getByLabel("Their role in your group").fill("Chair");
  await group.getByRole("button", { name: "Accept the offer" }).click();
  await group.getByText("by Dee Signer (Chair)", { exact: false }).waitFor();
  await hydrated(group);

  const form = group.locator('form[aria-label^="Evidence for"]').first();
  const note = form.getByLabel("Describe your evidence");
  const file = form.locator('input[type="file"]');
  await note.fill("Two quotes, from Avon Builders and Frome Construction.");
  await file.setInputFiles({ name: "quotes.pdf", mimeType: "application/pdf", buffer: PDF });
  const urlBefore = group.url();
  await form.getByRole("button", { name: "Send evidence" }).click();
  await group.getByText("Your evidence has been sent to the fund administrator.").waitFor();
  await group.waitForLoadState("networkidle");
  // Sent through Remix, not a page load: the same document is still there.
  expect(urlBefore.split("?")[0]).toBe(group.url().split("?")[0]);
  const evidenceForm = group.locator('form[aria-label^="Evidence for"]').first();
  const condition = group.locator("li", { has: evidenceForm }).first();
  await expect.poll(() => condition.locator('a[href^="/award-files/"]').count()).toBe(1);

  // The form is empty again…
  expect(await evidenceForm.getByLabel("Describe your evidence").inputValue()).toBe("");
  expect(await evidenceForm.locator('input[type="file"]').evaluate((input: HTMLInputElement) => input.files?.length ?? 0)).toBe(0);

  // …so a second click asks for a description instead of attaching the quote twice.
  await evidenceForm.getByRole("button", { name: "Send evidence" }).click();
  await group.getByRole("alert").waitFor();
  expect(await group.getByRole("alert").innerText()).toContain("Describe the evidence you are sending for this condition");
  await group.waitForLoadState("networkidle");
  expect(await condition.locator('a[href^="/award-files/"]').count()).toBe(1);
  expect(pageErrors).toEqual([]);
});

test("the import page names the imported status after hydration, with no React errors", async () => {
  const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
  const office = await newPage(browser);
  office.setDefaultTimeout(15_000);
  const errors: string[] = [];
  office.on("pageerror", (error) => errors.push(error.message));
  office.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await signIn(office, baseUrl, admin.email, admin.password);
  await office.goto(`${baseUrl}/admin/proposals/import`);
  await hydrated(office);
  const text = await office.locator("main").innerText();
  expect(text).toContain('Imported proposals arrive as "Submitted to lead organisation"');
  expect(text).not.toContain("undefined");
  expect(errors).toEqual([]);
});

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { emailsSentTo, serverUrl } from "./server";

// Issue 10, operations at scale: bulk invitations from a CSV, screening all matching proposals, and the dashboard's bars and list.
// The invitations first without JavaScript, as the forms must work that way; then the pages again with it, for axe.

const baseUrl = serverUrl();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;

test("an administrator checks a CSV of people, sees each row's problems, and sends the good rows without choosing the file again", async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  page.setDefaultTimeout(15_000);
  await signIn(page, baseUrl, admin.email, admin.password);
  await page.goto(`${baseUrl}/admin/invitations/bulk`);

  const csv = [
    "name,email,role,constituency,group",
    "Bea Bulk,bea.bulk@demo.example,Panel member,resident,Inner City and East",
    "Cal Bulk,cal.bulk@demo.example,Lead organisation,,Inner East Community Anchor",
    "Dee Bulk,dee.bulk@demo.example,Panel member,mayor,Inner City and East",
  ].join("\r\n");
  await page.getByLabel("Upload a CSV file").setInputFiles({ name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Check the file" }).click();
  await page.getByRole("heading", { name: "Check the rows" }).waitFor();
  expect(await page.getByRole("status").first().innerText()).toContain("2 people will be invited. 1 row has a problem and will not be sent.");
  await page.getByText('"mayor" is not a constituency. Use resident, councillor or vcse.').waitFor();

  await page.getByRole("button", { name: "Send 2 invitations" }).click();
  await page.getByText("2 invitations sent.").waitFor();
  expect(emailsSentTo("bea.bulk@demo.example")).toHaveLength(1);
  expect(emailsSentTo("cal.bulk@demo.example")).toHaveLength(1);
  expect(emailsSentTo("dee.bulk@demo.example")).toHaveLength(0);
  await page.context().close();
});

test("the preview, the screening confirmation and the dashboard's bars and needs-attention list pass axe", async () => {
  const page = await newPage(browser);
  page.setDefaultTimeout(15_000);
  await signIn(page, baseUrl, admin.email, admin.password);
  await page.goto(`${baseUrl}/admin/invitations/bulk`);
  await page.getByLabel("Or paste the CSV here").fill("name,email,role,constituency,group\nEve Bulk,not-an-email,Panel member,resident,Inner City and East");
  await page.getByRole("button", { name: "Check the file" }).click();
  await page.getByText('"not-an-email" is not an email address. It should look like name@example.com.').waitFor();
  await expectNoAxeViolations(page, "bulk invitations, preview");

  await page.goto(`${baseUrl}/admin/screening?status=`);
  const heading = page.getByRole("heading", { name: /^Mark all \d+ matching proposals?$/ });
  await heading.waitFor();
  await page.getByRole("radio", { name: "Eligible", exact: true }).check();
  await page.getByRole("button", { name: "Check how many will change" }).click();
  await page.getByRole("heading", { name: "Confirm" }).waitFor();
  expect(await page.getByText(/will be marked eligible/).innerText()).toMatch(/skipped\.$/);
  await expectNoAxeViolations(page, "screening, confirm all matching");

  await page.goto(`${baseUrl}/admin/dashboard`);
  await page.getByRole("heading", { name: "Needs attention" }).waitFor();
  expect(await page.getByRole("link", { name: /^Overdue monitoring reports: \d+$/ }).getAttribute("href")).toBe("/admin/reports");
  await page
    .getByRole("figure", { name: /^Pot, awarded and paid, / })
    .first()
    .waitFor();
  await expectNoAxeViolations(page, "awards dashboard with bars");
  await page.context().close();
});

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { PAST_FUND_NAME } from "../../db/demo-past-round";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { serverUrl } from "./server";

// Issue 10, item 14: who took part. The administrator adds a question; a panel member answers
// without JavaScript; the report hides the lone answer, and last year's demo round shows figures.

const baseUrl = serverUrl();
const CURRENT_FUND = "Community Resilience Fund (demo)";
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const account = (email: string) => DEMO_ACCOUNTS.find((a) => a.email === email)!;

async function openEqualityPage(page: Page, fundName: string) {
  await page.goto(`${baseUrl}/admin/funds`);
  await page.getByRole("link", { name: fundName, exact: true }).click();
  await page.getByRole("link", { name: /^Who took part/ }).click();
  await page.getByRole("heading", { level: 1, name: new RegExp(`^Who took part \\(equality monitoring\\): ${fundName.replace(/[()]/g, "\\$&")}`) }).waitFor();
}

let admin: Page;

test("last year's demo round shows the applicants' figures beside the area's, and hides the panel of four", async () => {
  // axe runs in the page, so the pages it checks have JavaScript on; the panel member answers without it.
  admin = await newPage(browser);
  admin.setDefaultTimeout(15_000);
  const adminAccount = account("admin@demo.example");
  await signIn(admin, baseUrl, adminAccount.email, adminAccount.password);

  // Last year's round: the demo's answers show against the area's figures, answers fewer than 5 panel members gave are hidden.
  await openEqualityPage(admin, PAST_FUND_NAME);
  const ageTable = admin.getByRole("table", { name: /^What is your age\?/ });
  const middle = ageTable.getByRole("row", { name: /^25 to 49/ });
  expect(await middle.innerText()).toContain("6 (50%)");
  expect(await middle.innerText()).toContain("6 points more than the area (+6)");
  expect(await middle.innerText()).toContain("5 (55.6%)");
  expect(await ageTable.getByRole("row", { name: /^50 to 64/ }).innerText()).toContain("Fewer than 5: hidden");
  await expectNoAxeViolations(admin, "equality report, last year's round");
}, 120_000);

test("a panel member answers without JavaScript, and the administrator sees the report", async () => {
  // This round: a question, with the area's figures (a bad one first).
  await openEqualityPage(admin, CURRENT_FUND);
  await admin.getByLabel("Question", { exact: true }).fill("Do you live in the area?");
  await admin.getByLabel("Answers, one on each line").fill("Yes\nNo");
  await admin.getByRole("button", { name: "Add question" }).click();
  await admin.getByText("Question added.").waitFor();
  await admin.getByLabel("Yes (%)").fill("101");
  await admin.getByLabel("No (%)").fill("10");
  await admin.getByRole("button", { name: "Save the area's figures" }).click();
  await admin.getByRole("alert").waitFor();
  expect(await admin.getByRole("alert").innerText()).toContain("Enter a percentage from 0 to 100");
  await expectNoAxeViolations(admin, "equality page with an error");
  await admin.getByLabel("Yes (%)").fill("90");
  await admin.getByRole("button", { name: "Save the area's figures" }).click();
  await admin.getByText("The area's figures are saved.").waitFor();
  await expectNoAxeViolations(admin, "equality page, set up");

  // A panel member finds the form on the panel home. axe checks it with JavaScript on…
  const resident = account("resident@demo.example");
  const checker = await newPage(browser);
  checker.setDefaultTimeout(15_000);
  await signIn(checker, baseUrl, resident.email, resident.password);
  await checker.goto(`${baseUrl}/panel`);
  await checker.getByRole("link", { name: `Answer a few questions for ${CURRENT_FUND}` }).click();
  await checker.getByText("You do not have to answer.").waitFor();
  await expectNoAxeViolations(checker, "equality form");
  const formUrl = checker.url();

  // …and they answer with it off.
  const member = await newPage(browser, { javaScriptEnabled: false });
  member.setDefaultTimeout(15_000);
  await signIn(member, baseUrl, resident.email, resident.password);
  await member.goto(`${baseUrl}/panel`);
  await member.getByRole("link", { name: `Answer a few questions for ${CURRENT_FUND}` }).click();
  await member.getByText("You do not have to answer.").waitFor();
  await member.getByRole("group", { name: "Do you live in the area?" }).getByLabel("Prefer not to say").check();
  await member.getByRole("button", { name: "Send my answers" }).click();
  await member.getByText("You have answered. Thank you.").waitFor();
  await member.goto(`${baseUrl}/panel`);
  expect(await member.getByRole("link", { name: `Answer a few questions for ${CURRENT_FUND}` }).count()).toBe(0);
  await checker.goto(formUrl);
  await checker.getByText("You have answered. Thank you.").waitFor();
  await expectNoAxeViolations(checker, "equality form, answered");

  // One answer: the administrator sees it counted nowhere, only hidden.
  await openEqualityPage(admin, CURRENT_FUND);
  const table = admin.getByRole("table", { name: /^Do you live in the area\?/ });
  expect(await table.getByRole("row", { name: /^Prefer not to say/ }).innerText()).toContain("Fewer than 5: hidden");
  expect(await admin.getByText("Panel members who answered: Fewer than 5: hidden").count()).toBe(1);
  await expectNoAxeViolations(admin, "equality report, one answer");
}, 180_000);

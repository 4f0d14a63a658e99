import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { BALLOT_FUND_NAME } from "../../db/demo-ballot";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { emailsSentTo, serverUrl } from "./server";

// Issue 12: a resident joins the demo's community vote with a postcode and the emailed code
// (read from the server's outbox table, as they would read their inbox), and casts an approval
// ballot with JavaScript off on a 320 px screen. axe runs on each page in a second tab with
// JavaScript on and the same cookies (axe runs in the page).

const baseUrl = serverUrl();
const VIEWPORT = { width: 320, height: 800 };
const EMAIL = "resident.voter@example.test";
let browser: Browser;
let voter: Page;
let checker: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  voter = await newPage(browser, { viewport: VIEWPORT, javaScriptEnabled: false });
  checker = await newPage(browser, { viewport: VIEWPORT });
});
afterAll(async () => {
  await browser?.close();
});

/** Loads the voter's page in the JavaScript tab, with the voter's cookies, and runs axe on it; checks nothing scrolls sideways at 320 px. */
async function checkPage(label: string) {
  await checker.context().addCookies(await voter.context().cookies());
  await checker.goto(voter.url());
  await expectNoAxeViolations(checker, label);
  const overflow = await checker.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${label} scrolls sideways at 320 px`).toBeLessThanOrEqual(0);
}

test("a resident joins with a postcode and an emailed code, and votes without JavaScript", async () => {
  voter.setDefaultTimeout(15_000);
  await voter.goto(`${baseUrl}/funds`);
  await voter.getByRole("link", { name: BALLOT_FUND_NAME }).first().click();
  await voter.getByText("People who live in the area decide.", { exact: false }).waitFor();
  await voter.getByText("The vote is open.", { exact: false }).waitFor();
  expect(await voter.locator("code").first().innerText()).toMatch(/^[0-9a-f]{64}$/);
  await checkPage("public fund page with its vote");

  await voter.getByRole("link", { name: "Take part in the vote" }).click();
  await voter.getByRole("heading", { level: 1, name: /^Vote:/ }).waitFor();
  await checkPage("vote page before joining");

  await voter.getByRole("link", { name: "Join the vote with your email" }).click();
  await voter.getByRole("heading", { level: 1, name: "Join the vote" }).waitFor();
  await checkPage("join page");
  // A postcode outside the area: the summary says why, and what was typed stays.
  await voter.getByLabel("Your postcode").fill("BS5 0AB");
  await voter.getByLabel("I am 16 or older").check();
  await voter.getByLabel("Your email address").fill(EMAIL);
  await voter.getByRole("button", { name: "Send me a code" }).click();
  await voter.getByRole("alert").getByText("This postcode is not in the area of this vote.", { exact: false }).waitFor();
  expect(await voter.getByLabel("Your email address").inputValue()).toBe(EMAIL);
  await voter.getByLabel("Your postcode").fill("co9 2ab");
  await voter.getByLabel("I am 16 or older").check();
  await voter.getByRole("button", { name: "Send me a code" }).click();
  await voter.getByRole("heading", { level: 1, name: "Check your email" }).waitFor();
  await checkPage("enter the code page");

  const email = emailsSentTo(EMAIL).at(-1)!;
  const code = /Your code is (\d{6})/.exec(email.body_text)![1]!;
  await voter.getByLabel("The code from the email").fill(code);
  await voter.getByRole("button", { name: "Continue" }).click();
  await voter.getByRole("group", { name: "Choose up to 2 projects" }).waitFor();
  await checkPage("the ballot");

  // Three ticks where two are allowed: a plain message, and the three ticks kept.
  const ideas = ["A repair cafe once a month", "Walks for people who feel alone", "Raised beds on the estate"];
  for (const idea of ideas) await voter.getByLabel(idea).check();
  await voter.getByRole("button", { name: "Send my vote" }).click();
  await voter.getByRole("alert").getByText("You chose 3 projects. You can choose up to 2. Untick 1.").waitFor();
  for (const idea of ideas) expect(await voter.getByLabel(idea).isChecked()).toBe(true);

  await voter.getByLabel(ideas[2]!).uncheck();
  await voter.getByRole("button", { name: "Send my vote" }).click();
  await voter.getByRole("status").getByText("Your vote is saved.", { exact: false }).waitFor();
  expect(await voter.getByLabel(ideas[0]!).isChecked()).toBe(true);
  expect(await voter.getByLabel(ideas[2]!).isChecked()).toBe(false);
  await checkPage("the ballot after voting");
  // With JavaScript, a summary of the choices stays on screen and says when it goes over the limit.
  await checker.getByText("Your choices: 2 of 2.").waitFor();
  await checker.getByLabel(ideas[2]!).check();
  await checker.getByText("Your choices: 3 of 2. That is over the limit.").waitFor();
  await expectNoAxeViolations(checker, "the ballot with the summary over the limit");
}, 180_000);

test("the administrator makes printed voter codes, and a resident without email votes with one", async () => {
  const admin = await newPage(browser, { viewport: VIEWPORT });
  admin.setDefaultTimeout(15_000);
  const account = DEMO_ACCOUNTS.find((a) => a.email === "admin@demo.example")!;
  await signIn(admin, baseUrl, account.email, account.password);
  await admin.goto(`${baseUrl}/admin/funds`);
  await admin.getByRole("link", { name: BALLOT_FUND_NAME, exact: true }).click();
  await admin.getByRole("link", { name: /^Community vote:/ }).click();
  await admin.getByRole("heading", { level: 1, name: "Community vote" }).waitFor();
  await admin.getByText("The rules are fixed.", { exact: false }).first().waitFor();
  await expectNoAxeViolations(admin, "community vote set-up page, opened");
  await admin.getByLabel("How many codes to make").fill("2");
  await admin.getByRole("button", { name: "Make codes" }).click();
  const shown = admin.getByRole("status").getByRole("listitem");
  await shown.first().waitFor();
  const codes = await shown.allInnerTexts();
  expect(codes).toHaveLength(2);
  expect(codes[0]).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}$/);
  await expectNoAxeViolations(admin, "community vote set-up page, with new codes");
  const fundPath = new URL(admin.url()).pathname.replace(/^\/admin/, "").replace(/\/ballot$/, "");

  const resident = await newPage(browser, { viewport: VIEWPORT, javaScriptEnabled: false });
  resident.setDefaultTimeout(15_000);
  await resident.goto(`${baseUrl}${fundPath}/vote/code`);
  await resident.getByLabel("The code on your card").fill(codes[0]!.toLowerCase());
  await resident.getByRole("button", { name: "Continue" }).click();
  await resident.getByRole("group", { name: "Choose up to 2 projects" }).waitFor();
  await resident.getByLabel("Cooking club in the holidays").check();
  await resident.getByRole("button", { name: "Send my vote" }).click();
  await resident.getByRole("status").getByText("Your vote is saved.", { exact: false }).waitFor();
  await checker.context().addCookies(await resident.context().cookies());
  await checker.goto(`${baseUrl}${fundPath}/vote/code`);
  await expectNoAxeViolations(checker, "vote with a printed code page");
  await admin.context().close();
  await resident.context().close();
}, 180_000);

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createDb } from "../../db/client";
import { DEMO_ACCOUNTS, DEMO_MEMBER_PASSWORD } from "../../db/demo-data";
import { PAST_FUND_NAME } from "../../db/demo-past-round";
import { HIDDEN_GROUP_MESSAGE } from "../../app/domain/evaluation";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { DATABASE_VARIABLE, emailsSentTo, serverUrl } from "./server";

// Issue 10, items 13 and 15: last year's demo round evaluates itself. The
// administrator sends the survey; a panel member who has not answered yet
// follows the emailed link and answers with JavaScript off; the report then
// counts them beside Bristol's figures, hides the smaller groups, and shows
// the process figures. axe finds nothing on either page.

const baseUrl = serverUrl();
const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
const MEMBER = "south-vcse@demo.example";
const COMMENT = `The reading pack came late (${Date.now().toString(36)}).`;
let browser: Browser;
let adminPage: Page;
let fundId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const db = createDb(process.env[DATABASE_VARIABLE]!);
  try {
    fundId = (await db.selectFrom("fund").select("id").where("name", "=", PAST_FUND_NAME).executeTakeFirstOrThrow()).id;
  } finally {
    await db.destroy();
  }
  adminPage = await newPage(browser);
  await signIn(adminPage, baseUrl, admin.email, admin.password);
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

test("the administrator finds the evaluation from the fund's page and sends the survey through the outbox", async () => {
  await adminPage.goto(`${baseUrl}/admin/funds/${fundId}`);
  await Promise.all([adminPage.waitForURL(/\/evaluation$/), adminPage.getByRole("link", { name: /^Evaluation/ }).click()]);
  await expectNoAxeViolations(adminPage, "evaluation page before sending");
  expect(await adminPage.locator("main").innerText()).toContain("11 of 13 people asked have answered.");
  await Promise.all([adminPage.waitForURL(/sent=\d+/), adminPage.getByRole("button", { name: "Send the survey" }).click()]);
  expect(await adminPage.getByRole("status").innerText()).toMatch(/Survey sent: 2 emails are in the outbox/);
  expect(emailsSentTo(MEMBER).some((e) => e.body_text.includes(`/survey/${fundId}`))).toBe(true);
});

test("the survey page and its error summary are accessible (axe, with JavaScript)", async () => {
  const page = await newPage(browser);
  await signIn(page, baseUrl, MEMBER, DEMO_MEMBER_PASSWORD);
  await page.goto(`${baseUrl}/survey/${fundId}`);
  expect(await page.locator("h1").innerText()).toBe("How did it go?");
  await expectNoAxeViolations(page, "survey page");
  // Sent with nothing chosen: the error summary lists each question (nothing is saved).
  await page.getByRole("button", { name: "Send my answers" }).click();
  await page.locator('[aria-labelledby="error-summary-title"]').waitFor();
  expect(await page.locator('[aria-labelledby="error-summary-title"]').innerText()).toContain('Choose an answer to "Would you take part again?"');
  await expectNoAxeViolations(page, "survey page with errors");
  await page.context().close();
}, 120_000);

test("a panel member answers the survey from the email's link, without JavaScript", async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  page.setDefaultTimeout(15_000);
  await signIn(page, baseUrl, MEMBER, DEMO_MEMBER_PASSWORD);
  const link = /(http\S+\/survey\/\S+)/.exec(emailsSentTo(MEMBER).find((e) => e.body_text.includes("/survey/"))!.body_text)![1]!;
  await page.goto(link.replace(/^https?:\/\/[^/]+/, baseUrl));
  expect(await page.locator("h1").innerText()).toBe("How did it go?");

  // Sent with only the comment: the plain HTML form comes back with the errors and the comment kept.
  await page.locator("textarea[name=comment]").fill(COMMENT);
  await Promise.all([page.waitForURL(/\/survey\//, { waitUntil: "load" }), page.getByRole("button", { name: "Send my answers" }).click()]);
  expect(await page.locator('[aria-labelledby="error-summary-title"]').innerText()).toContain('Choose an answer to "Did you feel listened to?"');
  expect(await page.locator("textarea[name=comment]").inputValue()).toBe(COMMENT);

  await page.locator("input[name=takePartAgain][value=yes]").check();
  await page.locator("input[name=gainedConfidence][value=yes]").check();
  await page.locator("input[name=feltListenedTo][value=partly]").check();
  await page.locator("input[name=feedbackUseful][value=yes]").check();
  await Promise.all([page.waitForURL(/answered=1/, { waitUntil: "load" }), page.getByRole("button", { name: "Send my answers" }).click()]);
  expect(await page.getByRole("status").innerText()).toBe("Thank you. We have your answers.");

  // One answer each: coming back shows the thank-you, not the form.
  await page.goto(`${baseUrl}/survey/${fundId}`);
  expect(await page.getByRole("button", { name: "Send my answers" }).count()).toBe(0);
  await page.context().close();
}, 120_000);

test("the report counts the answer beside Bristol's figures, hides groups under 5, and shows the process figures", async () => {
  await adminPage.goto(`${baseUrl}/admin/funds/${fundId}/evaluation`);
  const main = await adminPage.locator("main").innerText();
  expect(main).toContain("12 of 13 people asked have answered.");
  const panel = adminPage.getByRole("region", { name: "Panel members: answers to each question" });
  const takePartAgain = await panel.getByRole("row", { name: /Would you take part again/ }).innerText();
  // 8 of 9 panel members said yes (89%), next to Bristol's 84%.
  expect(takePartAgain).toMatch(/89% \(8\)/);
  expect(takePartAgain).toContain("84%");
  expect(main).toContain(COMMENT);
  expect(main.split(HIDDEN_GROUP_MESSAGE).length - 1).toBe(2);
  expect(main).toContain("£39,000: 13% of the fund's £300,000");
  expect(main).toContain("3 of 3 (100%)");
  await expectNoAxeViolations(adminPage, "evaluation report");
});

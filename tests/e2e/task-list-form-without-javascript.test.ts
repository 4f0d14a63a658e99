import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { serverUrl } from "./server";
import { fillOutline, openTask, press, saveSection } from "./task-list";

// Issue 10, item 6: the outline form as a task list, used with JavaScript off. Every
// section saves on its own, "add another" and the word count work on the server,
// and axe finds nothing on any page, at desktop width and at 320 px.

const baseUrl = serverUrl();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const applicant = DEMO_ACCOUNTS.find((a) => a.email === "applicant@demo.example")!;
const DESKTOP = { width: 1280, height: 800 };
const NARROW = { width: 320, height: 640 };

/**
 * axe needs JavaScript in the page, and this page has none. So the page's own
 * HTML, as the server sent it and with its scripts taken out, is shown in a
 * second page that has JavaScript, and axe runs there: at desktop width, then
 * at 320 px, where nothing may scroll sideways.
 */
let auditPage: Page;
async function audit(page: Page, label: string) {
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, "");
  const url = page.url().split("#")[0]!;
  await auditPage.route(
    (u) => u.href.split("#")[0] === url,
    (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }),
    { times: 1 },
  );
  await auditPage.setViewportSize(DESKTOP);
  await auditPage.goto(url);
  await expectNoAxeViolations(auditPage, label);
  await auditPage.setViewportSize(NARROW);
  await expectNoAxeViolations(auditPage, `${label} at 320 px`);
  const scrollWidth = await auditPage.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `${label} scrolls sideways at 320 px`).toBeLessThanOrEqual(NARROW.width);
}

test("the demo applicant fills the task list without JavaScript, adds a budget line, checks the answers and sends the proposal", async () => {
  const page = await newPage(browser, { javaScriptEnabled: false, viewport: DESKTOP });
  page.setDefaultTimeout(15_000);
  auditPage = await newPage(browser, { viewport: DESKTOP });
  auditPage.setDefaultTimeout(15_000);
  await signIn(page, baseUrl, applicant.email, applicant.password);

  await page.goto(`${baseUrl}/proposals/new`);
  await page.getByLabel(/Inner City and East/).check();
  await press(page, "Continue");
  for (const group of await page.getByRole("group").all()) {
    const firstAnswer = group.getByRole("radio").first();
    if (await firstAnswer.count()) await firstAnswer.check();
  }
  await press(page, "Start the outline proposal");
  await page.waitForURL(/\/proposals\/[^/]+\/edit$/);
  await expect.poll(() => page.getByText("Not started").count()).toBe(5);
  await audit(page, "task list, nothing started");

  // A summary that is too long is kept, and the page counts the words too many without JavaScript.
  await openTask(page, "About the project");
  await page.getByLabel("Title of your proposal", { exact: true }).fill("Tool library");
  await page.getByLabel("Summary", { exact: true }).fill(Array.from({ length: 160 }, () => "tools").join(" "));
  await page.getByRole("button", { name: "Save and go back to the list", exact: true }).click();
  await page.waitForLoadState("load");
  await page.getByRole("alert").getByText("You have 10 words too many").waitFor();
  await audit(page, "about the project, summary too long");
  // The other sections still save while this one has a problem.
  await page.goto(page.url().replace(/\/sections\/about$/, "/sections/benefits"));
  await page.getByLabel("Who will it help?", { exact: true }).fill("Neighbours in Lawrence Hill");
  await saveSection(page);
  await page.getByText('Your answers for "Who benefits" are saved.').waitFor();
  await expect.poll(() => page.getByText("In progress").count()).toBe(2);

  // Dates with a box left empty say which one.
  await openTask(page, "Dates");
  const start = page.getByRole("group", { name: "When will the project start?" });
  await start.getByLabel("Day").fill("1");
  await start.getByLabel("Year").fill("2027");
  await page.getByRole("button", { name: "Save and go back to the list", exact: true }).click();
  await page.waitForLoadState("load");
  await page.getByRole("alert").getByText("The start date must include a month").waitFor();
  await audit(page, "dates with a missing month");
  await page.goto(page.url().replace(/\/sections\/dates$/, "/edit"));

  const title = `Lawrence Hill tool library ${Date.now().toString(36)}`;
  await fillOutline(
    page,
    {
      title,
      summary: "A shared shed of tools that neighbours can borrow, with help to use them.",
      lines: [
        ["Shed and shelves", "40,000"],
        ["Tools", "20000.50"],
      ],
      amount: "60000.50",
      least: "55000",
      start: ["1", "5", "2027"],
      end: ["31", "3", "2028"],
      outcome: ["200 tools lent each year", "The loan book"],
    },
    (label) => audit(page, label),
  );
  await expect.poll(() => page.getByText("Completed").count()).toBe(5);
  await audit(page, "task list, all done");

  await openTask(page, "Check your answers");
  await page.getByText("Shed and shelves: £40,000").waitFor();
  await page.getByText("Tools: £20,000.50").waitFor();
  await page.getByText("£55,000", { exact: true }).waitFor();
  await expect(page.getByRole("link", { name: "Change title" }).getAttribute("href")).resolves.toMatch(/\/sections\/about$/);
  await audit(page, "check your answers");

  await press(page, "Submit to lead organisation");
  await page.waitForURL(/\/proposals\/[^/]+\?submitted=1$/);
  await page.getByText("Submitted to lead organisation").first().waitFor();
  await audit(page, "proposal page after sending");
}, 300_000);

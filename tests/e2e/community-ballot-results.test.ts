import fs from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { COUNTED_BALLOT_FUND_NAME } from "../../db/demo-ballot";
import { countInputFromPabulib, parsePabulib } from "../../app/domain/pabulib";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { serverUrl } from "./server";

// Issue 12: the demo's counted community vote. A member of the public opens the
// results from the fund page, reads the chosen rule's winners beside every other
// rule's, who voted by equality group and the funded money by group, and downloads the anonymised ballots (.pb) to recount. axe runs on the page;
// at 320 px the page does not scroll sideways (wide tables scroll inside themselves).

const baseUrl = serverUrl();
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await newPage(browser, { viewport: { width: 320, height: 800 }, acceptDownloads: true });
  page.setDefaultTimeout(15_000);
});
afterAll(async () => {
  await browser?.close();
});

test("the published result of a counted vote: winners, the rule comparison, fairness, and the .pb download", async () => {
  await page.goto(`${baseUrl}/funds`);
  await page.getByRole("link", { name: COUNTED_BALLOT_FUND_NAME }).first().click();
  await page.getByText("Voting has closed.", { exact: false }).waitFor();
  await page.getByRole("link", { name: "Results of the vote, and the ballots to recount them" }).click();
  await page.getByRole("heading", { level: 1, name: `Results of the vote: ${COUNTED_BALLOT_FUND_NAME}` }).waitFor();
  await page.getByText("38 people voted.", { exact: false }).waitFor();
  await page.getByRole("heading", { name: "Funded in Halstead" }).waitFor();
  await page.getByRole("heading", { name: "What each counting rule would have funded" }).waitFor();
  const comparison = page.getByRole("table", { name: "Each counting rule's outcome" });
  expect(await comparison.getByRole("row").count()).toBe(5);
  await comparison.getByText("(the rule used)").waitFor();
  await page.getByRole("heading", { name: "Where the money goes" }).waitFor();
  await page.getByRole("heading", { name: "Is the outcome fair?" }).waitFor();
  // Who voted, by equality group: a group of 10 or more shows, one under 10 is hidden, and money by group is shown only for voters who agreed.
  await page.getByRole("heading", { name: "Who voted, by equality group" }).waitFor();
  await page.getByText("How much of the funded money reached each group is shown next, only for voters who agreed to it", { exact: false }).waitFor();
  await page.getByText("An answer is shown only when 10 or more voters gave it", { exact: false }).waitFor();
  const ages = page.getByRole("table", { name: "How old are you?", exact: true });
  await expect(ages.getByRole("row", { name: /^Under 40 14 40% 45%$/ }).count()).resolves.toBe(1);
  await expect(ages.getByRole("row", { name: /^65 or over Fewer than 10: hidden/ }).count()).resolves.toBe(1);
  // Funded money by equality group: 28 voters agreed; two age groups show their money, 65 or over (3) is hidden with its money.
  await page.getByRole("heading", { name: "Funded money by equality group" }).waitFor();
  await page.getByText("28 voters agreed.", { exact: false }).waitFor();
  const money = page.getByRole("table", { name: "Funded money by equality group: How old are you?" });
  await expect(money.getByRole("row", { name: /^Under 40 12 43% £10,800 40% 45%$/ }).count()).resolves.toBe(1);
  await expect(money.getByRole("row", { name: /^40 to 64 13 46% £15,234\.92 56% 35%$/ }).count()).resolves.toBe(1);
  await expect(
    money.getByRole("row", { name: /^65 or over Fewer than 10: hidden Fewer than 10: hidden Fewer than 10: hidden Fewer than 10: hidden 20%$/ }).count(),
  ).resolves.toBe(1);
  await expectNoAxeViolations(page, "results of the vote");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "the results page scrolls sideways at 320 px").toBeLessThanOrEqual(0);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Ballots and projects for Halstead (.pb file)" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/halstead\.pb$/);
  const text = await fs.readFile((await download.path())!, "utf8");
  const file = parsePabulib(text);
  expect(file.meta.subunit).toBe("Halstead");
  expect(countInputFromPabulib(file).ballots.length).toBeGreaterThan(0);
});

test("the administrator records the counted vote's winners as decisions in one step, and the page then says when", async () => {
  const admin = await newPage(browser, { viewport: { width: 320, height: 800 } });
  admin.setDefaultTimeout(15_000);
  const account = DEMO_ACCOUNTS.find((a) => a.email === "admin@demo.example")!;
  await signIn(admin, baseUrl, account.email, account.password);
  await admin.goto(`${baseUrl}/admin/funds`);
  await admin.getByRole("link", { name: COUNTED_BALLOT_FUND_NAME, exact: true }).click();
  await admin.waitForURL(/\/admin\/funds\/[^/]+$/);
  await admin.goto(`${admin.url()}/ballot`);
  await admin.getByRole("heading", { name: "Record the winners as decisions" }).waitFor();
  await expectNoAxeViolations(admin, "community vote page, counted");
  await admin.getByRole("button", { name: "Record the winners as decisions" }).click();
  await admin.getByRole("status").getByText("The winners are recorded as funded and the other projects as not funded.", { exact: false }).waitFor();
  await admin.getByText("The winners were recorded as decisions on", { exact: false }).waitFor();
  expect(await admin.getByRole("button", { name: "Record the winners as decisions" }).count()).toBe(0);
  await expectNoAxeViolations(admin, "community vote page, winners recorded");
  await admin.close();
});

import fs from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { COUNTED_BALLOT_FUND_NAME } from "../../db/demo-ballot";
import { countInputFromPabulib, parsePabulib } from "../../app/domain/pabulib";
import { expectNoAxeViolations, launchBrowser, newPage } from "./browser";
import { serverUrl } from "./server";

// Issue 12: the demo's counted community vote. A member of the public opens the
// results from the fund page, reads the chosen rule's winners beside every other
// rule's, and downloads the anonymised ballots (.pb) to recount. axe runs on the page;
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

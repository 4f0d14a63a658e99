import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { BALLOT_FUND_NAME } from "../../db/demo-ballot";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { DEMO_TEAM_NAME } from "../../db/demo-teams";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { serverUrl } from "./server";

// Issue 13, part 5: the demo's community team member works on the team's pages with JavaScript off
// (forms, errors and all); axe runs on each team page in a tab with JavaScript on and the same cookies.
// Then the administrator's team pages and the public teams page, each with axe.

const baseUrl = serverUrl();
const member = DEMO_ACCOUNTS.find((a) => a.team)!;
const admin = DEMO_ACCOUNTS.find((a) => a.email === "admin@demo.example")!;
let browser: Browser;
let noJs: Page;
let checker: Page;
let teamPath = "";

beforeAll(async () => {
  browser = await launchBrowser();
  noJs = await newPage(browser, { javaScriptEnabled: false });
  checker = await newPage(browser);
  noJs.setDefaultTimeout(15_000);
});
afterAll(async () => {
  await browser?.close();
});

/** Opens the no-JavaScript tab's page in the JavaScript tab, with its cookies, and runs axe on it. */
async function checkPage(label: string) {
  await checker.context().addCookies(await noJs.context().cookies());
  await checker.goto(noJs.url());
  await expectNoAxeViolations(checker, label);
}

test("a team member records an idea, engagement and support without JavaScript, and sees where each idea got to", async () => {
  await signIn(noJs, baseUrl, member.email, member.password);
  expect(new URL(noJs.url()).pathname).toBe("/applicant");
  await noJs.getByRole("link", { name: /Your community team's ideas/ }).click();
  await noJs.getByRole("heading", { level: 1, name: DEMO_TEAM_NAME }).waitFor();
  teamPath = new URL(noJs.url()).pathname;
  expect(await noJs.getByText("Term current").isVisible()).toBe(true);
  const ideas = noJs.getByRole("table", { name: "The team's ideas, newest first" });
  expect(await ideas.getByRole("row", { name: /Bike repair sessions/ }).innerText()).toContain("Proposal");
  expect(await ideas.getByRole("row", { name: /homework club/ }).innerText()).toContain("Developing");
  await checkPage("team ideas page");

  // A missing title: the summary lists it, and what was typed stays.
  await noJs.getByLabel("What is the idea?").fill("A table tennis table in the park.");
  await noJs.getByLabel("Area", { exact: true }).fill("Braintree");
  await noJs.getByRole("button", { name: "Add idea" }).click();
  await noJs.getByRole("alert").getByText("Enter the idea's title").waitFor();
  expect(await noJs.getByLabel("What is the idea?").inputValue()).toBe("A table tennis table in the park.");
  await checkPage("team ideas page with an error");
  await noJs.getByLabel("Title of the idea").fill("Table tennis in the park");
  await noJs.getByRole("button", { name: "Add idea" }).click();
  await noJs.getByText("Idea added.").waitFor();
  await noJs.getByRole("link", { name: "Table tennis in the park" }).click();
  await noJs.getByRole("heading", { level: 1, name: "Table tennis in the park" }).waitFor();
  await checkPage("idea page");
  await noJs.getByLabel("Developing").check();
  await noJs.getByRole("button", { name: "Save" }).click();
  await noJs.getByText("Saved.").waitFor();

  // Engagement: a count that is not a whole number is refused.
  await noJs.goto(`${baseUrl}${teamPath}/engagement`);
  await noJs.getByRole("heading", { level: 2, name: "People engaged", exact: true }).waitFor();
  await checkPage("engagement page");
  await noJs.getByLabel("Date", { exact: true }).fill("2027-05-14");
  await noJs.getByLabel("Area", { exact: true }).fill("Braintree");
  await noJs.getByLabel("Activity").fill("Table tennis taster");
  await noJs.getByLabel("How many people").fill("12.5");
  await noJs.getByRole("button", { name: "Record" }).click();
  await noJs.getByRole("alert").getByText("Enter how many people as a whole number, like 12").waitFor();
  await noJs.getByLabel("How many people").fill("12");
  await noJs.getByRole("button", { name: "Record" }).click();
  await noJs.getByText("Recorded.").waitFor();
  expect(await noJs.getByRole("table", { name: "Each record, newest first" }).innerText()).toContain("Table tennis taster");

  await noJs.goto(`${baseUrl}${teamPath}/support`);
  await noJs.getByRole("heading", { level: 2, name: "Mentoring and training", exact: true }).waitFor();
  expect(await noJs.getByRole("table", { name: "Support the team had, newest first" }).innerText()).toContain("Writing a proposal");
  await checkPage("support log page");

  // The idea that became a proposal links to it.
  await noJs.goto(`${baseUrl}${teamPath}`);
  await noJs.getByRole("link", { name: "Bike repair sessions" }).click();
  await noJs.getByRole("link", { name: /^Open proposal/ }).click();
  await noJs.getByRole("heading", { level: 1, name: /Bike repair sessions/ }).waitFor();
});

test("the administrator's team pages and the public teams page pass axe", async () => {
  const page = await newPage(browser);
  await signIn(page, baseUrl, admin.email, admin.password);
  const teamId = teamPath.split("/").pop();
  const response = await page.goto(`${baseUrl}/admin/teams/${teamId}`);
  expect(response?.status()).toBe(200);
  await page.getByRole("heading", { level: 1, name: DEMO_TEAM_NAME }).waitFor();
  expect(await page.getByRole("table", { name: "The team's members" }).innerText()).toContain(member.name);
  await expectNoAxeViolations(page, "/admin/teams/:teamId");
  await page.getByRole("link", { name: "All the fund's teams" }).click();
  await page.getByRole("heading", { level: 1, name: "Community teams" }).waitFor();
  await expectNoAxeViolations(page, "/admin/funds/:fundId/teams");
  await page.context().close();

  const visitor = await newPage(browser);
  await visitor.goto(`${baseUrl}/funds`);
  await visitor.getByRole("link", { name: BALLOT_FUND_NAME }).first().click();
  await visitor.getByRole("link", { name: "See the teams and their ideas" }).click();
  await visitor.getByRole("heading", { level: 2, name: DEMO_TEAM_NAME }).waitFor();
  const text = await visitor.locator("main").innerText();
  expect(text).toContain("Bike repair sessions");
  expect(text).not.toContain(member.name);
  await expectNoAxeViolations(visitor, "/funds/:fundId/teams");
  await visitor.context().close();
});

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS, DEMO_MEMBER_PASSWORD } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { serverUrl } from "./server";

// Issue 4's "done when", the parts the South Bristol journey does not cover:
// specialist input written by the adviser and read by the panel, and a
// panel question answered by the group, all through the pages.

const baseUrl = serverUrl();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const adviser = DEMO_ACCOUNTS.find((a) => a.role === "adviser")!;
const resident = DEMO_ACCOUNTS.find((a) => a.email === "resident@demo.example")!;
const PROPOSAL = "Solar panels for the community hall";

test("the adviser's input reaches the panel, and the panel's question is answered by the group, through the pages", async () => {
  const stamp = Date.now().toString(36);
  const feasibility = `Roof survey done ${stamp}; the structure takes the load.`;
  const question = `How will you keep the panels clean ${stamp}?`;
  const answer = `Our caretaker cleans them twice a year ${stamp}.`;

  const adviserPage = await newPage(browser);
  adviserPage.setDefaultTimeout(15_000);
  await signIn(adviserPage, baseUrl, adviser.email, adviser.password);
  await adviserPage.goto(`${baseUrl}/adviser`);
  await expectNoAxeViolations(adviserPage, "adviser home");
  await adviserPage.getByRole("link", { name: new RegExp(`input on ${PROPOSAL}`) }).click();
  await adviserPage.getByLabel("Feasibility", { exact: true }).fill(feasibility);
  await adviserPage.getByRole("button", { name: "Save input" }).click();
  await adviserPage.getByText("Your input has been saved", { exact: false }).waitFor();
  await expectNoAxeViolations(adviserPage, "adviser input page");
  // Advisers never score.
  const proposalId = new URL(adviserPage.url()).pathname.split("/").pop()!;
  const scoring = await adviserPage.request.get(`${baseUrl}/panel/proposals/${proposalId}`, { maxRedirects: 0 });
  expect(scoring.status()).toBe(403);

  const panelPage = await newPage(browser);
  panelPage.setDefaultTimeout(15_000);
  await signIn(panelPage, baseUrl, resident.email, resident.password);
  await panelPage.goto(`${baseUrl}/panel/proposals/${proposalId}`);
  await panelPage.getByText(feasibility).waitFor();
  await panelPage.getByLabel("Your question for the applicant").fill(question);
  await panelPage.getByRole("button", { name: "Send question" }).click();
  await panelPage.getByText("Your question has been sent to the applicant", { exact: false }).waitFor();
  await expectNoAxeViolations(panelPage, "panel proposal page with input and a question");

  const groupPage = await newPage(browser, { javaScriptEnabled: false });
  groupPage.setDefaultTimeout(15_000);
  await signIn(groupPage, baseUrl, "easton-tenants-kitchen@demo.example", DEMO_MEMBER_PASSWORD);
  await groupPage.goto(`${baseUrl}/proposals/${proposalId}`);
  await groupPage.getByText(question).waitFor();
  // The group never learns who asked.
  expect(await groupPage.locator("main").innerText()).not.toContain(resident.name);
  await groupPage.getByRole("link", { name: "Answer this question" }).last().click();
  await groupPage.getByLabel("Your answer").fill(answer);
  await groupPage.getByRole("button", { name: "Send answer" }).click();
  await groupPage.getByText(answer).first().waitFor();

  await panelPage.reload();
  await panelPage.getByText(answer).waitFor();
});

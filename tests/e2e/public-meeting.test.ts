import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { isoToUkLocal } from "../../app/domain/community-ballot";
import { BALLOT_FUND_NAME } from "../../db/demo-ballot";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { serverUrl } from "./server";

// Issue 13: a public meeting of the All In fund. The administrator chairs it: schedules it, adds a
// question and opens it. Three people join at /meet with the door code (one with JavaScript off)
// and vote from their phones; one changes their vote. The projector follows live (server-sent
// events), shows the turnout and, after the close, the result. A show of hands is added, the
// result recorded, and the minutes published on the fund's page. axe runs on each page.

const baseUrl = serverUrl();
const admin = DEMO_ACCOUNTS.find((a) => a.email === "admin@demo.example")!;
const PHONE = { width: 360, height: 740 };
let browser: Browser;
let chair: Page;
let projector: Page;
let phones: Page[];

beforeAll(async () => {
  browser = await launchBrowser();
  chair = await newPage(browser);
  chair.setDefaultTimeout(20_000);
  await signIn(chair, baseUrl, admin.email, admin.password);
  projector = await newPage(browser, { viewport: { width: 1280, height: 800 } });
  phones = [
    await newPage(browser, { viewport: PHONE }),
    await newPage(browser, { viewport: PHONE }),
    await newPage(browser, { viewport: PHONE, javaScriptEnabled: false }),
  ];
  for (const page of [projector, ...phones]) page.setDefaultTimeout(20_000);
});
afterAll(async () => {
  await browser?.close();
});

/** "2026-12-02T19:30" for a datetime-local box: an hour from now, in UK time. */
const inAnHour = (): string => isoToUkLocal(new Date(Date.now() + 3_600_000).toISOString());

async function vote(page: Page, answer: "Yes" | "No") {
  await page.getByLabel(answer, { exact: true }).check();
  await page.getByRole("button", { name: "Send my vote" }).click();
  await page.getByRole("heading", { level: 1, name: "Your vote was counted" }).waitFor();
}

/** Where the test has got to, printed, so a timeout says which step was slow. */
const step = (what: string) => console.log(`public meeting e2e: ${what} (${new Date().toISOString()})`);

test("a public meeting: the room votes from phones and by hands, the projector follows, the minutes are published", { timeout: 300_000 }, async () => {
  // The chair schedules the meeting and puts a question on the agenda.
  await chair.goto(`${baseUrl}/public-meetings`);
  await expectNoAxeViolations(chair, "public meetings");
  await chair.getByLabel("For", { exact: true }).selectOption({ label: `${BALLOT_FUND_NAME}: the whole fund` });
  await chair.getByLabel("Name of the meeting").fill("All In Alliance: Coggeshall");
  await chair.getByLabel("Where").fill("Coggeshall Village Hall");
  await chair.getByLabel("Starts at (UK time)").fill(inAnHour());
  await chair.getByRole("button", { name: "Schedule the meeting" }).click();
  await chair.getByRole("heading", { level: 1, name: "All In Alliance: Coggeshall" }).waitFor();
  await chair.getByLabel("The question").fill("Should the repair cafe get £4,000?");
  await chair.getByRole("button", { name: "Add the question" }).click();
  await chair.getByText("Question added.").waitFor();
  await expectNoAxeViolations(chair, "the chair's page");
  const doorCode = (await chair.locator("section[aria-labelledby=door-code] p.font-mono").innerText()).trim();
  expect(doorCode).toMatch(/^[A-Z2-9]{6}$/);
  const meetingPath = new URL(chair.url()).pathname;
  const meetingId = meetingPath.split("/").at(-1)!;

  step("The projector waits; the chair opens ");
  // The projector waits; the chair opens the question.
  await projector.goto(`${baseUrl}/projector/${meetingId}`);
  await projector.getByText("The next question will appear here.").waitFor();
  await chair.getByRole("button", { name: "Open this question" }).click();
  await chair.getByText("The question is open.").waitFor();
  await projector.getByRole("heading", { name: "Should the repair cafe get £4,000?" }).waitFor();
  await projector.getByText("0 people have voted", { exact: false }).waitFor();
  await expectNoAxeViolations(projector, "the projector while voting is open");

  step("Three people join at the door: a wron");
  // Three people join at the door: a wrong code first, then the right one.
  for (const [i, phone] of phones.entries()) {
    await phone.goto(`${baseUrl}/meet`);
    if (i === 0) {
      await expectNoAxeViolations(phone, "join the meeting");
      await phone.getByLabel("Door code").fill("ZZZZZZ");
      await phone.getByRole("button", { name: "Join" }).click();
      await phone.getByRole("alert").getByText("We do not know this door code.", { exact: false }).waitFor();
      await expectNoAxeViolations(phone, "join the meeting, wrong code");
    }
    await phone.getByLabel("Door code").fill(doorCode.toLowerCase());
    await phone.getByRole("button", { name: "Join" }).click();
    await phone.getByRole("heading", { level: 1, name: "Should the repair cafe get £4,000?" }).waitFor();
  }
  await expectNoAxeViolations(phones[0]!, "the vote page");
  await vote(phones[0]!, "Yes");
  await expectNoAxeViolations(phones[0]!, "your vote was counted");
  await vote(phones[1]!, "No");
  await vote(phones[2]!, "Yes"); // JavaScript off: a plain form and a plain page.
  // The second changes their mind.
  await phones[1]!.getByRole("link", { name: "Back to the meeting" }).click();
  await phones[1]!.getByText("You have voted on this question.", { exact: false }).waitFor();
  expect(await phones[1]!.getByLabel("No", { exact: true }).isChecked()).toBe(true);
  await vote(phones[1]!, "Yes");

  step("The projector shows how many have vot");
  // The projector shows how many have voted, live, and nothing about how.
  await projector.getByText("3 people have voted", { exact: false }).waitFor();
  expect(await projector.content()).not.toContain("Carried");

  step("The close reaches the projector with ");
  // The close reaches the projector with the phone votes.
  await chair.getByRole("button", { name: "Close the question" }).click();
  await chair.getByText("The question is closed.", { exact: false }).waitFor();
  await projector.getByText("Carried: 3 votes yes, 0 votes no, 0 abstentions.").waitFor({ timeout: 5_000 });

  step("Four hands for no");
  // Four hands for no and two for yes from people without phones; then the result is recorded.
  await expectNoAxeViolations(chair, "the chair's page with the show of hands");
  await chair.getByLabel("Hands for Yes").fill("2");
  await chair.getByLabel("Hands for No").fill("4");
  await chair.getByRole("button", { name: "Save the show of hands" }).click();
  await chair.getByText("The show of hands is saved.").waitFor();
  await chair.getByRole("button", { name: "Record the result" }).click();
  await chair.getByText("The result is recorded.").waitFor();
  await projector.getByText("Carried: 5 votes yes, 4 votes no, 0 abstentions.").waitFor({ timeout: 5_000 });
  await projector.getByRole("columnheader", { name: "By show of hands" }).waitFor();
  await expectNoAxeViolations(projector, "the projector with the result");
  await expect(chair.getByRole("button", { name: "Open it again" }).count()).resolves.toBe(0);

  step("The minutes, on the fund's public pag");
  // The minutes, on the fund's public page.
  await chair.getByLabel("A note for the minutes (optional)").fill("Thank you to the hall's volunteers.");
  await chair.getByRole("button", { name: "Publish the minutes" }).click();
  await chair.getByText("The minutes are published.").first().waitFor();
  const reader = phones[2]!;
  await reader.goto(`${baseUrl}/funds`);
  await reader.getByRole("link", { name: BALLOT_FUND_NAME }).first().click();
  await reader.getByRole("link", { name: /All In Alliance: Coggeshall/ }).click();
  await reader.getByRole("heading", { level: 1, name: "Minutes: All In Alliance: Coggeshall" }).waitFor();
  await reader.getByText("9 people voted: 3 by phone and 6 by show of hands.", { exact: false }).waitFor();
  await projector.goto(reader.url());
  await expectNoAxeViolations(projector, "the published minutes");
});

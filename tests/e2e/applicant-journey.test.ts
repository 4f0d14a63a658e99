import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { emailsSentTo, serverUrl } from "./server";
import { fillOutline, openTask } from "./task-list";

// Issue 3's "done when": with only the interface, a new applicant goes from
// registration to a proposal the lead organisation supported and the
// administrator marked eligible, and the administrator finds it in the CSV export.

const baseUrl = serverUrl();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
const lead = DEMO_ACCOUNTS.find((a) => a.role === "lead_org")!;

async function check(page: Page, isJs: boolean, label: string) {
  if (isJs) await expectNoAxeViolations(page, label);
}

async function submitAndWait(page: Page, name: string) {
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name, exact: true }).click()]);
}

for (const isJs of [true, false]) {
  test(`a new applicant's proposal goes from registration to eligible using only the pages (JavaScript ${isJs ? "on" : "off"})`, async () => {
    const stamp = `${Date.now().toString(36)}${isJs ? "j" : "n"}`;
    const email = `newgroup-${stamp}@example.test`;
    const title = `Community shed ${stamp}`;

    // Applicant: register, set up the group, start and submit a proposal.
    const applicant = await newPage(browser, { javaScriptEnabled: isJs });
    applicant.setDefaultTimeout(15_000);
    await applicant.goto(`${baseUrl}/register`);
    await check(applicant, isJs, "register");
    await applicant.getByLabel("Full name").fill("Nia Newcomer");
    await applicant.getByLabel("Email address").fill(email);
    await applicant.getByLabel("Create a password").fill("tangerine orbit meadow 42");
    await submitAndWait(applicant, "Create account");
    // The account is made from the link emailed to the address (the page answers the same for an address that has one).
    await applicant.getByRole("heading", { name: "Check your email" }).waitFor();
    await check(applicant, isJs, "registration sent");
    const confirmLink = /http:\/\/localhost:\d+\/register\/confirm\/[A-Za-z0-9_-]+/.exec(emailsSentTo(email).at(-1)!.body_text)![0];
    await applicant.goto(confirmLink);
    await check(applicant, isJs, "finish creating the account");
    await submitAndWait(applicant, "Create my account");
    await applicant.waitForURL(/\/applicant$/);
    await check(applicant, isJs, "applicant home");

    await applicant.goto(`${baseUrl}/applicant/group`);
    await applicant.getByLabel("Group name", { exact: true }).fill(`Barton Hill Shed Builders ${stamp}`);
    await applicant.getByLabel("Unincorporated", { exact: false }).first().check();
    await applicant.getByLabel("Address", { exact: true }).fill("2 Shed Lane, Bristol");
    await applicant.getByLabel("Postcode", { exact: true }).fill("BS5 9AA");
    await applicant.getByLabel("Contact name", { exact: true }).fill("Nia Newcomer");
    await applicant.getByLabel("Contact email address", { exact: true }).fill(email);
    await check(applicant, isJs, "group profile form");
    await submitAndWait(applicant, "Create profile");
    await applicant.getByText("Your group's profile has been created", { exact: false }).waitFor();

    await applicant.goto(`${baseUrl}/proposals/new`);
    await check(applicant, isJs, "choose decision group");
    await applicant.getByLabel(/Inner City and East/).check();
    await submitAndWait(applicant, "Continue");
    // With JavaScript the next step renders without a page load, so wait for it.
    await applicant.getByText("Step 2 of 2", { exact: false }).first().waitFor();
    await check(applicant, isJs, "eligibility questions");
    for (const group of await applicant.getByRole("group").all()) {
      const firstAnswer = group.getByRole("radio").first();
      if (await firstAnswer.count()) await firstAnswer.check();
    }
    await submitAndWait(applicant, "Start the outline proposal");
    await applicant.waitForURL(/\/proposals\/[^/]+\/edit/);

    await check(applicant, isJs, "task list");
    await fillOutline(
      applicant,
      {
        title,
        summary: "A shared workshop where neighbours repair furniture and bikes together.",
        lines: [
          ["Workshop building", "45,000"],
          ["Benches and tools", "15000"],
        ],
        amount: "60000",
        start: ["1", "5", "2027"],
        end: ["30", "9", "2027"],
        outcome: ["80 people repair things each year", "A sign-in book"],
      },
      (label) => check(applicant, isJs, label),
    );
    await openTask(applicant, "Check your answers");
    await check(applicant, isJs, "check your answers");
    await submitAndWait(applicant, "Submit to lead organisation");
    await applicant.waitForURL(/\/proposals\/[^/]+$/).catch(async (error) => {
      throw new Error(`Submitting did not reach the proposal page (at ${applicant.url()}): ${(await applicant.locator("main").innerText()).slice(0, 800)}`, {
        cause: error,
      });
    });
    await applicant.getByText("Submitted to lead organisation").first().waitFor();
    await check(applicant, isJs, "proposal page");
    const proposalUrl = applicant.url();

    // Lead organisation: support it with a statement.
    const leadPage = await newPage(browser, { javaScriptEnabled: isJs });
    leadPage.setDefaultTimeout(15_000);
    await signIn(leadPage, baseUrl, lead.email, lead.password);
    await leadPage.goto(`${baseUrl}/lead`);
    await leadPage.getByRole("link", { name: title }).click();
    await check(leadPage, isJs, "lead decision page");
    await leadPage.getByLabel("Support statement").fill("We met the group twice; the project is well planned and wanted locally.");
    await submitAndWait(leadPage, "Support");
    await leadPage.getByRole("status").getByText("Proposal supported", { exact: false }).waitFor();

    // Administrator: screening queue, mark eligible, and find it in the export.
    const adminPage = await newPage(browser, { javaScriptEnabled: isJs });
    adminPage.setDefaultTimeout(15_000);
    await signIn(adminPage, baseUrl, admin.email, admin.password);
    await adminPage.goto(`${baseUrl}/admin/screening`);
    await check(adminPage, isJs, "screening queue");
    await adminPage.getByRole("link", { name: title }).click();
    await submitAndWait(adminPage, "Mark eligible");
    await adminPage.getByRole("status").getByText("Marked eligible", { exact: false }).waitFor();
    const csv = await adminPage.request.get(`${baseUrl}/admin/proposals/export.csv?status=eligible`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain(title);

    // Back to the applicant: the proposal shows it is eligible and what happens next.
    await applicant.goto(proposalUrl);
    await applicant.getByText("Eligible", { exact: true }).first().waitFor();
    await applicant.getByText("The decision panel will read it when the panel review starts", { exact: false }).first().waitFor();
  }, 180_000);
}

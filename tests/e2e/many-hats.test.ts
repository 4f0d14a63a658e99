import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { MANY_HATS } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { serverUrl } from "./server";

// One person with three memberships does each job through the interface:
// a member of Easton Tenants' Kitchen, a resident on Inner City and East's panel
// (recused from their own group's proposals without declaring anything), and
// staff of Equalities Voice Partnership. axe runs on every page.

const baseUrl = serverUrl();
const PASSWORD = "demo-member-pass-2026";
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const actingAs = (page: Page) => page.getByTestId("acting-as").innerText();

/** axe runs as script in the page, so only the JavaScript-on run can use it; the pages are the same in both runs. */
const checkAxe = (page: Page, label: string, javaScriptEnabled: boolean) => (javaScriptEnabled ? expectNoAxeViolations(page, label) : Promise.resolve());

/** Waits until the page's main heading reads `name` (with JavaScript, Remix changes the URL before the page). */
const heading = (page: Page, name: string | RegExp) => page.getByRole("heading", { level: 1, name }).waitFor();

/** From Your roles, act under the role `label`, and wait for its home page (`title`). */
async function wear(page: Page, label: string, title: string | RegExp) {
  await page.goto(`${baseUrl}/home`);
  await heading(page, "Your roles");
  await page.getByRole("button", { name: `Go to this role as ${label}` }).click();
  await heading(page, title);
  await page.getByTestId("acting-as").getByText(label, { exact: true }).waitFor();
}

for (const javaScriptEnabled of [true, false]) {
  test(`one person acts as a group member, a panel member and a lead organisation (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
    const page = await newPage(browser, { javaScriptEnabled });
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, MANY_HATS.email, PASSWORD);
    // Several roles: sign-in lands on Your roles, which lists each with what it asks.
    await heading(page, "Your roles");
    expect(new URL(page.url()).pathname).toBe("/home");
    const roles = await page.getByRole("heading", { level: 2 }).allInnerTexts();
    expect(roles).toEqual([
      "Panel member (Resident), Inner City and East",
      "Lead organisation, Equalities Voice Partnership",
      "Applicant, Easton Tenants' Kitchen",
    ]);
    expect(await page.locator("main").innerText()).toMatch(
      /Declare your interests for this round before you see the proposals|proposals? to score|Nothing is waiting for you/,
    );
    await checkAxe(page, "/home", javaScriptEnabled);

    // As the group's member: the group's own proposals.
    await wear(page, "Applicant, Easton Tenants' Kitchen", "Your community group");
    expect(new URL(page.url()).pathname).toBe("/applicant");
    await checkAxe(page, "/applicant", javaScriptEnabled);
    await page.getByRole("link", { name: "Refit of the Easton community café", exact: true }).click();
    await heading(page, /Refit of the Easton community café/);
    await checkAxe(page, "the group's proposal", javaScriptEnabled);

    // As lead organisation staff: the queue of proposals waiting for support.
    await wear(page, "Lead organisation, Equalities Voice Partnership", /./);
    expect(new URL(page.url()).pathname).toBe("/lead");
    await checkAxe(page, "/lead", javaScriptEnabled);
    // The lead organisation's job: support the group's proposal with a statement (whichever run gets there first).
    const waiting = page.getByRole("link", { name: "A safe drop-in space", exact: true });
    if (await waiting.count()) {
      await waiting.click();
      await heading(page, /A safe drop-in space/);
      await checkAxe(page, "the lead organisation's proposal page", javaScriptEnabled);
      await page.getByLabel("Support statement").fill("We have worked with this collective for three years and the space is badly needed.");
      await page.getByRole("button", { name: "Support", exact: true }).click();
      await page.getByText("Proposal supported.").waitFor();
    }
    await page.goto(`${baseUrl}/lead?view=supported`);
    await page.getByRole("link", { name: "A safe drop-in space", exact: true }).waitFor();

    // As a panel member: this round asks for interests first (whichever run gets there first declares), then the queue opens.
    await wear(page, "Panel member (Resident), Inner City and East", /^(Declare your interests|Your decision panel)/);
    if (new URL(page.url()).pathname === "/panel/interests") {
      await checkAxe(page, "/panel/interests", javaScriptEnabled);
      await page.getByRole("button", { name: "I have nothing to declare" }).click();
      await heading(page, /^Your decision panel/);
    }
    expect(new URL(page.url()).pathname).toBe("/panel");
    expect(await actingAs(page)).toBe("Panel member (Resident), Inner City and East");
    // Their own group's proposal under review is not theirs to score: it is listed apart, without any declaration.
    const queue = await page.getByRole("region", { name: "Your scoring queue" }).innerText();
    expect(queue).not.toContain("Solar panels for the community hall");
    const apart = await page.getByRole("region", { name: "Proposals you take no part in" }).innerText();
    expect(apart).toContain("Solar panels for the community hall");
    await checkAxe(page, "/panel", javaScriptEnabled);
    // The declarations page stays open after declaring, so axe sees it whichever run declared.
    await page.getByRole("link", { name: "See or add to your declarations" }).click();
    await heading(page, "Declare your interests");
    await checkAxe(page, "/panel/interests", javaScriptEnabled);
    await page.context().close();
  });
}

import fs from "node:fs/promises";
import { Secret, TOTP } from "otpauth";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { countByRule } from "../../app/domain/ballot-counting";
import { countInputFromPabulib, parsePabulib } from "../../app/domain/pabulib";
import { DEMO_ACCOUNTS, DEMO_MEMBER_PASSWORD } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { emailsSentTo, serverUrl } from "./server";

// Issue 12, "Done when": one browser test runs a whole community vote, on one ballot, through
// the pages as people would use them. The file's server is its own (tests/e2e/setup-server.ts
// starts a production server on a private copy of the demo database), so closing and counting
// this vote touches no other test file.
//
// 1. Asha (administrator) makes a fund decided by residents, with one decision group; imports
//    four ideas gathered on paper; Lee (its lead organisation) supports them; Asha screens them
//    eligible, sets the rules (closing a minute or two ahead: there is no "close now", because
//    the closing time is one of the rules frozen at opening) and opens the vote.
// 2. Two residents join with a postcode and the emailed code (read from the server's outbox):
//    one votes with JavaScript off; the other votes with it on, then changes the ballot.
// 3. Two papers are keyed by Asha and Femi (second administrator): one matches, one differs.
//    Vic, a volunteer Asha invites as an administrator, keyed neither, so Vic resolves it.
// 4. The test waits for the close (polling the public page), Asha counts from the vote's page,
//    and the public results show the winners and every rule's outcome; the .pb download parses
//    back to the 4 counted ballots (2 online, 2 paper) and recounts to the same winners.
// axe runs on every page; pages without JavaScript are checked in a second tab with the same cookies.

const baseUrl = serverUrl();
const VIEWPORT = { width: 320, height: 800 };
const asha = DEMO_ACCOUNTS.find((a) => a.email === "admin@demo.example")!;
const lee = DEMO_ACCOUNTS.find((a) => a.role === "lead_org")!;
const FEMI_EMAIL = "finance@demo.example";
const VIC = { name: "Vic Volunteer", email: "vic.volunteer@example.test", password: "teapot-harbour-lantern-58" };
const RESIDENT_NO_JS = "no.script.resident@example.test";
const RESIDENT_WITH_JS = "scripted.resident@example.test";

const FUND = "Easton Green Spaces Vote (journey)";
const GROUP = "Easton and Lawrence Hill";
const VENUE = "Easton Community Centre";
/** The pot is £12,000; the ideas cost £3,000, £2,500, £4,000 and £6,000. */
const IDEA = {
  bikes: { title: "Bike repair sessions in the park", pounds: 3000, group: "Lawrence Hill Community Garden" },
  stories: { title: "Story time for toddlers outdoors", pounds: 2500, group: "Easton Tenants' Kitchen" },
  nets: { title: "New nets for the ball court", pounds: 4000, group: "St Pauls Carnival Workshop" },
  trees: { title: "Fruit trees on the green", pounds: 6000, group: "Knowle West Youth Makers" },
};
const ideas = Object.values(IDEA);

/**
 * The ballots that count, and what each rule funds from them (worked by hand; pot £12,000):
 *   no-JS resident: bikes, stories · JS resident: nets, trees (changed from bikes, nets) ·
 *   paper 1: nets, trees · paper 2: trees (one keying read "stories"; resolved to "trees").
 *   Votes: bikes 1, stories 1, nets 2, trees 3.
 * - Most votes first: trees (3), nets (2) = £10,000; stories, then bikes, no longer fit.
 * - Best total: 5 votes at most; trees+nets (£10,000) and trees+bikes+stories (£11,500) tie; the cheaper wins.
 * - Equal Shares (£3,000 a voter, cost utility): trees (3 pay £2,000 each); nets cannot be paid
 *   by its 2 supporters' £1,000 each; stories (cheaper than bikes at the same price per pound);
 *   the completion stops before nets becomes affordable (that outcome would cost £12,500), and the
 *   greedy step adds bikes: trees, stories, bikes = £11,500, every voter with a funded project.
 * - Phragmén: nets and trees tie at £2,000 a voter (nets is cheaper), then stories, then trees
 *   would cost £3,333 a voter but no longer fits, so bikes: nets, stories, bikes = £9,500.
 * Had the first ballot of the JS resident counted, or the other keying of paper 2, the votes differ.
 */
const VOTES = { bikes: 1, stories: 1, nets: 2, trees: 3 };
const FUNDED_BY: Record<keyof typeof IDEA, [greedy: boolean, optimum: boolean, equalShares: boolean, phragmen: boolean]> = {
  bikes: [false, false, true, true],
  stories: [false, false, true, true],
  nets: [true, true, false, true],
  trees: [true, true, true, false],
};

let browser: Browser;
/** Pages whose own JavaScript is off are checked here, with their cookies. */
let checker: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  checker = await newPage(browser, { viewport: VIEWPORT });
  checker.setDefaultTimeout(30_000);
});
afterAll(async () => {
  await browser?.close();
});

async function page(options: { javaScriptEnabled?: boolean; acceptDownloads?: boolean } = {}): Promise<Page> {
  const p = await newPage(browser, { viewport: VIEWPORT, ...options });
  // Generous: the machine running this may be busy.
  p.setDefaultTimeout(30_000);
  return p;
}

/** axe on a page without JavaScript: the same URL and cookies in the JavaScript tab. */
async function checkInOtherTab(from: Page, label: string) {
  await checker.context().addCookies(await from.context().cookies());
  await checker.goto(from.url());
  await expectNoAxeViolations(checker, label);
}

/** "2026-12-02T14:05": a moment as UK time for a datetime-local box, worked out here rather than by the app. */
function ukLocal(at: Date): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London",
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

const isoDate = (daysFromNow: number) => new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);

/** Online votes must be in before the close; the rest (papers, the wait) may come after. */
const ONLINE_VOTING_MARGIN_MS = 90_000;

async function joinWithEmail(voter: Page, fundPath: string, email: string, check: (label: string) => Promise<void>) {
  await voter.goto(`${baseUrl}${fundPath}`);
  await voter.getByText("The vote is open.", { exact: false }).waitFor();
  await voter.getByText("People who live in the area decide.", { exact: false }).waitFor();
  // The frozen rules' SHA-256, for anyone to check.
  expect(await voter.locator("main code").first().innerText()).toMatch(/^[0-9a-f]{64}$/);
  await check("public fund page, vote open");
  await voter.getByRole("link", { name: "Take part in the vote" }).click();
  await voter.getByRole("heading", { level: 1, name: `Vote: ${FUND}` }).waitFor();
  await check("vote page before joining");
  await voter.getByRole("link", { name: "Join the vote with your email" }).click();
  await voter.getByRole("heading", { level: 1, name: "Join the vote" }).waitFor();
  await check("join page");
  await voter.getByLabel("Your postcode").fill("bs5 6xx");
  await voter.getByLabel("I am 16 or older").check();
  await voter.getByLabel("Your email address").fill(email);
  await voter.getByRole("button", { name: "Send me a code" }).click();
  await voter.getByRole("heading", { level: 1, name: "Check your email" }).waitFor();
  await check("enter the code page");
  const message = emailsSentTo(email).at(-1);
  const code = /Your code is (\d{6})/.exec(message?.body_text ?? "")?.[1];
  expect(code, `a code in the email to ${email}:\n${message?.body_text}`).toBeTruthy();
  await voter.getByLabel("The code from the email").fill(code!);
  await voter.getByRole("button", { name: "Continue" }).click();
  await voter.getByRole("group", { name: "Choose up to 2 projects" }).waitFor();
  await check("the ballot");
}

/** Ticks exactly these ideas on a ballot or keying form. */
async function tick(p: Page, chosen: { title: string }[]) {
  for (const idea of ideas) {
    const box = p.getByLabel(idea.title);
    if (chosen.includes(idea)) await box.check();
    else await box.uncheck();
  }
}

async function keyPaper(keyer: Page, fundPath: string, code: string, chosen: { title: string }[], outcome: string) {
  await keyer.goto(`${baseUrl}/admin${fundPath}/ballot/paper/key`);
  await keyer.getByRole("heading", { level: 1, name: "Key a paper ballot" }).waitFor();
  await keyer.getByLabel("Venue the paper came from").selectOption({ label: VENUE });
  await keyer.getByLabel("Voter code printed on the paper").fill(code);
  await tick(keyer, chosen);
  await keyer.getByRole("button", { name: "Save this keying" }).click();
  await keyer.getByRole("status").getByText(outcome, { exact: false }).waitFor();
}

test("a whole community vote: set up, residents vote online and on paper, the close, the count, the results and the .pb file", async () => {
  const started = Date.now();

  // ---------------------------------------------------------------- 1. Asha sets up the fund and its ideas
  const admin = await page();
  await signIn(admin, baseUrl, asha.email, asha.password);
  await admin.goto(`${baseUrl}/admin/funds/new`);
  await admin.getByLabel("Name of the fund").fill(FUND);
  await admin.getByLabel("Purpose", { exact: true }).fill("Small grants for green spaces in Easton. People who live there vote, and the votes decide.");
  await admin.getByLabel(/^Revenue/).check();
  await admin.getByLabel("Total budget, in pounds").fill("12000");
  const phaseDates = { "Proposals open": -30, "Proposals close": -2, "Panel review starts": -1, "Decisions made": 7, "Awards made": 14 };
  for (const [label, days] of Object.entries(phaseDates)) await admin.getByLabel(label, { exact: true }).fill(isoDate(days));
  await admin.getByLabel("Residents decide by a community vote").check();
  await admin.getByLabel("Yes, publish it").check();
  await expectNoAxeViolations(admin, "create a fund, filled in");
  await admin.getByRole("button", { name: "Create fund" }).click();
  await admin.getByRole("status").getByText("Fund created.", { exact: false }).waitFor();
  const fundPath = new URL(admin.url()).pathname.replace(/^\/admin/, "");
  expect(fundPath).toMatch(/^\/funds\/[0-9a-f-]{36}$/);

  await admin.goto(`${baseUrl}/admin${fundPath}/groups`);
  await admin.getByLabel("Name of the decision group").fill(GROUP);
  await admin.getByLabel("Area or community of interest").fill("Easton and Lawrence Hill, BS5");
  await admin.getByLabel("Ring-fenced pot, in pounds").fill("12000");
  await admin.getByLabel("Minimum grant, in pounds").fill("1000");
  await admin.getByLabel("Maximum grant, in pounds").fill("6000");
  await admin.getByLabel(lee.organisation!).check();
  await admin.getByRole("button", { name: "Add decision group" }).click();
  await admin.getByRole("status").getByText("Decision group added.").waitFor();
  await expectNoAxeViolations(admin, "decision groups page");

  const importFile = [
    "decision_group,community_group,title,summary,need_type,need_evidence,beneficiaries,beneficiary_count,what_built,budget_lines,amount_requested,start_date,end_date,outcomes",
    ...ideas.map(
      (idea) =>
        `${GROUP},${idea.group},${idea.title},"${idea.title}, run by neighbours.",felt,Asked for at street meetings,Neighbours,60,${idea.title},"Costs: £${idea.pounds}",£${idea.pounds},01/04/2027,2027-09-30,People take part | it keeps going`,
    ),
  ].join("\r\n");
  await admin.goto(`${baseUrl}/admin/proposals/import`);
  await admin.getByLabel("Upload a CSV file").setInputFiles({ name: "ideas.csv", mimeType: "text/csv", buffer: Buffer.from(importFile) });
  await admin.getByRole("button", { name: "Import proposals" }).click();
  await admin.getByRole("status").getByText("4 proposals imported", { exact: false }).waitFor();
  await expectNoAxeViolations(admin, "import proposals page, imported");

  const lead = await page();
  await signIn(lead, baseUrl, lee.email, lee.password);
  for (const idea of ideas) {
    await lead.goto(`${baseUrl}/lead`);
    await lead.getByRole("link", { name: idea.title }).click();
    await lead.getByLabel("Support statement").fill("We gathered this with the group, and we back it.");
    await lead.getByRole("button", { name: "Support", exact: true }).click();
    await lead.getByRole("status").getByText("Proposal supported", { exact: false }).waitFor();
    if (idea === ideas[0]) await expectNoAxeViolations(lead, "lead organisation's proposal page, supported");
  }
  await lead.context().close();

  await admin.goto(`${baseUrl}/admin/screening?sort=title`);
  for (const idea of ideas) await admin.getByLabel(new RegExp(`^Select P-\\d+, ${idea.title}$`)).check();
  await admin.getByRole("button", { name: "Mark selected eligible" }).click();
  await admin.getByRole("status").getByText("4 proposals marked eligible", { exact: false }).waitFor();
  await expectNoAxeViolations(admin, "screening page, screened");

  // ---------------------------------------------------------------- 2. the rules, and the vote opens
  await admin.goto(`${baseUrl}/admin${fundPath}`);
  await admin.getByRole("link", { name: /^Community vote:/ }).click();
  await admin.getByRole("heading", { level: 1, name: "Community vote" }).waitFor();
  await expectNoAxeViolations(admin, "community vote set-up page, empty");
  await admin
    .getByLabel(/^Approval:/)
    .first()
    .check();
  await admin.getByLabel("Approval: the most projects each person may choose").fill("2");
  await admin.getByLabel("Method of Equal Shares (with a completion step)").check();
  const now = Date.now();
  // The form takes UK time to the minute: open from the last whole minute; close at the first
  // whole minute at least the margin ahead (so between 90 and 150 seconds from now).
  const opensAt = new Date(Math.floor(now / 60_000) * 60_000 - 60_000);
  const closesAt = new Date(Math.ceil((now + ONLINE_VOTING_MARGIN_MS) / 60_000) * 60_000);
  await admin.getByLabel("Voting opens (UK time)").fill(ukLocal(opensAt));
  await admin.getByLabel("Voting closes (UK time)").fill(ukLocal(closesAt));
  await admin.getByLabel("Minimum age to vote (optional)").fill("16");
  await admin.getByLabel("Postcode beginnings").fill("BS5");
  await admin.getByRole("button", { name: "Save the rules" }).click();
  await admin.getByRole("status").getByText("The rules are saved.").waitFor();
  for (const idea of ideas) await admin.getByText(idea.title, { exact: false }).first().waitFor();
  await expectNoAxeViolations(admin, "community vote set-up page, rules saved");
  await admin.getByRole("button", { name: "Open the vote" }).click();
  await admin.getByRole("status").getByText("The vote is open. Its rules are fixed.").waitFor();
  await admin.getByText("Open: people are voting. The rules are fixed.").waitFor();
  await expectNoAxeViolations(admin, "community vote page, open");
  const openedAt = Date.now();

  // ---------------------------------------------------------------- 3. two residents vote online, before the close
  const noScript = await page({ javaScriptEnabled: false });
  await joinWithEmail(noScript, fundPath, RESIDENT_NO_JS, (label) => checkInOtherTab(noScript, `${label} (JavaScript off)`));
  await tick(noScript, [IDEA.bikes, IDEA.stories]);
  await noScript.getByRole("button", { name: "Send my vote" }).click();
  await noScript.getByRole("status").getByText("Your vote is saved.", { exact: false }).waitFor();
  await checkInOtherTab(noScript, "the ballot after voting (JavaScript off)");

  const scripted = await page();
  await joinWithEmail(scripted, fundPath, RESIDENT_WITH_JS, (label) => expectNoAxeViolations(scripted, `${label} (JavaScript on)`));
  await tick(scripted, [IDEA.bikes, IDEA.nets]);
  await scripted.getByText("Your choices: 2 of 2.").waitFor();
  await scripted.getByRole("button", { name: "Send my vote" }).click();
  await scripted.getByRole("status").getByText("Your vote is saved.", { exact: false }).waitFor();
  await expectNoAxeViolations(scripted, "the ballot after voting (JavaScript on)");
  // They change their mind: bikes out, trees in. The page stays at the same address, so wait for the post itself.
  await tick(scripted, [IDEA.nets, IDEA.trees]);
  await scripted.getByText("Your choices: 2 of 2.").waitFor();
  const changed = scripted.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === `${fundPath}/vote`);
  await scripted.getByRole("button", { name: "Send my vote" }).click();
  expect((await changed).status()).toBeLessThan(400);
  // Back later: the ballot shows their last choices, and says only the last vote counts.
  await scripted.goto(`${baseUrl}${fundPath}/vote`);
  await scripted.getByText("You have voted. Your choices are ticked below.", { exact: false }).waitFor();
  for (const idea of ideas) expect(await scripted.getByLabel(idea.title).isChecked(), idea.title).toBe(idea === IDEA.nets || idea === IDEA.trees);
  await expectNoAxeViolations(scripted, "the ballot on coming back (JavaScript on)");
  const onlineDoneAt = Date.now();
  expect(onlineDoneAt, "the online votes took longer than the margin before the close").toBeLessThan(closesAt.getTime());

  // ---------------------------------------------------------------- 4. paper ballots, keyed twice (this may run past the close)
  await admin.goto(`${baseUrl}/admin${fundPath}/ballot`);
  await admin.getByLabel("How many codes to make").fill("2");
  await admin.getByRole("button", { name: "Make codes" }).click();
  const shown = admin.getByRole("status").getByRole("listitem");
  await shown.first().waitFor();
  const [paperOne, paperTwo] = await shown.allInnerTexts();
  expect(paperTwo).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}$/);
  await expectNoAxeViolations(admin, "community vote page, with new codes");

  await admin.getByRole("link", { name: "Paper ballots: keying, venues and flagged ballots" }).click();
  await admin.getByRole("heading", { level: 1, name: "Paper ballots" }).waitFor();
  await expectNoAxeViolations(admin, "paper ballots page, no venues");
  await admin.getByRole("link", { name: "Venues and papers handed out" }).click();
  await admin.getByRole("heading", { level: 1, name: "Venues and papers handed out" }).waitFor();
  await admin.getByLabel("Venue name").fill(VENUE);
  await admin.getByLabel("Papers handed out").fill("10");
  await admin.getByLabel("Papers handed back").fill("2");
  await admin.getByRole("button", { name: "Add the venue" }).click();
  await admin.getByRole("status").getByText("The venue is saved.").waitFor();
  const venueLine = admin.getByRole("row", { name: new RegExp(`^${VENUE}`) });
  expect((await venueLine.getByRole("cell").allInnerTexts()).slice(0, 3)).toEqual(["–", "10", "2"]);
  await expectNoAxeViolations(admin, "venues page");

  await keyPaper(admin, fundPath, paperOne!, [IDEA.nets, IDEA.trees], "This paper now waits for a second person to key it.");
  await expectNoAxeViolations(admin, "key a paper ballot page, after keying");
  await keyPaper(admin, fundPath, paperTwo!.toLowerCase().replace(/-/g, " "), [IDEA.trees], "This paper now waits for a second person to key it.");

  const femi = await page();
  await signIn(femi, baseUrl, FEMI_EMAIL, DEMO_MEMBER_PASSWORD);
  await keyPaper(femi, fundPath, paperOne!, [IDEA.nets, IDEA.trees], "Both keyings match, so the ballot is counted.");
  // Femi reads the second tick on paper two as the story time.
  await keyPaper(femi, fundPath, paperTwo!, [IDEA.stories], "The keyings of this paper differ");
  await expectNoAxeViolations(femi, "key a paper ballot page, keyings differ");
  await femi.context().close();

  // Vic, a volunteer, is invited as an administrator: someone who keyed neither copy chooses.
  await admin.goto(`${baseUrl}/admin/invitations`);
  await admin.getByLabel("Full name").fill(VIC.name);
  await admin.getByLabel("Email address").fill(VIC.email);
  await admin.getByRole("radio", { name: "Fund administrator" }).check();
  await admin.getByRole("button", { name: "Send invitation" }).click();
  await admin.getByText(`Invitation sent to ${VIC.email}.`).waitFor();
  await expectNoAxeViolations(admin, "invitations page, sent");
  const invitation = emailsSentTo(VIC.email).at(-1)?.body_text ?? "";
  const link = /https?:\/\/\S+\/invitations\/\S+/.exec(invitation)?.[0];
  expect(link, `an invitation link in the email:\n${invitation}`).toBeTruthy();

  const vic = await page();
  await vic.goto(link!);
  await vic.getByRole("heading", { level: 1, name: "Accept your invitation" }).waitFor();
  await expectNoAxeViolations(vic, "accept an invitation page");
  await vic.getByLabel("Create a password").fill(VIC.password);
  await Promise.all([vic.waitForURL((u) => !u.pathname.startsWith("/invitations/")), vic.getByRole("button", { name: "Create my account" }).click()]);
  // Administrators must set up two-factor sign-in before the administrator pages open.
  await vic.goto(`${baseUrl}/admin${fundPath}/ballot/paper`);
  await vic.waitForURL((u) => u.pathname === "/account/two-factor");
  await vic.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  const key = (await vic.locator("#totp-key").innerText()).replace(/\s+/g, "");
  await expectNoAxeViolations(vic, "two-factor set-up page, key shown");
  await vic.getByLabel("Code from your app").fill(new TOTP({ secret: Secret.fromBase32(key), algorithm: "SHA1", digits: 6, period: 30 }).generate());
  await vic.getByRole("button", { name: "Confirm and turn on" }).click();
  await vic.getByRole("heading", { name: "Your recovery codes" }).waitFor();
  await expectNoAxeViolations(vic, "two-factor set-up page, recovery codes");

  await vic.goto(`${baseUrl}/admin${fundPath}/ballot/paper`);
  await vic.getByRole("heading", { level: 1, name: "Paper ballots" }).waitFor();
  const mismatches = vic.getByRole("link", { name: new RegExp(`^Paper from ${VENUE}, first keyed`) });
  expect(await mismatches.count()).toBe(1);
  await expectNoAxeViolations(vic, "paper ballots page, with a mismatch");
  await mismatches.first().click();
  await vic.getByRole("heading", { level: 1, name: "Resolve a paper ballot" }).waitFor();
  await vic.getByText("The keyings differ on the choices.").waitFor();
  await expectNoAxeViolations(vic, "resolve a paper ballot page");
  // Vic finds the paper: one tick, on the fruit trees. That is Asha's keying.
  await vic.getByRole("radio", { name: "Keying 1, by Asha Admin" }).check();
  await vic.getByRole("button", { name: "Count this keying" }).click();
  await vic.getByText("None. Every paper keyed twice so far has matching keyings.").waitFor();
  // The venue: 10 handed out, 2 handed back, 2 keyed and counted.
  const venueRow = vic.getByRole("row", { name: new RegExp(`^${VENUE}`) });
  expect((await venueRow.getByRole("cell").allInnerTexts()).slice(0, 6)).toEqual(["10", "2", "2", "2", "0", "0"]);
  await expectNoAxeViolations(vic, "paper ballots page, settled");
  await vic.context().close();
  const papersDoneAt = Date.now();

  // ---------------------------------------------------------------- 5. the close
  const visitor = await page({ acceptDownloads: true });
  await visitor.goto(`${baseUrl}${fundPath}`);
  await expect
    .poll(
      async () => {
        await visitor.reload();
        return visitor.locator("main").innerText();
      },
      { timeout: Math.max(0, closesAt.getTime() - Date.now()) + 30_000, interval: 2_000 },
    )
    .toContain("Voting has closed.");
  const closedSeenAt = Date.now();
  expect(closedSeenAt).toBeGreaterThanOrEqual(closesAt.getTime());
  await expectNoAxeViolations(visitor, "public fund page, vote closed");
  // Before the count, the results page says so and shows no numbers.
  await visitor.getByRole("link", { name: "Results of the vote, and the ballots to recount them" }).click();
  await visitor.getByText("Voting has closed. The ballots will be counted soon", { exact: false }).waitFor();
  await expectNoAxeViolations(visitor, "results page before the count");
  // Online voting is over: the resident who voted with JavaScript is told so.
  await scripted.goto(`${baseUrl}${fundPath}/vote`);
  await scripted.getByText("Voting has closed. Thank you to everyone who took part.").waitFor();
  await expectNoAxeViolations(scripted, "vote page after the close");

  // ---------------------------------------------------------------- 6. the count
  await admin.goto(`${baseUrl}/admin${fundPath}/ballot`);
  await admin.getByText("Closed.", { exact: true }).waitFor();
  await expectNoAxeViolations(admin, "community vote page, closed");
  await admin.getByRole("button", { name: "Count the ballot" }).click();
  await admin.getByRole("status").getByText("The ballots are counted and the results are published.").waitFor();
  await admin.getByText(/: 4 ballots\. The result is published and cannot change\.$/).waitFor();
  await expectNoAxeViolations(admin, "community vote page, counted");

  // ---------------------------------------------------------------- 7. the public results and the .pb file
  await visitor.goto(`${baseUrl}${fundPath}`);
  await visitor.getByRole("link", { name: "Results of the vote, and the ballots to recount them" }).click();
  await visitor.getByRole("heading", { level: 1, name: `Results of the vote: ${FUND}` }).waitFor();
  await visitor.getByText("4 people voted.", { exact: false }).waitFor();
  await visitor.getByRole("heading", { name: `Funded in ${GROUP}` }).waitFor();
  const winners = visitor.getByRole("table", { name: `Projects funded in ${GROUP}, in the order they were chosen` });
  const winnerRows = (await winners.getByRole("rowheader").allInnerTexts()).map((t) => t.replace(/^P-\d+ /, ""));
  expect(winnerRows).toEqual([IDEA.trees.title, IDEA.stories.title, IDEA.bikes.title]);
  await visitor.getByText("£11,500 of £12,000 used.").waitFor();

  const comparison = visitor.getByRole("table", { name: "Each counting rule's outcome" });
  const ruleRow = async (name: string) =>
    (
      await comparison
        .getByRole("row", { name: new RegExp(`^${name}`) })
        .getByRole("cell")
        .allInnerTexts()
    ).map((t) => t.trim());
  expect(await ruleRow("Method of Equal Shares")).toEqual(["3", "£11,500 of £12,000", "4 (100%)"]);
  expect(await ruleRow("Most votes first")).toEqual(["2", "£10,000 of £12,000", "3 (75%)"]);
  await comparison.getByText("(the rule used)").waitFor();
  const byProject = visitor.getByRole("table", { name: `Which projects each rule funds in ${GROUP}` });
  for (const [name, idea] of Object.entries(IDEA) as [keyof typeof IDEA, (typeof IDEA)[keyof typeof IDEA]][]) {
    const cells = (
      await byProject
        .getByRole("row", { name: new RegExp(idea.title) })
        .getByRole("cell")
        .allInnerTexts()
    ).map((t) => t.trim());
    expect(cells, idea.title).toEqual([
      String(VOTES[name]),
      `£${idea.pounds.toLocaleString("en-GB")}`,
      ...FUNDED_BY[name].map((isFunded) => (isFunded ? "Funded" : "Not funded")),
    ]);
  }
  await visitor.getByRole("heading", { name: "Is the outcome fair?" }).waitFor();
  await expectNoAxeViolations(visitor, "results of the vote");
  const overflow = await visitor.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "the results page scrolls sideways at 320 px").toBeLessThanOrEqual(0);

  const [download] = await Promise.all([
    visitor.waitForEvent("download"),
    visitor.getByRole("link", { name: `Ballots and projects for ${GROUP} (.pb file)` }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.pb$/);
  const file = parsePabulib(await fs.readFile((await download.path())!, "utf8"));
  expect(file.meta.budgetPence).toBe(1_200_000);
  // Every counted ballot: two online, two on paper; the changed ballot once, as changed.
  const titleOf = new Map(file.projects.map((p) => [p.id, p.name ?? p.id]));
  const ballots = file.votes.map((v) => v.projectIds.map((id) => titleOf.get(id)!).sort()).map((titles) => titles.join(" + "));
  expect(ballots.sort()).toEqual(
    [[IDEA.bikes, IDEA.stories], [IDEA.nets, IDEA.trees], [IDEA.nets, IDEA.trees], [IDEA.trees]]
      .map((b) =>
        b
          .map((i) => i.title)
          .sort()
          .join(" + "),
      )
      .sort(),
  );
  const recount = countByRule(countInputFromPabulib(file), "equal-shares");
  expect(recount.pots[0]!.fundedIds.map((id) => titleOf.get(id))).toEqual(winnerRows);
  expect(
    file.projects
      .filter((p) => p.selected === 1)
      .map((p) => p.name)
      .sort(),
  ).toEqual([...winnerRows].sort());

  console.log(
    `community vote journey: set-up ${Math.round((openedAt - started) / 1000)} s, online votes ${Math.round((onlineDoneAt - openedAt) / 1000)} s ` +
      `(closing ${Math.round((closesAt.getTime() - openedAt) / 1000)} s after opening), papers ${Math.round((papersDoneAt - onlineDoneAt) / 1000)} s, ` +
      `waited ${Math.max(0, Math.round((closedSeenAt - papersDoneAt) / 1000))} s for the close, total ${Math.round((Date.now() - started) / 1000)} s`,
  );
}, 300_000);

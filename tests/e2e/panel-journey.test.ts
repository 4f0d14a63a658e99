import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS, DEMO_MEMBER_PASSWORD } from "../../db/demo-data";
import { createDb } from "../../db/client";
import { EXTRA_PANEL_MEMBERS } from "../../db/demo-panels";
import { listUndecidedProposals } from "~/models/published-results.server";
import { recordDecision } from "~/services/decisions.server";
import { screenEligibility } from "~/services/proposals.server";
import { closeScoring } from "~/services/scoring.server";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { DATABASE_VARIABLE, serverUrl } from "./server";

// The panel issue's "done when": with only the interface, the South Bristol
// panel takes proposals from eligibility screening to published results —
// scoring on their own, a quorate meeting with secret votes, decisions with
// reasons — and the public and the applicant read the outcome, never who
// scored or voted what. The steps share the browser contexts and run in order.

const baseUrl = serverUrl();
let browser: Browser;

const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
const FUND = "Community Resilience Fund (demo)";
const GROUP = "South Bristol";
const MAKER_SPACE = "Maker space for young people in Knowle West";
const POLYTUNNEL = "Water harvesting and a polytunnel";
const APPLICANT_EMAIL = "knowle-west-youth-makers@demo.example";

interface Member {
  email: string;
  name: string;
  isChair: boolean;
  isJs: boolean;
  page?: Page;
}
// The chair first, and the councillor without JavaScript, so the plain HTML forms are exercised too.
const members: Member[] = EXTRA_PANEL_MEMBERS.filter((m) => m.group === GROUP).map((m) => ({
  email: m.email,
  name: m.name,
  isChair: m.email === "south-resident@demo.example",
  isJs: m.constituency !== "councillor",
}));
const chair = () => members.find((m) => m.isChair)!;
const others = (me: Member) => members.filter((m) => m !== me);

const CRITERIA = ["Community need", "Community involvement", "Deliverability", "Value for money", "Lasting benefit"];
const stamp = Date.now().toString(36);
const overallComment = (i: number) => `Overall view ${stamp}-${i}: a maker space the estate has asked for.`;
const REASONS: Record<string, string> = {
  [MAKER_SPACE]: `The panel found strong evidence that young people in Knowle West have nowhere to make things in the evenings (${stamp}).`,
  [POLYTUNNEL]: `The panel valued year-round growing for the food bank and a realistic, well-costed plan (${stamp}).`,
};
const AMOUNTS: Record<string, { input: string; shown: string }> = {
  [MAKER_SPACE]: { input: "100000", shown: "£100,000" },
  [POLYTUNNEL]: { input: "53000", shown: "£53,000" },
};

/**
 * The rest of the fund, decided off-stage through the real services (as the
 * other groups' administrators would): supported proposals screened out, and
 * every other waiting one decided "not funded" once its group's scoring is
 * closed. Returns the titles that were waiting.
 */
async function settleTheOtherGroups(fund: string, keepGroup: string): Promise<string[]> {
  const db = createDb(process.env[DATABASE_VARIABLE]!);
  try {
    const adminRow = await db
      .selectFrom("membership")
      .innerJoin("user", "user.id", "membership.user_id")
      .select(["membership.id", "membership.user_id"])
      .where("user.email", "=", admin.email)
      .where("membership.role", "=", "admin")
      .executeTakeFirstOrThrow();
    const actor = { id: adminRow.user_id, membershipId: adminRow.id, role: "admin" as const, organisationId: null, decisionGroupId: null, fundId: null };
    const waiting = (await listUndecidedProposals(db, fund)).filter((p) => p.decisionGroupName !== keepGroup);
    const supported = waiting.filter((p) => p.status === "supported").map((p) => p.id);
    if (supported.length) await screenEligibility(db, actor, supported, "ineligible", "Decided in the next round.");
    for (const groupId of new Set(waiting.filter((p) => p.status !== "supported").map((p) => p.decisionGroupId))) {
      const group = await db.selectFrom("decision_group").select("scoring_closed_at").where("id", "=", groupId).executeTakeFirstOrThrow();
      if (!group.scoring_closed_at) await closeScoring(db, actor, groupId);
    }
    for (const p of waiting.filter((w) => w.status !== "supported")) {
      await recordDecision(db, actor, p.id, {
        outcome: "not_funded",
        amountPence: null,
        conditions: "",
        reason: "The pot was spent on proposals that scored higher.",
        feedback: "",
        meetingId: null,
        departureReason: "The panel's vote came before the pot was spent on proposals that scored higher.",
      });
    }
    return waiting.map((p) => p.title);
  } finally {
    await db.destroy();
  }
}

let adminPage: Page;
let fundId = "";
let groupId = "";
let meetingUrl = "";

beforeAll(async () => {
  browser = await launchBrowser();
  for (const m of members) {
    m.page = await newPage(browser, { javaScriptEnabled: m.isJs });
    m.page.setDefaultTimeout(15_000);
  }
  adminPage = await newPage(browser);
  adminPage.setDefaultTimeout(15_000);
});
afterAll(async () => {
  await browser?.close();
});

/** Clicks and waits for the page that follows to finish loading, with or without JavaScript. */
async function clickAndWait(page: Page, target: Locator, until: (page: Page) => Promise<unknown>) {
  await target.click();
  await until(page);
  await page.waitForLoadState("load");
}
const statusSays = (text: string | RegExp) => (page: Page) => page.getByRole("status").filter({ hasText: text }).waitFor();
const urlMatches = (pattern: RegExp) => (page: Page) => page.waitForURL(pattern, { waitUntil: "load" });

/** Neither the visible page nor the data sent with it names these people. */
async function expectNoNames(page: Page, people: { name: string }[], label: string) {
  const html = await page.content();
  for (const p of people) expect(html, `${label} names ${p.name}`).not.toContain(p.name);
}

test("the administrator screens the maker space eligible and opens South Bristol's eligible proposals for review, finding the group by following links", async () => {
  await signIn(adminPage, baseUrl, admin.email, admin.password);
  await adminPage.goto(`${baseUrl}/admin/screening`);
  await clickAndWait(adminPage, adminPage.getByRole("link", { name: MAKER_SPACE, exact: true }), urlMatches(/\/admin\/proposals\/[^/]+$/));
  await clickAndWait(adminPage, adminPage.getByRole("button", { name: "Mark eligible", exact: true }), statusSays("Marked eligible"));

  await adminPage.goto(`${baseUrl}/admin/funds`);
  await clickAndWait(adminPage, adminPage.getByRole("link", { name: FUND, exact: true }), urlMatches(/\/admin\/funds\/[^/]+$/));
  fundId = new URL(adminPage.url()).pathname.split("/")[3]!;
  await clickAndWait(adminPage, adminPage.getByRole("link", { name: /^Decision groups \(\d+\)$/ }), urlMatches(/\/groups$/));
  await clickAndWait(adminPage, adminPage.getByRole("link", { name: `Change ${GROUP}`, exact: true }), urlMatches(/\/groups\/[^/]+$/));
  await clickAndWait(
    adminPage,
    adminPage.getByRole("link", { name: "See the panel's scoring progress, send reminders and close scoring" }),
    urlMatches(/\/admin\/groups\/[^/]+\/scoring$/),
  );
  groupId = new URL(adminPage.url()).pathname.split("/")[3]!;
  await adminPage.getByRole("heading", { level: 1, name: `Scoring: ${GROUP}` }).waitFor();
  await adminPage.getByText("1 eligible proposal is waiting", { exact: false }).waitFor();
  await clickAndWait(
    adminPage,
    adminPage.getByRole("button", { name: "Open eligible proposals for review" }),
    statusSays("1 proposal is now under panel review."),
  );
  const row = adminPage.getByRole("row").filter({ hasText: MAKER_SPACE });
  await expect.poll(() => row.innerText()).toContain("Under panel review");
  await expectNoAxeViolations(adminPage, "/admin/groups/:groupId/scoring");
}, 60_000);

test("each South Bristol member scores the maker space on their own, one without JavaScript, and sees the others' scores only after submitting", async () => {
  for (const [i, m] of members.entries()) {
    const page = m.page!;
    await signIn(page, baseUrl, m.email, DEMO_MEMBER_PASSWORD);
    expect(new URL(page.url()).pathname, `${m.email} lands on the panel home`).toBe("/panel");
    await page.getByRole("heading", { level: 1, name: `Your decision panel: ${GROUP}` }).waitFor();
    // The polytunnel was scored in the demo; the maker space is new in the queue.
    expect(await page.locator("#scoring-progress-text").innerText()).toBe("1 of 2 scored");
    if (m.isJs && i === 0) await expectNoAxeViolations(page, "/panel (scoring queue)");
    await clickAndWait(page, page.getByRole("link", { name: `Score ${MAKER_SPACE}`, exact: true }), urlMatches(/\/panel\/proposals\/[^/]+$/));

    // Before submitting: the other members' scores are hidden, and nothing of them is in the page.
    await page.getByText("The other members' scores are hidden until you submit your own", { exact: false }).waitFor();
    await expectNoNames(page, others(m), `${m.email}'s score sheet before submitting`);
    const html = await page.content();
    for (let j = 0; j < i; j++) expect(html, "another member's comment before submitting").not.toContain(overallComment(j));
    if (m.isJs && i === 0) await expectNoAxeViolations(page, "the scoring form");

    for (const [c, criterion] of CRITERIA.entries()) {
      const mark = 3 + ((i + c) % 3);
      await page
        .getByRole("group", { name: new RegExp(`^${criterion} \\(weight`) })
        .getByRole("radio", { name: new RegExp(`^${mark}:`) })
        .check();
    }
    await page.getByLabel("Overall comment (optional)").fill(overallComment(i));
    await clickAndWait(page, page.getByRole("button", { name: "Submit scores", exact: true }), statusSays("Your scores have been submitted."));

    // After submitting: their own scores are locked, and everyone who submitted before them is shown.
    await page.getByText("You submitted your scores on", { exact: false }).waitFor();
    const othersTable = page.getByRole("table", { name: "Each member's scores for each criterion, and their weighted total" });
    if (i === 0) {
      await page.getByText("No other member has submitted scores for this proposal yet.").waitFor();
    } else {
      for (const earlier of members.slice(0, i)) await othersTable.getByRole("rowheader", { name: earlier.name }).waitFor();
      await page.getByText(overallComment(i - 1), { exact: false }).waitFor();
    }
    if (m.isJs && i === members.length - 1) await expectNoAxeViolations(page, "the scoring page after submitting");

    await page.goto(`${baseUrl}/panel`);
    expect(await page.locator("#scoring-progress-text").innerText()).toBe("2 of 2 scored");
    await page.getByRole("link", { name: `See your scores for ${MAKER_SPACE}`, exact: true }).waitFor();
  }
}, 120_000);

test("the administrator sees every sheet in and closes scoring for the group", async () => {
  await adminPage.goto(`${baseUrl}/admin/groups/${groupId}/scoring`);
  for (const title of [MAKER_SPACE, POLYTUNNEL]) {
    await expect.poll(() => adminPage.getByRole("row").filter({ hasText: title }).innerText()).toContain("4 of 4");
  }
  await clickAndWait(
    adminPage,
    adminPage.getByRole("button", { name: "Close scoring for this group" }),
    statusSays("Scoring is now closed for this decision group."),
  );
  await adminPage.getByText("Scoring closed on", { exact: false }).first().waitFor();
  await expect.poll(() => adminPage.getByRole("button", { name: "Close scoring for this group" }).count()).toBe(0);
}, 60_000);

test("the chair opens a quorate meeting, every member votes in secret on both proposals, and the chair closes the votes", async () => {
  const c = chair();
  const chairPage = c.page!;
  await chairPage.goto(`${baseUrl}/panel/meetings`);
  await chairPage.getByLabel("Title", { exact: true }).fill(`Decision meeting ${stamp}`);
  await chairPage.getByLabel("Date of the meeting").fill(new Date().toISOString().slice(0, 10));
  await clickAndWait(chairPage, chairPage.getByRole("button", { name: "Open meeting", exact: true }), urlMatches(/\/panel\/meetings\/[^/]+$/));
  meetingUrl = chairPage.url();
  await chairPage.getByText("Not quorate", { exact: true }).waitFor();

  const present = chairPage.getByRole("group", { name: "Who is present" });
  for (const m of members) await present.getByRole("checkbox", { name: new RegExp(`^${m.name}`) }).check();
  await clickAndWait(chairPage, chairPage.getByRole("button", { name: "Save attendance" }), statusSays("Attendance saved."));
  await chairPage.getByText("Quorate", { exact: true }).waitFor();
  await expectNoAxeViolations(chairPage, "the meeting page");

  // The chair opens the vote on each agenda proposal, and votes.
  for (const title of [MAKER_SPACE, POLYTUNNEL]) {
    await chairPage.goto(meetingUrl);
    await clickAndWait(chairPage, chairPage.getByRole("link", { name: title }), urlMatches(/\/proposals\/[^/]+$/));
    await chairPage.getByText("Quorate for this proposal", { exact: true }).waitFor();
    await clickAndWait(chairPage, chairPage.getByRole("button", { name: "Open the vote on this proposal" }), statusSays("The vote is open."));
    await expectNoAxeViolations(chairPage, "a meeting proposal page with the vote open");
    await chairPage.getByRole("group", { name: "Your vote" }).getByRole("radio", { name: "Fund", exact: true }).check();
    await clickAndWait(chairPage, chairPage.getByRole("button", { name: "Cast my vote" }), statusSays("Your vote has been recorded."));
  }

  // The other members find the meeting, see only a count (no one's choice), and vote.
  for (const m of others(c)) {
    const page = m.page!;
    for (const title of [MAKER_SPACE, POLYTUNNEL]) {
      await page.goto(`${baseUrl}/panel/meetings`);
      await clickAndWait(page, page.getByRole("link", { name: `Decision meeting ${stamp}` }), urlMatches(/\/panel\/meetings\/[^/]+$/));
      await clickAndWait(page, page.getByRole("link", { name: title }), urlMatches(/\/proposals\/[^/]+$/));
      await page.getByText(/\d+ votes? (has|have) been cast\. Nobody sees how anyone voted until the vote closes\./).waitFor();
      expect(await page.getByText("Outcome:", { exact: false }).count(), "a result before the vote closes").toBe(0);
      await expectNoNames(page, others(m), `${m.email}'s vote page before the close`);
      await page.getByRole("group", { name: "Your vote" }).getByRole("radio", { name: "Fund", exact: true }).check();
      await clickAndWait(page, page.getByRole("button", { name: "Cast my vote" }), statusSays("Your vote has been recorded."));
      await page.getByText("You voted.", { exact: true }).waitFor();
    }
  }

  // The chair closes both votes; the result is counted with the quorum.
  for (const title of [MAKER_SPACE, POLYTUNNEL]) {
    await chairPage.goto(meetingUrl);
    await clickAndWait(chairPage, chairPage.getByRole("link", { name: title }), urlMatches(/\/proposals\/[^/]+$/));
    await chairPage.getByText("4 votes have been cast.", { exact: false }).waitFor();
    await clickAndWait(chairPage, chairPage.getByRole("button", { name: "Close the vote and count it" }), statusSays("The vote is closed and counted."));
    const result = chairPage.getByRole("region", { name: "Result" });
    await result.getByText("Outcome: fund", { exact: true }).waitFor();
    await result.getByText("The meeting was quorate for this vote.").waitFor();
    expect(await result.locator("dt:has-text('Fund') + dd").first().innerText()).toBe("4");
  }
  await expectNoAxeViolations(chairPage, "a meeting proposal page with the result");
  await chairPage.goto(meetingUrl);
  for (const title of [MAKER_SPACE, POLYTUNNEL]) {
    await expect.poll(() => chairPage.getByRole("row").filter({ hasText: title }).innerText()).toContain("Closed");
  }
  await expectNoAxeViolations(chairPage, "the meeting page after the votes");
}, 150_000);

test("the administrator reads the results and allocation, records both as funded with reasons, and publishes the fund's results", async () => {
  await adminPage.goto(`${baseUrl}/admin/funds/${fundId}`);
  await clickAndWait(adminPage, adminPage.getByRole("link", { name: "Results, allocation and decisions; publish the results" }), urlMatches(/\/results$/));
  await clickAndWait(adminPage, adminPage.getByRole("link", { name: `Results for ${GROUP}`, exact: true }), urlMatches(/\/admin\/groups\/[^/]+\/results$/));
  expect(new URL(adminPage.url()).pathname).toBe(`/admin/groups/${groupId}/results`);
  await adminPage.getByText("Scoring closed on", { exact: false }).waitFor();
  for (const title of [MAKER_SPACE, POLYTUNNEL]) await adminPage.getByRole("row").filter({ hasText: title }).first().waitFor();
  await expectNoAxeViolations(adminPage, "/admin/groups/:groupId/results");

  await clickAndWait(adminPage, adminPage.getByRole("link", { name: "Allocation recommendation", exact: true }), urlMatches(/\/allocation$/));
  // The page leads with the recommendation in one sentence; the method is folded away until asked for.
  await adminPage
    .locator("#recommendation")
    .getByText(/^Fund /)
    .waitFor();
  await adminPage.getByText("How the recommendation is worked out", { exact: true }).click();
  await adminPage.getByText("the proposals awaiting a decision that the panel voted to fund at a meeting", { exact: false }).waitFor();
  for (const title of [MAKER_SPACE, POLYTUNNEL]) await adminPage.getByRole("rowheader", { name: title }).waitFor();
  await expectNoAxeViolations(adminPage, "/admin/groups/:groupId/allocation");

  await clickAndWait(adminPage, adminPage.getByRole("link", { name: "Decisions", exact: true }), urlMatches(/\/decisions$/));
  for (const [n, title] of [MAKER_SPACE, POLYTUNNEL].entries()) {
    const row = adminPage.getByRole("table", { name: "Proposals awaiting a decision" }).getByRole("row").filter({ hasText: title });
    await clickAndWait(adminPage, row.getByRole("link", { name: /^Record the decision/ }), (p) =>
      p.getByRole("radio", { name: "Funded", exact: true }).waitFor(),
    );
    const form = adminPage.locator("form#decision");
    await form.getByRole("radio", { name: "Funded", exact: true }).check();
    await form.getByLabel("Amount to fund, in pounds").fill(AMOUNTS[title]!.input);
    const meeting = form.getByLabel("Meeting where this was decided (optional)");
    const option = await meeting.locator("option", { hasText: `Decision meeting ${stamp}` }).getAttribute("value");
    await meeting.selectOption(option!);
    if (n === 0) {
      // First without a reason: the error summary says what is missing, and nothing is recorded.
      await clickAndWait(adminPage, form.getByRole("button", { name: "Record decision and tell the group" }), (p) =>
        p.getByRole("alert").filter({ hasText: "There is a problem" }).waitFor(),
      );
      await adminPage.getByRole("alert").getByRole("link", { name: "Write the reason for this decision: the applicant will read it" }).waitFor();
      await expectNoAxeViolations(adminPage, "/admin/groups/:groupId/decisions with an error");
      expect(await form.getByLabel("Amount to fund, in pounds").inputValue()).toBe(AMOUNTS[title]!.input);
    }
    await form.getByLabel("Reason", { exact: true }).fill(REASONS[title]!);
    await clickAndWait(
      adminPage,
      form.getByRole("button", { name: "Record decision and tell the group" }),
      statusSays("Decision recorded: funded. The group has been told."),
    );
  }
  const decided = adminPage.getByRole("table", { name: "Proposals decided" });
  for (const title of [MAKER_SPACE, POLYTUNNEL]) {
    const text = await decided.getByRole("row").filter({ hasText: title }).innerText();
    expect(text).toContain("Funded");
    expect(text).toContain(AMOUNTS[title]!.shown);
    expect(text).toContain(REASONS[title]!);
  }
  await expectNoAxeViolations(adminPage, "/admin/groups/:groupId/decisions");

  await adminPage.goto(`${baseUrl}/admin/funds/${fundId}/results`);
  await adminPage.getByText("The results are not published.", { exact: false }).waitFor();
  // The other two groups still have proposals waiting, so the fund's results cannot be published yet, and the page says which.
  await clickAndWait(adminPage, adminPage.getByRole("button", { name: "Publish the results", exact: true }), (p) =>
    p.getByRole("alert").filter({ hasText: "There is a problem" }).waitFor(),
  );
  const waiting = await settleTheOtherGroups(fundId, GROUP);
  expect(waiting.length).toBeGreaterThan(0);
  for (const title of waiting.slice(0, 3)) await adminPage.locator("main").getByText(title, { exact: false }).first().waitFor();
  expect(await adminPage.getByText("Results published.", { exact: false }).count()).toBe(0);
  await adminPage.goto(`${baseUrl}/admin/funds/${fundId}/results`);
  await clickAndWait(adminPage, adminPage.getByRole("button", { name: "Publish the results", exact: true }), statusSays("Results published."));
  await adminPage.getByRole("button", { name: "Unpublish the results" }).waitFor();
}, 120_000);

test("an anonymous visitor reads the published results: funded projects, amounts, reasons, totals and the panel's make-up, with no names or scores", async () => {
  const page = await newPage(browser);
  page.setDefaultTimeout(15_000);
  const response = await page.goto(`${baseUrl}/funds/${fundId}/results`);
  expect(response?.status()).toBe(200);
  await page.getByRole("heading", { level: 1, name: `Results: ${FUND}` }).waitFor();
  expect(await page.getByText("Preview: these results are not public yet", { exact: false }).count()).toBe(0);

  // The fund's page is a summary: its totals, a row for each group and the funded projects, 50 to a page.
  expect(await page.locator("main dl").first().innerText()).toMatch(/Total budget\s+£4,000,000/);
  const groupRow = page
    .getByRole("table", { name: "Money and proposals in each decision group" })
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: GROUP, exact: true }) });
  expect(await groupRow.innerText()).toMatch(/£1,600,000\s+£153,000/);
  const allFunded = page.getByRole("table", { name: /^Funded projects, with amounts and the panel's reasons/ });
  for (const title of [MAKER_SPACE, POLYTUNNEL]) {
    const text = await allFunded.getByRole("row").filter({ hasText: title }).innerText();
    expect(text).toContain(AMOUNTS[title]!.shown);
    expect(text).toContain(REASONS[title]!);
    expect(text).toContain(GROUP);
  }
  await expectNoNames(page, members, "the public results page");
  await expectNoAxeViolations(page, "/funds/:fundId/results");

  // The group's own page has its money, projects, panel, declarations and minutes.
  await clickAndWait(page, groupRow.getByRole("link", { name: GROUP, exact: true }), urlMatches(/\/funds\/[^/]+\/results\/[^/]+$/));
  await page.getByRole("heading", { level: 1, name: `Results: ${GROUP}` }).waitFor();
  const section = page.locator("main");
  const funded = section.getByRole("table", { name: `Projects funded by ${GROUP}, with amounts and the panel's reasons` });
  for (const title of [MAKER_SPACE, POLYTUNNEL]) {
    const text = await funded.getByRole("row").filter({ hasText: title }).innerText();
    expect(text).toContain(AMOUNTS[title]!.shown);
    expect(text).toContain(REASONS[title]!);
  }
  expect(await funded.locator("tfoot").innerText()).toContain("£153,000");
  // Totals against the pot: £1.6m pot, £153,000 funded, the rest not yet allocated.
  const money = await section.locator("dl").first().innerText();
  expect(money).toMatch(/Pot\s+£1,600,000/);
  expect(money).toMatch(/Funded\s+£153,000/);
  expect(money).toMatch(/Not given out yet\s+£1,447,000/);

  const panel = section.getByRole("table", { name: `Members of the ${GROUP} panel by constituency` });
  for (const [label, n] of [
    ["Resident", "2"],
    ["Councillor", "1"],
    ["VCSE representative", "1"],
  ]) {
    expect(
      await panel
        .getByRole("row")
        .filter({ has: page.getByRole("rowheader", { name: label, exact: true }) })
        .getByRole("cell")
        .innerText(),
    ).toBe(n);
  }
  await section.getByText("4 members in all.").waitFor();
  await section.getByText("No members have agreed to be named.").waitFor();

  // No South Bristol member is named and no score of any kind is shown.
  await expectNoNames(page, members, "the group's public results page");
  const text = await page.locator("main").innerText();
  for (const word of [...CRITERIA, "Mean", "Median", "Standard deviation", "weighted total", "Outcome:"])
    expect(text, `the public page shows "${word}"`).not.toContain(word);
  for (let i = 0; i < members.length; i++) expect(text).not.toContain(overallComment(i));
  await expectNoAxeViolations(page, "/funds/:fundId/results/:groupId");
  await page.context().close();
}, 60_000);

test("the Knowle West group reads the decision and its reason on the proposal page, with no scorer named", async () => {
  const page = await newPage(browser);
  page.setDefaultTimeout(15_000);
  await signIn(page, baseUrl, APPLICANT_EMAIL, DEMO_MEMBER_PASSWORD);
  await page.goto(`${baseUrl}/applicant`);
  await clickAndWait(page, page.getByRole("link", { name: MAKER_SPACE, exact: true }), urlMatches(/\/proposals\/[^/]+$/));
  const decision = page.getByRole("region", { name: "The panel's decision" });
  const text = await decision.innerText();
  expect(text).toContain("Funded");
  expect(text).toContain(AMOUNTS[MAKER_SPACE]!.shown);
  expect(text).toContain(REASONS[MAKER_SPACE]!);
  await expectNoNames(page, members, "the applicant's proposal page");
  const main = await page.locator("main").innerText();
  for (let i = 0; i < members.length; i++) expect(main).not.toContain(overallComment(i));
  await expectNoAxeViolations(page, "/proposals/:id with the decision");
  await page.context().close();
}, 60_000);

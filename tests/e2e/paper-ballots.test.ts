import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { BALLOT_FUND_NAME, DEMO_PAPER_CODE, PAPER_VENUE_NAME } from "../../db/demo-ballot";
import { DEMO_ACCOUNTS, DEMO_MEMBER_PASSWORD } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { serverUrl } from "./server";

// Issue 12, part 7: paper ballots keyed twice on the demo's open vote. The demo has a mismatch
// keyed by the second administrator and a volunteer, and a paper (code PAPR-KEYS-22) keyed
// once by the volunteer. The first administrator resolves the demo's mismatch, then keys the
// waiting paper differently (a new mismatch), which the second administrator, who keyed
// neither copy, resolves. axe runs on every page.

const baseUrl = serverUrl();
const VIEWPORT = { width: 320, height: 800 };
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signedIn(email: string, password: string): Promise<Page> {
  const page = await newPage(browser, { viewport: VIEWPORT });
  page.setDefaultTimeout(15_000);
  await signIn(page, baseUrl, email, password);
  return page;
}

test("paper ballots are keyed twice; a mismatch is listed and resolved by someone who keyed neither copy", async () => {
  const asha = await signedIn("admin@demo.example", DEMO_ACCOUNTS.find((a) => a.email === "admin@demo.example")!.password);
  await asha.goto(`${baseUrl}/admin/funds`);
  await asha.getByRole("link", { name: BALLOT_FUND_NAME, exact: true }).click();
  await asha.getByRole("link", { name: /^Community vote:/ }).click();
  await asha.getByRole("link", { name: "Paper ballots: keying, venues and flagged ballots" }).click();
  await asha.getByRole("heading", { level: 1, name: "Paper ballots" }).waitFor();
  const paperUrl = asha.url();
  await expectNoAxeViolations(asha, "paper ballots page");
  await asha.getByRole("rowheader", { name: PAPER_VENUE_NAME }).waitFor();

  // The demo's mismatch: keyed by Femi Finance and Kit Keyer; Asha keyed neither, so she chooses.
  const mismatches = asha.getByRole("link", { name: new RegExp(`^Paper from ${PAPER_VENUE_NAME}, first keyed`) });
  expect(await mismatches.count()).toBe(1);
  await mismatches.first().click();
  await asha.getByRole("heading", { level: 1, name: "Resolve a paper ballot" }).waitFor();
  await asha.getByText("The keyings differ on the choices.").waitFor();
  await expectNoAxeViolations(asha, "resolve a mismatch page");
  await asha.getByRole("button", { name: "Count this keying" }).click();
  await asha.getByRole("alert").getByText("Choose the keying that matches the paper").first().waitFor();
  await expectNoAxeViolations(asha, "resolve a mismatch page, with an error");
  // Keyed at the same moment in the demo, so either may be listed first.
  await asha.getByRole("radio", { name: /^Keying \d, by Femi Finance$/ }).check();
  await asha.getByRole("button", { name: "Count this keying" }).click();
  await asha.getByText("None. Every paper keyed twice so far has matching keyings.").waitFor();

  // Asha keys the paper the volunteer keyed once, and reads a different tick: a new mismatch.
  await asha.getByRole("link", { name: "Key a paper ballot" }).click();
  await asha.getByRole("heading", { level: 1, name: "Key a paper ballot" }).waitFor();
  await expectNoAxeViolations(asha, "key a paper ballot page");
  await asha.getByRole("button", { name: "Save this keying" }).click();
  await asha.getByRole("alert").getByText("Choose the venue the paper came from").waitFor();
  await expectNoAxeViolations(asha, "key a paper ballot page, with errors");
  await asha.getByLabel("Venue the paper came from").selectOption({ label: PAPER_VENUE_NAME });
  await asha.getByLabel("Voter code printed on the paper").fill(DEMO_PAPER_CODE.toLowerCase());
  await asha.getByLabel("Walks for people who feel alone").check();
  await asha.getByRole("button", { name: "Save this keying" }).click();
  await asha.getByRole("status").getByText("The keyings of this paper differ", { exact: false }).waitFor();
  await expectNoAxeViolations(asha, "key a paper ballot page, after keying");

  // She keyed it, so she may not choose between the keyings.
  await asha.goto(paperUrl);
  await mismatches.first().click();
  await asha.getByText("You keyed this paper, so someone who did not must choose", { exact: false }).waitFor();
  const resolveUrl = asha.url();

  // Femi Finance keyed neither copy: he reads the paper and chooses Asha's keying.
  const femi = await signedIn("finance@demo.example", DEMO_MEMBER_PASSWORD);
  await femi.goto(resolveUrl);
  await femi.getByRole("heading", { level: 2, name: /^Keying 1, by Kit Keyer/ }).waitFor();
  await femi.getByRole("radio", { name: "Keying 2, by Asha Admin" }).check();
  await femi.getByRole("button", { name: "Count this keying" }).click();
  await femi.getByText("None. Every paper keyed twice so far has matching keyings.").waitFor();
  // Library: two counted by the demo, the demo's mismatch and this one now counted too.
  const library = femi.getByRole("row", { name: new RegExp(`^${PAPER_VENUE_NAME}`) });
  expect((await library.getByRole("cell").allInnerTexts()).slice(0, 6)).toEqual(["40", "6", "5", "4", "1", "0"]);
  await expectNoAxeViolations(femi, "paper ballots page after resolving");

  await femi.getByRole("link", { name: "Venues and papers handed out" }).click();
  await femi.getByRole("heading", { level: 1, name: "Venues and papers handed out" }).waitFor();
  await expectNoAxeViolations(femi, "venues page");
  await femi.goto(paperUrl);
  await femi.getByRole("link", { name: "Who took part" }).click();
  await femi.getByRole("heading", { level: 1, name: "Who took part" }).waitFor();
  await femi.getByText("4 people have voted.").waitFor();
  await expectNoAxeViolations(femi, "participation page");
  await asha.context().close();
  await femi.context().close();
}, 240_000);

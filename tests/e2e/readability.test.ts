import SQLite from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { hardestSentences, readability, type Readability } from "../../app/domain/readability";
import { DEMO_ACCOUNTS, DEMO_MEMBER_PASSWORD } from "../../db/demo-data";
import { COUNTED_BALLOT_FUND_NAME } from "../../db/demo-ballot";
import { PAST_FUND_NAME } from "../../db/demo-past-round";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { DATABASE_VARIABLE, serverUrl } from "./server";

// Plain English, measured (issue 10, item 12). Each page's `main` text is read
// in the browser block by block, as a reader sees it, and scored with the
// Flesch-Kincaid grade (app/domain/readability.ts says how headings, list items,
// table cells, labels, buttons and numbers count). The portal aims at grade 6 or
// below; a page above grade 8 fails. The run prints every page's grade.
//
// To measure another page, add a row to PAGES: its path (":name" parts are
// looked up in the demo data by IDS below) and who reads it (ROLES).

/** The grade above which a page fails; the aim is 6 or below. */
const MAX_GRADE = 8;

/** Who reads a page: nobody signed in, or a demo account. */
const ROLES = {
  public: null,
  /** The demo applicant, Lawrence Hill Community Garden: drafts and a proposal with changes requested. */
  applicant: { email: "applicant@demo.example", password: DEMO_ACCOUNTS.find((a) => a.email === "applicant@demo.example")!.password },
  /** A member of the group whose award is part paid with a report due ("Hearing loops and visual alarms"). */
  "award holder": { email: ":awardHolderEmail", password: DEMO_MEMBER_PASSWORD },
  /** A member of the group with an offer waiting ("A Changing Places toilet"). */
  "offer holder": { email: ":offerHolderEmail", password: DEMO_MEMBER_PASSWORD },
} as const;
type Role = keyof typeof ROLES;

/** The pages measured. Add rows here; ":name" parts come from IDS. */
const PAGES: { path: string; role: Role }[] = [
  { path: "/", role: "public" },
  { path: "/funds", role: "public" },
  { path: "/funds/:currentFund", role: "public" },
  { path: "/funds/:pastFund", role: "public" },
  { path: "/funds/:pastFund/results", role: "public" },
  { path: "/funds/:pastFund/results/:pastGroup", role: "public" },
  { path: "/funds/:pastFund/you-said-we-did", role: "public" },
  { path: "/login", role: "public" },
  { path: "/register", role: "public" },
  { path: "/forgot-password", role: "public" },
  { path: "/no-such-page", role: "public" },
  { path: "/admin", role: "applicant" },
  { path: "/applicant", role: "applicant" },
  { path: "/applicant/group", role: "applicant" },
  { path: "/proposals/:kitchenProposal", role: "applicant" },
  { path: "/proposals/:kitchenProposal/versions", role: "applicant" },
  { path: "/proposals/:draftProposal", role: "applicant" },
  { path: "/proposals/new", role: "applicant" },
  { path: "/proposals/:draftProposal/edit", role: "applicant" },
  { path: "/proposals/:draftProposal/sections/about", role: "applicant" },
  { path: "/proposals/:draftProposal/sections/benefits", role: "applicant" },
  { path: "/proposals/:draftProposal/sections/budget", role: "applicant" },
  { path: "/proposals/:draftProposal/sections/dates", role: "applicant" },
  { path: "/proposals/:draftProposal/sections/outcomes", role: "applicant" },
  { path: "/proposals/:draftProposal/check", role: "applicant" },
  { path: "/applicant", role: "award holder" },
  { path: "/awards/:partPaidAward", role: "award holder" },
  { path: "/awards/:partPaidAward/offer", role: "award holder" },
  { path: "/awards/:partPaidAward/reports", role: "award holder" },
  { path: "/awards/:partPaidAward/variations", role: "award holder" },
  { path: "/awards/:offeredAward", role: "offer holder" },
  { path: "/funds/:ballotFund", role: "public" },
  { path: "/funds/:ballotFund/vote", role: "public" },
  { path: "/funds/:ballotFund/vote/join", role: "public" },
  { path: "/funds/:ballotFund/vote/code", role: "public" },
  { path: "/funds/:countedBallotFund/vote/results", role: "public" },
];

/** The demo data's ids and emails that the paths and roles name, read from this file's own server's database. */
const IDS: Record<string, string> = {};

function lookUpIds(): void {
  const db = new SQLite(process.env[DATABASE_VARIABLE]!, { readonly: true, fileMustExist: true });
  try {
    const one = (query: string, ...params: string[]): string => {
      const row = db
        .prepare(query)
        .pluck()
        .get(...params) as string | undefined;
      if (!row) throw new Error(`No demo data for: ${query} (${params.join(", ")})`);
      return row;
    };
    const proposal = (title: string) => one("select id from proposal where title = ?", title);
    const award = (title: string) => one("select a.id from award a join proposal p on p.id = a.proposal_id where p.title = ?", title);
    const memberOf = (awardId: string) =>
      one(
        "select u.email from award a join membership m on m.organisation_id = a.organisation_id and m.role = 'applicant' and m.ended_at is null join user u on u.id = m.user_id where a.id = ? order by u.email limit 1",
        awardId,
      );
    IDS.currentFund = one("select id from fund where name = ?", "Community Resilience Fund (demo)");
    IDS.pastFund = one("select id from fund where name = ?", PAST_FUND_NAME);
    IDS.pastGroup = one("select id from decision_group where fund_id = ?", IDS.pastFund);
    IDS.ballotFund = one("select id from fund where decision_method = 'ballot' order by created_at limit 1");
    IDS.countedBallotFund = one("select id from fund where name = ?", COUNTED_BALLOT_FUND_NAME);
    IDS.kitchenProposal = proposal("Community kitchen in the garden pavilion");
    IDS.draftProposal = proposal("Accessible raised beds and a tool store");
    IDS.partPaidAward = award("Hearing loops and visual alarms");
    IDS.offeredAward = award("A Changing Places toilet");
    IDS.awardHolderEmail = memberOf(IDS.partPaidAward);
    IDS.offerHolderEmail = memberOf(IDS.offeredAward);
  } finally {
    db.close();
  }
}

function fill(template: string): string {
  return template.replace(/:([A-Za-z]+)/g, (whole, name: string) => IDS[name] ?? whole);
}

/**
 * The text of the page's `main` element as blocks, in reading order, the way a
 * reader meets it: every element that is not laid out inline (headings,
 * paragraphs, list items, table cells, buttons, labels on their own line) and
 * every line break ends a block; inline elements (links, strong) stay inside
 * their sentence. Hidden elements, aria-hidden decoration, and what people type
 * or pick (inputs, text areas, drop-down options) are not read. Text for screen
 * readers only is read, as they hear it.
 */
function mainTextBlocks(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const main = document.querySelector("main");
    if (!main) return [];
    const blocks: string[] = [];
    let buffer = "";
    const flush = () => {
      const text = buffer.replace(/\s+/g, " ").trim();
      if (text) blocks.push(text);
      buffer = "";
    };
    const skipped = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "SELECT", "TEXTAREA", "svg"]);
    const walk = (node: Node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        buffer += node.textContent ?? "";
        return;
      }
      if (!(node instanceof Element) || skipped.has(node.tagName) || node.getAttribute("aria-hidden") === "true") return;
      const style = getComputedStyle(node);
      if (style.display === "none" || style.visibility === "hidden") return;
      if (node.tagName === "BR") return flush();
      if (node instanceof HTMLInputElement) {
        if (["submit", "button"].includes(node.type) && node.value) {
          flush();
          blocks.push(node.value);
        }
        return;
      }
      const isBlock = style.display !== "inline";
      if (isBlock) flush();
      node.childNodes.forEach(walk);
      if (isBlock) flush();
    };
    walk(main);
    flush();
    return blocks;
  });
}

let browser: Browser;
const pagesByRole = new Map<Role, Page>();
const measured: { role: Role; path: string; result: Readability }[] = [];

beforeAll(async () => {
  lookUpIds();
  browser = await launchBrowser();
});
afterAll(async () => {
  if (measured.length) {
    const lines = measured.map(
      ({ role, path, result }) => `  ${result.grade.toFixed(1).padStart(5)}  ${role.padEnd(12)}  ${path}  (${result.sentence} sentences, ${result.word} words)`,
    );
    console.log(`Flesch-Kincaid grade per page (aim ≤ 6, fail > ${MAX_GRADE}):\n${lines.join("\n")}`);
  }
  await browser?.close();
});

async function pageFor(role: Role): Promise<Page> {
  const existing = pagesByRole.get(role);
  if (existing) return existing;
  const page = await newPage(browser);
  const account = ROLES[role];
  if (account) await signIn(page, serverUrl(), fill(account.email), account.password);
  pagesByRole.set(role, page);
  return page;
}

test.each(PAGES)("$path, read by $role, is plain English (grade ≤ 8)", async ({ path, role }) => {
  const page = await pageFor(role);
  const url = fill(path);
  await page.goto(`${serverUrl()}${url}`);
  const blocks = await mainTextBlocks(page);
  expect(blocks.length, `${url} has text in its main element`).toBeGreaterThan(0);
  const result = readability(blocks);
  measured.push({ role, path, result });
  const hardest = hardestSentences(blocks)
    .map((s) => `  ${s.grade.toFixed(1)}: ${s.sentence}`)
    .join("\n");
  expect(result.grade, `${url} reads at grade ${result.grade}. Its hardest sentences:\n${hardest}`).toBeLessThanOrEqual(MAX_GRADE);
  await expectNoAxeViolations(page, `${url} as ${role}`);
});

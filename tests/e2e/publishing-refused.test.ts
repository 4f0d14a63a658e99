import SQLite from "better-sqlite3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { DATABASE_VARIABLE, serverUrl } from "./server";

// Issue 10 item 4: results are not published while proposals wait for a decision.

const baseUrl = serverUrl();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const admin = DEMO_ACCOUNTS.find((a) => a.email === "admin@demo.example")!;

/** The demo's current round, whose results are not published and which has proposals still waiting. */
function currentRound(): { id: string; waiting: string[] } {
  const db = new SQLite(process.env[DATABASE_VARIABLE]!, { fileMustExist: true, readonly: true });
  try {
    const fund = db.prepare("select id from fund where name = ? and results_published_at is null").get("Community Resilience Fund (demo)") as { id: string };
    const waiting = db
      .prepare(
        "select proposal.reference from proposal join decision_group on decision_group.id = proposal.decision_group_id where decision_group.fund_id = ? and proposal.status in ('supported', 'eligible', 'under_review')",
      )
      .all(fund.id) as { reference: string }[];
    return { id: fund.id, waiting: waiting.map((w) => w.reference) };
  } finally {
    db.close();
  }
}

test("publishing is refused while decisions are pending, naming each proposal with a link to decide it", async () => {
  const fund = currentRound();
  expect(fund.waiting.length).toBeGreaterThan(0);
  const page = await newPage(browser);
  page.setDefaultTimeout(15_000);
  await signIn(page, baseUrl, admin.email, admin.password);
  await page.goto(`${baseUrl}/admin/funds/${fund.id}/results`);
  await page.getByRole("heading", { name: "Waiting for a decision" }).waitFor();

  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Publish the results" }).click()]);
  const summary = page.getByRole("alert", { name: "There is a problem" });
  await summary.getByText("The results cannot be published yet").waitFor();
  for (const reference of fund.waiting) await expect(summary.textContent()).resolves.toContain(reference);
  await expectNoAxeViolations(page, "publishing refused");

  // Still not public.
  const visitor = await newPage(browser);
  const response = await visitor.goto(`${baseUrl}/funds/${fund.id}/results`);
  expect(response?.status()).toBe(404);
  await visitor.context().close();

  // Each undecided proposal links to where it is decided.
  const section = page.getByRole("region", { name: "Waiting for a decision" });
  const first = section.getByRole("link").first();
  const href = await first.getAttribute("href");
  expect(href).toMatch(/^\/admin\/(groups\/[^/]+\/decisions\?proposal=|proposals\/)/);
  // The link opens the page where that proposal is decided (or screened).
  await page.goto(`${baseUrl}${href!}`);
  await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toMatch(/Decisions|Proposal|P-/);
});

import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { expectNoAxeViolations, launchBrowser, newPage, signIn } from "./browser";
import { DATABASE_VARIABLE, serverUrl } from "./server";

// Issue 10 item 1: the panel decides on the whole evidence. A panel member
// reads the lead organisation's support statement and opens the group's file
// from the scoring page.

const baseUrl = serverUrl();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const resident = DEMO_ACCOUNTS.find((a) => a.email === "resident@demo.example")!;
const PROPOSAL = "Solar panels for the community hall";
const STATEMENT = "We have worked with this group for years.";
const FILE_BYTES = "%PDF-1.4\n% the installer's quote for the solar panels\n";

/**
 * The demo's proposals carry no files, and a file can only be attached while a
 * proposal is a draft, so one is put in place as the group would have attached
 * it: a row in this file's server database and the stored file in its uploads.
 */
function attachQuoteTo(title: string): { proposalId: string } {
  const file = process.env[DATABASE_VARIABLE]!;
  const db = new SQLite(file, { fileMustExist: true });
  try {
    const proposal = db.prepare("select id, created_by from proposal where title = ?").get(title) as { id: string; created_by: string };
    const storedName = crypto.randomUUID();
    const uploads = path.join(path.dirname(file), "uploads");
    fs.mkdirSync(uploads, { recursive: true });
    fs.writeFileSync(path.join(uploads, storedName), FILE_BYTES);
    db.prepare(
      "insert into attachment (id, proposal_id, original_name, stored_name, mime_type, size_bytes, uploaded_by, created_at, removed_at) values (?, ?, ?, ?, ?, ?, ?, ?, null)",
    ).run(
      crypto.randomUUID(),
      proposal.id,
      "installer-quote.pdf",
      storedName,
      "application/pdf",
      Buffer.byteLength(FILE_BYTES),
      proposal.created_by,
      new Date().toISOString(),
    );
    return { proposalId: proposal.id };
  } finally {
    db.close();
  }
}

test("a panel member reads the lead organisation's support statement and opens the group's file from the scoring page", async () => {
  const { proposalId } = attachQuoteTo(PROPOSAL);
  const page = await newPage(browser, { acceptDownloads: true });
  page.setDefaultTimeout(15_000);
  await signIn(page, baseUrl, resident.email, resident.password);
  await page.goto(`${baseUrl}/panel/proposals/${proposalId}`);

  await page.getByRole("heading", { name: "The lead organisation's support statement" }).waitFor();
  await page.getByText(STATEMENT, { exact: false }).waitFor();
  await expectNoAxeViolations(page, "panel proposal page with the support statement and files");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download installer-quote.pdf" }).click()]);
  expect(download.suggestedFilename()).toBe("installer-quote.pdf");
  const saved = await download.path();
  expect(fs.readFileSync(saved, "utf8")).toBe(FILE_BYTES);
});

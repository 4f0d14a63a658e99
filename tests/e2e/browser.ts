import fs from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { Secret, TOTP } from "otpauth";
import { expect } from "vitest";
import { TOTP_DIGITS, TOTP_PERIOD_SECONDS } from "../../app/domain/two-factor";
import { DEMO_TOTP_SECRET, DEMO_TWO_FACTOR_EMAILS } from "../../db/demo-two-factor-key";

export const CHROMIUM_PATH = "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Launches Debian's chromium; browsers cannot be downloaded here, so playwright-core drives the system one. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A new page in its own context (own cookies), so tests do not share sessions. */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  return context.newPage();
}

const require = createRequire(import.meta.url);
let axeSource: string | null = null;
function readAxeSource(): string {
  axeSource ??= fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  return axeSource;
}

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/**
 * Runs axe-core on the page as it is now and fails with a readable list of WCAG 2.2 AA violations.
 * The source goes in through page.evaluate (the debugging protocol), which the site's nonce-based CSP does not block.
 */
export async function expectNoAxeViolations(page: Page, label = page.url()): Promise<void> {
  const hasAxe = await page.evaluate("typeof window.axe === 'object'");
  if (!hasAxe) await page.evaluate(`${readAxeSource()}\n;void 0;`);
  const violations = (await page.evaluate(async (tags: string[]) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return (result.violations as AxeViolation[]).map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary })),
    }));
  }, AXE_TAGS)) as AxeViolation[];
  const report = violations
    .map(
      (v) =>
        `- ${v.id} (${v.impact ?? "unknown impact"}): ${v.help}\n  ${v.helpUrl}\n` +
        v.nodes.map((n) => `    at ${n.target.join(" ")}\n      ${n.failureSummary.replace(/\n/g, "\n      ")}`).join("\n"),
    )
    .join("\n");
  expect(violations.length, `Accessibility violations on ${label}:\n${report}`).toBe(0);
}

/** Signs in through the form at /login (and the code at /login/code for the demo administrators) and waits until the browser has left the sign-in pages. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await Promise.all([page.waitForURL((u) => u.pathname !== "/login", { waitUntil: "load" }), page.getByRole("button", { name: "Sign in" }).click()]);
  if (new URL(page.url()).pathname !== "/login/code") return;
  await page.getByLabel("Code", { exact: true }).fill(await nextDemoCode(email));
  await Promise.all([page.waitForURL((u) => u.pathname !== "/login/code", { waitUntil: "load" }), page.getByRole("button", { name: "Continue" }).click()]);
}

/** The last 30-second step whose code each demo administrator used, in this test file (its server's database is its own). */
const lastStepUsed = new Map<string, number>();

/**
 * A demo administrator's next usable sign-in code, computed from the published
 * demo key as their app would. Each code works once, so a second sign-in within
 * the same 30 seconds takes the next step's code (the server accepts one step
 * ahead), and a third waits for the clock.
 */
export async function nextDemoCode(email: string): Promise<string> {
  if (!(DEMO_TWO_FACTOR_EMAILS as readonly string[]).includes(email)) throw new Error(`${email} has no two-factor sign-in in the demo`);
  const now = Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS);
  const step = Math.max(now, (lastStepUsed.get(email) ?? -Infinity) + 1);
  if (step > now + 1) await new Promise((resolve) => setTimeout(resolve, (step - 1) * TOTP_PERIOD_SECONDS * 1000 - Date.now() + 50));
  lastStepUsed.set(email, step);
  const totp = new TOTP({ secret: Secret.fromBase32(DEMO_TOTP_SECRET), algorithm: "SHA1", digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS });
  return totp.generate({ timestamp: step * TOTP_PERIOD_SECONDS * 1000 });
}

/** Collects console errors about the Content Security Policy, so a test can fail when a page breaks the CSP. */
export function collectCspViolations(page: Page): string[] {
  const found: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && message.text().includes("Content Security Policy")) found.push(`${page.url()}: ${message.text()}`);
  });
  return found;
}

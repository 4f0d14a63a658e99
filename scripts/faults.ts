// npm run test:faults — the crash test. Starts the real production server on a new demo database,
// signs in as demo users through the login form, and keeps making real writes over HTTP (panel
// members ask questions, a group saves its drafts) while the server is killed with SIGKILL at random
// moments and restarted (FAULTS_KILLS times, default 20). Then it checks, on the database the server
// left behind, that every write the server acknowledged (a 2xx or 3xx answer received) is there,
// that PRAGMA integrity_check is ok, and that npm run audit:verify exits 0. Exits 1 otherwise.
//   --no-build    use the existing production build instead of running npm run build first.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import url from "node:url";
import SQLite from "better-sqlite3";
import { createDb, migrateToLatest } from "../db/client";
import { seedDemo } from "../db/demo-data";

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..");
const KILLS = Number(process.env.FAULTS_KILLS ?? 20);
const WRITERS_PER_KIND = 2;

// ---------------------------------------------------------------- the server

interface Server {
  child: ChildProcess;
  exited: Promise<void>;
  log: () => string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startServer(env: Record<string, string>, baseUrl: string): Promise<Server> {
  let log = "";
  const child = spawn(process.execPath, ["server.js"], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (c) => (log += c));
  child.stderr?.on("data", (c) => (log += c));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited with code ${child.exitCode} at start:\n${log}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).status === 200) return { child, exited, log: () => log };
    } catch {
      // Not listening yet.
    }
    await sleep(50);
  }
  child.kill("SIGKILL");
  throw new Error(`The server did not answer /healthz within 60 s:\n${log}`);
}

// ---------------------------------------------------------------- a browser, roughly

/** One person's cookies, sent back as a browser would. */
class Browser {
  private cookies = new Map<string, string>();
  constructor(private readonly baseUrl: () => string) {}

  private remember(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (value === "" || /max-age=0/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async get(pathname: string): Promise<{ status: number; html: string }> {
    const response = await fetch(`${this.baseUrl()}${pathname}`, { headers: { Cookie: this.cookieHeader() }, redirect: "manual" });
    this.remember(response);
    return { status: response.status, html: await response.text() };
  }

  async post(pathname: string, fields: Record<string, string>): Promise<{ status: number; location: string | null; body: string }> {
    const response = await fetch(`${this.baseUrl()}${pathname}`, {
      method: "POST",
      headers: { Cookie: this.cookieHeader(), Origin: this.baseUrl(), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
      redirect: "manual",
    });
    this.remember(response);
    return { status: response.status, location: response.headers.get("Location"), body: await response.text() };
  }
}

const decode = (s: string) =>
  s.replaceAll("&quot;", '"').replaceAll("&#x27;", "'").replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");

/** The hidden fields (the form token, a submission key…) of the page's first form that has a field with this name. */
function hiddenFields(html: string, fieldName: string): Record<string, string> {
  const form = (html.match(/<form[\s\S]*?<\/form>/g) ?? []).find((f) => f.includes(`name="${fieldName}"`));
  if (!form) throw new Error(`No form with a field "${fieldName}" on the page:\n${html.slice(0, 2000)}`);
  const fields: Record<string, string> = {};
  for (const input of form.match(/<input[^>]*>/g) ?? []) {
    if (!/type="hidden"/.test(input)) continue;
    const name = /name="([^"]*)"/.exec(input)?.[1];
    if (name) fields[decode(name)] = decode(/value="([^"]*)"/.exec(input)?.[1] ?? "");
  }
  return fields;
}

async function signIn(browser: Browser, email: string, password: string) {
  const page = await browser.get("/login");
  const result = await browser.post("/login", { ...hiddenFields(page.html, "password"), email, password });
  if (result.status !== 302 && result.status !== 303) throw new Error(`Signing in as ${email} answered ${result.status}:\n${result.body.slice(0, 1000)}`);
}

// ---------------------------------------------------------------- the run

async function main() {
  if (!process.argv.includes("--no-build")) {
    const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
    if (build.status !== 0) throw new Error(`npm run build failed with code ${build.status}`);
  }
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-faults-"));
  const databasePath = path.join(dir, "portal.db");
  const seeding = createDb(databasePath);
  await migrateToLatest(seeding);
  await seedDemo(seeding);
  await seeding.destroy();

  // What the writers work on, from the demo data: the garden group's two editable proposals, and a proposal
  // the Inner City and East panel is reviewing that its resident and councillor members take part in.
  const demo = new SQLite(databasePath, { readonly: true });
  const drafts = demo
    .prepare(
      "select p.id from proposal p join organisation o on o.id = p.organisation_id where o.name = 'Lawrence Hill Community Garden' and p.status in ('draft', 'changes_requested') order by p.id",
    )
    .pluck()
    .all() as string[];
  const reviewed = demo
    .prepare(
      "select p.id from proposal p join decision_group g on g.id = p.decision_group_id where g.name = 'Inner City and East' and p.status = 'under_review' order by p.id limit 1",
    )
    .pluck()
    .get() as string;
  demo.close();
  if (drafts.length < WRITERS_PER_KIND || !reviewed) throw new Error("The demo data no longer has the proposals this script writes to.");

  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const env = {
    NODE_ENV: "production",
    PORT: String(port),
    DATABASE_PATH: databasePath,
    UPLOADS_DIR: path.join(dir, "uploads"),
    APP_URL: baseUrl,
    PORTAL_MODE: "demo",
    SMTP_URL: "",
  };
  let server = await startServer(env, baseUrl);

  const applicant = new Browser(() => baseUrl);
  await signIn(applicant, "applicant@demo.example", "demo-applicant-pass-2026");
  const panel = [new Browser(() => baseUrl), new Browser(() => baseUrl)];
  await signIn(panel[0]!, "resident@demo.example", "demo-resident-pass-2026");
  await signIn(panel[1]!, "councillor@demo.example", "demo-councillor-pass-2026");

  // Every write whose answer came back: the questions by their text, and each draft's last saved number.
  const acknowledgedQuestions: string[] = [];
  const lastSavedDraft = new Map<string, number>();
  let draftSaves = 0;
  const statuses = new Map<string, number>();
  const unexpected: string[] = [];
  let attempts = 0;
  let running = true;
  const count = (label: string) => statuses.set(label, (statuses.get(label) ?? 0) + 1);

  async function questionWriter(browser: Browser, who: string) {
    for (let n = 1; running; n++) {
      const text = `Fault test: question ${n} from ${who}, ${Date.now()}`;
      try {
        const page = await browser.get(`/panel/proposals/${reviewed}`);
        if (page.status !== 200) throw new Error(`GET answered ${page.status}`);
        attempts += 1;
        const result = await browser.post(`/panel/proposals/${reviewed}`, { ...hiddenFields(page.html, "question"), intent: "ask", question: text });
        count(String(result.status));
        if (result.status >= 200 && result.status < 400) acknowledgedQuestions.push(text);
        else if (unexpected.length < 5) unexpected.push(`ask ${result.status}: ${result.body.slice(0, 300)}`);
      } catch {
        // The server is down, or died while answering: not acknowledged.
        await sleep(20);
      }
    }
  }

  async function draftWriter(browser: Browser, proposalId: string) {
    for (let n = 1; running; n++) {
      try {
        // The task list's first section: it saves on its own, and a field the post leaves out stays as it was.
        const page = await browser.get(`/proposals/${proposalId}/sections/about`);
        if (page.status !== 200) throw new Error(`GET answered ${page.status}`);
        attempts += 1;
        const result = await browser.post(`/proposals/${proposalId}/sections/about`, {
          ...hiddenFields(page.html, "title"),
          intent: "save",
          title: `Fault test draft #${n}`,
        });
        count(String(result.status));
        if (result.status >= 200 && result.status < 400) {
          lastSavedDraft.set(proposalId, n);
          draftSaves += 1;
        } else if (unexpected.length < 5) unexpected.push(`save ${result.status}: ${result.body.slice(0, 300)}`);
      } catch {
        await sleep(20);
      }
    }
  }

  const writers = [
    questionWriter(panel[0]!, "the resident"),
    questionWriter(panel[1]!, "the councillor"),
    ...drafts.slice(0, WRITERS_PER_KIND).map((id) => draftWriter(applicant, id)),
  ];

  let kills = 0;
  let restartMs = 0;
  for (let i = 0; i < KILLS; i++) {
    await sleep(300 + Math.random() * 1200);
    server.child.kill("SIGKILL");
    await server.exited;
    kills += 1;
    const restarting = Date.now();
    server = await startServer(env, baseUrl);
    restartMs += Date.now() - restarting;
  }
  // A last stretch of writes after the last restart, then a clean stop.
  await sleep(500);
  running = false;
  await Promise.all(writers);
  server.child.kill("SIGTERM");
  await server.exited;

  // What the database holds after all that.
  const db = new SQLite(databasePath, { readonly: true, fileMustExist: true });
  const integrity = db.pragma("integrity_check", { simple: true });
  const questions = new Set(db.prepare("select body from clarification_question where body like 'Fault test: %'").pluck().all() as string[]);
  const lostQuestions = acknowledgedQuestions.filter((q) => !questions.has(q));
  const lostDrafts: string[] = [];
  for (const [proposalId, n] of lastSavedDraft) {
    const title = db.prepare("select title from proposal where id = ?").pluck().get(proposalId) as string;
    // The draft holds the last acknowledged save, or a later one the server finished but could not answer.
    const stored = Number(/^Fault test draft #(\d+)$/.exec(title)?.[1] ?? 0);
    if (stored < n) lostDrafts.push(`${proposalId}: saved #${n} was acknowledged, the draft holds "${title}"`);
  }
  db.close();
  const verify = spawnSync("npm", ["run", "--silent", "audit:verify"], { cwd: root, env: { ...process.env, DATABASE_PATH: databasePath }, encoding: "utf8" });

  const acknowledged = acknowledgedQuestions.length + draftSaves;
  const lost = lostQuestions.length + lostDrafts.length;
  console.log("");
  console.log(
    `Faults: ${kills} SIGKILLs and restarts in ${((Date.now() - started) / 1000).toFixed(0)} s (a restart took ${(restartMs / Math.max(kills, 1) / 1000).toFixed(1)} s on average)`,
  );
  console.log(`  writes sent: ${attempts}; answers by status: ${[...statuses].map(([s, n]) => `${s}: ${n}`).join(", ")}`);
  console.log(`  writes acknowledged: ${acknowledged} (${acknowledgedQuestions.length} questions asked, ${draftSaves} draft saves)`);
  console.log(`  lost: ${lost}`);
  console.log(`  integrity_check: ${String(integrity)}`);
  console.log(`  audit chain: ${(verify.stdout + verify.stderr).trim()} (exit ${verify.status})`);
  for (const line of [...lostQuestions.map((q) => `lost question: ${q}`), ...lostDrafts, ...unexpected]) console.log(`  ${line}`);

  const failed =
    lost > 0 || integrity !== "ok" || verify.status !== 0 || unexpected.length > 0 || acknowledgedQuestions.length === 0 || draftSaves === 0 || kills !== KILLS;
  if (!failed) fs.rmSync(dir, { recursive: true, force: true });
  else console.log(`  the database is kept at ${databasePath}; the last server's log:\n${server.log()}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

// npm run bench:load — the portal under load at city scale. Needs `npm run db:seed:city` first.
// Copies the city database (DATABASE_PATH, default data/city.sqlite) so every run starts from the same data,
// prepares sessions and the targets of the writes on the copy through the portal's own code, then starts the
// production server on the copy and measures with autocannon:
// - /healthz, then each key page (BENCH_CONNECTIONS, default 50, for BENCH_SECONDS, default 10), then /healthz again;
//   before each, one connection for a fifth of BENCH_SECONDS (at least 1 s): the p95 of the page alone, without a queue;
// - a POST mix of score-sheet saves, draft saves and votes (BENCH_POST_CLIENTS, default 10, for BENCH_SECONDS);
// - a deadline burst: BURST_COUNT proposals (default 1,000) submitted evenly over BURST_SECONDS (default 60), then a
//   count in the database of how many acknowledged submissions are really submitted.
// BENCH_DATABASE_URL=postgres://… copies the city data into a fresh schema of that PostgreSQL database (db:copy) and runs
// the servers on it; BENCH_SERVERS=2 starts two server processes on the one database and shares every load between them.
// Prints p50, p95, requests per second, the share of /healthz's requests per second, errors (answers other than 200,
// failed connections), requests with no answer within autocannon's 10 s (not in p50 and p95), and the server's
// memory (RSS and V8 heap used, which the server prints on SIGUSR2) before, after the pages and at the end, as a Markdown table.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import SQLite from "better-sqlite3";
import { csrfCookieOf } from "~/auth/csrf.server";
import { createSession } from "~/auth/session.server";
import type { Actor } from "~/domain/permissions";
import { openMeeting, recordAttendance } from "~/services/meetings.server";
import { setChair } from "~/services/panel-rules.server";
import { reopenScoreSheet } from "~/services/scoring.server";
import { eligibilityRules, saveDraft, startProposal } from "~/services/proposals.server";
import { openVote } from "~/services/voting.server";
import { newToken } from "~/utils/ids.server";
import { createDb, inTransaction, migrateToLatest, type DB } from "../db/client";
import { copySqliteToPostgres } from "../db/copy-to-postgres";
import { createPostgresTestSchema } from "../tests/support/postgres";
import { heapLimitArgs } from "../server.js";

const SOURCE = process.env.DATABASE_PATH || "data/city.sqlite";
const SECONDS = Number(process.env.BENCH_SECONDS) || 10;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS) || 50;
const POST_CLIENTS = Number(process.env.BENCH_POST_CLIENTS) || 10;
const BURST_COUNT = Number(process.env.BURST_COUNT) || 1_000;
const BURST_SECONDS = Number(process.env.BURST_SECONDS) || 60;
const SERVERS = Math.max(1, Number(process.env.BENCH_SERVERS) || 1);
const POSTGRES_URL = process.env.BENCH_DATABASE_URL || undefined;

if (!fs.existsSync(SOURCE)) {
  console.error(`${SOURCE} does not exist: run npm run db:seed:city first.`);
  process.exit(1);
}
const buildFile = path.resolve("build/index.js");
if (!fs.existsSync(buildFile) || !fs.readFileSync(buildFile, "utf8").includes('mode = "production"')) {
  console.log("Building the production server…");
  spawnSync("npx", ["remix", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-bench-load-"));
const file = path.join(dir, "city.sqlite");
{
  const source = new SQLite(SOURCE, { readonly: true });
  await source.backup(file);
  source.close();
  // A data set built before the newest migrations is brought up to date on the copy, as the server would on start.
  const copy = createDb(file);
  await migrateToLatest(copy);
  await copy.destroy();
}
// On PostgreSQL: a fresh schema of BENCH_DATABASE_URL, filled from the copy by db:copy's own code (and dropped at the end).
const postgres = POSTGRES_URL ? await createPostgresTestSchema(POSTGRES_URL, "bench", { migrate: false }) : undefined;
if (postgres) {
  console.log(`Copying the city data into PostgreSQL (schema ${postgres.schema})…`);
  const report = await copySqliteToPostgres({ from: file, to: postgres.url });
  if (report.problems.length) throw new Error(`The copy to PostgreSQL does not match:\n${report.problems.join("\n")}`);
}
const target = postgres?.url ?? file;
const port = 4100 + Math.floor(Math.random() * 400);
const origins = Array.from({ length: SERVERS }, (_, i) => `http://localhost:${port + i}`);
const origin = origins[0]!;
const cookieOf = (setCookie: string) => setCookie.split(";")[0]!;

// ---- Preparation on the copy: sessions, an open vote, and the drafts the burst submits. ----
const db = createDb(target);
const one = <T>(rows: T[], what: string): T => {
  if (!rows[0]) throw new Error(`The city data has no ${what}: run npm run db:seed:city again.`);
  return rows[0];
};
async function actorOf(trx: DB, userId: string, role: string): Promise<Actor> {
  const m = await trx
    .selectFrom("membership")
    .select(["id", "organisation_id", "decision_group_id"])
    .where("user_id", "=", userId)
    .where("role", "=", role as never)
    .where("ended_at", "is", null)
    .executeTakeFirstOrThrow();
  return { id: userId, membershipId: m.id, role: role as Actor["role"], organisationId: m.organisation_id, decisionGroupId: m.decision_group_id };
}
const userId = async (email: string) => (await db.selectFrom("user").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
const csrfToken = newToken(32);
const csrfCookie = cookieOf(await csrfCookieOf(new Request(origin)).serialize(csrfToken));
const sessionFor = async (id: string) => `${cookieOf(await createSession(db, id))}; ${csrfCookie}`;

const cityFund = one(await db.selectFrom("fund").select("id").where("name", "like", "City Fund%").execute(), "city fund");
const largest = one(
  await db
    .selectFrom("decision_group")
    .innerJoin("proposal", "proposal.decision_group_id", "decision_group.id")
    .select(["decision_group.id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("decision_group.fund_id", "=", cityFund.id)
    .groupBy("decision_group.id")
    .orderBy("n", "desc")
    .limit(1)
    .execute(),
  "decision group",
);
const largestMeeting = one(await db.selectFrom("meeting").select("id").where("decision_group_id", "=", largest.id).execute(), "meeting in the largest group");
const largestMember = one(
  await db
    .selectFrom("membership")
    .select("user_id")
    .where("decision_group_id", "=", largest.id)
    .where("role", "=", "panel_member")
    .orderBy("started_at")
    .execute(),
  "panel member",
);
const largestProposal = one(
  await db.selectFrom("proposal").select("id").where("decision_group_id", "=", largest.id).orderBy("reference").limit(1).execute(),
  "proposal",
);
const adminId = await userId("admin@demo.example");
const applicantId = await userId("applicant@demo.example");
const applicantProposal = one(
  await db.selectFrom("proposal").select("id").where("created_by", "=", applicantId).orderBy("reference").execute(),
  "applicant proposal",
);

// Writes: a demo group whose scoring is open, with proposals under review and a panel.
const scoring = await db
  .selectFrom("proposal")
  .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
  .select(["proposal.id", "proposal.decision_group_id as groupId"])
  .where("proposal.status", "=", "under_review")
  .where("decision_group.scoring_closed_at", "is", null)
  .orderBy("proposal.reference")
  .execute();
const draft = one(
  await db.selectFrom("proposal").select("id").where("created_by", "=", applicantId).where("status", "in", ["draft", "changes_requested"]).execute(),
  "applicant draft",
);
const criteria = scoring.length
  ? await db
      .selectFrom("criterion")
      .innerJoin("decision_group", "decision_group.fund_id", "criterion.fund_id")
      .select("criterion.id")
      .where("decision_group.id", "=", scoring[0]!.groupId)
      .execute()
  : [];
const scorers = scoring.length
  ? await db
      .selectFrom("membership")
      .select("user_id")
      .where("decision_group_id", "=", scoring[0]!.groupId)
      .where("role", "=", "panel_member")
      .where("ended_at", "is", null)
      .where("interests_declared_at", "is not", null)
      .execute()
  : [];
const writeTargets: { kind: "score" | "draft" | "vote"; path: string; cookie: string; fields: Record<string, string> }[] = [];
const draftFields = (title: string): Record<string, string> => ({
  intent: "save",
  title,
  summary: "We will improve a shared community space so more local people can use it safely, all year round.",
  needType: "expressed",
  needEvidence: "Gathered at community meetings and from our own waiting lists.",
  beneficiaries: "Residents of the area",
  beneficiaryCount: "120",
  whatBuilt: "Building works, fittings and equipment for the community space.",
  "budgetLines[0].item": "Building works and equipment",
  "budgetLines[0].cost": "60000",
  budgetRows: "1",
  amountRequested: "60000",
  startDate: new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10),
  endDate: new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10),
  "outcomes[0].outcome": "People use the new space in its first year",
  "outcomes[0].measure": "Attendance records, reported quarterly",
});
writeTargets.push({
  kind: "draft",
  // The task list's first section saves on its own; fields of other sections are ignored.
  path: `/proposals/${draft.id}/sections/about`,
  cookie: await sessionFor(applicantId),
  fields: draftFields("Accessible raised beds and a tool store"),
});
for (const scorer of scorers) {
  // Only proposals this member has not submitted a sheet for: a submitted sheet is locked.
  const submitted = new Set(
    (await db.selectFrom("score_sheet").select("proposal_id").where("user_id", "=", scorer.user_id).where("submitted_at", "is not", null).execute()).map(
      (r) => r.proposal_id,
    ),
  );
  let proposal = scoring.find((p) => !submitted.has(p.id));
  if (!proposal) {
    // Everything submitted: the administrator reopens one of the member's sheets (a real service), so it can be saved again.
    const sheet = await db
      .selectFrom("score_sheet")
      .select(["id", "proposal_id"])
      .where("user_id", "=", scorer.user_id)
      .where(
        "proposal_id",
        "in",
        scoring.map((p) => p.id),
      )
      .executeTakeFirst();
    if (!sheet) continue;
    await reopenScoreSheet(db, await actorOf(db, adminId, "admin"), sheet.id, "Reopened for the load benchmark.");
    proposal = scoring.find((p) => p.id === sheet.proposal_id)!;
  }
  const fields: Record<string, string> = { intent: "save", overall: "Saved under load." };
  for (const c of criteria) fields[`mark-${c.id}`] = "3";
  writeTargets.push({ kind: "score", path: `/panel/proposals/${proposal.id}`, cookie: await sessionFor(scorer.user_id), fields });
}
// Votes: a meeting of that group with a vote open on its first proposal under review, everyone present.
let voteNote = "";
/** Each vote can be cast once, so these are used up rather than repeated. */
const voteTargets: typeof writeTargets = [];
try {
  if (!scoring.length) throw new Error("no group with scoring open");
  const groupId = scoring[0]!.groupId;
  const panelIds = scorers.map((s) => s.user_id);
  // A vote open on every proposal under review, so each member has several votes to cast (each once).
  const { meetingId, opened } = await inTransaction(db, async (trx) => {
    const admin = await actorOf(trx, adminId, "admin");
    await setChair(trx, admin, groupId, panelIds[0]!);
    const chair = await actorOf(trx, panelIds[0]!, "panel_member");
    const id = await openMeeting(trx, chair, groupId, { title: "Load benchmark meeting", heldOn: new Date().toISOString().slice(0, 10) });
    await recordAttendance(trx, chair, id, panelIds);
    const list: string[] = [];
    for (const p of scoring) {
      try {
        await openVote(trx, chair, id, p.id);
        list.push(p.id);
      } catch {
        /* a proposal that cannot be voted on here */
      }
    }
    return { meetingId: id, opened: list };
  });
  for (const proposalId of opened) {
    for (const voter of panelIds) {
      voteTargets.push({
        kind: "vote",
        path: `/panel/meetings/${meetingId}/proposals/${proposalId}`,
        cookie: await sessionFor(voter),
        fields: { intent: "vote", choice: "fund" },
      });
    }
  }
} catch (error) {
  voteNote = `votes not measured: ${(error as Error).message}`;
}

// The burst: drafts for the city's community groups, complete, ready to submit.
console.log(`Preparing ${BURST_COUNT} drafts for the deadline burst…`);
const burst: { id: string; cookie: string }[] = [];
{
  const applicants = await db
    .selectFrom("membership")
    .innerJoin("user", "user.id", "membership.user_id")
    .select(["membership.user_id", "membership.organisation_id"])
    .where("user.email", "like", "city-group-%")
    .where("membership.role", "=", "applicant")
    .execute();
  const openGroup = one(
    await db
      .selectFrom("decision_group")
      .innerJoin("fund", "fund.id", "decision_group.fund_id")
      .select("decision_group.id")
      .where("fund.name", "=", "Community Resilience Fund (demo)")
      .where("decision_group.scoring_closed_at", "is", null)
      .execute(),
    "open demo group",
  );
  const fund = await db.selectFrom("decision_group").select("fund_id").where("id", "=", openGroup.id).executeTakeFirstOrThrow();
  const rules = await eligibilityRules(db, fund.fund_id);
  const answers = Object.fromEntries(rules.map((r) => [r.id, r.options.find((o) => !r.ineligibleAnswers.includes(o))!]));
  const cookies = new Map<string, string>();
  for (let i = 0; i < BURST_COUNT; i += 100) {
    await inTransaction(db, async (trx) => {
      for (let j = i; j < Math.min(BURST_COUNT, i + 100); j += 1) {
        const a = applicants[j % applicants.length]!;
        const actor = await actorOf(trx, a.user_id, "applicant");
        const id = await startProposal(trx, actor, { decisionGroupId: openGroup.id, organisationId: a.organisation_id!, eligibilityAnswers: answers });
        const f = draftFields(`Deadline proposal ${j + 1}`);
        await saveDraft(trx, actor, id, {
          title: f.title!,
          summary: f.summary!,
          needType: "expressed",
          needEvidence: f.needEvidence!,
          beneficiaries: f.beneficiaries!,
          beneficiaryCount: 120,
          whatBuilt: f.whatBuilt!,
          budgetLines: [{ item: "Building works and equipment", costPence: 6_000_000 }],
          amountRequestedPence: 6_000_000,
          startDate: f.startDate!,
          endDate: f.endDate!,
          outcomes: [{ outcome: f["outcomes[0].outcome"]!, measure: f["outcomes[0].measure"]! }],
        });
        burst.push({ id, cookie: "" });
        if (!cookies.has(a.user_id)) cookies.set(a.user_id, "");
        burst[burst.length - 1]!.cookie = a.user_id;
      }
    });
  }
  for (const userIdOf of cookies.keys()) cookies.set(userIdOf, await sessionFor(userIdOf));
  for (const b of burst) b.cookie = cookies.get(b.cookie)!;
}
const pages: [string, string, string | null][] = [
  ["/funds", "/funds", null],
  ["/funds/:id (city fund)", `/funds/${cityFund.id}`, null],
  ["/funds/:id/results (city fund)", `/funds/${cityFund.id}/results`, null],
  ["/funds/:id/360giving.json", `/funds/${cityFund.id}/360giving.json`, null],
  ["/admin", "/admin", await sessionFor(adminId)],
  ["/admin/screening", "/admin/screening", await sessionFor(adminId)],
  ["/admin/dashboard", "/admin/dashboard", await sessionFor(adminId)],
  ["/admin/audit", "/admin/audit", await sessionFor(adminId)],
  ["/admin/awards", "/admin/awards", await sessionFor(adminId)],
  ["largest group's results", `/admin/groups/${largest.id}/results`, await sessionFor(adminId)],
  ["largest group's allocation", `/admin/groups/${largest.id}/allocation`, await sessionFor(adminId)],
  ["largest group's decisions", `/admin/groups/${largest.id}/decisions`, await sessionFor(adminId)],
  ["/panel queue (largest group)", "/panel", await sessionFor(largestMember.user_id)],
  ["panel scoring page", `/panel/proposals/${largestProposal.id}`, await sessionFor(largestMember.user_id)],
  ["panel meeting page (largest group)", `/panel/meetings/${largestMeeting.id}`, await sessionFor(largestMember.user_id)],
  ["applicant home", "/applicant", await sessionFor(applicantId)],
  ["applicant's proposal page", `/proposals/${applicantProposal.id}`, await sessionFor(applicantId)],
];
await db.destroy();

// ---- The servers. ----
const servers = origins.map((_, i) => {
  const child = spawn(process.execPath, [...heapLimitArgs(), "server.js"], {
    // The heap limit and MALLOC_ARENA_MAX as server.js gives each process of a cluster (npm start).
    env: {
      MALLOC_ARENA_MAX: "2",
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port + i),
      DATABASE_PATH: file,
      DATABASE_URL: postgres?.url ?? "",
      APP_URL: "",
      // Scheduled work on one server only, as on one machine (the others would only wait for it).
      PORTAL_RUNS_JOBS: i === 0 ? "1" : "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const entry = { child, errors: "", output: "" };
  child.stdout!.on("data", (chunk) => (entry.output = (entry.output + String(chunk)).slice(-4000)));
  child.stderr!.on("data", (chunk) => (entry.errors += String(chunk)));
  return entry;
});
const serverErrors = () => servers.map((s) => s.output + s.errors).join("\n");
/** One server's memory in MB, from the line it prints on SIGUSR2 (server.js): RSS, and V8's heap in use. */
async function memoryOf(entry: (typeof servers)[number]): Promise<{ rss: number; heapUsed: number }> {
  const seen = entry.errors.length;
  entry.child.kill("SIGUSR2");
  for (let tries = 0; tries < 50; tries += 1) {
    await new Promise((r) => setTimeout(r, 100));
    const line = /memory (\{[^\n]*\})/.exec(entry.errors.slice(seen))?.[1];
    if (line) {
      const m = JSON.parse(line) as { rss: number; heapUsed: number };
      // The lines are not errors: keep them out of what a failed run prints.
      entry.errors = entry.errors.slice(0, seen);
      return { rss: m.rss / 1024 / 1024, heapUsed: m.heapUsed / 1024 / 1024 };
    }
  }
  return { rss: NaN, heapUsed: NaN };
}
/** The servers' memory added up. */
async function serverMemory(): Promise<{ rss: number; heapUsed: number }> {
  const each = await Promise.all(servers.map(memoryOf));
  return { rss: each.reduce((n, m) => n + m.rss, 0), heapUsed: each.reduce((n, m) => n + m.heapUsed, 0) };
}
const memoryText = (m: { rss: number; heapUsed: number }) => `RSS ${m.rss.toFixed(0)} MB, heap used ${m.heapUsed.toFixed(0)} MB`;
for (const o of origins) {
  for (let tries = 0; ; tries += 1) {
    try {
      if ((await fetch(`${o}/healthz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (tries > 1200) throw new Error(`The server at ${o} did not start:\n${serverErrors()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const memoryBefore = await serverMemory();
console.log(`Server memory at start${SERVERS > 1 ? ` (${SERVERS} servers added up)` : ""}: ${memoryText(memoryBefore)}`);

interface Row {
  name: string;
  p50: number;
  p95: number;
  /** p95 with one connection: the page's own latency, without a queue (pages only). */
  p95Alone?: number;
  rps: number;
  errors: number;
  /** Requests autocannon gave up on after 10 s without an answer (pages only); their time is not in p50 or p95. */
  timeouts?: number;
  count: number;
}
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);

/** Waits until every server has worked through what the last run left queued: /healthz answers within 200 ms. */
async function drain(): Promise<void> {
  for (const [i, o] of origins.entries()) {
    const { child, errors } = servers[i]!;
    for (let tries = 0; tries < 300; tries += 1) {
      if (child.exitCode !== null) throw new Error(`The server at ${o} stopped (exit ${child.exitCode}):\n${errors.slice(-2000)}`);
      const start = performance.now();
      try {
        const response = await fetch(`${o}/healthz`, { signal: AbortSignal.timeout(30_000) });
        await response.arrayBuffer();
        if (performance.now() - start < 200) break;
      } catch {
        /* still busy */
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Seconds of the one-connection run that comes before each page's loaded run. */
const ALONE_SECONDS = Math.max(1, Math.round(SECONDS / 5));

/** p95 of one client asking again as soon as each answer arrives. */
async function aloneP95(url: string, cookie: string | null): Promise<number> {
  const times: number[] = [];
  const instance = autocannon({ url: `${origin}${url}`, connections: 1, duration: ALONE_SECONDS, headers: cookie ? { cookie } : {} });
  instance.on("response", (_client: unknown, _statusCode: number, _bytes: number, responseTime: number) => times.push(responseTime));
  await instance;
  return percentile(
    times.sort((a, b) => a - b),
    95,
  );
}

async function load(name: string, url: string, cookie: string | null): Promise<Row> {
  await drain();
  const p95Alone = await aloneP95(url, cookie);
  const times: number[] = [];
  let errors = 0;
  /** What went wrong, for BENCH_DEBUG: status codes other than 200, and autocannon's request errors by message. */
  const kinds = new Map<string, number>();
  const note = (kind: string) => kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  // The connections shared between the servers, all at once.
  const instances = origins.map((o) => {
    const instance = autocannon({ url: `${o}${url}`, connections: Math.ceil(CONNECTIONS / SERVERS), duration: SECONDS, headers: cookie ? { cookie } : {} });
    instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      times.push(responseTime);
      if (statusCode !== 200) {
        errors += 1;
        note(`status ${statusCode}`);
      }
    });
    instance.on("reqError", (error: Error) => note(`request error: ${error.message}`));
    return instance;
  });
  const results = await Promise.all(instances);
  const result = { errors: results.reduce((n, r) => n + r.errors, 0), timeouts: results.reduce((n, r) => n + r.timeouts, 0) };
  if (process.env.BENCH_DEBUG)
    console.log(JSON.stringify({ name, answered: times.length, errors: result.errors, timeouts: result.timeouts, kinds: Object.fromEntries(kinds) }));
  times.sort((a, b) => a - b);
  const row = {
    name,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p95Alone,
    rps: times.length / SECONDS,
    // autocannon's errors include its timeouts: count each failed request once, and the timeouts apart.
    errors: errors + result.errors - result.timeouts,
    timeouts: result.timeouts,
    count: times.length,
  };
  console.log(
    `${name}: ${row.rps.toFixed(1)} req/s, p50 ${row.p50.toFixed(0)} ms, p95 ${row.p95.toFixed(0)} ms (one connection: ${p95Alone.toFixed(0)} ms), ${row.errors} errors, ${row.timeouts} with no answer in 10 s`,
  );
  return row;
}

/** One form sent to the server whose turn it is (`turn`, counted by the caller, so the servers take turns). */
async function post(target: { path: string; cookie: string; fields: Record<string, string> }, turn: number) {
  const to = origins[turn % SERVERS]!;
  const start = performance.now();
  const response = await fetch(`${to}${target.path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: to, Cookie: target.cookie },
    body: new URLSearchParams({ ...target.fields, csrf: csrfToken }),
  });
  const body = await response.text();
  const isOk = response.status === 303 || response.status === 302;
  if (!isOk && process.env.BENCH_DEBUG)
    console.log(
      target.path,
      response.status,
      body
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .split("There is")[1]
        ?.slice(0, 300),
    );
  return { ms: performance.now() - start, isOk };
}

const rows: Row[] = [];
const healthzStart = await load("/healthz (before)", "/healthz", null);
/** BENCH_PAGES=admin,panel measures only the pages whose name contains one of the words. */
const only = (process.env.BENCH_PAGES ?? "").split(",").filter(Boolean);
/** BENCH_ROUNDS=2 measures the pages twice in the same server, to see whether its memory stays flat; the table keeps the last round. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS) || 1);
for (let round = 1; round <= ROUNDS; round += 1) {
  rows.length = 0;
  for (const [name, url, cookie] of pages) if (!only.length || only.some((word) => name.includes(word))) rows.push(await load(name, url, cookie));
  console.log(`Server memory after the pages${ROUNDS > 1 ? ` (round ${round} of ${ROUNDS})` : ""}: ${memoryText(await serverMemory())}`);
}
const healthzEnd = await load("/healthz (after)", "/healthz", null);
const healthzRps = (healthzStart.rps + healthzEnd.rps) / 2;

// POST mix: each client takes the next write in turn, for the same time as the pages.
const postRows: Row[] = [];
await drain();
{
  const byKind = new Map<string, { times: number[]; errors: number }>();
  const end = performance.now() + SECONDS * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: POST_CLIENTS }, async () => {
      while (performance.now() < end) {
        // Every third write is a vote while there are votes left to cast.
        const turn = next++;
        const target = turn % 3 === 2 && voteTargets.length ? voteTargets.shift()! : writeTargets[turn % writeTargets.length]!;
        const { ms, isOk } = await post(target, turn);
        const entry = byKind.get(target.kind) ?? { times: [], errors: 0 };
        entry.times.push(ms);
        if (!isOk) entry.errors += 1;
        byKind.set(target.kind, entry);
      }
    }),
  );
  const labels = { score: "POST score-sheet save", draft: "POST draft save", vote: "POST vote" } as const;
  for (const [kind, { times, errors }] of byKind) {
    times.sort((a, b) => a - b);
    const row = {
      name: labels[kind as keyof typeof labels],
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      rps: times.length / SECONDS,
      errors,
      count: times.length,
    };
    console.log(`${row.name}: ${row.count} in ${SECONDS} s, p50 ${row.p50.toFixed(0)} ms, p95 ${row.p95.toFixed(0)} ms, ${errors} errors`);
    postRows.push(row);
  }
}

// Deadline burst: every draft submitted, evenly spread.
await drain();
let burstRow: Row;
let lost = 0;
{
  console.log(`Deadline burst: ${burst.length} submissions over ${BURST_SECONDS} s…`);
  const start = performance.now();
  const results = await Promise.all(
    burst.map(async (b, i) => {
      await new Promise((r) => setTimeout(r, (i * BURST_SECONDS * 1000) / burst.length));
      const result = await post(
        {
          // The drafts are complete, so "Check your answers" submits them.
          path: `/proposals/${b.id}/check`,
          cookie: b.cookie,
          fields: { intent: "submit" },
        },
        i,
      );
      return { ...result, id: b.id };
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const times = results.map((r) => r.ms).sort((a, b) => a - b);
  const acknowledged = results.filter((r) => r.isOk).map((r) => r.id);
  const check = createDb(target);
  const submitted = new Set(
    acknowledged.length
      ? (await check.selectFrom("proposal").select("id").where("status", "=", "submitted").where("id", "in", acknowledged).execute()).map((r) => r.id)
      : [],
  );
  await check.destroy();
  lost = acknowledged.filter((id) => !submitted.has(id)).length;
  burstRow = {
    name: `Deadline burst: ${burst.length} submissions in ${BURST_SECONDS} s`,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    rps: burst.length / elapsed,
    errors: results.length - acknowledged.length,
    count: results.length,
  };
  console.log(`burst: ${acknowledged.length} acknowledged, ${lost} lost, p95 ${burstRow.p95.toFixed(0)} ms`);
}
const memoryAfter = await serverMemory();
for (const { child } of servers) child.kill();
await postgres?.drop();
fs.rmSync(dir, { recursive: true, force: true });

const f = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "–");
const share = (rps: number) => `${((100 * rps) / healthzRps).toFixed(1)}%`;
console.log(
  `\n${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at the end; ${postgres ? "PostgreSQL" : "SQLite"}, ${SERVERS} server process${SERVERS > 1 ? "es" : ""}; ${CONNECTIONS} connections, ${SECONDS} s each\n`,
);
console.log("| Page or write | req/s | share of /healthz | p50 ms | p95 ms | p95 ms, 1 connection | errors | no answer in 10 s |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of [healthzStart, ...rows, healthzEnd])
  console.log(`| ${r.name} | ${r.rps.toFixed(1)} | ${share(r.rps)} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p95Alone ?? NaN)} | ${r.errors} | ${r.timeouts ?? 0} |`);
for (const r of postRows) console.log(`| ${r.name} (${POST_CLIENTS} clients) | ${r.rps.toFixed(1)} | – | ${f(r.p50)} | ${f(r.p95)} | – | ${r.errors} | – |`);
console.log(`| ${burstRow.name} | ${burstRow.rps.toFixed(1)} | – | ${f(burstRow.p50)} | ${f(burstRow.p95)} | – | ${burstRow.errors} (lost: ${lost}) | – |`);
console.log(
  `\nServer memory (RSS): ${memoryBefore.rss.toFixed(0)} MB before, ${memoryAfter.rss.toFixed(0)} MB after (V8 heap used: ${memoryBefore.heapUsed.toFixed(0)} MB before, ${memoryAfter.heapUsed.toFixed(0)} MB after).`,
);
if (voteNote) console.log(voteNote);

// npx tsx scripts/bench-ballot.ts (also part of npm run bench) — community ballots at city scale (issue 12, "Speed").
// (a) A synthetic election shaped like Warsaw's participatory budget of 2023 (BALLOT_BENCH_BALLOTS approval ballots,
//     default 79,000; 138 projects; about 8 approvals each; 18 district pots and a city-wide pot), made by a seeded
//     generator so every run counts the same ballots, counted by every rule: the time of each and in all, and the
//     number of winners. Target: under 5 s in all.
// (b) BALLOT_BENCH_VOTERS ballots (default 10,000) cast over BALLOT_BENCH_SECONDS (default 60) by BALLOT_BENCH_CLIENTS
//     (default 50) clients through the real vote route of the production server (one process per core, as npm start
//     runs it, unless WEB_CONCURRENCY is set), on a fresh demo database: the
//     demo's open community vote, voters made with printed voter codes through the portal's own services, each
//     voter's ballot POSTed once with the CSRF token. A server that cannot keep up gets no new ballots after twice
//     BALLOT_BENCH_SECONDS. Then a count in the database: exactly one counted ballot for each acknowledged one.
//     Prints p50, p95 and errors. BALLOT_BENCH_VOTERS=0 skips (b).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import SQLite from "better-sqlite3";
import { csrfCookieOf } from "~/auth/csrf.server";
import { voterCookieHeader } from "~/auth/voter-session.server";
import { countEqualShares, countEveryRule, countGreedy, countOptimum, countPhragmen, type CountOutcome } from "~/domain/ballot-counting";
import { ballotPhase, CHOICE_FIELD } from "~/domain/community-ballot";
import type { Actor } from "~/domain/permissions";
import { listBallotProjects } from "~/models/community-ballot.server";
import { generateVoterCodes, redeemVoterCode } from "~/services/community-ballots.server";
import { newToken } from "~/utils/ids.server";
import { createDb, migrateToLatest } from "../db/client";
import { seedDemo } from "../db/demo-data";
import { mulberry32 } from "./seeded-random";
import { warsawShapedElection } from "./warsaw-election";

const BALLOTS = Number(process.env.BALLOT_BENCH_BALLOTS) || 79_000;
const VOTERS = process.env.BALLOT_BENCH_VOTERS === undefined ? 10_000 : Number(process.env.BALLOT_BENCH_VOTERS);
const SECONDS = Number(process.env.BALLOT_BENCH_SECONDS) || 60;
const CLIENTS = Number(process.env.BALLOT_BENCH_CLIENTS) || 50;

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);

// ---- (a) The Warsaw-shaped count. ----

/** Runs `fn`, returning its result, the time it took and the CPU time this process used meanwhile (ms). */
function timed<T>(fn: () => T): { result: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { result, ms, cpuMs: (used.user + used.system) / 1000 };
}

function countBench() {
  const made = timed(() => warsawShapedElection(BALLOTS));
  const input = made.result;
  const approvals = input.ballots.reduce((s, b) => s + (b.kind === "points" ? 0 : b.projectIds.length), 0);
  console.log(
    `Warsaw-shaped election (synthetic, seed 2023): ${input.ballots.length} ballots, ${input.projects.length} projects, ${input.pots.length} pots, ` +
      `${(approvals / input.ballots.length).toFixed(1)} approvals a ballot (made in ${made.ms.toFixed(0)} ms)`,
  );
  const rules: [string, () => CountOutcome][] = [
    ["greedy", () => countGreedy(input)],
    ["optimum", () => countOptimum(input)],
    ["equal-shares (with completion)", () => countEqualShares(input)],
    ["phragmen", () => countPhragmen(input)],
  ];
  let sum = 0;
  let cpuSum = 0;
  for (const [name, count] of rules) {
    const { result: outcome, ms, cpuMs } = timed(count);
    sum += ms;
    cpuSum += cpuMs;
    const steps = outcome.equalShares ? `, ${outcome.equalShares.reduce((s, d) => s + d.completionSteps, 0)} completion steps in all` : "";
    console.log(
      `ballot count, ${name}: ${ms.toFixed(0)} ms (CPU ${cpuMs.toFixed(0)} ms), ${outcome.fundedIds.length} winners, ` +
        `£${(outcome.spentPence / 100).toLocaleString("en-GB")} spent${steps}`,
    );
  }
  console.log(`ballot count, every rule one by one: ${sum.toFixed(0)} ms in all (CPU ${cpuSum.toFixed(0)} ms)`);
  const every = timed(() => countEveryRule(input));
  const winners = Object.entries(every.result).map(([rule, o]) => `${rule} ${o.fundedIds.length}`);
  console.log(
    `ballot count, every rule at once (countEveryRule): ${every.ms.toFixed(0)} ms in all (CPU ${every.cpuMs.toFixed(0)} ms; target under 5,000 ms); ` +
      `winners: ${winners.join(", ")}`,
  );
}

// ---- (b) Ballots cast through the production server. ----

async function castBench() {
  const buildFile = path.resolve("build/index.js");
  if (!fs.existsSync(buildFile) || !fs.readFileSync(buildFile, "utf8").includes('mode = "production"')) {
    console.log("Building the production server…");
    spawnSync("npx", ["remix", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-bench-ballot-"));
  const file = path.join(dir, "ballot.sqlite");
  const port = 4500 + Math.floor(Math.random() * 400);
  const origin = `http://localhost:${port}`;
  const cookieOf = (setCookie: string) => setCookie.split(";")[0]!;

  // A fresh demo database: its community vote is open. Voters join with printed codes, through the services.
  const prepStart = performance.now();
  const db = createDb(file);
  await migrateToLatest(db);
  await seedDemo(db);
  const now = new Date();
  const ballots = await db
    .selectFrom("community_ballot")
    .innerJoin("fund", "fund.id", "community_ballot.fund_id")
    .select(["community_ballot.id", "community_ballot.fund_id", "community_ballot.kind", "community_ballot.max_choices", "opened_at", "opens_at", "closes_at"])
    .where("fund.is_published", "=", 1)
    .execute();
  const ballot = ballots.find((b) => b.kind === "approval" && ballotPhase(b, now) === "open");
  if (!ballot) throw new Error("The demo has no open approval vote to cast ballots in.");
  const admin = await db
    .selectFrom("membership")
    .innerJoin("user", "user.id", "membership.user_id")
    .select(["user.id", "membership.id as membershipId", "membership.organisation_id", "membership.decision_group_id"])
    .where("user.email", "=", "admin@demo.example")
    .where("membership.role", "=", "admin")
    .where("membership.ended_at", "is", null)
    .executeTakeFirstOrThrow();
  const actor: Actor = {
    id: admin.id,
    membershipId: admin.membershipId,
    role: "admin",
    organisationId: admin.organisation_id,
    decisionGroupId: admin.decision_group_id,
  };
  const projectIds = (await listBallotProjects(db, ballot.id)).map((p) => p.id);
  const codes = await generateVoterCodes(db, actor, ballot.fund_id, VOTERS);
  const csrfToken = newToken(32);
  const csrfCookie = cookieOf(await csrfCookieOf(new Request(origin)).serialize(csrfToken));
  const random = mulberry32(12);
  const voters: { cookie: string; body: string }[] = [];
  for (const code of codes) {
    const token = await redeemVoterCode(db, ballot.fund_id, code);
    const shuffled = [...projectIds];
    for (let i = shuffled.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const chosen = shuffled.slice(0, 1 + Math.floor(random() * (ballot.max_choices ?? 1)));
    const body = new URLSearchParams({ csrf: csrfToken });
    for (const id of chosen) body.append(CHOICE_FIELD, id);
    voters.push({ cookie: `${cookieOf(await voterCookieHeader(new Request(origin), token))}; ${csrfCookie}`, body: body.toString() });
  }
  await db.destroy();
  // The demo's own ballots (it keys a few papers): the check below counts only what the run adds.
  const countPapers = () => {
    const check = new SQLite(file, { readonly: true });
    const counts = check
      .prepare(
        `select count(*) as papers, coalesce(sum(is_counted), 0) as counted, count(distinct case when is_counted = 1 then voter_id end) as voters
         from ballot_paper where ballot_id = ?`,
      )
      .get(ballot.id) as { papers: number; counted: number; voters: number };
    check.close();
    return counts;
  };
  const before = countPapers();
  console.log(
    `Prepared ${VOTERS} voters with sessions (printed codes redeemed through the services) in ${((performance.now() - prepStart) / 1000).toFixed(1)} s`,
  );

  // As `npm start` runs it: one process per core unless WEB_CONCURRENCY says otherwise.
  const processes = process.env.WEB_CONCURRENCY ?? "auto";
  const server = spawn(process.execPath, ["server.js"], {
    env: { MALLOC_ARENA_MAX: "2", ...process.env, WEB_CONCURRENCY: processes, NODE_ENV: "production", PORT: String(port), DATABASE_PATH: file, APP_URL: "" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let serverErrors = "";
  server.stderr!.on("data", (chunk) => (serverErrors += String(chunk)));
  try {
    for (let tries = 0; ; tries += 1) {
      try {
        if ((await fetch(`${origin}/healthz`)).ok) break;
      } catch {
        /* not listening yet */
      }
      if (tries > 600) throw new Error(`The server did not start:\n${serverErrors}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Each ballot has its moment, evenly spread over the run; each client sends the next one due.
    const saved = `/funds/${ballot.fund_id}/vote?saved=1`;
    const times: number[] = [];
    const failures = new Map<string, number>();
    let next = 0;
    let sent = 0;
    let acknowledged = 0;
    const start = performance.now();
    // A machine too busy to keep up stops taking new ballots at twice the planned time, so npm run bench ends.
    const cutOff = start + 2 * SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = next++; i < voters.length && performance.now() < cutOff; i = next++) {
          const due = start + (i * SECONDS * 1000) / voters.length;
          if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
          const sentAt = performance.now();
          sent += 1;
          let outcome: string;
          try {
            const response = await fetch(`${origin}/funds/${ballot.fund_id}/vote`, {
              method: "POST",
              redirect: "manual",
              headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin, Cookie: voters[i]!.cookie },
              body: voters[i]!.body,
            });
            await response.arrayBuffer();
            outcome = response.status === 302 && response.headers.get("Location") === saved ? "ok" : `HTTP ${response.status}`;
          } catch (error) {
            outcome = (error as Error).message;
          }
          times.push(performance.now() - sentAt);
          if (outcome === "ok") acknowledged += 1;
          else failures.set(outcome, (failures.get(outcome) ?? 0) + 1);
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    times.sort((a, b) => a - b);
    const errors = [...failures.values()].reduce((s, n) => s + n, 0);
    const after = countPapers();
    const counts = { papers: after.papers - before.papers, counted: after.counted - before.counted, voters: after.voters - before.voters };
    // Each voter sent one ballot: every acknowledged one must be counted, once.
    const isExactlyOnce = counts.counted === acknowledged && counts.voters === acknowledged && counts.papers === acknowledged;
    const late = sent < VOTERS ? `; only ${sent} of ${VOTERS} sent: the server could not keep up, and the run stopped at ${2 * SECONDS} s` : "";
    console.log(
      `ballots cast through the vote route (WEB_CONCURRENCY=${processes}): ${sent} by ${CLIENTS} clients in ${elapsed.toFixed(1)} s (${(sent / elapsed).toFixed(0)} a second), ` +
        `p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms, ${errors} errors` +
        (errors ? ` (${[...failures].map(([why, n]) => `${why}: ${n}`).join("; ")})` : "") +
        late,
    );
    console.log(
      `ballots kept (beyond the demo's ${before.counted}): ${counts.counted} counted ballots from ${counts.voters} voters, ${counts.papers} ballot rows in all, for ${acknowledged} acknowledged: ` +
        (isExactlyOnce ? "every acknowledged ballot kept exactly once" : "NOT exactly once"),
    );
  } finally {
    server.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

countBench();
if (VOTERS > 0) await castBench();
console.log(`(${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)})`);

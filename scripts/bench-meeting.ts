// npx tsx scripts/bench-meeting.ts (also part of npm run bench) — one public meeting of 300 attendees on
// one production server process (issue 13): 300 people join at /meet; 300 projectors follow the live feed
// (server-sent events) and the server's RSS is read before and after they connect; 300 votes are sent at
// once and must all be counted exactly once within 10 s; then the chair closes the question and every
// projector must see the close within 1 s. Builds the app first if there is no build. Prints the figures.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import SQLite from "better-sqlite3";
import { csrfCookieOf } from "~/auth/csrf.server";
import { createSession } from "~/auth/session.server";
import { newToken } from "~/utils/ids.server";
import { createDb } from "../db/client";
import { DEMO_OPEN_MEETING } from "../db/demo-public-meeting";
import { root, startServer } from "../tests/e2e/server";

const ATTENDEES = Number(process.env.BENCH_ATTENDEES ?? 300);

if (!fs.existsSync(`${root}/build/index.js`)) {
  console.log("No build: running npm run build first.");
  const built = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) process.exit(1);
}

// A single server process (WEB_CONCURRENCY unset), on a new database it seeds with the demo.
const server = await startServer({ env: { WEB_CONCURRENCY: "1", MALLOC_ARENA_MAX: "2" } });
const origin = server.baseUrl;
const cookieOf = (setCookie: string) => setCookie.split(";")[0]!;
const csrfToken = newToken(32);
const csrfCookie = cookieOf(await csrfCookieOf(new Request(origin)).serialize(csrfToken));

function readDb<T>(fn: (db: SQLite.Database) => T): T {
  const db = new SQLite(server.databasePath, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** The server's RSS in MB, from the line it prints on SIGUSR2 (server.js). */
async function serverRss(): Promise<number> {
  const seen = server.log().length;
  process.kill(server.pid, "SIGUSR2");
  for (let tries = 0; tries < 50; tries += 1) {
    await new Promise((r) => setTimeout(r, 100));
    const line = /memory (\{[^\n]*\})/.exec(server.log().slice(seen))?.[1];
    if (line) return (JSON.parse(line) as { rss: number }).rss / 1024 / 1024;
  }
  return NaN;
}

async function post(path: string, cookie: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${origin}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin, Cookie: `${csrfCookie}; ${cookie}` },
    body: new URLSearchParams({ ...fields, csrf: csrfToken }),
  });
}

/** One projector on the live feed: collects its text, and resolves `closed` when it sees the question close. */
function watch(meetingId: string) {
  const controller = new AbortController();
  let resolveClosed: (ms: number) => void = () => {};
  const closed = new Promise<number>((r) => (resolveClosed = r));
  const ready = (async () => {
    const response = await fetch(`${origin}/projector/${meetingId}/events`, { signal: controller.signal });
    if (!response.ok || !response.body) throw new Error(`The live feed answered ${response.status}`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const { value } = await reader.read();
    text += decoder.decode(value);
    void (async () => {
      try {
        for (;;) {
          const { value: chunk, done } = await reader.read();
          if (done) return;
          text += decoder.decode(chunk);
          if (text.includes('"status":"closed"')) {
            resolveClosed(performance.now());
            text = "";
          } else if (text.length > 100_000) text = text.slice(-10_000);
        }
      } catch {
        // Aborted at the end.
      }
    })();
  })();
  return { ready, closed, stop: () => controller.abort() };
}

const meeting = readDb(
  (db) =>
    db
      .prepare(
        "select public_meeting.id, public_meeting.door_code as code, q.id as questionId from public_meeting join public_meeting_question q on q.meeting_id = public_meeting.id and q.status = 'open' where public_meeting.title = ?",
      )
      .get(DEMO_OPEN_MEETING) as { id: string; code: string; questionId: string },
);
const adminId = readDb((db) => (db.prepare("select id from user where email = ?").get("admin@demo.example") as { id: string }).id);
const writer = createDb(server.databasePath);
const adminCookie = cookieOf(await createSession(writer, adminId));
await writer.destroy();

try {
  // ---- 300 people join at the door. ----
  let started = performance.now();
  const attendees: string[] = [];
  for (let i = 0; i < ATTENDEES; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, ATTENDEES - i) }, async () => {
        const response = await post("/meet", "", { doorCode: meeting.code });
        const set = response.headers.getSetCookie().find((c) => c.startsWith("__attendee="));
        if (response.status !== 302 || !set) throw new Error(`Joining answered ${response.status}`);
        return cookieOf(set);
      }),
    );
    attendees.push(...batch);
  }
  const joinMs = performance.now() - started;

  // ---- 300 projectors on the live feed: what they cost the server. ----
  const warm = watch(meeting.id);
  await warm.ready;
  warm.stop();
  await new Promise((r) => setTimeout(r, 500));
  const rssBefore = await serverRss();
  const watchers = Array.from({ length: ATTENDEES }, () => watch(meeting.id));
  await Promise.all(watchers.map((w) => w.ready));
  await new Promise((r) => setTimeout(r, 1000));
  const rssAfter = await serverRss();

  // ---- 300 votes at once. ----
  const answers = ["yes", "no", "abstain"];
  started = performance.now();
  const votes = await Promise.all(
    attendees.map((cookie, i) => post(`/meet/${meeting.id}`, cookie, { questionId: meeting.questionId, choice: answers[i % 3]! })),
  );
  const voteMs = performance.now() - started;
  const votedOk = votes.filter((r) => r.status === 302).length;
  const counted = readDb(
    (db) =>
      db.prepare("select count(*) as n, count(distinct attendee_id) as people from public_meeting_vote where question_id = ?").get(meeting.questionId) as {
        n: number;
        people: number;
      },
  );

  // ---- The chair closes the question: how long until every projector shows it. ----
  await new Promise((r) => setTimeout(r, 1000));
  started = performance.now();
  const close = await post(`/public-meetings/${meeting.id}`, adminCookie, { intent: "close", questionId: meeting.questionId });
  if (close.status !== 302) throw new Error(`Closing answered ${close.status}`);
  const seen = await Promise.race([Promise.all(watchers.map((w) => w.closed)), new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
  const lags = seen ? seen.map((at) => at - started).sort((a, b) => a - b) : [];
  for (const w of watchers) w.stop();

  const ok = (isOk: boolean) => (isOk ? "ok" : "NOT MET");
  const votesOk = votedOk === ATTENDEES && counted.n === ATTENDEES && counted.people === ATTENDEES && voteMs < 10_000;
  const closeOk = lags.length === ATTENDEES && lags.at(-1)! < 1000;
  const memoryOk = rssAfter - rssBefore < 50;
  console.log(`Public meeting, ${ATTENDEES} attendees, one server process:`);
  console.log(`  ${ATTENDEES} joined at the door in ${(joinMs / 1000).toFixed(1)} s`);
  console.log(
    `  ${ATTENDEES} votes sent at once: ${votedOk} answered "counted" in ${(voteMs / 1000).toFixed(2)} s; ${counted.n} vote rows for ${counted.people} attendees (target: all ${ATTENDEES}, exactly once, within 10 s) ${ok(votesOk)}`,
  );
  console.log(
    lags.length
      ? `  the close reached all ${lags.length} projectors: median ${lags[Math.floor(lags.length / 2)]!.toFixed(0)} ms, slowest ${lags.at(-1)!.toFixed(0)} ms (target: within 1 s) ${ok(closeOk)}`
      : `  the close did not reach every projector within 10 s NOT MET`,
  );
  console.log(
    `  ${ATTENDEES} open live connections: RSS ${rssBefore.toFixed(0)} MB before, ${rssAfter.toFixed(0)} MB after, +${(rssAfter - rssBefore).toFixed(1)} MB (target: under 50 MB) ${ok(memoryOk)}`,
  );
  if (!votesOk || !closeOk || !memoryOk) process.exitCode = 1;
} finally {
  await server.stop();
}

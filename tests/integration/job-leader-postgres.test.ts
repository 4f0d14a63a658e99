import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startRepeatingJob } from "~/utils/repeating-job.server";
import { JOB_LEADER_LOCK } from "../../db/dialect";
import { createJobLeader, type JobLeader } from "../../db/leader";
import { createPostgresTestSchema, type PostgresTestSchema } from "../support/postgres";
import { postgresUrlOrSkip } from "../support/postgres-skip";

// Issue 14, docs/decisions/0052: with several app servers on one PostgreSQL, the scheduled jobs (retention purge,
// full audit check) run on one of them, the leader, which holds a session-level advisory lock on a connection of its own.
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks until `leader` leads (another server's lock may take a moment to go), or gives up. */
async function untilLeading(leader: JobLeader, ms = 10_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await leader.isLeader()) return true;
    await sleep(50);
  }
  return false;
}

describe("SQLite: the one server is always the leader", () => {
  it("leads without asking any database", async () => {
    const leader = createJobLeader("data/portal.sqlite");
    expect(await leader.isLeader()).toBe(true);
    await leader.stop();
  });
});

describe("the scheduled jobs' leader on PostgreSQL", () => {
  const url = postgresUrlOrSkip();
  if (!url) return;
  let pg: PostgresTestSchema;
  const leaders: JobLeader[] = [];
  const server = () => {
    const leader = createJobLeader(pg.url);
    leaders.push(leader);
    return leader;
  };

  /** The backend process holding this schema's leader lock, if any. */
  const lockHolder = async () =>
    (
      await sql<{ pid: number }>`select pid from pg_locks where locktype = 'advisory' and granted and classid = ${JOB_LEADER_LOCK}
        and objsubid = 2 and objid = hashtext(${pg.schema})::oid`.execute(pg.db)
    ).rows.map((r) => r.pid);

  beforeAll(async () => {
    pg = await createPostgresTestSchema(url, "leader", { migrate: false });
  });
  afterEach(async () => {
    await Promise.all(leaders.splice(0).map((l) => l.stop()));
  });
  afterAll(async () => {
    await pg?.drop();
  });

  it("of two servers asking at once exactly one leads, and keeps the lead; when it stops the other takes over", async () => {
    const [a, b] = [server(), server()];
    const answers = await Promise.all([a.isLeader(), b.isLeader()]);
    expect(answers.filter(Boolean)).toHaveLength(1);
    const [first, second] = answers[0] ? [a, b] : [b, a];
    expect(await first.isLeader()).toBe(true);
    expect(await second.isLeader()).toBe(false);
    expect(await lockHolder()).toHaveLength(1);

    await first.stop();
    expect(await first.isLeader()).toBe(false);
    expect(await untilLeading(second)).toBe(true);
    expect(await lockHolder()).toHaveLength(1);
  });

  it("when the leader's connection dies (its server crashed) the other server takes over, and the old one does not lead again", async () => {
    const [a, b] = [server(), server()];
    expect(await a.isLeader()).toBe(true);
    expect(await b.isLeader()).toBe(false);
    const [pid] = await lockHolder();
    expect(pid).toBeDefined();
    await sql`select pg_terminate_backend(${pid})`.execute(pg.db);

    expect(await untilLeading(b)).toBe(true);
    expect(await a.isLeader()).toBe(false);
    expect(await b.isLeader()).toBe(true);
  });

  it("a job started on two servers runs on the leader only, once per interval across both, and moves when the leader goes", async () => {
    const [a, b] = [server(), server()];
    const runs: { server: string; start: number; end: number }[] = [];
    const job = (name: string) => async () => {
      const start = Date.now();
      await sleep(20);
      runs.push({ server: name, start, end: Date.now() });
    };
    const intervalMs = 200;
    const started = Date.now();
    const stops = [startRepeatingJob("Test job", job("a"), 10, intervalMs, a.isLeader), startRepeatingJob("Test job", job("b"), 10, intervalMs, b.isLeader)];
    try {
      await sleep(1_500);
      const firstPart = [...runs];
      const elapsed = Date.now() - started;
      expect(new Set(firstPart.map((r) => r.server)).size).toBe(1);
      expect(firstPart.length).toBeGreaterThanOrEqual(3);
      // Once per interval across both servers, not once per server.
      expect(firstPart.length).toBeLessThanOrEqual(Math.floor(elapsed / intervalMs) + 1);

      const leaderName = firstPart[0]!.server;
      await (leaderName === "a" ? a : b).stop();
      const handover = runs.length;
      await sleep(1_500);
      const secondPart = runs.slice(handover);
      expect(secondPart.length).toBeGreaterThanOrEqual(3);
      expect(secondPart.filter((r) => r.server === leaderName)).toEqual([]);
      // Never two turns at once.
      const sorted = [...runs].sort((x, y) => x.start - y.start);
      for (let i = 1; i < sorted.length; i += 1) expect(sorted[i]!.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
    } finally {
      for (const stop of stops) stop();
    }
  });

  it("a process that leads and never stops the leader still ends by itself", () => {
    const started = Date.now();
    const child = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["tests/support/job-leader-exits.ts", pg.url], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(child.error).toBeUndefined();
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout.trim()).toBe("leader true");
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 70_000);
});

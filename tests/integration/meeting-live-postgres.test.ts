import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectorView } from "~/models/public-meeting.server";
import { castMeetingVote, closeQuestion, joinMeeting, openQuestion } from "~/services/public-meetings.server";
import { getDb } from "~/utils/db.server";
import { announceMeetingChange, polling, subscribeToMeeting } from "~/utils/meeting-live.server";
import { createDb, inTransaction, type DB } from "../../db/client";
import { listen, listeningPid } from "../../db/notify";
import { actorOf, makeUser } from "../factories";
import { makeMeetingWithQuestion } from "../support/community-ballot";
import { createPostgresTestSchema, type PostgresTestSchema } from "../support/postgres";
import { postgresUrlOrSkip } from "../support/postgres-skip";

// Live updates across app servers (issue 14, docs/decisions/0053). Two database handles play two servers: server A
// (the app's own handle, getDb) runs the meeting through the real services; server B only watches. Each handle has
// its own channels and its own listening connection, so a change made through A reaches B's watcher only the way it
// would reach a server on another machine: by PostgreSQL's NOTIFY, or by B's backstop poll of the version, which
// these tests make too slow to matter.
const SOON_MS = 3_000;

async function until<T>(what: string, check: () => T | null | undefined | false | Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A watcher on server B: every picture it is sent, newest last. */
function watch(db: DB, meetingId: string) {
  const pictures: ProjectorView[] = [];
  const stop = subscribeToMeeting(db, meetingId, (json) => pictures.push(JSON.parse(json) as ProjectorView));
  const latest = () => pictures[pictures.length - 1];
  return { pictures, latest, stop };
}

async function backendAlive(db: DB, pid: number): Promise<{ application_name: string } | undefined> {
  const { rows } = await sql<{ application_name: string }>`select application_name from pg_stat_activity where pid = ${pid}`.execute(db);
  return rows[0];
}

describe("live updates for public meetings across servers, on PostgreSQL", () => {
  const url = postgresUrlOrSkip();
  if (!url) return;
  let pg: PostgresTestSchema;
  let serverA: DB;
  let serverB: DB;
  let admin: Awaited<ReturnType<typeof makeUser>>;
  const backstop = polling.backstopMs;

  beforeAll(async () => {
    pg = await createPostgresTestSchema(url, "live");
    // Server A is the app's own handle, so the factories and services write through it.
    process.env.DATABASE_URL = pg.url;
    serverA = getDb();
    serverB = pg.db;
    admin = await makeUser({ role: "admin" });
    // Only notifications can bring a change to B within these tests.
    polling.backstopMs = 120_000;
  });
  afterAll(async () => {
    polling.backstopMs = backstop;
    await globalThis.__portalDb?.db.destroy();
    globalThis.__portalDb = undefined;
    delete process.env.DATABASE_URL;
    await pg?.drop();
  });

  const meetingWithQuestion = () => makeMeetingWithQuestion(serverA, actorOf(admin));

  it("a notification is sent at commit, and not at all when the transaction rolls back", async () => {
    // The channel is database-wide: other test files' schemas may notify on it too, so only this test's payloads count.
    const tag = `t${Date.now()}`;
    const heard: string[] = [];
    const stop = listen(serverB, "portal_meeting", (payload) => {
      if (payload.startsWith(tag)) heard.push(payload);
    });
    try {
      await until("B to listen", () => listeningPid(serverB));
      await expect(
        inTransaction(serverA, async (trx) => {
          await announceMeetingChange(trx, `${tag}-rolled-back`);
          throw new Error("changed my mind");
        }),
      ).rejects.toThrow("changed my mind");
      await inTransaction(serverA, async (trx) => {
        await announceMeetingChange(trx, `${tag}-committed`);
        await announceMeetingChange(trx, `${tag}-committed`);
        // Not yet: it is delivered at commit.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(heard).toEqual([]);
      });
      await until("the committed notification", () => heard.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // PostgreSQL folds identical notifications of one transaction into one.
      expect(heard).toEqual([`${tag}-committed`]);
    } finally {
      stop();
    }
  });

  it("a question opened and a vote cast through server A reach a watcher on server B by notification, not by polling", async () => {
    const { meetingId, questionId, doorCode } = await meetingWithQuestion();
    const watcher = watch(serverB, meetingId);
    try {
      await until("B to listen", () => listeningPid(serverB));
      // When it starts listening, B reads the picture once (anything missed before), with no question on the floor.
      await until("B's first picture", () => watcher.latest());
      expect(watcher.latest()!.question).toBeNull();

      // A version bump with no notification (a change that skipped it) is not seen: B's poll is out of play.
      await sql`update public_meeting set version = version + 1 where id = ${meetingId}`.execute(serverA);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(watcher.pictures).toHaveLength(1);

      // Timed from the commit (the service's return): the write lock may first wait for other test files on this database.
      await openQuestion(serverA, actorOf(admin), questionId, null);
      let started = Date.now();
      const opened = await until("the open question on B", () => watcher.pictures.find((p) => p.question?.status === "open"), SOON_MS);
      expect(Date.now() - started).toBeLessThan(SOON_MS);
      expect(opened.question).toMatchObject({ id: questionId, votedCount: 0 });

      const { attendeeId } = await joinMeeting(serverA, { doorCode, cardCode: "", ballotVoterIdFor: async () => null });
      await castMeetingVote(serverA, attendeeId, questionId, { yes: 1 });
      started = Date.now();
      await until("the turnout on B", () => watcher.latest()?.question?.votedCount === 1, SOON_MS);
      expect(Date.now() - started).toBeLessThan(SOON_MS);
      // Sealed until the close, on every server.
      expect(watcher.latest()!.question!.result).toBeNull();
    } finally {
      watcher.stop();
    }
  });

  it("the listening connection comes back after it is killed, and a change made while it was down still arrives", async () => {
    const { meetingId, questionId } = await meetingWithQuestion();
    await openQuestion(serverA, actorOf(admin), questionId, null);
    const watcher = watch(serverB, meetingId);
    try {
      const first = await until("B to listen", () => listeningPid(serverB));
      expect(await backendAlive(serverA, first)).toEqual({ application_name: "portal live updates" });
      await until("B's first picture", () => watcher.latest()?.question?.status === "open");

      const { rows } = await sql<{ ok: boolean }>`select pg_terminate_backend(${first}) as ok`.execute(serverA);
      expect(rows[0]!.ok).toBe(true);
      // Straight away, before B has reconnected: this notification may well find nobody listening.
      await closeQuestion(serverA, actorOf(admin), questionId);

      const second = await until("B to listen again", () => {
        const pid = listeningPid(serverB);
        return pid !== null && pid !== first && pid;
      });
      expect(await backendAlive(serverA, second)).toEqual({ application_name: "portal live updates" });
      await until("the old connection to end", async () => !(await backendAlive(serverA, first)));
      // On reconnecting, B reads the picture again, so the close made while it was down is not lost.
      await until("the closed question on B", () => watcher.latest()?.question?.status === "closed", SOON_MS);

      // And the new connection hears the next change.
      await openQuestion(serverA, actorOf(admin), questionId, null);
      const started = Date.now();
      await until("the reopened question on B", () => watcher.latest()?.question?.status === "open", SOON_MS);
      expect(Date.now() - started).toBeLessThan(SOON_MS);
    } finally {
      watcher.stop();
    }
  });

  it("one listening connection per server however many watch; the last watcher to leave closes it, and so does destroying the handle", async () => {
    const one = await meetingWithQuestion();
    const two = await meetingWithQuestion();
    const watchers = [watch(serverB, one.meetingId), watch(serverB, one.meetingId), watch(serverB, two.meetingId)];
    const pid = await until("B to listen", () => listeningPid(serverB));
    const listening = async () =>
      Number(
        (await sql<{ n: number }>`select count(*) as n from pg_stat_activity where application_name = 'portal live updates' and pid = ${pid}`.execute(serverA))
          .rows[0]!.n,
      );
    expect(await listening()).toBe(1);

    watchers[0]!.stop();
    watchers[2]!.stop();
    expect(listeningPid(serverB)).toBe(pid);
    // The one left still hears changes.
    await openQuestion(serverA, actorOf(admin), one.questionId, null);
    await until("the open question on B", () => watchers[1]!.latest()?.question?.status === "open", SOON_MS);

    watchers[1]!.stop();
    expect(listeningPid(serverB)).toBeNull();
    await until("the listening connection to close", async () => (await listening()) === 0);

    // A third server that is shut down while someone watches closes its listening connection with its pool.
    const serverC = createDb(pg.url);
    const watcher = watch(serverC, two.meetingId);
    const pidC = await until("C to listen", () => listeningPid(serverC));
    await until("C's first picture", () => watcher.latest());
    expect(await backendAlive(serverA, pidC)).toBeTruthy();
    await serverC.destroy();
    expect(listeningPid(serverC)).toBeNull();
    await until("C's listening connection to close", async () => !(await backendAlive(serverA, pidC)));
    watcher.stop();
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectorView } from "~/models/public-meeting.server";
import { openQuestion } from "~/services/public-meetings.server";
import { getDb } from "~/utils/db.server";
import { subscribeToMeeting } from "~/utils/meeting-live.server";
import { createDb, type DB } from "../../db/client";
import { hasNotifications, listeningPid } from "../../db/notify";
import { actorOf, makeUser } from "../factories";
import { makeMeetingWithQuestion } from "../support/community-ballot";

// Live updates on SQLite (docs/decisions/0047, 0053): several processes share one file and there is no NOTIFY, so a
// change made by one process reaches another's watchers through the version poll. Two handles on the same file play
// two processes; each keeps its own channels, so a change made through A reaches B's watcher only by B's poll.
// (With INTEGRATION_ON_POSTGRES the app's handle is PostgreSQL: meeting-live-postgres.test.ts covers that.)
describe.skipIf(process.env.INTEGRATION_ON_POSTGRES === "1")("live updates for public meetings between processes on SQLite", () => {
  let serverB: DB;
  beforeAll(() => {
    serverB = createDb(process.env.DATABASE_PATH!);
  });
  afterAll(async () => {
    await serverB.destroy();
  });

  it("a question opened through one process reaches a watcher of another within a poll, with no listening connection", async () => {
    const admin = await makeUser({ role: "admin" });
    const { meetingId, questionId } = await makeMeetingWithQuestion(getDb(), actorOf(admin));
    expect(hasNotifications(serverB)).toBe(false);

    const pictures: ProjectorView[] = [];
    const stop = subscribeToMeeting(serverB, meetingId, (json) => pictures.push(JSON.parse(json) as ProjectorView));
    try {
      expect(listeningPid(serverB)).toBeNull();
      await openQuestion(getDb(), actorOf(admin), questionId, null);
      const started = Date.now();
      for (;;) {
        if (pictures.some((p) => p.question?.status === "open")) break;
        // A poll or two and one reading, on a busy machine; well before PostgreSQL's slower backstop.
        if (Date.now() - started > 2_500) throw new Error("the open question did not reach the other process within 2.5 s");
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      stop();
    }
  });
});

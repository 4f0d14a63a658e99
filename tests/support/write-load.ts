// A second process that keeps writing through a real service, for tests that need writes to go on
// while they do something else (tests/integration/backup-restore.test.ts). Run with tsx; it reads
//   DATABASE_PATH, WRITE_LOAD_ACTOR (an Actor as JSON) and WRITE_LOAD_PROPOSALS (ids, comma-separated),
// saves a draft of each proposal in turn (a transaction with its audit event each time), prints
// "wrote <n>" after every write, and stops cleanly on SIGTERM.
import type { Actor } from "~/domain/permissions";
import { saveDraft } from "~/services/proposals.server";
import { getDb } from "~/utils/db.server";
import { COMPLETE_CONTENT } from "../factories";

const actor = JSON.parse(process.env.WRITE_LOAD_ACTOR ?? "{}") as Actor;
const proposals = (process.env.WRITE_LOAD_PROPOSALS ?? "").split(",").filter(Boolean);
let stopping = false;
process.on("SIGTERM", () => (stopping = true));

const db = getDb();
let written = 0;
while (!stopping) {
  const proposalId = proposals[written % proposals.length]!;
  await saveDraft(db, actor, proposalId, { ...COMPLETE_CONTENT, title: `Write under load ${written + 1}` });
  written += 1;
  console.log(`wrote ${written}`);
  // Yield to the event loop so SIGTERM is seen; no sleep, so the load is as heavy as one process makes it.
  await new Promise((resolve) => setImmediate(resolve));
}
await db.destroy();
console.log(`stopped after ${written}`);

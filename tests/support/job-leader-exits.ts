import { createJobLeader } from "../../db/leader";

/**
 * For tests/integration/job-leader-postgres.test.ts: takes the lead on the
 * PostgreSQL URL given, prints whether it leads, and returns without stopping
 * it. The process must still end by itself: the leader's connection does not
 * keep it alive. Run with tsx.
 */
const leader = createJobLeader(process.argv[2]);
console.log(`leader ${await leader.isLeader()}`);

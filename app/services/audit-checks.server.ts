import { startRepeatingJob, type LeaderCheck } from "~/utils/repeating-job.server";
import { inTransaction, type DB } from "../../db/client";
import { GENESIS_HASH, type ChainStatus } from "~/domain/audit-chain";
import { findAuditEventHash, getAuditCheckpoints, verifyAuditEventsAfter, type ChainStart } from "~/models/audit.server";
import { nowIso } from "~/utils/ids.server";

// Checking the audit chain without a cost that grows with its history (issue 11, item 3;
// docs/decisions/0033). The administrator's pages check only the events written since the
// last checkpoint; the whole chain is checked every hour in the background and by
// `npm run audit:verify`. Recording a checkpoint writes no audit event: an event per check
// would make the chain grow each time someone opens the page that checks it.

/** How often the whole chain is checked while the server runs. */
export const FULL_CHECK_INTERVAL_MS = 60 * 60 * 1000;

export interface FullCheckSummary {
  checkedAt: string;
  isOk: boolean;
  /** Events that checked out (all of them when isOk). */
  count: number;
  brokenAtId: number | null;
  reason: string | null;
}

export interface AuditCheck {
  /** What the page shows: broken if this check or the last full check found a break. */
  chain: ChainStatus;
  /** Events this check read: those written after the checkpoint. */
  eventsChecked: number;
  /** The last check of the whole chain, or null if there has not been one yet. */
  lastFull: FullCheckSummary | null;
}

/** Records a check's result under "latest" (moved forward only) or "full". A disk that cannot be written only loses the record. */
async function recordCheck(db: DB, kind: "latest" | "full", status: ChainStatus, head: ChainStart | null) {
  const row = {
    event_id: status.count,
    hash: head?.prevHash ?? "",
    checked_at: nowIso(),
    is_ok: status.ok ? 1 : 0,
    broken_at_id: status.ok ? null : status.brokenAtId,
    reason: status.ok ? null : status.reason,
  };
  try {
    await inTransaction(db, async (trx) => {
      const current = await trx.selectFrom("audit_checkpoint").select("event_id").where("kind", "=", kind).executeTakeFirst();
      if (!current)
        await trx
          .insertInto("audit_checkpoint")
          .values({ kind, ...row })
          .execute();
      else if (kind === "full" || current.event_id < row.event_id) await trx.updateTable("audit_checkpoint").set(row).where("kind", "=", kind).execute();
    });
  } catch (error) {
    // inTransaction answers a full or read-only disk with a 503; the check itself still stands.
    if (!(error instanceof Response && error.status === 503)) throw error;
  }
}

const brokenAt = (id: number, reason: string): ChainStatus => ({ ok: false, count: id - 1, brokenAtId: id, position: id, reason });

/**
 * The chain's status for the administrator's pages: checks only the events after
 * the last checkpoint (and that the checkpoint's own event is unchanged), then
 * moves the checkpoint to the head. A change to an older event is caught by the
 * full check, whose last result is returned too.
 */
export function checkAuditChainSinceCheckpoint(db: DB): Promise<AuditCheck> {
  // Requests that arrive while a check runs share it: before the first checkpoint (a new
  // server on an old database) fifty page loads would otherwise each read the whole chain.
  const running = checksInFlight.get(db);
  if (running) return running;
  const check = checkSinceCheckpoint(db).finally(() => checksInFlight.delete(db));
  checksInFlight.set(db, check);
  return check;
}

const checksInFlight = new WeakMap<DB, Promise<AuditCheck>>();

async function checkSinceCheckpoint(db: DB): Promise<AuditCheck> {
  const { latest, full } = await getAuditCheckpoints(db);
  const lastFull: FullCheckSummary | null = full
    ? { checkedAt: full.checked_at, isOk: full.is_ok === 1, count: full.event_id, brokenAtId: full.broken_at_id, reason: full.reason }
    : null;
  let start: ChainStart = { prevHash: GENESIS_HASH, position: 0 };
  if (latest) {
    const hash = await findAuditEventHash(db, latest.event_id);
    if (hash === null) return { chain: brokenAt(latest.event_id, "an event that was checked before is missing"), eventsChecked: 0, lastFull };
    if (hash !== latest.hash)
      return { chain: brokenAt(latest.event_id, "the hash of an event that was checked before has changed"), eventsChecked: 0, lastFull };
    start = { prevHash: latest.hash, position: latest.event_id };
  }
  const { status, eventsRead } = await verifyAuditEventsAfter(db, start);
  if (status.ok && status.count > start.position) await recordCheck(db, "latest", status, { prevHash: status.headHash, position: status.count });
  if (status.ok && lastFull && !lastFull.isOk && lastFull.brokenAtId !== null) {
    return { chain: brokenAt(lastFull.brokenAtId, lastFull.reason ?? "found by the last full check"), eventsChecked: eventsRead, lastFull };
  }
  return { chain: status, eventsChecked: eventsRead, lastFull };
}

/**
 * Checks the whole chain from the first event, yielding to other requests between
 * pages, and records the result (and, if it passes, the checkpoint).
 */
export async function verifyWholeAuditChain(db: DB, pageSize?: number): Promise<ChainStatus> {
  const { status } = await verifyAuditEventsAfter(db, undefined, pageSize);
  const head = status.ok ? { prevHash: status.headHash, position: status.count } : null;
  await recordCheck(db, "full", status, head);
  if (status.ok) await recordCheck(db, "latest", status, head);
  return status;
}

/** Checks the whole chain soon after start and then every hour, like the retention purge (on the leader only, given isLeader). Returns a stop function. */
export function startAuditChainCheck(db: DB, intervalMs = FULL_CHECK_INTERVAL_MS, isLeader?: LeaderCheck): () => void {
  return startRepeatingJob(
    "Audit chain check",
    async () => {
      const status = await verifyWholeAuditChain(db);
      if (!status.ok) console.error(`Audit chain BROKEN at event ${status.brokenAtId}: ${status.reason}. Run npm run audit:verify.`);
    },
    5_000,
    intervalMs,
    isLeader,
  );
}

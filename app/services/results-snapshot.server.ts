import { inTransaction, type DB } from "../../db/client";
import type { ResultsSnapshot } from "~/domain/results-snapshot";
import { appendAuditEvent } from "~/models/audit.server";
import { buildResultsSnapshot, newestSnapshotId, readSnapshot, serialiseSnapshot } from "~/models/results-snapshot.server";
import { newId, nowIso } from "~/utils/ids.server";

/**
 * Stores the fund's results as they stand now as its next snapshot (version
 * 1, 2, 3…). Call it inside the transaction that publishes them, and record
 * the returned version and hash in that transaction's audit event.
 */
export async function writeResultsSnapshot(trx: DB, fundId: string): Promise<{ version: number; hash: string; snapshot: ResultsSnapshot }> {
  const snapshot = await buildResultsSnapshot(trx, fundId);
  if (!snapshot) throw new Error(`No fund ${fundId} to take a results snapshot of.`);
  const last = await trx
    .selectFrom("results_snapshot")
    .select((eb) => eb.fn.max("version").as("version"))
    .where("fund_id", "=", fundId)
    .executeTakeFirst();
  const version = Number(last?.version ?? 0) + 1;
  const { content, hash } = serialiseSnapshot(snapshot);
  await trx.insertInto("results_snapshot").values({ id: newId(), fund_id: fundId, version, content, hash, created_at: nowIso() }).execute();
  return { version, hash, snapshot };
}

/**
 * The newest snapshot of a fund whose results are published. A fund published
 * before snapshots existed gets its first one now, from its data as it stands,
 * with an audit event. On a full or read-only disk the results are still
 * shown, read from the live data, and the snapshot is taken on a later visit.
 */
export async function ensureResultsSnapshot(db: DB, fundId: string): Promise<ResultsSnapshot | null> {
  try {
    return await inTransaction(db, async (trx) => {
      // Another request (or process) may have taken it while this one waited for the write lock.
      const existing = await newestSnapshotId(trx, fundId);
      if (existing) return (await readSnapshot(trx, existing)) ?? null;
      const fund = await trx.selectFrom("fund").select("results_published_at").where("id", "=", fundId).executeTakeFirst();
      if (!fund?.results_published_at) return null;
      const { version, hash, snapshot } = await writeResultsSnapshot(trx, fundId);
      await appendAuditEvent(trx, {
        actor: "system",
        action: "fund.results_snapshot_taken",
        entityType: "fund",
        entityId: fundId,
        after: { snapshot_version: version, snapshot_hash: hash, why: "results published before snapshots were kept" },
      });
      return snapshot;
    });
  } catch (error) {
    if (error instanceof Response && error.status === 503) return buildResultsSnapshot(db, fundId);
    throw error;
  }
}

/**
 * The results a public results page shows for a fund: the newest snapshot once
 * they are published (taking the first one now for a fund published before
 * snapshots existed), or, for an administrator's preview before publishing,
 * the live data. Null for no such fund.
 */
export async function resultsToShow(
  db: DB,
  head: { id: string; results_published_at: string | null; snapshot_id: string | null },
): Promise<ResultsSnapshot | null> {
  if (!head.results_published_at) return buildResultsSnapshot(db, head.id);
  if (head.snapshot_id) return (await readSnapshot(db, head.snapshot_id)) ?? null;
  return ensureResultsSnapshot(db, head.id);
}

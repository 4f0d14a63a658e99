import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { DB } from "../../db/client";
import { fundTotals, type ResultsSnapshot } from "~/domain/results-snapshot";
import { listDepartedDecisions } from "./decision-departures.server";
import { getPublishedResults } from "./published-results.server";

/**
 * Everything the public results pages show, read from the live tables: what
 * publishing stores (app/services/results-snapshot.server.ts), and what an
 * administrator previews before publishing. Null for no such fund.
 */
export async function buildResultsSnapshot(db: DB, fundId: string): Promise<ResultsSnapshot | null> {
  const fund = await db.selectFrom("fund").select(["name", "budget_pence"]).where("id", "=", fundId).executeTakeFirst();
  if (!fund) return null;
  const [groups, departed] = await Promise.all([getPublishedResults(db, fundId), listDepartedDecisions(db, fundId)]);
  return {
    fund: { name: fund.name, budgetPence: fund.budget_pence },
    totals: fundTotals(groups),
    groups: groups.map((g) => ({
      id: g.id,
      name: g.name,
      area: g.area,
      potPence: g.potPence,
      fundedPence: g.fundedPence,
      counts: g.counts,
      // Conditions are not shown on the public pages, so they are not kept.
      funded: g.funded.map(({ id, reference, title, organisation, amountPence, reason }) => ({ id, reference, title, organisation, amountPence, reason })),
      panel: g.panel,
      minutes: g.minutes,
      declarations: g.declarations,
      departed: departed
        .filter((d) => d.decisionGroupId === g.id)
        .map((d) => ({
          id: d.proposalId,
          reference: d.reference,
          title: d.title,
          meetingId: d.meetingId,
          outcome: d.outcome,
          departures: d.departures,
          reason: d.departureReason,
        })),
    })),
  };
}

/** The stored form of a snapshot: its JSON and the JSON's sha256 (hex), which the audit event records. */
export function serialiseSnapshot(snapshot: ResultsSnapshot): { content: string; hash: string } {
  const content = JSON.stringify(snapshot);
  return { content, hash: createHash("sha256").update(content).digest("hex") };
}

/**
 * What the public results pages need before their content, in one query: the
 * fund, the id of its newest results snapshot (null before the first), and
 * whether it has an accepted or closed award (the 360Giving files answer 404
 * without one; this changes after publishing, so it is read live).
 */
export function getResultsHead(db: DB, fundId: string) {
  return db
    .selectFrom("fund")
    .select(["fund.id", "fund.name", "fund.is_published", "fund.results_published_at"])
    .select((eb) => [
      eb
        .selectFrom("results_snapshot")
        .select("results_snapshot.id")
        .whereRef("results_snapshot.fund_id", "=", "fund.id")
        .orderBy("results_snapshot.version", "desc")
        .limit(1)
        .as("snapshot_id"),
      eb
        .exists(
          eb
            .selectFrom("award")
            .innerJoin("decision_group", "decision_group.id", "award.decision_group_id")
            .select(sql<number>`1`.as("one"))
            .whereRef("decision_group.fund_id", "=", "fund.id")
            .where("award.status", "in", ["accepted", "closed"]),
        )
        .as("has_open_data"),
    ])
    .where("fund.id", "=", fundId)
    .executeTakeFirst();
}

/** The newest snapshot's id for a fund, or null. */
export async function newestSnapshotId(db: DB, fundId: string): Promise<string | null> {
  const row = await db.selectFrom("results_snapshot").select("id").where("fund_id", "=", fundId).orderBy("version", "desc").limit(1).executeTakeFirst();
  return row?.id ?? null;
}

// Snapshots never change once written, except when erasing a person rewrites their name
// (app/services/personal-data.server.ts), so each process keeps the last few it parsed
// for a minute at most, and erasure forgets them in its own process at once.
const CACHE_SIZE = 8;
const CACHE_MS = 60_000;
const cache = new Map<string, { snapshot: ResultsSnapshot; until: number }>();

/** Forgets every parsed snapshot this process holds, after a change to their stored text (erasing a person). */
export function forgetCachedSnapshots(): void {
  cache.clear();
}

/** One stored snapshot, parsed (from memory after the first read in this process); undefined for no such id. */
export async function readSnapshot(db: DB, id: string): Promise<ResultsSnapshot | undefined> {
  const cached = cache.get(id);
  if (cached && cached.until > Date.now()) return cached.snapshot;
  const row = await db.selectFrom("results_snapshot").select("content").where("id", "=", id).executeTakeFirst();
  if (!row) return undefined;
  const snapshot = JSON.parse(row.content) as ResultsSnapshot;
  cache.delete(id);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(id, { snapshot, until: Date.now() + CACHE_MS });
  return snapshot;
}

import type { DB } from "../../db/client";
import { ADVISORY_LOCKS, lockForTransaction } from "../../db/dialect";
import type { AuditEvent } from "../../db/schema";
import { canonicalJson, GENESIS_HASH, hashEvent, verifyChain, type ChainStatus } from "~/domain/audit-chain";
import { nowIso } from "~/utils/ids.server";
import { revealAuditRows, sealForAudit } from "./person-key.server";

export interface AuditInput {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

const toJson = (value: unknown): string | null => (value === undefined || value === null ? null : canonicalJson(value));

/**
 * Appends one event to the chain. Call it inside the transaction that makes the change
 * (on PostgreSQL the chain's lock lasts until that transaction ends).
 * Personal fields (app/domain/personal-data.ts) are sealed under their person's key
 * before the event is hashed, so erasing the person later leaves the chain intact.
 */
export async function appendAuditEvent(trx: DB, input: AuditInput): Promise<AuditEvent> {
  // One append at a time across every app server, until the transaction ends: the head read below is then
  // still the head when the new event is written (PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the write lock).
  await lockForTransaction(trx, ADVISORY_LOCKS.auditChain);
  const before = await sealForAudit(trx, input.entityType, input.entityId, input.before);
  const after = await sealForAudit(trx, input.entityType, input.entityId, input.after);
  const head = await trx.selectFrom("audit_event").select(["id", "hash"]).orderBy("id", "desc").limit(1).executeTakeFirst();
  const fields = {
    id: (head?.id ?? 0) + 1,
    actor: input.actor,
    action: input.action,
    entity_type: input.entityType,
    entity_id: input.entityId,
    before: toJson(before),
    after: toJson(after),
    time: nowIso(),
  };
  const prev_hash = head?.hash ?? GENESIS_HASH;
  const row = { ...fields, prev_hash, hash: hashEvent(prev_hash, fields) };
  await trx.insertInto("audit_event").values(row).execute();
  return row;
}

const PAGE = 2000;

/** Where a check starts: after the event at `position`, whose hash is `prevHash`. */
export interface ChainStart {
  prevHash: string;
  position: number;
}

/** Lets timers and other requests run: Kysely's SQLite driver returns settled promises, so awaiting a query alone never yields. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Recomputes the chain from `start` to the head, a page at a time so memory
 * stays flat, and yields to the event loop between pages so a long check never
 * holds up other requests. `eventsRead` counts the events it read.
 */
export async function verifyAuditEventsAfter(
  db: DB,
  start: ChainStart = { prevHash: GENESIS_HASH, position: 0 },
  pageSize = PAGE,
): Promise<{ status: ChainStatus; eventsRead: number }> {
  let from = start;
  let eventsRead = 0;
  for (;;) {
    const rows = await db.selectFrom("audit_event").selectAll().where("id", ">", from.position).orderBy("id").limit(pageSize).execute();
    eventsRead += rows.length;
    if (rows.length === 0) return { status: { ok: true, count: from.position, headHash: from.prevHash }, eventsRead };
    // A deleted row leaves a gap: ids must run on without one.
    const status = verifyChain(rows, from);
    if (!status.ok || rows.length < pageSize) return { status, eventsRead };
    from = { prevHash: status.headHash, position: status.count };
    await yieldToEventLoop();
  }
}

/** Recomputes the whole chain from the first event (npm run audit:verify, backups, the hourly check). */
export async function verifyAuditChain(db: DB): Promise<ChainStatus> {
  return (await verifyAuditEventsAfter(db)).status;
}

/** The event at a chain position, for checking that a checkpoint still matches it. */
export async function findAuditEventHash(db: DB, id: number): Promise<string | null> {
  const row = await db.selectFrom("audit_event").select("hash").where("id", "=", id).executeTakeFirst();
  return row?.hash ?? null;
}

/** The "latest" and "full" checkpoints (docs/decisions/0033), or null before the first check. */
export async function getAuditCheckpoints(db: DB) {
  const rows = await db.selectFrom("audit_checkpoint").selectAll().execute();
  return { latest: rows.find((r) => r.kind === "latest") ?? null, full: rows.find((r) => r.kind === "full") ?? null };
}

export interface AuditFilters {
  entityType?: string;
  entityId?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
}

const AUDIT_COLUMNS = [
  "audit_event.id",
  "audit_event.actor",
  "user.email as actorEmail",
  "audit_event.action",
  "audit_event.entity_type",
  "audit_event.entity_id",
  "audit_event.before",
  "audit_event.after",
  "audit_event.time",
  "audit_event.hash",
] as const;

/**
 * The events the filters select, as a query to page through. "Who" matches the
 * actor's id or their email: the email is looked up first, so the filter stays
 * on audit_event's own indexed column instead of an OR across the join.
 */
async function filteredAuditEvents(db: DB, filters: AuditFilters) {
  let query = db.selectFrom("audit_event").leftJoin("user", "user.id", "audit_event.actor");
  if (filters.entityType) query = query.where("audit_event.entity_type", "=", filters.entityType);
  if (filters.entityId) query = query.where("audit_event.entity_id", "=", filters.entityId);
  if (filters.actor) {
    const byEmail = await db.selectFrom("user").select("id").where("email", "=", filters.actor.toLowerCase()).executeTakeFirst();
    query = query.where("audit_event.actor", "in", byEmail ? [filters.actor, byEmail.id] : [filters.actor]);
  }
  if (filters.action) query = query.where("audit_event.action", "=", filters.action);
  if (filters.from) query = query.where("audit_event.time", ">=", filters.from);
  if (filters.to) query = query.where("audit_event.time", "<", filters.to);
  return query;
}

/** Newest first, filtered, one numbered page at a time, with the count: for one record's history (a bounded list). */
export async function listAuditEvents(db: DB, filters: AuditFilters, page: number, pageSize = 50) {
  const query = await filteredAuditEvents(db, filters);
  const [rows, total] = await Promise.all([
    query
      .select([...AUDIT_COLUMNS])
      .orderBy("audit_event.id", "desc")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows: await revealAuditRows(db, rows), total: Number(total.n) };
}

/** Where a page of the audit trail starts: events older than `before`, or newer than `after`, or the newest. */
export interface AuditCursor {
  before?: number;
  after?: number;
}

/**
 * One page of the whole trail, newest first, found by event id (keyset paging):
 * it reads the page's rows and one row either side, never counts the trail or
 * skips through it, so its cost does not grow with history (issue 11, item 3).
 * `olderBefore` and `newerAfter` are the cursors of the next and previous pages, or null.
 */
export async function listAuditTrailPage(db: DB, filters: AuditFilters, cursor: AuditCursor, pageSize = 50) {
  const query = await filteredAuditEvents(db, filters);
  const anyWhere = async (op: "<=" | ">=", id: number) =>
    (await query.select("audit_event.id").where("audit_event.id", op, id).limit(1).executeTakeFirst()) !== undefined;
  let rows;
  let hasOlder: boolean;
  let hasNewer: boolean;
  if (cursor.after !== undefined) {
    const newer = await query
      .select([...AUDIT_COLUMNS])
      .where("audit_event.id", ">", cursor.after)
      .orderBy("audit_event.id", "asc")
      .limit(pageSize + 1)
      .execute();
    hasNewer = newer.length > pageSize;
    rows = newer.slice(0, pageSize).reverse();
    hasOlder = await anyWhere("<=", cursor.after);
  } else {
    const before = cursor.before;
    const older = await (before === undefined ? query : query.where("audit_event.id", "<", before))
      .select([...AUDIT_COLUMNS])
      .orderBy("audit_event.id", "desc")
      .limit(pageSize + 1)
      .execute();
    hasOlder = older.length > pageSize;
    rows = older.slice(0, pageSize);
    hasNewer = before !== undefined && (await anyWhere(">=", before));
  }
  // An empty page (a link past either end) still leads back to the events beyond it.
  const newest = rows[0]?.id ?? (cursor.before !== undefined ? cursor.before - 1 : (cursor.after ?? 0));
  const oldest = rows[rows.length - 1]?.id ?? (cursor.after !== undefined ? cursor.after + 1 : (cursor.before ?? 0));
  return { rows: await revealAuditRows(db, rows), olderBefore: hasOlder ? oldest : null, newerAfter: hasNewer ? newest : null };
}

/** Lets other requests run between batches of a long read. */
const yieldBetweenBatches = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The filtered events oldest first, in batches, for a download: memory stays at
 * one batch however long the trail, and other requests run between batches.
 */
export async function* auditEventsOldestFirst(db: DB, filters: AuditFilters, batchSize = 1000) {
  const query = await filteredAuditEvents(db, filters);
  let after = 0;
  for (;;) {
    const rows = await query
      .select([...AUDIT_COLUMNS])
      .where("audit_event.id", ">", after)
      .orderBy("audit_event.id", "asc")
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return;
    yield await revealAuditRows(db, rows);
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.id;
    await yieldBetweenBatches();
  }
}

/**
 * A column's different values, read by jumping along its index from one value
 * to the next: about one index seek per value, however many events there are.
 */
async function distinctAuditValues(db: DB, column: "action" | "entity_type"): Promise<string[]> {
  const rows = await db
    .withRecursive("next_value(value)", (qb) =>
      qb
        .selectFrom("audit_event")
        .select((eb) => eb.fn.min<string | null>(column).as("value"))
        .unionAll((qb2) =>
          qb2
            .selectFrom("next_value")
            .select((eb) => eb.selectFrom("audit_event").select(column).whereRef(column, ">", "next_value.value").orderBy(column).limit(1).as("value"))
            .where("next_value.value", "is not", null),
        ),
    )
    .selectFrom("next_value")
    .select("value")
    .where("value", "is not", null)
    .execute();
  return rows.map((r) => r.value as string);
}

/** The actions and record types in the trail, for the filter lists (audit_event_action_idx, audit_event_entity_idx). */
export async function listAuditFacets(db: DB) {
  const [actions, entityTypes] = await Promise.all([distinctAuditValues(db, "action"), distinctAuditValues(db, "entity_type")]);
  return { actions, entityTypes };
}

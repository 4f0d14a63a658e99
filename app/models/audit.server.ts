import type { DB } from "../../db/client";
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
 * Appends one event to the chain. Call it inside the transaction that makes the change.
 * Personal fields (app/domain/personal-data.ts) are sealed under their person's key
 * before the event is hashed, so erasing the person later leaves the chain intact.
 */
export async function appendAuditEvent(trx: DB, input: AuditInput): Promise<AuditEvent> {
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

/** Newest first, filtered, one page at a time; personal values decrypted, or "(erased)". */
export async function listAuditEvents(db: DB, filters: AuditFilters, page: number, pageSize = 50) {
  let query = db.selectFrom("audit_event").leftJoin("user", "user.id", "audit_event.actor");
  if (filters.entityType) query = query.where("audit_event.entity_type", "=", filters.entityType);
  if (filters.entityId) query = query.where("audit_event.entity_id", "=", filters.entityId);
  if (filters.actor) {
    const actor = filters.actor;
    query = query.where((eb) => eb.or([eb("audit_event.actor", "=", actor), eb("user.email", "=", actor.toLowerCase())]));
  }
  if (filters.action) query = query.where("audit_event.action", "=", filters.action);
  if (filters.from) query = query.where("audit_event.time", ">=", filters.from);
  if (filters.to) query = query.where("audit_event.time", "<", filters.to);
  const [rows, total] = await Promise.all([
    query
      .select([
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
      ])
      .orderBy("audit_event.id", "desc")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows: await revealAuditRows(db, rows), total: Number(total.n) };
}

export async function listAuditFacets(db: DB) {
  const [actions, entityTypes] = await Promise.all([
    db.selectFrom("audit_event").select("action").distinct().orderBy("action").execute(),
    db.selectFrom("audit_event").select("entity_type").distinct().orderBy("entity_type").execute(),
  ]);
  return { actions: actions.map((r) => r.action), entityTypes: entityTypes.map((r) => r.entity_type) };
}

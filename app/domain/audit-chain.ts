import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

/** JSON with object keys sorted at every depth, so equal values always hash alike. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export interface ChainFields {
  id: number;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: string | null;
  after: string | null;
  time: string;
}

export interface ChainRow extends ChainFields {
  prev_hash: string;
  hash: string;
}

/** hash = sha256(prev_hash + canonical JSON of the row's other columns). */
export function hashEvent(prevHash: string, row: ChainFields): string {
  const { id, actor, action, entity_type, entity_id, before, after, time } = row;
  const body = canonicalJson({ id, actor, action, entity_type, entity_id, before, after, time });
  return createHash("sha256")
    .update(prevHash + body)
    .digest("hex");
}

export type ChainStatus = { ok: true; count: number; headHash: string } | { ok: false; count: number; brokenAtId: number; position: number; reason: string };

/**
 * Checks rows in chain order (by id). Any edit, deletion or reordering makes
 * some row's prev_hash or hash disagree; the first such row is reported.
 * Rows can be fed in pages: pass the previous page's last hash and position.
 */
export function verifyChain(rows: Iterable<ChainRow>, start: { prevHash: string; position: number } = { prevHash: GENESIS_HASH, position: 0 }): ChainStatus {
  let prevHash = start.prevHash;
  let position = start.position;
  for (const row of rows) {
    position += 1;
    if (row.id !== position) {
      return { ok: false, count: position - 1, brokenAtId: row.id, position, reason: `expected event ${position} here, found ${row.id}` };
    }
    if (row.prev_hash !== prevHash) {
      return { ok: false, count: position - 1, brokenAtId: row.id, position, reason: "prev_hash does not match the previous event" };
    }
    if (hashEvent(prevHash, row) !== row.hash) {
      return { ok: false, count: position - 1, brokenAtId: row.id, position, reason: "hash does not match the event's contents" };
    }
    prevHash = row.hash;
  }
  return { ok: true, count: position, headHash: prevHash };
}

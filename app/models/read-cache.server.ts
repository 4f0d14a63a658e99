import { changeMark, type DB } from "../../db/client";

/**
 * Keeps the last few results of expensive reads until the database changes.
 * A read whose answer depends only on the database (not on who asks, nor on
 * the clock) can be shared by every request between two writes: at city scale
 * a group's score summary costs about 200 ms, and a busy results page would
 * pay it on every request. Anything written anywhere (see changeMark)
 * forgets it, so a cached answer is never older than the last write.
 */
const SIZE = 32;
const entries = new Map<string, { mark: string; value: Promise<unknown> }>();

export async function readUntilChange<T>(db: DB, key: string, read: () => Promise<T>): Promise<T> {
  const mark = await changeMark(db);
  if (mark === null) return read();
  const hit = entries.get(key);
  if (hit && hit.mark === mark) return hit.value as Promise<T>;
  const value = read();
  entries.delete(key);
  if (entries.size >= SIZE) entries.delete(entries.keys().next().value as string);
  entries.set(key, { mark, value });
  value.catch(() => {
    if (entries.get(key)?.value === value) entries.delete(key);
  });
  return value;
}

/** Forgets every shared read, so the next read of each goes to the database (tests that count queries). */
export function forgetSharedReads(): void {
  entries.clear();
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withStatementCache } from "../../db/statement-cache";

// Decision 0050: Kysely's SQLite driver prepares every query's SQL again; the
// portal's handle keeps each prepared statement and reuses it. These tests run
// the same queries through a plain handle and a caching one on one real file.

interface Tables {
  item: { id: number; name: string; pence: number };
}

let dir: string;
let file: string;
let compiled: number;
let cached: ReturnType<typeof withStatementCache>;
let plain: Kysely<Tables>;
let reused: Kysely<Tables>;

/** A real better-sqlite3 connection that counts how often SQLite is asked to compile SQL. */
function countingConnection(): SQLite.Database {
  const database = new SQLite(file);
  const prepare = database.prepare.bind(database);
  database.prepare = ((source: string) => {
    compiled += 1;
    return prepare(source);
  }) as typeof database.prepare;
  return database;
}

function open(size?: number) {
  cached = withStatementCache(countingConnection(), size);
  reused = new Kysely<Tables>({ dialect: new SqliteDialect({ database: cached }) });
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "statement-cache-"));
  file = path.join(dir, "cache.sqlite");
  compiled = 0;
  plain = new Kysely<Tables>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
  await sql`create table item (id integer primary key, name text not null unique, pence integer not null)`.execute(plain);
  open();
});

afterEach(async () => {
  await reused.destroy();
  await plain.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const byPence = (db: Kysely<Tables>, min: number) => db.selectFrom("item").select(["id", "name", "pence"]).where("pence", ">=", min).orderBy("id").execute();

describe("prepared statements kept and reused", () => {
  it("a query run again is not compiled again, and reads and writes give what a fresh statement gives", async () => {
    for (let i = 1; i <= 20; i += 1)
      await reused
        .insertInto("item")
        .values({ id: i, name: `item ${i}`, pence: i * 100 })
        .execute();
    // One insert, compiled once for twenty rows.
    expect(compiled).toBe(1);

    expect(await byPence(reused, 1_500)).toEqual(await byPence(plain, 1_500));
    expect(await byPence(reused, 500)).toEqual(await byPence(plain, 500));
    expect((await byPence(reused, 500)).map((r) => r.id)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(compiled).toBe(2);

    const update = await reused.updateTable("item").set({ pence: 1 }).where("id", "<=", 3).executeTakeFirst();
    expect(update.numUpdatedRows).toBe(3n);
    const again = await reused.updateTable("item").set({ pence: 1 }).where("id", "<=", 5).executeTakeFirst();
    expect(again.numUpdatedRows).toBe(5n);
    expect(compiled).toBe(3);
    // The other connection sees the writes.
    expect((await byPence(plain, 0)).filter((r) => r.pence === 1).map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it("a statement that failed (a broken unique rule) works the next time, and a rolled-back write leaves nothing", async () => {
    await reused.insertInto("item").values({ id: 1, name: "hall", pence: 100 }).execute();
    await expect(reused.insertInto("item").values({ id: 2, name: "hall", pence: 200 }).execute()).rejects.toThrow(/UNIQUE/);
    await reused.insertInto("item").values({ id: 3, name: "roof", pence: 300 }).execute();
    await expect(
      reused.transaction().execute(async (trx) => {
        await trx.insertInto("item").values({ id: 4, name: "door", pence: 400 }).execute();
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect((await byPence(plain, 0)).map((r) => r.name)).toEqual(["hall", "roof"]);
    expect((await byPence(reused, 0)).map((r) => r.name)).toEqual(["hall", "roof"]);
  });

  it("a statement still being read row by row is not handed to a second query of the same SQL", async () => {
    for (let i = 1; i <= 5; i += 1)
      await reused
        .insertInto("item")
        .values({ id: i, name: `item ${i}`, pence: i })
        .execute();
    // Kysely holds its one connection for the whole of a stream, so the driver never does this itself; the cache
    // must still be safe if it did, so this drives it as Kysely's driver does: prepare, then iterate or all.
    const text = "select id from item where pence >= ? order by id";
    const streamed: number[] = [];
    const inside: number[][] = [];
    for (const row of cached.prepare(text).iterate([2]) as IterableIterator<{ id: number }>) {
      streamed.push(row.id);
      inside.push((cached.prepare(text).all([4]) as { id: number }[]).map((r) => r.id));
    }
    expect(streamed).toEqual([2, 3, 4, 5]);
    expect(inside).toEqual([
      [4, 5],
      [4, 5],
      [4, 5],
      [4, 5],
    ]);
    // Once the stream has finished, the kept statement is used again.
    const before = compiled;
    expect((cached.prepare(text).all([3]) as { id: number }[]).map((r) => r.id)).toEqual([3, 4, 5]);
    expect(compiled).toBe(before);
  });

  it("keeps no more statements than its limit, dropping the least recently used", async () => {
    await reused.destroy();
    compiled = 0;
    open(3);
    const lookup = (column: "id" | "name" | "pence" | "id, name") => sql`select ${sql.raw(column)} from item`.execute(reused);
    await lookup("id");
    await lookup("name");
    await lookup("pence");
    await lookup("id"); // used again: now the most recent
    expect(compiled).toBe(3);
    await lookup("id, name"); // a fourth: "name" is dropped, not "id"
    expect(cached.cachedStatements).toBe(3);
    await lookup("id");
    expect(compiled).toBe(4);
    await lookup("name");
    expect(compiled).toBe(5);
    for (let i = 0; i < 50; i += 1) await sql`select ${sql.lit(i)} as n`.execute(reused);
    expect(cached.cachedStatements).toBe(3);
  });
});

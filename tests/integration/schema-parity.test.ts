import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, migrateToLatest, type DB } from "../../db/client";
import { compareSchemaShapes, readSchemaShape, type SchemaShape } from "../../db/schema-shape";
import { createPostgresTestSchema, isPostgresRequired, POSTGRES_SKIP_REASON, postgresTestUrl, type PostgresTestSchema } from "../support/postgres";

// The same migrations must make the same schema on SQLite and on PostgreSQL (issue 14, docs/decisions/0051).
// PostgreSQL comes from TEST_DATABASE_URL (tests/support/postgres.ts): a fresh schema of its own, dropped afterwards.
const url = postgresTestUrl;

describe("schema parity: SQLite and PostgreSQL", () => {
  if (!url && isPostgresRequired) {
    it("has a PostgreSQL to compare with (CI sets REQUIRE_POSTGRES_TESTS=1)", () => {
      expect.fail(POSTGRES_SKIP_REASON);
    });
    return;
  }
  if (!url) {
    console.warn(`schema-parity: skipped. ${POSTGRES_SKIP_REASON}`);
    it.skip(`skipped: ${POSTGRES_SKIP_REASON}`, () => undefined);
    return;
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-parity-"));
  let pgSchema: PostgresTestSchema;
  let postgres: DB;
  let sqlite: DB;
  let sqliteShape: SchemaShape;
  let postgresShape: SchemaShape;

  beforeAll(async () => {
    pgSchema = await createPostgresTestSchema(url, "parity", { migrate: false });
    postgres = pgSchema.db;
    sqlite = createDb(path.join(dir, "parity.db"));
    await migrateToLatest(sqlite);
    await migrateToLatest(postgres);
    sqliteShape = await readSchemaShape(sqlite);
    postgresShape = await readSchemaShape(postgres);
  });

  afterAll(async () => {
    await sqlite?.destroy();
    await pgSchema?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reads a whole schema from each database", () => {
    expect(Object.keys(sqliteShape.tables).length).toBeGreaterThan(50);
    expect(sqliteShape.tables.audit_event?.triggers).toEqual(["audit_event_no_delete", "audit_event_no_update"]);
    expect(postgresShape.tables.audit_event?.columns.id).toEqual({ type: "integer", notNull: true, default: null });
    expect(Object.values(postgresShape.tables).some((t) => Object.values(t.indexes).some((i) => i.partial && i.unique))).toBe(true);
  });

  it("has the same tables, columns, types, nullability, defaults, keys, indexes, unique constraints and triggers", () => {
    expect(compareSchemaShapes(sqliteShape, postgresShape)).toEqual([]);
  });

  it("reports a difference when PostgreSQL's schema drifts", async () => {
    await sql`alter table fund add column parity_extra text`.execute(postgres);
    await sql`drop index submission_created_idx`.execute(postgres);
    await sql`alter table ballot_venue alter column name drop not null`.execute(postgres);
    const differences = compareSchemaShapes(sqliteShape, await readSchemaShape(postgres));
    expect(differences).toEqual([
      expect.stringMatching(/^column ballot_venue\.name: SQLite .*"notNull":true.*PostgreSQL .*"notNull":false/),
      "column fund.parity_extra: only in PostgreSQL",
      "index submission_created_idx on submission: only in SQLite",
    ]);
  });

  it("refuses changes to audit events on PostgreSQL, as SQLite's triggers do", async () => {
    const event = { id: 1, actor: "system", action: "test", entity_type: "test", entity_id: "1", time: "2026-12-02T00:00:00Z", prev_hash: "0", hash: "1" };
    await postgres.insertInto("audit_event").values(event).execute();
    await expect(postgres.updateTable("audit_event").set({ action: "edited" }).where("id", "=", 1).execute()).rejects.toThrow(/append-only/);
    await expect(postgres.deleteFrom("audit_event").where("id", "=", 1).execute()).rejects.toThrow(/append-only/);
  });
});

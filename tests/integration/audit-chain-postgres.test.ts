import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvent, verifyAuditChain } from "~/models/audit.server";
import { inTransaction } from "../../db/client";
import { createPostgresTestSchema, type PostgresTestSchema } from "../support/postgres";
import { postgresUrlOrSkip } from "../support/postgres-skip";

// The audit chain on PostgreSQL (issue 14, docs/decisions/0051): many connections append at once, as several app
// servers would, and the chain stays one gapless chain that `npm run audit:verify` checks through DATABASE_URL.
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PARALLEL = 20;

function auditVerify(databaseUrl: string) {
  const env = { ...process.env, DATABASE_URL: databaseUrl };
  return spawnSync("npm", ["run", "--silent", "audit:verify"], { cwd: ROOT, env, encoding: "utf8", timeout: 90_000 });
}

describe("the audit chain on PostgreSQL", () => {
  const url = postgresUrlOrSkip();
  if (!url) return;
  let pg: PostgresTestSchema;

  beforeAll(async () => {
    pg = await createPostgresTestSchema(url, "audit");
  });
  afterAll(async () => {
    await pg?.drop();
  });

  it(`${PARALLEL} appends in parallel transactions (without the portal's write lock) make one gapless chain`, async () => {
    // Kysely's own transactions, not inTransaction: only appendAuditEvent's advisory lock keeps them apart.
    const results = await Promise.allSettled(
      Array.from({ length: PARALLEL }, (_, i) =>
        pg.db.transaction().execute(async (trx) => {
          const event = await appendAuditEvent(trx, { actor: "system", action: "test.parallel", entityType: "test", entityId: String(i), after: { i } });
          // Hold the transaction open a moment, as a real change would, so the appends truly overlap.
          await sql`select pg_sleep(0.01)`.execute(trx);
          return event.id;
        }),
      ),
    );
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const ids = results.map((r) => (r as PromiseFulfilledResult<number>).value).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: PARALLEL }, (_, i) => i + 1));

    const events = await pg.db.selectFrom("audit_event").select(["id", "entity_id"]).orderBy("id").execute();
    expect(events.map((e) => e.id)).toEqual(ids);
    expect(new Set(events.map((e) => e.entity_id)).size).toBe(PARALLEL);
    expect(await verifyAuditChain(pg.db)).toMatchObject({ ok: true, count: PARALLEL });
  });

  it("appends through inTransaction on several pooled connections at once stay gapless too", async () => {
    await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        inTransaction(pg.db, (trx) => appendAuditEvent(trx, { actor: "system", action: "test.in_transaction", entityType: "test", entityId: `t${i}` })),
      ),
    );
    expect(await verifyAuditChain(pg.db)).toMatchObject({ ok: true, count: 2 * PARALLEL });
  });

  it("npm run audit:verify checks the chain through DATABASE_URL, and names an edited event", async () => {
    const intact = auditVerify(pg.url);
    expect(intact.status, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(new RegExp(`Audit chain intact: ${2 * PARALLEL} events`));

    // The trigger refuses the edit; only someone who can switch it off gets further.
    await expect(sql`update audit_event set action = 'fund.deleted' where id = 4`.execute(pg.db)).rejects.toThrow(/append-only/);
    await sql`alter table audit_event disable trigger audit_event_no_update`.execute(pg.db);
    await sql`update audit_event set action = 'fund.deleted' where id = 4`.execute(pg.db);

    const broken = auditVerify(pg.url);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/BROKEN at event 4\b/);
    expect(broken.stdout).not.toMatch(/intact/);
  }, 120_000);
});

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENESIS_HASH } from "~/domain/audit-chain";
import { appendAuditEvent, verifyAuditChain } from "~/models/audit.server";
import { acceptInvitation, inviteUser, registerApplicant, requestPasswordReset, resetPassword, setUserDisabled, signIn } from "~/services/accounts.server";
import { getDb } from "~/utils/db.server";
import { actorOf, countOf, emailsTo, makeDecisionGroup, makeUser, tokenFromLink } from "../factories";
import { allowAuditEventUpdates, onPostgres, scratchDatabase, sqliteFileEnv } from "../support/database";
import { getRequest } from "../support/http";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

describe("the audit trail in the database", () => {
  it("a series of account actions leaves one event each, in a chain that verifies", async () => {
    const db = getDb();
    const before = await countOf("audit_event");
    const admin = await makeUser({ role: "admin" });
    const group = await makeDecisionGroup();

    const applicantId = await registerApplicant(db, { name: "Ada", email: "ada@example.test", password: "teapot river lantern" });
    await signIn(db, applicantId, getRequest("/login"));
    const { token } = await inviteUser(db, actorOf(admin), { name: "Ray", email: "ray@example.test", role: "adviser", decisionGroupId: group.id });
    const adviserId = await acceptInvitation(db, token, { name: "Ray Adviser", password: "lantern river teapot" });
    await requestPasswordReset(db, "ada@example.test");
    await resetPassword(db, tokenFromLink((await emailsTo("ada@example.test"))[0]!.body_text, "reset-password"), "meadow harbour kite");
    await setUserDisabled(db, actorOf(admin), adviserId, true);
    await setUserDisabled(db, actorOf(admin), adviserId, false);

    const events = await db.selectFrom("audit_event").selectAll().where("id", ">", before).orderBy("id").execute();
    expect(events.map((e) => e.action)).toEqual([
      "user.registered",
      "user.signed_in",
      "invitation.created",
      "user.created",
      "invitation.accepted",
      "membership.started",
      "password_reset.requested",
      "password.reset",
      "user.disabled",
      "user.enabled",
    ]);
    for (let i = 1; i < events.length; i += 1) expect(events[i]!.prev_hash).toBe(events[i - 1]!.hash);
    const status = await verifyAuditChain(db);
    expect(status).toEqual({ ok: true, count: before + events.length, headHash: events.at(-1)!.hash });
  });

  it("writes that race each other still produce an unbroken chain", async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => makeUser()));
    const before = await countOf("audit_event");
    await Promise.all(users.map((u) => requestPasswordReset(getDb(), u.email)));
    expect(await countOf("audit_event")).toBe(before + users.length);
    expect((await verifyAuditChain(getDb())).ok).toBe(true);
  });

  it("the first event links to the genesis hash", async () => {
    await appendAuditEvent(getDb(), { actor: "system", action: "test.event", entityType: "test", entityId: "1" });
    const row = await getDb().selectFrom("audit_event").select("prev_hash").where("id", "=", 1).executeTakeFirstOrThrow();
    expect(row.prev_hash).toBe(GENESIS_HASH);
  });

  it("the database refuses to UPDATE or DELETE an audit event", async () => {
    await makeUser().then((u) => requestPasswordReset(getDb(), u.email));
    const original = await getDb().selectFrom("audit_event").selectAll().orderBy("id").limit(1).executeTakeFirstOrThrow();
    await expect(sql`update audit_event set action = 'user.deleted' where id = ${original.id}`.execute(getDb())).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_event where id = ${original.id}`.execute(getDb())).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_event`.execute(getDb())).rejects.toThrow(/append-only/);
    const after = await getDb().selectFrom("audit_event").selectAll().where("id", "=", original.id).executeTakeFirstOrThrow();
    expect(after).toEqual(original);
    expect((await verifyAuditChain(getDb())).ok).toBe(true);
  });
});

// On the suite's database: a SQLite file, or with INTEGRATION_ON_POSTGRES=1 a PostgreSQL schema of its own.
describe("npm run audit:verify", () => {
  let dir: string;
  let seeded: Awaited<ReturnType<typeof scratchDatabase>>;
  let tampered: Awaited<ReturnType<typeof scratchDatabase>>;

  const run = (command: string, args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync(command, args, {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...env, NODE_ENV: "development", npm_config_loglevel: "error" },
      timeout: 120_000,
    });
  const seed = (env: NodeJS.ProcessEnv) => {
    const result = run("npx", ["tsx", "db/seed.ts"], env);
    expect(result.status, result.stderr).toBe(0);
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-audit-verify-"));
    seeded = await scratchDatabase(path.join(dir, "seeded.db"));
    tampered = await scratchDatabase(path.join(dir, "tampered.db"));
    seed(seeded.env);
    // A second seeded database, to tamper with: a copy of the file on SQLite, seeded again on PostgreSQL.
    if (onPostgres) seed(tampered.env);
    else fs.copyFileSync(path.join(dir, "seeded.db"), path.join(dir, "tampered.db"));
  }, 180_000);

  afterAll(async () => {
    await seeded?.drop();
    await tampered?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("exits 0 on a freshly seeded demo database", () => {
    const result = run("npm", ["run", "--silent", "audit:verify"], seeded.env);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Audit chain intact: \d+ events/);
  }, 120_000);

  it("exits non-zero naming the event whose action was edited", async () => {
    const db = tampered.open();
    try {
      const { n } = await db
        .selectFrom("audit_event")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(n)).toBeGreaterThan(5);
      // The database refuses this UPDATE; only someone with direct access who lifts the rule first gets this far.
      await expect(sql`update audit_event set action = 'fund.deleted' where id = 4`.execute(db)).rejects.toThrow(/append-only/);
      await allowAuditEventUpdates(db);
      expect((await sql`update audit_event set action = 'fund.deleted' where id = 4`.execute(db)).numAffectedRows).toBe(1n);
    } finally {
      await db.destroy();
    }
    const result = run("npm", ["run", "--silent", "audit:verify"], tampered.env);
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    expect(result.stderr).toMatch(/BROKEN at event 4\b/);
    expect(result.stdout).not.toMatch(/intact/);
  }, 120_000);

  it("exits non-zero when there is no database at the SQLite path", () => {
    const result = run("npm", ["run", "--silent", "audit:verify"], sqliteFileEnv(path.join(dir, "missing.db")));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/No database at/);
  }, 120_000);
});

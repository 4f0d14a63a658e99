import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, migrateToLatest, type DB } from "../../db/client";
import { getSessionUser, sessionCookieOf } from "~/auth/session.server";
import { verifyAuditChain } from "~/models/audit.server";
import { newToken, sha256 } from "~/utils/ids.server";
import { sqliteFileEnv } from "../support/database";
import { getRequest } from "../support/http";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The demo database as the release before memberships made it (npm run db:reset on 2026-11-23's schema). */
const FIXTURE = path.join(ROOT, "tests/fixtures/demo-2026-11-23.db");

interface OldUser {
  id: string;
  email: string;
  role: string;
  organisation_id: string | null;
  decision_group_id: string | null;
  constituency: string | null;
  is_chair: number;
  is_name_public: number;
  interests_declared_at: string | null;
}

const TABLES = [
  "user",
  "organisation",
  "fund",
  "decision_group",
  "proposal",
  "proposal_version",
  "score_sheet",
  "score",
  "vote",
  "decision",
  "award",
  "payment",
  "interest_declaration",
];

// The previous release's demo database is a SQLite file (tests/fixtures), so this runs on SQLite on either suite.
describe("the memberships migration on a demo database made by the previous release", () => {
  let dir: string;
  let file: string;
  let db: DB;
  let oldUsers: OldUser[];
  let oldCounts: Record<string, number>;
  let oldChain: { count: number; headHash: string };
  const token = newToken(16);
  const now = new Date();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-migration-"));
    file = path.join(dir, "demo.db");
    fs.copyFileSync(FIXTURE, file);
    // Read as the old schema was, with plain SQL, before migrating.
    db = createDb(file);
    const applied = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows;
    expect(applied.at(-1)?.name).toBe("2026_11_23_1500_add_awards");
    oldUsers = (
      await sql<OldUser>`select id, email, role, organisation_id, decision_group_id, constituency, is_chair, is_name_public, interests_declared_at from "user" order by id`.execute(
        db,
      )
    ).rows;
    oldCounts = {};
    for (const t of TABLES) oldCounts[t] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(db)).rows[0]!.n);
    const head = (await sql<{ id: number; hash: string }>`select id, hash from audit_event order by id desc limit 1`.execute(db)).rows[0]!;
    oldChain = { count: head.id, headHash: head.hash };
    // A session signed in before the upgrade, for the South Bristol chair.
    const chair = oldUsers.find((u) => u.email === "south-resident@demo.example")!;
    await sql`insert into session (id, user_id, created_at, last_seen_at, expires_at) values (${sha256(token)}, ${chair.id}, ${now.toISOString()}, ${now.toISOString()}, ${new Date(now.getTime() + 3_600_000).toISOString()})`.execute(
      db,
    );
    await migrateToLatest(db);
  }, 60_000);

  afterAll(async () => {
    await db?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("gives every user with a role a membership with the same role, scope, constituency, chair, consent and declaration date", async () => {
    const memberships = await db.selectFrom("membership").selectAll().execute();
    expect(memberships).toHaveLength(oldUsers.length);
    for (const user of oldUsers) {
      const mine = memberships.filter((m) => m.user_id === user.id);
      expect(mine, user.email).toHaveLength(1);
      expect(mine[0], user.email).toMatchObject({
        role: user.role,
        organisation_id: user.organisation_id,
        decision_group_id: user.decision_group_id,
        constituency: user.constituency,
        is_chair: user.is_chair,
        is_name_public: user.is_name_public,
        interests_declared_at: user.interests_declared_at,
        ended_at: null,
      });
    }
  });

  it("keeps every row, and moves each interest declaration onto its member's panel membership", async () => {
    for (const table of TABLES) {
      const { n } = await db
        .selectFrom(table as "user")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(n), table).toBe(oldCounts[table]);
    }
    const declarations = await db
      .selectFrom("interest_declaration as d")
      .leftJoin("membership as m", "m.id", "d.membership_id")
      .select(["d.id", "m.user_id", "d.user_id as declarer", "m.role"])
      .execute();
    expect(declarations.length).toBeGreaterThan(0);
    for (const d of declarations) expect(d).toMatchObject({ user_id: d.declarer, role: "panel_member" });
  });

  it("leaves the audit chain intact: the same events verify, with the migration adding none", async () => {
    // The later personal-data migration (2026_12_01_1500, decision record 0022) seals personal values in the old
    // events and re-chains them; its one event anchors the old head hash, which is the memberships migration's too.
    const status = await verifyAuditChain(db);
    expect(status).toMatchObject({ ok: true, count: oldChain.count + 1 });
    const anchor = await db
      .selectFrom("audit_event")
      .selectAll()
      .where("id", "=", oldChain.count + 1)
      .executeTakeFirstOrThrow();
    expect(anchor.action).toBe("audit.personal_data_separated");
    expect(JSON.parse(anchor.before!)).toEqual({ head_hash: oldChain.headHash, event_count: oldChain.count });
    expect(status.ok && status.headHash).toBe(anchor.hash);
  });

  it("npm run audit:verify exits 0 on the migrated database", () => {
    const result = spawnSync("npm", ["run", "--silent", "audit:verify"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...sqliteFileEnv(file), NODE_ENV: "development", npm_config_loglevel: "error" },
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Audit chain intact: ${oldChain.count + 1} events.`);
  }, 120_000);

  it("keeps a session started before the upgrade signed in, acting as the chair it was", async () => {
    const cookie = (await sessionCookieOf().serialize(token)).split(";")[0]!;
    const user = await getSessionUser(db, getRequest("/panel", { cookie }), now);
    expect(user).toMatchObject({ email: "south-resident@demo.example", role: "panel_member", isChair: true });
    expect(user!.hat?.decisionGroupName).toBe("South Bristol");
  });
});

import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import url from "node:url";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Manifest } from "../../db/backups";
import { createDb, inTransaction } from "../../db/client";
import { appendAuditEvent } from "~/models/audit.server";
import { addAttachment } from "~/services/attachments.server";
import { getDb } from "~/utils/db.server";
import { actorOf, makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { onPostgres } from "../support/database";

// Backups are taken and restored by the real commands (npm run db:backup, db:restore, audit:verify),
// as child processes, while a second process keeps writing through a real service.

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..", "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "portal-backups-"));
const uploads = path.join(work, "uploads");
process.env.UPLOADS_DIR = uploads;
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const PDF = (n: number) => new TextEncoder().encode(`%PDF-1.7\n% quote ${n} ${"x".repeat(n * 1000)}\n%%EOF`);
const sha256 = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command in the repository with extra environment, and waits for it. */
function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** One of the db/ scripts, run by node directly (what npm run does, without npm's start-up time). */
const script = (name: "backup" | "restore", args: string[], env: Record<string, string>) =>
  run(process.execPath, ["--import", "tsx", `db/${name}.ts`, ...args], env);

const auditCount = (file: string) => {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("select count(*) from audit_event").pluck().get() as number;
  } finally {
    db.close();
  }
};

let live: string;
let storedFiles: { name: string; sha256: string }[];
let writerEnv: Record<string, string>;

beforeAll(async () => {
  live = process.env.DATABASE_PATH!;
  const lead = await makeOrganisation({ kind: "lead_org" });
  const group = await makeDecisionGroup({ leadOrganisationId: lead.id });
  const org = await makeOrganisation();
  const user = await makeUser({ organisationId: org.id });
  const actor = actorOf(user);
  const withFiles = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, isEmpty: true });
  for (let n = 1; n <= 3; n++) await addAttachment(getDb(), actor, withFiles.id, { name: `quote-${n}.pdf`, bytes: PDF(n) });
  const rows = await getDb().selectFrom("attachment").select("stored_name").where("proposal_id", "=", withFiles.id).execute();
  storedFiles = rows.map((r) => ({ name: r.stored_name, sha256: sha256(path.join(uploads, r.stored_name)) }));
  const drafts = [];
  for (let n = 0; n < 4; n++) drafts.push(await makeProposal({ decisionGroupId: group.id, organisationId: org.id, isEmpty: true }));
  writerEnv = { DATABASE_PATH: live, WRITE_LOAD_ACTOR: JSON.stringify(actor), WRITE_LOAD_PROPOSALS: drafts.map((d) => d.id).join(",") };
});

// npm run db:backup and db:restore copy the SQLite file (its online backup API); a PostgreSQL portal is backed up
// with PostgreSQL's own tools (README), so on PostgreSQL there is nothing of the portal's here to test.
describe.skipIf(onPostgres)("backups that restore", () => {
  it("a backup taken while another process writes restores to a new place, passes integrity_check and audit:verify, and has every upload", async () => {
    // The write load: a second process saving drafts through the real service, as fast as it can.
    // Node itself, not npx, so that SIGTERM reaches it.
    const writer = spawn(process.execPath, ["--import", "tsx", "tests/support/write-load.ts"], {
      cwd: root,
      env: { ...process.env, ...writerEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let writerOut = "";
    writer.stdout.on("data", (c) => (writerOut += c));
    writer.stderr.on("data", (c) => (writerOut += c));
    const writes = () => Number(/wrote (\d+)\s*$/.exec(writerOut)?.[1] ?? 0);
    const exited = new Promise<number | null>((resolve) => writer.on("close", resolve));
    try {
      const deadline = Date.now() + 60_000;
      while (writes() < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(writes(), writerOut).toBeGreaterThanOrEqual(20);
      const writesBefore = writes();

      const backup = await run("npm", ["run", "--silent", "db:backup", "--", "--to", path.join(work, "backups")], {
        DATABASE_PATH: live,
        UPLOADS_DIR: uploads,
      });
      expect(backup.code, backup.stderr + backup.stdout).toBe(0);
      const writesAfter = writes();
      console.log(`backup: ${backup.stdout.trim()} (writes before ${writesBefore}, after ${writesAfter})`);
      // The writer carried on while the backup ran (the copy is one read transaction, and WAL lets writers go on).
      expect(writesAfter).toBeGreaterThan(writesBefore);

      const [name] = fs.readdirSync(path.join(work, "backups"));
      const backupDir = path.join(work, "backups", name!);
      expect(name).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/);
      expect(fs.readdirSync(backupDir).sort()).toEqual(["manifest.json", "portal.db", "uploads"]);
      const manifest = JSON.parse(fs.readFileSync(path.join(backupDir, "manifest.json"), "utf8")) as Manifest;
      expect(manifest.database.integrityCheck).toBe("ok");
      expect(manifest.database.sha256).toBe(sha256(path.join(backupDir, "portal.db")));
      expect(manifest.uploads.map((u) => ({ name: u.path, sha256: u.sha256 }))).toEqual(expect.arrayContaining(storedFiles));

      // Let the writer go on a little longer, then stop it: the live database has moved on past the backup.
      while (writes() < writesAfter + 5 && writer.exitCode === null && Date.now() < deadline + 60_000) await new Promise((r) => setTimeout(r, 50));
      writer.kill("SIGTERM");
      expect(await exited, writerOut).toBe(0);
      expect(auditCount(live)).toBeGreaterThan(manifest.audit.count);

      const restoredDb = path.join(work, "restored", "portal.db");
      const restoredUploads = path.join(work, "restored", "uploads");
      const restore = await run("npm", ["run", "--silent", "db:restore", "--", backupDir], { DATABASE_PATH: restoredDb, UPLOADS_DIR: restoredUploads });
      expect(restore.code, restore.stderr + restore.stdout).toBe(0);

      const restored = new SQLite(restoredDb, { readonly: true, fileMustExist: true });
      try {
        expect(restored.pragma("integrity_check", { simple: true })).toBe("ok");
        expect(restored.prepare("select count(*) from audit_event").pluck().get()).toBe(manifest.audit.count);
        // Every draft save the backup holds is whole: each has its audit event.
        const saves = restored.prepare("select count(*) from audit_event where action = 'proposal.draft_saved'").pluck().get() as number;
        expect(saves).toBeGreaterThanOrEqual(writesBefore);
      } finally {
        restored.close();
      }
      const verify = await run("npm", ["run", "--silent", "audit:verify"], { DATABASE_PATH: restoredDb });
      expect(verify.code, verify.stderr + verify.stdout).toBe(0);
      expect(verify.stdout).toContain(`Audit chain intact: ${manifest.audit.count} events`);
      for (const file of storedFiles) expect(sha256(path.join(restoredUploads, file.name))).toBe(file.sha256);
    } finally {
      if (writer.exitCode === null) writer.kill("SIGKILL");
    }
  }, 180_000);

  it("restore checks the backup before it replaces anything, refuses an open database, an existing one without --force and a damaged backup, and names people erased since the backup", async () => {
    const backup = await script("backup", [], { DATABASE_PATH: live, UPLOADS_DIR: uploads, BACKUP_DIR: path.join(work, "more") });
    expect(backup.code, backup.stderr).toBe(0);
    const backupDir = path.join(work, "more", fs.readdirSync(path.join(work, "more"))[0]!);
    const env = (target: string) => ({ DATABASE_PATH: target, UPLOADS_DIR: path.join(path.dirname(target), "uploads") });

    // This test process has the live database open, as a running portal would.
    const whileOpen = await script("restore", [backupDir, "--force"], { DATABASE_PATH: live, UPLOADS_DIR: uploads });
    expect(whileOpen.code).toBe(1);
    expect(whileOpen.stderr).toContain("is open in another process: stop the portal first");

    const target = path.join(work, "second", "portal.db");
    expect((await script("restore", [backupDir], env(target))).code).toBe(0);
    const before = sha256(target);
    const again = await script("restore", [backupDir], env(target));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists. Add --force to replace it");

    // A backup whose audit chain was altered, with the manifest's checksum made to match: the chain check catches it.
    const tampered = path.join(work, "tampered");
    fs.cpSync(backupDir, tampered, { recursive: true });
    const copy = new SQLite(path.join(tampered, "portal.db"));
    copy.exec("drop trigger audit_event_no_update");
    copy.prepare("update audit_event set action = 'proposal.deleted' where id = (select max(id) from audit_event)").run();
    copy.close();
    const manifestFile = path.join(tampered, "manifest.json");
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as Manifest;
    manifest.database.sha256 = sha256(path.join(tampered, "portal.db"));
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const broken = await script("restore", [tampered, "--force"], env(target));
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("Restore refused: The backup's audit chain is broken");

    // A damaged file: the manifest's sha256 no longer matches.
    fs.appendFileSync(path.join(tampered, "portal.db"), "x");
    const damaged = await script("restore", [tampered, "--force"], env(target));
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toContain("portal.db does not match its sha256 in the manifest");

    // Nothing was replaced by the refusals, and no temporary file was left behind.
    expect(sha256(target)).toBe(before);
    expect(fs.readdirSync(path.dirname(target)).sort()).toEqual(["portal.db", "uploads"]);

    // Someone is erased in the restored database after the backup was made (decision 0022)…
    const later = createDb(target);
    await inTransaction(later, (trx) =>
      appendAuditEvent(trx, { actor: "admin", action: "person.erased", entityType: "user", entityId: "erased-person-id", after: { reason: "asked" } }),
    );
    await later.destroy();

    // …so restoring the backup over it with --force replaces it, keeps what it replaced, and names them to erase again.
    const forced = await script("restore", [backupDir, "--force"], env(target));
    expect(forced.code, forced.stderr).toBe(0);
    expect(fs.readdirSync(path.dirname(target)).filter((f) => f.includes("before-restore"))).toHaveLength(2);
    expect(forced.stdout).toContain(
      "WARNING: 1 people were erased after this backup was made, so their personal data is back. Erase them again (Admin, People): erased-person-id",
    );

    // A damaged database, the usual reason to restore, is replaced too (and kept as it was).
    fs.writeFileSync(target, crypto.randomBytes(65536));
    const overDamaged = await script("restore", [backupDir, "--force"], env(target));
    expect(overDamaged.code, overDamaged.stderr).toBe(0);
    const replaced = new SQLite(target, { readonly: true });
    expect(replaced.pragma("integrity_check", { simple: true })).toBe("ok");
    replaced.close();
  }, 120_000);
});

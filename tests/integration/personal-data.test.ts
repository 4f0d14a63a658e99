import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, migrateToLatest, type DB } from "../../db/client";
import { ERASED_NAME, ERASED_VALUE, erasedEmailFor } from "~/domain/personal-data";
import { RETENTION } from "~/domain/retention";
import { listAuditEvents, verifyAuditChain } from "~/models/audit.server";
import { action as personAction, loader as personLoader } from "~/routes/admin.people.$userId";
import { loader as exportLoader } from "~/routes/admin.people.$userId.export[.]json";
import { action as loginAction } from "~/routes/login";
import { acceptInvitation, inviteUser, requestPasswordReset } from "~/services/accounts.server";
import { createGroupProfile } from "~/services/organisations.server";
import { requestToJoinGroup } from "~/services/group-membership.server";
import { declareInterests } from "~/services/interests.server";
import { erasePerson, purgeExpiredPersonalData } from "~/services/personal-data.server";
import { getDb } from "~/utils/db.server";
import { newId, sha256 } from "~/utils/ids.server";
import { actorOf, makeDecisionGroup, makeOrganisation, makeUser } from "../factories";
import { allowAuditEventUpdates, mentionsIn, sqliteFileEnv } from "../support/database";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FIXTURE = path.join(ROOT, "tests/fixtures/demo-2026-11-23.db");
const DAY = 24 * 60 * 60 * 1000;

const NAME = "Perpetua Quillfeather";
const EMAIL = "perpetua.quillfeather@example.test";
const PASSWORD = "lantern meadow harbour kite";

/** npm run audit:verify's script, on the portal's database (this test file's SQLite file or PostgreSQL schema) unless `env` names another. */
function runAuditVerify(env: NodeJS.ProcessEnv = process.env) {
  return spawnSync("npx", ["tsx", "db/audit-verify.ts"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...env, NODE_ENV: "development" },
    timeout: 120_000,
  });
}

/** The person, with a record in most places personal data can be: invitation, account, group profile, interests, join request, emails, a session. */
async function makePerson(db: DB, who: { name: string; email: string; suffix: string } = { name: NAME, email: EMAIL, suffix: "" }) {
  const { name, email, suffix } = who;
  const admin = await makeUser({ role: "admin" });
  const group = await makeDecisionGroup();
  const { token } = await inviteUser(db, actorOf(admin), { name, email, role: "panel_member", constituency: "resident", decisionGroupId: group.id });
  const personId = await acceptInvitation(db, token, { name, password: PASSWORD });
  const membership = await db.selectFrom("membership").select("id").where("user_id", "=", personId).executeTakeFirstOrThrow();
  const asPanel = { id: personId, role: "panel_member" as const, organisationId: null, decisionGroupId: group.id, membershipId: membership.id };
  const watched = await makeOrganisation({ name: `Quill Lane Allotments${suffix}` });
  await declareInterests(db, asPanel, {
    organisationId: watched.id,
    relationship: "family",
    isPecuniary: false,
    details: `My brother chairs it; ask ${name} at ${email}`,
  });
  const asNobody = { id: personId, role: null, organisationId: null, decisionGroupId: null };
  const groupId = await createGroupProfile(
    db,
    asNobody,
    {
      name: `Feather Street Residents${suffix}`,
      orgType: "unincorporated",
      registrationNumber: null,
      address: "12 Feather Street, Bristol",
      postcode: "BS5 6AA",
      contactName: name,
      contactEmail: email,
      contactPhone: "0117 496 0000",
    } as never,
    null,
  );
  const other = await makeOrganisation({ name: `Kingfisher Hall${suffix}` });
  await makeUser({ organisationId: other.id, name: "Hall Keeper" });
  await requestToJoinGroup(db, asNobody, other.id, { nameGiven: "", message: `Hello, it is ${name} from Feather Street` });
  await requestPasswordReset(db, email);
  await sessionCookieFor(personId);
  return { admin, personId, groupId, email, name };
}

describe("personal data in the audit trail", () => {
  it("never holds a person's name or email in plain text, and shows them decrypted on the Audit trail page", async () => {
    const db = getDb();
    const { email, name } = await makePerson(db, { name: "Ottoline Brackenbury", email: "ottoline.b@example.test", suffix: "-sealed" });
    const inPlainText = await mentionsIn(db, [name, email]);
    // The live tables hold them, as they must; the hashed trail does not.
    expect(inPlainText).toEqual(expect.arrayContaining(["user.name", "user.email", "interest_declaration.details", "organisation.contact_email"]));
    expect(inPlainText.filter((where) => where.startsWith("audit_event."))).toEqual([]);
    const { rows } = await listAuditEvents(db, { action: "user.created" }, 1, 500);
    expect(rows.map((r) => JSON.parse(r.after!))).toContainEqual(expect.objectContaining({ name, email }));
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});

describe("a subject access export", () => {
  it("holds the person's records and audit events, decrypted, and nobody else's; the export is audited", async () => {
    const db = getDb();
    const { admin, personId, groupId, email, name } = await makePerson(db, { name: "Cassius Wrenfield", email: "cassius.w@example.test", suffix: "-sar" });
    const bystander = await makeUser({ name: "Bartholomew Bystander", email: "bart.bystander@example.test" });
    const response = await runLoader(exportLoader, getRequest(`/admin/people/${personId}/export.json`, { cookie: await sessionCookieFor(admin.id) }), {
      userId: personId,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="personal-data-/);
    const text = await response.text();
    const data = JSON.parse(text);
    expect(data.person).toMatchObject({ id: personId, name, email });
    expect(data.person).not.toHaveProperty("password_hash");
    expect(text).not.toContain("scrypt$");
    expect(data.records.membership.map((m: { role: string }) => m.role).sort()).toEqual(["applicant", "panel_member"]);
    expect(data.records.interest_declaration[0].details).toContain("My brother chairs it");
    expect(data.records.session).toHaveLength(1);
    expect(data.records.email_outbox.length).toBeGreaterThanOrEqual(2);
    expect(data.records.join_request).toHaveLength(1);
    expect(data.records.invitation[0]).toMatchObject({ email, token_hash: "(withheld: a security secret)" });
    expect(data.organisations.map((o: { id: string }) => o.id)).toContain(groupId);
    const actions = data.audit_events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["user.created", "interest.declared", "organisation.created", "join_request.created"]));
    expect(data.audit_events.find((e: { action: string }) => e.action === "user.created").after).toMatchObject({ name, email });
    // Nobody else's data.
    expect(text).not.toContain(bystander.email);
    expect(text).not.toContain("Bartholomew");
    expect(text).not.toContain(admin.email);

    const [event] = await db.selectFrom("audit_event").selectAll().where("action", "=", "person.data_exported").where("entity_id", "=", personId).execute();
    expect(event).toMatchObject({ actor: admin.id, entity_type: "user" });
  });

  it("is 404 for someone who does not exist", async () => {
    const admin = await makeUser({ role: "admin" });
    const response = await runLoader(exportLoader, getRequest("/admin/people/nobody/export.json", { cookie: await sessionCookieFor(admin.id) }), {
      userId: "nobody",
    });
    expect(response.status).toBe(404);
  });
});

describe("erasing a person", () => {
  let db: DB;
  let person: Awaited<ReturnType<typeof makePerson>>;
  let cookie: string;

  beforeAll(async () => {
    db = getDb();
    person = await makePerson(db);
    cookie = await sessionCookieFor(person.admin.id);
  });

  it("needs a reason and the box ticked: 400 with both messages, and nothing changes", async () => {
    const response = await runAction(personAction, await postForm(`/admin/people/${person.personId}`, { reason: " " }, { cookie }), {
      userId: person.personId,
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(Object.keys(body.errors).sort()).toEqual(["confirm", "reason"]);
    expect(body.errors.confirm).toBe("Tick the box to confirm that erasure cannot be undone");
    const user = await db.selectFrom("user").select(["name", "erased_at"]).where("id", "=", person.personId).executeTakeFirstOrThrow();
    expect(user).toEqual({ name: NAME, erased_at: null });
  });

  it("leaves their name and email nowhere in the database, keeps decisions and records, and the chain verifies", async () => {
    expect((await mentionsIn(db, [NAME, EMAIL])).length).toBeGreaterThan(5);
    const declarationsBefore = await db
      .selectFrom("interest_declaration")
      .select(["id", "organisation_id", "relationship"])
      .where("user_id", "=", person.personId)
      .execute();

    const response = await runAction(
      personAction,
      await postForm(`/admin/people/${person.personId}`, { reason: "Subject request SR-2026-17", confirm: "yes" }, { cookie }),
      { userId: person.personId },
    );
    expect(response.status).toBe(200);
    expect((await response.json()).done).toMatch(/has been erased/);

    expect(await mentionsIn(db, [NAME, EMAIL])).toEqual([]);
    // Not even parts of them: the surname and the address's local part.
    expect(await mentionsIn(db, ["Quillfeather"])).toEqual([]);

    const user = await db.selectFrom("user").selectAll().where("id", "=", person.personId).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ name: ERASED_NAME, email: erasedEmailFor(person.personId), password_hash: "erased" });
    expect(user.erased_at).not.toBeNull();
    expect(user.disabled_at).not.toBeNull();
    for (const table of ["session", "password_reset"] as const) {
      expect(await db.selectFrom(table).select("id").where("user_id", "=", person.personId).execute()).toEqual([]);
    }
    // The declaration stays (it explains a recusal); its free text does not.
    const declarations = await db
      .selectFrom("interest_declaration")
      .select(["id", "organisation_id", "relationship", "details"])
      .where("user_id", "=", person.personId)
      .execute();
    expect(declarations).toEqual(declarationsBefore.map((d) => ({ ...d, details: "" })));
    expect(await db.selectFrom("membership").select("id").where("user_id", "=", person.personId).execute()).toHaveLength(2);

    const status = await verifyAuditChain(db);
    expect(status.ok).toBe(true);
    const verify = runAuditVerify();
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stdout).toContain(`Audit chain intact: ${status.count} events`);

    // The Audit trail page shows "(erased)" where their values were.
    const { rows } = await listAuditEvents(db, { entityType: "user", entityId: person.personId }, 1, 50);
    const created = rows.find((r) => r.action === "user.created")!;
    expect(JSON.parse(created.after!)).toMatchObject({ name: ERASED_VALUE, email: ERASED_VALUE, id: person.personId });
    const erased = rows.find((r) => r.action === "person.erased")!;
    expect(erased.actor).toBe(person.admin.id);
    expect(JSON.parse(erased.after!)).toMatchObject({ reason: "Subject request SR-2026-17", audit_mentions_left: 0 });
  }, 180_000);

  it("they can no longer sign in, with the old email or the placeholder", async () => {
    for (const email of [EMAIL, erasedEmailFor(person.personId)]) {
      const response = await runAction(loginAction, await postForm("/login", { email, password: PASSWORD }));
      expect(response.status, email).not.toBe(302);
      expect(response.headers.get("Set-Cookie") ?? "").not.toMatch(/session=/);
    }
  });

  it("cannot be done twice, nor to oneself", async () => {
    await expect(erasePerson(db, actorOf({ ...person.admin, role: "admin" }), person.personId, "again")).rejects.toThrow(/already been erased/);
    await expect(erasePerson(db, actorOf({ ...person.admin, role: "admin" }), person.admin.id, "me")).rejects.toThrow(/your own account/);
  });

  it("the person's page says they were erased and no longer offers erasure", async () => {
    const response = await runLoader(personLoader, getRequest(`/admin/people/${person.personId}`, { cookie }), { userId: person.personId });
    expect(response.status).toBe(200);
    expect((await response.json()).person).toMatchObject({ name: ERASED_NAME });
  });
});

describe("retention: purgeExpiredPersonalData and npm run db:purge", () => {
  it("deletes only what is past its retention period", async () => {
    const db = getDb();
    const now = new Date("2027-06-01T12:00:00.000Z");
    const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
    const user = await makeUser();
    const admin = await makeUser({ role: "admin" });
    const tag = newId();
    const session = (id: string, expires: string) =>
      db
        .insertInto("session")
        .values({ id: sha256(`${tag}${id}`), user_id: user.id, created_at: ago(30 * DAY), last_seen_at: ago(2 * DAY), expires_at: expires });
    await session("old", ago(RETENTION.sessionAfterExpiry + 60_000)).execute();
    await session("recent", ago(RETENTION.sessionAfterExpiry - 60_000)).execute();
    await session("live", new Date(now.getTime() + DAY).toISOString()).execute();
    const attempt = (id: string, at: string) => db.insertInto("login_attempt").values({ id: `${tag}${id}`, email: `${tag}@example.test`, at, is_success: 0 });
    await attempt("old", ago(RETENTION.loginAttempt + 60_000)).execute();
    await attempt("recent", ago(RETENTION.loginAttempt - 60_000)).execute();
    const reset = (id: string, values: { expires_at: string; used_at: string | null }) =>
      db.insertInto("password_reset").values({ id: `${tag}${id}`, token_hash: sha256(`${tag}${id}`), user_id: user.id, created_at: ago(40 * DAY), ...values });
    await reset("used-long-ago", { expires_at: ago(-DAY), used_at: ago(RETENTION.passwordResetAfterEnd + 60_000) }).execute();
    await reset("expired-long-ago", { expires_at: ago(RETENTION.passwordResetAfterEnd + 60_000), used_at: null }).execute();
    await reset("used-recently", { expires_at: ago(-DAY), used_at: ago(DAY) }).execute();
    await reset("unused", { expires_at: new Date(now.getTime() + 3_600_000).toISOString(), used_at: null }).execute();
    const invitation = (id: string, expires: string, accepted: string | null) =>
      db.insertInto("invitation").values({
        id: `${tag}${id}`,
        token_hash: sha256(`${tag}inv${id}`),
        email: `${tag}-${id}@example.test`,
        name: "Invitee",
        role: "adviser",
        constituency: null,
        decision_group_id: null,
        organisation_id: null,
        invited_by: admin.id,
        created_at: ago(200 * DAY),
        expires_at: expires,
        accepted_at: accepted,
      });
    await invitation("expired-long-ago", ago(RETENTION.invitationAfterExpiry + 60_000), null).execute();
    await invitation("expired-recently", ago(DAY), null).execute();
    await invitation("accepted-long-ago", ago(RETENTION.invitationAfterExpiry + 60_000), ago(199 * DAY)).execute();
    const email = (id: string, sent: string | null) =>
      db
        .insertInto("email_outbox")
        .values({ id: `${tag}${id}`, to_address: `${tag}@example.test`, subject: "s", body_text: "b", created_at: ago(60 * DAY), sent_at: sent });
    await email("sent-long-ago", ago(RETENTION.deliveredEmail + 60_000)).execute();
    await email("sent-recently", ago(DAY)).execute();
    await email("never-sent", null).execute();
    const submission = (id: string, at: string) =>
      db.insertInto("submission").values({ user_id: user.id, submission_key: `${tag}${id}`, fingerprint: "f", result: null, created_at: at });
    await submission("old", ago(RETENTION.submissionKey + 60_000)).execute();
    await submission("recent", ago(RETENTION.submissionKey - 60_000)).execute();
    const registration = (id: string, values: { expires_at: string; used_at: string | null }) =>
      db.insertInto("registration_request").values({
        id: `${tag}${id}`,
        token_hash: sha256(`${tag}reg${id}`),
        email: `${tag}-${id}@example.test`,
        name: "Registrant",
        password_hash: "x",
        created_at: ago(40 * DAY),
        ...values,
      });
    await registration("expired-long-ago", { expires_at: ago(RETENTION.registrationAfterEnd + 60_000), used_at: null }).execute();
    await registration("used-recently", { expires_at: ago(-DAY), used_at: ago(DAY) }).execute();
    await registration("waiting", { expires_at: new Date(now.getTime() + 3_600_000).toISOString(), used_at: null }).execute();
    const pending = (id: string, expires: string) =>
      db.insertInto("pending_sign_in").values({ id: `${tag}${id}`, user_id: user.id, redirect_to: null, created_at: ago(DAY), expires_at: expires });
    await pending("expired", ago(60_000)).execute();
    await pending("live", new Date(now.getTime() + 60_000).toISOString()).execute();

    const eventsBefore = (await verifyAuditChain(db)).count;
    const result = await purgeExpiredPersonalData(db, now);
    expect(result.sessions).toBeGreaterThanOrEqual(1);

    const sessions = await db.selectFrom("session").select("id").where("user_id", "=", user.id).execute();
    expect(sessions.map((s) => s.id).sort()).toEqual([sha256(`${tag}recent`), sha256(`${tag}live`)].sort());
    const left = async (table: "login_attempt" | "password_reset" | "invitation" | "email_outbox" | "registration_request" | "pending_sign_in") =>
      (await db.selectFrom(table).select("id").where("id", "like", `${tag}%`).execute()).map((r) => r.id.slice(tag.length)).sort();
    expect(await left("login_attempt")).toEqual(["recent"]);
    expect(await left("password_reset")).toEqual(["unused", "used-recently"]);
    expect(await left("invitation")).toEqual(["accepted-long-ago", "expired-recently"]);
    expect(await left("email_outbox")).toEqual(["never-sent", "sent-recently"]);
    expect(await left("registration_request")).toEqual(["used-recently", "waiting"]);
    expect(await left("pending_sign_in")).toEqual(["live"]);
    const keys = await db.selectFrom("submission").select("submission_key").where("submission_key", "like", `${tag}%`).execute();
    expect(keys.map((k) => k.submission_key.slice(tag.length))).toEqual(["recent"]);

    const status = await verifyAuditChain(db);
    expect(status).toMatchObject({ ok: true, count: eventsBefore + 1 });
    const [event] = await db.selectFrom("audit_event").selectAll().where("action", "=", "retention.purged").orderBy("id", "desc").limit(1).execute();
    expect(JSON.parse(event!.after!)).toEqual(result);
    // A second purge at the same moment finds nothing and writes no event.
    expect(Object.values(await purgeExpiredPersonalData(db, now)).filter((n) => n !== 0)).toEqual([]);
    expect((await verifyAuditChain(db)).count).toBe(eventsBefore + 1);
  });

  it("npm run db:purge runs against the portal's database", () => {
    const result = spawnSync("npm", ["run", "--silent", "db:purge"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NODE_ENV: "development", npm_config_loglevel: "error" },
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Purged \d+ sessions, \d+ sign-in attempts/);
  }, 120_000);
});

// The earlier release's demo database is a SQLite file (tests/fixtures), so this runs on SQLite on either suite.
describe("the 2026_12_01_1500 migration on a demo database made by an earlier release", () => {
  let dir: string;
  let file: string;
  let db: DB;
  let oldHead: { id: number; hash: string };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-personal-data-"));
    file = path.join(dir, "demo.db");
    fs.copyFileSync(FIXTURE, file);
    db = createDb(file);
    oldHead = await db.selectFrom("audit_event").select(["id", "hash"]).orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
    // The old chain held personal data in its hashed JSON.
    expect((await mentionsIn(db, ["resident@demo.example"])).filter((w) => w.startsWith("audit_event."))).not.toEqual([]);
    await migrateToLatest(db);
  }, 120_000);

  afterAll(async () => {
    await db?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("seals the old events' personal values, re-chains them, and anchors the old head hash in a last event", async () => {
    const status = await verifyAuditChain(db);
    expect(status).toMatchObject({ ok: true, count: oldHead.id + 1 });
    const anchor = await db
      .selectFrom("audit_event")
      .selectAll()
      .where("id", "=", oldHead.id + 1)
      .executeTakeFirstOrThrow();
    expect(anchor).toMatchObject({ actor: "system", action: "audit.personal_data_separated" });
    expect(JSON.parse(anchor.before!)).toEqual({ head_hash: oldHead.hash, event_count: oldHead.id });
    expect(JSON.parse(anchor.after!)).toMatchObject({ head_hash: anchor.prev_hash, event_count: oldHead.id });
    expect(JSON.parse(anchor.after!).sealed_values).toBeGreaterThan(10);
    expect((await mentionsIn(db, ["@demo.example"])).filter((w) => w.startsWith("audit_event."))).toEqual([]);
    // Still readable through the app.
    const { rows } = await listAuditEvents(db, { action: "user.seeded" }, 1, 100);
    expect(rows.map((r) => JSON.parse(r.after!).email)).toContain("resident@demo.example");
  });

  it("after erasing a demo panel member, they appear nowhere and npm run audit:verify exits 0", async () => {
    const resident = await db.selectFrom("user").select(["id", "name", "email"]).where("email", "=", "resident@demo.example").executeTakeFirstOrThrow();
    const admin = await db.selectFrom("user").select("id").where("email", "=", "admin@demo.example").executeTakeFirstOrThrow();
    const result = await erasePerson(db, { id: admin.id, role: "admin", organisationId: null, decisionGroupId: null }, resident.id, "Demo erasure");
    expect(result.keysDestroyed).toBeGreaterThanOrEqual(1);
    expect(await mentionsIn(db, [resident.name, resident.email])).toEqual([]);
    expect((await verifyAuditChain(db)).ok).toBe(true);
    const verify = runAuditVerify(sqliteFileEnv(file));
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/Audit chain intact/);
  }, 180_000);

  it("refuses to convert a chain that is already broken, so tampering is never re-hashed clean", async () => {
    const broken = path.join(dir, "broken.db");
    fs.copyFileSync(FIXTURE, broken);
    const brokenDb = createDb(broken);
    try {
      await allowAuditEventUpdates(brokenDb);
      await sql`update audit_event set action = 'fund.deleted' where id = 4`.execute(brokenDb);
      await expect(migrateToLatest(brokenDb)).rejects.toThrow(/broken at event 4/);
    } finally {
      await brokenDb.destroy();
    }
  }, 120_000);
});

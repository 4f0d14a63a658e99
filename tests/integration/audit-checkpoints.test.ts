import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvent, verifyAuditEventsAfter } from "~/models/audit.server";
import { loader as adminHomeLoader } from "~/routes/admin._index";
import { loader as auditLoader } from "~/routes/admin.audit";
import { verifyWholeAuditChain } from "~/services/audit-checks.server";
import { getDb } from "~/utils/db.server";
import { countOf, makeUser } from "../factories";
import { allowAuditEventUpdates } from "../support/database";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

// Issue 11, item 3: /admin and /admin/audit re-verified the whole audit chain on
// every load. They now check only the events after the last checkpoint; the
// whole chain is checked in the background and by npm run audit:verify.

interface PageCheck {
  chain: { ok: boolean; count: number; brokenAtId?: number };
  eventsChecked: number;
  lastFull: { isOk: boolean; count: number } | null;
}

let cookie: string;
beforeAll(async () => {
  const admin = await makeUser({ role: "admin" });
  cookie = await sessionCookieFor(admin.id);
  // Tests below change past events on purpose, as someone with direct access to the database could.
  await allowAuditEventUpdates(getDb());
});

async function adminHomeCheck(): Promise<PageCheck> {
  const response = await runLoader(adminHomeLoader, getRequest("/admin", { cookie }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { chain: PageCheck }).chain;
}

async function auditPageCheck(): Promise<PageCheck> {
  const response = await runLoader(auditLoader, getRequest("/admin/audit", { cookie }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { chain: PageCheck }).chain;
}

const addEvents = async (n: number) => {
  for (let i = 0; i < n; i += 1) await appendAuditEvent(getDb(), { actor: "system", action: "test.checkpoint", entityType: "test", entityId: String(i) });
};

/** Changes one past event's actor, and puts it back. */
const tamper = (id: number) => sql`update audit_event set actor = actor || '!' where id = ${id}`.execute(getDb());
const untamper = (id: number) => sql`update audit_event set actor = substr(actor, 1, length(actor) - 1) where id = ${id}`.execute(getDb());

describe("the admin pages check the audit chain from the last checkpoint", () => {
  it("reads only the events written since the last check, and moves the checkpoint on", async () => {
    await addEvents(5);
    const first = await adminHomeCheck();
    const total = await countOf("audit_event");
    expect(first.chain).toMatchObject({ ok: true, count: total });

    expect((await adminHomeCheck()).eventsChecked).toBe(0);
    await addEvents(3);
    const next = await auditPageCheck();
    expect(next.eventsChecked).toBe(3);
    expect(next.chain).toMatchObject({ ok: true, count: total + 3 });
    const checkpoint = await getDb().selectFrom("audit_checkpoint").selectAll().where("kind", "=", "latest").executeTakeFirstOrThrow();
    const head = await getDb().selectFrom("audit_event").select(["id", "hash"]).orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
    expect([checkpoint.event_id, checkpoint.hash]).toEqual([head.id, head.hash]);
  });

  it("a change to an event after the checkpoint shows as broken on the next admin page load", async () => {
    expect((await adminHomeCheck()).chain.ok).toBe(true);
    await addEvents(4);
    const changed = (await countOf("audit_event")) - 1;
    await tamper(changed);
    const check = await adminHomeCheck();
    expect(check.chain).toMatchObject({ ok: false, brokenAtId: changed });
    // The checkpoint stays where it was, so every load shows the break until it is dealt with.
    expect((await auditPageCheck()).chain).toMatchObject({ ok: false, brokenAtId: changed });
    await untamper(changed);
    expect((await adminHomeCheck()).chain.ok).toBe(true);
  });
});

describe("the full check", () => {
  it("catches a change to an event before the checkpoint, which the quick check cannot see, and the admin pages then show it", async () => {
    const clean = await verifyWholeAuditChain(getDb());
    expect(clean.ok).toBe(true);
    expect((await adminHomeCheck()).lastFull).toMatchObject({ isOk: true, count: clean.count });

    await tamper(2);
    // The quick check reads only what came after the checkpoint: it does not see event 2.
    expect((await adminHomeCheck()).chain.ok).toBe(true);
    expect(await verifyWholeAuditChain(getDb())).toMatchObject({ ok: false, brokenAtId: 2 });
    const page = await auditPageCheck();
    expect(page.chain).toMatchObject({ ok: false, brokenAtId: 2 });
    expect(page.lastFull).toMatchObject({ isOk: false });

    await untamper(2);
    expect(await verifyWholeAuditChain(getDb())).toMatchObject({ ok: true });
    expect((await adminHomeCheck()).chain.ok).toBe(true);
  });

  it("yields to the event loop between pages, so other requests run while it checks a long chain", async () => {
    await addEvents(30);
    const order: string[] = [];
    const checking = verifyAuditEventsAfter(getDb(), undefined, 5).then(() => order.push("chain checked"));
    setImmediate(() => order.push("other work ran"));
    await checking;
    expect(order).toEqual(["other work ran", "chain checked"]);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "~/domain/csv";
import { AUDIT_PAGE_LINK_ERROR } from "~/domain/forms/admin";
import { appendAuditEvent, auditEventsOldestFirst, listAuditFacets, listAuditTrailPage } from "~/models/audit.server";
import { loader as auditLoader } from "~/routes/admin.audit";
import { loader as auditExportLoader } from "~/routes/admin.audit.export[.]csv";
import { checkAuditChainSinceCheckpoint } from "~/services/audit-checks.server";
import { getDb } from "~/utils/db.server";
import { makeUser } from "../factories";
import { countingDb } from "../support/database";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

// Issue 11, item 3: /admin/audit counted the whole trail and skipped through it by
// page number, and read every event to list the actions. It now pages by event id
// (?before=, ?after=), lists the actions by index jumps, and counts nothing.

interface PageData {
  events: { rows: { id: number; action: string; entity_id: string }[]; olderBefore: number | null; newerAfter: number | null };
  errors: Record<string, string> | null;
  facets: { actions: string[]; entityTypes: string[] };
}

let cookie: string;
const addEvents = async (n: number, action: string) => {
  for (let i = 0; i < n; i += 1) await appendAuditEvent(getDb(), { actor: "system", action, entityType: "paging", entityId: `${action}-${i}` });
};

beforeAll(async () => {
  cookie = await sessionCookieFor((await makeUser({ role: "admin" })).id);
  await addEvents(120, "paging.test");
});

async function auditPage(query: string): Promise<{ status: number; data: PageData }> {
  const response = await runLoader(auditLoader, getRequest(`/admin/audit${query}`, { cookie }));
  return { status: response.status, data: (await response.json()) as PageData };
}

const idsOf = (data: PageData) => data.events.rows.map((r) => r.id);

describe("paging through the audit trail by event id", () => {
  it("goes to older events with ?before= and back to newer ones with ?after=, keeping the filters", async () => {
    const first = await auditPage("?action=paging.test");
    expect(first.status).toBe(200);
    expect(first.data.events.rows).toHaveLength(50);
    expect(first.data.events.rows.every((r) => r.action === "paging.test")).toBe(true);
    expect(first.data.events.rows[0]!.entity_id).toBe("paging.test-119");
    expect(idsOf(first.data)).toEqual([...idsOf(first.data)].sort((a, b) => b - a));
    expect(first.data.events.newerAfter).toBeNull();
    expect(first.data.events.olderBefore).toBe(first.data.events.rows[49]!.id);

    const second = await auditPage(`?action=paging.test&before=${first.data.events.olderBefore}`);
    expect(second.data.events.rows.map((r) => r.entity_id)).toEqual(Array.from({ length: 50 }, (_, i) => `paging.test-${69 - i}`));
    expect(second.data.events.newerAfter).toBe(second.data.events.rows[0]!.id);

    const third = await auditPage(`?action=paging.test&before=${second.data.events.olderBefore}`);
    expect(third.data.events.rows).toHaveLength(20);
    expect(third.data.events.rows[19]!.entity_id).toBe("paging.test-0");
    expect(third.data.events.olderBefore).toBeNull();

    // "Newer events" from the last page gives the second page again, and from there the first.
    const backToSecond = await auditPage(`?action=paging.test&after=${third.data.events.newerAfter}`);
    expect(idsOf(backToSecond.data)).toEqual(idsOf(second.data));
    const backToFirst = await auditPage(`?action=paging.test&after=${backToSecond.data.events.newerAfter}`);
    expect(idsOf(backToFirst.data)).toEqual(idsOf(first.data));
    expect(backToFirst.data.events.newerAfter).toBeNull();
  });

  it("a link past the oldest event shows no events and leads back to newer ones", async () => {
    const { status, data } = await auditPage("?action=paging.test&before=1");
    expect(status).toBe(200);
    expect(data.events.rows).toEqual([]);
    expect(data.events.olderBefore).toBeNull();
    const back = await auditPage(`?action=paging.test&after=${data.events.newerAfter}`);
    expect(back.data.events.rows.map((r) => r.entity_id)).toEqual(Array.from({ length: 50 }, (_, i) => `paging.test-${49 - i}`));
  });

  it.each(["abc", "0", "-5", "1e3", "12.5", "99999999999999999999", ""])(
    "?before=%s gives the newest events with a plain-English message, not a 500",
    async (value) => {
      const { status, data } = await auditPage(`?action=paging.test&before=${encodeURIComponent(value)}`);
      expect(status).toBe(400);
      expect(data.errors).toEqual({ page: AUDIT_PAGE_LINK_ERROR });
      expect(data.events.rows[0]!.entity_id).toBe("paging.test-119");
    },
  );

  it("refuses ?before= and ?after= together, and a bad ?after=, with the same message", async () => {
    for (const query of ["?before=10&after=5", "?after=x"]) {
      const { status, data } = await auditPage(query);
      expect(status).toBe(400);
      expect(data.errors?.page).toBe(AUDIT_PAGE_LINK_ERROR);
      expect(Array.isArray(data.events.rows)).toBe(true);
    }
  });

  it("lists every action and record type in the trail for the filters", async () => {
    const { data } = await auditPage("");
    const all = getDb().selectFrom("audit_event");
    const actions = (await all.select("action").distinct().orderBy("action").execute()).map((r) => r.action);
    const types = (await all.select("entity_type").distinct().orderBy("entity_type").execute()).map((r) => r.entity_type);
    expect(data.facets.actions).toEqual(actions);
    expect(data.facets.actions).toContain("paging.test");
    expect(data.facets.entityTypes).toEqual(types);
  });

  it("finds an actor by email as well as by id", async () => {
    const person = await makeUser({ role: "admin" });
    await appendAuditEvent(getDb(), { actor: person.id, action: "paging.actor", entityType: "paging", entityId: "by-email" });
    for (const who of [person.email.toUpperCase(), person.id]) {
      const { data } = await auditPage(`?actor=${encodeURIComponent(who)}&action=paging.actor`);
      expect(data.events.rows.map((r) => r.entity_id)).toEqual(["by-email"]);
    }
  });
});

describe("the audit page's cost does not grow with the trail", () => {
  it("counts nothing, skips nothing, and runs the same statements with 120 or 720 events", async () => {
    const statementsFor = async () => {
      const { db, statements } = countingDb();
      try {
        const page = await listAuditTrailPage(db, {}, {}, 50);
        await listAuditTrailPage(db, { action: "paging.test" }, { before: page.olderBefore! }, 50);
        await listAuditFacets(db);
        return statements;
      } finally {
        await db.destroy();
      }
    };
    const before = await statementsFor();
    await addEvents(600, "paging.more");
    const after = await statementsFor();
    expect(after).toEqual(before);
    expect(after.length).toBeLessThanOrEqual(6);
    for (const statement of after) {
      expect(statement).not.toMatch(/count\(|offset/i);
      expect(statement).toMatch(/limit/i);
    }
  });

  it("page loads that arrive together share one check of the chain", async () => {
    const { db, statements } = countingDb();
    try {
      await addEvents(5, "paging.chain");
      const [a, b, c] = await Promise.all([checkAuditChainSinceCheckpoint(db), checkAuditChainSinceCheckpoint(db), checkAuditChainSinceCheckpoint(db)]);
      expect(a.chain.ok).toBe(true);
      expect(b).toBe(a);
      expect(c).toBe(a);
      expect(statements.filter((s) => /^select \* from "audit_event" where "id" >/.test(s))).toHaveLength(1);
    } finally {
      await db.destroy();
    }
  });
});

describe("downloading the audit trail", () => {
  it("reads the events a batch at a time, oldest first", async () => {
    const batches: number[][] = [];
    for await (const batch of auditEventsOldestFirst(getDb(), { action: "paging.test" }, 50)) batches.push(batch.map((e) => e.id));
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    const ids = batches.flat();
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it("streams every matching event, past the first batch, with the header once", async () => {
    await addEvents(1_050, "paging.export");
    const response = await runLoader(auditExportLoader, getRequest("/admin/audit/export.csv?action=paging.export&before=3", { cookie }));
    expect(response.status).toBe(200);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header![0]).toBe("Event");
    expect(rows).toHaveLength(1_050);
    expect(rows[0]![6]).toBe("paging.export-0");
    expect(rows[1_049]![6]).toBe("paging.export-1049");
  });
});

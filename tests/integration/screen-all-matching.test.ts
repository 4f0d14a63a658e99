import { beforeAll, describe, expect, it } from "vitest";
import { action as screeningAction, loader as screeningLoader } from "~/routes/admin.screening";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, makeDecisionGroup, makeFund, makeOrganisation, makeProposal, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

let adminCookie: string;
let east: { id: string };
let south: { id: string };
let community: { id: string };

beforeAll(async () => {
  const admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
  const fund = await makeFund({ name: "Screen-all fund" });
  const lead = await makeOrganisation({ kind: "lead_org" });
  east = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id, name: "Screen-all East" });
  south = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id, name: "Screen-all South" });
  community = await makeOrganisation();
});

const make = (groupId: string, status: "supported" | "eligible" | "submitted", n: number) =>
  Promise.all(
    Array.from({ length: n }, (_, i) => makeProposal({ decisionGroupId: groupId, organisationId: community.id, status, content: { title: `P${i}` } })),
  );

const post = async (query: string, fields: Record<string, string>) =>
  runAction(screeningAction, await postForm(`/admin/screening${query}`, fields, { cookie: adminCookie }));

const statusCounts = async (groupId: string) => {
  const rows = await getDb()
    .selectFrom("proposal")
    .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
    .where("decision_group_id", "=", groupId)
    .groupBy("status")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
};

describe("screening everything that matches a filter", () => {
  it("marks all 60 matching proposals, beyond the first page of 25, and none outside the filter; each is audited", async () => {
    const eastProposals = await make(east.id, "supported", 60);
    await make(south.id, "supported", 7);
    const query = `?group=${east.id}`;

    // The page shows 25 of them, and offers to act on all 60.
    const page = (await (await runLoader(screeningLoader, getRequest(`/admin/screening${query}`, { cookie: adminCookie }))).json()) as {
      queue: { rows: unknown[]; total: number };
    };
    expect(page.queue.rows).toHaveLength(25);
    expect(page.queue.total).toBe(60);

    // First step: the count to confirm. Nothing changes yet.
    const review = await post(query, { intent: "all", step: "review", outcome: "eligible" });
    expect(review.status).toBe(200);
    expect(await review.json()).toEqual({ confirmAll: { ready: 60, skipped: 0, outcome: "eligible", reason: "" } });
    expect(await statusCounts(east.id)).toEqual({ supported: 60 });

    const before = (await auditEventsFor("proposal.status.eligible")).length;
    const done = await post(query, { intent: "all", step: "confirm", outcome: "eligible", confirmedCount: "60" });
    expect(done.status).toBe(200);
    expect((await done.json()).done).toBe("60 proposals marked eligible. The groups have been told.");
    expect(await statusCounts(east.id)).toEqual({ eligible: 60 });
    expect(await statusCounts(south.id)).toEqual({ supported: 7 });
    const events = (await auditEventsFor("proposal.status.eligible")).slice(before);
    expect(new Set(events.map((e) => e.entity_id))).toEqual(new Set(eastProposals.map((p) => p.id)));
  });

  it("skips matching proposals that are no longer waiting to be screened, and says how many", async () => {
    const group = await makeDecisionGroup({ name: "Screen-all mixed" });
    await make(group.id, "supported", 3);
    await make(group.id, "eligible", 2);
    await make(group.id, "submitted", 1);
    const query = `?group=${group.id}&status=`; // any status: six match
    const review = (await (await post(query, { intent: "all", step: "review", outcome: "ineligible", allReason: "Outside the area" })).json()) as {
      confirmAll: { ready: number; skipped: number };
    };
    expect(review.confirmAll).toMatchObject({ ready: 3, skipped: 3 });
    const done = await post(query, { intent: "all", step: "confirm", outcome: "ineligible", allReason: "Outside the area", confirmedCount: "3" });
    expect((await done.json()).done).toBe("3 proposals marked not eligible. The groups have been told. 3 proposals were skipped: not waiting to be screened.");
    expect(await statusCounts(group.id)).toEqual({ ineligible: 3, eligible: 2, submitted: 1 });
  });

  it("refuses, changing nothing, when more proposals match than were confirmed, or a reason is missing", async () => {
    const group = await makeDecisionGroup({ name: "Screen-all grew" });
    await make(group.id, "supported", 4);
    const query = `?group=${group.id}`;
    const grew = await post(query, { intent: "all", step: "confirm", outcome: "eligible", confirmedCount: "3" });
    expect(grew.status).toBe(400);
    expect((await grew.json()).errors.form).toBe(
      "4 proposals are waiting now, more than the 3 you confirmed. Nothing was changed. Check the count and confirm again.",
    );
    const noReason = await post(query, { intent: "all", step: "review", outcome: "ineligible" });
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).errors.allReason).toBe("Write the reason the matching proposals are not eligible");
    expect(await statusCounts(group.id)).toEqual({ supported: 4 });
  });
});

import { describe, expect, it } from "vitest";
import { action as listAction, loader as listLoader } from "~/routes/admin.awards._index";
import { action as adminAwardAction, loader as adminAwardLoader } from "~/routes/admin.awards.$awardId._index";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, makeAward, makeFundedDecision, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

async function adminCookie() {
  const admin = await makeUser({ role: "admin" });
  return { admin, cookie: await sessionCookieFor(admin.id) };
}

const post = async (awardId: string, fields: Record<string, string>, cookie: string) =>
  runAction(adminAwardAction, await postForm(`/admin/awards/${awardId}`, fields, { cookie }), { awardId });

describe("the administrator's award page", () => {
  it("is only for administrators: a group member gets 403 for the page and its actions", async () => {
    const made = await makeAward({ status: "accepted", conditions: ["Proof of lease"], conditionStatus: "evidence_submitted" });
    const member = await makeUser({ organisationId: made.organisationId });
    const cookie = await sessionCookieFor(member.id);
    expect((await runLoader(adminAwardLoader, getRequest(`/admin/awards/${made.awardId}`, { cookie }), { awardId: made.awardId })).status).toBe(403);
    expect((await post(made.awardId, { intent: "sign_off", conditionId: made.conditionIds[0]! }, cookie)).status).toBe(403);
  });

  it("shows the terms, conditions and a link to the award's history in the audit trail", async () => {
    const made = await makeAward({ conditions: ["Proof of lease"] });
    const { cookie } = await adminCookie();
    const response = await runLoader(adminAwardLoader, getRequest(`/admin/awards/${made.awardId}`, { cookie }), { awardId: made.awardId });
    expect(response.status).toBe(200);
    const data = await response.json();
    expect(data.award.reference).toBe(made.reference);
    expect(data.conditions[0].text).toBe("Proof of lease");
  });

  it("signs off a condition once evidence is sent, audited", async () => {
    const made = await makeAward({ status: "accepted", conditions: ["Proof of lease"], conditionStatus: "evidence_submitted" });
    const { admin, cookie } = await adminCookie();
    const response = await post(made.awardId, { intent: "sign_off", conditionId: made.conditionIds[0]! }, cookie);
    expect(response.status).toBe(302);
    const row = await getDb()
      .selectFrom("award_condition")
      .select(["status", "signed_off_by"])
      .where("id", "=", made.conditionIds[0]!)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "met", signed_off_by: admin.id });
    expect((await auditEventsFor("award.condition.met")).map((e) => e.entity_id)).toContain(made.awardId);
  });

  it("refuses to sign off a condition without evidence", async () => {
    const made = await makeAward({ status: "accepted", conditions: ["Planning permission"] });
    const { cookie } = await adminCookie();
    const response = await post(made.awardId, { intent: "sign_off", conditionId: made.conditionIds[0]! }, cookie);
    expect(response.status).toBe(400);
    expect((await response.json()).errors.conditionId).toMatch(/not sent evidence/);
  });

  it("a condition of another award is not found", async () => {
    const made = await makeAward({ status: "accepted" });
    const other = await makeAward({ status: "accepted", conditions: ["X"], conditionStatus: "evidence_submitted" });
    const { cookie } = await adminCookie();
    expect((await post(made.awardId, { intent: "sign_off", conditionId: other.conditionIds[0]! }, cookie)).status).toBe(404);
  });

  it("records support offered and given", async () => {
    const made = await makeAward({ status: "accepted" });
    const { admin, cookie } = await adminCookie();
    const response = await post(
      made.awardId,
      { intent: "support", kind: "meeting", status: "given", description: "Site visit with a surveyor", minutes: "90", occurredOn: "2027-03-14" },
      cookie,
    );
    expect(response.status).toBe(302);
    const rows = await getDb()
      .selectFrom("support_log")
      .select(["kind", "status", "minutes", "occurred_on", "recorded_by"])
      .where("award_id", "=", made.awardId)
      .execute();
    expect(rows).toEqual([{ kind: "meeting", status: "given", minutes: 90, occurred_on: "2027-03-14", recorded_by: admin.id }]);
    const page = await (await runLoader(adminAwardLoader, getRequest(`/admin/awards/${made.awardId}`, { cookie }), { awardId: made.awardId })).json();
    expect(page.supportTotal).toBe("1 hour 30 minutes");
  });

  it("refuses support without a description or with a bad date, keeping the input", async () => {
    const made = await makeAward({ status: "accepted" });
    const { cookie } = await adminCookie();
    const response = await post(
      made.awardId,
      { intent: "support", kind: "advice", status: "offered", description: "", minutes: "ten", occurredOn: "2027-02-30" },
      cookie,
    );
    expect(response.status).toBe(400);
    const data = await response.json();
    expect(Object.keys(data.errors).sort()).toEqual(["description", "minutes", "occurredOn"]);
    expect(data.values.kind).toBe("advice");
  });
});

describe("the awards list", () => {
  it("lists funded decisions without an award under 'Make offers', and makes the offer from one", async () => {
    const made = await makeFundedDecision({ amountPence: 2_000_000, conditions: ["Proof of lease"] });
    const { cookie } = await adminCookie();
    const before = await (await runLoader(listLoader, getRequest("/admin/awards", { cookie }))).json();
    expect(before.offers.map((o: { proposalId: string }) => o.proposalId)).toContain(made.proposalId);

    const response = await runAction(listAction, await postForm("/admin/awards", { proposalId: made.proposalId }, { cookie }));
    expect(response.status).toBe(302);
    const award = await getDb().selectFrom("award").select(["id", "status"]).where("proposal_id", "=", made.proposalId).executeTakeFirstOrThrow();
    expect(response.headers.get("Location")).toBe(`/admin/awards/${award.id}?saved=created`);
    const after = await (await runLoader(listLoader, getRequest("/admin/awards", { cookie }))).json();
    expect(after.offers.map((o: { proposalId: string }) => o.proposalId)).not.toContain(made.proposalId);

    const again = await runAction(listAction, await postForm("/admin/awards", { proposalId: made.proposalId }, { cookie }));
    expect(again.status).toBe(400);
  });

  it("filters by decision group and status, and is 403 for non-administrators", async () => {
    const one = await makeAward({ status: "accepted" });
    await makeAward({ decisionGroupId: one.decisionGroupId });
    const { cookie } = await adminCookie();
    const data = await (await runLoader(listLoader, getRequest(`/admin/awards?decisionGroupId=${one.decisionGroupId}&status=accepted`, { cookie }))).json();
    expect(data.awards.rows.map((r: { id: string }) => r.id)).toEqual([one.awardId]);
    const bad = await runLoader(listLoader, getRequest(`/admin/awards?status=lost`, { cookie }));
    expect(bad.status).toBe(400);

    const member = await makeUser({ organisationId: one.organisationId });
    expect((await runLoader(listLoader, getRequest("/admin/awards", { cookie: await sessionCookieFor(member.id) }))).status).toBe(403);
  });
});

import { describe, expect, it } from "vitest";
import { action, loader } from "~/routes/awards.$awardId.variations";
import { action as adminAction } from "~/routes/admin.awards.$awardId.variations";
import { getDb } from "~/utils/db.server";
import { newId, nowIso } from "~/utils/ids.server";
import { makeAward, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

async function setup() {
  const award = await makeAward({ status: "accepted", amountPence: 4_500_000 });
  const member = await makeUser({ role: "applicant", organisationId: award.organisationId });
  const admin = await makeUser({ role: "admin" });
  return { award, admin, memberCookie: await sessionCookieFor(member.id), adminCookie: await sessionCookieFor(admin.id) };
}

const variationsOf = (awardId: string) =>
  getDb().selectFrom("award_variation").select(["id", "kind", "status", "requested_change"]).where("award_id", "=", awardId).execute();

describe("a group asks to change its grant", () => {
  it("request → approve moves the end date and keeps both versions", async () => {
    const { award, memberCookie, adminCookie } = await setup();
    const path = `/awards/${award.awardId}/variations`;
    const res = await runAction(
      action,
      await postForm(path, { kind: "timeline", endDate: "2027-12-31", reason: "The roofers are booked until autumn." }, { cookie: memberCookie }),
      { awardId: award.awardId },
    );
    expect(res.status).toBe(302);
    const [requested] = await variationsOf(award.awardId);
    expect(JSON.parse(requested!.requested_change)).toEqual({ end_date: "2027-12-31" });
    await runAction(
      adminAction,
      await postForm(`/admin/awards/${award.awardId}/variations`, { intent: "approve", variationId: requested!.id, note: "Agreed." }, { cookie: adminCookie }),
      { awardId: award.awardId },
    );
    const proposal = await getDb().selectFrom("proposal").select("end_date").where("id", "=", award.proposalId).executeTakeFirstOrThrow();
    expect(proposal.end_date).toBe("2027-12-31");
    const page = (await (await runLoader(loader, getRequest(path, { cookie: memberCookie }), { awardId: award.awardId })).json()) as {
      versions: { version: number }[];
      variations: { status: string }[];
    };
    expect(page.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(page.variations.map((v) => v.status)).toEqual(["approved"]);
  });

  it("an amount below what has been paid gets 400", async () => {
    const { award, admin, memberCookie } = await setup();
    await getDb()
      .insertInto("payment")
      .values({
        id: newId(),
        award_id: award.awardId,
        amount_pence: 2_000_000,
        paid_on: "2026-10-01",
        reference: "BACS",
        status: "paid",
        recorded_by: admin.id,
        recorded_at: nowIso(),
      })
      .execute();
    const res = await runAction(
      action,
      await postForm(`/awards/${award.awardId}/variations`, { kind: "amount", amount: "15000", reason: "Smaller project." }, { cookie: memberCookie }),
      { awardId: award.awardId },
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors.amount).toMatch(/already been paid/);
    expect(body.values.amount).toBe("15000");
    expect(await variationsOf(award.awardId)).toHaveLength(0);
  });

  it("bad input gets 400 with field errors", async () => {
    const { award, memberCookie } = await setup();
    const path = `/awards/${award.awardId}/variations`;
    const none = await runAction(action, await postForm(path, { reason: "" }, { cookie: memberCookie }), { awardId: award.awardId });
    expect(none.status).toBe(400);
    expect(Object.keys((await none.json()).errors).sort()).toEqual(["kind", "reason"]);
    const badDate = await runAction(action, await postForm(path, { kind: "timeline", endDate: "next year", reason: "Delay" }, { cookie: memberCookie }), {
      awardId: award.awardId,
    });
    expect((await badDate.json()).errors.endDate).toMatch(/date/);
    const noScope = await runAction(action, await postForm(path, { kind: "scope", scope: "", reason: "Access" }, { cookie: memberCookie }), {
      awardId: award.awardId,
    });
    expect((await noScope.json()).errors.scope).toBeTruthy();
  });

  it("another group's award gets 403, in the loader and the action", async () => {
    const { award } = await setup();
    const other = await makeAward({ status: "accepted" });
    const outsider = await makeUser({ role: "applicant", organisationId: other.organisationId });
    const cookie = await sessionCookieFor(outsider.id);
    expect((await runLoader(loader, getRequest(`/awards/${award.awardId}/variations`, { cookie }), { awardId: award.awardId })).status).toBe(403);
    const res = await runAction(action, await postForm(`/awards/${award.awardId}/variations`, { kind: "scope", scope: "x", reason: "y" }, { cookie }), {
      awardId: award.awardId,
    });
    expect(res.status).toBe(403);
    expect(await variationsOf(award.awardId)).toHaveLength(0);
  });
});

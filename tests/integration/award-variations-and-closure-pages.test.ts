import { describe, expect, it } from "vitest";
import { action as variationsAction, loader as variationsLoader } from "~/routes/admin.awards.$awardId.variations";
import { action as closeAction, loader as closeLoader } from "~/routes/admin.awards.$awardId.close";
import { getDb } from "~/utils/db.server";
import { newId, nowIso } from "~/utils/ids.server";
import { makeAward, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

async function setup() {
  const award = await makeAward({ status: "accepted", amountPence: 5_000_000 });
  const admin = await makeUser({ role: "admin" });
  const member = await makeUser({ role: "applicant", organisationId: award.organisationId });
  return { award, admin, member, adminCookie: await sessionCookieFor(admin.id), memberCookie: await sessionCookieFor(member.id) };
}

async function variation(awardId: string, by: string, change: object, kind: "amount" | "timeline" | "scope" = "amount") {
  const id = newId();
  await getDb()
    .insertInto("award_variation")
    .values({
      id,
      award_id: awardId,
      kind,
      reason: "Costs rose.",
      requested_change: JSON.stringify(change),
      status: "requested",
      requested_by: by,
      requested_at: nowIso(),
    })
    .execute();
  return id;
}

async function pay(awardId: string, amount: number, by: string) {
  await getDb()
    .insertInto("payment")
    .values({
      id: newId(),
      award_id: awardId,
      amount_pence: amount,
      paid_on: "2026-10-01",
      reference: "BACS",
      status: "paid",
      recorded_by: by,
      recorded_at: nowIso(),
    })
    .execute();
}

const awardRow = (id: string) =>
  getDb().selectFrom("award").select(["status", "amount_pence", "version", "clawback_pence", "outcome_summary"]).where("id", "=", id).executeTakeFirstOrThrow();

describe("the administrator's variations page", () => {
  it("approving applies the change and keeps both versions", async () => {
    const { award, adminCookie, member } = await setup();
    const id = await variation(award.awardId, member.id, { amount_pence: 5_600_000 });
    const res = await runAction(
      variationsAction,
      await postForm(`/admin/awards/${award.awardId}/variations`, { intent: "approve", variationId: id, note: "" }, { cookie: adminCookie }),
      { awardId: award.awardId },
    );
    expect(res.status).toBe(302);
    expect(await awardRow(award.awardId)).toMatchObject({ amount_pence: 5_600_000, version: 2 });
    const page = (await (
      await runLoader(variationsLoader, getRequest(`/admin/awards/${award.awardId}/variations`, { cookie: adminCookie }), { awardId: award.awardId })
    ).json()) as { versions: { version: number; amount: string }[] };
    expect(page.versions.map((v) => [v.version, v.amount])).toEqual([
      [2, "£56,000"],
      [1, "£50,000"],
    ]);
  });

  it("rejecting needs a note and leaves the award unchanged", async () => {
    const { award, adminCookie, member } = await setup();
    const id = await variation(award.awardId, member.id, { amount_pence: 9_000_000 });
    const bad = await runAction(
      variationsAction,
      await postForm(`/admin/awards/${award.awardId}/variations`, { intent: "reject", variationId: id, note: " " }, { cookie: adminCookie }),
      { awardId: award.awardId },
    );
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.note).toMatch(/reason for rejecting/);
    const ok = await runAction(
      variationsAction,
      await postForm(`/admin/awards/${award.awardId}/variations`, { intent: "reject", variationId: id, note: "The pot is spent." }, { cookie: adminCookie }),
      { awardId: award.awardId },
    );
    expect(ok.status).toBe(302);
    expect(await awardRow(award.awardId)).toMatchObject({ amount_pence: 5_000_000, version: 1 });
  });

  it("refuses to apply an amount below what has been paid since the request", async () => {
    const { award, adminCookie, member, admin } = await setup();
    const id = await variation(award.awardId, member.id, { amount_pence: 1_000_000 });
    await pay(award.awardId, 2_000_000, admin.id);
    const res = await runAction(
      variationsAction,
      await postForm(`/admin/awards/${award.awardId}/variations`, { intent: "approve", variationId: id, note: "" }, { cookie: adminCookie }),
      { awardId: award.awardId },
    );
    expect(res.status).toBe(400);
    expect((await res.json()).errors.amount).toMatch(/already been paid/);
    expect(await awardRow(award.awardId)).toMatchObject({ amount_pence: 5_000_000 });
  });

  it("is for administrators only", async () => {
    const { award, memberCookie, member } = await setup();
    const id = await variation(award.awardId, member.id, { amount_pence: 5_600_000 });
    expect(
      (await runLoader(variationsLoader, getRequest(`/admin/awards/${award.awardId}/variations`, { cookie: memberCookie }), { awardId: award.awardId })).status,
    ).toBe(403);
    const res = await runAction(
      variationsAction,
      await postForm(`/admin/awards/${award.awardId}/variations`, { intent: "approve", variationId: id }, { cookie: memberCookie }),
      { awardId: award.awardId },
    );
    expect(res.status).toBe(403);
    expect(await awardRow(award.awardId)).toMatchObject({ amount_pence: 5_000_000 });
  });
});

describe("closing and withdrawing an award", () => {
  it("refuses to close without an approved final report, then closes with one", async () => {
    const { award, adminCookie } = await setup();
    const path = `/admin/awards/${award.awardId}/close`;
    const noSummary = await runAction(closeAction, await postForm(path, { intent: "close", outcomeSummary: "" }, { cookie: adminCookie }), {
      awardId: award.awardId,
    });
    expect(noSummary.status).toBe(400);
    expect((await noSummary.json()).errors.outcomeSummary).toMatch(/summary/);
    const early = await runAction(closeAction, await postForm(path, { intent: "close", outcomeSummary: "A new community kitchen." }, { cookie: adminCookie }), {
      awardId: award.awardId,
    });
    expect(early.status).toBe(400);
    const body = await early.json();
    expect(body.errors.outcomeSummary).toMatch(/final report/);
    expect(body.values.outcomeSummary).toBe("A new community kitchen.");
    await getDb()
      .insertInto("monitoring_report")
      .values({ id: newId(), award_id: award.awardId, kind: "final", due_on: "2027-01-01", status: "approved" })
      .execute();
    const ok = await runAction(closeAction, await postForm(path, { intent: "close", outcomeSummary: "A new community kitchen." }, { cookie: adminCookie }), {
      awardId: award.awardId,
    });
    expect(ok.status).toBe(302);
    expect(await awardRow(award.awardId)).toMatchObject({ status: "closed", outcome_summary: "A new community kitchen." });
  });

  it("refuses a clawback above what was paid, then withdraws", async () => {
    const { award, adminCookie, admin } = await setup();
    await pay(award.awardId, 1_000_000, admin.id);
    const path = `/admin/awards/${award.awardId}/close`;
    const tooMuch = await runAction(
      closeAction,
      await postForm(path, { intent: "withdraw", reason: "The lease fell through.", clawback: "10000.01" }, { cookie: adminCookie }),
      { awardId: award.awardId },
    );
    expect(tooMuch.status).toBe(400);
    expect((await tooMuch.json()).errors.clawback).toMatch(/more than has been paid/);
    const notMoney = await runAction(closeAction, await postForm(path, { intent: "withdraw", reason: "", clawback: "lots" }, { cookie: adminCookie }), {
      awardId: award.awardId,
    });
    expect(notMoney.status).toBe(400);
    expect(Object.keys((await notMoney.json()).errors).sort()).toEqual(["clawback", "reason"]);
    const ok = await runAction(
      closeAction,
      await postForm(path, { intent: "withdraw", reason: "The lease fell through.", clawback: "10,000" }, { cookie: adminCookie }),
      { awardId: award.awardId },
    );
    expect(ok.status).toBe(302);
    expect(await awardRow(award.awardId)).toMatchObject({ status: "withdrawn", clawback_pence: 1_000_000 });
  });

  it("is for administrators only", async () => {
    const { award, memberCookie } = await setup();
    expect(
      (await runLoader(closeLoader, getRequest(`/admin/awards/${award.awardId}/close`, { cookie: memberCookie }), { awardId: award.awardId })).status,
    ).toBe(403);
    const res = await runAction(
      closeAction,
      await postForm(`/admin/awards/${award.awardId}/close`, { intent: "withdraw", reason: "x", clawback: "0" }, { cookie: memberCookie }),
      { awardId: award.awardId },
    );
    expect(res.status).toBe(403);
    expect(await awardRow(award.awardId)).toMatchObject({ status: "accepted" });
  });
});

import { describe, expect, it } from "vitest";
import * as paymentsPage from "~/routes/admin.awards.$awardId.payments";
import * as approvals from "~/routes/admin.payments";
import { getDb } from "~/utils/db.server";
import { makeAward, makeUser } from "../factories";
import { auditTrailOf, signedIn } from "../support/funds";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

const paymentsOf = (awardId: string) =>
  getDb().selectFrom("payment").select(["id", "amount_pence", "status", "recorded_by", "approved_by"]).where("award_id", "=", awardId).execute();

async function record(awardId: string, cookie: string, fields: Record<string, string>) {
  const path = `/admin/awards/${awardId}/payments`;
  return runAction(paymentsPage.action, await postForm(path, { intent: "record", paidOn: "2027-01-15", reference: "BACS-1", ...fields }, { cookie }), {
    awardId,
  });
}

async function admins() {
  const first = await signedIn("admin");
  const second = await signedIn("admin");
  return { first, second };
}

describe("recording payments against an award", () => {
  it("refuses a payment while a condition is open, and writes nothing", async () => {
    const award = await makeAward({ status: "accepted", amountPence: 1_000_000, conditions: ["Planning permission", "Proof of lease"] });
    const { first } = await admins();
    await getDb().updateTable("award_condition").set({ status: "met" }).where("id", "=", award.conditionIds[0]!).execute();
    const response = await record(award.awardId, first.cookie, { amount: "500" });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(body.errors.amount).toMatch(/condition is outstanding/);
    expect(body.values.reference).toBe("BACS-1");
    expect(await paymentsOf(award.awardId)).toEqual([]);
  });

  it("refuses a payment before the offer is accepted", async () => {
    const award = await makeAward({ status: "offered", amountPence: 1_000_000 });
    const { first } = await admins();
    const response = await record(award.awardId, first.cookie, { amount: "500" });
    expect(response.status).toBe(400);
    expect(await paymentsOf(award.awardId)).toEqual([]);
  });

  it("records a payment at or below the threshold as paid, audits it and tells the group", async () => {
    const award = await makeAward({ status: "accepted", amountPence: 1_000_000, conditions: ["Two quotes"], conditionStatus: "met" });
    const member = await makeUser({ role: "applicant", organisationId: award.organisationId });
    const { first } = await admins();
    const response = await record(award.awardId, first.cookie, { amount: "4,000" });
    expect(response.status).toBe(302);
    const [payment] = await paymentsOf(award.awardId);
    expect(payment).toMatchObject({ amount_pence: 400_000, status: "paid", recorded_by: first.user.id });
    expect((await auditTrailOf("payment", payment!.id)).map((e) => e.action)).toEqual(["payment.recorded.paid"]);
    const emails = await getDb().selectFrom("email_outbox").select(["subject"]).where("to_address", "=", member.email).execute();
    expect(emails.some((e) => e.subject.startsWith("Grant payment made"))).toBe(true);
  });

  it("refuses a payment beyond the award, with the figures", async () => {
    const award = await makeAward({ status: "accepted", amountPence: 1_000_000 });
    const { first } = await admins();
    expect((await record(award.awardId, first.cookie, { amount: "8000" })).status).toBe(302);
    const response = await record(award.awardId, first.cookie, { amount: "2000.01" });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Record<string, string> };
    expect(body.errors.amount).toContain("Payments can never add up to more than the award");
    expect(body.errors.amount).toContain("at most £2,000");
    expect(await paymentsOf(award.awardId)).toHaveLength(1);
  });

  it("keeps a payment above the threshold awaiting approval, which its recorder cannot give and a second administrator can", async () => {
    const award = await makeAward({ status: "accepted", amountPence: 5_000_000 });
    const { first, second } = await admins();
    expect((await record(award.awardId, first.cookie, { amount: "30000" })).status).toBe(302);
    const [payment] = await paymentsOf(award.awardId);
    expect(payment!.status).toBe("awaiting_approval");

    const own = await runAction(
      paymentsPage.action,
      await postForm(`/admin/awards/${award.awardId}/payments`, { intent: "approve", paymentId: payment!.id }, { cookie: first.cookie }),
      { awardId: award.awardId },
    );
    expect(own.status).toBe(400);
    expect(JSON.stringify(await own.json())).toContain("You recorded this payment, so another administrator must approve it");
    expect((await paymentsOf(award.awardId))[0]!.status).toBe("awaiting_approval");

    const elsewhere = await makeAward({ status: "accepted" });
    const wrongAward = await runAction(
      paymentsPage.action,
      await postForm(`/admin/awards/${elsewhere.awardId}/payments`, { intent: "approve", paymentId: payment!.id }, { cookie: second.cookie }),
      { awardId: elsewhere.awardId },
    );
    expect(wrongAward.status).toBe(400);
    expect((await paymentsOf(award.awardId))[0]!.status).toBe("awaiting_approval");

    const listed = await runLoader(approvals.loader, getRequest("/admin/payments", { cookie: second.cookie }));
    expect(JSON.stringify(await listed.json())).toContain(payment!.id);

    const approved = await runAction(
      approvals.action,
      await postForm("/admin/payments", { intent: "approve", paymentId: payment!.id }, { cookie: second.cookie }),
    );
    expect(approved.status).toBe(302);
    expect((await paymentsOf(award.awardId))[0]).toMatchObject({ status: "paid", approved_by: second.user.id });
    expect((await auditTrailOf("payment", payment!.id)).map((e) => e.action)).toEqual(["payment.recorded.awaiting_approval", "payment.approved"]);
  });

  it("lets a second administrator reject a payment with a reason, which then no longer counts", async () => {
    const award = await makeAward({ status: "accepted", amountPence: 5_000_000 });
    const { first, second } = await admins();
    await record(award.awardId, first.cookie, { amount: "40000" });
    const [payment] = await paymentsOf(award.awardId);
    const path = `/admin/awards/${award.awardId}/payments`;
    const noReason = await runAction(paymentsPage.action, await postForm(path, { intent: "reject", paymentId: payment!.id }, { cookie: second.cookie }), {
      awardId: award.awardId,
    });
    expect(noReason.status).toBe(400);
    const rejected = await runAction(
      paymentsPage.action,
      await postForm(path, { intent: "reject", paymentId: payment!.id, [`reason-${payment!.id}`]: "Wrong bank details" }, { cookie: second.cookie }),
      { awardId: award.awardId },
    );
    expect(rejected.status).toBe(302);
    expect((await paymentsOf(award.awardId))[0]!.status).toBe("rejected");
    expect((await auditTrailOf("payment", payment!.id)).at(-1)?.after).toContain("Wrong bank details");
    expect((await record(award.awardId, first.cookie, { amount: "20000" })).status).toBe(302);
  });
});

describe("the payment schedule", () => {
  const path = (awardId: string) => `/admin/awards/${awardId}/payments`;

  it("saves instalments that add up to the award and refuses ones that do not, keeping the input", async () => {
    const award = await makeAward({ status: "accepted", amountPence: 1_000_000 });
    const { first } = await admins();
    const short = await runAction(
      paymentsPage.action,
      await postForm(
        path(award.awardId),
        { intent: "schedule", "instalments[0].amount": "6000", "instalments[0].dueOn": "2027-01-01", "instalments[0].releasedBy": "acceptance" },
        { cookie: first.cookie },
      ),
      { awardId: award.awardId },
    );
    expect(short.status).toBe(400);
    const body = (await short.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(Object.values(body.errors).join(" ")).toMatch(/must add up to the award exactly/);
    expect(body.values["instalments[0].amount"]).toBe("6000");

    const ok = await runAction(
      paymentsPage.action,
      await postForm(
        path(award.awardId),
        {
          intent: "schedule",
          "instalments[0].amount": "6000",
          "instalments[0].dueOn": "2027-01-01",
          "instalments[0].releasedBy": "acceptance",
          "instalments[1].amount": "4000",
          "instalments[1].dueOn": "2027-04-01",
          "instalments[1].releasedBy": "conditions_met",
        },
        { cookie: first.cookie },
      ),
      { awardId: award.awardId },
    );
    expect(ok.status).toBe(302);
    const rows = await getDb()
      .selectFrom("payment_instalment")
      .select(["position", "amount_pence", "released_by"])
      .where("award_id", "=", award.awardId)
      .orderBy("position")
      .execute();
    expect(rows).toEqual([
      { position: 1, amount_pence: 600_000, released_by: "acceptance" },
      { position: 2, amount_pence: 400_000, released_by: "conditions_met" },
    ]);
    expect((await auditTrailOf("award", award.awardId)).map((e) => e.action)).toContain("award.schedule.saved");
  });
});

describe("access to payments", () => {
  it("gives everyone but administrators 403 on the pages and their actions", async () => {
    const award = await makeAward({ status: "accepted" });
    for (const role of ["applicant", "lead_org", "panel_member", "adviser"] as const) {
      const user = await makeUser({ role, organisationId: role === "applicant" ? award.organisationId : null });
      const cookie = await sessionCookieFor(user.id);
      expect((await runLoader(paymentsPage.loader, getRequest(`/admin/awards/${award.awardId}/payments`, { cookie }), { awardId: award.awardId })).status).toBe(
        403,
      );
      expect(
        (
          await runAction(paymentsPage.action, await postForm(`/admin/awards/${award.awardId}/payments`, { intent: "record", amount: "1" }, { cookie }), {
            awardId: award.awardId,
          })
        ).status,
      ).toBe(403);
      expect((await runLoader(approvals.loader, getRequest("/admin/payments", { cookie }))).status).toBe(403);
      expect((await runAction(approvals.action, await postForm("/admin/payments", { intent: "approve", paymentId: "x" }, { cookie }))).status).toBe(403);
    }
    expect(await paymentsOf(award.awardId)).toEqual([]);
  });
});

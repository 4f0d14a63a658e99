import { describe, expect, it } from "vitest";
import * as paymentsPage from "~/routes/admin.awards.$awardId.payments";
import * as approvals from "~/routes/admin.payments";
import { getDb } from "~/utils/db.server";
import { newId, newToken } from "~/utils/ids.server";
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

describe("a payment recorded once", () => {
  const path = (awardId: string) => `/admin/awards/${awardId}/payments`;

  /** An accepted £200,000 award with a schedule saved through the page: £95,000 on acceptance, £105,000 when a report is approved. */
  async function scheduledAward() {
    const award = await makeAward({ status: "accepted", amountPence: 20_000_000 });
    const reportId = newId();
    await getDb()
      .insertInto("monitoring_report")
      .values({ id: reportId, award_id: award.awardId, kind: "progress", due_on: "2027-06-01", status: "due" })
      .execute();
    const { first, second } = await admins();
    const saved = await runAction(
      paymentsPage.action,
      await postForm(
        path(award.awardId),
        {
          intent: "schedule",
          "instalments[0].amount": "95000",
          "instalments[0].dueOn": "2027-01-01",
          "instalments[0].releasedBy": "acceptance",
          "instalments[1].amount": "105000",
          "instalments[1].dueOn": "2027-07-01",
          "instalments[1].releasedBy": "report_approved",
          "instalments[1].reportId": reportId,
        },
        { cookie: first.cookie },
      ),
      { awardId: award.awardId },
    );
    expect(saved.status).toBe(302);
    const instalments = await getDb().selectFrom("payment_instalment").select(["id"]).where("award_id", "=", award.awardId).orderBy("position").execute();
    return { award, first, second, reportId, released: instalments[0]!.id, unreleased: instalments[1]!.id };
  }

  const part = { intent: "record", amount: "5000", paidOn: "2027-01-15", reference: "BACS-95-PART" };

  it("records one payment from 50 identical parallel posts carrying the page's key, and every repeat is sent to the first result", async () => {
    const { award, first, released } = await scheduledAward();
    const key = newToken(16);
    const requests = await Promise.all(
      Array.from({ length: 50 }, () => postForm(path(award.awardId), { ...part, instalmentId: released }, { cookie: first.cookie, submissionKey: key })),
    );
    const responses = await Promise.all(requests.map((request) => runAction(paymentsPage.action, request, { awardId: award.awardId })));
    const payments = await paymentsOf(award.awardId);
    expect(payments).toHaveLength(1);
    expect(payments[0]!.amount_pence).toBe(500_000);
    expect(responses.map((r) => r.status).sort()).toEqual([302, ...Array(49).fill(303)]);
    expect(new Set(responses.map((r) => r.headers.get("Location")))).toEqual(new Set([`${path(award.awardId)}?done=paid`]));
    expect(await getDb().selectFrom("submission").select("user_id").where("submission_key", "=", key).execute()).toHaveLength(1);
  });

  it("records one payment from 50 identical parallel posts with no key, refusing the other 49 on the reference", async () => {
    const { award, first, released } = await scheduledAward();
    const requests = await Promise.all(
      Array.from({ length: 50 }, () => postForm(path(award.awardId), { ...part, instalmentId: released }, { cookie: first.cookie })),
    );
    const responses = await Promise.all(requests.map((request) => runAction(paymentsPage.action, request, { awardId: award.awardId })));
    expect(await paymentsOf(award.awardId)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 302)).toHaveLength(1);
    const refused = responses.filter((r) => r.status === 400);
    expect(refused).toHaveLength(49);
    const body = (await refused[0]!.json()) as { errors: Record<string, string> };
    expect(body.errors.reference).toBe("This reference is already used for a payment on this award");
  });

  it("records one payment when the same post is repeated one after another", async () => {
    const { award, first, released } = await scheduledAward();
    const key = newToken(16);
    const send = async () =>
      runAction(paymentsPage.action, await postForm(path(award.awardId), { ...part, instalmentId: released }, { cookie: first.cookie, submissionKey: key }), {
        awardId: award.awardId,
      });
    expect((await send()).status).toBe(302);
    for (let i = 0; i < 5; i++) expect((await send()).status).toBe(303);
    // Without the key, a repeat is still refused on its reference.
    const noKey = await record(award.awardId, first.cookie, { ...part, instalmentId: released });
    expect(noKey.status).toBe(400);
    expect(await paymentsOf(award.awardId)).toHaveLength(1);
  });

  it("refuses a different form sent with a key already used, instead of taking it for a repeat", async () => {
    const { award, first, released } = await scheduledAward();
    const key = newToken(16);
    const send = async (fields: Record<string, string>) =>
      runAction(
        paymentsPage.action,
        await postForm(path(award.awardId), { ...part, instalmentId: released, ...fields }, { cookie: first.cookie, submissionKey: key }),
        {
          awardId: award.awardId,
        },
      );
    expect((await send({})).status).toBe(302);
    const other = await send({ amount: "6000", reference: "BACS-OTHER" });
    expect(other.status).toBe(400);
    expect(JSON.stringify(await other.json())).toContain("This page was already used to send a form");
    expect(await paymentsOf(award.awardId)).toHaveLength(1);
  });

  it("refuses a payment beyond what is left of its instalment, with 400 and the figures", async () => {
    const { award, first, released } = await scheduledAward();
    expect((await record(award.awardId, first.cookie, { instalmentId: released, amount: "90000", reference: "BACS-A" })).status).toBe(302);
    const over = await record(award.awardId, first.cookie, { instalmentId: released, amount: "5000.01", reference: "BACS-B" });
    expect(over.status).toBe(400);
    const body = (await over.json()) as { errors: Record<string, string> };
    expect(body.errors.amount).toContain("at most £5,000 can be paid against it");
    expect((await record(award.awardId, first.cookie, { instalmentId: released, amount: "5000", reference: "BACS-C" })).status).toBe(302);
    expect((await paymentsOf(award.awardId)).reduce((t, p) => t + p.amount_pence, 0)).toBe(9_500_000);
  });

  it("holds a payment not against an instalment to the release rules: only released money can be paid", async () => {
    const { award, first, second, reportId, released, unreleased } = await scheduledAward();
    // The report is not approved, so the £105,000 instalment is not released, either chosen or not.
    const direct = await record(award.awardId, first.cookie, { instalmentId: unreleased, amount: "1000", reference: "BACS-D" });
    expect(direct.status).toBe(400);
    const around = await record(award.awardId, first.cookie, { amount: "96000", reference: "BACS-E" });
    expect(around.status).toBe(400);
    expect(((await around.json()) as { errors: Record<string, string> }).errors.instalmentId).toContain("at most £95,000 can be paid now");
    expect(await paymentsOf(award.awardId)).toEqual([]);

    // The released £95,000 can be paid outside an instalment, and then nothing more: not even against the released instalment.
    const whole = await record(award.awardId, first.cookie, { amount: "95000", reference: "BACS-F" });
    expect(whole.status).toBe(302);
    const [payment] = await paymentsOf(award.awardId);
    await runAction(paymentsPage.action, await postForm(path(award.awardId), { intent: "approve", paymentId: payment!.id }, { cookie: second.cookie }), {
      awardId: award.awardId,
    });
    expect((await record(award.awardId, first.cookie, { amount: "1", reference: "BACS-G" })).status).toBe(400);
    expect((await record(award.awardId, first.cookie, { instalmentId: released, amount: "1", reference: "BACS-H" })).status).toBe(400);

    // Once the report is approved, the second instalment's money can be paid.
    await getDb().updateTable("monitoring_report").set({ status: "approved" }).where("id", "=", reportId).execute();
    expect((await record(award.awardId, first.cookie, { amount: "1000", reference: "BACS-I" })).status).toBe(302);
  });
});

import { describe, expect, it } from "vitest";
import { action as reportsAction, loader as reportsLoader } from "~/routes/admin.awards.$awardId.reports";
import { action as overdueAction, loader as overdueLoader } from "~/routes/admin.reports";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, makeAward, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";
import { newId } from "~/utils/ids.server";

async function setup() {
  const award = await makeAward({ status: "accepted" });
  const admin = await makeUser({ role: "admin" });
  const member = await makeUser({ role: "applicant", organisationId: award.organisationId });
  return { award, admin, member, adminCookie: await sessionCookieFor(admin.id), memberCookie: await sessionCookieFor(member.id) };
}

async function addReport(
  awardId: string,
  fields: { kind?: "progress" | "final"; dueOn?: string; status?: "due" | "submitted" | "approved" | "more_requested" } = {},
) {
  const id = newId();
  await getDb()
    .insertInto("monitoring_report")
    .values({ id, award_id: awardId, kind: fields.kind ?? "progress", due_on: fields.dueOn ?? "2099-01-31", status: fields.status ?? "due" })
    .execute();
  return id;
}

const reportsFor = (awardId: string) =>
  getDb().selectFrom("monitoring_report").select(["id", "kind", "due_on", "status", "review_note"]).where("award_id", "=", awardId).orderBy("due_on").execute();

describe("the administrator's reports page for an award", () => {
  it("sets reporting dates from a schedule: progress every N months and a final report at the end", async () => {
    const { award, adminCookie } = await setup();
    const res = await runAction(
      reportsAction,
      await postForm(
        `/admin/awards/${award.awardId}/reports`,
        { intent: "schedule", startOn: "2027-01-01", endOn: "2027-12-31", everyMonths: "4" },
        { cookie: adminCookie },
      ),
      { awardId: award.awardId },
    );
    expect(res.status).toBe(302);
    expect((await reportsFor(award.awardId)).map((r) => [r.kind, r.due_on])).toEqual([
      ["progress", "2027-05-01"],
      ["progress", "2027-09-01"],
      ["final", "2027-12-31"],
    ]);
  });

  it("adds a date by hand, and answers bad input with 400 and field errors", async () => {
    const { award, adminCookie } = await setup();
    const bad = await runAction(
      reportsAction,
      await postForm(`/admin/awards/${award.awardId}/reports`, { intent: "add", kind: "progress", dueOn: "31/02/2027" }, { cookie: adminCookie }),
      { awardId: award.awardId },
    );
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.errors.dueOn).toMatch(/date/);
    expect(body.values.dueOn).toBe("31/02/2027");
    const badSchedule = await runAction(
      reportsAction,
      await postForm(
        `/admin/awards/${award.awardId}/reports`,
        { intent: "schedule", startOn: "2027-05-01", endOn: "2027-01-01", everyMonths: "x" },
        { cookie: adminCookie },
      ),
      { awardId: award.awardId },
    );
    expect(badSchedule.status).toBe(400);
    expect((await badSchedule.json()).errors.everyMonths).toBeTruthy();
    const ok = await runAction(
      reportsAction,
      await postForm(`/admin/awards/${award.awardId}/reports`, { intent: "add", kind: "final", dueOn: "2027-06-30" }, { cookie: adminCookie }),
      { awardId: award.awardId },
    );
    expect(ok.status).toBe(302);
    expect(await reportsFor(award.awardId)).toHaveLength(1);
  });

  it("approves a submitted report, or asks for more with a note the group is told", async () => {
    const { award, adminCookie, member } = await setup();
    const first = await addReport(award.awardId, { status: "submitted", dueOn: "2027-01-01" });
    const second = await addReport(award.awardId, { status: "submitted", dueOn: "2027-04-01" });
    const noNote = await runAction(
      reportsAction,
      await postForm(`/admin/awards/${award.awardId}/reports`, { intent: "more", reportId: second, note: "" }, { cookie: adminCookie }),
      { awardId: award.awardId },
    );
    expect(noNote.status).toBe(400);
    expect((await noNote.json()).errors.note).toMatch(/what more you need/);
    await runAction(
      reportsAction,
      await postForm(`/admin/awards/${award.awardId}/reports`, { intent: "approve", reportId: first, note: "" }, { cookie: adminCookie }),
      { awardId: award.awardId },
    );
    await runAction(
      reportsAction,
      await postForm(`/admin/awards/${award.awardId}/reports`, { intent: "more", reportId: second, note: "Please add receipts." }, { cookie: adminCookie }),
      { awardId: award.awardId },
    );
    expect((await reportsFor(award.awardId)).map((r) => r.status)).toEqual(["approved", "more_requested"]);
    const emails = await getDb().selectFrom("email_outbox").select("body_text").where("to_address", "=", member.email).execute();
    expect(emails.some((e) => e.body_text.includes("Please add receipts."))).toBe(true);
  });

  it("is for administrators only, in the loader and the action", async () => {
    const { award, memberCookie } = await setup();
    const lead = await makeUser({ role: "lead_org" });
    expect(
      (await runLoader(reportsLoader, getRequest(`/admin/awards/${award.awardId}/reports`, { cookie: memberCookie }), { awardId: award.awardId })).status,
    ).toBe(403);
    expect((await runLoader(overdueLoader, getRequest(`/admin/reports`, { cookie: await sessionCookieFor(lead.id) }))).status).toBe(403);
    const post = await runAction(
      reportsAction,
      await postForm(`/admin/awards/${award.awardId}/reports`, { intent: "add", kind: "final", dueOn: "2027-06-30" }, { cookie: memberCookie }),
      { awardId: award.awardId },
    );
    expect(post.status).toBe(403);
    expect((await runAction(overdueAction, await postForm(`/admin/reports`, {}, { cookie: memberCookie }))).status).toBe(403);
    expect(await reportsFor(award.awardId)).toHaveLength(0);
  });
});

describe("overdue reports across awards", () => {
  it("flags overdue reports and queues one reminder email per overdue report", async () => {
    const { award, adminCookie } = await setup();
    await getDb()
      .updateTable("organisation")
      .set({ contact_email: `contact-${award.awardId}@example.test` })
      .where("id", "=", award.organisationId)
      .execute();
    const late = await addReport(award.awardId, { dueOn: "2020-01-31" });
    const moreLate = await addReport(award.awardId, { dueOn: "2020-03-31", status: "more_requested" });
    await addReport(award.awardId, { dueOn: "2020-02-28", status: "submitted" });
    await addReport(award.awardId, { dueOn: "2099-01-31" });
    const page = await runLoader(overdueLoader, getRequest("/admin/reports", { cookie: adminCookie }));
    const ids = ((await page.json()) as { reports: { id: string }[] }).reports.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([late, moreLate]));
    expect(ids).toHaveLength(new Set(ids).size);
    const res = await runAction(overdueAction, await postForm("/admin/reports", {}, { cookie: adminCookie }));
    expect(res.status).toBe(302);
    const emails = await getDb().selectFrom("email_outbox").select("subject").where("to_address", "=", `contact-${award.awardId}@example.test`).execute();
    expect(emails).toHaveLength(2);
    const reminded = await getDb().selectFrom("monitoring_report").select(["id", "reminded_at"]).where("award_id", "=", award.awardId).execute();
    expect(
      reminded
        .filter((r) => r.reminded_at)
        .map((r) => r.id)
        .sort(),
    ).toEqual([late, moreLate].sort());
    expect((await auditEventsFor("monitoring_report.reminder_sent")).filter((e) => e.entity_id === late)).toHaveLength(1);
  });
});

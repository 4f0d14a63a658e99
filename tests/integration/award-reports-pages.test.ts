import { describe, expect, it } from "vitest";
import { action as reportAction, loader as reportLoader } from "~/routes/awards.$awardId.reports.$reportId";
import { loader as reportsLoader } from "~/routes/awards.$awardId.reports._index";
import { action as adminAction } from "~/routes/admin.awards.$awardId.reports";
import { getDb } from "~/utils/db.server";
import { newId } from "~/utils/ids.server";
import { makeAward, makeUser } from "../factories";
import { csrfFor, getRequest, ORIGIN, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

async function setup() {
  const award = await makeAward({ status: "accepted" });
  const member = await makeUser({ role: "applicant", organisationId: award.organisationId });
  const admin = await makeUser({ role: "admin" });
  const reportId = newId();
  await getDb()
    .insertInto("monitoring_report")
    .values({ id: reportId, award_id: award.awardId, kind: "progress", due_on: "2020-01-31", status: "due" })
    .execute();
  return { award, reportId, memberCookie: await sessionCookieFor(member.id), adminCookie: await sessionCookieFor(admin.id) };
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

/** A multipart POST as the browser sends it: the CSRF token first, then the fields and files. */
async function postMultipart(
  path: string,
  fields: Record<string, string>,
  files: { name: string; bytes: Uint8Array<ArrayBuffer>; type: string }[],
  cookie: string,
) {
  const { token, cookie: csrfCookie } = await csrfFor();
  const body = new FormData();
  body.append("csrf", token);
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  for (const f of files) body.append("files", new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
  return new Request(`${ORIGIN}${path}`, { method: "POST", headers: { Origin: ORIGIN, Cookie: `${csrfCookie}; ${cookie}` }, body });
}

const statusOf = async (id: string) =>
  await getDb().selectFrom("monitoring_report").select(["status", "spend", "outcomes"]).where("id", "=", id).executeTakeFirstOrThrow();
const good = { progress: "Scaffolding is up; the roofers start next week.", "spend[0]": "1,000", "spend[1]": "500", "achieved[0]": "Open 3 extra days so far" };

describe("the group's monitoring reports", () => {
  it("lists the reports with the overdue one flagged in text", async () => {
    const { award, reportId, memberCookie } = await setup();
    const res = await runLoader(reportsLoader, getRequest(`/awards/${award.awardId}/reports`, { cookie: memberCookie }), { awardId: award.awardId });
    const data = (await res.json()) as { reports: { id: string; isOverdue: boolean }[] };
    expect(data.reports).toEqual([expect.objectContaining({ id: reportId, isOverdue: true })]);
  });

  it("prefills spend for each of the proposal's budget lines and its outcomes", async () => {
    const { award, reportId, memberCookie } = await setup();
    const res = await runLoader(reportLoader, getRequest(`/awards/${award.awardId}/reports/${reportId}`, { cookie: memberCookie }), {
      awardId: award.awardId,
      reportId,
    });
    const data = (await res.json()) as { budgetLines: { item: string }[]; outcomes: { outcome: string }[] };
    expect(data.budgetLines.map((l) => l.item)).toEqual(["Roofing contractor", "Scaffolding"]);
    expect(data.outcomes.map((o) => o.outcome)).toEqual(["The hall is open all winter"]);
  });

  it("submit → ask for more → resubmit → approve", async () => {
    const { award, reportId, memberCookie, adminCookie } = await setup();
    const path = `/awards/${award.awardId}/reports/${reportId}`;
    const sent = await runAction(reportAction, await postMultipart(path, good, [{ name: "scaffold.png", bytes: PNG, type: "image/png" }], memberCookie), {
      awardId: award.awardId,
      reportId,
    });
    expect(sent.status).toBe(302);
    const stored = await statusOf(reportId);
    expect(stored.status).toBe("submitted");
    expect(JSON.parse(stored.spend)).toEqual([
      { item: "Roofing contractor", budget_pence: 4_000_000, spent_pence: 100_000 },
      { item: "Scaffolding", budget_pence: 500_000, spent_pence: 50_000 },
    ]);
    expect(JSON.parse(stored.outcomes)[0].achieved).toBe("Open 3 extra days so far");
    await runAction(
      adminAction,
      await postForm(`/admin/awards/${award.awardId}/reports`, { intent: "more", reportId, note: "Add the scaffolding invoice." }, { cookie: adminCookie }),
      { awardId: award.awardId },
    );
    expect((await statusOf(reportId)).status).toBe("more_requested");
    const again = await runAction(
      reportAction,
      await postMultipart(
        path,
        { ...good, progress: "Invoice attached." },
        [{ name: "invoice.pdf", bytes: new TextEncoder().encode("%PDF-1.4 test"), type: "application/pdf" }],
        memberCookie,
      ),
      { awardId: award.awardId, reportId },
    );
    expect(again.status).toBe(302);
    await runAction(adminAction, await postForm(`/admin/awards/${award.awardId}/reports`, { intent: "approve", reportId, note: "" }, { cookie: adminCookie }), {
      awardId: award.awardId,
    });
    expect((await statusOf(reportId)).status).toBe("approved");
    expect(await getDb().selectFrom("award_file").select("id").where("report_id", "=", reportId).execute()).toHaveLength(2);
  });

  it("answers bad input with 400, field errors and the input kept", async () => {
    const { award, reportId, memberCookie } = await setup();
    const res = await runAction(
      reportAction,
      await postMultipart(
        `/awards/${award.awardId}/reports/${reportId}`,
        { progress: "", "spend[0]": "lots", "spend[1]": "5" },
        [{ name: "run.png", bytes: new TextEncoder().encode("MZ program"), type: "image/png" }],
        memberCookie,
      ),
      { awardId: award.awardId, reportId },
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(Object.keys(body.errors).sort()).toEqual(["progress", "spend[0]"]);
    expect(body.values["spend[0]"]).toBe("lots");
    const wrongType = await runAction(
      reportAction,
      await postMultipart(
        `/awards/${award.awardId}/reports/${reportId}`,
        good,
        [{ name: "run.png", bytes: new TextEncoder().encode("MZ program"), type: "image/png" }],
        memberCookie,
      ),
      { awardId: award.awardId, reportId },
    );
    expect(wrongType.status).toBe(400);
    expect((await wrongType.json()).errors.files).toMatch(/photo/);
    expect((await statusOf(reportId)).status).toBe("due");
  });

  it("a report submitted for another group's award gets 403, in the loader and the action", async () => {
    const { award, reportId } = await setup();
    const other = await makeAward({ status: "accepted" });
    const outsider = await makeUser({ role: "applicant", organisationId: other.organisationId });
    const cookie = await sessionCookieFor(outsider.id);
    const params = { awardId: award.awardId, reportId };
    expect((await runLoader(reportLoader, getRequest(`/awards/${award.awardId}/reports/${reportId}`, { cookie }), params)).status).toBe(403);
    expect((await runLoader(reportsLoader, getRequest(`/awards/${award.awardId}/reports`, { cookie }), params)).status).toBe(403);
    const res = await runAction(reportAction, await postMultipart(`/awards/${award.awardId}/reports/${reportId}`, good, [], cookie), params);
    expect(res.status).toBe(403);
    expect((await statusOf(reportId)).status).toBe("due");
  });
});

import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { answerField, referenceField } from "~/domain/forms/equality";
import { loader as applicantHomeLoader } from "~/routes/applicant._index";
import { action as adminAction, loader as adminLoader } from "~/routes/admin.funds.$fundId.equality";
import { loader as fundAdminLoader } from "~/routes/admin.funds.$fundId._index";
import { action as answerAction, loader as answerLoader } from "~/routes/equality.$fundId";
import { loader as panelHomeLoader } from "~/routes/panel._index";
import { recordEqualityAnswer } from "~/services/equality.server";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

type Question = { id: string; text: string; options: { id: string; label: string; isPreferNotToSay: boolean; referenceTenths: number | null }[] };
type Cell = { count: number | null; shareTenths: number | null; diffTenths: number | null; diffWords: string | null };
type Report = {
  responses: { panel: number | null; applicant: number | null };
  questions: {
    id: string;
    groups: Record<"panel" | "applicant", { total: number | null; isHidden: boolean }>;
    rows: { optionId: string; label: string; cells: Record<"panel" | "applicant", Cell> }[];
    reference: { totalTenths: number; warning: string | null };
  }[];
};

let fundId: string;
let groupId: string;
let adminCookie: string;
let question: Question;

const adminPage = async (cookie = adminCookie) => runLoader(adminLoader, getRequest(`/admin/funds/${fundId}/equality`, { cookie }), { fundId });
const adminData = async () => (await (await adminPage()).json()) as { questions: Question[]; report: Report };
const postAdmin = async (fields: Record<string, string>) =>
  runAction(adminAction, await postForm(`/admin/funds/${fundId}/equality`, fields, { cookie: adminCookie }), { fundId });
const postAnswer = async (cookie: string, fields: Record<string, string>, fund = fundId) =>
  runAction(answerAction, await postForm(`/equality/${fund}`, fields, { cookie }), { fundId: fund });
const option = (label: string) => question.options.find((o) => o.label === label)!;
const panelMemberOfFund = () => makeUser({ role: "panel_member", decisionGroupId: groupId, hasDeclaredInterests: true });

beforeAll(async () => {
  const admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
  const group = await makeDecisionGroup({ name: "Monitored group" });
  groupId = group.id;
  fundId = group.fund_id;
});

describe("the administrator sets up equality monitoring per fund", () => {
  it("refuses anyone but an administrator: 403 for a panel member, sign-in for nobody, and nothing written", async () => {
    const member = await panelMemberOfFund();
    expect((await adminPage(await sessionCookieFor(member.id))).status).toBe(403);
    const anonymous = await adminPage("");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toContain("/login");
    const refused = await runAction(
      adminAction,
      await postForm(`/admin/funds/${fundId}/equality`, { text: "Age?", options: "Young\nOld" }, { cookie: await sessionCookieFor(member.id) }),
      {
        fundId,
      },
    );
    expect(refused.status).toBe(403);
    expect(await getDb().selectFrom("equality_question").select("id").where("fund_id", "=", fundId).execute()).toEqual([]);
    const fundPage = await runLoader(fundAdminLoader, getRequest(`/admin/funds/${fundId}`, { cookie: adminCookie }), { fundId });
    expect(fundPage.status).toBe(200);
  });

  it("takes no answers before there is a question, so nobody is marked as answered too early", async () => {
    const member = await panelMemberOfFund();
    const early = await postAnswer(await sessionCookieFor(member.id), { as: "panel" });
    expect(early.status).toBe(400);
    expect(((await early.json()) as { errors: Record<string, string> }).errors.form).toBe("There are no questions for this fund yet.");
    expect(await getDb().selectFrom("equality_participation").select("user_id").where("fund_id", "=", fundId).execute()).toEqual([]);
  });

  it("adds a question whose options end with Prefer not to say, on the audit trail", async () => {
    const missing = await postAdmin({ intent: "question", text: "", options: "Only one" });
    expect(missing.status).toBe(400);
    const errors = ((await missing.json()) as { errors: Record<string, string> }).errors;
    expect(errors.text).toBe("Enter the question");
    expect(errors.options).toBe("Enter at least two answers, one on each line");

    const added = await postAdmin({ intent: "question", text: "What is your age?", options: "16 to 24\n25 to 49\n\nprefer not to say\n50 or over" });
    expect(added.status).toBe(303);
    const { questions } = await adminData();
    expect(questions).toHaveLength(1);
    question = questions[0]!;
    expect(question.options.map((o) => o.label)).toEqual(["16 to 24", "25 to 49", "50 or over", "Prefer not to say"]);
    expect(question.options.map((o) => o.isPreferNotToSay)).toEqual([false, false, false, true]);
    const [event] = await auditEventsFor("equality.question_added");
    expect(event!.entity_id).toBe(question.id);
  });

  it("refuses reference figures that are not 0–100 with one decimal, or add up to more than 100, with field errors", async () => {
    const young = referenceField(option("16 to 24").id);
    const middle = referenceField(option("25 to 49").id);
    const old = referenceField(option("50 or over").id);
    const bad = await postAdmin({ intent: "references", questionId: question.id, [young]: "101", [middle]: "12.34", [old]: "lots" });
    expect(bad.status).toBe(400);
    const badErrors = ((await bad.json()) as { errors: Record<string, string>; values: Record<string, string> }).errors;
    const message = "Enter a percentage from 0 to 100, with one decimal place at most, like 12.5";
    expect(badErrors).toEqual({ [young]: message, [middle]: message, [old]: message });

    const tooMuch = await postAdmin({ intent: "references", questionId: question.id, [young]: "60", [middle]: "30.5", [old]: "10" });
    expect(tooMuch.status).toBe(400);
    const tooMuchData = (await tooMuch.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(tooMuchData.errors[young]).toBe("The area's figures add up to 100.5%. They must add up to 100% or less");
    expect(tooMuchData.values[middle]).toBe("30.5");
    expect((await adminData()).questions[0]!.options.every((o) => o.referenceTenths === null)).toBe(true);

    // Less than 100% is allowed: the rest is unknown, and the page says so.
    const saved = await postAdmin({ intent: "references", questionId: question.id, [young]: "20", [middle]: "45.5", [old]: "30" });
    expect(saved.status).toBe(303);
    const { questions, report } = await adminData();
    question = questions[0]!;
    expect(question.options.map((o) => o.referenceTenths)).toEqual([200, 455, 300, null]);
    expect(report.questions[0]!.reference.warning).toBe("The area's figures add up to 95.5%, not 100%. The other 4.5% shows as unknown.");
    expect(await auditEventsFor("equality.reference_figures_set")).toHaveLength(1);
  });
});

describe("removing a question", () => {
  it("removes a question nobody has answered, with its options, on the audit trail", async () => {
    expect((await postAdmin({ intent: "question", text: "A question added by mistake?", options: "Yes\nNo" })).status).toBe(303);
    const mistake = (await adminData()).questions.find((q) => q.text === "A question added by mistake?")!;
    expect((await postAdmin({ intent: "remove", questionId: mistake.id })).status).toBe(303);
    expect((await adminData()).questions.map((q) => q.id)).toEqual([question.id]);
    expect(await getDb().selectFrom("equality_option").select("id").where("question_id", "=", mistake.id).execute()).toEqual([]);
    expect((await auditEventsFor("equality.question_removed")).map((e) => e.entity_id)).toEqual([mistake.id]);
  });
});

describe("panel members and applicants answer anonymously", () => {
  it("a panel member of another fund, or someone with no part in it, cannot see or send the form", async () => {
    const otherGroup = await makeDecisionGroup({ name: "Another fund's group" });
    const outsider = await makeUser({ role: "panel_member", decisionGroupId: otherGroup.id });
    const cookie = await sessionCookieFor(outsider.id);
    expect((await runLoader(answerLoader, getRequest(`/equality/${fundId}`, { cookie }), { fundId })).status).toBe(403);
    const refused = await postAnswer(cookie, { as: "panel", [answerField(question.id)]: option("16 to 24").id });
    expect(refused.status).toBe(403);
    const admin = await runLoader(answerLoader, getRequest(`/equality/${fundId}`, { cookie: adminCookie }), { fundId });
    expect(admin.status).toBe(403);
    expect(await getDb().selectFrom("equality_response").select("id").where("fund_id", "=", fundId).execute()).toEqual([]);
  });

  it("stores the answer with no user id, records that they answered apart, and audits it without a person", async () => {
    const member = await panelMemberOfFund();
    const cookie = await sessionCookieFor(member.id);
    const page = await runLoader(answerLoader, getRequest(`/equality/${fundId}`, { cookie }), { fundId });
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ as: "panel", hasAnswered: false });
    const home = (await (await runLoader(panelHomeLoader, getRequest("/panel", { cookie }))).json()) as { equality: { id: string }[] };
    expect(home.equality.map((f) => f.id)).toEqual([fundId]);

    const sent = await postAnswer(cookie, { as: "panel", [answerField(question.id)]: option("25 to 49").id });
    expect(sent.status).toBe(303);

    const responses = await getDb().selectFrom("equality_response").selectAll().where("fund_id", "=", fundId).execute();
    expect(responses).toHaveLength(1);
    expect(Object.keys(responses[0]!).sort()).toEqual(["fund_id", "id", "role_group"]);
    expect(responses[0]!.role_group).toBe("panel");
    const choices = await getDb().selectFrom("equality_response_choice").selectAll().execute();
    expect(JSON.stringify([responses, choices])).not.toContain(member.id);
    const participation = await getDb().selectFrom("equality_participation").selectAll().where("user_id", "=", member.id).execute();
    expect(participation).toEqual([{ fund_id: fundId, user_id: member.id, role_group: "panel" }]);
    // Nothing the two share but the fund and the group: no id, no time.
    expect(JSON.stringify(participation)).not.toContain(responses[0]!.id);

    const events = await auditEventsFor("equality.answer_recorded");
    expect(events).toHaveLength(1);
    expect(events[0]!.actor).toBe("anonymous");
    expect(events[0]!.entity_id).toBe(fundId);
    const eventText = JSON.stringify(events[0]);
    for (const secret of [member.id, responses[0]!.id, option("25 to 49").id, "25 to 49"]) expect(eventText).not.toContain(secret);
    // No hidden write order either: the tables have no rowid to pair the n-th answer with the n-th person.
    for (const table of ["equality_response", "equality_response_choice", "equality_participation"]) {
      await expect(sql`select rowid from ${sql.table(table)}`.execute(getDb())).rejects.toThrow(/no such column: rowid|column "rowid" does not exist/);
    }
    // Nor did the form's one-time key tie the person to the moment they answered.
    expect(await getDb().selectFrom("submission").select("user_id").where("user_id", "=", member.id).execute()).toEqual([]);

    const after = (await (await runLoader(panelHomeLoader, getRequest("/panel", { cookie }))).json()) as { equality: unknown[] };
    expect(after.equality).toEqual([]);
    expect(await (await runLoader(answerLoader, getRequest(`/equality/${fundId}`, { cookie }), { fundId })).json()).toMatchObject({ hasAnswered: true });
  });

  it("takes one answer per person: a second is refused and counts stay the same", async () => {
    const member = await panelMemberOfFund();
    const cookie = await sessionCookieFor(member.id);
    expect((await postAnswer(cookie, { as: "panel" })).status).toBe(303);
    const again = await postAnswer(cookie, { as: "panel", [answerField(question.id)]: option("16 to 24").id });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { errors: Record<string, string> }).errors.form).toBe("You have already answered these questions. Thank you.");
    const n = await getDb().selectFrom("equality_response").select("id").where("fund_id", "=", fundId).execute();
    expect(n).toHaveLength(2);
  });

  it("an applicant answers as an applicant, not as a panel member; a group that has not submitted cannot", async () => {
    const org = await makeOrganisation();
    const applicant = await makeUser({ organisationId: org.id });
    const cookie = await sessionCookieFor(applicant.id);
    expect((await runLoader(answerLoader, getRequest(`/equality/${fundId}`, { cookie }), { fundId })).status).toBe(403);
    await makeProposal({ decisionGroupId: groupId, organisationId: org.id, status: "draft" });
    expect((await runLoader(answerLoader, getRequest(`/equality/${fundId}`, { cookie }), { fundId })).status).toBe(403);
    await makeProposal({ decisionGroupId: groupId, organisationId: org.id, status: "submitted" });
    const home = (await (await runLoader(applicantHomeLoader, getRequest("/applicant", { cookie }))).json()) as { equality: { id: string }[] };
    expect(home.equality.map((f) => f.id)).toEqual([fundId]);

    const asPanel = await postAnswer(cookie, { as: "panel" });
    expect(asPanel.status).toBe(400);
    expect(((await asPanel.json()) as { errors: Record<string, string> }).errors.as).toBe("Only this fund's panel members can answer as a panel member.");
    const wrongOption = await postAnswer(cookie, { as: "applicant", [answerField(question.id)]: "not-an-option" });
    expect(wrongOption.status).toBe(400);
    expect((await postAnswer(cookie, { as: "applicant", [answerField(question.id)]: option("16 to 24").id })).status).toBe(303);
    const rows = await getDb()
      .selectFrom("equality_response")
      .select("role_group")
      .where("fund_id", "=", fundId)
      .where("role_group", "=", "applicant")
      .execute();
    expect(rows).toHaveLength(1);
  });
});

describe("paper forms", () => {
  it("an administrator types in a paper form: stored the same anonymous way, refused without saying who filled it in", async () => {
    const count = async () => (await getDb().selectFrom("equality_response").select("id").where("fund_id", "=", fundId).execute()).length;
    const before = await count();
    const missing = await postAdmin({ intent: "paper", [answerField(question.id)]: option("50 or over").id });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { errors: Record<string, string> }).errors.as).toBe("Choose who filled in the form");
    expect(await count()).toBe(before);

    // Applicants' paper forms here, so the panel's figures in the report below stay the panel's own.
    expect((await postAdmin({ intent: "paper", as: "applicant", [answerField(question.id)]: option("50 or over").id })).status).toBe(303);
    expect(await count()).toBe(before + 1);
    const [event] = await auditEventsFor("equality.paper_answer_recorded");
    expect(event!.entity_id).toBe(fundId);
    expect(JSON.stringify(event)).not.toContain(option("50 or over").id);
  });
});

describe("a question with answers", () => {
  it("cannot be removed, so no answer is lost", async () => {
    const refused = await postAdmin({ intent: "remove", questionId: question.id });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: Record<string, string> }).errors.form).toBe(
      "People have answered this question, so it stays: removing it would lose their answers.",
    );
    expect((await adminData()).questions.map((q) => q.id)).toEqual([question.id]);
  });
});

describe("the report", () => {
  it("hides groups and counts below 5, and the shown numbers add up", async () => {
    // So far: panel 1 × "25 to 49" and 1 skipped the question; applicants 1 × "16 to 24" and 1 on paper. Every group is under 5.
    let { report } = await adminData();
    expect(report.responses).toEqual({ panel: null, applicant: null });
    const q = () => report.questions[0]!;
    expect(q().groups.panel).toEqual({ total: null, isHidden: true });
    expect(q().rows.every((r) => r.cells.panel.count === null && r.cells.applicant.count === null)).toBe(true);

    // Ten more panel members: 5 more "25 to 49" (6 in all), 5 "50 or over". The skipped question is not counted.
    for (let i = 0; i < 10; i += 1) {
      const member = await panelMemberOfFund();
      await recordEqualityAnswer(getDb(), member, fundId, { as: "panel", choices: { [question.id]: option(i < 5 ? "25 to 49" : "50 or over").id } });
    }
    ({ report } = await adminData());
    expect(report.responses.panel).toBe(12);
    expect(q().groups.panel).toEqual({ total: 11, isHidden: false });
    const cell = (label: string) => q().rows.find((r) => r.label === label)!.cells.panel;
    expect(cell("25 to 49")).toEqual({ count: 6, shareTenths: 545, diffTenths: 90, diffWords: "9 points more than the area" });
    expect(cell("50 or over")).toEqual({ count: 5, shareTenths: 455, diffTenths: 155, diffWords: "15.5 points more than the area" });
    expect(cell("16 to 24")).toEqual({ count: null, shareTenths: null, diffTenths: null, diffWords: null });
    const shown = q()
      .rows.map((r) => r.cells.panel)
      .filter((c) => c.count !== null);
    expect(shown.reduce((s, c) => s + c.count!, 0)).toBe(11);
    expect(shown.reduce((s, c) => s + c.shareTenths!, 0)).toBe(1000);
    // The applicants (1) stay hidden.
    expect(q().groups.applicant.isHidden).toBe(true);

    const page = await adminPage();
    expect(page.status).toBe(200);
  });
});

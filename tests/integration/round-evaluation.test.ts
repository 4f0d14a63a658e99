import { beforeAll, describe, expect, it } from "vitest";
import type { GroupSummary, ProcessFigures } from "~/domain/evaluation";
import { HIDDEN_GROUP_MESSAGE } from "~/domain/evaluation";
import { loader as csvLoader } from "~/routes/admin.funds.$fundId.evaluation[.]csv";
import { action as evaluationAction, loader as evaluationLoader } from "~/routes/admin.funds.$fundId.evaluation";
import { action as surveyAction, loader as surveyLoader } from "~/routes/survey.$fundId";
import { getDb } from "~/utils/db.server";
import { newId, nowIso } from "~/utils/ids.server";
import {
  addMembership,
  auditEventsFor,
  emailsTo,
  makeAward,
  makeDecisionGroup,
  makeFund,
  makeOrganisation,
  makeProposal,
  makeUser,
  setFundDates,
} from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

const ANSWERS = { takePartAgain: "yes", gainedConfidence: "partly", feltListenedTo: "yes", feedbackUseful: "not_sure" };

let fund: { id: string; budget_pence: number };
let group: { id: string };
let adminCookie: string;
let panel: { id: string; email: string; cookie: string }[];
let applicant: { id: string; email: string; cookie: string };
let leadStaff: { id: string; email: string; cookie: string };
let outsider: { cookie: string };

const surveyPath = () => `/survey/${fund.id}`;
const evaluationPath = () => `/admin/funds/${fund.id}/evaluation`;
const answer = async (cookie: string, fields: Record<string, string> = ANSWERS) =>
  runAction(surveyAction, await postForm(surveyPath(), fields, { cookie }), { fundId: fund.id });
const report = async () => {
  const response = await runLoader(evaluationLoader, getRequest(evaluationPath(), { cookie: adminCookie }), { fundId: fund.id });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    survey: { isOpen: boolean; sentAt: string | null; asked: number; answered: number };
    report: { total: number; groups: GroupSummary[]; everyone: GroupSummary | null };
    figures: ProcessFigures;
  };
};
const groupOf = (groups: GroupSummary[], roleGroup: string) => groups.find((g) => g.roleGroup === roleGroup)!;
const withCookie = async <T extends { id: string }>(u: T) => ({ ...u, cookie: await sessionCookieFor(u.id) });

beforeAll(async () => {
  adminCookie = await sessionCookieFor((await makeUser({ role: "admin" })).id);
  fund = await makeFund({ name: "Evaluated Fund", budgetPence: 300_000_00 });
  await setFundDates(fund.id, { opens_on: "2026-01-01", closes_on: "2026-01-31" });
  const lead = await makeOrganisation({ kind: "lead_org", name: "Evaluation Lead" });
  group = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id });
  panel = await Promise.all(Array.from({ length: 6 }, () => makeUser({ role: "panel_member", decisionGroupId: group.id }).then(withCookie)));
  const community = await makeOrganisation({ name: "Evaluation Community Group" });
  applicant = await withCookie(await makeUser({ organisationId: community.id }));
  await makeProposal({ decisionGroupId: group.id, organisationId: community.id, createdBy: applicant.id, status: "under_review" });
  leadStaff = await withCookie(await makeUser({ role: "lead_org", organisationId: lead.id }));
  // A member of a group that only drafted a proposal (never submitted) did not take part.
  const drafter = await makeOrganisation();
  const drafterUser = await makeUser({ organisationId: drafter.id });
  await makeProposal({ decisionGroupId: group.id, organisationId: drafter.id, createdBy: drafterUser.id, status: "draft" });
  outsider = await withCookie(drafterUser);
});

describe("the survey after decisions", () => {
  it("is only for people who took part: anyone else gets 403 and writes nothing", async () => {
    expect((await runLoader(surveyLoader, getRequest(surveyPath(), { cookie: outsider.cookie }), { fundId: fund.id })).status).toBe(403);
    expect((await answer(outsider.cookie)).status).toBe(403);
    expect((await runLoader(surveyLoader, getRequest(surveyPath(), { cookie: adminCookie }), { fundId: fund.id })).status).toBe(403);
    const rows = await getDb().selectFrom("survey_answer").select("id").where("fund_id", "=", fund.id).execute();
    expect(rows).toEqual([]);
  });

  it("stays closed until the results are published or an administrator sends it", async () => {
    const page = (await (await runLoader(surveyLoader, getRequest(surveyPath(), { cookie: panel[0]!.cookie }), { fundId: fund.id })).json()) as {
      isOpen: boolean;
    };
    expect(page.isOpen).toBe(false);
    const refused = await answer(panel[0]!.cookie);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: Record<string, string> }).errors.form).toMatch(/opens once the decisions are published/);
  });

  it("an administrator sends it once, through the outbox, to the panel, the group that applied and the lead organisation's staff", async () => {
    const sent = await runAction(evaluationAction, await postForm(evaluationPath(), { intent: "send" }, { cookie: adminCookie }), { fundId: fund.id });
    expect(sent.status).toBe(303);
    expect(sent.headers.get("Location")).toBe(`${evaluationPath()}?sent=8`);
    for (const person of [...panel, applicant, leadStaff]) {
      const emails = await emailsTo(person.email);
      expect(emails).toHaveLength(1);
      expect(emails[0]!.body_text).toContain(`/survey/${fund.id}`);
    }
    expect(await auditEventsFor("fund.survey_sent").then((e) => e.filter((x) => x.entity_id === fund.id))).toHaveLength(1);
    const again = await runAction(evaluationAction, await postForm(evaluationPath(), { intent: "send" }, { cookie: adminCookie }), { fundId: fund.id });
    expect(again.status).toBe(400);
    expect((await report()).survey).toMatchObject({ isOpen: true, asked: 8, answered: 0 });
  });

  it("asks again for an answer left out, keeping what was chosen", async () => {
    const response = await answer(panel[0]!.cookie, { takePartAgain: "yes", comment: "Kept" });
    expect(response.status).toBe(400);
    const data = (await response.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(Object.keys(data.errors).sort()).toEqual(["feedbackUseful", "feltListenedTo", "gainedConfidence"]);
    expect(data.values).toMatchObject({ takePartAgain: "yes", comment: "Kept" });
  });

  it("keeps the answer anonymous: the answer row has no user id and no time, and nothing links it to the person", async () => {
    const person = panel[0]!;
    const response = runAction(
      surveyAction,
      await postForm(surveyPath(), { ...ANSWERS, comment: "The meetings ran late." }, { cookie: person.cookie, submissionKey: "k".repeat(32) }),
      {
        fundId: fund.id,
      },
    );
    expect((await response).status).toBe(303);
    const rows = await getDb().selectFrom("survey_answer").selectAll().where("fund_id", "=", fund.id).execute();
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!).sort()).toEqual([
      "comment",
      "feedback_useful",
      "felt_listened_to",
      "fund_id",
      "gained_confidence",
      "id",
      "role_group",
      "take_part_again",
    ]);
    expect(JSON.stringify(rows[0])).not.toContain(person.id);
    expect(rows[0]).toMatchObject({ role_group: "panel", take_part_again: "yes", gained_confidence: "partly", comment: "The meetings ran late." });
    // Who answered is kept apart, with no id or time in common with the answer.
    const respondents = await getDb().selectFrom("survey_respondent").selectAll().where("fund_id", "=", fund.id).execute();
    expect(respondents).toEqual([{ fund_id: fund.id, user_id: person.id }]);
    // The audit trail says that they answered, never what; the one-time key's record (a fingerprint of the answers beside the person) is not kept.
    const event = (await auditEventsFor("fund.survey_answered")).find((e) => e.actor === person.id)!;
    expect(event).toMatchObject({ entity_type: "fund", entity_id: fund.id, before: null, after: null });
    expect(JSON.stringify(event)).not.toContain(rows[0]!.id);
    expect(await getDb().selectFrom("submission").select("user_id").where("user_id", "=", person.id).execute()).toEqual([]);
  });

  it("takes one answer per person", async () => {
    const again = await answer(panel[0]!.cookie);
    expect(again.status).toBe(400);
    expect(((await again.json()) as { errors: Record<string, string> }).errors.form).toMatch(/already answered/);
    const page = (await (await runLoader(surveyLoader, getRequest(surveyPath(), { cookie: panel[0]!.cookie }), { fundId: fund.id })).json()) as {
      hasAnswered: boolean;
    };
    expect(page.hasAnswered).toBe(true);
    const { n } = await getDb()
      .selectFrom("survey_answer")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("fund_id", "=", fund.id)
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(1);
  });

  it("someone who took part in two ways chooses which, and only one of their own", async () => {
    const both = await makeUser({ role: "panel_member", decisionGroupId: group.id });
    const lead = await getDb()
      .selectFrom("decision_group_lead_org")
      .select("organisation_id")
      .where("decision_group_id", "=", group.id)
      .executeTakeFirstOrThrow();
    await addMembership(both.id, { role: "lead_org", organisationId: lead.organisation_id });
    const cookie = await sessionCookieFor(both.id);
    const page = (await (await runLoader(surveyLoader, getRequest(surveyPath(), { cookie }), { fundId: fund.id })).json()) as {
      roleGroups: { value: string }[];
    };
    expect(page.roleGroups.map((g) => g.value)).toEqual(["panel", "lead_org"]);
    const unchosen = await answer(cookie);
    expect(unchosen.status).toBe(400);
    expect(((await unchosen.json()) as { errors: Record<string, string> }).errors.roleGroup).toBe("Choose how you took part");
    expect((await answer(cookie, { ...ANSWERS, roleGroup: "applicant" })).status).toBe(400);
    expect((await answer(cookie, { ...ANSWERS, roleGroup: "lead_org" })).status).toBe(303);
  });
});

describe("the evaluation report", () => {
  it("hides a group with fewer than 5 answers, its free text too, and shows it with counts and percentages from 5", async () => {
    // So far: one panel answer and one lead organisation answer.
    for (const person of panel.slice(1, 4)) expect((await answer(person.cookie, { ...ANSWERS, comment: "SECRET-free-text" })).status).toBe(303);
    let data = await report();
    expect(groupOf(data.report.groups, "panel").state).toBe("hidden");
    expect(JSON.stringify(data)).not.toContain("SECRET-free-text");
    expect(data.report.everyone).toBeNull();

    expect((await answer(panel[4]!.cookie, { takePartAgain: "no", gainedConfidence: "yes", feltListenedTo: "partly", feedbackUseful: "yes" })).status).toBe(
      303,
    );
    data = await report();
    const shown = groupOf(data.report.groups, "panel");
    if (shown.state !== "shown") throw new Error("the panel's answers should show from 5");
    expect(shown.count).toBe(5);
    const again = shown.questions.find((q) => q.key === "takePartAgain")!;
    expect(again.choices.map((c) => [c.count, c.percent])).toEqual([
      [4, 80],
      [0, 0],
      [1, 20],
      [0, 0],
    ]);
    expect(again.bristolPercent).toBe(84);
    expect(shown.questions.find((q) => q.key === "gainedConfidence")!.bristolPercent).toBe(60);
    expect(shown.comments).toHaveLength(4);
    expect(groupOf(data.report.groups, "lead_org").state).toBe("hidden");
    expect(groupOf(data.report.groups, "applicant").state).toBe("empty");
    expect(data.survey).toMatchObject({ answered: 6 });
  });

  it("the CSV has the shown group's figures and the hidden group's message, and never the free text", async () => {
    const response = await runLoader(csvLoader, getRequest(`/admin/funds/${fund.id}/evaluation.csv`, { cookie: adminCookie }), { fundId: fund.id });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain("Panel members,5,Would you take part again?,Yes,4,80,84");
    expect(text).toContain(`Lead organisations,fewer than 5,${HIDDEN_GROUP_MESSAGE}`);
    expect(text).not.toContain("SECRET-free-text");
  });
});

describe("running costs", () => {
  const post = async (fields: Record<string, string>) =>
    runAction(evaluationAction, await postForm(evaluationPath(), { intent: "costs", ...fields }, { cookie: adminCookie }), { fundId: fund.id });

  it.each([
    ["", /Enter what running the round cost/],
    ["abc", /Enter the cost in pounds/],
    ["-5", /Enter the cost in pounds/],
    ["12.345", /Enter the cost in pounds/],
    ["300000.01", /more than the whole fund/],
  ])("refuses %j with a 400 in plain English and keeps the input", async (value, message) => {
    const response = await post({ runningCosts: value });
    expect(response.status).toBe(400);
    const data = (await response.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(data.errors.runningCosts).toMatch(message);
    expect(data.values.runningCosts).toBe(value);
  });

  it("keeps a valid figure as whole pence, on the audit trail, and shows it as a share of the fund beside Bristol's", async () => {
    const response = await post({ runningCosts: "£42,000.50", runningCostsNote: "Staff time and venues" });
    expect(response.status).toBe(303);
    const row = await getDb().selectFrom("fund_evaluation").selectAll().where("fund_id", "=", fund.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ running_costs_pence: 4_200_050, running_costs_note: "Staff time and venues" });
    const event = (await auditEventsFor("fund.running_costs_set")).find((e) => e.entity_id === fund.id)!;
    expect(JSON.parse(event.after!)).toMatchObject({ running_costs_pence: 4_200_050 });
    expect((await report()).figures.runningCosts).toEqual({ pence: 4_200_050, percentOfFund: 14, bristolPercent: 14 });
  });
});

describe("process figures from the round's records", () => {
  it("days from the window closing to the last decision, from decision to first payment, and the share with written feedback", async () => {
    const first = await makeAward({ decisionGroupId: group.id, status: "accepted" });
    const second = await makeAward({ decisionGroupId: group.id, status: "accepted" });
    const db = getDb();
    await db
      .updateTable("decision")
      .set({ decided_at: "2026-05-01T10:00:00.000Z", feedback: "Get a second quote." })
      .where("id", "=", first.decisionId)
      .execute();
    await db.updateTable("decision").set({ decided_at: "2026-05-20T10:00:00.000Z" }).where("id", "=", second.decisionId).execute();
    const admin = await db.selectFrom("user").select("id").limit(1).executeTakeFirstOrThrow();
    const pay = (awardId: string, paidOn: string, status: "paid" | "rejected") =>
      db
        .insertInto("payment")
        .values({
          id: newId(),
          award_id: awardId,
          instalment_id: null,
          amount_pence: 100,
          paid_on: paidOn,
          reference: newId(),
          status,
          recorded_by: admin.id,
          recorded_at: nowIso(),
          approved_by: null,
          approved_at: null,
        })
        .execute();
    await pay(first.awardId, "2026-06-10", "paid");
    await pay(first.awardId, "2026-05-05", "rejected");
    await pay(first.awardId, "2026-07-01", "paid");
    const { figures } = await report();
    expect(figures.windowToDecisions).toEqual({ days: 109, lastDecisionOn: "2026-05-20", undecided: 1 });
    expect(figures.decisionToFirstPayment).toEqual({ medianDays: 40, fastestDays: 40, slowestDays: 40, paid: 1, notYetPaid: 1 });
    expect(figures.feedback).toEqual({ withFeedback: 1, decided: 2, percent: 50 });
  });
});

import { describe, expect, it } from "vitest";
import { action as criteriaAction, loader as criteriaLoader } from "~/routes/admin.funds.$fundId.criteria";
import { action as eligibilityAction, loader as eligibilityLoader } from "~/routes/admin.funds.$fundId.eligibility";
import { getDb } from "~/utils/db.server";
import { makeFund } from "../factories";
import { auditCount, auditTrailOf, makeCriterion, makeEligibilityQuestion, signedIn } from "../support/funds";
import { getRequest, postForm, runAction, runLoader } from "../support/http";

const questions = (fundId: string) => getDb().selectFrom("eligibility_question").selectAll().where("fund_id", "=", fundId).orderBy("position").execute();
const criteria = (fundId: string) => getDb().selectFrom("criterion").selectAll().where("fund_id", "=", fundId).orderBy("position").execute();

async function postQuestion(fundId: string, fields: Record<string, string>, cookie: string) {
  return runAction(eligibilityAction, await postForm(`/admin/funds/${fundId}/eligibility`, fields, { cookie }), { fundId });
}

describe("eligibility questions", () => {
  it("a yes/no question is added with Yes and No as its answers, at the end of the list, and audited", async () => {
    const { user, cookie } = await signedIn("admin");
    const fund = await makeFund();
    await makeEligibilityQuestion(fund.id, { position: 0 });
    const response = await postQuestion(
      fund.id,
      { intent: "save", text: "Will the grant pay for something physical?", kind: "yes_no", ineligibleIfNo: "on", ineligibleReason: "This is a capital fund." },
      cookie,
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/admin/funds/${fund.id}/eligibility?done=added`);
    const rows = await questions(fund.id);
    expect(rows).toHaveLength(2);
    const added = rows[1]!;
    expect(added).toMatchObject({ position: 1, kind: "yes_no", ineligible_reason: "This is a capital fund." });
    expect(JSON.parse(added.options)).toEqual(["Yes", "No"]);
    expect(JSON.parse(added.ineligible_answers)).toEqual(["No"]);
    expect(await auditTrailOf("eligibility_question", added.id)).toMatchObject([{ action: "eligibility_question.created", actor: user.id }]);
  });

  it("a choice question stores its answers from the textarea, one per line", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    const response = await postQuestion(
      fund.id,
      {
        intent: "save",
        text: "What kind of organisation is your group?",
        kind: "choice",
        options: "Community group\r\nRegistered charity\r\n\r\nBusiness run for profit\r\n",
        ineligibleChoices: "Business run for profit",
        ineligibleReason: "Grants do not go to businesses run for profit.",
      },
      cookie,
    );
    expect(response.status).toBe(302);
    const [row] = await questions(fund.id);
    expect(JSON.parse(row!.options)).toEqual(["Community group", "Registered charity", "Business run for profit"]);
    expect(JSON.parse(row!.ineligible_answers)).toEqual(["Business run for profit"]);
  });

  it("a choice question whose ineligible answer is not one of its answers is refused with 400 and the input kept", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    const fields = { intent: "save", text: "Kind?", kind: "choice", options: "Charity\nBusiness", ineligibleChoices: "Company", ineligibleReason: "Because." };
    const response = await postQuestion(fund.id, fields, cookie);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.ineligibleChoices).toBe(
      '"Company" is not one of the answers. Write each answer that makes a group ineligible exactly as it is in the list of answers',
    );
    expect(body.values).toMatchObject(fields);
    expect(await questions(fund.id)).toHaveLength(0);
  });

  it("a question without a reason, or without an ineligible answer, is refused with a message on each field", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    const response = await postQuestion(fund.id, { intent: "save", text: "Q?", kind: "yes_no", ineligibleReason: "" }, cookie);
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({
      ineligibleReason: "Enter the reason a group cannot apply when it gives one of these answers",
      ineligibleIfYes: "Choose the answer that makes a group ineligible",
    });
  });

  it("a question is changed in place, keeping its position, with before and after audited", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    await makeEligibilityQuestion(fund.id, { position: 0, text: "First" });
    const second = await makeEligibilityQuestion(fund.id, { position: 1, text: "Second" });
    const response = await postQuestion(
      fund.id,
      { intent: "save", questionId: second.id, text: "Second, reworded", kind: "yes_no", ineligibleIfYes: "on", ineligibleReason: "New reason." },
      cookie,
    );
    expect(response.status).toBe(302);
    const rows = await questions(fund.id);
    expect(rows.map((r) => r.text)).toEqual(["First", "Second, reworded"]);
    expect(JSON.parse(rows[1]!.ineligible_answers)).toEqual(["Yes"]);
    const [event] = await auditTrailOf("eligibility_question", second.id);
    expect(event!.action).toBe("eligibility_question.updated");
    expect(JSON.parse(event!.before!)).toMatchObject({ text: "Second" });
    expect(JSON.parse(event!.after!)).toMatchObject({ text: "Second, reworded" });
  });

  it("a question from another fund cannot be changed or removed through this fund", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    const other = await makeEligibilityQuestion((await makeFund()).id, { text: "Other fund's" });
    const before = await auditCount();
    const edit = await postQuestion(
      fund.id,
      { intent: "save", questionId: other.id, text: "Hijack", kind: "yes_no", ineligibleIfNo: "on", ineligibleReason: "x" },
      cookie,
    );
    expect(edit.status).toBe(400);
    const remove = await postQuestion(fund.id, { intent: "remove", id: other.id }, cookie);
    expect(remove.status).toBe(400);
    const row = await getDb().selectFrom("eligibility_question").select("text").where("id", "=", other.id).executeTakeFirst();
    expect(row?.text).toBe("Other fund's");
    expect(await auditCount()).toBe(before);
  });

  it("a question is removed, and the removal is audited with what it was", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    const question = await makeEligibilityQuestion(fund.id);
    const response = await postQuestion(fund.id, { intent: "remove", id: question.id }, cookie);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/admin/funds/${fund.id}/eligibility?done=removed`);
    expect(await questions(fund.id)).toHaveLength(0);
    const [event] = await auditTrailOf("eligibility_question", question.id);
    expect(event!.action).toBe("eligibility_question.removed");
    expect(JSON.parse(event!.before!)).toMatchObject({ text: question.text });
  });

  it("the page lists the questions in order, with their answers parsed", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    await makeEligibilityQuestion(fund.id, { position: 1, text: "Second" });
    await makeEligibilityQuestion(fund.id, { position: 0, text: "First" });
    const response = await runLoader(eligibilityLoader, getRequest(`/admin/funds/${fund.id}/eligibility`, { cookie }), { fundId: fund.id });
    const data = await response.json();
    expect(data.questions.map((q: { text: string }) => q.text)).toEqual(["First", "Second"]);
    expect(data.questions[0].ineligibleAnswers).toEqual(["No"]);
  });
});

async function postCriterion(fundId: string, fields: Record<string, string>, cookie: string) {
  return runAction(criteriaAction, await postForm(`/admin/funds/${fundId}/criteria`, fields, { cookie }), { fundId });
}

describe("scoring criteria", () => {
  it("a criterion is added with its weight and six bands of guidance, and audited", async () => {
    const { user, cookie } = await signedIn("admin");
    const fund = await makeFund();
    const response = await postCriterion(
      fund.id,
      { intent: "save", name: "Community need", weight: "3", "guidance[0]": "No evidence", "guidance[5]": "Compelling evidence" },
      cookie,
    );
    expect(response.status).toBe(302);
    const [row] = await criteria(fund.id);
    expect(row).toMatchObject({ name: "Community need", weight: 3, position: 0 });
    expect(JSON.parse(row!.guidance)).toEqual(["No evidence", "", "", "", "", "Compelling evidence"]);
    expect(await auditTrailOf("criterion", row!.id)).toMatchObject([{ action: "criterion.created", actor: user.id }]);
  });

  it.each([
    ["no name", { name: "" }, "name", "Enter the criterion's name"],
    ["a weight of 0", { weight: "0" }, "weight", "The weight must be 1 or more"],
    ["a weight that is not a whole number", { weight: "2.5" }, "weight", "Enter the weight as a whole number, like 1, 2 or 3"],
  ])("%s is refused with 400 and the input kept", async (_label, change, field, message) => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    const fields = { intent: "save", name: "Need", weight: "2", "guidance[3]": "Adequate", ...change };
    const response = await postCriterion(fund.id, fields, cookie);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[field]).toBe(message);
    expect(body.values).toMatchObject(fields);
    expect(await criteria(fund.id)).toHaveLength(0);
  });

  it("a criterion is changed and then removed, each audited", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    const criterion = await makeCriterion(fund.id);
    const edit = await postCriterion(fund.id, { intent: "save", criterionId: criterion.id, name: "Need, renamed", weight: "5" }, cookie);
    expect(edit.status).toBe(302);
    expect((await criteria(fund.id))[0]).toMatchObject({ name: "Need, renamed", weight: 5 });
    const remove = await postCriterion(fund.id, { intent: "remove", id: criterion.id }, cookie);
    expect(remove.status).toBe(302);
    expect(await criteria(fund.id)).toHaveLength(0);
    expect((await auditTrailOf("criterion", criterion.id)).map((e) => e.action)).toEqual(["criterion.updated", "criterion.removed"]);
  });

  it("the page gives each criterion six guidance bands", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    await makeCriterion(fund.id);
    const response = await runLoader(criteriaLoader, getRequest(`/admin/funds/${fund.id}/criteria`, { cookie }), { fundId: fund.id });
    const data = await response.json();
    expect(data.criteria[0].guidance).toHaveLength(6);
  });
});

import { describe, expect, it } from "vitest";
import { action as checkAction, loader as checkLoader } from "~/routes/proposals.$proposalId.check";
import { action as editAction, loader as editLoader } from "~/routes/proposals.$proposalId.edit";
import { action as sectionAction, loader as sectionLoader } from "~/routes/proposals.$proposalId.sections.$section";
import { action as newAction, loader as newLoader } from "~/routes/proposals.new";
import { action as proposalAction, loader as proposalLoader } from "~/routes/proposals.$proposalId._index";
import { loader as versionsLoader } from "~/routes/proposals.$proposalId.versions";
import { leadOrganisationDecision } from "~/services/proposals.server";
import { getDb } from "~/utils/db.server";
import {
  auditEventsFor,
  COMPLETE_CONTENT,
  makeDecisionGroup,
  makeEligibilityQuestion,
  makeFund,
  makeOrganisation,
  makeProposal,
  makeUser,
  setFundDates,
} from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

async function setting() {
  const lead = await makeOrganisation({ kind: "lead_org", name: `Inner East Anchor ${Math.random().toString(36).slice(2, 6)}` });
  await getDb().updateTable("organisation").set({ contact_email: "help@anchor.example" }).where("id", "=", lead.id).execute();
  const fund = await makeFund();
  const group = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id });
  const org = await makeOrganisation();
  const applicant = await makeUser({ organisationId: org.id });
  const leadUser = await makeUser({ role: "lead_org", organisationId: lead.id });
  return {
    lead,
    fund,
    group,
    org,
    applicant,
    leadUser,
    cookie: await sessionCookieFor(applicant.id),
    leadCookie: await sessionCookieFor(leadUser.id),
  };
}

const proposalRow = (id: string) => getDb().selectFrom("proposal").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

async function saveSection(id: string, cookie: string, section: string, fields: Record<string, string>) {
  return runAction(sectionAction, await postForm(`/proposals/${id}/sections/${section}`, fields, { cookie }), { proposalId: id, section });
}

/** "Check your answers": the send button. */
async function submit(id: string, cookie: string, fields: Record<string, string> = {}) {
  return runAction(checkAction, await postForm(`/proposals/${id}/check`, { intent: "submit", ...fields }, { cookie }), { proposalId: id });
}

async function handToGroup(id: string, cookie: string) {
  return runAction(editAction, await postForm(`/proposals/${id}/edit`, { intent: "hand_to_group" }, { cookie }), { proposalId: id });
}

describe("starting an outline proposal", () => {
  it("eligible answers create a draft for the applicant's group and open the edit page", async () => {
    const s = await setting();
    const question = await makeEligibilityQuestion(s.fund.id);
    const response = await runAction(
      newAction,
      await postForm("/proposals/new", { decisionGroupId: s.group.id, [`q_${question.id}`]: "Yes" }, { cookie: s.cookie }),
    );
    expect(response.status).toBe(302);
    const id = response.headers.get("Location")!.match(/^\/proposals\/([^/]+)\/edit$/)![1]!;
    const row = await proposalRow(id);
    expect(row).toMatchObject({ status: "draft", organisation_id: s.org.id, decision_group_id: s.group.id, prepared_by_organisation_id: null });
    expect(JSON.parse(row.eligibility_answers)).toEqual({ [question.id]: "Yes" });
  });

  it("an ineligible answer is refused with the reason and names the lead organisation to contact, with its email", async () => {
    const s = await setting();
    const question = await makeEligibilityQuestion(s.fund.id);
    const before = await getDb().selectFrom("proposal").select("id").execute();
    const response = await runAction(
      newAction,
      await postForm("/proposals/new", { decisionGroupId: s.group.id, [`q_${question.id}`]: "No" }, { cookie: s.cookie }),
    );
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.eligibility).toBe(question.ineligible_reason);
    expect(body.ineligible.leads).toEqual([expect.objectContaining({ name: s.lead.name, email: "help@anchor.example" })]);
    expect(body.values[`q_${question.id}`]).toBe("No");
    expect(await getDb().selectFrom("proposal").select("id").execute()).toHaveLength(before.length);
  });

  it("an unanswered question is a field error naming the question", async () => {
    const s = await setting();
    const question = await makeEligibilityQuestion(s.fund.id, { text: "Is your group based in Bristol?" });
    const response = await runAction(newAction, await postForm("/proposals/new", { decisionGroupId: s.group.id }, { cookie: s.cookie }));
    expect(response.status).toBe(400);
    expect((await response.json()).errors[`q_${question.id}`]).toBe("Answer the question: Is your group based in Bristol?");
  });

  it("step 2 shows the fund's questions and who the lead organisation is", async () => {
    const s = await setting();
    await makeEligibilityQuestion(s.fund.id);
    const response = await runLoader(newLoader, getRequest(`/proposals/new?decisionGroupId=${s.group.id}`, { cookie: s.cookie }));
    const data = await response.json();
    expect(data.step).toBe(2);
    expect(data.questions).toHaveLength(1);
    expect(data.leads[0].name).toBe(s.lead.name);
  });

  it("an applicant without a group profile is sent to set one up first", async () => {
    const user = await makeUser();
    const response = await runLoader(newLoader, getRequest("/proposals/new", { cookie: await sessionCookieFor(user.id) }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/applicant/group");
  });
});

describe("saving a draft, one section at a time", () => {
  it("keeps whatever has been written so far", async () => {
    const s = await setting();
    const p = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.org.id, isEmpty: true });
    expect((await saveSection(p.id, s.cookie, "about", { intent: "save", title: "Roof repairs" })).status).toBe(302);
    const response = await saveSection(p.id, s.cookie, "budget", { intent: "save", "budgetLines[0].item": "Tiles", "budgetLines[0].cost": "1,250.50" });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/proposals/${p.id}/edit?saved=budget`);
    const row = await proposalRow(p.id);
    expect(row).toMatchObject({ status: "draft", title: "Roof repairs", summary: "" });
    expect(JSON.parse(row.budget_lines)).toEqual([{ item: "Tiles", costPence: 125_050 }]);
    expect(await auditEventsFor("proposal.draft_saved")).toEqual(expect.arrayContaining([expect.objectContaining({ entity_id: p.id })]));

    const budget = await (
      await runLoader(sectionLoader, getRequest(`/proposals/${p.id}/sections/budget`, { cookie: s.cookie }), { proposalId: p.id, section: "budget" })
    ).json();
    expect(budget.values).toMatchObject({ title: "Roof repairs", "budgetLines[0].item": "Tiles", "budgetLines[0].cost": "1250.50" });
    const page = await (await runLoader(editLoader, getRequest(`/proposals/${p.id}/edit`, { cookie: s.cookie }), { proposalId: p.id })).json();
    expect(page.checklist.find((c: { field: string }) => c.field === "title").isDone).toBe(true);
  });

  it("money and dates that make no sense are refused with field errors on their own page, what was typed kept and not saved", async () => {
    const s = await setting();
    const p = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.org.id, isEmpty: true });
    const money = await saveSection(p.id, s.cookie, "budget", { intent: "save", amountRequested: "abc" });
    expect(money.status).toBe(400);
    const body = await money.json();
    expect(Object.keys(body.errors)).toEqual(["amountRequested"]);
    expect(body.values).toMatchObject({ amountRequested: "abc" });
    const dates = await saveSection(p.id, s.cookie, "dates", { intent: "save", "startDate-day": "30", "startDate-month": "2", "startDate-year": "2027" });
    expect(dates.status).toBe(400);
    expect((await dates.json()).errors).toEqual({ startDate: "The start date must be a real date" });
    expect(await proposalRow(p.id)).toMatchObject({ amount_requested_pence: null, start_date: null });
  });

  it.each([
    ["below the minimum grant", "5000", "at least £10,000"],
    ["above the maximum grant", "150000", "no more than £100,000"],
    ["above the decision group's pot", "60000", "no more than £50,000, the whole pot"],
  ])("an amount %s is refused on the amount field, with the values kept", async (_, amount, words) => {
    const s = await setting();
    await getDb().updateTable("decision_group").set({ pot_pence: 5_000_000 }).where("id", "=", s.group.id).execute();
    const p = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.org.id, isEmpty: true });
    const response = await saveSection(p.id, s.cookie, "budget", {
      intent: "save",
      "budgetLines[0].item": "Play area",
      "budgetLines[0].cost": "100",
      amountRequested: amount,
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.amountRequested).toContain(words);
    expect(body.values).toMatchObject({ "budgetLines[0].item": "Play area", amountRequested: amount });
    expect((await proposalRow(p.id)).amount_requested_pence).toBeNull();
  });
});

describe("submitting to the lead organisation", () => {
  it("missing parts are listed on submit, and what was written is still saved", async () => {
    const s = await setting();
    const p = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.org.id, isEmpty: true });
    await saveSection(p.id, s.cookie, "about", { intent: "save", title: "Community fridge" });
    const response = await submit(p.id, s.cookie);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.form).toMatch(/cannot send it yet/);
    expect(body.errors).toMatchObject({ summary: expect.any(String), budget: "Add at least one costed budget line", outcomes: expect.any(String) });
    expect(body.errors.title).toBeUndefined();
    const row = await proposalRow(p.id);
    expect(row).toMatchObject({ status: "draft", title: "Community fridge", version: 0 });
  });

  it("a complete proposal is submitted: version 1 is kept and the lead organisation is told", async () => {
    const s = await setting();
    const p = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.org.id, createdBy: s.applicant.id });
    const response = await submit(p.id, s.cookie);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/proposals/${p.id}?submitted=1`);
    expect(await proposalRow(p.id)).toMatchObject({ status: "submitted", version: 1 });
    const notices = await getDb().selectFrom("notification").select("organisation_id").where("proposal_id", "=", p.id).execute();
    expect(notices.map((n) => n.organisation_id)).toContain(s.lead.id);
  });

  it("after the closing date the page says so, and a submit is refused with nothing changed", async () => {
    const s = await setting();
    await setFundDates(s.fund.id, { closes_on: "2020-01-31" });
    const p = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.org.id });
    const page = await (await runLoader(editLoader, getRequest(`/proposals/${p.id}/edit`, { cookie: s.cookie }), { proposalId: p.id })).json();
    expect(page.group.window).toBe("closed");
    const check = await (await runLoader(checkLoader, getRequest(`/proposals/${p.id}/check`, { cookie: s.cookie }), { proposalId: p.id })).json();
    expect(check.canSubmit).toBe(false);

    const response = await submit(p.id, s.cookie);
    expect(response.status).toBe(400);
    expect((await response.json()).errors.form).toBe("Proposals for this fund closed on 31 January 2020. You can no longer submit.");
    expect(await proposalRow(p.id)).toMatchObject({ status: "draft", version: 0, title: COMPLETE_CONTENT.title });
    const versions = await getDb().selectFrom("proposal_version").select("id").where("proposal_id", "=", p.id).execute();
    expect(versions).toHaveLength(0);
  });

  it("a submitted proposal cannot be edited: the page explains and a save is refused", async () => {
    const s = await setting();
    const p = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.org.id, status: "submitted" });
    const page = await (await runLoader(editLoader, getRequest(`/proposals/${p.id}/edit`, { cookie: s.cookie }), { proposalId: p.id })).json();
    expect(page.isEditable).toBe(false);
    const response = await saveSection(p.id, s.cookie, "about", { intent: "save", title: "Sneaky change" });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.form).toMatch(/"Submitted to lead organisation".*only change it while/);
    expect((await proposalRow(p.id)).title).toBe(COMPLETE_CONTENT.title);
  });
});

describe("changes requested and resubmission", () => {
  it("the group sees the note, replies, edits and resubmits; version 2 is kept and the comparison shows what changed", async () => {
    const s = await setting();
    const p = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.org.id, createdBy: s.applicant.id });
    expect((await submit(p.id, s.cookie)).status).toBe(302);
    await leadOrganisationDecision(
      getDb(),
      { ...s.leadUser, organisationId: s.lead.id, decisionGroupId: null },
      p.id,
      "request_changes",
      "Please add a quote for the scaffolding.",
    );

    const page = await (await runLoader(proposalLoader, getRequest(`/proposals/${p.id}`, { cookie: s.cookie }), { proposalId: p.id })).json();
    expect(page.proposal.status).toBe("changes_requested");
    expect(page.canReply).toBe(true);
    expect(page.messages.map((m: { body: string }) => m.body)).toContain("Please add a quote for the scaffolding.");
    expect(page.timeline.find((step: { state: string }) => step.state === "current").label).toBe("Changes requested");

    const reply = await runAction(proposalAction, await postForm(`/proposals/${p.id}`, { reply: "We have added the quote." }, { cookie: s.cookie }), {
      proposalId: p.id,
    });
    expect(reply.status).toBe(302);
    const messages = await getDb().selectFrom("proposal_message").select(["kind", "body"]).where("proposal_id", "=", p.id).execute();
    expect(messages).toContainEqual({ kind: "group_reply", body: "We have added the quote." });
    expect(await auditEventsFor("proposal.group_replied")).toHaveLength(1);

    expect((await saveSection(p.id, s.cookie, "about", { intent: "save", title: "New roof and scaffolding for the hall" })).status).toBe(302);
    const resubmit = await submit(p.id, s.cookie);
    expect(resubmit.status).toBe(302);
    expect(await proposalRow(p.id)).toMatchObject({ status: "submitted", version: 2 });

    const diff = await (
      await runLoader(versionsLoader, getRequest(`/proposals/${p.id}/versions?from=1&to=2`, { cookie: s.cookie }), { proposalId: p.id })
    ).json();
    expect(diff.changes).toEqual([{ field: "title", label: "Title", before: COMPLETE_CONTENT.title, after: "New roof and scaffolding for the hall" }]);
  });

  it("an empty reply is refused with a field error", async () => {
    const s = await setting();
    const p = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.org.id, status: "changes_requested" });
    const reply = await runAction(proposalAction, await postForm(`/proposals/${p.id}`, { reply: "  " }, { cookie: s.cookie }), { proposalId: p.id });
    expect(reply.status).toBe(400);
    expect((await reply.json()).errors.reply).toBe("Write your reply");
  });
});

describe("a lead organisation preparing a proposal with a group", () => {
  it("starts one for a listed community group that is not online, recorded as prepared with its support", async () => {
    const s = await setting();
    // s.org has a member on the portal, so it starts its own proposals (issue 8); this group has nobody online yet.
    const offline = await makeOrganisation();
    const response = await runAction(
      newAction,
      await postForm("/proposals/new", { decisionGroupId: s.group.id, organisationId: offline.id }, { cookie: s.leadCookie }),
    );
    expect(response.status).toBe(302);
    const id = response.headers.get("Location")!.split("/")[2]!;
    expect(await proposalRow(id)).toMatchObject({ organisation_id: offline.id, prepared_by_organisation_id: s.lead.id, created_by: s.leadUser.id });
  });

  it("starts one for a group that is not online yet by naming it, creating a simple record for the group", async () => {
    const s = await setting();
    const response = await runAction(
      newAction,
      await postForm("/proposals/new", { decisionGroupId: s.group.id, newGroupName: "Barton Hill Mums Walking Group" }, { cookie: s.leadCookie }),
    );
    expect(response.status).toBe(302);
    const id = response.headers.get("Location")!.split("/")[2]!;
    const row = await proposalRow(id);
    const org = await getDb().selectFrom("organisation").selectAll().where("id", "=", row.organisation_id).executeTakeFirstOrThrow();
    expect(org).toMatchObject({ name: "Barton Hill Mums Walking Group", kind: "community_group", created_by: s.leadUser.id });
    expect(await auditEventsFor("organisation.created_offline")).toEqual([expect.objectContaining({ entity_id: org.id })]);
  });

  it("an ineligible answer for a new group leaves no group record behind", async () => {
    const s = await setting();
    const question = await makeEligibilityQuestion(s.fund.id);
    const response = await runAction(
      newAction,
      await postForm("/proposals/new", { decisionGroupId: s.group.id, newGroupName: "Ghost Group", [`q_${question.id}`]: "No" }, { cookie: s.leadCookie }),
    );
    expect(response.status).toBe(400);
    expect(await getDb().selectFrom("organisation").select("id").where("name", "=", "Ghost Group").execute()).toHaveLength(0);
  });

  it("submitting on the group's behalf needs the group's confirmation; with it, the proposal is submitted and the confirmation kept", async () => {
    const s = await setting();
    const p = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.org.id, preparedByOrganisationId: s.lead.id, createdBy: s.leadUser.id });
    const page = await (await runLoader(editLoader, getRequest(`/proposals/${p.id}/edit`, { cookie: s.leadCookie }), { proposalId: p.id })).json();
    expect(page).toMatchObject({ isLead: true, canHand: true });

    const without = await submit(p.id, s.leadCookie, { groupConfirmation: "" });
    expect(without.status).toBe(400);
    expect((await without.json()).errors.groupConfirmation).toBe("Record how the group confirmed they want this proposal submitted");
    expect((await proposalRow(p.id)).status).toBe("draft");

    const confirmation = "Agreed by the committee on 3 March, minuted.";
    const withIt = await submit(p.id, s.leadCookie, { groupConfirmation: confirmation });
    expect(withIt.status).toBe(302);
    expect(await proposalRow(p.id)).toMatchObject({ status: "submitted", group_confirmation: confirmation });
  });

  it("can hand the draft to the group, who are told", async () => {
    const s = await setting();
    const p = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.org.id, preparedByOrganisationId: s.lead.id, isEmpty: true });
    expect((await saveSection(p.id, s.leadCookie, "about", { intent: "save", title: "Garden shed" })).status).toBe(302);
    const response = await handToGroup(p.id, s.leadCookie);
    expect(response.status).toBe(302);
    expect((await proposalRow(p.id)).title).toBe("Garden shed");
    const messages = await getDb().selectFrom("proposal_message").select("kind").where("proposal_id", "=", p.id).execute();
    expect(messages).toEqual([{ kind: "handed_to_group" }]);
  });
});

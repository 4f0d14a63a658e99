import { describe, expect, it } from "vitest";
import { DomainError } from "~/domain/errors";
import { action as adminScoringAction, loader as adminScoringLoader } from "~/routes/admin.groups.$groupId.scoring";
import { action as adviserAction, loader as adviserLoader } from "~/routes/adviser.proposals.$proposalId";
import { loader as adviserHomeLoader } from "~/routes/adviser._index";
import { loader as panelHomeLoader } from "~/routes/panel._index";
import { action as interestsAction, loader as interestsLoader } from "~/routes/panel.interests";
import { action as scoreAction, loader as scoreLoader } from "~/routes/panel.proposals.$proposalId";
import { loader as applicantProposalLoader } from "~/routes/proposals.$proposalId._index";
import { action as answerAction, loader as answerLoader } from "~/routes/proposals.$proposalId.questions.$questionId";
import { saveScoreSheet } from "~/services/scoring.server";
import { getDb } from "~/utils/db.server";
import { nowIso } from "~/utils/ids.server";
import { auditEventsFor, emailsTo, makeCriterion, makeDecisionGroup, makeFund, makeOrganisation, makeProposal, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

/**
 * One decision group with a lead organisation, two criteria (weights 2 and 1, scored 0 to 5),
 * three proposals from three community groups, three panel members, an adviser, an admin
 * and an applicant. Members have declared nothing unless a test says so.
 */
async function panel() {
  const fund = await makeFund();
  const lead = await makeOrganisation({ kind: "lead_org", name: "Anchor Trust" });
  const group = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id, name: "Inner City" });
  const need = await makeCriterion(fund.id, { name: "Evidence of need", position: 1, weight: 2 });
  const value = await makeCriterion(fund.id, { name: "Value for money", position: 2, weight: 1 });
  const kitchenGroup = await makeOrganisation({ name: "Kitchen Collective" });
  const roofGroup = await makeOrganisation({ name: "Roof Raisers" });
  const gardenGroup = await makeOrganisation({ name: "Garden Friends" });
  const kitchen = await makeProposal({
    decisionGroupId: group.id,
    organisationId: kitchenGroup.id,
    status: "eligible",
    content: { title: "Community kitchen" },
  });
  const roof = await makeProposal({ decisionGroupId: group.id, organisationId: roofGroup.id, status: "under_review", content: { title: "Hall roof" } });
  const garden = await makeProposal({ decisionGroupId: group.id, organisationId: gardenGroup.id, status: "eligible", content: { title: "Garden shed" } });
  const draft = await makeProposal({ decisionGroupId: group.id, organisationId: gardenGroup.id, status: "draft", content: { title: "Unfinished idea" } });
  const amina = await makeUser({ role: "panel_member", decisionGroupId: group.id, name: "Amina Scorer", constituency: "resident" });
  const bill = await makeUser({ role: "panel_member", decisionGroupId: group.id, name: "Bill Marker", constituency: "councillor" });
  const cara = await makeUser({ role: "panel_member", decisionGroupId: group.id, name: "Cara Judge", constituency: "vcse" });
  const adviser = await makeUser({ role: "adviser", decisionGroupId: group.id, name: "Sam Surveyor" });
  const admin = await makeUser({ role: "admin" });
  const roofer = await makeUser({ role: "applicant", organisationId: roofGroup.id, name: "Rita Roofer" });
  return { fund, lead, group, need, value, kitchenGroup, roofGroup, gardenGroup, kitchen, roof, garden, draft, amina, bill, cara, adviser, admin, roofer };
}

const declareNothing = (...userIds: string[]) =>
  getDb().updateTable("membership").set({ interests_declared_at: nowIso() }).where("user_id", "in", userIds).where("role", "=", "panel_member").execute();

const as = (userId: string) => sessionCookieFor(userId);

async function scorePage(userId: string, proposalId: string) {
  return runLoader(scoreLoader, getRequest(`/panel/proposals/${proposalId}`, { cookie: await as(userId) }), { proposalId });
}

async function postScores(userId: string, proposalId: string, fields: Record<string, string>) {
  const request = await postForm(`/panel/proposals/${proposalId}`, fields, { cookie: await as(userId) });
  return runAction(scoreAction, request, { proposalId });
}

const marks = (w: Awaited<ReturnType<typeof panel>>, need: string, value: string, extra: Record<string, string> = {}) => ({
  [`mark-${w.need.id}`]: need,
  [`mark-${w.value.id}`]: value,
  ...extra,
});

async function sheetOf(userId: string, proposalId: string) {
  return getDb().selectFrom("score_sheet").selectAll().where("user_id", "=", userId).where("proposal_id", "=", proposalId).executeTakeFirst();
}

describe("declaring interests", () => {
  it("sends a panel member who has not declared their interests to declare them before any proposal", async () => {
    const w = await panel();
    const home = await runLoader(panelHomeLoader, getRequest("/panel", { cookie: await as(w.amina.id) }));
    expect(home.status).toBe(302);
    expect(home.headers.get("Location")).toBe("/panel/interests");
    const page = await scorePage(w.amina.id, w.roof.id);
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/panel/interests");
    const action = await postScores(w.amina.id, w.roof.id, marks(w, "3", "3", { intent: "submit" }));
    expect(action.headers.get("Location")).toBe("/panel/interests");
    expect(await sheetOf(w.amina.id, w.roof.id)).toBeUndefined();
  });

  it("opens the scoring queue once the member confirms they have nothing to declare", async () => {
    const w = await panel();
    const cookie = await as(w.amina.id);
    const res = await runAction(interestsAction, await postForm("/panel/interests", { intent: "nothing" }, { cookie }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/panel?declared=1");
    const home = await (await runLoader(panelHomeLoader, getRequest("/panel", { cookie }))).json();
    expect(home.queue.map((p: { id: string }) => p.id).sort()).toEqual([w.kitchen.id, w.roof.id, w.garden.id].sort());
    expect(home.queue.every((p: { state: string }) => p.state === "not_started")).toBe(true);
    expect(
      (await auditEventsFor("interest.nothing_further_to_declare")).filter((e) => e.entity_id === w.amina.membershipId && e.actor === w.amina.id),
    ).toHaveLength(1);
  });

  it("lists the group's own organisations first when declaring", async () => {
    const w = await panel();
    const elsewhere = await makeOrganisation({ name: "Faraway Society" });
    const data = await (await runLoader(interestsLoader, getRequest("/panel/interests", { cookie: await as(w.amina.id) }))).json();
    const inGroup = data.inGroup.map((o: { name: string }) => o.name);
    expect(inGroup).toEqual(expect.arrayContaining(["Anchor Trust", "Kitchen Collective", "Roof Raisers", "Garden Friends"]));
    expect(inGroup).not.toContain("Faraway Society");
    expect(data.others.map((o: { id: string }) => o.id)).toContain(elsewhere.id);
  });

  it("refuses a declaration without a connection or an answer on money, keeping what was typed", async () => {
    const w = await panel();
    const res = await runAction(
      interestsAction,
      await postForm(
        "/panel/interests",
        { intent: "declare", organisationId: w.kitchenGroup.id, details: "Chair since 2020" },
        { cookie: await as(w.amina.id) },
      ),
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors.relationship).toBe("Choose how you are connected");
    expect(body.errors.isPecuniary).toMatch(/financial/);
    expect(body.values.details).toBe("Chair since 2020");
  });

  it("recuses a member who declares an interest in an organisation from its proposal: gone from the queue, 403 on its page and its form, and the service refuses", async () => {
    const w = await panel();
    const cookie = await as(w.amina.id);
    const res = await runAction(
      interestsAction,
      await postForm(
        "/panel/interests",
        { intent: "declare", organisationId: w.kitchenGroup.id, relationship: "trustee", isPecuniary: "no", details: "Trustee" },
        { cookie },
      ),
    );
    expect(res.status).toBe(302);
    const declaredAt = await getDb().selectFrom("membership").select("interests_declared_at").where("id", "=", w.amina.membershipId!).executeTakeFirstOrThrow();
    expect(declaredAt.interests_declared_at).not.toBeNull();
    expect((await auditEventsFor("interest.declared")).filter((e) => e.actor === w.amina.id)).toHaveLength(1);

    const home = await (await runLoader(panelHomeLoader, getRequest("/panel", { cookie }))).json();
    expect(home.queue.map((p: { id: string }) => p.id)).not.toContain(w.kitchen.id);
    expect(home.queue).toHaveLength(2);
    expect(home.recused.map((p: { id: string }) => p.id)).toEqual([w.kitchen.id]);

    expect((await scorePage(w.amina.id, w.kitchen.id)).status).toBe(403);
    const post = await postScores(w.amina.id, w.kitchen.id, marks(w, "5", "5", { intent: "submit" }));
    expect(post.status).toBe(403);
    await expect(
      saveScoreSheet(
        getDb(),
        { id: w.amina.id, role: "panel_member", organisationId: null, decisionGroupId: w.group.id },
        w.kitchen.id,
        { marks: { [w.need.id]: 5, [w.value.id]: 5 }, comments: {}, overall: "" },
        true,
      ),
    ).rejects.toBeInstanceOf(DomainError);
    expect(await sheetOf(w.amina.id, w.kitchen.id)).toBeUndefined();
  });

  it("recuses a member from every proposal in the group when they declare an interest in its lead organisation", async () => {
    const w = await panel();
    await declareNothing(w.bill.id);
    await getDb()
      .insertInto("interest_declaration")
      .values({
        id: crypto.randomUUID(),
        user_id: w.bill.id,
        membership_id: w.bill.membershipId,
        organisation_id: w.lead.id,
        proposal_id: null,
        relationship: "employee",
        is_pecuniary: 1,
        details: "",
        created_at: nowIso(),
      })
      .execute();
    const home = await (await runLoader(panelHomeLoader, getRequest("/panel", { cookie: await as(w.bill.id) }))).json();
    expect(home.queue).toEqual([]);
    expect((await scorePage(w.bill.id, w.roof.id)).status).toBe(403);
  });

  it("recuses a member at once when they declare an interest from a proposal's page", async () => {
    const w = await panel();
    await declareNothing(w.amina.id);
    const res = await postScores(w.amina.id, w.garden.id, {
      intent: "declare",
      relationship: "family",
      isPecuniary: "yes",
      details: "My brother runs the garden group",
    });
    expect(res.status).toBe(302);
    expect((await scorePage(w.amina.id, w.garden.id)).status).toBe(403);
  });
});

describe("the scoring queue and form", () => {
  it("shows each proposal's state for the member and their progress as text", async () => {
    const w = await panel();
    await declareNothing(w.amina.id);
    await postScores(w.amina.id, w.roof.id, marks(w, "4", "3", { intent: "submit" }));
    await postScores(w.amina.id, w.garden.id, marks(w, "2", "", { intent: "save" }));
    const home = await (await runLoader(panelHomeLoader, getRequest("/panel", { cookie: await as(w.amina.id) }))).json();
    const state = Object.fromEntries(home.queue.map((p: { id: string; state: string }) => [p.id, p.state]));
    expect(state).toEqual({ [w.roof.id]: "submitted", [w.garden.id]: "draft", [w.kitchen.id]: "not_started" });
    expect(home.queue.map((p: { id: string }) => p.id)).not.toContain(w.draft.id);
  });

  it("keeps partial marks in a draft", async () => {
    const w = await panel();
    await declareNothing(w.amina.id);
    const res = await postScores(w.amina.id, w.roof.id, marks(w, "2", "", { intent: "save", overall: "Still reading" }));
    expect(res.status).toBe(302);
    const data = await (await scorePage(w.amina.id, w.roof.id)).json();
    expect(data.sheet.submittedOn).toBeNull();
    expect(data.sheetValues[`mark-${w.need.id}`]).toBe("2");
    expect(data.sheetValues[`mark-${w.value.id}`]).toBeUndefined();
    expect(data.sheetValues.overall).toBe("Still reading");
    const sheet = await sheetOf(w.amina.id, w.roof.id);
    expect((await auditEventsFor("score_sheet.draft_saved")).filter((e) => e.entity_id === sheet!.id)).toHaveLength(1);
  });

  it("lists the fund's criteria in order, with weight, guidance and the fund's scale", async () => {
    const w = await panel();
    await declareNothing(w.amina.id);
    const data = await (await scorePage(w.amina.id, w.roof.id)).json();
    expect(data.criteria.map((c: { name: string; weight: number }) => [c.name, c.weight])).toEqual([
      ["Evidence of need", 2],
      ["Value for money", 1],
    ]);
    expect(data.criteria[0].guidance[3]).toBe("Adequate");
    expect(data.scaleMax).toBe(5);
  });

  it("refuses to submit until every criterion is scored", async () => {
    const w = await panel();
    await declareNothing(w.amina.id);
    const res = await postScores(w.amina.id, w.roof.id, marks(w, "3", "", { intent: "submit" }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors[`mark-${w.value.id}`]).toBe('Choose a score for "Value for money"');
    expect(body.values[`mark-${w.need.id}`]).toBe("3");
    expect(await sheetOf(w.amina.id, w.roof.id)).toBeUndefined();
  });

  it("refuses an out-of-range or non-whole mark with a field error, keeping the input", async () => {
    const w = await panel();
    await declareNothing(w.amina.id);
    for (const bad of ["6", "2.5", "-1", "lots"]) {
      const res = await postScores(w.amina.id, w.roof.id, marks(w, bad, "3", { intent: "save", [`comment-${w.value.id}`]: "Fair costs" }));
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.errors[`mark-${w.need.id}`]).toBe('The score for "Evidence of need" must be a whole number from 0 to 5');
      expect(body.values[`comment-${w.value.id}`]).toBe("Fair costs");
    }
    expect(await sheetOf(w.amina.id, w.roof.id)).toBeUndefined();
  });

  it("locks a submitted sheet: a second save or submit is refused with 400 and nothing changes", async () => {
    const w = await panel();
    await declareNothing(w.amina.id);
    expect((await postScores(w.amina.id, w.roof.id, marks(w, "4", "2", { intent: "submit" }))).status).toBe(302);
    const before = await sheetOf(w.amina.id, w.roof.id);
    expect(before?.submitted_at).not.toBeNull();
    for (const intent of ["save", "submit"]) {
      const res = await postScores(w.amina.id, w.roof.id, marks(w, "1", "1", { intent }));
      expect(res.status).toBe(400);
      expect((await res.json()).errors.form).toMatch(/already submitted your scores/);
    }
    const scores = await getDb().selectFrom("score").select(["criterion_id", "mark"]).where("score_sheet_id", "=", before!.id).execute();
    expect(Object.fromEntries(scores.map((s) => [s.criterion_id, s.mark]))).toEqual({ [w.need.id]: 4, [w.value.id]: 2 });
  });
});

describe("independent scoring", () => {
  it("hides other members' scores until the member has submitted their own, then shows each member's marks and weighted total", async () => {
    const w = await panel();
    await declareNothing(w.amina.id, w.bill.id);
    await postScores(w.bill.id, w.roof.id, marks(w, "5", "2", { intent: "submit", overall: "Bill's distinctive view" }));

    const beforeRes = await scorePage(w.amina.id, w.roof.id);
    const beforeText = await beforeRes.text();
    const before = JSON.parse(beforeText);
    expect(before.canSeeOthers).toBe(false);
    expect(before.others).toEqual([]);
    expect(beforeText).not.toContain("Bill Marker");
    expect(beforeText).not.toContain("Bill's distinctive view");

    await postScores(w.amina.id, w.roof.id, marks(w, "3", "3", { intent: "submit" }));
    const after = await (await scorePage(w.amina.id, w.roof.id)).json();
    expect(after.canSeeOthers).toBe(true);
    expect(after.others).toHaveLength(1);
    expect(after.others[0]).toMatchObject({ name: "Bill Marker", marks: { [w.need.id]: 5, [w.value.id]: 2 }, total: 12, overall: "Bill's distinctive view" });
    expect(after.sheet.total).toBe(9);
    expect(after.maxTotal).toBe(15);
  });

  it("shows the panel's scores to a member who has not submitted once scoring has closed", async () => {
    const w = await panel();
    await declareNothing(w.amina.id, w.bill.id);
    await postScores(w.bill.id, w.roof.id, marks(w, "5", "2", { intent: "submit" }));
    await getDb().updateTable("decision_group").set({ scoring_closed_at: nowIso() }).where("id", "=", w.group.id).execute();
    const data = await (await scorePage(w.amina.id, w.roof.id)).json();
    expect(data.canSeeOthers).toBe(true);
    expect(data.others.map((o: { name: string }) => o.name)).toEqual(["Bill Marker"]);
    expect(data.isScorable).toBe(false);
    const res = await postScores(w.amina.id, w.roof.id, marks(w, "1", "1", { intent: "save" }));
    expect(res.status).toBe(400);
    expect((await res.json()).errors.form).toMatch(/Scoring has closed/);
  });

  it("never shows a recused member the panel's scores, even after scoring closes", async () => {
    const w = await panel();
    await declareNothing(w.bill.id, w.cara.id);
    await postScores(w.bill.id, w.roof.id, marks(w, "5", "2", { intent: "submit" }));
    await getDb()
      .insertInto("interest_declaration")
      .values({
        id: crypto.randomUUID(),
        user_id: w.cara.id,
        membership_id: w.cara.membershipId,
        organisation_id: null,
        proposal_id: w.roof.id,
        relationship: "member",
        is_pecuniary: 0,
        details: "",
        created_at: nowIso(),
      })
      .execute();
    await getDb().updateTable("decision_group").set({ scoring_closed_at: nowIso() }).where("id", "=", w.group.id).execute();
    const res = await scorePage(w.cara.id, w.roof.id);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain("Bill Marker");
  });
});

describe("the administrator's oversight", () => {
  async function adminPost(w: Awaited<ReturnType<typeof panel>>, fields: Record<string, string>) {
    const request = await postForm(`/admin/groups/${w.group.id}/scoring`, fields, { cookie: await as(w.admin.id) });
    return runAction(adminScoringAction, request, { groupId: w.group.id });
  }

  it("shows progress per member (out of the proposals they are not recused from) and per proposal", async () => {
    const w = await panel();
    await declareNothing(w.amina.id, w.bill.id);
    await getDb()
      .insertInto("interest_declaration")
      .values({
        id: crypto.randomUUID(),
        user_id: w.bill.id,
        membership_id: w.bill.membershipId,
        organisation_id: w.kitchenGroup.id,
        proposal_id: null,
        relationship: "member",
        is_pecuniary: 0,
        details: "",
        created_at: nowIso(),
      })
      .execute();
    await postScores(w.amina.id, w.roof.id, marks(w, "4", "3", { intent: "submit" }));
    await postScores(w.bill.id, w.roof.id, marks(w, "2", "3", { intent: "save" }));
    const data = await (
      await runLoader(adminScoringLoader, getRequest(`/admin/groups/${w.group.id}/scoring`, { cookie: await as(w.admin.id) }), { groupId: w.group.id })
    ).json();
    const member = (name: string) => data.members.find((m: { name: string }) => m.name === name);
    expect(member("Amina Scorer")).toMatchObject({ submitted: 1, total: 3, drafts: 0 });
    expect(member("Bill Marker")).toMatchObject({ submitted: 0, total: 2, drafts: 1 });
    const proposal = (id: string) => data.proposals.find((p: { id: string }) => p.id === id);
    expect(proposal(w.roof.id)).toMatchObject({ submitted: 1, total: 3 });
    expect(proposal(w.kitchen.id)).toMatchObject({ submitted: 0, total: 2 });
  });

  it("refuses the page to anyone but an administrator", async () => {
    const w = await panel();
    await declareNothing(w.amina.id);
    const res = await runLoader(adminScoringLoader, getRequest(`/admin/groups/${w.group.id}/scoring`, { cookie: await as(w.amina.id) }), {
      groupId: w.group.id,
    });
    expect(res.status).toBe(403);
  });

  it("queues one reminder email per member with unfinished work, and audits each", async () => {
    const w = await panel();
    await declareNothing(w.amina.id, w.bill.id);
    // Amina finishes everything; Bill has two left; Cara has not started (and has not declared); the adviser never scores.
    for (const p of [w.kitchen, w.roof, w.garden]) await postScores(w.amina.id, p.id, marks(w, "3", "3", { intent: "submit" }));
    await postScores(w.bill.id, w.roof.id, marks(w, "3", "3", { intent: "submit" }));
    const res = await adminPost(w, { intent: "remind" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toContain("n=2");
    const bills = await emailsTo(w.bill.email);
    expect(bills).toHaveLength(1);
    expect(bills[0]!.subject).toMatch(/2 proposals left to score/);
    expect(await emailsTo(w.cara.email)).toHaveLength(1);
    expect(await emailsTo(w.amina.email)).toHaveLength(0);
    expect(await emailsTo(w.adviser.email)).toHaveLength(0);
    expect((await auditEventsFor("scoring.reminder_sent")).filter((e) => [w.bill.id, w.cara.id].includes(e.entity_id))).toHaveLength(2);
  });

  it("requires a reason to reopen a submitted sheet, then unlocks it and tells the member", async () => {
    const w = await panel();
    await declareNothing(w.amina.id);
    await postScores(w.amina.id, w.roof.id, marks(w, "4", "3", { intent: "submit" }));
    const sheet = await sheetOf(w.amina.id, w.roof.id);

    const refused = await adminPost(w, { intent: "reopen", sheetId: sheet!.id, reason: "  " });
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors.reason).toBe("Give the reason for reopening the score sheet");
    expect((await sheetOf(w.amina.id, w.roof.id))?.submitted_at).not.toBeNull();

    const ok = await adminPost(w, { intent: "reopen", sheetId: sheet!.id, reason: "Typed 4 instead of 2 by mistake" });
    expect(ok.status).toBe(302);
    expect((await sheetOf(w.amina.id, w.roof.id))?.submitted_at).toBeNull();
    const [event] = (await auditEventsFor("score_sheet.reopened")).filter((e) => e.entity_id === sheet!.id);
    expect(JSON.parse(event!.after!)).toMatchObject({ reason: "Typed 4 instead of 2 by mistake" });
    expect((await emailsTo(w.amina.email)).some((e) => e.body_text.includes("Typed 4 instead of 2 by mistake"))).toBe(true);

    expect((await postScores(w.amina.id, w.roof.id, marks(w, "2", "3", { intent: "submit" }))).status).toBe(302);
  });

  it("refuses to reopen a sheet from another decision group", async () => {
    const w = await panel();
    const other = await panel();
    await declareNothing(other.amina.id);
    await postScores(other.amina.id, other.roof.id, marks(other, "4", "3", { intent: "submit" }));
    const sheet = await sheetOf(other.amina.id, other.roof.id);
    const res = await adminPost(w, { intent: "reopen", sheetId: sheet!.id, reason: "Wrong group" });
    expect(res.status).toBe(400);
    expect((await sheetOf(other.amina.id, other.roof.id))?.submitted_at).not.toBeNull();
  });

  it("closes scoring for the group, audited, and refuses to close it twice", async () => {
    const w = await panel();
    expect((await adminPost(w, { intent: "close" })).status).toBe(302);
    const group = await getDb().selectFrom("decision_group").select("scoring_closed_at").where("id", "=", w.group.id).executeTakeFirstOrThrow();
    expect(group.scoring_closed_at).not.toBeNull();
    expect((await auditEventsFor("decision_group.scoring_closed")).map((e) => e.entity_id)).toContain(w.group.id);
    const again = await adminPost(w, { intent: "close" });
    expect(again.status).toBe(400);
    expect((await again.json()).errors.form).toMatch(/already closed/);
  });

  it("opens the group's eligible proposals for review through the state machine, telling each group", async () => {
    const w = await panel();
    expect((await adminPost(w, { intent: "open_review" })).status).toBe(302);
    const rows = await getDb().selectFrom("proposal").select(["id", "status"]).where("decision_group_id", "=", w.group.id).execute();
    const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
    expect(status[w.kitchen.id]).toBe("under_review");
    expect(status[w.garden.id]).toBe("under_review");
    expect(status[w.draft.id]).toBe("draft");
    expect((await auditEventsFor("proposal.status.under_review")).map((e) => e.entity_id)).toEqual(expect.arrayContaining([w.kitchen.id, w.garden.id]));
  });
});

describe("specialist input", () => {
  async function postInput(userId: string, proposalId: string, fields: Record<string, string>) {
    const request = await postForm(`/adviser/proposals/${proposalId}`, fields, { cookie: await as(userId) });
    return runAction(adviserAction, request, { proposalId });
  }

  it("never lets an adviser score: 403 on the scoring page and its form", async () => {
    const w = await panel();
    await declareNothing(w.adviser.id);
    expect((await scorePage(w.adviser.id, w.roof.id)).status).toBe(403);
    expect((await postScores(w.adviser.id, w.roof.id, marks(w, "5", "5", { intent: "submit" }))).status).toBe(403);
    expect(await sheetOf(w.adviser.id, w.roof.id)).toBeUndefined();
  });

  it("requires feasibility, cost realism and risks", async () => {
    const w = await panel();
    const res = await postInput(w.adviser.id, w.roof.id, { feasibility: "Sound", costRealism: "", risks: "" });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(Object.keys(body.errors).sort()).toEqual(["costRealism", "risks"]);
    expect(body.values.feasibility).toBe("Sound");
  });

  it("lets an adviser write input that a member sees and a recused member cannot reach", async () => {
    const w = await panel();
    await declareNothing(w.amina.id, w.cara.id);
    await getDb()
      .insertInto("interest_declaration")
      .values({
        id: crypto.randomUUID(),
        user_id: w.cara.id,
        membership_id: w.cara.membershipId,
        organisation_id: w.roofGroup.id,
        proposal_id: null,
        relationship: "member",
        is_pecuniary: 0,
        details: "",
        created_at: nowIso(),
      })
      .execute();
    const res = await postInput(w.adviser.id, w.roof.id, {
      feasibility: "Roof span is achievable",
      costRealism: "Quote is about 10% low",
      risks: "Asbestos survey needed",
    });
    expect(res.status).toBe(302);
    expect((await auditEventsFor("specialist_input.written")).filter((e) => e.actor === w.adviser.id)).toHaveLength(1);

    const home = await (await runLoader(adviserHomeLoader, getRequest("/adviser", { cookie: await as(w.adviser.id) }))).json();
    expect(home.queue.find((p: { id: string }) => p.id === w.roof.id).writtenOn).not.toBeNull();
    expect(home.queue.find((p: { id: string }) => p.id === w.kitchen.id).writtenOn).toBeNull();
    const page = await (
      await runLoader(adviserLoader, getRequest(`/adviser/proposals/${w.roof.id}`, { cookie: await as(w.adviser.id) }), { proposalId: w.roof.id })
    ).json();
    expect(page.values.risks).toBe("Asbestos survey needed");

    const seen = await (await scorePage(w.amina.id, w.roof.id)).json();
    expect(seen.input).toEqual([
      expect.objectContaining({ feasibility: "Roof span is achievable", costRealism: "Quote is about 10% low", risks: "Asbestos survey needed" }),
    ]);

    const recused = await scorePage(w.cara.id, w.roof.id);
    expect(recused.status).toBe(403);
    expect(await recused.text()).not.toContain("Asbestos");
  });

  it("does not let an adviser write input on another group's proposal", async () => {
    const w = await panel();
    const other = await panel();
    const res = await postInput(w.adviser.id, other.roof.id, { feasibility: "x", costRealism: "y", risks: "z" });
    expect(res.status).toBe(404);
  });
});

describe("questions to the applicant", () => {
  it("are asked by a member, answered by the applicant, and seen by the panel, without naming the member to the applicant", async () => {
    const w = await panel();
    await declareNothing(w.amina.id);
    const asked = await postScores(w.amina.id, w.roof.id, { intent: "ask", question: "Have you a second quote for the roofing?" });
    expect(asked.status).toBe(302);
    const question = await getDb().selectFrom("clarification_question").selectAll().where("proposal_id", "=", w.roof.id).executeTakeFirstOrThrow();
    expect((await emailsTo(w.roofer.email)).some((e) => e.body_text.includes("Have you a second quote"))).toBe(true);

    const applicantCookie = await as(w.roofer.id);
    const pageRes = await runLoader(applicantProposalLoader, getRequest(`/proposals/${w.roof.id}`, { cookie: applicantCookie }), { proposalId: w.roof.id });
    const pageText = await pageRes.text();
    const page = JSON.parse(pageText);
    expect(page.questions).toEqual([expect.objectContaining({ id: question.id, body: "Have you a second quote for the roofing?", answer: null })]);
    expect(pageText).not.toContain("Amina");

    const empty = await runAction(
      answerAction,
      await postForm(`/proposals/${w.roof.id}/questions/${question.id}`, { answer: " " }, { cookie: applicantCookie }),
      { proposalId: w.roof.id, questionId: question.id },
    );
    expect(empty.status).toBe(400);
    expect((await empty.json()).errors.answer).toBe("Write your answer");

    const answered = await runAction(
      answerAction,
      await postForm(`/proposals/${w.roof.id}/questions/${question.id}`, { answer: "Yes, from Bristol Roofing: £41,000." }, { cookie: applicantCookie }),
      { proposalId: w.roof.id, questionId: question.id },
    );
    expect(answered.status).toBe(302);
    expect(answered.headers.get("Location")).toBe(`/proposals/${w.roof.id}?answered=1#questions`);
    expect((await auditEventsFor("question.answered")).filter((e) => e.entity_id === question.id)).toHaveLength(1);
    expect((await emailsTo(w.amina.email)).some((e) => e.body_text.includes("Bristol Roofing"))).toBe(true);

    const again = await runAction(
      answerAction,
      await postForm(`/proposals/${w.roof.id}/questions/${question.id}`, { answer: "Changed my mind" }, { cookie: applicantCookie }),
      { proposalId: w.roof.id, questionId: question.id },
    );
    expect(again.status).toBe(400);

    const panelView = await (await scorePage(w.amina.id, w.roof.id)).json();
    expect(panelView.questions).toEqual([
      expect.objectContaining({ body: "Have you a second quote for the roofing?", answer: "Yes, from Bristol Roofing: £41,000." }),
    ]);
  });

  it("cannot be answered by another organisation's applicant", async () => {
    const w = await panel();
    await declareNothing(w.amina.id);
    await postScores(w.amina.id, w.roof.id, { intent: "ask", question: "When would work start?" });
    const question = await getDb().selectFrom("clarification_question").select("id").where("proposal_id", "=", w.roof.id).executeTakeFirstOrThrow();
    const stranger = await makeUser({ role: "applicant", organisationId: w.gardenGroup.id });
    const cookie = await as(stranger.id);
    const params = { proposalId: w.roof.id, questionId: question.id };
    expect((await runLoader(answerLoader, getRequest(`/proposals/${w.roof.id}/questions/${question.id}`, { cookie }), params)).status).toBe(404);
    expect(
      (await runAction(answerAction, await postForm(`/proposals/${w.roof.id}/questions/${question.id}`, { answer: "Not mine" }, { cookie }), params)).status,
    ).toBe(404);
  });

  it("cannot be asked by a recused member", async () => {
    const w = await panel();
    await declareNothing(w.cara.id);
    await getDb()
      .insertInto("interest_declaration")
      .values({
        id: crypto.randomUUID(),
        user_id: w.cara.id,
        membership_id: w.cara.membershipId,
        organisation_id: w.roofGroup.id,
        proposal_id: null,
        relationship: "member",
        is_pecuniary: 0,
        details: "",
        created_at: nowIso(),
      })
      .execute();
    expect((await postScores(w.cara.id, w.roof.id, { intent: "ask", question: "Anything?" })).status).toBe(403);
  });
});

describe("what applicants see", () => {
  it("never shows scorer names, marks or comments on the applicant's proposal page", async () => {
    const w = await panel();
    await declareNothing(w.amina.id, w.bill.id);
    await postScores(
      w.amina.id,
      w.roof.id,
      marks(w, "4", "3", { intent: "submit", [`comment-${w.need.id}`]: "Zebra-striped evidence", overall: "Quokka overall" }),
    );
    await postScores(w.bill.id, w.roof.id, marks(w, "1", "2", { intent: "submit", overall: "Narwhal remark" }));
    const res = await runLoader(applicantProposalLoader, getRequest(`/proposals/${w.roof.id}`, { cookie: await as(w.roofer.id) }), { proposalId: w.roof.id });
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const secret of ["Amina", "Bill Marker", "Zebra-striped", "Quokka", "Narwhal", "Evidence of need", "mark", "score_sheet"]) {
      expect(text).not.toContain(secret);
    }
  });
});

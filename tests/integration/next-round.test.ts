import { describe, expect, it } from "vitest";
import { action as inviteBackAction, loader as inviteBackLoader } from "~/routes/admin.funds.$fundId.invite-panel-back";
import { loader as overviewLoader } from "~/routes/admin.funds.$fundId._index";
import { action as nextRoundAction, loader as nextRoundLoader } from "~/routes/admin.funds.$fundId.next-round";
import { acceptInvitation } from "~/services/accounts.server";
import { getDb } from "~/utils/db.server";
import { nowIso } from "~/utils/ids.server";
import {
  emailsTo,
  makeCriterion,
  makeDecisionGroup,
  makeEligibilityQuestion,
  makeFund,
  makeOrganisation,
  makeProposal,
  makeUser,
  TEST_PASSWORD,
  tokenFromLink,
} from "../factories";
import { auditCount, makeLeadOrganisation, signedIn } from "../support/funds";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

const db = () => getDb();

/**
 * Last round: a fund with 2 criteria, 2 eligibility questions, panel rules,
 * payment settings and 2 decision groups with lead organisations, panel
 * members (one of whom left before the end), a proposal and a meeting.
 */
async function lastRound() {
  const fund = await makeFund({ name: `Community Resilience Fund ${Math.random().toString(36).slice(2, 8)}`, budgetPence: 400_000_000 });
  await db()
    .updateTable("fund")
    .set({
      opens_on: "2026-07-01",
      closes_on: "2026-10-31",
      review_on: "2027-01-09",
      decisions_on: "2027-05-01",
      awards_on: "2027-06-01",
      score_scale_max: 10,
      voting_method: "approval",
      approval_max: 3,
      tie_rule: "higher_score",
      quorum_min_present: 4,
      composition_rules: JSON.stringify({ councillor: { maxShare: 50 }, resident: { minCount: 2 } }),
      payment_approval_threshold_pence: 1_000_000,
      funder_prefix: "360G-bristolcc",
      funder_org_id: "GB-LAE-BST",
      funder_org_name: "Bristol City Council",
      results_published_at: nowIso(),
    })
    .where("id", "=", fund.id)
    .execute();
  const criteria = [
    await makeCriterion(fund.id, { name: "Community need", position: 0, weight: 3, guidance: ["None", "Little", "Some", "Clear", "Strong", "Compelling"] }),
    await makeCriterion(fund.id, { name: "Deliverability", position: 1, weight: 2 }),
  ];
  const questions = [
    await makeEligibilityQuestion(fund.id, { position: 0, text: "Is your project something physical?" }),
    await makeEligibilityQuestion(fund.id, { position: 1, text: "Is your group based in Bristol?", ineligibleReason: "This fund is for Bristol groups." }),
  ];
  const leadEast = await makeLeadOrganisation({ name: `Inner East Anchor ${fund.id.slice(0, 6)}` });
  const leadSouth = await makeLeadOrganisation({ name: `South Network ${fund.id.slice(0, 6)}` });
  const east = await makeDecisionGroup({ fundId: fund.id, name: "Inner City and East", leadOrganisationId: leadEast.id });
  const south = await makeDecisionGroup({ fundId: fund.id, name: "South Bristol", leadOrganisationId: leadSouth.id });
  await db().insertInto("decision_group_lead_org").values({ decision_group_id: south.id, organisation_id: leadEast.id }).execute();
  const colin = await makeUser({
    role: "panel_member",
    name: "Cllr Colin Carter",
    decisionGroupId: east.id,
    constituency: "councillor",
    isChair: true,
    hasDeclaredInterests: true,
  });
  const rita = await makeUser({ role: "panel_member", name: "Rita Resident", decisionGroupId: east.id, constituency: "resident", hasDeclaredInterests: true });
  const leftEarly = await makeUser({ role: "panel_member", name: "Lou Left", decisionGroupId: east.id, constituency: "vcse" });
  await db().updateTable("membership").set({ ended_at: "2027-02-01T10:00:00.000Z" }).where("id", "=", leftEarly.membershipId!).execute();
  const val = await makeUser({ role: "panel_member", name: "Val VCSE", decisionGroupId: south.id, constituency: "vcse" });
  const group = await makeOrganisation();
  const proposal = await makeProposal({ decisionGroupId: east.id, organisationId: group.id, status: "under_review" });
  await db()
    .insertInto("meeting")
    .values({
      id: `meeting-${east.id}`,
      decision_group_id: east.id,
      title: "Decision meeting",
      held_on: "2027-04-20",
      status: "closed",
      minutes: "",
      opened_by: colin.id,
      created_at: nowIso(),
      closed_at: nowIso(),
    })
    .execute();
  return { fund, criteria, questions, leadEast, leadSouth, east, south, colin, rita, leftEarly, val, proposal };
}

/** The next-round form as the page sends it; groups in the page's order (by name). */
const nextRoundForm = (round: Awaited<ReturnType<typeof lastRound>>, change: Record<string, string> = {}) => ({
  name: "Community Resilience Fund (round 2)",
  budget: "£4,600,000",
  opensOn: "2027-07-01",
  closesOn: "2027-10-31",
  reviewOn: "2028-01-10",
  decisionsOn: "2028-05-01",
  awardsOn: "2028-06-01",
  "groups[0].id": round.east.id,
  "groups[0].pot": "2000000",
  "groups[1].id": round.south.id,
  "groups[1].pot": "£2,500,000.50",
  ...change,
});

const startNext = async (cookie: string, fundId: string, fields: Record<string, string>) =>
  runAction(nextRoundAction, await postForm(`/admin/funds/${fundId}/next-round`, fields, { cookie }), { fundId });

const inviteBack = async (cookie: string, fundId: string, fields: Record<string, string>) =>
  runAction(inviteBackAction, await postForm(`/admin/funds/${fundId}/invite-panel-back`, fields, { cookie }), { fundId });

const fundCount = async () =>
  Number(
    (
      await db()
        .selectFrom("fund")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("the next round", () => {
  it("An administrator starts a second round of a fund and invites last round's panel back", async () => {
    const { user: admin, cookie } = await signedIn("admin");
    const round = await lastRound();
    const oldFund = await db().selectFrom("fund").selectAll().where("id", "=", round.fund.id).executeTakeFirstOrThrow();

    // The form starts from the old fund: a round-2 name, the same days a year on, the old budget and pots.
    const page = await runLoader(nextRoundLoader, getRequest(`/admin/funds/${round.fund.id}/next-round`, { cookie }), { fundId: round.fund.id });
    expect(page.status).toBe(200);
    const pageData = await page.json();
    expect(pageData.groups.map((g: { id: string }) => g.id)).toEqual([round.east.id, round.south.id]);
    expect(pageData.next).toBeNull();

    const response = await startNext(cookie, round.fund.id, nextRoundForm(round));
    expect(response.status).toBe(302);
    const location = response.headers.get("Location")!;
    expect(location).toMatch(/^\/admin\/funds\/[0-9a-f-]+\?done=round_started$/);
    const newId = location.split("/")[3]!.split("?")[0]!;

    // The new fund: new name, dates and budget; the old purpose, type and rules; unpublished; linked to the old one.
    const fund = await db().selectFrom("fund").selectAll().where("id", "=", newId).executeTakeFirstOrThrow();
    expect(fund).toMatchObject({
      name: "Community Resilience Fund (round 2)",
      purpose: oldFund.purpose,
      type: oldFund.type,
      budget_pence: 460_000_000,
      is_published: 0,
      results_published_at: null,
      opens_on: "2027-07-01",
      closes_on: "2027-10-31",
      review_on: "2028-01-10",
      decisions_on: "2028-05-01",
      awards_on: "2028-06-01",
      score_scale_max: 10,
      voting_method: "approval",
      approval_max: 3,
      tie_rule: "higher_score",
      quorum_min_present: 4,
      composition_rules: oldFund.composition_rules,
      payment_approval_threshold_pence: 1_000_000,
      funder_prefix: "360G-bristolcc",
      funder_org_id: "GB-LAE-BST",
      funder_org_name: "Bristol City Council",
      previous_fund_id: round.fund.id,
    });

    const criteria = await db().selectFrom("criterion").selectAll().where("fund_id", "=", newId).orderBy("position").execute();
    expect(criteria.map(({ name, weight, position, guidance }) => ({ name, weight, position, guidance }))).toEqual(
      round.criteria.map(({ name, weight, position, guidance }) => ({ name, weight, position, guidance })),
    );
    expect(criteria.map((c) => c.id)).not.toContain(round.criteria[0]!.id);

    const questions = await db().selectFrom("eligibility_question").selectAll().where("fund_id", "=", newId).orderBy("position").execute();
    expect(questions.map(({ id: _id, fund_id: _f, ...rest }) => rest)).toEqual(round.questions.map(({ id: _id, fund_id: _f, ...rest }) => rest));

    const groups = await db().selectFrom("decision_group").selectAll().where("fund_id", "=", newId).orderBy("name").execute();
    expect(groups).toHaveLength(2);
    expect(groups[0]).toMatchObject({
      name: "Inner City and East",
      area: round.east.area,
      pot_pence: 200_000_000,
      min_grant_pence: round.east.min_grant_pence,
      max_grant_pence: round.east.max_grant_pence,
      scoring_closed_at: null,
      previous_decision_group_id: round.east.id,
    });
    expect(groups[1]).toMatchObject({ name: "South Bristol", pot_pence: 250_000_050, previous_decision_group_id: round.south.id });
    const [newEast, newSouth] = groups as [(typeof groups)[0], (typeof groups)[0]];
    const leadsOf = async (groupId: string) =>
      (await db().selectFrom("decision_group_lead_org").select("organisation_id").where("decision_group_id", "=", groupId).execute())
        .map((l) => l.organisation_id)
        .sort();
    expect(await leadsOf(newEast.id)).toEqual([round.leadEast.id]);
    expect(await leadsOf(newSouth.id)).toEqual([round.leadEast.id, round.leadSouth.id].sort());

    // Nothing of the old round's work comes across: no proposals, panels, meetings, decisions or awards.
    const newGroupIds = [newEast.id, newSouth.id];
    for (const table of ["proposal", "membership", "meeting", "award"] as const) {
      const { n } = await db()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("decision_group_id", "in", newGroupIds)
        .executeTakeFirstOrThrow();
      expect(Number(n), table).toBe(0);
    }
    const { n: invitationsForNew } = await db()
      .selectFrom("invitation")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("decision_group_id", "in", newGroupIds)
      .executeTakeFirstOrThrow();
    expect(Number(invitationsForNew)).toBe(0);
    // The old round is untouched.
    expect(await db().selectFrom("fund").selectAll().where("id", "=", round.fund.id).executeTakeFirstOrThrow()).toEqual(oldFund);
    expect(
      (await db().selectFrom("proposal").select("decision_group_id").where("id", "=", round.proposal.id).executeTakeFirstOrThrow()).decision_group_id,
    ).toBe(round.east.id);

    // Audited: the fund's event names its source; each copied row has its own "created" event naming what it was copied from.
    const events = await db().selectFrom("audit_event").selectAll().where("actor", "=", admin.id).orderBy("id").execute();
    const started = events.filter((e) => e.action === "fund.round_started");
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ entity_type: "fund", entity_id: newId });
    expect(JSON.parse(started[0]!.after!)).toMatchObject({
      previous_fund_id: round.fund.id,
      previousFundName: round.fund.name,
      budget_pence: 460_000_000,
      is_published: 0,
    });
    const copied = (action: string) =>
      events.filter((e) => e.action === action).map((e) => JSON.parse(e.after!).copiedFrom ?? JSON.parse(e.after!).previous_decision_group_id);
    expect(copied("criterion.created").sort()).toEqual(round.criteria.map((c) => c.id).sort());
    expect(copied("eligibility_question.created").sort()).toEqual(round.questions.map((q) => q.id).sort());
    expect(copied("decision_group.created").sort()).toEqual([round.east.id, round.south.id].sort());
    expect(events.map((e) => e.action).sort()).toEqual(
      [
        "fund.round_started",
        "criterion.created",
        "criterion.created",
        "eligibility_question.created",
        "eligibility_question.created",
        "decision_group.created",
        "decision_group.created",
      ].sort(),
    );

    // Both funds' pages link the rounds.
    const newOverview = await (await runLoader(overviewLoader, getRequest(location, { cookie }), { fundId: newId })).json();
    expect(newOverview.rounds).toEqual({ previous: { id: round.fund.id, name: round.fund.name }, next: null });
    expect(newOverview.done).toBe("round_started");
    const oldOverview = await (await runLoader(overviewLoader, getRequest(`/admin/funds/${round.fund.id}`, { cookie }), { fundId: round.fund.id })).json();
    expect(oldOverview.rounds.next).toEqual({ id: newId, name: "Community Resilience Fund (round 2)" });

    // Last round's panel, by group, with constituencies; the member who left early is still last round's panel.
    const listed = await (await runLoader(inviteBackLoader, getRequest(`/admin/funds/${newId}/invite-panel-back`, { cookie }), { fundId: newId })).json();
    expect(listed.previous).toEqual({ id: round.fund.id, name: round.fund.name });
    expect(listed.groups.map((g: { id: string; previous: { id: string } }) => [g.id, g.previous.id])).toEqual([
      [newEast.id, round.east.id],
      [newSouth.id, round.south.id],
    ]);
    expect(
      listed.groups[0].members.map((m: { name: string; constituency: string; leftOn: string | null; status: { kind: string } }) => [
        m.name,
        m.constituency,
        m.leftOn,
        m.status.kind,
      ]),
    ).toEqual([
      ["Cllr Colin Carter", "councillor", null, "not_invited"],
      ["Lou Left", "vcse", "2027-02-01T10:00:00.000Z", "not_invited"],
      ["Rita Resident", "resident", null, "not_invited"],
    ]);
    expect(listed.groups[1].members.map((m: { name: string }) => m.name)).toEqual(["Val VCSE"]);

    // "Invite back" Rita: an invitation for the new group, same constituency, and an email with the link.
    const oldMembership = await db().selectFrom("membership").selectAll().where("id", "=", round.rita.membershipId!).executeTakeFirstOrThrow();
    const usersBefore = Number(
      (
        await db()
          .selectFrom("user")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const invited = await inviteBack(cookie, newId, { decisionGroupId: newEast.id, userId: round.rita.id });
    expect(invited.status).toBe(302);
    expect(invited.headers.get("Location")).toBe(`/admin/funds/${newId}/invite-panel-back?invited=${round.rita.id}`);
    const invitation = await db().selectFrom("invitation").selectAll().where("decision_group_id", "=", newEast.id).executeTakeFirstOrThrow();
    expect(invitation).toMatchObject({
      email: round.rita.email,
      name: "Rita Resident",
      role: "panel_member",
      constituency: "resident",
      invited_by: admin.id,
      accepted_at: null,
    });
    const [email] = await emailsTo(round.rita.email);
    expect(email!.body_text).toContain("You already have an account");
    expect(
      (
        await db()
          .selectFrom("audit_event")
          .select("actor")
          .where("action", "=", "invitation.created")
          .where("entity_id", "=", invitation.id)
          .executeTakeFirst()
      )?.actor,
    ).toBe(admin.id);

    // The page says so, and a second click is refused rather than sending a second email.
    const afterInvite = await (
      await runLoader(inviteBackLoader, getRequest(`/admin/funds/${newId}/invite-panel-back?invited=${round.rita.id}`, { cookie }), { fundId: newId })
    ).json();
    expect(afterInvite.sentTo).toBe("Rita Resident");
    expect(afterInvite.groups[0].members.find((m: { userId: string }) => m.userId === round.rita.id).status.kind).toBe("invited");
    const again = await inviteBack(cookie, newId, { decisionGroupId: newEast.id, userId: round.rita.id });
    expect(again.status).toBe(400);
    expect((await again.json()).errors.form).toMatch(/^Rita Resident was already invited back on /);
    expect(await emailsTo(round.rita.email)).toHaveLength(1);

    // Rita accepts with the password she already has: same account, a second panel membership, the old one untouched.
    const userId = await acceptInvitation(getDb(), tokenFromLink(email!.body_text, "invitations"), { name: "Rita Resident", password: TEST_PASSWORD });
    expect(userId).toBe(round.rita.id);
    expect(
      Number(
        (
          await db()
            .selectFrom("user")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(usersBefore);
    const memberships = await db()
      .selectFrom("membership")
      .selectAll()
      .where("user_id", "=", round.rita.id)
      .where("role", "=", "panel_member")
      .orderBy("started_at")
      .execute();
    expect(memberships).toHaveLength(2);
    expect(memberships.find((m) => m.id === oldMembership.id)).toEqual(oldMembership);
    const fresh = memberships.find((m) => m.id !== oldMembership.id)!;
    expect(fresh).toMatchObject({ decision_group_id: newEast.id, constituency: "resident", ended_at: null, interests_declared_at: null, is_chair: 0 });

    const accepted = await (await runLoader(inviteBackLoader, getRequest(`/admin/funds/${newId}/invite-panel-back`, { cookie }), { fundId: newId })).json();
    expect(accepted.groups[0].members.find((m: { userId: string }) => m.userId === round.rita.id).status.kind).toBe("on_panel");

    // A second "start the next round" from the same fund is refused: one next round per fund.
    const twice = await startNext(cookie, round.fund.id, nextRoundForm(round, { name: "Another copy" }));
    expect(twice.status).toBe(400);
    expect((await twice.json()).errors.form).toBe(
      "The next round of this fund has already been started: Community Resilience Fund (round 2). Change that round instead.",
    );
  });

  it("only last round's panel members of the copied group can be invited back, and not a disabled account", async () => {
    const { cookie } = await signedIn("admin");
    const round = await lastRound();
    const id = (await startNext(cookie, round.fund.id, nextRoundForm(round))).headers.get("Location")!.split("/")[3]!.split("?")[0]!;
    const [newEast, newSouth] = await db().selectFrom("decision_group").select("id").where("fund_id", "=", id).orderBy("name").execute();
    // Val sat on South Bristol, not Inner City and East.
    const wrongGroup = await inviteBack(cookie, id, { decisionGroupId: newEast!.id, userId: round.val.id });
    expect(wrongGroup.status).toBe(400);
    expect((await wrongGroup.json()).errors.form).toBe("That person was not on last round's panel for this decision group.");
    // A group of another fund cannot be used through this fund's page.
    const otherFund = await inviteBack(cookie, round.fund.id, { decisionGroupId: newSouth!.id, userId: round.val.id });
    expect(otherFund.status).toBe(400);
    await db().updateTable("user").set({ disabled_at: nowIso() }).where("id", "=", round.val.id).execute();
    const disabled = await inviteBack(cookie, id, { decisionGroupId: newSouth!.id, userId: round.val.id });
    expect(disabled.status).toBe(400);
    expect((await disabled.json()).errors.form).toBe("Val VCSE's account is disabled, so they cannot be invited back.");
    expect(await emailsTo(round.val.email)).toHaveLength(0);
  });

  it.each([
    [
      "pots over the budget",
      { budget: "4000000" },
      "budget",
      "The decision groups' pots would add up to £4,500,000.50, which is £500,000.50 more than the fund's total budget of £4,000,000. Raise the budget or lower the pots",
    ],
    ["a date that is not on the calendar", { opensOn: "2026-02-30" }, "opensOn", "Enter the date proposals open as a real date, like 2027-07-01"],
    [
      "proposals closing before they open",
      { closesOn: "2027-06-30" },
      "closesOn",
      "The date proposals close must be the same as or after the date proposals open",
    ],
    ["a missing name", { name: "   " }, "name", "Enter the new round's name"],
    [
      "a pot that is not money",
      { "groups[1].pot": "lots" },
      "groups[1].pot",
      "Enter the pot for South Bristol as an amount of money, like 50000 or £50,000.00",
    ],
    [
      "a pot below the group's maximum grant",
      { "groups[0].pot": "99999" },
      "groups[0].pot",
      "The pot for Inner City and East must be at least £100,000, its maximum grant. To give it a smaller pot, lower its maximum grant after you start the round",
    ],
    ["a budget of nothing", { budget: "" }, "budget", "Enter the total budget"],
  ])("%s is refused with 400, the message on its field, what was typed kept, and nothing written", async (_label, change, field, message) => {
    const { cookie } = await signedIn("admin");
    const round = await lastRound();
    const [funds, events] = [await fundCount(), await auditCount()];
    const fields = nextRoundForm(round, change);
    const response = await startNext(cookie, round.fund.id, fields);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[field]).toBe(message);
    expect(body.values).toMatchObject(fields);
    expect(await fundCount()).toBe(funds);
    expect(await auditCount()).toBe(events);
  });

  it("several problems at once are all reported in the page's order, so one bad pot does not hide a date in the wrong order", async () => {
    const { cookie } = await signedIn("admin");
    const round = await lastRound();
    const response = await startNext(cookie, round.fund.id, nextRoundForm(round, { name: "", budget: "abc", "groups[0].pot": "abc", awardsOn: "2028-04-01" }));
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).errors)).toEqual(["name", "budget", "awardsOn", "groups[0].pot"]);
  });

  it("a form whose groups no longer match the fund's is refused without copying anything", async () => {
    const { cookie } = await signedIn("admin");
    const round = await lastRound();
    const funds = await fundCount();
    const { "groups[1].id": _id, "groups[1].pot": _pot, ...oneGroup } = nextRoundForm(round);
    const response = await startNext(cookie, round.fund.id, oneGroup);
    expect(response.status).toBe(400);
    expect((await response.json()).errors.form).toBe(
      "The fund's decision groups have changed since you opened this page. Check the pots and send the form again",
    );
    expect(await fundCount()).toBe(funds);
  });

  it("someone who is not a fund administrator gets 403 and nothing is written", async () => {
    const round = await lastRound();
    const member = await makeUser({ role: "panel_member", decisionGroupId: round.east.id });
    const lead = await makeUser({ role: "lead_org", organisationId: round.leadEast.id });
    for (const user of [member, lead]) {
      const cookie = await sessionCookieFor(user.id);
      const [funds, events] = [await fundCount(), await auditCount()];
      expect((await runLoader(nextRoundLoader, getRequest(`/admin/funds/${round.fund.id}/next-round`, { cookie }), { fundId: round.fund.id })).status).toBe(
        403,
      );
      expect((await startNext(cookie, round.fund.id, nextRoundForm(round))).status).toBe(403);
      expect(
        (await runLoader(inviteBackLoader, getRequest(`/admin/funds/${round.fund.id}/invite-panel-back`, { cookie }), { fundId: round.fund.id })).status,
      ).toBe(403);
      expect((await inviteBack(cookie, round.fund.id, { decisionGroupId: round.east.id, userId: round.rita.id })).status).toBe(403);
      expect(await fundCount()).toBe(funds);
      expect(await auditCount()).toBe(events);
    }
  });

  it("a fund that was not started from another round says there is no last round's panel", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    const data = await (await runLoader(inviteBackLoader, getRequest(`/admin/funds/${fund.id}/invite-panel-back`, { cookie }), { fundId: fund.id })).json();
    expect(data).toMatchObject({ previous: null, groups: [] });
  });
});

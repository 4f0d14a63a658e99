import { beforeAll, describe, expect, it } from "vitest";
import { action as awardsAction, loader as awardsLoader } from "~/routes/admin.awards._index";
import { action as allocationAction, loader as allocationLoader } from "~/routes/admin.groups.$groupId.allocation";
import { action as oneStepAction, loader as oneStepLoader } from "~/routes/admin.groups.$groupId.decisions_.all";
import { loader as decisionsLoader } from "~/routes/admin.groups.$groupId.decisions";
import { createAward } from "~/services/awards.server";
import { openMeeting, recordAttendance } from "~/services/meetings.server";
import { castVote, closeVote, openVote } from "~/services/voting.server";
import { getDb } from "~/utils/db.server";
import { actorOf, auditEventsFor, makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { addCriterion, closeScoring, panelMember, scoreSheet, setGroupMoney } from "../support/decisions";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

/**
 * One group, pot £100,000, four proposals the panel voted on:
 * Roof (mean 10, asks £60,000, voted to fund), Garden (9, £50,000, voted to fund),
 * Ramp (8, £50,000, voted to fund) and Car park (4, £30,000, voted not to fund).
 * Going down the ranking funds the Roof alone (10 points); the optimum funds the
 * Garden and the Ramp (17 points). So the Roof, voted to fund but left out, is
 * the row that goes against the vote.
 */
const POUND = 100;
type P = { id: string; reference: string; title: string };
let admin: ReturnType<typeof actorOf>;
let adminCookie: string;
let group: { id: string; fund_id: string };
let openGroup: { id: string; fund_id: string };
let roof: P;
let garden: P;
let ramp: P;
let carPark: P;
let waiting: P;

const decisionsOf = (ids: string[]) => getDb().selectFrom("decision").selectAll().where("proposal_id", "in", ids).execute();
const statusesOf = async (ids: string[]) =>
  Object.fromEntries((await getDb().selectFrom("proposal").select(["id", "status"]).where("id", "in", ids).execute()).map((p) => [p.id, p.status]));
const recordedFor = async (ids: string[]) => (await auditEventsFor("decision.recorded")).filter((e) => ids.includes(JSON.parse(e.after!).proposal_id));

/** The one-step form as the page fills it in, with any row's fields changed. */
async function oneStepForm(groupId: string, changes: Record<string, Record<string, string>> = {}) {
  const page = await runLoader(oneStepLoader, getRequest(`/admin/groups/${groupId}/decisions/all`, { cookie: adminCookie }), { groupId });
  const { rows } = (await page.json()) as { rows: { id: string; prefilled: { outcome: string; amount: string; reason: string } }[] };
  const fields: Record<string, string> = {};
  rows.forEach((row, i) => {
    const values = { proposalId: row.id, ...row.prefilled, conditions: "", departureReason: "", ...changes[row.id] };
    for (const [name, value] of Object.entries(values)) fields[`decisions[${i}].${name}`] = value;
  });
  return { rows, fields };
}

const postOneStep = async (groupId: string, fields: Record<string, string>, submissionKey?: string) =>
  runAction(oneStepAction, await postForm(`/admin/groups/${groupId}/decisions/all`, fields, { cookie: adminCookie, submissionKey }), { groupId });

const postOffers = async (fields: Record<string, string>, submissionKey?: string) =>
  runAction(awardsAction, await postForm("/admin/awards", fields, { cookie: adminCookie, submissionKey }));

beforeAll(async () => {
  admin = actorOf(await makeUser({ role: "admin" }));
  adminCookie = await sessionCookieFor(admin.id);
  group = await makeDecisionGroup({ name: "Riverside" });
  openGroup = await makeDecisionGroup({ fundId: group.fund_id, name: "Hillside" });
  await setGroupMoney(group.id, { pot: 100_000 * POUND, min: 10_000 * POUND, max: 100_000 * POUND });
  const criteria = [await addCriterion(group.fund_id, 1, 1), await addCriterion(group.fund_id, 1, 2)];
  const org = await makeOrganisation();
  const members = [
    await panelMember(group.id),
    await panelMember(group.id, { constituency: "councillor" }),
    await panelMember(group.id, { constituency: "vcse" }),
  ];
  const proposal = async (title: string, askPounds: number, marks: [number, number]) => {
    const p = await makeProposal({
      decisionGroupId: group.id,
      organisationId: org.id,
      status: "under_review",
      content: { title, amountRequestedPence: askPounds * POUND },
    });
    await scoreSheet(p.id, members[0]!.id, { [criteria[0]!.id]: marks[0], [criteria[1]!.id]: marks[1] });
    return p;
  };
  roof = await proposal("Roof for the scout hut", 60_000, [5, 5]);
  garden = await proposal("Community garden beds", 50_000, [5, 4]);
  ramp = await proposal("Library ramp", 50_000, [4, 4]);
  carPark = await proposal("Car park", 30_000, [2, 2]);
  const meetingId = await openMeeting(getDb(), admin, group.id, { title: "Decision meeting", heldOn: "2027-03-01" });
  await recordAttendance(
    getDb(),
    admin,
    meetingId,
    members.map((m) => m.id),
  );
  for (const [p, choice] of [
    [roof, "fund"],
    [garden, "fund"],
    [ramp, "fund"],
    [carPark, "dont_fund"],
  ] as const) {
    await openVote(getDb(), admin, meetingId, p.id);
    for (const m of members) await castVote(getDb(), actorOf(m), meetingId, p.id, choice);
    await closeVote(getDb(), admin, meetingId, p.id, null);
  }
  await closeScoring(group.id);
  const adopted = await runAction(allocationAction, await postForm(`/admin/groups/${group.id}/allocation`, {}, { cookie: adminCookie }), { groupId: group.id });
  expect(adopted.status).toBe(302);

  // The other group's scoring is still open.
  waiting = await makeProposal({
    decisionGroupId: openGroup.id,
    organisationId: org.id,
    status: "under_review",
    content: { title: "Bus shelter", amountRequestedPence: 20_000 * POUND },
  });
});

describe("the allocation page leads with the recommendation", () => {
  it("in one sentence naming the proposals, the money and the points gained over going down the ranking", async () => {
    const response = await runLoader(allocationLoader, getRequest(`/admin/groups/${group.id}/allocation`, { cookie: adminCookie }), { groupId: group.id });
    const { summary } = (await response.json()) as { summary: string };
    expect(summary).toBe(
      `Fund ${garden.reference} Community garden beds and ${ramp.reference} Library ramp, £100,000, 7 points more than going down the ranking.`,
    );
  });
});

describe("recording a whole group's decisions in one step", () => {
  it("fills each row in from the chosen allocation, with a default reason, and marks the row that goes against the vote", async () => {
    const { rows } = await oneStepForm(group.id);
    const byId = new Map(
      rows.map((r) => [r.id, r as unknown as { prefilled: { outcome: string; amount: string; reason: string; departures: { from: string }[] } }]),
    );
    expect(rows.map((r) => r.id).sort()).toEqual([roof.id, garden.id, ramp.id, carPark.id].sort());
    expect(byId.get(garden.id)!.prefilled).toMatchObject({
      outcome: "funded",
      amount: "50000",
      reason: "Funded: the panel's chosen allocation includes it.",
      departures: [],
    });
    expect(byId.get(carPark.id)!.prefilled).toMatchObject({
      outcome: "not_funded",
      amount: "",
      reason: "Not funded: the panel voted not to fund it.",
      departures: [],
    });
    expect(byId.get(roof.id)!.prefilled.outcome).toBe("not_funded");
    expect(byId.get(roof.id)!.prefilled.reason).toBe("Not funded: the budget was used for proposals with higher scores.");
    expect(byId.get(roof.id)!.prefilled.departures.map((d) => d.from)).toEqual(["vote"]);
  });

  it("refuses with a 400 when a row goes against the vote without its reason: every row's input kept, nothing written", async () => {
    const edited = "Not funded: two cheaper projects together scored higher.";
    const { rows, fields } = await oneStepForm(group.id, { [roof.id]: { reason: edited } });
    const eventsBefore = (await getDb().selectFrom("audit_event").select("id").execute()).length;
    const response = await postOneStep(group.id, fields, "one-step-refused-0001");
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Record<string, string>; values: Record<string, string> };
    const roofRow = rows.findIndex((r) => r.id === roof.id);
    expect(body.errors[`decisions[${roofRow}].departureReason`]).toMatch(new RegExp(`^${roof.reference}: This decision differs from the panel's vote\\.`));
    expect(Object.keys(body.errors).sort()).toEqual(["form", `decisions[${roofRow}].departureReason`].sort());
    expect(body.values[`decisions[${roofRow}].reason`]).toBe(edited);
    expect(body.values[`decisions[${rows.findIndex((r) => r.id === garden.id)}].amount`]).toBe("50000");
    const ids = [roof.id, garden.id, ramp.id, carPark.id];
    expect(await decisionsOf(ids)).toEqual([]);
    expect(await recordedFor(ids)).toEqual([]);
    expect(Object.values(await statusesOf(ids))).toEqual(["under_review", "under_review", "under_review", "under_review"]);
    expect((await getDb().selectFrom("audit_event").select("id").execute()).length).toBe(eventsBefore);
  });

  it("a scoring group that has not closed scoring is refused, and nothing is written", async () => {
    const page = await runLoader(oneStepLoader, getRequest(`/admin/groups/${openGroup.id}/decisions/all`, { cookie: adminCookie }), { groupId: openGroup.id });
    expect(((await page.json()) as { scoringRefusal: string | null }).scoringRefusal).toMatch(/close scoring first/);
    const response = await postOneStep(openGroup.id, {
      "decisions[0].proposalId": waiting.id,
      "decisions[0].outcome": "not_funded",
      "decisions[0].reason": "Not funded: the budget was used for proposals with higher scores.",
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Record<string, string> }).errors.form).toMatch(/Scoring is still open for this group/);
    expect(await decisionsOf([waiting.id])).toEqual([]);
  });

  it("records every row in one step: N decisions, N audit events, each group told, the departure reason kept", async () => {
    const why = "The roof needs a survey first, so the panel chose two projects that can start now.";
    const { fields } = await oneStepForm(group.id, { [roof.id]: { departureReason: why } });
    const ids = [roof.id, garden.id, ramp.id, carPark.id];
    const response = await postOneStep(group.id, fields, "one-step-recorded-0001");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/admin/groups/${group.id}/decisions?done=all`);
    const decisions = await decisionsOf(ids);
    expect(decisions).toHaveLength(4);
    const byProposal = new Map(decisions.map((d) => [d.proposal_id, d]));
    expect(byProposal.get(garden.id)).toMatchObject({
      outcome: "funded",
      amount_pence: 50_000 * POUND,
      reason: "Funded: the panel's chosen allocation includes it.",
    });
    expect(byProposal.get(ramp.id)).toMatchObject({ outcome: "funded", amount_pence: 50_000 * POUND });
    expect(byProposal.get(roof.id)).toMatchObject({ outcome: "not_funded", departure_reason: why });
    expect(byProposal.get(carPark.id)).toMatchObject({ outcome: "not_funded", departure_reason: "" });
    expect(await recordedFor(ids)).toHaveLength(4);
    expect(await statusesOf(ids)).toEqual({ [roof.id]: "not_funded", [garden.id]: "funded", [ramp.id]: "funded", [carPark.id]: "not_funded" });
    const [summary] = (await auditEventsFor("decisions.recorded_for_group")).filter((e) => e.entity_id === group.id);
    expect(JSON.parse(summary!.after!)).toMatchObject({ count: 4, fundedPence: 100_000 * POUND });

    // The same submission again (a double click) records nothing more.
    const repeat = await postOneStep(group.id, fields, "one-step-recorded-0001");
    expect(repeat.status).toBe(303);
    expect(await recordedFor(ids)).toHaveLength(4);

    const page = await runLoader(decisionsLoader, getRequest(`/admin/groups/${group.id}/decisions?done=all`, { cookie: adminCookie }), { groupId: group.id });
    const data = (await page.json()) as { done: string | null; awaiting: unknown[] };
    expect(data.done).toBe("all");
    expect(data.awaiting).toEqual([]);
  });
});

describe("making all of a group's offers at once", () => {
  it("confirms with the count and total, makes only the offers not yet made, each audited, and a repeat makes nothing", async () => {
    // The garden's offer was already made on its own.
    await createAward(getDb(), admin, garden.id);
    const confirm = await runLoader(awardsLoader, getRequest(`/admin/awards?offerGroup=${group.id}`, { cookie: adminCookie }));
    const { confirm: shown } = (await confirm.json()) as { confirm: { groupName: string; totalPence: number; rows: { proposalId: string }[] } };
    expect(shown).toMatchObject({ groupName: "Riverside", totalPence: 50_000 * POUND, rows: [{ proposalId: ramp.id }] });

    const offeredBefore = (await auditEventsFor("award.offered")).length;
    const response = await postOffers({ intent: "offer-all", decisionGroupId: group.id }, "offers-all-0000001");
    expect(response.status).toBe(302);
    const location = response.headers.get("Location")!;
    expect(location).toBe(`/admin/awards?madeFor=${group.id}&made=1&total=${50_000 * POUND}#offers-heading`);
    const awards = await getDb().selectFrom("award").select(["proposal_id", "amount_pence"]).where("decision_group_id", "=", group.id).execute();
    expect(awards.map((a) => a.proposal_id).sort()).toEqual([garden.id, ramp.id].sort());
    const offered = (await auditEventsFor("award.offered")).slice(offeredBefore);
    expect(offered.map((e) => JSON.parse(e.after!).proposal_id)).toEqual([ramp.id]);

    const summary = await runLoader(awardsLoader, getRequest(location.replace(/#.*/, ""), { cookie: adminCookie }));
    expect(((await summary.json()) as { made: string }).made).toBe(
      "1 offer made for Riverside, £50,000 in all. Each group has been told. Awards already offered were skipped.",
    );

    // A double click gets the first answer; sending the form again later makes nothing new.
    const repeat = await postOffers({ intent: "offer-all", decisionGroupId: group.id }, "offers-all-0000001");
    expect(repeat.status).toBe(303);
    const again = await postOffers({ intent: "offer-all", decisionGroupId: group.id }, "offers-all-0000002");
    expect(again.headers.get("Location")).toBe(`/admin/awards?madeFor=${group.id}&made=0&total=0#offers-heading`);
    expect(await getDb().selectFrom("award").select("id").where("decision_group_id", "=", group.id).execute()).toHaveLength(2);
    expect((await auditEventsFor("award.offered")).length).toBe(offeredBefore + 1);
  });

  it("is for administrators only", async () => {
    const chair = await panelMember(group.id, { isChair: true });
    const response = await runAction(
      awardsAction,
      await postForm("/admin/awards", { intent: "offer-all", decisionGroupId: group.id }, { cookie: chair.cookie }),
    );
    expect(response.status).toBe(403);
  });
});

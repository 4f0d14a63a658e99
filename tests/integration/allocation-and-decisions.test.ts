import { beforeAll, describe, expect, it } from "vitest";
import { action as allocationAction, loader as allocationLoader } from "~/routes/admin.groups.$groupId.allocation";
import { action as decisionsAction, loader as decisionsLoader } from "~/routes/admin.groups.$groupId.decisions";
import { loader as proposalLoader } from "~/routes/proposals.$proposalId._index";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, emailsTo, makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { addCriterion, closeScoring, declareInterestIn, panelMember, scoreSheet, setGroupMoney } from "../support/decisions";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

const POUND = 100;
let adminCookie: string;
let group: { id: string; fund_id: string };
let org: { id: string };
let applicant: { id: string; email: string };
let chair: Awaited<ReturnType<typeof panelMember>>;
let member: Awaited<ReturnType<typeof panelMember>>;
let criteria: { id: string }[];

/**
 * Pot £100,000. A (mean 10, asks £60,000), B (mean 9, £50,000), C (mean 8, £50,000).
 * Going down the ranking funds A and nothing else fits (total 10); the optimum
 * funds B and C (total 17) and spends the whole pot.
 */
let a: { id: string; reference: string };
let b: { id: string; reference: string };
let c: { id: string; reference: string };

async function scoredProposal(title: string, askPounds: number, marks: [number, number]) {
  const p = await makeProposal({
    decisionGroupId: group.id,
    organisationId: org.id,
    status: "under_review",
    content: { title, amountRequestedPence: askPounds * POUND },
  });
  await scoreSheet(p.id, chair.id, { [criteria[0]!.id]: marks[0], [criteria[1]!.id]: marks[1] });
  return p;
}

beforeAll(async () => {
  const admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
  group = await makeDecisionGroup();
  await setGroupMoney(group.id, { pot: 100_000 * POUND, min: 10_000 * POUND, max: 100_000 * POUND });
  criteria = [await addCriterion(group.fund_id, 1, 1), await addCriterion(group.fund_id, 1, 2)];
  org = await makeOrganisation();
  applicant = await makeUser({ role: "applicant", organisationId: org.id });
  chair = await panelMember(group.id, { name: "Priya Chairperson", isChair: true });
  member = await panelMember(group.id, { name: "Oscar Panellist" });
  a = await scoredProposal("Roof for the scout hut", 60_000, [5, 5]);
  b = await scoredProposal("Community garden beds", 50_000, [5, 4]);
  c = await scoredProposal("Library ramp", 50_000, [4, 4]);
});

async function allocation(query = "", cookie = adminCookie) {
  const response = await runLoader(allocationLoader, getRequest(`/admin/groups/${group.id}/allocation${query}`, { cookie }), { groupId: group.id });
  return { status: response.status, body: response.status < 300 || response.status === 400 ? await response.json() : null };
}

async function decide(fields: Record<string, string>, cookie = adminCookie) {
  return runAction(decisionsAction, await postForm(`/admin/groups/${group.id}/decisions`, fields, { cookie }), { groupId: group.id });
}

const statusOf = async (id: string) => (await getDb().selectFrom("proposal").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;

describe("the allocation recommendation", () => {
  it("finds the exact optimum where going down the ranking falls short, and shows both with the money left over", async () => {
    const { status, body } = await allocation();
    expect(status).toBe(200);
    expect(body.allocation.basis).toBe("all");
    const { optimum, greedy } = body.allocation.result;
    expect(optimum.fundedIds.sort()).toEqual([b.id, c.id].sort());
    expect(optimum.totalValue).toBe(17);
    expect(optimum.leftoverPence).toBe(0);
    expect(greedy.fundedIds).toEqual([a.id]);
    expect(greedy.totalValue).toBe(10);
    expect(greedy.leftoverPence).toBe(40_000 * POUND);
    expect(optimum.totalValue).toBeGreaterThanOrEqual(greedy.totalValue);
    expect(body.allocation.rules.tieRule).toMatch(/same highest total value/);
  });

  it("pinning a proposal in or out changes the optimum", async () => {
    const pinnedIn = (await allocation(`?in=${a.id}`)).body.allocation;
    expect(pinnedIn.result.optimum.fundedIds).toEqual([a.id]);
    expect(pinnedIn.rows.find((r: { id: string }) => r.id === a.id).isPinnedIn).toBe(true);
    const pinnedOut = (await allocation(`?out=${b.id}`)).body.allocation;
    expect(pinnedOut.result.optimum.fundedIds).toEqual([a.id]);
  });

  it("a proposal pinned both in and out is a 400 with the reason, showing the unpinned recommendation", async () => {
    const { status, body } = await allocation(`?in=${a.id}&out=${a.id}`);
    expect(status).toBe(400);
    expect(body.pinError).toMatch(/cannot be pinned both in and out/);
    expect(body.allocation.result.optimum.fundedIds.sort()).toEqual([b.id, c.id].sort());
  });

  it("a panel member who is not the chair cannot see it", async () => {
    expect((await allocation("", member.cookie)).status).toBe(403);
    expect((await allocation("", chair.cookie)).status).toBe(200);
  });

  it("while scoring is open the chair sees no recommendation and cannot use one: it is ranked by other members' scores", async () => {
    expect((await allocation("", chair.cookie)).body.allocation).toBeNull();
    const response = await runAction(allocationAction, await postForm(`/admin/groups/${group.id}/allocation`, {}, { cookie: chair.cookie }), {
      groupId: group.id,
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.form).toMatch(/once scoring has closed/);
    expect((await auditEventsFor("allocation.recommended")).filter((e) => e.entity_id === group.id)).toEqual([]);
  });

  it("'Use this allocation' records the recommendation in the audit trail and pre-fills the decisions page", async () => {
    // The chair may use it once scoring has closed (issue 8: before that it would show them other members' scores).
    await closeScoring(group.id);
    const response = await runAction(allocationAction, await postForm(`/admin/groups/${group.id}/allocation`, {}, { cookie: chair.cookie }), {
      groupId: group.id,
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/admin/groups/${group.id}/decisions?done=recommended`);
    const [event] = (await auditEventsFor("allocation.recommended")).filter((e) => e.entity_id === group.id);
    expect(JSON.parse(event!.after!).amounts).toEqual({ [b.id]: 50_000 * POUND, [c.id]: 50_000 * POUND });
    const page = await runLoader(decisionsLoader, getRequest(`/admin/groups/${group.id}/decisions`, { cookie: adminCookie }), { groupId: group.id });
    const awaiting = (await page.json()).awaiting as { id: string; recommendedPence: number | null }[];
    expect(awaiting.find((p) => p.id === b.id)!.recommendedPence).toBe(50_000 * POUND);
    expect(awaiting.find((p) => p.id === a.id)!.recommendedPence).toBeNull();
  });
});

describe("recording decisions", () => {
  const reason = "The panel found strong local support and a clear, costed plan for the garden beds.";

  it("a decision without a written reason is a 400 and nothing changes", async () => {
    const response = await decide({ proposalId: a.id, outcome: "not_funded", reason: "   " });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.reason).toBe("Write the reason for this decision: the applicant will read it");
    expect(body.values.proposalId).toBe(a.id);
    expect(await statusOf(a.id)).toBe("under_review");
  });

  it("an amount outside the grant range is a 400 naming the range", async () => {
    const response = await decide({ proposalId: b.id, outcome: "funded", amount: "5000", reason });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.amount).toBe("The amount must be between £10,000 and £100,000, the grant range for this decision group");
    const missing = await decide({ proposalId: b.id, outcome: "funded", amount: "", reason });
    expect((await missing.json()).errors.amount).toBe("Enter the amount to fund, in pounds");
  });

  it("a panel member who is not the chair gets 403, and so does an applicant", async () => {
    expect((await decide({ proposalId: a.id, outcome: "not_funded", reason }, member.cookie)).status).toBe(403);
    expect((await decide({ proposalId: a.id, outcome: "not_funded", reason }, await sessionCookieFor(applicant.id))).status).toBe(403);
    expect(await statusOf(a.id)).toBe("under_review");
  });

  it("feedback that names a panel member is refused", async () => {
    const response = await decide({ proposalId: b.id, outcome: "funded", amount: "50000", reason, feedback: "Oscar Panellist loved it." });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.feedback).toMatch(/names a panel member/);
    expect(await statusOf(b.id)).toBe("under_review");
  });

  it("the chair records a funded decision: the decision row, the status, the audit events and the email to the group, with the reason and no scorer", async () => {
    const response = await decide(
      { proposalId: b.id, outcome: "funded", amount: "50,000", conditions: "Confirm the landowner's permission.", reason, feedback: "A well-evidenced need." },
      chair.cookie,
    );
    expect(response.status).toBe(302);
    const decision = await getDb().selectFrom("decision").selectAll().where("proposal_id", "=", b.id).executeTakeFirstOrThrow();
    expect(decision).toMatchObject({
      outcome: "funded",
      amount_pence: 50_000 * POUND,
      reason,
      conditions: "Confirm the landowner's permission.",
      decided_by: chair.id,
    });
    expect(JSON.parse(decision.allocation!)).toMatchObject({ isRecommended: true, recommendedAmountPence: 50_000 * POUND });
    expect(await statusOf(b.id)).toBe("funded");
    expect((await auditEventsFor("proposal.status.funded")).some((e) => e.entity_id === b.id)).toBe(true);
    expect((await auditEventsFor("decision.recorded")).some((e) => e.entity_id === decision.id)).toBe(true);

    const [email] = (await emailsTo(applicant.email)).filter((e) => e.subject.startsWith("Your proposal has been funded"));
    expect(email!.body_text).toContain(reason);
    expect(email!.body_text).toContain("£50,000");
    expect(email!.body_text).toContain("Confirm the landowner's permission.");
    expect(email!.body_text).toContain("A well-evidenced need.");
    for (const name of [chair.name, member.name]) expect(email!.body_text).not.toContain(name);

    const page = await runLoader(proposalLoader, getRequest(`/proposals/${b.id}`, { cookie: await sessionCookieFor(applicant.id) }), { proposalId: b.id });
    const body = await page.json();
    expect(body.decision).toMatchObject({ outcome: "Funded", amount: "£50,000", reason, feedback: "A well-evidenced need." });
    const text = JSON.stringify(body);
    for (const name of [chair.name, member.name]) expect(text).not.toContain(name);
    expect(text).not.toContain(chair.id);
  });

  it("a second decision on a funded proposal is a 400", async () => {
    const response = await decide({ proposalId: b.id, outcome: "not_funded", reason });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.outcome).toMatch(/already been decided/);
  });

  it("an amount beyond what is left in the pot is a 400 with the numbers", async () => {
    expect((await decide({ proposalId: c.id, outcome: "funded", amount: "50000", reason })).status).toBe(302);
    const response = await decide({ proposalId: a.id, outcome: "funded", amount: "60000", reason });
    expect(response.status).toBe(400);
    expect((await response.json()).errors.amount).toBe(
      "The pot has £0 left (£100,000 in the pot, £100,000 already funded), so £60,000 does not fit. Fund less, or change another decision first",
    );
    expect(await statusOf(a.id)).toBe("under_review");
  });

  it("a reserve decision can be decided again, replacing it with the old one kept in the audit trail", async () => {
    expect((await decide({ proposalId: a.id, outcome: "reserve", reason: "Strong, but the pot is spent." })).status).toBe(302);
    expect(await statusOf(a.id)).toBe("reserve");
    expect((await decide({ proposalId: a.id, outcome: "not_funded", reason: "No money became available." })).status).toBe(302);
    expect(await statusOf(a.id)).toBe("not_funded");
    const rows = await getDb().selectFrom("decision").selectAll().where("proposal_id", "=", a.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.reason).toBe("No money became available.");
    const replaced = (await auditEventsFor("decision.recorded")).filter((e) => e.entity_id === rows[0]!.id);
    expect(replaced).toHaveLength(2);
    expect(JSON.parse(replaced[1]!.before!).outcome).toBe("reserve");
    const notice = (await emailsTo(applicant.email)).find((e) => e.subject.startsWith("Your proposal was not funded"));
    expect(notice!.body_text).toContain("No money became available.");
  });

  it("an administrator deciding a proposal that is only eligible opens the review first, in the same transaction", async () => {
    const eligible = await makeProposal({
      decisionGroupId: group.id,
      organisationId: org.id,
      status: "eligible",
      content: { amountRequestedPence: 20_000 * POUND },
    });
    expect((await decide({ proposalId: eligible.id, outcome: "not_funded", reason: "Outside the fund's priorities." })).status).toBe(302);
    expect(await statusOf(eligible.id)).toBe("not_funded");
    const actions = (await getDb().selectFrom("audit_event").select("action").where("entity_id", "=", eligible.id).orderBy("id").execute()).map(
      (e) => e.action,
    );
    expect(actions).toEqual(["proposal.status.under_review", "proposal.status.not_funded"]);
  });

  it("a proposal from another group cannot be decided through this group's page", async () => {
    const other = await makeDecisionGroup();
    const elsewhere = await makeProposal({ decisionGroupId: other.id, organisationId: org.id, status: "under_review" });
    expect((await decide({ proposalId: elsewhere.id, outcome: "not_funded", reason }, chair.cookie)).status).toBe(403);
  });

  it("a chair who declared an interest in a proposal does not see it on the decisions or allocation page and cannot decide it", async () => {
    const conflicted = await makeProposal({
      decisionGroupId: group.id,
      organisationId: org.id,
      status: "under_review",
      content: { title: "Chair's own club" },
    });
    await scoreSheet(conflicted.id, member.id, { [criteria[0]!.id]: 3, [criteria[1]!.id]: 3 });
    await declareInterestIn(chair.id, conflicted.id);
    const page = await runLoader(decisionsLoader, getRequest(`/admin/groups/${group.id}/decisions`, { cookie: chair.cookie }), { groupId: group.id });
    const body = await page.json();
    expect(body.awaiting.map((p: { id: string }) => p.id)).not.toContain(conflicted.id);
    expect(body.hiddenCount).toBe(1);
    expect(JSON.stringify((await allocation("", chair.cookie)).body)).not.toContain(conflicted.reference);
    const response = await decide({ proposalId: conflicted.id, outcome: "not_funded", reason }, chair.cookie);
    expect(response.status).toBe(403);
    expect(await statusOf(conflicted.id)).toBe("under_review");
  });
});

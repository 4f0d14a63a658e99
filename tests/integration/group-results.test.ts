import { beforeAll, describe, expect, it } from "vitest";
import { loader as resultsLoader } from "~/routes/admin.groups.$groupId.results";
import { loader as panelResultsLoader } from "~/routes/panel.results";
import { makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { addCriterion, closeScoring, declareInterestIn, panelMember, scoreSheet } from "../support/decisions";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

// Criteria weighted 2 and 1 on the default 0–5 scale: a scorer's weighted total is out of 15.
let group: { id: string; fund_id: string };
let adminCookie: string;
let members: Awaited<ReturnType<typeof panelMember>>[];
let p1: { id: string; reference: string };
let p2: { id: string; reference: string };
let p3: { id: string; reference: string };

beforeAll(async () => {
  const admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
  group = await makeDecisionGroup();
  const [a, b] = [await addCriterion(group.fund_id, 2, 1), await addCriterion(group.fund_id, 1, 2)];
  const org = await makeOrganisation();
  p1 = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, status: "under_review", content: { title: "Community orchard" } });
  p2 = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, status: "under_review", content: { title: "Hall kitchen" } });
  p3 = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, status: "under_review", content: { title: "Skate park" } });
  members = [
    await panelMember(group.id, { name: "Alice Scorer" }),
    await panelMember(group.id, { name: "Bilal Scorer" }),
    await panelMember(group.id, { name: "Chen Scorer" }),
  ];
  const [s1, s2, s3] = members;
  // p1: totals 15, 10, 8. p2: 9, 9, 9. p3: 2, 15, 5.
  const sheets: [string, string, number, number][] = [
    [p1.id, s1.id, 5, 5],
    [p1.id, s2.id, 4, 2],
    [p1.id, s3.id, 3, 2],
    [p2.id, s1.id, 3, 3],
    [p2.id, s2.id, 3, 3],
    [p2.id, s3.id, 3, 3],
    [p3.id, s1.id, 1, 0],
    [p3.id, s2.id, 5, 5],
    [p3.id, s3.id, 2, 1],
  ];
  for (const [proposalId, userId, markA, markB] of sheets) await scoreSheet(proposalId, userId, { [a.id]: markA, [b.id]: markB });
  // A draft counts for nothing.
  const drafter = await panelMember(group.id, { name: "Dana Drafter" });
  await scoreSheet(p1.id, drafter.id, { [a.id]: 0, [b.id]: 0 }, { isDraft: true });
});

async function results(query = "", cookie = adminCookie) {
  const response = await runLoader(resultsLoader, getRequest(`/admin/groups/${group.id}/results${query}`, { cookie }), { groupId: group.id });
  expect(response.status).toBe(200);
  return response.json();
}

type Row = {
  reference: string;
  scorerCount: number;
  mean: number;
  median: number;
  minimum: number;
  maximum: number;
  standardDeviation: number;
  normalisedScore: number | null;
  totals: number[];
};
const rowOf = (body: { results: { rows: Row[] } }, reference: string) => body.results.rows.find((r) => r.reference === reference)!;

describe("scoring results for a decision group", () => {
  it("gives each proposal's mean, median, lowest, highest, standard deviation and number of scorers from submitted sheets only", async () => {
    const body = await results();
    const first = rowOf(body, p1.reference);
    expect(first.scorerCount).toBe(3);
    expect(first.totals).toEqual([8, 10, 15]);
    expect(first.mean).toBe(11);
    expect(first.median).toBe(10);
    expect(first.minimum).toBe(8);
    expect(first.maximum).toBe(15);
    // Population standard deviation: sqrt(((15-11)² + (10-11)² + (8-11)²) / 3) = sqrt(26/3).
    expect(first.standardDeviation).toBeCloseTo(Math.sqrt(26 / 3), 10);
    const third = rowOf(body, p3.reference);
    expect(third.mean).toBeCloseTo(22 / 3, 10);
    expect(third.median).toBe(5);
    expect(third.standardDeviation).toBeCloseTo(Math.sqrt((2 * 2 + 15 * 15 + 5 * 5) / 3 - (22 / 3) ** 2), 10);
    expect(rowOf(body, p2.reference).standardDeviation).toBe(0);
    expect(body.results.maximumTotal).toBe(15);
  });

  it("sorts by score by default and by disagreement when asked, and says how", async () => {
    const byScore = await results();
    expect(byScore.results.rows.map((r: Row) => r.reference)).toEqual([p1.reference, p2.reference, p3.reference]);
    expect(byScore.results.rule).toMatch(/^Sorted by mean score, highest first/);
    const byDisagreement = await results("?sort=disagreement");
    expect(byDisagreement.results.rows.map((r: Row) => r.reference)).toEqual([p3.reference, p1.reference, p2.reference]);
    expect(byDisagreement.results.rule).toMatch(/^Sorted by standard deviation, highest first/);
  });

  it("an unknown sort falls back to sorting by score", async () => {
    const body = await results("?sort=name;drop%20table");
    expect(body.options.sort).toBe("score");
    expect(body.results.rows[0].reference).toBe(p1.reference);
  });

  it("shows the normalised score only when asked, clearly labelled and explained", async () => {
    const plain = await results();
    expect(plain.options.isNormalised).toBe(false);
    expect(plain.results.rows.every((r: Row) => r.normalisedScore === null)).toBe(true);
    const normalised = await results("?normalised=1");
    expect(normalised.options.isNormalised).toBe(true);
    expect(normalised.results.normalisedLabel).toBe("Normalised score (adjusted for harsh and lenient scorers)");
    expect(normalised.results.normalisedExplanation).toMatch(/z-scores/);
    for (const row of normalised.results.rows as Row[]) expect(typeof row.normalisedScore).toBe("number");
    // Every scorer scored every proposal, so each scorer's z-scores sum to 0, and so do the proposals' averages.
    const zs = (normalised.results.rows as Row[]).map((r) => r.normalisedScore!);
    expect(zs.reduce((s, z) => s + z, 0)).toBeCloseTo(0, 10);
  });

  it("never names a scorer or sends a scorer's id", async () => {
    const text = JSON.stringify(await results("?normalised=1"));
    for (const m of members) {
      expect(text).not.toContain(m.name);
      expect(text).not.toContain(m.id);
    }
  });

  it("a panel member sees nothing until scoring closes, then the same figures", async () => {
    const [s1] = members;
    const waiting = await results("", s1.cookie);
    expect(waiting.results).toBeNull();
    await closeScoring(group.id);
    const open = await results("", s1.cookie);
    expect(rowOf(open, p1.reference).mean).toBe(11);
    const own = await runLoader(panelResultsLoader, getRequest("/panel/results", { cookie: s1.cookie }));
    expect(own.status).toBe(200);
    expect((await own.json()).results.rows).toHaveLength(3);
  });

  it("a recused panel member does not see the row of the proposal they declared an interest in, and a late declaration takes their scores out of its tally", async () => {
    await closeScoring(group.id);
    const recused = await panelMember(group.id, { name: "Erin Recused" });
    await declareInterestIn(recused.id, p3.id);
    const body = await results("", recused.cookie);
    expect(body.results.rows.map((r: Row) => r.reference)).toEqual([p1.reference, p2.reference]);
    expect(body.results.hiddenCount).toBe(1);
    expect(JSON.stringify(body)).not.toContain(p3.reference);
    // Chen scored p3 and then declared an interest: Chen takes no part, so the tally drops that sheet.
    expect(rowOf(await results(), p3.reference).scorerCount).toBe(3);
    await declareInterestIn(members[2].id, p3.id);
    expect(rowOf(await results(), p3.reference).scorerCount).toBe(2);
    expect(rowOf(await results(), p1.reference).scorerCount).toBe(3);
  });

  it("a panel member of another group, an applicant and an adviser cannot see the results", async () => {
    const other = await makeDecisionGroup();
    const outsider = await panelMember(other.id);
    const applicant = await makeUser({ role: "applicant" });
    const adviser = await makeUser({ role: "adviser", decisionGroupId: group.id });
    for (const cookie of [outsider.cookie, await sessionCookieFor(applicant.id), await sessionCookieFor(adviser.id)]) {
      const response = await runLoader(resultsLoader, getRequest(`/admin/groups/${group.id}/results`, { cookie }), { groupId: group.id });
      expect(response.status).toBe(403);
    }
  });

  it("a panel member who has not declared their interests is sent to declare them first", async () => {
    const undeclared = await panelMember(group.id, { hasDeclared: false });
    const response = await runLoader(resultsLoader, getRequest(`/admin/groups/${group.id}/results`, { cookie: undeclared.cookie }), { groupId: group.id });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/panel/interests");
  });
});

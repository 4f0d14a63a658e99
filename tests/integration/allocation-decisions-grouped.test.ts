import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { getGroupFacts, PANEL_STATUSES } from "~/models/group-results.server";
import { forgetSharedReads } from "~/models/read-cache.server";
import { meanScores } from "~/models/group-score-summary.server";
import { loader as allocationLoader } from "~/routes/admin.groups.$groupId.allocation";
import { loader as decisionsLoader } from "~/routes/admin.groups.$groupId.decisions";
import { getDb } from "~/utils/db.server";
import { newId, nowIso } from "~/utils/ids.server";
import { makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { addCriterion, closeScoring, declareInterestIn, panelMember, scoreSheet, setGroupMoney } from "../support/decisions";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

const POUND = 100;
let adminId: string;
let adminCookie: string;

beforeAll(async () => {
  const admin = await makeUser({ role: "admin" });
  adminId = admin.id;
  adminCookie = await sessionCookieFor(admin.id);
});

async function load(loader: (args: LoaderFunctionArgs) => Promise<Response>, groupId: string, path: string) {
  const response = await runLoader(loader, getRequest(`/admin/groups/${groupId}/${path}`, { cookie: adminCookie }), { groupId });
  expect(response.status).toBe(200);
  return response.json();
}

describe("the allocation's values come from one grouped query", () => {
  it("equal the group's scores: drafts, incomplete sheets and recused members' sheets are left out the same way", async () => {
    const group = await makeDecisionGroup();
    await setGroupMoney(group.id, { pot: 100_000 * POUND, min: 1_000 * POUND, max: 100_000 * POUND });
    const [c1, c2] = [await addCriterion(group.fund_id, 3, 1), await addCriterion(group.fund_id, 1, 2)];
    const org = await makeOrganisation();
    const members = [await panelMember(group.id), await panelMember(group.id), await panelMember(group.id)];
    const proposal = (title: string) =>
      makeProposal({ decisionGroupId: group.id, organisationId: org.id, status: "under_review", content: { title, amountRequestedPence: 5_000 * POUND } });
    const [p, q, r, s] = [await proposal("Hall roof"), await proposal("Garden"), await proposal("Ramp"), await proposal("Not scored")];
    // p: three whole sheets, means (4*3+5)=17, (2*3+1)=7, (5*3+5)=20 → 44/3, a repeating decimal.
    await scoreSheet(p.id, members[0]!.id, { [c1!.id]: 4, [c2!.id]: 5 });
    await scoreSheet(p.id, members[1]!.id, { [c1!.id]: 2, [c2!.id]: 1 });
    await scoreSheet(p.id, members[2]!.id, { [c1!.id]: 5, [c2!.id]: 5 });
    // q: one counted sheet, one draft and one missing a criterion (both left out).
    await scoreSheet(q.id, members[0]!.id, { [c1!.id]: 3, [c2!.id]: 3 });
    await scoreSheet(q.id, members[1]!.id, { [c1!.id]: 5, [c2!.id]: 5 }, { isDraft: true });
    await scoreSheet(q.id, members[2]!.id, { [c1!.id]: 5 });
    // r: one sheet from a member who then declared an interest in it (left out), one counted.
    await scoreSheet(r.id, members[0]!.id, { [c1!.id]: 5, [c2!.id]: 5 });
    await declareInterestIn(members[0]!.id, r.id);
    await scoreSheet(r.id, members[1]!.id, { [c1!.id]: 1, [c2!.id]: 2 });
    await closeScoring(group.id);

    const facts = (await getGroupFacts(getDb(), group.id))!;
    const grouped = await meanScores(getDb(), facts, PANEL_STATUSES);
    expect(grouped.means.get(p.id)).toEqual({ mean: 44 / 3, scorerCount: 3 });
    expect(grouped.means.get(q.id)).toEqual({ mean: 12, scorerCount: 1 });
    expect(grouped.means.get(r.id)).toEqual({ mean: 5, scorerCount: 1 });
    expect(grouped.means.has(s.id)).toBe(false);

    // What the allocation page ranks by is the group's mean score, to the last digit.
    const { allocation } = await load(allocationLoader, group.id, "allocation");
    const meanOf = new Map([...grouped.means].map(([id, m]) => [id, m.mean]));
    expect(allocation.rows.map((x: { id: string }) => x.id).sort()).toEqual([p.id, q.id, r.id].sort());
    for (const row of allocation.rows as { id: string; value: number }[]) expect(row.value).toBe(meanOf.get(row.id));
    expect(allocation.excluded.map((e: { reference: string; why: string }) => e.why)).toEqual(["Nobody has submitted a score sheet for it yet."]);
  });
});

describe("the decisions page", () => {
  let group: { id: string; fund_id: string };
  const references: string[] = [];

  /** Adds `count` decided proposals (status and decision row, as recordDecision leaves them). */
  async function decided(count: number) {
    const org = await makeOrganisation();
    for (let i = 0; i < count; i += 1) {
      const p = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, status: "under_review" });
      const isFunded = i % 2 === 0;
      await getDb()
        .updateTable("proposal")
        .set({ status: isFunded ? "funded" : "not_funded" })
        .where("id", "=", p.id)
        .execute();
      await getDb()
        .insertInto("decision")
        .values({
          id: newId(),
          proposal_id: p.id,
          outcome: isFunded ? "funded" : "not_funded",
          amount_pence: isFunded ? 10_000 * POUND : null,
          conditions: "",
          feedback: "",
          reason: `The panel's reason for ${p.reference}.`,
          decided_by: adminId,
          decided_at: nowIso(),
        })
        .execute();
      references.push(p.reference);
    }
    references.sort();
  }

  beforeAll(async () => {
    group = await makeDecisionGroup();
    await addCriterion(group.fund_id, 1, 1);
    await closeScoring(group.id);
  });

  /** Counts the queries a loader runs, through a Kysely plugin on the shared handle. */
  async function countQueries(run: () => Promise<unknown>): Promise<number> {
    const holder = globalThis.__portalDb!;
    const original = holder.db;
    let count = 0;
    forgetSharedReads(); // count what a read from the database costs, not a shared one
    holder.db = original.withPlugin({
      transformQuery: (args) => {
        count += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    try {
      await run();
    } finally {
      holder.db = original;
    }
    return count;
  }

  it("runs the same number of queries for 5 decided proposals as for 30: no query per proposal", async () => {
    await decided(5);
    await load(decisionsLoader, group.id, "decisions"); // the session's first use may note the time; later ones do not
    const few = await countQueries(() => load(decisionsLoader, group.id, "decisions"));
    await decided(25);
    const many = await countQueries(() => load(decisionsLoader, group.id, "decisions"));
    expect(few).toBeGreaterThan(0);
    expect(many).toBe(few);
  });

  it("lists the decided proposals 25 to a page, by reference, with ?page=N", async () => {
    const first = await load(decisionsLoader, group.id, "decisions");
    expect(first.decided).toHaveLength(25);
    expect(first.decided.map((d: { reference: string }) => d.reference)).toEqual(references.slice(0, 25));
    expect(first.decidedPage).toEqual({ page: 1, pageSize: 25, total: 30, first: 1 });
    expect(first.decided[0].reason).toBe(`The panel's reason for ${references[0]}.`);

    const second = await load(decisionsLoader, group.id, "decisions?page=2");
    expect(second.decided.map((d: { reference: string }) => d.reference)).toEqual(references.slice(25));
    expect(second.decidedPage).toMatchObject({ page: 2, total: 30, first: 26 });
    expect(second.decided.every((d: { amountPence: number | null; outcome: string }) => (d.outcome === "funded") === (d.amountPence !== null))).toBe(true);

    // A page beyond the last shows the last; nonsense shows the first.
    expect((await load(decisionsLoader, group.id, "decisions?page=99")).decidedPage.page).toBe(2);
    expect((await load(decisionsLoader, group.id, "decisions?page=abc")).decidedPage.page).toBe(1);
  });
});

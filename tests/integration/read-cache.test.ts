import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { inTransaction } from "../../db/client";
import { getGroupFacts, PANEL_STATUSES } from "~/models/group-results.server";
import { meanScores } from "~/models/group-score-summary.server";
import { countDemoAccounts } from "~/models/portal-status.server";
import { readUntilChange } from "~/models/read-cache.server";
import { loader as resultsLoader } from "~/routes/admin.groups.$groupId.results";
import { getDb } from "~/utils/db.server";
import { newId } from "~/utils/ids.server";
import { makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { addCriterion, panelMember, scoreSheet } from "../support/decisions";
import { countingDb, onPostgres, otherConnection } from "../support/database";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

describe("reads shared until the database changes", () => {
  it("a group's scores are read once between writes, and every write (here, or by another process) is seen at once", async () => {
    const group = await makeDecisionGroup();
    const criterion = await addCriterion(group.fund_id, 2, 1);
    const org = await makeOrganisation();
    const proposal = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, status: "under_review", content: { title: "Hall roof" } });
    const [a, b] = [await panelMember(group.id), await panelMember(group.id)];
    await scoreSheet(proposal.id, a.id, { [criterion!.id]: 4 });
    const facts = (await getGroupFacts(getDb(), group.id))!;
    const mean = async () => (await meanScores(getDb(), facts, PANEL_STATUSES)).means.get(proposal.id)?.mean;

    expect(await mean()).toBe(8);
    // A second score sheet, written by this process: the next read sees it.
    await scoreSheet(proposal.id, b.id, { [criterion!.id]: 2 });
    expect(await mean()).toBe(6);

    // A change written by another process (its own connection to the database): seen at once too.
    const other = otherConnection();
    try {
      await sql`update score set mark = 5 where score_sheet_id in (select id from score_sheet where user_id = ${b.id})`.execute(other);
    } finally {
      await other.destroy();
    }
    expect(await mean()).toBe(9);

    // And through the page an administrator reads.
    const admin = await makeUser({ role: "admin" });
    const response = await runLoader(resultsLoader, getRequest(`/admin/groups/${group.id}/results`, { cookie: await sessionCookieFor(admin.id) }), {
      groupId: group.id,
    });
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain('"mean":9');
  });

  // The shared read cache is off on PostgreSQL by design (changeMark in db/client.ts): there every read goes to the database.
  it.skipIf(onPostgres)("reads the database once for many readers between writes, and again after a write", async () => {
    let reads = 0;
    const read = async () => {
      reads += 1;
      return reads;
    };
    const key = `test:${newId()}`;
    const first = await Promise.all(Array.from({ length: 10 }, () => readUntilChange(getDb(), key, read)));
    expect(first).toEqual(Array(10).fill(1));
    await makeOrganisation();
    expect(await readUntilChange(getDb(), key, read)).toBe(2);
    expect(await readUntilChange(getDb(), key, read)).toBe(2);
  });

  it("never keeps what was read inside a transaction, which may yet be rolled back", async () => {
    const key = `test:${newId()}`;
    const orgName = async () => (await getDb().selectFrom("organisation").select("name").orderBy("name", "desc").limit(1).executeTakeFirst())?.name;
    await expect(
      inTransaction(getDb(), async (trx) => {
        await trx
          .insertInto("organisation")
          .values({ ...(await trx.selectFrom("organisation").selectAll().limit(1).executeTakeFirstOrThrow()), id: newId(), name: "zzzz rolled back" })
          .execute();
        expect(
          await readUntilChange(
            trx,
            key,
            async () => (await trx.selectFrom("organisation").select("name").orderBy("name", "desc").limit(1).executeTakeFirst())?.name,
          ),
        ).toBe("zzzz rolled back");
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await readUntilChange(getDb(), key, orgName)).not.toBe("zzzz rolled back");
  });

  // Off on PostgreSQL by design, as above.
  it.skipIf(onPostgres)(
    "the demo-account count behind every administrator page's banner scans the accounts once between writes, and sees a new demo account at once",
    async () => {
      const { db, statements } = countingDb();
      const scans = () => statements.filter((s) => /from "user"/.test(s));
      try {
        const before = await countDemoAccounts(db);
        expect(await countDemoAccounts(db)).toBe(before);
        expect(await countDemoAccounts(db)).toBe(before);
        expect(scans()).toHaveLength(1);
        await makeUser({ email: `someone-${newId()}@demo.example` });
        expect(await countDemoAccounts(db)).toBe(before + 1);
        expect(scans()).toHaveLength(2);
      } finally {
        await db.destroy();
      }
    },
  );
});

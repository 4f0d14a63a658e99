import { describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { makeAward } from "../factories";

describe("makeAward test factory", () => {
  it("makes an offered award from a funded decision, with its conditions outstanding", async () => {
    const made = await makeAward({ amountPence: 1_234_500, conditions: ["Two quotes", "Proof of lease"] });
    const award = await getDb().selectFrom("award").selectAll().where("id", "=", made.awardId).executeTakeFirstOrThrow();
    expect(award).toMatchObject({ status: "offered", amount_pence: 1_234_500, proposal_id: made.proposalId });
    expect(award.reference).toMatch(/^A-/);
    const decision = await getDb().selectFrom("decision").select(["outcome"]).where("id", "=", made.decisionId).executeTakeFirstOrThrow();
    expect(decision.outcome).toBe("funded");
    const conditions = await getDb()
      .selectFrom("award_condition")
      .select(["text", "status"])
      .where("award_id", "=", made.awardId)
      .orderBy("position")
      .execute();
    expect(conditions).toEqual([
      { text: "Two quotes", status: "outstanding" },
      { text: "Proof of lease", status: "outstanding" },
    ]);
  });

  it("makes several awards in one group with unique references", async () => {
    const first = await makeAward();
    const second = await makeAward({ decisionGroupId: first.decisionGroupId, status: "accepted" });
    expect(second.reference).not.toBe(first.reference);
    const accepted = await getDb().selectFrom("award").select(["status", "signatory_name"]).where("id", "=", second.awardId).executeTakeFirstOrThrow();
    expect(accepted).toEqual({ status: "accepted", signatory_name: "Sam Signatory" });
  });
});

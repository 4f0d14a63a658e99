import { describe, expect, it } from "vitest";
import type { Actor } from "~/domain/permissions";
import { acceptAward, createAward, refineProposal, signOffCondition, submitConditionEvidence } from "~/services/awards.server";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, COMPLETE_CONTENT, emailsTo, makeAward, makeFundedDecision, makeUser } from "../factories";

const actorOf = (u: { id: string; role: Actor["role"]; organisation_id: string | null; decision_group_id: string | null }): Actor => ({
  id: u.id,
  role: u.role,
  organisationId: u.organisation_id,
  decisionGroupId: u.decision_group_id,
});

describe("making an offer from a funded decision", () => {
  it("creates the award with the decision's amount, one condition per line, version 1, an audit event and an email with the offer link", async () => {
    const admin = actorOf(await makeUser({ role: "admin" }));
    const made = await makeFundedDecision({ amountPence: 5_000_000, conditions: ["Two quotes for the building work", "", "Proof of lease"] });
    const member = await makeUser({ organisationId: made.organisationId });
    const awardId = await createAward(getDb(), admin, made.proposalId);

    const award = await getDb().selectFrom("award").selectAll().where("id", "=", awardId).executeTakeFirstOrThrow();
    expect(award).toMatchObject({ status: "offered", amount_pence: 5_000_000, decision_id: made.decisionId, organisation_id: made.organisationId });
    expect(award.reference).toMatch(/^A-\d{4}$/);
    const conditions = await getDb().selectFrom("award_condition").select(["text", "status"]).where("award_id", "=", awardId).orderBy("position").execute();
    expect(conditions.map((c) => c.text)).toEqual(["Two quotes for the building work", "Proof of lease"]);
    const versions = await getDb().selectFrom("award_version").select(["version"]).where("award_id", "=", awardId).execute();
    expect(versions).toEqual([{ version: 1 }]);
    expect((await auditEventsFor("award.offered")).some((e) => e.entity_id === awardId)).toBe(true);
    const [email] = await emailsTo(member.email);
    expect(email?.body_text).toContain(`/awards/${awardId}/offer`);
  });

  it("refuses a proposal that already has an award, and one that was not funded", async () => {
    const admin = actorOf(await makeUser({ role: "admin" }));
    const made = await makeAward();
    await expect(createAward(getDb(), admin, made.proposalId)).rejects.toThrow(/already has an award/);
    const decided = await makeFundedDecision();
    await getDb().updateTable("decision").set({ outcome: "not_funded" }).where("id", "=", decided.decisionId).execute();
    await expect(createAward(getDb(), admin, decided.proposalId)).rejects.toThrow(/decided to fund/);
  });
});

describe("conditions and refining", () => {
  it("signs off a condition only after evidence is sent", async () => {
    const admin = actorOf(await makeUser({ role: "admin" }));
    const made = await makeAward({ status: "accepted", conditions: ["Planning permission"] });
    const member = actorOf(await makeUser({ organisationId: made.organisationId }));
    const conditionId = made.conditionIds[0]!;
    await expect(signOffCondition(getDb(), admin, conditionId)).rejects.toThrow(/not sent evidence/);
    await submitConditionEvidence(getDb(), member, conditionId, { note: "Permission granted on 1 March." });
    await signOffCondition(getDb(), admin, conditionId);
    const row = await getDb().selectFrom("award_condition").select(["status", "signed_off_by"]).where("id", "=", conditionId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "met", signed_off_by: admin.id });
  });

  it("refuses acceptance from a member of another group", async () => {
    const made = await makeAward();
    const other = actorOf(await makeUser({ organisationId: (await makeAward()).organisationId }));
    await expect(acceptAward(getDb(), other, made.awardId, { signatoryName: "A", signatoryRole: "Chair" })).rejects.toThrow(/could not find that award/);
  });

  it("refining keeps every earlier version of the proposal", async () => {
    const made = await makeAward({ status: "accepted" });
    const member = actorOf(await makeUser({ organisationId: made.organisationId }));
    const version = await refineProposal(getDb(), member, made.awardId, { ...COMPLETE_CONTENT, title: "A new roof and solar panels" });
    const versions = await getDb()
      .selectFrom("proposal_version")
      .select(["version", "snapshot"])
      .where("proposal_id", "=", made.proposalId)
      .orderBy("version")
      .execute();
    expect(versions.map((v) => v.version)).toEqual([version - 1, version]);
    expect(JSON.parse(versions[0]!.snapshot).title).toBe(COMPLETE_CONTENT.title);
    expect(JSON.parse(versions[1]!.snapshot).title).toBe("A new roof and solar panels");
  });
});

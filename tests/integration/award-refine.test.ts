import { describe, expect, it } from "vitest";
import { valuesOf } from "~/domain/forms/proposal";
import { penceToPoundsInput } from "~/domain/money";
import { action as refineAction, loader as refineLoader } from "~/routes/awards.$awardId.refine";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, COMPLETE_CONTENT, makeAward, makeUser } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

const fields = (overrides: Record<string, string> = {}) => ({
  ...valuesOf({ ...COMPLETE_CONTENT }, penceToPoundsInput),
  ...overrides,
});

async function member(organisationId: string) {
  const user = await makeUser({ organisationId });
  return { user, cookie: await sessionCookieFor(user.id) };
}

describe("refining the proposal after acceptance", () => {
  it("saves the refined content as a new version and keeps the earlier one", async () => {
    const made = await makeAward({ status: "accepted" });
    const { cookie } = await member(made.organisationId);
    const loaded = await (await runLoader(refineLoader, getRequest(`/awards/${made.awardId}/refine`, { cookie }), { awardId: made.awardId })).json();
    expect(loaded.values.title).toBe(COMPLETE_CONTENT.title);

    const response = await runAction(
      refineAction,
      await postForm(
        `/awards/${made.awardId}/refine`,
        fields({ title: "New roof with solar panels", "budgetLines[2].item": "Solar panels", "budgetLines[2].cost": "3000" }),
        { cookie },
      ),
      { awardId: made.awardId },
    );
    expect(response.status).toBe(302);
    const proposal = await getDb()
      .selectFrom("proposal")
      .select(["title", "version", "budget_lines"])
      .where("id", "=", made.proposalId)
      .executeTakeFirstOrThrow();
    expect(proposal.title).toBe("New roof with solar panels");
    expect(JSON.parse(proposal.budget_lines)).toHaveLength(3);
    const versions = await getDb()
      .selectFrom("proposal_version")
      .select(["version", "snapshot"])
      .where("proposal_id", "=", made.proposalId)
      .orderBy("version")
      .execute();
    expect(versions.map((v) => JSON.parse(v.snapshot).title)).toEqual([COMPLETE_CONTENT.title, "New roof with solar panels"]);
    expect(versions.at(-1)!.version).toBe(proposal.version);
    expect((await auditEventsFor("proposal.refined")).map((e) => e.entity_id)).toContain(made.proposalId);
  });

  it("refuses an offer that is not yet accepted, and bad input with plain-English errors", async () => {
    const offered = await makeAward();
    const a = await member(offered.organisationId);
    const early = await runAction(refineAction, await postForm(`/awards/${offered.awardId}/refine`, fields(), { cookie: a.cookie }), {
      awardId: offered.awardId,
    });
    expect(early.status).toBe(400);

    const accepted = await makeAward({ status: "accepted" });
    const b = await member(accepted.organisationId);
    const bad = await runAction(refineAction, await postForm(`/awards/${accepted.awardId}/refine`, fields({ startDate: "2027-13-40" }), { cookie: b.cookie }), {
      awardId: accepted.awardId,
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.startDate).toBeTruthy();
  });

  it("is not found for another group's member", async () => {
    const made = await makeAward({ status: "accepted" });
    const other = await member((await makeAward()).organisationId);
    expect((await runLoader(refineLoader, getRequest(`/awards/${made.awardId}/refine`, { cookie: other.cookie }), { awardId: made.awardId })).status).toBe(404);
    const post = await runAction(refineAction, await postForm(`/awards/${made.awardId}/refine`, fields(), { cookie: other.cookie }), { awardId: made.awardId });
    expect(post.status).toBe(404);
  });
});

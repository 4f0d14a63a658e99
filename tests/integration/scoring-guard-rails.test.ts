import { describe, expect, it } from "vitest";
import { action as decisionsAction } from "~/routes/admin.groups.$groupId.decisions";
import { action as scoringAction, loader as scoringLoader } from "~/routes/admin.groups.$groupId.scoring";
import { DECIDE_WHILE_SCORING_OPEN, OPEN_REVIEW_AFTER_CLOSE } from "~/domain/scoring-guards";
import { getDb } from "~/utils/db.server";
import { makeDecisionGroup, makeOrganisation, makeProposal, makeUser } from "../factories";
import { addCriterion, closeScoring, panelMember, scoreSheet } from "../support/decisions";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

/** A decision group whose fund scores (one criterion), a panel member, and an administrator. */
async function scoringGroup({ usesScoring = true } = {}) {
  const admin = await makeUser({ role: "admin" });
  const group = await makeDecisionGroup();
  const criterion = usesScoring ? await addCriterion(group.fund_id, 1, 1) : null;
  const org = await makeOrganisation();
  const member = await panelMember(group.id);
  return { admin, adminCookie: await sessionCookieFor(admin.id), group, criterion, org, member };
}

const statusOf = async (id: string) => (await getDb().selectFrom("proposal").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
const errorsOf = async (response: Response) => Object.values(((await response.json()) as { errors: Record<string, string> }).errors);

describe("opening proposals for review once scoring has closed", () => {
  it("is refused with the reason, and the late proposals stay eligible, untouched and unaudited", async () => {
    const s = await scoringGroup();
    const late = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.org.id, status: "eligible" });
    await closeScoring(s.group.id);
    const eventsBefore = await getDb().selectFrom("audit_event").select("id").where("entity_id", "=", late.id).execute();

    const page = await runLoader(scoringLoader, getRequest(`/admin/groups/${s.group.id}/scoring`, { cookie: s.adminCookie }), { groupId: s.group.id });
    expect(((await page.json()) as { openRefusal: string | null }).openRefusal).toBe(OPEN_REVIEW_AFTER_CLOSE);

    const response = await runAction(
      scoringAction,
      await postForm(`/admin/groups/${s.group.id}/scoring`, { intent: "open_review" }, { cookie: s.adminCookie }),
      { groupId: s.group.id },
    );
    expect(response.status).toBe(400);
    expect(await errorsOf(response)).toContain(OPEN_REVIEW_AFTER_CLOSE);
    expect(await statusOf(late.id)).toBe("eligible");
    expect(await getDb().selectFrom("audit_event").select("id").where("entity_id", "=", late.id).execute()).toEqual(eventsBefore);
  });

  it("still opens them while scoring is open", async () => {
    const s = await scoringGroup();
    const p = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.org.id, status: "eligible" });
    const response = await runAction(
      scoringAction,
      await postForm(`/admin/groups/${s.group.id}/scoring`, { intent: "open_review" }, { cookie: s.adminCookie }),
      { groupId: s.group.id },
    );
    expect(response.status).toBe(302);
    expect(await statusOf(p.id)).toBe("under_review");
  });
});

describe("recording a decision while the group's scoring is open", () => {
  const decide = async (s: Awaited<ReturnType<typeof scoringGroup>>, proposalId: string) =>
    runAction(
      decisionsAction,
      await postForm(
        `/admin/groups/${s.group.id}/decisions`,
        { proposalId, outcome: "not_funded", reason: "Other proposals met the criteria more strongly." },
        { cookie: s.adminCookie },
      ),
      { groupId: s.group.id },
    );

  it("is refused with 'close scoring first', writes nothing, and is accepted once scoring has closed", async () => {
    const s = await scoringGroup();
    const p = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.org.id, status: "under_review" });
    await scoreSheet(p.id, s.member.id, { [s.criterion!.id]: 3 });

    const refused = await decide(s, p.id);
    expect(refused.status).toBe(400);
    expect(await errorsOf(refused)).toContain(DECIDE_WHILE_SCORING_OPEN);
    expect(await getDb().selectFrom("decision").select("id").where("proposal_id", "=", p.id).execute()).toEqual([]);
    expect(await statusOf(p.id)).toBe("under_review");

    await closeScoring(s.group.id);
    expect((await decide(s, p.id)).status).toBe(302);
    expect(await statusOf(p.id)).toBe("not_funded");
  });

  it("is accepted in a fund that does not score (no criteria)", async () => {
    const s = await scoringGroup({ usesScoring: false });
    const p = await makeProposal({ decisionGroupId: s.group.id, organisationId: s.org.id, status: "under_review" });
    expect((await decide(s, p.id)).status).toBe(302);
    expect(await statusOf(p.id)).toBe("not_funded");
  });
});

import { describe, expect, it } from "vitest";
import * as awardsList from "~/routes/admin.awards._index";
import * as panelProposal from "~/routes/panel.proposals.$proposalId";
import * as newProposal from "~/routes/proposals.new";
import * as root from "~/root";
import { getDb } from "~/utils/db.server";
import { newToken, nowIso } from "~/utils/ids.server";
import {
  makeCriterion,
  makeDecisionGroup,
  makeEligibilityQuestion,
  makeFund,
  makeFundedDecision,
  makeOrganisation,
  makeProposal,
  makeUser,
} from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

/** Posts the same form twice with one page's key, as a double click or a replay does. */
async function twice(
  action: Parameters<typeof runAction>[0],
  path: string,
  fields: Record<string, string>,
  cookie: string,
  params: Record<string, string> = {},
) {
  const submissionKey = newToken(16);
  const first = await runAction(action, await postForm(path, fields, { cookie, submissionKey }), params);
  const repeat = await runAction(action, await postForm(path, fields, { cookie, submissionKey }), params);
  return { first, repeat };
}

describe("one-time submission keys", () => {
  it("are issued fresh on every page load", async () => {
    const user = await makeUser({ role: "admin" });
    const cookie = await sessionCookieFor(user.id);
    const load = async () => ((await (await runLoader(root.loader, getRequest("/", { cookie }))).json()) as { submissionKey: string }).submissionKey;
    const [a, b] = [await load(), await load()];
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(b).not.toBe(a);
  });

  it("make an offer once: the repeat is sent to the first award with a 303", async () => {
    const made = await makeFundedDecision({ amountPence: 2_000_000 });
    const admin = await makeUser({ role: "admin" });
    const { first, repeat } = await twice(awardsList.action, "/admin/awards", { proposalId: made.proposalId }, await sessionCookieFor(admin.id));
    expect(first.status).toBe(302);
    expect(repeat.status).toBe(303);
    expect(repeat.headers.get("Location")).toBe(first.headers.get("Location"));
    expect(await getDb().selectFrom("award").select("id").where("proposal_id", "=", made.proposalId).execute()).toHaveLength(1);
  });

  it("start a new proposal once: the repeat opens the first draft, not a second one", async () => {
    const lead = await makeOrganisation({ kind: "lead_org" });
    const fund = await makeFund();
    const group = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id });
    const org = await makeOrganisation();
    const applicant = await makeUser({ organisationId: org.id });
    const question = await makeEligibilityQuestion(fund.id);
    const fields = { decisionGroupId: group.id, [`q_${question.id}`]: "Yes" };
    const { first, repeat } = await twice(newProposal.action, "/proposals/new", fields, await sessionCookieFor(applicant.id));
    expect(first.status).toBe(302);
    expect(first.headers.get("Location")).toMatch(/^\/proposals\/[^/]+\/edit$/);
    expect(repeat.status).toBe(303);
    expect(repeat.headers.get("Location")).toBe(first.headers.get("Location"));
    expect(await getDb().selectFrom("proposal").select("id").where("organisation_id", "=", org.id).execute()).toHaveLength(1);

    // Without a key (an old page, a script) it works as before: a second draft.
    expect((await runAction(newProposal.action, await postForm("/proposals/new", fields, { cookie: await sessionCookieFor(applicant.id) }))).status).toBe(302);
    expect(await getDb().selectFrom("proposal").select("id").where("organisation_id", "=", org.id).execute()).toHaveLength(2);
  });

  it("submit a score sheet once: the repeat is sent on like the first, with one sheet and one audit event", async () => {
    const fund = await makeFund();
    const lead = await makeOrganisation({ kind: "lead_org" });
    const group = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id });
    const need = await makeCriterion(fund.id, { name: "Evidence of need", position: 1, weight: 1 });
    const proposal = await makeProposal({ decisionGroupId: group.id, organisationId: (await makeOrganisation()).id, status: "eligible" });
    const member = await makeUser({ role: "panel_member", decisionGroupId: group.id });
    await getDb().updateTable("membership").set({ interests_declared_at: nowIso() }).where("user_id", "=", member.id).execute();
    const fields = { intent: "submit", [`mark-${need.id}`]: "4" };
    const { first, repeat } = await twice(panelProposal.action, `/panel/proposals/${proposal.id}`, fields, await sessionCookieFor(member.id), {
      proposalId: proposal.id,
    });
    expect(first.status).toBe(302);
    expect(repeat.status).toBe(303);
    expect(repeat.headers.get("Location")).toBe(first.headers.get("Location"));
    const sheets = await getDb().selectFrom("score_sheet").select(["id", "submitted_at"]).where("proposal_id", "=", proposal.id).execute();
    expect(sheets).toHaveLength(1);
    expect(sheets[0]!.submitted_at).not.toBeNull();
    const events = await getDb().selectFrom("audit_event").select("action").where("entity_id", "=", sheets[0]!.id).execute();
    expect(events).toHaveLength(1);
  });

  it("keep each person's keys apart: another person's post with the same key is their own", async () => {
    const made = await makeFundedDecision();
    const other = await makeFundedDecision();
    const submissionKey = newToken(16);
    const one = await makeUser({ role: "admin" });
    const two = await makeUser({ role: "admin" });
    const post = async (userId: string, proposalId: string) =>
      runAction(awardsList.action, await postForm("/admin/awards", { proposalId }, { cookie: await sessionCookieFor(userId), submissionKey }));
    expect((await post(one.id, made.proposalId)).status).toBe(302);
    expect((await post(two.id, other.proposalId)).status).toBe(302);
    expect(await getDb().selectFrom("award").select("id").where("proposal_id", "in", [made.proposalId, other.proposalId]).execute()).toHaveLength(2);
  });

  it("let a form refused with 400 be corrected and sent again with the same key", async () => {
    const admin = await makeUser({ role: "admin" });
    const cookie = await sessionCookieFor(admin.id);
    const submissionKey = newToken(16);
    const refused = await runAction(awardsList.action, await postForm("/admin/awards", { proposalId: "no-such-proposal" }, { cookie, submissionKey }));
    expect(refused.status).toBe(400);
    expect(await getDb().selectFrom("submission").select("user_id").where("submission_key", "=", submissionKey).execute()).toEqual([]);
  });
});

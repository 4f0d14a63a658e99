import { describe, expect, it } from "vitest";
import { getSessionUser } from "~/auth/session.server";
import { findUserByEmail } from "~/models/user.server";
import { action as invitationsAction, loader as invitationsLoader } from "~/routes/admin.invitations";
import { loader as adviserHomeLoader } from "~/routes/adviser._index";
import { action as adviserAction, loader as adviserLoader } from "~/routes/adviser.proposals.$proposalId";
import { loader as homeLoader } from "~/routes/home";
import { loader as scoreLoader } from "~/routes/panel.proposals.$proposalId";
import { action as acceptAction } from "~/routes/invitations.$token";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, emailsTo, makeDecisionGroup, makeFund, makeOrganisation, makeProposal, makeUser, tokenFromLink } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor, sessionCookieFrom } from "../support/http";

/**
 * A specialist adviser for a whole fund (issue #8): invited for a fund rather
 * than one decision group, they give written input on the proposals of every
 * decision group of that fund that have reached the panel, and see nothing of
 * other funds.
 */

const invite = async (cookie: string, fields: Record<string, string>) => runAction(invitationsAction, await postForm("/admin/invitations", fields, { cookie }));

const postInput = async (cookie: string, proposalId: string) =>
  runAction(
    adviserAction,
    await postForm(`/adviser/proposals/${proposalId}`, { feasibility: "Buildable", costRealism: "Quotes look fair", risks: "Planning consent" }, { cookie }),
    { proposalId },
  );

/** One fund with two decision groups (a proposal with the panel in each, and a draft), and a second fund with one. */
async function twoFunds() {
  const fund = await makeFund({ name: "Parks Capital Fund" });
  const north = await makeDecisionGroup({ fundId: fund.id, name: "North" });
  const south = await makeDecisionGroup({ fundId: fund.id, name: "South" });
  const otherFund = await makeFund({ name: "Other Fund" });
  const elsewhere = await makeDecisionGroup({ fundId: otherFund.id, name: "Elsewhere" });
  const group = await makeOrganisation();
  const inNorth = await makeProposal({ decisionGroupId: north.id, organisationId: group.id, status: "eligible" });
  const inSouth = await makeProposal({ decisionGroupId: south.id, organisationId: group.id, status: "under_review" });
  const draftInNorth = await makeProposal({ decisionGroupId: north.id, organisationId: group.id, status: "draft" });
  const inOtherFund = await makeProposal({ decisionGroupId: elsewhere.id, organisationId: group.id, status: "eligible" });
  return { fund, north, south, otherFund, inNorth, inSouth, draftInNorth, inOtherFund };
}

describe("a specialist adviser for a whole fund", () => {
  it("is invited for a fund by the administrator, and accepting gives them a membership for that fund", async () => {
    const admin = await makeUser({ role: "admin" });
    const cookie = await sessionCookieFor(admin.id);
    const fund = await makeFund({ name: "Parks Capital Fund" });

    const page = await (await runLoader(invitationsLoader, getRequest("/admin/invitations", { cookie }))).json();
    expect(page.funds).toContainEqual({ id: fund.id, name: "Parks Capital Fund" });

    const response = await invite(cookie, { name: "Sam Surveyor", email: "sam@example.test", role: "adviser", fundId: fund.id });
    expect(response.status).toBe(200);
    const invitation = await getDb().selectFrom("invitation").selectAll().where("email", "=", "sam@example.test").executeTakeFirstOrThrow();
    expect(invitation).toMatchObject({ role: "adviser", fund_id: fund.id, decision_group_id: null, organisation_id: null });
    expect((await auditEventsFor("invitation.created")).map((e) => e.entity_id)).toEqual([invitation.id]);

    const token = tokenFromLink((await emailsTo("sam@example.test"))[0]!.body_text, "invitations");
    const accepted = await runAction(acceptAction, await postForm(`/invitations/${token}`, { name: "Sam Surveyor", password: "lantern teapot meadow" }), {
      token,
    });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("Location")).toBe("/adviser");
    const sam = await findUserByEmail(getDb(), "sam@example.test");
    const memberships = await getDb().selectFrom("membership").select(["role", "fund_id", "decision_group_id"]).where("user_id", "=", sam!.id).execute();
    expect(memberships).toEqual([{ role: "adviser", fund_id: fund.id, decision_group_id: null }]);
    const signedIn = await getSessionUser(getDb(), getRequest("/adviser", { cookie: sessionCookieFrom(accepted)! }));
    expect(signedIn).toMatchObject({ role: "adviser", fundId: fund.id, decisionGroupId: null });
  });

  it("answers 400 with a plain message for an adviser with neither a decision group nor a fund, or with both", async () => {
    const admin = await makeUser({ role: "admin" });
    const cookie = await sessionCookieFor(admin.id);
    const fund = await makeFund();
    const group = await makeDecisionGroup({ fundId: fund.id });
    const base = { name: "Ned Nobody", email: "ned@example.test", role: "adviser" };

    const neither = await invite(cookie, base);
    expect(neither.status).toBe(400);
    expect((await neither.json()).errors).toEqual({ decisionGroupId: "Choose the decision group they will advise, or a whole fund" });

    const both = await invite(cookie, { ...base, decisionGroupId: group.id, fundId: fund.id });
    expect(both.status).toBe(400);
    expect((await both.json()).errors).toEqual({ fundId: "Choose either a decision group or a whole fund for the adviser, not both" });

    const panelMemberForFund = await invite(cookie, { ...base, role: "panel_member", constituency: "resident", decisionGroupId: group.id, fundId: fund.id });
    expect(panelMemberForFund.status).toBe(400);
    expect(Object.keys((await panelMemberForFund.json()).errors)).toEqual(["fundId"]);

    const unknownFund = await invite(cookie, { ...base, fundId: "no-such-fund" });
    expect(unknownFund.status).toBe(400);
    expect((await unknownFund.json()).errors).toEqual({ fundId: "Choose a fund from the list" });

    expect(await getDb().selectFrom("invitation").select("id").where("email", "=", "ned@example.test").execute()).toEqual([]);
  });

  it("sees the proposals with the panel in every decision group of their fund, and none of another fund's", async () => {
    const w = await twoFunds();
    const adviser = await makeUser({ role: "adviser", fundId: w.fund.id });
    const cookie = await sessionCookieFor(adviser.id);

    const home = await (await runLoader(adviserHomeLoader, getRequest("/adviser", { cookie }))).json();
    expect(home.fundName).toBe("Parks Capital Fund");
    expect(home.queue.map((p: { id: string; decisionGroupName: string }) => [p.id, p.decisionGroupName]).sort()).toEqual(
      [
        [w.inNorth.id, "North"],
        [w.inSouth.id, "South"],
      ].sort(),
    );

    const page = await runLoader(adviserLoader, getRequest(`/adviser/proposals/${w.inSouth.id}`, { cookie }), { proposalId: w.inSouth.id });
    expect(page.status).toBe(200);
    for (const hidden of [w.inOtherFund.id, w.draftInNorth.id]) {
      expect((await runLoader(adviserLoader, getRequest(`/adviser/proposals/${hidden}`, { cookie }), { proposalId: hidden })).status).toBe(404);
    }

    // Your roles names the fund, and counts the two proposals still waiting for input.
    const roles = (await (await runLoader(homeLoader, getRequest("/home", { cookie }))).json()).roles;
    expect(roles).toEqual([expect.objectContaining({ label: "Specialist adviser, Parks Capital Fund", tasks: [expect.stringContaining("2")] })]);
  });

  it("saves input on a proposal of their fund (row and audit event), and not on another fund's", async () => {
    const w = await twoFunds();
    const adviser = await makeUser({ role: "adviser", fundId: w.fund.id });
    const cookie = await sessionCookieFor(adviser.id);

    const saved = await postInput(cookie, w.inSouth.id);
    expect(saved.status).toBe(302);
    const rows = await getDb().selectFrom("specialist_input").selectAll().where("user_id", "=", adviser.id).execute();
    expect(rows).toEqual([expect.objectContaining({ proposal_id: w.inSouth.id, feasibility: "Buildable", risks: "Planning consent" })]);
    expect((await auditEventsFor("specialist_input.written")).map((e) => [e.actor, e.entity_id])).toEqual([[adviser.id, rows[0]!.id]]);

    expect((await postInput(cookie, w.inOtherFund.id)).status).toBe(404);
    expect(await getDb().selectFrom("specialist_input").select("id").where("proposal_id", "=", w.inOtherFund.id).execute()).toEqual([]);

    // The queue shows it as written.
    const home = await (await runLoader(adviserHomeLoader, getRequest("/adviser", { cookie }))).json();
    expect(home.queue.find((p: { id: string }) => p.id === w.inSouth.id).writtenOn).not.toBeNull();
  });

  it("never scores: the scoring page answers 403", async () => {
    const w = await twoFunds();
    const adviser = await makeUser({ role: "adviser", fundId: w.fund.id });
    const res = await runLoader(scoreLoader, getRequest(`/panel/proposals/${w.inNorth.id}`, { cookie: await sessionCookieFor(adviser.id) }), {
      proposalId: w.inNorth.id,
    });
    expect(res.status).toBe(403);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { action as adminTeamAction, loader as adminTeamLoader } from "~/routes/admin.teams.$teamId";
import { action as fundTeamsAction, loader as fundTeamsLoader } from "~/routes/admin.funds.$fundId.teams";
import { loader as publicTeamsLoader } from "~/routes/funds.$fundId.teams";
import { action as acceptAction } from "~/routes/invitations.$token";
import { action as loginAction } from "~/routes/login";
import { action as engagementAction, loader as engagementLoader } from "~/routes/teams.$teamId.engagement";
import { action as ideaAction, loader as ideaLoader } from "~/routes/teams.$teamId.ideas.$ideaId";
import { action as ideasAction, loader as ideasLoader } from "~/routes/teams.$teamId._index";
import { action as supportAction, loader as supportLoader } from "~/routes/teams.$teamId.support";
import { getDb } from "~/utils/db.server";
import { newId, nowIso } from "~/utils/ids.server";
import {
  auditEventsFor,
  emailsTo,
  makeDecisionGroup,
  makeEligibilityQuestion,
  makeFund,
  makeOrganisation,
  makeUser,
  TEST_PASSWORD,
  tokenFromLink,
} from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor, sessionCookieFrom } from "../support/http";

type Json = Record<string, unknown>;
const body = async (response: Response) => (await response.json()) as Json;

let fund: { id: string };
let groupId: string;
let adminCookie: string;
let adminId: string;
let teamId: string;
let memberCookie: string;
let memberEmail: string;

beforeAll(async () => {
  const admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
  adminId = admin.id;
  fund = await makeFund({ name: "All In Test Fund" });
  groupId = (await makeDecisionGroup({ fundId: fund.id, name: "Halstead and Braintree" })).id;
});

const teamPost = (path: string, fields: Record<string, string>, cookie = memberCookie) => postForm(path, fields, { cookie });

describe("an administrator sets up a community team", () => {
  it("creates the team with its area and paid term, as a community group, with an audit event", async () => {
    const response = await runAction(
      fundTeamsAction,
      await postForm(
        `/admin/funds/${fund.id}/teams`,
        { name: "Braintree Community Team", area: "Braintree", termStartsOn: "2026-01-01", termEndsOn: "2099-12-31" },
        { cookie: adminCookie },
      ),
      { fundId: fund.id },
    );
    expect(response.status).toBe(303);
    const team = await getDb().selectFrom("community_team").selectAll().where("fund_id", "=", fund.id).executeTakeFirstOrThrow();
    teamId = team.id;
    expect(response.headers.get("Location")).toBe(`/admin/teams/${team.id}`);
    expect(team).toMatchObject({ area: "Braintree", term_starts_on: "2026-01-01", term_ends_on: "2099-12-31" });
    const org = await getDb().selectFrom("organisation").select(["name", "kind"]).where("id", "=", team.organisation_id).executeTakeFirstOrThrow();
    expect(org).toEqual({ name: "Braintree Community Team", kind: "community_group" });
    expect((await auditEventsFor("community_team.created")).map((e) => e.entity_id)).toContain(team.id);

    const list = await body(await runLoader(fundTeamsLoader, getRequest(`/admin/funds/${fund.id}/teams`, { cookie: adminCookie }), { fundId: fund.id }));
    const rows = list.teams as { team: { name: string }; term: { state: string } }[];
    expect(rows.map((r) => [r.team.name, r.term.state])).toEqual([["Braintree Community Team", "current"]]);
  });

  it("refuses a term that ends before it starts: 400, the message on the field, what was typed kept, nothing written", async () => {
    const before = await getDb().selectFrom("community_team").select("id").execute();
    const response = await runAction(
      fundTeamsAction,
      await postForm(
        `/admin/funds/${fund.id}/teams`,
        { name: "Late Team", area: "Halstead", termStartsOn: "2027-04-01", termEndsOn: "2027-03-31" },
        { cookie: adminCookie },
      ),
      { fundId: fund.id },
    );
    expect(response.status).toBe(400);
    const data = await body(response);
    expect(data.errors).toEqual({ termEndsOn: "The term must end on or after the day it starts" });
    expect(data.values).toMatchObject({ name: "Late Team", termStartsOn: "2027-04-01" });
    expect(await getDb().selectFrom("community_team").select("id").execute()).toHaveLength(before.length);
  });

  it("adds a member: the invitation to the team's group, accepted, makes them a member who reaches the team's pages", async () => {
    memberEmail = "tia@example.test";
    const invited = await runAction(
      adminTeamAction,
      await postForm(`/admin/teams/${teamId}`, { inviteName: "Tia Team", inviteEmail: memberEmail }, { cookie: adminCookie }),
      {
        teamId,
      },
    );
    expect(invited.status).toBe(200);
    const [email] = await emailsTo(memberEmail);
    const token = tokenFromLink(email!.body_text, "invitations");
    expect((await runAction(acceptAction, await postForm(`/invitations/${token}`, { name: "Tia Team", password: TEST_PASSWORD }), { token })).status).toBe(302);
    const signedIn = await runAction(loginAction, await postForm("/login", { email: memberEmail, password: TEST_PASSWORD }));
    memberCookie = sessionCookieFrom(signedIn)!;

    const admin = await body(await runLoader(adminTeamLoader, getRequest(`/admin/teams/${teamId}`, { cookie: adminCookie }), { teamId }));
    expect((admin.members as { name: string }[]).map((m) => m.name)).toEqual(["Tia Team"]);
    expect((await runLoader(ideasLoader, getRequest(`/teams/${teamId}`, { cookie: memberCookie }), { teamId })).status).toBe(200);
  });
});

describe("a team member records the team's work", () => {
  let ideaId: string;

  it("records an idea: it starts as an idea, with its audit event", async () => {
    const response = await runAction(
      ideasAction,
      await teamPost(`/teams/${teamId}`, { title: "Bike repair sessions", summary: "Fix bikes together.", area: "Braintree" }),
      {
        teamId,
      },
    );
    expect(response.status).toBe(303);
    const idea = await getDb().selectFrom("community_team_idea").selectAll().where("team_id", "=", teamId).executeTakeFirstOrThrow();
    ideaId = idea.id;
    expect(idea).toMatchObject({ title: "Bike repair sessions", status: "idea", proposal_id: null });
    expect((await auditEventsFor("community_team.idea_recorded")).map((e) => e.entity_id)).toContain(idea.id);
  });

  it("an idea with no title is refused with a field error and the summary kept", async () => {
    const response = await runAction(ideasAction, await teamPost(`/teams/${teamId}`, { title: " ", summary: "Kept", area: "Braintree" }), { teamId });
    expect(response.status).toBe(400);
    const data = await body(response);
    expect(data.errors).toEqual({ title: "Enter the idea's title" });
    expect(data.values).toMatchObject({ summary: "Kept" });
  });

  it.each([
    ["12.5", "peopleCount", "Enter how many people as a whole number, like 12"],
    ["twelve", "peopleCount", "Enter how many people as a whole number, like 12"],
    ["0", "peopleCount", "Enter a number from 1 to 100,000"],
  ])("engagement counts must be whole numbers: %s is refused", async (count, field, message) => {
    const response = await runAction(
      engagementAction,
      await teamPost(`/teams/${teamId}/engagement`, { engagedOn: "2027-05-14", area: "Braintree", activity: "Door knocking", peopleCount: count }),
      { teamId },
    );
    expect(response.status).toBe(400);
    const data = await body(response);
    expect(data.errors).toEqual({ [field]: message });
    expect(data.values).toMatchObject({ peopleCount: count, activity: "Door knocking" });
    expect(await getDb().selectFrom("community_team_engagement").select("id").where("team_id", "=", teamId).execute()).toEqual([]);
  });

  it("engagement records no people: an email address or phone number in the activity is refused", async () => {
    for (const activity of ["Talked to jo@example.com", "Rang 07700 900123"]) {
      const response = await runAction(
        engagementAction,
        await teamPost(`/teams/${teamId}/engagement`, { engagedOn: "2027-05-14", area: "Braintree", activity, peopleCount: "3" }),
        { teamId },
      );
      expect(response.status).toBe(400);
      expect(((await body(response)).errors as Json).activity).toMatch(/must not hold an email address or phone number/);
    }
  });

  it("engagement counts add up by area", async () => {
    for (const [area, count] of [
      ["Braintree", "38"],
      ["Braintree", "12"],
      ["Halstead", "5"],
    ] as const) {
      const response = await runAction(
        engagementAction,
        await teamPost(`/teams/${teamId}/engagement`, { engagedOn: "2027-05-14", area, activity: "Stall", peopleCount: count }),
        {
          teamId,
        },
      );
      expect(response.status).toBe(303);
    }
    const data = await body(await runLoader(engagementLoader, getRequest(`/teams/${teamId}/engagement`, { cookie: memberCookie }), { teamId }));
    expect(data.byArea).toEqual([
      { area: "Braintree", people: 50 },
      { area: "Halstead", people: 5 },
    ]);
    expect(data.people).toBe(55);
  });

  it("logs mentoring and training: hours kept as minutes, and a bad kind or time refused", async () => {
    const bad = await runAction(
      supportAction,
      await teamPost(`/teams/${teamId}/support`, { givenOn: "2027-03-14", kind: "coaching", hours: "an hour", givenBy: "", notes: "x" }),
      {
        teamId,
      },
    );
    expect(bad.status).toBe(400);
    expect(Object.keys((await body(bad)).errors as Json).sort()).toEqual(["givenBy", "hours", "kind"]);
    const ok = await runAction(
      supportAction,
      await teamPost(`/teams/${teamId}/support`, {
        givenOn: "2027-03-14",
        kind: "training",
        hours: "1.5",
        givenBy: "Eastlight",
        notes: "Running a listening event.",
      }),
      { teamId },
    );
    expect(ok.status).toBe(303);
    const row = await getDb().selectFrom("community_team_support").selectAll().where("team_id", "=", teamId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: "training", minutes: 90, given_by: "Eastlight" });
    const data = await body(await runLoader(supportLoader, getRequest(`/teams/${teamId}/support`, { cookie: memberCookie }), { teamId }));
    expect(data.totalTime).toBe("1 hour 30 minutes");
    expect((await auditEventsFor("community_team.support_logged")).map((e) => e.entity_id)).toContain(teamId);
  });

  it("turns an idea into a draft proposal through the proposal service, and the idea links to it", async () => {
    const moved = await runAction(ideaAction, await teamPost(`/teams/${teamId}/ideas/${ideaId}`, { intent: "move", status: "developing" }), { teamId, ideaId });
    expect(moved.status).toBe(303);
    // The fund's eligibility questions are asked as for any proposal.
    const question = await makeEligibilityQuestion(fund.id);
    const unanswered = await runAction(ideaAction, await teamPost(`/teams/${teamId}/ideas/${ideaId}`, { intent: "propose", decisionGroupId: groupId }), {
      teamId,
      ideaId,
    });
    expect(unanswered.status).toBe(400);
    expect((await body(unanswered)).errors).toEqual({ [`q_${question.id}`]: `Answer the question: ${question.text}` });

    const response = await runAction(
      ideaAction,
      await teamPost(`/teams/${teamId}/ideas/${ideaId}`, { intent: "propose", decisionGroupId: groupId, [`q_${question.id}`]: "Yes" }),
      { teamId, ideaId },
    );
    expect(response.status).toBe(303);
    const idea = await getDb().selectFrom("community_team_idea").selectAll().where("id", "=", ideaId).executeTakeFirstOrThrow();
    expect(idea.status).toBe("proposal");
    expect(response.headers.get("Location")).toBe(`/proposals/${idea.proposal_id}/edit`);
    const team = await getDb().selectFrom("community_team").select("organisation_id").where("id", "=", teamId).executeTakeFirstOrThrow();
    const proposal = await getDb().selectFrom("proposal").selectAll().where("id", "=", idea.proposal_id!).executeTakeFirstOrThrow();
    expect(proposal).toMatchObject({
      status: "draft",
      title: "Bike repair sessions",
      summary: "Fix bikes together.",
      organisation_id: team.organisation_id,
      decision_group_id: groupId,
    });

    const page = await body(await runLoader(ideaLoader, getRequest(`/teams/${teamId}/ideas/${ideaId}`, { cookie: memberCookie }), { teamId, ideaId }));
    expect(page.proposal).toEqual({ id: proposal.id, reference: proposal.reference });
    expect(page.progress).toMatchObject({ status: "proposal", proposalLabel: "Draft" });

    const again = await runAction(
      ideaAction,
      await teamPost(`/teams/${teamId}/ideas/${ideaId}`, { intent: "propose", decisionGroupId: groupId, [`q_${question.id}`]: "Yes" }),
      { teamId, ideaId },
    );
    expect(again.status).toBe(400);
    expect(await getDb().selectFrom("proposal").select("id").where("organisation_id", "=", team.organisation_id).execute()).toHaveLength(1);
  });

  it("the team's page shows where each idea got to: once its proposal is decided, the idea is decided", async () => {
    const idea = await getDb().selectFrom("community_team_idea").select("proposal_id").where("team_id", "=", teamId).executeTakeFirstOrThrow();
    await getDb().updateTable("proposal").set({ status: "funded" }).where("id", "=", idea.proposal_id!).execute();
    const data = await body(await runLoader(ideasLoader, getRequest(`/teams/${teamId}`, { cookie: memberCookie }), { teamId }));
    expect((data.ideas as { progress: Json }[]).map((i) => i.progress)).toEqual([
      { status: "decided", label: "Decided", tone: "green", proposalLabel: "Funded" },
    ]);
  });
});

describe("who sees what", () => {
  it("a member of another team gets 403 on this team's pages, and their posts write nothing", async () => {
    const otherTeam = await makeOrganisation({ name: "Halstead Community Team" });
    await getDb()
      .insertInto("community_team")
      .values({
        id: newId(),
        fund_id: fund.id,
        organisation_id: otherTeam.id,
        area: "Halstead",
        term_starts_on: "2026-01-01",
        term_ends_on: "2026-12-31",
        created_by: adminId,
        created_at: nowIso(),
      })
      .execute();
    const outsider = await makeUser({ organisationId: otherTeam.id });
    const cookie = await sessionCookieFor(outsider.id);
    const idea = await getDb().selectFrom("community_team_idea").select("id").where("team_id", "=", teamId).executeTakeFirstOrThrow();
    const params = { teamId, ideaId: idea.id };
    for (const loader of [ideasLoader, engagementLoader, supportLoader, ideaLoader]) {
      expect((await runLoader(loader, getRequest(`/teams/${teamId}`, { cookie }), params)).status).toBe(403);
    }
    const ideasBefore = await getDb().selectFrom("community_team_idea").select("id").execute();
    const posted = await runAction(ideasAction, await postForm(`/teams/${teamId}`, { title: "Sneaky", summary: "x", area: "y" }, { cookie }), params);
    expect(posted.status).toBe(403);
    expect(await getDb().selectFrom("community_team_idea").select("id").execute()).toHaveLength(ideasBefore.length);
    const moved = await runAction(ideaAction, await postForm(`/teams/${teamId}/ideas/${idea.id}`, { intent: "move", status: "idea" }, { cookie }), params);
    expect(moved.status).toBe(403);
  });

  it("an unknown team is 404", async () => {
    expect((await runLoader(ideasLoader, getRequest("/teams/nope", { cookie: memberCookie }), { teamId: "nope" })).status).toBe(404);
  });

  it("an applicant, even the team's own member, cannot reach the administrators' team pages", async () => {
    const applicant = await makeUser({ organisationId: (await makeOrganisation()).id });
    for (const cookie of [await sessionCookieFor(applicant.id), memberCookie]) {
      expect((await runLoader(fundTeamsLoader, getRequest(`/admin/funds/${fund.id}/teams`, { cookie }), { fundId: fund.id })).status).toBe(403);
      expect((await runLoader(adminTeamLoader, getRequest(`/admin/teams/${teamId}`, { cookie }), { teamId })).status).toBe(403);
      const invite = await runAction(
        adminTeamAction,
        await postForm(`/admin/teams/${teamId}`, { inviteName: "X", inviteEmail: "x@example.test" }, { cookie }),
        { teamId },
      );
      expect(invite.status).toBe(403);
    }
    expect(await emailsTo("x@example.test")).toEqual([]);
  });

  it("the public sees the team's name, area, term and its ideas' titles and status, never its members or engagement", async () => {
    const response = await runLoader(publicTeamsLoader, getRequest(`/funds/${fund.id}/teams`), { fundId: fund.id });
    expect(response.status).toBe(200);
    const text = JSON.stringify(await response.json());
    expect(text).toContain("Braintree Community Team");
    expect(text).toContain("Bike repair sessions");
    expect(text).not.toContain("Tia Team");
    expect(text).not.toContain(memberEmail);
    expect(text).not.toContain("Stall");
    expect(text).not.toContain("Eastlight");
  });
});

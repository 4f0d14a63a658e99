import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, seedDemo } from "../../db/demo-data";
import { DEMO_TEAM_NAME } from "../../db/demo-teams";
import { loader as ideasLoader } from "~/routes/teams.$teamId._index";
import { action as loginAction } from "~/routes/login";
import { getDb } from "~/utils/db.server";
import { getRequest, postForm, runAction, runLoader, sessionCookieFrom } from "../support/http";

let teamId: string;

beforeAll(async () => {
  await seedDemo(getDb());
  teamId = (
    await getDb()
      .selectFrom("community_team")
      .innerJoin("organisation", "organisation.id", "community_team.organisation_id")
      .select("community_team.id")
      .where("organisation.name", "=", DEMO_TEAM_NAME)
      .executeTakeFirstOrThrow()
  ).id;
}, 120_000);

describe("the demo's community team", () => {
  it("its member signs in with the README's password and sees ideas at different stages, one already a proposal", async () => {
    const account = DEMO_ACCOUNTS.find((a) => a.team === DEMO_TEAM_NAME)!;
    const signedIn = await runAction(loginAction, await postForm("/login", { email: account.email, password: account.password }));
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("Location")).toBe("/applicant");
    const cookie = sessionCookieFrom(signedIn)!;
    const data = (await (await runLoader(ideasLoader, getRequest(`/teams/${teamId}`, { cookie }), { teamId })).json()) as {
      heading: { term: { state: string } };
      ideas: { progress: { status: string; proposalLabel: string | null } }[];
    };
    expect(data.heading.term.state).toBe("current");
    expect(data.ideas.map((i) => i.progress.status).sort()).toEqual(["developing", "idea", "proposal"]);
    expect(data.ideas.find((i) => i.progress.status === "proposal")?.progress.proposalLabel).toBe("Draft");
  });

  it("has engagement counts and a support log", async () => {
    const count = (table: "community_team_engagement" | "community_team_support") =>
      getDb().selectFrom(table).select("id").where("team_id", "=", teamId).execute();
    expect(await count("community_team_engagement")).toHaveLength(4);
    expect(await count("community_team_support")).toHaveLength(3);
  });
});

import type { DB } from "../../db/client";
import type { ProposalStatus, TeamIdeaStatus, TeamSupportKind } from "../../db/schema";

/** Reads for community teams (docs/decisions/0048). Lists are paged; counts come from subqueries, one query a list. */

export interface Paged<T> {
  rows: T[];
  total: number;
}

const paging = (page: number, pageSize: number) => ({ limit: pageSize, offset: (page - 1) * pageSize });

export interface TeamSummary {
  id: string;
  name: string;
  area: string;
  termStartsOn: string;
  termEndsOn: string;
}

function teams(db: DB) {
  return db
    .selectFrom("community_team as t")
    .innerJoin("organisation as o", "o.id", "t.organisation_id")
    .innerJoin("fund as f", "f.id", "t.fund_id")
    .select([
      "t.id",
      "o.name",
      "t.area",
      "t.term_starts_on as termStartsOn",
      "t.term_ends_on as termEndsOn",
      "t.fund_id as fundId",
      "f.name as fundName",
      "t.organisation_id as organisationId",
    ]);
}

/** One team, with its fund and the community group that holds its members; undefined when there is none. */
export function getTeam(db: DB, teamId: string) {
  return teams(db).where("t.id", "=", teamId).executeTakeFirst();
}

export type Team = NonNullable<Awaited<ReturnType<typeof getTeam>>>;

/** The team held by this community group, if it is one (a team member's home page links it). */
export function findTeamOfOrganisation(db: DB, organisationId: string) {
  return teams(db).where("t.organisation_id", "=", organisationId).executeTakeFirst();
}

/** A fund's teams, a page at a time, with how many members and ideas each has. */
export async function listTeamsOfFund(
  db: DB,
  fundId: string,
  page: number,
  pageSize: number,
): Promise<Paged<TeamSummary & { memberCount: number; ideaCount: number }>> {
  const [rows, total] = await Promise.all([
    teams(db)
      .select((eb) => [
        eb
          .selectFrom("membership as m")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("m.organisation_id", "=", "t.organisation_id")
          .where("m.role", "=", "applicant")
          .where("m.ended_at", "is", null)
          .as("memberCount"),
        eb
          .selectFrom("community_team_idea as i")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("i.team_id", "=", "t.id")
          .as("ideaCount"),
      ])
      .where("t.fund_id", "=", fundId)
      .orderBy("o.name")
      .orderBy("t.id")
      .limit(paging(page, pageSize).limit)
      .offset(paging(page, pageSize).offset)
      .execute(),
    db
      .selectFrom("community_team")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("fund_id", "=", fundId)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((r) => ({ ...r, memberCount: Number(r.memberCount ?? 0), ideaCount: Number(r.ideaCount ?? 0) })), total: Number(total.n) };
}

export interface TeamIdeaRow {
  id: string;
  title: string;
  summary: string;
  area: string;
  status: TeamIdeaStatus;
  proposalId: string | null;
  proposalReference: string | null;
  proposalStatus: ProposalStatus | null;
  createdAt: string;
}

function ideas(db: DB) {
  return db
    .selectFrom("community_team_idea as i")
    .leftJoin("proposal as p", "p.id", "i.proposal_id")
    .select([
      "i.id",
      "i.title",
      "i.summary",
      "i.area",
      "i.status",
      "i.proposal_id as proposalId",
      "p.reference as proposalReference",
      "p.status as proposalStatus",
      "i.created_at as createdAt",
    ]);
}

/** A team's ideas, newest first, each with its proposal's status when it became one. */
export async function listTeamIdeas(db: DB, teamId: string, page: number, pageSize: number): Promise<Paged<TeamIdeaRow>> {
  const [rows, total] = await Promise.all([
    ideas(db)
      .where("i.team_id", "=", teamId)
      .orderBy("i.created_at", "desc")
      .orderBy("i.id")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom("community_team_idea")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("team_id", "=", teamId)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** One of the team's ideas (never another team's). */
export function getTeamIdea(db: DB, teamId: string, ideaId: string): Promise<TeamIdeaRow | undefined> {
  return ideas(db).where("i.team_id", "=", teamId).where("i.id", "=", ideaId).executeTakeFirst();
}

export interface EngagementRow {
  id: string;
  engagedOn: string;
  area: string;
  activity: string;
  peopleCount: number;
}

/** The team's engagement counts, newest first, with the totals by area over all of them. */
export async function listEngagement(
  db: DB,
  teamId: string,
  page: number,
  pageSize: number,
): Promise<Paged<EngagementRow> & { byArea: { area: string; people: number }[] }> {
  const [rows, total, byArea] = await Promise.all([
    db
      .selectFrom("community_team_engagement")
      .select(["id", "engaged_on as engagedOn", "area", "activity", "people_count as peopleCount"])
      .where("team_id", "=", teamId)
      .orderBy("engaged_on", "desc")
      .orderBy("id")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom("community_team_engagement")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("team_id", "=", teamId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("community_team_engagement")
      .select((eb) => ["area", eb.fn.sum<number>("people_count").as("people")])
      .where("team_id", "=", teamId)
      .groupBy("area")
      .orderBy("area")
      .execute(),
  ]);
  return { rows, total: Number(total.n), byArea: byArea.map((r) => ({ area: r.area, people: Number(r.people) })) };
}

export interface TeamSupportRow {
  id: string;
  givenOn: string;
  kind: TeamSupportKind;
  minutes: number;
  givenBy: string;
  notes: string;
}

/** The team's mentoring and training log, newest first, with the time over all of it. */
export async function listTeamSupport(db: DB, teamId: string, page: number, pageSize: number): Promise<Paged<TeamSupportRow> & { totalMinutes: number }> {
  const [rows, total] = await Promise.all([
    db
      .selectFrom("community_team_support")
      .select(["id", "given_on as givenOn", "kind", "minutes", "given_by as givenBy", "notes"])
      .where("team_id", "=", teamId)
      .orderBy("given_on", "desc")
      .orderBy("id")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom("community_team_support")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.sum<number>("minutes").as("minutes")])
      .where("team_id", "=", teamId)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n), totalMinutes: Number(total.minutes ?? 0) };
}

/**
 * What the public sees of a fund's teams (the page shows a published fund's only), a page of teams at a
 * time: names, areas, terms, and their ideas' titles and where they got to.
 * Never members, engagement or the support log (docs/decisions/0048).
 */
export async function listPublicTeams(db: DB, fundId: string, page: number, pageSize: number) {
  const published = teams(db).where("t.fund_id", "=", fundId);
  const [rows, total] = await Promise.all([
    published
      .orderBy("o.name")
      .orderBy("t.id")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    published
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  const ideaRows = rows.length
    ? await db
        .selectFrom("community_team_idea as i")
        .leftJoin("proposal as p", "p.id", "i.proposal_id")
        .select(["i.team_id as teamId", "i.id", "i.title", "i.status", "p.status as proposalStatus"])
        .where(
          "i.team_id",
          "in",
          rows.map((r) => r.id),
        )
        .orderBy("i.created_at")
        .orderBy("i.id")
        .execute()
    : [];
  return {
    total: Number(total.n),
    rows: rows.map((team) => ({ ...team, ideas: ideaRows.filter((i) => i.teamId === team.id) })),
  };
}

/** The decision groups of a team's fund, which its ideas can go to as proposals. */
export function listFundDecisionGroups(db: DB, fundId: string) {
  return db.selectFrom("decision_group").select(["id", "name"]).where("fund_id", "=", fundId).orderBy("name").orderBy("id").execute();
}

/** How many community teams a fund has (its public page links them when it has any). */
export async function countTeamsOfFund(db: DB, fundId: string): Promise<number> {
  const row = await db
    .selectFrom("community_team")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("fund_id", "=", fundId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

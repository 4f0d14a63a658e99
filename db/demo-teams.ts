import type { Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { createTeam, logTeamSupport, moveIdea, recordEngagement, recordIdea, turnIdeaIntoProposal } from "~/services/community-teams.server";
import { newId, nowIso } from "~/utils/ids.server";
import type { DB } from "./client";

export const DEMO_TEAM_NAME = "Braintree Community Team";

const DAY = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * All In's community team for the demo (issue 13, part 5): a paid term that
 * is current, a member who signs in (README's demo accounts), ideas at each
 * stage (one already a draft proposal), engagement counts and a support log.
 * Written through the real services, so each row has its audit event.
 */
export async function seedDemoTeams(
  trx: DB,
  ctx: { admin: Actor; fundId: string; member: { email: string; name: string; passwordHash: string } },
  now = new Date(),
): Promise<string> {
  const t = now.getTime();
  const teamId = await createTeam(trx, ctx.admin, ctx.fundId, {
    name: DEMO_TEAM_NAME,
    area: "Braintree",
    termStartsOn: isoDay(t - 90 * DAY),
    termEndsOn: isoDay(t + 275 * DAY),
  });
  const team = await trx.selectFrom("community_team").select(["organisation_id", "fund_id"]).where("id", "=", teamId).executeTakeFirstOrThrow();

  const stamp = nowIso();
  const user = { id: newId(), email: ctx.member.email, name: ctx.member.name };
  await trx
    .insertInto("user")
    .values({ ...user, password_hash: ctx.member.passwordHash, disabled_at: null, created_at: stamp, updated_at: stamp })
    .execute();
  await appendAuditEvent(trx, { actor: "system", action: "user.seeded", entityType: "user", entityId: user.id, after: user });
  const membership = {
    id: newId(),
    user_id: user.id,
    role: "applicant" as const,
    organisation_id: team.organisation_id,
    decision_group_id: null,
    fund_id: null,
    constituency: null,
    interests_declared_at: null,
    started_at: stamp,
    ended_at: null,
    created_by: ctx.admin.id,
  };
  await trx.insertInto("membership").values(membership).execute();
  await appendAuditEvent(trx, { actor: "system", action: "membership.seeded", entityType: "membership", entityId: membership.id, after: membership });
  const member: Actor = { id: user.id, role: "applicant", organisationId: team.organisation_id, decisionGroupId: null, membershipId: membership.id };

  await recordIdea(trx, member, teamId, {
    title: "Benches along the river walk",
    summary: "Older people told us they stop walking by the river because there is nowhere to rest. Four benches would help.",
    area: "Braintree town centre",
  });
  const homework = await recordIdea(trx, member, teamId, {
    title: "A homework club at the library",
    summary: "A quiet place after school with a helper, two days a week, for children who have no space at home.",
    area: "Braintree",
  });
  await moveIdea(trx, member, teamId, homework, "developing");
  const bikes = await recordIdea(trx, member, teamId, {
    title: "Bike repair sessions",
    summary: "Once a month, people bring their bikes and learn to fix them with a volunteer mechanic.",
    area: "Braintree",
  });
  await moveIdea(trx, member, teamId, bikes, "developing");
  const group = await trx.selectFrom("decision_group").select("id").where("fund_id", "=", team.fund_id).orderBy("name").executeTakeFirstOrThrow();
  await turnIdeaIntoProposal(trx, member, teamId, bikes, { decisionGroupId: group.id, eligibilityAnswers: {} });

  const engagement = [
    { days: 80, area: "Braintree town centre", activity: "Stall at the market", peopleCount: 64 },
    { days: 60, area: "Braintree", activity: "Door knocking", peopleCount: 38 },
    { days: 45, area: "Braintree", activity: "Coffee morning at the community centre", peopleCount: 21 },
    { days: 20, area: "Braintree town centre", activity: "Fun day", peopleCount: 112 },
  ];
  for (const e of engagement) {
    await recordEngagement(trx, member, teamId, { engagedOn: isoDay(t - e.days * DAY), area: e.area, activity: e.activity, peopleCount: e.peopleCount });
  }
  const support = [
    { days: 85, kind: "training" as const, minutes: 180, givenBy: "Eastlight community development team", notes: "How to run a listening event." },
    { days: 50, kind: "mentoring" as const, minutes: 60, givenBy: "All In mentor", notes: "Planning the door knocking, and how to write up what people said." },
    { days: 25, kind: "training" as const, minutes: 120, givenBy: "Eastlight community development team", notes: "Writing a proposal: budgets and outcomes." },
  ];
  for (const s of support) {
    await logTeamSupport(trx, ctx.admin, teamId, { givenOn: isoDay(t - s.days * DAY), kind: s.kind, minutes: s.minutes, givenBy: s.givenBy, notes: s.notes });
  }
  return teamId;
}

import { sql } from "kysely";
import type { DB } from "../../db/client";
import { findDuplicateGroups, type KnownGroup } from "~/domain/group-names";
import type { Resource } from "~/domain/permissions";
import { currentMembersOf } from "./membership.server";

type CommunityGroupResource = Extract<Resource, { type: "community_group" }>;

/**
 * The facts the policy needs about a community group (can "group_member.invite"):
 * the lead organisations of the decision groups it has a proposal in, and the
 * lead organisation(s) of the person who recorded it. Undefined when there is
 * no such community group.
 */
export async function communityGroupResource(db: DB, organisationId: string): Promise<CommunityGroupResource | undefined> {
  const org = await db
    .selectFrom("organisation")
    .select(["id", "created_by"])
    .where("id", "=", organisationId)
    .where("kind", "=", "community_group")
    .executeTakeFirst();
  if (!org) return undefined;
  const [serving, creator] = await Promise.all([
    db
      .selectFrom("proposal")
      .innerJoin("decision_group_lead_org as served", "served.decision_group_id", "proposal.decision_group_id")
      .select("served.organisation_id")
      .distinct()
      .where("proposal.organisation_id", "=", org.id)
      .execute(),
    org.created_by
      ? db
          .selectFrom("membership")
          .select("organisation_id")
          .distinct()
          .where("user_id", "=", org.created_by)
          .where("role", "=", "lead_org")
          .where("organisation_id", "is not", null)
          .execute()
      : Promise.resolve([]),
  ]);
  return {
    type: "community_group",
    id: org.id,
    servingLeadOrganisationIds: serving.map((r) => r.organisation_id),
    creatorOrganisationIds: creator.map((r) => r.organisation_id!),
  };
}

/** The community group a proposal belongs to, as a policy resource. */
export async function communityGroupResourceForProposal(db: DB, proposalId: string) {
  const proposal = await db.selectFrom("proposal").select("organisation_id").where("id", "=", proposalId).executeTakeFirst();
  return proposal ? communityGroupResource(db, proposal.organisation_id) : undefined;
}

/** Every organisation with its name and numbers, for telling whether a group is already on the portal. */
export async function listKnownGroups(db: DB): Promise<(KnownGroup & { postcode: string | null })[]> {
  const rows = await db
    .selectFrom("organisation")
    .select(["id", "name", "kind", "postcode", "registration_number", "charity_number", "company_number"])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    postcode: r.postcode,
    numbers: [r.registration_number, r.charity_number, r.company_number],
  }));
}

/** Community groups already on the portal that look like this one (same name or same number), for "Ask to join". */
export async function findExistingGroupsLike(db: DB, candidate: { name: string; registrationNumber?: string | null }) {
  const matches = findDuplicateGroups(candidate, await listKnownGroups(db));
  return matches.map(({ group, reasons }) => ({ id: group.id, name: group.name, postcode: group.postcode, reasons }));
}

export type ExistingGroupMatch = Awaited<ReturnType<typeof findExistingGroupsLike>>[number];

/** "%" and "_" typed in a search box mean themselves. */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A page of community groups, searched by name, each with its current
 * members, its number of proposals, and how it came to the portal.
 */
export async function listCommunityGroups(db: DB, options: { search: string; page: number; pageSize: number }) {
  let query = db.selectFrom("organisation").where("organisation.kind", "=", "community_group");
  if (options.search) query = query.where(sql<boolean>`lower(organisation.name) like ${likePattern(options.search)} escape '\\'`);
  const [rows, total] = await Promise.all([
    query
      .leftJoin("user as creator", "creator.id", "organisation.created_by")
      .select([
        "organisation.id",
        "organisation.name",
        "organisation.postcode",
        "organisation.registration_number",
        "organisation.created_at",
        "creator.name as createdByName",
      ])
      .orderBy("organisation.name")
      .orderBy("organisation.id")
      .limit(options.pageSize)
      .offset((options.page - 1) * options.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  const ids = rows.map((r) => r.id);
  const [members, proposals] = await Promise.all([
    currentMembersOf(db, ids),
    db
      .selectFrom("proposal")
      .select((eb) => ["proposal.organisation_id", eb.fn.countAll<number>().as("n")])
      .where("proposal.organisation_id", "in", ids.length ? ids : [""])
      .groupBy("proposal.organisation_id")
      .execute(),
  ]);
  return {
    total: Number(total.n),
    rows: rows.map((r) => ({
      ...r,
      members: members.filter((m) => m.organisation_id === r.id).map((m) => ({ id: m.id, name: m.name })),
      proposalCount: Number(proposals.find((p) => p.organisation_id === r.id)?.n ?? 0),
    })),
  };
}

/** One community group's record for the administrator's page, with who recorded it. */
export function getCommunityGroup(db: DB, organisationId: string) {
  return db
    .selectFrom("organisation")
    .leftJoin("user as creator", "creator.id", "organisation.created_by")
    .select([
      "organisation.id",
      "organisation.name",
      "organisation.postcode",
      "organisation.registration_number",
      "organisation.charity_number",
      "organisation.company_number",
      "organisation.contact_name",
      "organisation.contact_email",
      "organisation.created_at",
      "creator.name as createdByName",
    ])
    .where("organisation.id", "=", organisationId)
    .where("organisation.kind", "=", "community_group")
    .executeTakeFirst();
}

/** A group's proposals, newest first, for the administrator's page. */
export function listProposalsOfGroup(db: DB, organisationId: string) {
  return db
    .selectFrom("proposal")
    .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
    .select(["proposal.id", "proposal.reference", "proposal.title", "proposal.status", "decision_group.name as decisionGroupName"])
    .where("proposal.organisation_id", "=", organisationId)
    .orderBy("proposal.created_at", "desc")
    .execute();
}

function joinRequestQuery(db: DB) {
  return db
    .selectFrom("join_request")
    .innerJoin("organisation", "organisation.id", "join_request.organisation_id")
    .innerJoin("user as requester", "requester.id", "join_request.user_id")
    .leftJoin("user as decider", "decider.id", "join_request.decided_by")
    .select([
      "join_request.id",
      "join_request.organisation_id",
      "organisation.name as groupName",
      "organisation.postcode as groupPostcode",
      "join_request.user_id",
      "requester.name as requesterName",
      "requester.email as requesterEmail",
      "join_request.name_given",
      "join_request.message",
      "join_request.status",
      "join_request.created_at",
      "join_request.decided_at",
      "decider.name as decidedByName",
      "join_request.refusal_reason",
    ]);
}

export type JoinRequestRow = Awaited<ReturnType<typeof getJoinRequest>>;

export function getJoinRequest(db: DB, requestId: string) {
  return joinRequestQuery(db).where("join_request.id", "=", requestId).executeTakeFirst();
}

/**
 * Requests to join still waiting. Which rows exist is the viewer's scope:
 * the administrator sees all; a lead organisation those for groups it
 * serves or recorded; a group's members their own group's.
 */
export function listPendingJoinRequests(db: DB, scope: { all: true } | { leadOrganisationId: string } | { organisationId: string }) {
  let query = joinRequestQuery(db).where("join_request.status", "=", "pending");
  if ("organisationId" in scope) query = query.where("join_request.organisation_id", "=", scope.organisationId);
  if ("leadOrganisationId" in scope) {
    const lead = scope.leadOrganisationId;
    query = query.where((eb) =>
      eb.or([
        eb(
          "join_request.organisation_id",
          "in",
          eb
            .selectFrom("proposal")
            .innerJoin("decision_group_lead_org as served", "served.decision_group_id", "proposal.decision_group_id")
            .select("proposal.organisation_id")
            .where("served.organisation_id", "=", lead),
        ),
        eb(
          "organisation.created_by",
          "in",
          eb.selectFrom("membership").select("membership.user_id").where("membership.role", "=", "lead_org").where("membership.organisation_id", "=", lead),
        ),
      ]),
    );
  }
  return query.orderBy("join_request.created_at").orderBy("join_request.id").execute();
}

/** The requests a person has made, newest first: to show them what is waiting and what was decided. */
export function listJoinRequestsOf(db: DB, userId: string) {
  return joinRequestQuery(db).where("join_request.user_id", "=", userId).orderBy("join_request.created_at", "desc").limit(10).execute();
}

/** People to tell about a request to join: the group's members, the staff of its lead organisations, and (when it has none) the administrators. */
export async function joinRequestRecipients(
  db: DB,
  resource: { id: string; servingLeadOrganisationIds: readonly string[]; creatorOrganisationIds: readonly string[] },
) {
  const leadIds = [...new Set([...resource.servingLeadOrganisationIds, ...resource.creatorOrganisationIds])];
  const [members, staff] = await Promise.all([currentMembersOf(db, [resource.id]), currentMembersOf(db, leadIds)]);
  const admins = staff.length
    ? []
    : await db
        .selectFrom("membership")
        .innerJoin("user", "user.id", "membership.user_id")
        .select(["user.id", "user.email", "user.name"])
        .where("membership.role", "=", "admin")
        .where("membership.ended_at", "is", null)
        .where("user.disabled_at", "is", null)
        .execute();
  const seen = new Set<string>();
  return [...members, ...staff, ...admins].filter((p) => !seen.has(p.email) && Boolean(seen.add(p.email))).map(({ email, name }) => ({ email, name }));
}

import type { DB } from "../../db/client";
import type { RegisterEntry } from "~/domain/interests";

/**
 * The register of interests for a decision group's panel: every declaration
 * with the proposals it recuses the member from, in two queries. The recusal
 * rule matches recusedFrom() in recusal.server.ts: the proposal itself, its
 * applicant organisation, or one of the group's lead organisations.
 */
export async function listInterestRegister(db: DB, groupIds: readonly string[]) {
  if (groupIds.length === 0) return [];
  const [declarations, recusals] = await Promise.all([
    db
      .selectFrom("interest_declaration as d")
      .innerJoin("membership as m", "m.id", "d.membership_id")
      .innerJoin("user as u", "u.id", "d.user_id")
      .leftJoin("organisation as o", "o.id", "d.organisation_id")
      .leftJoin("proposal as p", "p.id", "d.proposal_id")
      .select([
        "d.id",
        "d.relationship",
        "d.is_pecuniary",
        "d.details",
        "d.created_at",
        "u.name as memberName",
        "m.constituency",
        "m.is_name_public",
        "m.decision_group_id",
        "o.name as organisationName",
        "p.reference as proposalReference",
        "p.title as proposalTitle",
      ])
      .where("m.decision_group_id", "in", groupIds)
      .where("m.role", "=", "panel_member")
      .orderBy("u.name")
      .orderBy("d.created_at")
      .execute(),
    db
      .selectFrom("interest_declaration as d")
      .innerJoin("membership as m", "m.id", "d.membership_id")
      .innerJoin("proposal", (join) => join.onRef("proposal.decision_group_id", "=", "m.decision_group_id"))
      .select(["d.id", "proposal.reference"])
      .where("m.decision_group_id", "in", groupIds)
      .where("proposal.status", "!=", "draft")
      .where((eb) =>
        eb.or([
          eb("d.proposal_id", "=", eb.ref("proposal.id")),
          eb("d.organisation_id", "=", eb.ref("proposal.organisation_id")),
          eb(
            "d.organisation_id",
            "in",
            eb.selectFrom("decision_group_lead_org as l").select("l.organisation_id").whereRef("l.decision_group_id", "=", "proposal.decision_group_id"),
          ),
        ]),
      )
      .orderBy("proposal.reference")
      .execute(),
  ]);
  return declarations.map((d) => {
    const entry: RegisterEntry & { id: string; groupId: string; details: string; declaredAt: string } = {
      id: d.id,
      groupId: d.decision_group_id!,
      memberName: d.memberName,
      constituency: d.constituency,
      isNamePublic: d.is_name_public === 1,
      relationship: d.relationship,
      isPecuniary: d.is_pecuniary === 1,
      subject: d.organisationName ?? `${d.proposalReference} ${d.proposalTitle ?? ""}`.trim(),
      recusedFrom: recusals.filter((r) => r.id === d.id).map((r) => r.reference),
      details: d.details,
      declaredAt: d.created_at,
    };
    return entry;
  });
}

import type { DB } from "../../db/client";
import { currentMembersOf } from "./membership.server";

/** A community group's profile, or undefined. */
export function getGroupProfile(db: DB, organisationId: string) {
  return db
    .selectFrom("organisation")
    .select(["id", "name", "kind", "org_type", "registration_number", "address", "postcode", "contact_name", "contact_email", "contact_phone"])
    .where("id", "=", organisationId)
    .where("kind", "=", "community_group")
    .executeTakeFirst();
}

/** The people in a group, and the invitations still waiting. */
export async function listGroupMembers(db: DB, organisationId: string, now = new Date()) {
  const [members, invitations] = await Promise.all([
    currentMembersOf(db, [organisationId]).then((rows) =>
      rows.map(({ id, name, email }) => ({ id, name, email })).sort((a, b) => a.name.localeCompare(b.name, "en-GB")),
    ),
    db
      .selectFrom("invitation")
      .select(["id", "name", "email", "expires_at"])
      .where("organisation_id", "=", organisationId)
      .where("role", "=", "applicant")
      .where("accepted_at", "is", null)
      .where("expires_at", ">", now.toISOString())
      .orderBy("created_at", "desc")
      .execute(),
  ]);
  return { members, invitations };
}

/** Community groups that are not online (nobody currently belongs to them), for a lead organisation choosing whom it is helping. */
export function listOfflineCommunityGroups(db: DB) {
  return db
    .selectFrom("organisation")
    .select(["organisation.id", "organisation.name"])
    .where("organisation.kind", "=", "community_group")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("membership")
            .select("membership.id")
            .whereRef("membership.organisation_id", "=", "organisation.id")
            .where("membership.role", "=", "applicant")
            .where("membership.ended_at", "is", null),
        ),
      ),
    )
    .orderBy("organisation.name")
    .execute();
}

/**
 * Who to contact about a decision group: each lead organisation with an
 * email address: its own contact address, or else its first active staff member's.
 */
export async function listLeadContacts(db: DB, decisionGroupId: string) {
  const leads = await db
    .selectFrom("decision_group_lead_org")
    .innerJoin("organisation", "organisation.id", "decision_group_lead_org.organisation_id")
    .select(["organisation.id", "organisation.name", "organisation.contact_email", "organisation.contact_phone"])
    .where("decision_group_lead_org.decision_group_id", "=", decisionGroupId)
    .orderBy("organisation.name")
    .execute();
  const ids = leads.map((l) => l.id);
  const staff = await currentMembersOf(db, ids);
  return leads.map((lead) => ({
    id: lead.id,
    name: lead.name,
    email: lead.contact_email ?? staff.find((s) => s.organisation_id === lead.id)?.email ?? null,
    phone: lead.contact_phone,
  }));
}

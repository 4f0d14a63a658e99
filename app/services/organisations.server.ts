import { sql } from "kysely";
import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import { findDuplicateGroups } from "~/domain/group-names";
import type { GroupProfile } from "~/domain/forms/organisation";
import { can, type Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { listKnownGroups } from "~/models/community-group.server";
import { newId, nowIso } from "~/utils/ids.server";
import { inviteToGroup } from "./group-membership.server";
import { startMembership } from "./memberships.server";
import { startProposal } from "./proposals.server";
import type { Submission } from "~/domain/submissions";
import { inTransactionOnce } from "./submissions.server";

const profileColumns = (profile: GroupProfile) => ({
  name: profile.name,
  org_type: profile.orgType,
  registration_number: profile.registrationNumber,
  address: profile.address,
  postcode: profile.postcode,
  contact_name: profile.contactName,
  contact_email: profile.contactEmail,
  contact_phone: profile.contactPhone,
});

/**
 * Someone creates a community group's profile and becomes its first member;
 * the session they did it from acts as that member from now on. Returns the
 * organisation's id.
 */
export async function createGroupProfile(
  db: DB,
  actor: Actor,
  profile: GroupProfile,
  sessionId: string | null,
  options: { isDifferentGroupConfirmed?: boolean; submission?: Submission | null } = {},
): Promise<string> {
  if (!can(actor, "organisation.create_profile")) throw new DomainError("Sign in to set up your group.");
  return inTransactionOnce(db, actor.id, options.submission, async (trx) => {
    // A group already on the portal is joined, not set up twice, unless the person confirms theirs is a different one.
    const duplicates = findDuplicateGroups(profile, await listKnownGroups(trx));
    if (duplicates.length && !options.isDifferentGroupConfirmed) {
      throw new DomainError(`${duplicates[0]!.group.name} is already on the portal. Ask to join it, or confirm your group is a different one.`, "name");
    }
    const org = { id: newId(), kind: "community_group" as const, created_at: nowIso(), created_by: actor.id, ...profileColumns(profile) };
    await trx.insertInto("organisation").values(org).execute();
    const confirmed = duplicates.length ? { confirmed_different_from: duplicates.map((d) => d.group.id) } : {};
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "organisation.created",
      entityType: "organisation",
      entityId: org.id,
      after: { ...org, ...confirmed },
    });
    const membershipId = await startMembership(trx, actor.id, { userId: actor.id, role: "applicant", organisationId: org.id });
    if (sessionId) await trx.updateTable("session").set({ membership_id: membershipId }).where("id", "=", sessionId).where("user_id", "=", actor.id).execute();
    return org.id;
  });
}

/** A member of a community group changes its profile. */
export async function updateGroupProfile(db: DB, actor: Actor, organisationId: string, profile: GroupProfile): Promise<void> {
  if (!can(actor, "organisation.edit", { type: "organisation", id: organisationId })) {
    throw new DomainError("Only members of this group can change its profile.");
  }
  await inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("organisation")
      .select(["name", "org_type", "registration_number", "address", "postcode", "contact_name", "contact_email", "contact_phone"])
      .where("id", "=", organisationId)
      .where("kind", "=", "community_group")
      .executeTakeFirst();
    if (!before) throw new DomainError("We could not find your group.");
    const after = profileColumns(profile);
    await trx.updateTable("organisation").set(after).where("id", "=", organisationId).execute();
    await appendAuditEvent(trx, { actor: actor.id, action: "organisation.updated", entityType: "organisation", entityId: organisationId, before, after });
  });
}

/**
 * A member invites someone else to join their group: a single-use link,
 * valid for 7 days. Someone new gets an applicant account in this group;
 * someone who already has an account adds the group to it on accepting.
 */
export async function inviteGroupMember(db: DB, actor: Actor, input: { name: string; email: string }, now = new Date()) {
  if (!actor.organisationId) throw new DomainError("Set up your group's profile before you invite anyone.");
  return inviteToGroup(db, actor, actor.organisationId, input, now);
}

/**
 * A lead organisation records a community group that is not online (a name
 * only), inside the caller's transaction. Refuses a name already in use.
 */
async function createOfflineGroup(trx: DB, actor: Actor, name: string): Promise<string> {
  if (!can(actor, "proposal.start_for_group")) throw new DomainError("Only a lead organisation can add a group this way.");
  const clash = await trx
    .selectFrom("organisation")
    .select("id")
    .where(sql<string>`lower(name)`, "=", name.trim().toLowerCase())
    .executeTakeFirst();
  if (clash) throw new DomainError(`There is already a group called "${name.trim()}". Choose it from the list instead.`, "newGroupName");
  const org = {
    id: newId(),
    name: name.trim(),
    kind: "community_group" as const,
    created_at: nowIso(),
    created_by: actor.id,
    org_type: null,
    registration_number: null,
    address: null,
    postcode: null,
    contact_name: null,
    contact_email: null,
    contact_phone: null,
  };
  await trx.insertInto("organisation").values(org).execute();
  await appendAuditEvent(trx, {
    actor: actor.id,
    action: "organisation.created_offline",
    entityType: "organisation",
    entityId: org.id,
    after: { ...org, recorded_by_organisation_id: actor.organisationId },
  });
  return org.id;
}

/**
 * A lead organisation starts a proposal for a group that has no record yet:
 * the group and the draft are created together, or neither is (an
 * ineligible answer leaves no stray group behind).
 */
export async function startProposalForNewGroup(
  db: DB,
  actor: Actor,
  input: { decisionGroupId: string; groupName: string; eligibilityAnswers: Record<string, string> },
  submission?: Submission | null,
): Promise<string> {
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    const organisationId = await createOfflineGroup(trx, actor, input.groupName);
    return startProposal(trx, actor, { decisionGroupId: input.decisionGroupId, organisationId, eligibilityAnswers: input.eligibilityAnswers });
  });
}

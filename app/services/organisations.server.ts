import { sql } from "kysely";
import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import type { GroupProfile } from "~/domain/forms/organisation";
import { can, type Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { queueEmail } from "~/models/outbox.server";
import { findUserByEmail, normaliseEmail } from "~/models/user.server";
import { getEnv } from "~/utils/env.server";
import { newId, newToken, nowIso, sha256 } from "~/utils/ids.server";
import { INVITATION_TTL_MS } from "./accounts.server";
import { startMembership } from "./memberships.server";
import { startProposal } from "./proposals.server";

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
export async function createGroupProfile(db: DB, actor: Actor, profile: GroupProfile, sessionId: string | null): Promise<string> {
  if (!can(actor, "organisation.create_profile")) throw new DomainError("Sign in to set up your group.");
  return inTransaction(db, async (trx) => {
    const org = { id: newId(), kind: "community_group" as const, created_at: nowIso(), created_by: actor.id, ...profileColumns(profile) };
    await trx.insertInto("organisation").values(org).execute();
    await appendAuditEvent(trx, { actor: actor.id, action: "organisation.created", entityType: "organisation", entityId: org.id, after: org });
    const membershipId = await startMembership(trx, actor.id, { userId: actor.id, role: "applicant", organisationId: org.id });
    if (sessionId) await trx.updateTable("session").set({ membership_id: membershipId }).where("id", "=", sessionId).where("user_id", "=", actor.id).execute();
    return org.id;
  });
}

/** A member of a community group changes its profile. */
export async function updateGroupProfile(db: DB, actor: Actor, organisationId: string, profile: GroupProfile): Promise<void> {
  if (actor.role !== "applicant" || actor.organisationId !== organisationId) {
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
 * valid for 7 days, that creates an applicant account in this group.
 */
export async function inviteGroupMember(db: DB, actor: Actor, input: { name: string; email: string }, now = new Date()) {
  if (actor.role !== "applicant" || !actor.organisationId) {
    throw new DomainError("Set up your group's profile before you invite anyone.");
  }
  const organisationId = actor.organisationId;
  const email = normaliseEmail(input.email);
  const token = newToken();
  return inTransaction(db, async (trx) => {
    const group = await trx
      .selectFrom("organisation")
      .select(["id", "name"])
      .where("id", "=", organisationId)
      .where("kind", "=", "community_group")
      .executeTakeFirst();
    if (!group) throw new DomainError("We could not find your group.");
    if (await findUserByEmail(trx, email)) {
      throw new DomainError("Someone already has an account with this email address. Ask the fund administrator to add them to your group.", "inviteEmail");
    }
    const pending = await trx
      .selectFrom("invitation")
      .select("id")
      .where("email", "=", email)
      .where("organisation_id", "=", organisationId)
      .where("accepted_at", "is", null)
      .where("expires_at", ">", now.toISOString())
      .executeTakeFirst();
    if (pending) throw new DomainError("This person already has an invitation waiting. It lasts 7 days.", "inviteEmail");
    const invitation = {
      id: newId(),
      email,
      name: input.name,
      role: "applicant" as const,
      constituency: null,
      decision_group_id: null,
      organisation_id: organisationId,
      invited_by: actor.id,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + INVITATION_TTL_MS).toISOString(),
    };
    await trx.insertInto("invitation").values({ ...invitation, token_hash: sha256(token), accepted_at: null }).execute();
    await appendAuditEvent(trx, { actor: actor.id, action: "invitation.created", entityType: "invitation", entityId: invitation.id, after: invitation });
    await queueEmail(trx, {
      to: email,
      subject: `Join ${group.name} on the grant decision portal`,
      text: [
        `Hello ${input.name},`,
        "",
        `You have been invited to join ${group.name} on the grant decision portal, so you can help write and follow its proposals.`,
        "",
        `Set your password and join here: ${getEnv().APP_URL}/invitations/${token}`,
        "",
        "This link works once and expires in 7 days. If you were not expecting it, you can ignore this email.",
      ].join("\n"),
    });
    return { id: invitation.id, token };
  });
}

/**
 * A lead organisation records a community group that is not online (a name
 * only), inside the caller's transaction. Refuses a name already in use.
 */
async function createOfflineGroup(trx: DB, actor: Actor, name: string): Promise<string> {
  if (actor.role !== "lead_org" || !actor.organisationId) throw new DomainError("Only a lead organisation can add a group this way.");
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
): Promise<string> {
  return inTransaction(db, async (trx) => {
    const organisationId = await createOfflineGroup(trx, actor, input.groupName);
    return startProposal(trx, actor, { decisionGroupId: input.decisionGroupId, organisationId, eligibilityAnswers: input.eligibilityAnswers });
  });
}

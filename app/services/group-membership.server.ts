import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import { can, type Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { communityGroupResource, joinRequestRecipients } from "~/models/community-group.server";
import { queueEmail } from "~/models/outbox.server";
import { findUserByEmail, normaliseEmail } from "~/models/user.server";
import { getEnv } from "~/utils/env.server";
import { newId, newToken, sha256 } from "~/utils/ids.server";
import { INVITATION_TTL_MS } from "./accounts.server";
import { startMembership } from "./memberships.server";
import type { Submission } from "~/domain/submissions";
import { inTransactionOnce } from "./submissions.server";

/**
 * Bringing people into a community group that is already on the portal:
 * an invitation from the administrator, a lead organisation or a member
 * (accepted with acceptInvitation, which adds the group to an existing
 * account), and a request to join from someone who found their group
 * already there. Each write is authorised by can() on facts read in its
 * transaction, and audited.
 */

const NOT_A_GROUP = "We could not find that community group.";
const NOT_ALLOWED = "You cannot bring people into this group. Ask the fund administrator.";

async function isCurrentMember(trx: DB, userId: string, organisationId: string): Promise<boolean> {
  const row = await trx
    .selectFrom("membership")
    .select("id")
    .where("user_id", "=", userId)
    .where("role", "=", "applicant")
    .where("organisation_id", "=", organisationId)
    .where("ended_at", "is", null)
    .executeTakeFirst();
  return Boolean(row);
}

/**
 * Invites a person into a community group: a single-use link valid for 7
 * days. Someone new sets a password and gets an account in the group;
 * someone who already has an account enters their password and the group is
 * added to it. Returns the invitation's id and the link's token.
 */
export async function inviteToGroup(
  db: DB,
  actor: Actor,
  organisationId: string,
  input: { name: string; email: string; submission?: Submission | null },
  now = new Date(),
) {
  const email = normaliseEmail(input.email);
  const token = newToken();
  return inTransactionOnce(db, actor.id, input.submission, async (trx) => {
    const resource = await communityGroupResource(trx, organisationId);
    if (!resource) throw new DomainError(NOT_A_GROUP);
    if (!can(actor, "group_member.invite", resource)) throw new DomainError(NOT_ALLOWED);
    const group = await trx.selectFrom("organisation").select(["id", "name"]).where("id", "=", organisationId).executeTakeFirstOrThrow();
    const existing = await findUserByEmail(trx, email);
    if (existing && (await isCurrentMember(trx, existing.id, organisationId))) {
      throw new DomainError(`${existing.name} is already a member of ${group.name}.`, "inviteEmail");
    }
    const pending = await trx
      .selectFrom("invitation")
      .select("id")
      .where("email", "=", email)
      .where("organisation_id", "=", organisationId)
      .where("role", "=", "applicant")
      .where("accepted_at", "is", null)
      .where("expires_at", ">", now.toISOString())
      .executeTakeFirst();
    if (pending) throw new DomainError("This person already has an invitation to this group waiting. It lasts 7 days.", "inviteEmail");
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
    await trx
      .insertInto("invitation")
      .values({ ...invitation, token_hash: sha256(token), accepted_at: null })
      .execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "invitation.created",
      entityType: "invitation",
      entityId: invitation.id,
      after: { ...invitation, invited_as_role: actor.role, has_account: Boolean(existing) },
    });
    const link = `${getEnv().APP_URL}/invitations/${token}`;
    await queueEmail(trx, {
      to: email,
      subject: `Join ${group.name} on the grant decision portal`,
      text: [
        `Hello ${input.name},`,
        "",
        `You have been invited to join ${group.name} on the grant decision portal, so you can help write and follow its proposals.`,
        "",
        existing
          ? `You already have an account with this email address. Open this link and enter the password you sign in with, and ${group.name} is added to your account: ${link}`
          : `Set your password and join here: ${link}`,
        "",
        "This link works once and expires in 7 days. If you were not expecting it, you can ignore this email.",
      ].join("\n"),
    });
    return { id: invitation.id, token };
  });
}

/**
 * Someone setting up a group's profile found their group already on the
 * portal and asks to join it. Tells the group's members and its lead
 * organisations (or, when it has none, the administrators), with a link to
 * approve or refuse. Returns the request's id.
 */
export async function requestToJoinGroup(db: DB, actor: Actor, organisationId: string, input: { nameGiven: string; message: string }, now = new Date()) {
  return inTransaction(db, async (trx) => {
    const resource = await communityGroupResource(trx, organisationId);
    if (!resource) throw new DomainError("Choose the group you want to join from the list", "organisationId");
    const group = await trx.selectFrom("organisation").select(["id", "name"]).where("id", "=", organisationId).executeTakeFirstOrThrow();
    if (await isCurrentMember(trx, actor.id, organisationId)) throw new DomainError(`You are already a member of ${group.name}.`);
    const waiting = await trx
      .selectFrom("join_request")
      .select("id")
      .where("organisation_id", "=", organisationId)
      .where("user_id", "=", actor.id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (waiting) throw new DomainError(`You have already asked to join ${group.name}. We will email you when someone answers.`);
    const person = await trx.selectFrom("user").select(["name", "email"]).where("id", "=", actor.id).executeTakeFirstOrThrow();
    const request = {
      id: newId(),
      organisation_id: organisationId,
      user_id: actor.id,
      name_given: input.nameGiven || group.name,
      message: input.message,
      status: "pending" as const,
      created_at: now.toISOString(),
      decided_by: null,
      decided_at: null,
      refusal_reason: null,
      membership_id: null,
    };
    await trx.insertInto("join_request").values(request).execute();
    await appendAuditEvent(trx, { actor: actor.id, action: "join_request.created", entityType: "join_request", entityId: request.id, after: request });
    const link = `${getEnv().APP_URL}/join-requests/${request.id}`;
    for (const recipient of await joinRequestRecipients(trx, resource)) {
      await queueEmail(trx, {
        to: recipient.email,
        subject: `${person.name} asks to join ${group.name}`,
        text: [
          `Hello ${recipient.name},`,
          "",
          `${person.name} (${person.email}) asks to join ${group.name} on the grant decision portal, so they can help write and follow its proposals.`,
          ...(input.message ? ["", `Their message: ${input.message}`] : []),
          "",
          `If you know them and they belong to the group, approve the request. If not, refuse it with a reason they will read: ${link}`,
        ].join("\n"),
      });
    }
    return request.id;
  });
}

/**
 * Approves a request to join (the person becomes a member of the group) or
 * refuses it with a reason. Only while it is waiting; the person is told
 * either way.
 */
export async function decideJoinRequest(
  db: DB,
  actor: Actor,
  requestId: string,
  decision: { intent: "approve" } | { intent: "refuse"; reason: string },
  now = new Date(),
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const request = await trx.selectFrom("join_request").selectAll().where("id", "=", requestId).executeTakeFirst();
    if (!request) throw new DomainError("We could not find that request to join.");
    const resource = await communityGroupResource(trx, request.organisation_id);
    if (!resource || !can(actor, "join_request.decide", resource)) throw new DomainError(NOT_ALLOWED);
    if (request.status !== "pending") throw new DomainError("This request has already been answered.");
    const [group, person] = await Promise.all([
      trx.selectFrom("organisation").select("name").where("id", "=", request.organisation_id).executeTakeFirstOrThrow(),
      trx.selectFrom("user").select(["name", "email"]).where("id", "=", request.user_id).executeTakeFirstOrThrow(),
    ]);
    const stamp = now.toISOString();
    const before = { status: request.status };
    if (decision.intent === "approve") {
      const membershipId = await startMembership(trx, actor.id, { userId: request.user_id, role: "applicant", organisationId: request.organisation_id });
      const after = { status: "approved" as const, decided_by: actor.id, decided_at: stamp, membership_id: membershipId };
      await trx.updateTable("join_request").set(after).where("id", "=", request.id).where("status", "=", "pending").execute();
      await appendAuditEvent(trx, { actor: actor.id, action: "join_request.approved", entityType: "join_request", entityId: request.id, before, after });
      await queueEmail(trx, {
        to: person.email,
        subject: `You are now a member of ${group.name}`,
        text: [
          `Hello ${person.name},`,
          "",
          `Your request to join ${group.name} on the grant decision portal has been approved. Sign in to see the group's proposals and help with them: ${getEnv().APP_URL}/login`,
        ].join("\n"),
      });
    } else {
      const after = { status: "refused" as const, decided_by: actor.id, decided_at: stamp, refusal_reason: decision.reason };
      await trx.updateTable("join_request").set(after).where("id", "=", request.id).where("status", "=", "pending").execute();
      await appendAuditEvent(trx, { actor: actor.id, action: "join_request.refused", entityType: "join_request", entityId: request.id, before, after });
      await queueEmail(trx, {
        to: person.email,
        subject: `Your request to join ${group.name}`,
        text: [
          `Hello ${person.name},`,
          "",
          `Your request to join ${group.name} on the grant decision portal was not approved. The reason given:`,
          "",
          decision.reason,
          "",
          `If your group is a different group with a similar name, sign in and set up its profile, saying it is a different group: ${getEnv().APP_URL}/applicant/group`,
        ].join("\n"),
      });
    }
  });
}

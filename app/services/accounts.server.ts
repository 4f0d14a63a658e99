import { inTransaction, type DB } from "../../db/client";
import type { Constituency, Role } from "../../db/schema";
import { hashPassword, passwordProblem, verifyPassword } from "~/auth/password.server";
import { createSession, destroySession, destroyUserSessions } from "~/auth/session.server";
import { DomainError } from "~/domain/errors";
import { can, type Actor } from "~/domain/permissions";
import { INVITABLE_ROLES, ROLE_HAS_CONSTITUENCY, ROLE_LABELS, ROLE_MAY_COVER_FUND, ROLE_SCOPE } from "~/domain/roles";
import { appendAuditEvent } from "~/models/audit.server";
import { queueEmail } from "~/models/outbox.server";
import { findUserByEmail, normaliseEmail } from "~/models/user.server";
import { getEnv } from "~/utils/env.server";
import { startMembership } from "./memberships.server";
import { newId, newToken, nowIso, sha256 } from "~/utils/ids.server";
import type { Submission } from "~/domain/submissions";
import { inTransactionOnce } from "./submissions.server";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;

function assertPasswordAllowed(password: string) {
  const problem = passwordProblem(password);
  if (problem) throw new DomainError(problem, "password");
}

/** The applicant's account, with its user.registered event. Call inside the transaction, with the email free. */
async function insertApplicant(trx: DB, user: { email: string; name: string }, passwordHash: string): Promise<string> {
  const id = newId();
  const now = nowIso();
  const row = { id, email: user.email, name: user.name };
  await trx
    .insertInto("user")
    .values({ ...row, password_hash: passwordHash, disabled_at: null, created_at: now, updated_at: now })
    .execute();
  await appendAuditEvent(trx, { actor: id, action: "user.registered", entityType: "user", entityId: id, after: row });
  return id;
}

/**
 * Creates an applicant's account at once, without the emailed confirmation
 * the register page asks for: for the demo data and tests. Returns the id.
 */
export async function registerApplicant(db: DB, input: { name: string; email: string; password: string }) {
  assertPasswordAllowed(input.password);
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password); // before the transaction: it is slow
  return inTransaction(db, async (trx) => {
    if (await findUserByEmail(trx, email)) throw new DomainError("Someone already has an account with this email address.", "email");
    return insertApplicant(trx, { email, name: input.name }, passwordHash);
  });
}

export const REGISTRATION_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The register page: emails the address either a link that finishes creating
 * the account (a new address) or, when the address already has an account, a
 * note telling its owner that someone tried, with links to sign in and to reset
 * the password. The page answers the same either way and the work is the same
 * (the password is hashed, one email queued, one audit event), so the page
 * cannot be used to find out who has an account. Nothing is created until the
 * link is opened. Throws a DomainError only for the password itself.
 */
export async function requestRegistration(db: DB, input: { name: string; email: string; password: string }, now = new Date()): Promise<void> {
  assertPasswordAllowed(input.password);
  const email = normaliseEmail(input.email);
  const token = newToken();
  const passwordHash = await hashPassword(input.password); // in both cases, so both take as long
  const appUrl = getEnv().APP_URL;
  await inTransaction(db, async (trx) => {
    const existing = await findUserByEmail(trx, email);
    if (existing) {
      await appendAuditEvent(trx, { actor: "system", action: "registration.existing_account", entityType: "user", entityId: existing.id });
      await queueEmail(trx, {
        to: email,
        subject: "Someone tried to create an account with your email address",
        text: [
          `Hello ${existing.name},`,
          "",
          "Someone tried to create a new account on the grant decision portal with this email address. You already have an account, so no new one was made and nothing about your account has changed.",
          "",
          `If it was you, sign in here: ${appUrl}/login`,
          `If you have forgotten your password, you can reset it here: ${appUrl}/forgot-password`,
          "",
          "If it was not you, you can ignore this email.",
        ].join("\n"),
      });
      return;
    }
    const id = newId();
    await trx
      .insertInto("registration_request")
      .values({
        id,
        token_hash: sha256(token),
        email,
        name: input.name,
        password_hash: passwordHash,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + REGISTRATION_TTL_MS).toISOString(),
        used_at: null,
      })
      .execute();
    await appendAuditEvent(trx, { actor: "system", action: "registration.requested", entityType: "registration_request", entityId: id });
    await queueEmail(trx, {
      to: email,
      subject: "Confirm your email address to finish creating your account",
      text: [
        `Hello ${input.name},`,
        "",
        `To finish creating your account on the grant decision portal, open this link: ${appUrl}/register/confirm/${token}`,
        "",
        "This link works once and expires in 24 hours. If you did not ask for an account, you can ignore this email: nothing has been created.",
      ].join("\n"),
    });
  });
}

const REGISTRATION_GONE = "This link has already been used or has expired. Create your account again, or sign in if you already have one.";

/** True when the emailed registration link can still finish creating an account. */
export async function isUsableRegistrationToken(db: DB, token: string, now = new Date()): Promise<boolean> {
  const row = await db
    .selectFrom("registration_request")
    .select("id")
    .where("token_hash", "=", sha256(token))
    .where("used_at", "is", null)
    .where("expires_at", ">", now.toISOString())
    .executeTakeFirst();
  return Boolean(row);
}

/**
 * Finishes a registration from its emailed link: creates the account with the
 * name and password given on the register page. Single use; every other link
 * for the same address dies with it. Returns the new user's id.
 */
export async function confirmRegistration(db: DB, token: string, now = new Date()): Promise<string> {
  return inTransaction(db, async (trx) => {
    const claimed = await trx
      .updateTable("registration_request")
      .set({ used_at: now.toISOString() })
      .where("token_hash", "=", sha256(token))
      .where("used_at", "is", null)
      .where("expires_at", ">", now.toISOString())
      .returning(["id", "email", "name", "password_hash"])
      .executeTakeFirst();
    if (!claimed) throw new DomainError(REGISTRATION_GONE);
    if (await findUserByEmail(trx, claimed.email)) throw new DomainError(REGISTRATION_GONE);
    await trx.updateTable("registration_request").set({ used_at: now.toISOString() }).where("email", "=", claimed.email).where("used_at", "is", null).execute();
    return insertApplicant(trx, { email: claimed.email, name: claimed.name }, claimed.password_hash);
  });
}

/** Starts a session for a user who proved who they are; returns the Set-Cookie header (named for the sign-in request's protocol). */
export async function signIn(db: DB, userId: string, request: Request): Promise<string> {
  return inTransaction(db, async (trx) => {
    const cookie = await createSession(trx, userId, new Date(), request);
    // Whoever signs in knows their password, so a reset link still in their mailbox is of no use to them, only to a thief.
    await endResetLinks(trx, userId);
    await appendAuditEvent(trx, { actor: userId, action: "user.signed_in", entityType: "user", entityId: userId });
    return cookie;
  });
}

/** Ends this request's session; returns the Set-Cookie header that clears it. */
export async function signOut(db: DB, request: Request, userId: string | null): Promise<string> {
  return inTransaction(db, async (trx) => {
    const cookie = await destroySession(trx, request);
    if (userId) await appendAuditEvent(trx, { actor: userId, action: "user.signed_out", entityType: "user", entityId: userId });
    return cookie;
  });
}

export interface InvitationInput {
  name: string;
  email: string;
  role: Role;
  constituency?: Constituency | null;
  decisionGroupId?: string | null;
  organisationId?: string | null;
  /** A specialist adviser for a whole fund, instead of one decision group. */
  fundId?: string | null;
}

/** An administrator invites someone to a non-applicant role: a single-use link valid for 7 days. */
export async function inviteUser(db: DB, actor: Actor, input: InvitationInput & { submission?: Submission | null }, now = new Date()) {
  if (!can(actor, "invitation.create")) throw new DomainError("Only a fund administrator can invite people.");
  return inTransactionOnce(db, actor.id, input.submission, (trx) => insertInvitation(trx, actor, input, now));
}

/**
 * The invitation itself, with its audit event and email, inside the caller's
 * transaction: inviteUser's own, or the bulk invitation's (one for the whole file).
 * Throws a DomainError when the person already has the role or a scope is unknown.
 */
export async function insertInvitation(trx: DB, actor: Actor, input: InvitationInput, now = new Date()): Promise<{ id: string; token: string }> {
  if (!can(actor, "invitation.create")) throw new DomainError("Only a fund administrator can invite people.");
  const actorId = actor.id;
  // The role chosen on the invitation form, and what it is scoped to (ROLE_SCOPE): form input, not an access check.
  const invited = input.role;
  if (!INVITABLE_ROLES.includes(invited)) throw new DomainError("Applicants register themselves; they are not invited.", "role");
  const scope = ROLE_SCOPE[invited];
  // An adviser covers one decision group or a whole fund, never both; no other role covers a fund.
  const fundId = input.fundId || null;
  if (fundId && !ROLE_MAY_COVER_FUND[invited]) throw new DomainError("Only specialist advisers can be invited for a whole fund.", "fundId");
  if (fundId && input.decisionGroupId) throw new DomainError("Choose either a decision group or a whole fund for the adviser, not both", "fundId");
  const email = normaliseEmail(input.email);
  const token = newToken();
  const existing = await findUserByEmail(trx, email);
  if (existing) {
    let current = trx.selectFrom("membership").select("id").where("user_id", "=", existing.id).where("role", "=", input.role).where("ended_at", "is", null);
    current = scope === "organisation" ? current.where("organisation_id", "=", input.organisationId ?? "") : current;
    if (fundId) current = current.where("fund_id", "=", fundId);
    else if (scope === "decision_group") current = current.where("decision_group_id", "=", input.decisionGroupId ?? "");
    if (await current.executeTakeFirst()) throw new DomainError("This person already has that role.", "email");
  }
  if (input.decisionGroupId) {
    const group = await trx.selectFrom("decision_group").select("id").where("id", "=", input.decisionGroupId).executeTakeFirst();
    if (!group) throw new DomainError("Choose a decision group from the list", "decisionGroupId");
  }
  if (fundId) {
    const fund = await trx.selectFrom("fund").select("id").where("id", "=", fundId).executeTakeFirst();
    if (!fund) throw new DomainError("Choose a fund from the list", "fundId");
  }
  if (input.organisationId) {
    const org = await trx.selectFrom("organisation").select("id").where("id", "=", input.organisationId).where("kind", "=", "lead_org").executeTakeFirst();
    if (!org) throw new DomainError("Choose a lead organisation from the list", "organisationId");
  }
  const invitation = {
    id: newId(),
    email,
    name: input.name,
    role: input.role,
    constituency: ROLE_HAS_CONSTITUENCY[invited] ? (input.constituency ?? null) : null,
    decision_group_id: scope === "decision_group" ? (input.decisionGroupId ?? null) : null,
    organisation_id: scope === "organisation" ? (input.organisationId ?? null) : null,
    fund_id: fundId,
    invited_by: actorId,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + INVITATION_TTL_MS).toISOString(),
  };
  await trx
    .insertInto("invitation")
    .values({ ...invitation, token_hash: sha256(token), accepted_at: null })
    .execute();
  await appendAuditEvent(trx, { actor: actorId, action: "invitation.created", entityType: "invitation", entityId: invitation.id, after: invitation });
  const link = `${getEnv().APP_URL}/invitations/${token}`;
  await queueEmail(trx, {
    to: email,
    subject: "You are invited to the grant decision portal",
    text: [
      `Hello ${input.name},`,
      "",
      `You have been invited to join the grant decision portal as: ${ROLE_LABELS[input.role]}.`,
      "",
      existing
        ? `You already have an account: open this link and enter your password to add this role to it: ${link}`
        : `Set your password and join here: ${link}`,
      "",
      "This link works once and expires in 7 days. If you were not expecting it, you can ignore this email.",
    ].join("\n"),
  });
  return { id: invitation.id, token };
}

const INVITATION_GONE = "This invitation link has already been used or has expired. Ask the fund administrator for a new one.";

/** The invitation behind a link, or a DomainError saying why it cannot be used. */
export async function getUsableInvitation(db: DB, token: string, now = new Date()) {
  const invitation = await db
    .selectFrom("invitation")
    .select(["id", "email", "name", "role", "constituency", "organisation_id", "expires_at", "accepted_at"])
    .where("token_hash", "=", sha256(token))
    .executeTakeFirst();
  if (!invitation || invitation.accepted_at || invitation.expires_at <= now.toISOString()) {
    throw new DomainError(INVITATION_GONE);
  }
  return invitation;
}

/**
 * Turns an invitation into a membership. Someone new gets an account with the
 * password they choose; someone who already has an account proves it with
 * their password and keeps it, with one more membership. Single use: a second
 * attempt fails. Returns the user's id.
 */
export async function acceptInvitation(db: DB, token: string, input: { name: string; password: string }, now = new Date()) {
  const invitation = await getUsableInvitation(db, token, now);
  const existing = await findUserByEmail(db, invitation.email);
  // Slow work before the transaction: checking or hashing the password.
  if (existing) {
    if (!(await verifyPassword(input.password, existing.password_hash))) {
      throw new DomainError("That is not the password for this account. Enter the password you sign in with", "password");
    }
  } else {
    assertPasswordAllowed(input.password);
  }
  const passwordHash = existing ? null : await hashPassword(input.password);
  return inTransaction(db, async (trx) => {
    const claimed = await trx
      .updateTable("invitation")
      .set({ accepted_at: now.toISOString() })
      .where("token_hash", "=", sha256(token))
      .where("accepted_at", "is", null)
      .where("expires_at", ">", now.toISOString())
      .returning(["id", "email", "role", "constituency", "decision_group_id", "organisation_id", "fund_id", "invited_by"])
      .executeTakeFirst();
    if (!claimed) throw new DomainError(INVITATION_GONE);
    let id = existing?.id;
    if (!id) {
      if (await findUserByEmail(trx, claimed.email)) throw new DomainError("Someone already has an account with this email address. Sign in instead.");
      id = newId();
      const stamp = now.toISOString();
      const user = { id, email: claimed.email, name: input.name };
      await trx
        .insertInto("user")
        .values({ ...user, password_hash: passwordHash!, disabled_at: null, created_at: stamp, updated_at: stamp })
        .execute();
      await appendAuditEvent(trx, { actor: id, action: "user.created", entityType: "user", entityId: id, after: user });
    }
    await appendAuditEvent(trx, { actor: id, action: "invitation.accepted", entityType: "invitation", entityId: claimed.id, after: { userId: id } });
    await startMembership(trx, id, {
      userId: id,
      role: claimed.role,
      organisationId: claimed.organisation_id,
      decisionGroupId: claimed.decision_group_id,
      fundId: claimed.fund_id,
      constituency: claimed.constituency,
    });
    return id;
  });
}

/**
 * Emails a single-use reset link if the address has an enabled account.
 * Says nothing either way, so the page cannot be used to find accounts.
 */
export async function requestPasswordReset(db: DB, rawEmail: string, now = new Date()): Promise<void> {
  const email = normaliseEmail(rawEmail);
  const token = newToken();
  await inTransaction(db, async (trx) => {
    const user = await findUserByEmail(trx, email);
    if (!user || user.disabled_at) return;
    const id = newId();
    await trx
      .insertInto("password_reset")
      .values({
        id,
        token_hash: sha256(token),
        user_id: user.id,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + PASSWORD_RESET_TTL_MS).toISOString(),
        used_at: null,
      })
      .execute();
    await appendAuditEvent(trx, { actor: user.id, action: "password_reset.requested", entityType: "user", entityId: user.id });
    await queueEmail(trx, {
      to: email,
      subject: "Reset your password",
      text: [
        `Hello ${user.name},`,
        "",
        `Someone asked to reset the password for your account. To choose a new password, open: ${getEnv().APP_URL}/reset-password/${token}`,
        "",
        "This link works once and expires in 1 hour. If you did not ask for it, you can ignore this email: your password has not changed.",
      ].join("\n"),
    });
  });
}

const RESET_GONE = "This reset link has already been used or has expired. Ask for a new one.";

/** Every reset link the user has not used yet stops working (marked used): called at a reset and at a sign-in. */
async function endResetLinks(trx: DB, userId: string, now = new Date()): Promise<void> {
  await trx.updateTable("password_reset").set({ used_at: now.toISOString() }).where("user_id", "=", userId).where("used_at", "is", null).execute();
}

export async function isUsableResetToken(db: DB, token: string, now = new Date()): Promise<boolean> {
  const row = await db
    .selectFrom("password_reset")
    .select("id")
    .where("token_hash", "=", sha256(token))
    .where("used_at", "is", null)
    .where("expires_at", ">", now.toISOString())
    .executeTakeFirst();
  return Boolean(row);
}

/** Sets a new password from a reset link, uses the link up, and ends every session the user had. */
export async function resetPassword(db: DB, token: string, password: string, now = new Date()): Promise<string> {
  assertPasswordAllowed(password);
  const passwordHash = await hashPassword(password);
  return inTransaction(db, async (trx) => {
    const claimed = await trx
      .updateTable("password_reset")
      .set({ used_at: now.toISOString() })
      .where("token_hash", "=", sha256(token))
      .where("used_at", "is", null)
      .where("expires_at", ">", now.toISOString())
      .returning(["id", "user_id"])
      .executeTakeFirst();
    if (!claimed) throw new DomainError(RESET_GONE);
    await trx.updateTable("user").set({ password_hash: passwordHash, updated_at: now.toISOString() }).where("id", "=", claimed.user_id).execute();
    await endResetLinks(trx, claimed.user_id, now);
    await destroyUserSessions(trx, claimed.user_id);
    await appendAuditEvent(trx, { actor: claimed.user_id, action: "password.reset", entityType: "user", entityId: claimed.user_id });
    return claimed.user_id;
  });
}

/** Disables or re-enables an account. Disabling ends all of that user's sessions at once. */
export async function setUserDisabled(db: DB, actor: Actor, userId: string, isDisabled: boolean, now = new Date()) {
  if (!can(actor, "user.disable")) throw new DomainError("Only a fund administrator can disable or enable accounts.");
  const actorId = actor.id;
  if (actorId === userId && isDisabled) throw new DomainError("You cannot disable your own account.");
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom("user").select(["id", "disabled_at"]).where("id", "=", userId).executeTakeFirst();
    if (!before) throw new DomainError("That account does not exist.");
    const disabled_at = isDisabled ? (before.disabled_at ?? now.toISOString()) : null;
    await trx.updateTable("user").set({ disabled_at, updated_at: now.toISOString() }).where("id", "=", userId).execute();
    if (isDisabled) await destroyUserSessions(trx, userId);
    await appendAuditEvent(trx, {
      actor: actorId,
      action: isDisabled ? "user.disabled" : "user.enabled",
      entityType: "user",
      entityId: userId,
      before: { disabled_at: before.disabled_at },
      after: { disabled_at },
    });
  });
}

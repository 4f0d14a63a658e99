import { inTransaction, type DB } from "../../db/client";
import type { Constituency, Role } from "../../db/schema";
import { DomainError } from "~/domain/errors";
import { can, type Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { newId, nowIso } from "~/utils/ids.server";

export interface MembershipInput {
  userId: string;
  role: Role;
  organisationId?: string | null;
  decisionGroupId?: string | null;
  fundId?: string | null;
  constituency?: Constituency | null;
  isChair?: boolean;
}

/**
 * Gives a person a membership, inside the caller's transaction, and audits it.
 * A membership with the same role and scope that had ended is reopened rather
 * than duplicated; one that is current is returned as it is. Returns its id.
 */
export async function startMembership(trx: DB, actorId: string, input: MembershipInput): Promise<string> {
  const scope = {
    organisation_id: input.organisationId ?? null,
    decision_group_id: input.decisionGroupId ?? null,
    fund_id: input.fundId ?? null,
  };
  let query = trx.selectFrom("membership").select(["id", "ended_at"]).where("user_id", "=", input.userId).where("role", "=", input.role);
  for (const [column, value] of Object.entries(scope) as [keyof typeof scope, string | null][]) {
    query = value === null ? query.where(column, "is", null) : query.where(column, "=", value);
  }
  const existing = await query.executeTakeFirst();
  const stamp = nowIso();
  const details = { constituency: input.constituency ?? null, is_chair: input.isChair ? (1 as const) : (0 as const) };
  if (existing && existing.ended_at === null) return existing.id;
  if (existing) {
    await trx
      .updateTable("membership")
      .set({ ...details, ended_at: null, started_at: stamp, interests_declared_at: null })
      .where("id", "=", existing.id)
      .execute();
    await appendAuditEvent(trx, {
      actor: actorId,
      action: "membership.restarted",
      entityType: "membership",
      entityId: existing.id,
      before: { ended_at: existing.ended_at },
      after: { ended_at: null, started_at: stamp, ...details },
    });
    return existing.id;
  }
  const row = {
    id: newId(),
    user_id: input.userId,
    role: input.role,
    ...scope,
    ...details,
    interests_declared_at: null,
    started_at: stamp,
    ended_at: null,
    created_by: actorId,
  };
  await trx.insertInto("membership").values(row).execute();
  await appendAuditEvent(trx, { actor: actorId, action: "membership.started", entityType: "membership", entityId: row.id, after: row });
  return row.id;
}

/** An administrator ends a membership; the person keeps their account, and history keeps the membership. */
export async function endMembership(db: DB, actor: Actor, membershipId: string): Promise<void> {
  if (!can(actor, "user.disable")) throw new DomainError("Only a fund administrator can end someone's role.");
  const actorId = actor.id;
  await inTransaction(db, async (trx) => {
    const membership = await trx.selectFrom("membership").select(["id", "user_id", "ended_at"]).where("id", "=", membershipId).executeTakeFirst();
    if (!membership) throw new DomainError("We could not find that role.");
    if (membership.ended_at) throw new DomainError("That role has already ended.");
    if (membership.id === actor.membershipId) throw new DomainError("You cannot end the role you are acting in. Ask another administrator.");
    const stamp = nowIso();
    await trx.updateTable("membership").set({ ended_at: stamp, is_chair: 0 }).where("id", "=", membershipId).execute();
    await appendAuditEvent(trx, {
      actor: actorId,
      action: "membership.ended",
      entityType: "membership",
      entityId: membershipId,
      before: { ended_at: null },
      after: { ended_at: stamp },
    });
  });
}

/** The session acts under another of the person's current memberships from now on. */
export async function wearMembership(db: DB, sessionId: string, userId: string, membershipId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const membership = await trx
      .selectFrom("membership")
      .select("id")
      .where("id", "=", membershipId)
      .where("user_id", "=", userId)
      .where("ended_at", "is", null)
      .executeTakeFirst();
    if (!membership) throw new DomainError("Choose one of your roles", "membershipId");
    await trx.updateTable("session").set({ membership_id: membership.id }).where("id", "=", sessionId).where("user_id", "=", userId).execute();
    await appendAuditEvent(trx, { actor: userId, action: "membership.worn", entityType: "membership", entityId: membership.id });
  });
}

import { inTransaction, type DB } from "../../db/client";
import { deleteUserSession, deleteUserSessionsExcept } from "~/auth/session-list.server";
import { DomainError } from "~/domain/errors";
import { appendAuditEvent } from "~/models/audit.server";

const ALREADY_ENDED = "That session has already ended. The list below shows the sessions still signed in.";

/**
 * Signs one of the person's own sessions out (ownership is in the delete's
 * WHERE clause, so another person's session id ends nothing). Audited like
 * signing out. Throws a DomainError when there was no such session of theirs.
 */
export async function endOwnSession(db: DB, userId: string, sessionId: string, currentSessionId: string | null): Promise<{ wasCurrent: boolean }> {
  return inTransaction(db, async (trx) => {
    if (!(await deleteUserSession(trx, userId, sessionId))) throw new DomainError(ALREADY_ENDED);
    const wasCurrent = sessionId === currentSessionId;
    await appendAuditEvent(trx, {
      actor: userId,
      action: wasCurrent ? "user.signed_out" : "user.session_ended",
      entityType: "user",
      entityId: userId,
      after: { wasCurrent },
    });
    return { wasCurrent };
  });
}

/**
 * "Sign out everywhere": ends every session the person has, or every one but
 * `keepSessionId` ("everywhere else"). Returns how many ended; writes one
 * audit event with the count.
 */
export async function signOutEverywhere(db: DB, userId: string, keepSessionId: string | null): Promise<number> {
  return inTransaction(db, async (trx) => {
    const ended = await deleteUserSessionsExcept(trx, userId, keepSessionId);
    await appendAuditEvent(trx, {
      actor: userId,
      action: "user.signed_out_everywhere",
      entityType: "user",
      entityId: userId,
      after: { sessionsEnded: ended, keptThisSession: keepSessionId !== null },
    });
    return ended;
  });
}

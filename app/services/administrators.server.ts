import { inTransaction, type DB } from "../../db/client";
import { hashPassword, passwordProblem } from "~/auth/password.server";
import { DomainError } from "~/domain/errors";
import { isDemoEmail } from "~/domain/portal-mode";
import { appendAuditEvent } from "~/models/audit.server";
import { findUserByEmail, normaliseEmail } from "~/models/user.server";
import { newId, nowIso } from "~/utils/ids.server";
import { startMembership } from "./memberships.server";

/**
 * Creates an administrator's account from the command line (npm run
 * admin:create): how a deployment, which has no demo accounts, gets its first
 * administrator. The actor is "system", as for anything done on the server
 * itself. Refuses a weak password, a demo address, and an existing account.
 */
export async function createAdministrator(db: DB, input: { email: string; name: string; password: string }): Promise<string> {
  const email = normaliseEmail(input.email);
  const name = input.name.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new DomainError("Give a valid email address, like name@example.org", "email");
  if (isDemoEmail(email)) throw new DomainError("That is a demo address; give the administrator's real email address", "email");
  if (!name) throw new DomainError("Give the administrator's name", "name");
  const problem = passwordProblem(input.password);
  if (problem) throw new DomainError(problem, "password");
  const passwordHash = await hashPassword(input.password); // before the transaction: it is slow
  return inTransaction(db, async (trx) => {
    if (await findUserByEmail(trx, email)) {
      throw new DomainError("An account with this email address already exists. Invite it as an administrator from People instead.", "email");
    }
    const id = newId();
    const now = nowIso();
    const user = { id, email, name };
    await trx
      .insertInto("user")
      .values({ ...user, password_hash: passwordHash, disabled_at: null, created_at: now, updated_at: now })
      .execute();
    await appendAuditEvent(trx, { actor: "system", action: "user.created", entityType: "user", entityId: id, after: { ...user, via: "admin:create" } });
    await startMembership(trx, "system", { userId: id, role: "admin" });
    return id;
  });
}

import type { DB } from "../../db/client";
import { newId } from "~/utils/ids.server";

export const MAX_FAILURES = 10;
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;

/** True when this email has had MAX_FAILURES failed sign-ins within the window. Unknown emails count alike. */
export async function isThrottled(db: DB, email: string, now = new Date()): Promise<boolean> {
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS).toISOString();
  const { n } = await db
    .selectFrom("login_attempt")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("email", "=", email)
    .where("is_success", "=", 0)
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(n) >= MAX_FAILURES;
}

/** Security bookkeeping, not a domain record: see docs/decisions/0002-sessions-and-sign-in.md. */
export async function recordLoginAttempt(db: DB, email: string, isSuccess: boolean, now = new Date()): Promise<void> {
  await db
    .insertInto("login_attempt")
    .values({ id: newId(), email, at: now.toISOString(), is_success: isSuccess ? 1 : 0 })
    .execute();
}

import type { DB } from "../../db/client";
import { DEMO_EMAIL_DOMAIN } from "~/domain/portal-mode";
import { readUntilChange } from "./read-cache.server";

/**
 * Enabled accounts with a demo address (the demo's published passwords sign them in).
 * Every administrator page asks (the banner), and the count scans every account
 * (no index serves "ends with"), so it is shared until anything is written.
 */
export async function countDemoAccounts(db: DB): Promise<number> {
  return readUntilChange(db, "demo-accounts", async () => {
    const row = await db
      .selectFrom("user")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("email", "like", `%@${DEMO_EMAIL_DOMAIN}`)
      .where("disabled_at", "is", null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  });
}

/** Enabled accounts with a current administrator membership. */
export async function countAdministrators(db: DB): Promise<number> {
  const row = await db
    .selectFrom("membership")
    .innerJoin("user", "user.id", "membership.user_id")
    .select((eb) => eb.fn.count<number>("user.id").distinct().as("n"))
    .where("membership.role", "=", "admin")
    .where("membership.ended_at", "is", null)
    .where("user.disabled_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

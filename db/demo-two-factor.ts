import { sealSecret } from "~/auth/two-factor-secret.server";
import { appendAuditEvent } from "~/models/audit.server";
import type { DB } from "./client";
import { DEMO_TOTP_SECRET } from "./demo-two-factor-key";

/**
 * The demo administrators have two-factor sign-in set up with one published
 * key (README, Demo accounts), so a newcomer can sign in: `npm run demo:code`
 * prints the code of the moment. A real deployment never gets the demo.
 */
export async function seedDemoTwoFactor(trx: DB, userId: string, stamp: string): Promise<void> {
  await trx
    .insertInto("two_factor")
    .values({
      user_id: userId,
      secret: sealSecret(userId, DEMO_TOTP_SECRET),
      pending_secret: null,
      confirmed_at: stamp,
      last_used_step: null,
      failed_since: null,
      created_at: stamp,
      updated_at: stamp,
    })
    .execute();
  await appendAuditEvent(trx, { actor: "system", action: "two_factor.seeded", entityType: "user", entityId: userId, after: { confirmed_at: stamp } });
}

import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import type { AwardSettings } from "~/domain/forms/award-settings";
import { can, type Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";

const COLUMNS = ["payment_approval_threshold_pence", "funder_prefix", "funder_org_id", "funder_org_name"] as const;

export function getAwardSettings(db: DB, fundId: string) {
  return db
    .selectFrom("fund")
    .select(["id", "name", ...COLUMNS])
    .where("id", "=", fundId)
    .executeTakeFirst();
}

/** Saves a fund's four-eyes threshold and 360Giving identifiers, with the before and after in the audit trail. */
export async function saveAwardSettings(db: DB, actor: Actor, fundId: string, input: AwardSettings): Promise<void> {
  if (!can(actor, "fund.manage")) throw new DomainError("Only a fund administrator can change a fund's award settings.");
  const actorId = actor.id;
  await inTransaction(db, async (trx) => {
    const before = await trx.selectFrom("fund").select(COLUMNS).where("id", "=", fundId).executeTakeFirst();
    if (!before) throw new DomainError("That fund does not exist.");
    const after = {
      payment_approval_threshold_pence: input.threshold,
      funder_prefix: input.funderPrefix,
      funder_org_id: input.funderOrgId,
      funder_org_name: input.funderOrgName,
    };
    await trx.updateTable("fund").set(after).where("id", "=", fundId).execute();
    await appendAuditEvent(trx, { actor: actorId, action: "fund.award_settings_saved", entityType: "fund", entityId: fundId, before, after });
  });
}

import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import type { Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { nowIso } from "~/utils/ids.server";

/** A panel member says whether their name may be published with the results. Their choice alone; audited. */
export async function setNamePublication(db: DB, actor: Actor, isPublic: boolean): Promise<void> {
  if (actor.role !== "panel_member") throw new DomainError("Only panel members choose whether their name is published.");
  await inTransaction(db, async (trx) => {
    const before = await trx.selectFrom("user").select("is_name_public").where("id", "=", actor.id).executeTakeFirstOrThrow();
    const after = isPublic ? 1 : 0;
    await trx.updateTable("user").set({ is_name_public: after, updated_at: nowIso() }).where("id", "=", actor.id).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "user.name_publication_set",
      entityType: "user",
      entityId: actor.id,
      before: { is_name_public: before.is_name_public },
      after: { is_name_public: after },
    });
  });
}

export async function isNamePublic(db: DB, userId: string): Promise<boolean> {
  const row = await db.selectFrom("user").select("is_name_public").where("id", "=", userId).executeTakeFirst();
  return row?.is_name_public === 1;
}

import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import { can, type Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { actingPanelMembership } from "~/models/membership.server";

/** A panel member says whether their name may be published with this panel's results. Their choice alone; audited. */
export async function setNamePublication(db: DB, actor: Actor, isPublic: boolean): Promise<void> {
  await inTransaction(db, async (trx) => {
    const membership = can(actor, "panel.take_part") ? await actingPanelMembership(trx, actor) : undefined;
    if (!membership) throw new DomainError("Only panel members choose whether their name is published.");
    const after = isPublic ? 1 : 0;
    await trx.updateTable("membership").set({ is_name_public: after }).where("id", "=", membership.id).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "membership.name_publication_set",
      entityType: "membership",
      entityId: membership.id,
      before: { is_name_public: membership.is_name_public },
      after: { is_name_public: after },
    });
  });
}

import type { DB } from "../../db/client";

const COLUMNS = [
  "attachment.id",
  "attachment.proposal_id",
  "attachment.original_name",
  "attachment.mime_type",
  "attachment.size_bytes",
  "attachment.created_at",
] as const;

/** A proposal's current attachments, oldest first. */
export function listAttachments(db: DB, proposalId: string) {
  return db
    .selectFrom("attachment")
    .select(COLUMNS)
    .where("attachment.proposal_id", "=", proposalId)
    .where("attachment.removed_at", "is", null)
    .orderBy("attachment.created_at")
    .execute();
}

export async function countAttachments(db: DB, proposalId: string): Promise<number> {
  const { n } = await db
    .selectFrom("attachment")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("proposal_id", "=", proposalId)
    .where("removed_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(n);
}

/**
 * A current attachment, with where it is stored. The caller must still check
 * the user may see its proposal (findProposalFor) before using it.
 */
export function findAttachment(db: DB, attachmentId: string) {
  return db
    .selectFrom("attachment")
    .select([...COLUMNS, "attachment.stored_name"])
    .where("attachment.id", "=", attachmentId)
    .where("attachment.removed_at", "is", null)
    .executeTakeFirst();
}

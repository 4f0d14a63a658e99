import { inTransaction, type DB } from "../../db/client";
import type { Proposal } from "../../db/schema";
import { DomainError } from "~/domain/errors";
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, sniffFileType } from "~/domain/file-type";
import { can, type Actor } from "~/domain/permissions";
import { isEditable, STATUS_LABELS } from "~/domain/proposal-status";
import { appendAuditEvent } from "~/models/audit.server";
import { countAttachments } from "~/models/attachment.server";
import { findProposalFor, proposalFacts } from "~/models/proposal.server";
import { keepUploadedFiles } from "~/utils/file-store.server";
import { newId, nowIso } from "~/utils/ids.server";

export const WRONG_TYPE = "The file must be a PDF, JPEG, PNG or Word document (.docx)";
export const TOO_LARGE = "The file must be 10 MB or smaller";
export const TOO_MANY = `A proposal can have up to ${MAX_ATTACHMENTS} files. Remove one before you add another`;

export const NOT_AUTHOR = "Only the group's own members, or the lead organisation that prepared the proposal with them, can add or remove its files.";

/** The proposal, when the actor may change its files now (the policy's attachment.change); a DomainError saying why not otherwise. */
async function changeableProposal(db: DB, actor: Actor, proposalId: string, field?: string): Promise<Proposal> {
  const proposal = (await findProposalFor(db, actor, proposalId)) as Proposal | undefined;
  if (!proposal) throw new DomainError("We could not find that proposal, or you do not have access to it.");
  if (!isEditable(proposal.status)) {
    throw new DomainError(`This proposal is "${STATUS_LABELS[proposal.status]}", so files cannot be added or removed now.`, field);
  }
  if (!can(actor, "attachment.change", { type: "attachment", proposal: await proposalFacts(db, proposal, actor) })) throw new DomainError(NOT_AUTHOR);
  return proposal;
}

async function checkCanAttach(db: DB, actor: Actor, proposalId: string): Promise<Proposal> {
  const proposal = await changeableProposal(db, actor, proposalId, "file");
  if ((await countAttachments(db, proposalId)) >= MAX_ATTACHMENTS) throw new DomainError(TOO_MANY, "file");
  return proposal;
}

/**
 * Stores an uploaded file for a proposal. Its type comes from its content
 * (never its name or the browser's word). The bytes go to the file store
 * (app/utils/file-store.server.ts): on disk they are written before the
 * database transaction, so no slow work happens inside it, and removed again
 * if it fails; in the database they are written in the same transaction.
 * Returns the attachment's id.
 */
export async function addAttachment(db: DB, actor: Actor, proposalId: string, file: { name: string; bytes: Uint8Array }): Promise<string> {
  if (file.bytes.byteLength === 0) throw new DomainError("The selected file is empty. Choose another file", "file");
  if (file.bytes.byteLength > MAX_ATTACHMENT_BYTES) throw new DomainError(TOO_LARGE, "file");
  const type = sniffFileType(file.bytes);
  if (!type) throw new DomainError(WRONG_TYPE, "file");
  await checkCanAttach(db, actor, proposalId);

  return keepUploadedFiles(db, [file.bytes], async (trx, [storedName]) => {
    // Checked again inside the write lock: two uploads at once must not make six files.
    await checkCanAttach(trx, actor, proposalId);
    const row = {
      id: newId(),
      proposal_id: proposalId,
      original_name: (file.name.split(/[/\\]/).pop() ?? "").trim().slice(0, 200) || `attachment.${type.extension}`,
      stored_name: storedName!,
      mime_type: type.mime,
      size_bytes: file.bytes.byteLength,
      uploaded_by: actor.id,
      created_at: nowIso(),
      removed_at: null,
    };
    await trx.insertInto("attachment").values(row).execute();
    const { stored_name: _stored, ...visible } = row;
    await appendAuditEvent(trx, { actor: actor.id, action: "attachment.added", entityType: "attachment", entityId: row.id, after: visible });
    return row.id;
  });
}

/**
 * Takes a file off a proposal that can still be edited. The row is marked
 * removed (not deleted), so the audit trail still points at something.
 */
export async function removeAttachment(db: DB, actor: Actor, proposalId: string, attachmentId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await changeableProposal(trx, actor, proposalId);
    const attachment = await trx
      .selectFrom("attachment")
      .select(["id", "original_name"])
      .where("id", "=", attachmentId)
      .where("proposal_id", "=", proposalId)
      .where("removed_at", "is", null)
      .executeTakeFirst();
    if (!attachment) throw new DomainError("That file has already been removed.");
    const stamp = nowIso();
    await trx.updateTable("attachment").set({ removed_at: stamp }).where("id", "=", attachmentId).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "attachment.removed",
      entityType: "attachment",
      entityId: attachment.id,
      before: { proposal_id: proposalId, original_name: attachment.original_name },
      after: { removed_at: stamp },
    });
  });
}

import type { DB } from "../../db/client";
import { proposalScope, type Actor } from "~/domain/permissions";
import { inProposalScope } from "./proposal.server";

/**
 * What the panel and advisers decide on besides the outline: the proposal's
 * current files and the lead organisation's support statement(s). Both are
 * read on the proposal's terms (the policy's proposalScope in the WHERE
 * clause, so a recused panel member gets nothing), the same rule that
 * can(…, "attachment.read") and the download route apply.
 */
export async function getProposalEvidence(db: DB, viewer: Actor, proposalId: string) {
  const [attachments, statements] = await Promise.all([
    db
      .selectFrom("attachment")
      .innerJoin("proposal", "proposal.id", "attachment.proposal_id")
      .select(["attachment.id", "attachment.original_name", "attachment.size_bytes", "attachment.created_at"])
      .where("attachment.proposal_id", "=", proposalId)
      .where("attachment.removed_at", "is", null)
      .where(inProposalScope(proposalScope(viewer)))
      .orderBy("attachment.created_at")
      .execute(),
    db
      .selectFrom("proposal_message")
      .innerJoin("proposal", "proposal.id", "proposal_message.proposal_id")
      .innerJoin("user", "user.id", "proposal_message.author_id")
      .select(["proposal_message.id", "proposal_message.body", "proposal_message.created_at", "user.name as authorName"])
      .where("proposal_message.proposal_id", "=", proposalId)
      .where("proposal_message.kind", "=", "support_statement")
      .where(inProposalScope(proposalScope(viewer)))
      .orderBy("proposal_message.created_at")
      .execute(),
  ]);
  return { attachments, statements };
}

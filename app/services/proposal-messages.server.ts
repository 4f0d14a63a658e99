import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import { can, isMemberOf, type Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { findProposalFor, proposalFacts } from "~/models/proposal.server";
import { newId, nowIso } from "~/utils/ids.server";
import { notifyLeadOrganisations } from "./notifications.server";

export const REPLY_MAX = 3000;

/**
 * The community group replies to its lead organisation's request for
 * changes (or adds a note while it is being read). The lead organisation is told.
 */
export async function replyAsGroup(db: DB, actor: Actor, proposalId: string, body: string): Promise<void> {
  const text = body.trim();
  if (!text) throw new DomainError("Write your reply", "reply");
  if (text.length > REPLY_MAX) throw new DomainError(`Your reply must be ${REPLY_MAX.toLocaleString("en-GB")} characters or fewer`, "reply");
  await inTransaction(db, async (trx) => {
    const proposal = await findProposalFor(trx, actor, proposalId);
    if (!proposal) throw new DomainError("We could not find that proposal, or you do not have access to it.");
    if (!can(actor, "proposal.reply", await proposalFacts(trx, proposal, actor))) {
      if (!isMemberOf(actor, proposal.organisation_id)) throw new DomainError("Only the community group can reply here.");
      throw new DomainError("You can reply to your lead organisation while they are reading the proposal or have asked for changes.", "reply");
    }
    const message = {
      id: newId(),
      proposal_id: proposalId,
      kind: "group_reply" as const,
      body: text,
      author_id: actor.id,
      author_role: "applicant" as const,
      created_at: nowIso(),
    };
    await trx.insertInto("proposal_message").values(message).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "proposal.group_replied",
      entityType: "proposal",
      entityId: proposalId,
      after: { message_id: message.id, body: text },
    });
    await notifyLeadOrganisations(
      trx,
      proposal.decision_group_id,
      { id: proposal.id, reference: proposal.reference, title: proposal.title },
      "The group replied",
      `The group replied about "${proposal.title || proposal.reference}":\n\n${text}`,
    );
  });
}

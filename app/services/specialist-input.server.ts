import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import { can, type Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { findProposalFor, proposalFacts } from "~/models/proposal.server";
import { SCORABLE_STATUSES } from "~/models/scoring.server";
import { newId, nowIso } from "~/utils/ids.server";

export interface SpecialistInputValues {
  feasibility: string;
  costRealism: string;
  risks: string;
}

/** Writes or updates an adviser's input on a proposal in their scope: their decision group's, or their whole fund's. */
export async function saveSpecialistInput(db: DB, actor: Actor, proposalId: string, input: SpecialistInputValues): Promise<void> {
  if (!can(actor, "proposal.advise")) throw new DomainError("Only specialist advisers give specialist input.");
  await inTransaction(db, async (trx) => {
    const row = await findProposalFor(trx, actor, proposalId);
    // The policy decides on this proposal's facts, read in this transaction: their decision group's, or their fund's.
    const proposal = row && SCORABLE_STATUSES.includes(row.status) && can(actor, "proposal.advise", await proposalFacts(trx, row, actor)) ? row : null;
    if (!proposal) throw new DomainError("We could not find that proposal, or it is not with the panel.");
    const existing = await trx
      .selectFrom("specialist_input")
      .select(["id", "feasibility", "cost_realism", "risks"])
      .where("proposal_id", "=", proposal.id)
      .where("user_id", "=", actor.id)
      .executeTakeFirst();
    const stamp = nowIso();
    const values = { feasibility: input.feasibility, cost_realism: input.costRealism, risks: input.risks, updated_at: stamp };
    const id = existing?.id ?? newId();
    if (existing) await trx.updateTable("specialist_input").set(values).where("id", "=", id).execute();
    else
      await trx
        .insertInto("specialist_input")
        .values({ id, proposal_id: proposal.id, user_id: actor.id, ...values })
        .execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: existing ? "specialist_input.updated" : "specialist_input.written",
      entityType: "specialist_input",
      entityId: id,
      before: existing ?? null,
      after: { proposal_id: proposal.id, ...values },
    });
  });
}

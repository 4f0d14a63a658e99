import { requireUser } from "~/auth/guards.server";
import { can } from "~/domain/permissions";
import { isEditable } from "~/domain/proposal-status";
import { findProposalFor, proposalFacts } from "~/models/proposal.server";
import { getDb } from "./db.server";
import { forbidden, notFound } from "./http.server";

/**
 * The proposal and the policy's facts about it, for the task list, its
 * section pages and "check your answers": 403 for a hat that never writes
 * proposals, 404 for one the person may not read, and 403 for one they may
 * read but not change (a lead organisation reading a group's own proposal)
 * while it is open to change.
 */
export async function requireEditable(request: Request, proposalId: string | undefined) {
  const user = await requireUser(request);
  if (!can(user, "proposals.write")) throw forbidden();
  const db = getDb();
  const proposal = await findProposalFor(db, user, proposalId ?? "");
  if (!proposal) throw notFound();
  const facts = await proposalFacts(db, proposal, user);
  if (isEditable(proposal.status) && !can(user, "proposal.edit", facts)) throw forbidden();
  return { user, proposal, facts };
}

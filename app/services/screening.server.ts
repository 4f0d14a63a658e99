import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import { can, type Actor } from "~/domain/permissions";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { screenEligibility } from "./proposals.server";

/**
 * Screens a selection all-or-nothing, like screenEligibility, but first names
 * every selected proposal that is not awaiting screening, so the
 * administrator knows which to untick. Both run in one transaction.
 */
export async function screenSelection(
  db: DB,
  admin: Actor,
  proposalIds: readonly string[],
  outcome: "eligible" | "ineligible",
  reason: string,
): Promise<number> {
  if (!can(admin, "proposal.screen")) throw new DomainError("Only the fund administrator screens eligibility.");
  const ids = [...new Set(proposalIds)];
  if (ids.length === 0) throw new DomainError("Select at least one proposal", "proposalIds");
  return inTransaction(db, async (trx) => {
    const rows = await trx.selectFrom("proposal").select(["id", "reference", "status"]).where("id", "in", ids).orderBy("reference").execute();
    if (rows.length !== ids.length) {
      throw new DomainError("One or more of the selected proposals could not be found. Nothing was changed.", "proposalIds");
    }
    const notReady = rows.filter((r) => r.status !== "supported");
    if (notReady.length) {
      const list = notReady.map((r) => `${r.reference} (${STATUS_LABELS[r.status]})`).join(", ");
      throw new DomainError(
        `Only proposals supported by their lead organisation can be screened, and ${notReady.length === 1 ? "this one is" : "these are"} not: ${list}. Untick ${notReady.length === 1 ? "it" : "them"} and try again. Nothing was changed.`,
        "proposalIds",
      );
    }
    return screenEligibility(trx, admin, ids, outcome, reason);
  });
}

import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import { can, type Actor } from "~/domain/permissions";
import { STATUS_LABELS } from "~/domain/proposal-status";
import type { ScreeningFilters } from "~/domain/proposal-lists";
import { listScreeningMatches } from "~/models/proposal-lists.server";
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

/** Matching proposals above this many are refused: split them with a filter (one transaction stays short). */
export const MAX_SCREEN_ALL = 1000;

/** What marking all matching proposals would do now: how many match, and how many of those are waiting to be screened. */
export async function previewScreenAll(db: DB, filters: ScreeningFilters): Promise<{ matching: number; ready: number; skipped: number }> {
  const rows = await listScreeningMatches(db, filters);
  const ready = rows.filter((r) => r.status === "supported").length;
  return { matching: rows.length, ready, skipped: rows.length - ready };
}

/**
 * Screens every proposal matching the filters, not a list of ids from a page:
 * the filter query runs again inside the one transaction. Proposals no longer
 * waiting for screening (already screened, withdrawn…) are skipped and
 * counted. Each proposal screened gets its own audit event and message to the
 * group (screenEligibility). Refused, changing nothing, when more proposals
 * are ready now than the administrator confirmed.
 */
export async function screenAllMatching(
  db: DB,
  admin: Actor,
  filters: ScreeningFilters,
  outcome: "eligible" | "ineligible",
  reason: string,
  confirmedCount: number,
): Promise<{ screened: number; skipped: number }> {
  if (!can(admin, "proposal.screen")) throw new DomainError("Only the fund administrator screens eligibility.");
  return inTransaction(db, async (trx) => {
    const rows = await listScreeningMatches(trx, filters);
    const ready = rows.filter((r) => r.status === "supported");
    if (ready.length === 0) throw new DomainError("None of the matching proposals is waiting to be screened. Nothing was changed.");
    if (ready.length > MAX_SCREEN_ALL) {
      throw new DomainError(`${ready.length} proposals match. Mark ${MAX_SCREEN_ALL} or fewer at a time: choose a fund or decision group first.`);
    }
    if (ready.length > confirmedCount) {
      throw new DomainError(
        `${ready.length} proposals are waiting now, more than the ${confirmedCount} you confirmed. Nothing was changed. Check the count and confirm again.`,
      );
    }
    const screened = await screenEligibility(
      trx,
      admin,
      ready.map((r) => r.id),
      outcome,
      reason,
    );
    return { screened, skipped: rows.length - ready.length };
  });
}

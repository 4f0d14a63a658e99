import type { DB } from "../../db/client";
import type { AllocationCandidate, AllocationPlan, AllocationResult, AllocationRules } from "~/domain/allocation";
import { DomainError } from "~/domain/errors";
import { formatPence } from "~/domain/money";
import type { Actor } from "~/domain/permissions";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { fundedTotalOf } from "./decision.server";
import { AWAITING_DECISION, listAwaitingDecision } from "./group-decisions.server";
import { hiddenFrom, type GroupFacts } from "./group-results.server";
import { panelSupport } from "./panel-support.server";
import { meanScores } from "./group-score-summary.server";
import { runAllocation } from "~/utils/allocation-runner.server";

export interface AllocationPins {
  pinnedIn: string[];
  pinnedOut: string[];
}

export interface AllocationViewRow {
  id: string;
  reference: string;
  title: string;
  statusLabel: string;
  /** Mean weighted total: what the optimum maximises. */
  value: number;
  askPence: number;
  floorPence: number;
  isPinnedIn: boolean;
  isPinnedOut: boolean;
  isFunded: boolean;
  amountPence: number;
  isFundedByGreedy: boolean;
  greedyAmountPence: number;
}

/**
 * The allocation recommendation for a group: which proposals are candidates
 * and why the rest are not, the remaining pot, the exact optimum by mean score
 * and the greedy walk beside it, for the given pins. Rows the viewer is recused
 * from are left out (their money is still counted). A pin that names no
 * candidate is ignored; one pinned both in and out is a DomainError. The
 * search hands the event loop back while it runs (runAllocation), so a hard
 * group never holds up other requests.
 */
export async function getAllocation(db: DB, viewer: Actor, group: GroupFacts, pins: AllocationPins, { isForRecord = false } = {}) {
  const inputs = await getAllocationInputs(db, viewer, group, pins, { isForRecord });
  return allocationView(inputs, await runAllocation(inputs.candidates, inputs.rules, { pinnedIn: inputs.pinnedIn, pinnedOut: inputs.pinnedOut }));
}

export type AllocationInputs = Awaited<ReturnType<typeof getAllocationInputs>>;

/**
 * What the allocation is worked out from (queries only, no search).
 * `fingerprint` changes whenever anything that could change the result does,
 * so a caller that searched outside a transaction can check, inside one, that
 * nothing moved in the meantime. Only the proposals awaiting a decision are
 * scored (one grouped query, meanScores): decided ones are never candidates,
 * and a proposal's mean does not depend on the others.
 */
export async function getAllocationInputs(db: DB, viewer: Actor, group: GroupFacts, pins: AllocationPins, { isForRecord = false } = {}) {
  const [proposals, scores, support, alreadyFundedPence, hidden] = await Promise.all([
    listAwaitingDecision(db, group.id),
    meanScores(db, group, AWAITING_DECISION),
    panelSupport(db, group.id),
    fundedTotalOf(db, group.id),
    // The recorded recommendation covers every proposal; only what is shown depends on the viewer.
    isForRecord ? Promise.resolve(new Set<string>()) : hiddenFrom(db, viewer, group.id),
  ]);
  const both = pins.pinnedIn.filter((id) => pins.pinnedOut.includes(id));
  if (both.length) {
    const names = proposals.filter((p) => both.includes(p.id)).map((p) => p.reference);
    throw new DomainError(`${names.join(", ") || "A proposal"} cannot be pinned both in and out. Untick one of the two boxes.`, "in");
  }
  const availablePence = Math.max(0, group.pot_pence - alreadyFundedPence);
  const excluded: { reference: string; title: string; why: string }[] = [];
  const candidates: (AllocationCandidate & { id: string })[] = [];
  // Without criteria there is no score to rank by, and nothing is listed (as on the results page).
  const awaiting = scores.hasCriteria ? proposals : [];
  for (const p of awaiting) {
    const mean = scores.means.get(p.id)?.mean ?? null;
    let why: string | null = null;
    if (support.hasVotes && !support.votedOn.has(p.id)) why = "The panel has not voted on it yet.";
    else if (support.hasVotes && !support.supported.has(p.id)) why = "The panel did not vote to fund it.";
    else if (mean === null) why = "Nobody has submitted a score sheet for it yet.";
    else if (p.amount_requested_pence === null) why = "It does not say how much it asks for.";
    else if (p.amount_requested_pence < group.min_grant_pence || p.amount_requested_pence > group.max_grant_pence) {
      why = `It asks for ${formatPence(p.amount_requested_pence)}, outside the grant range.`;
    }
    if (why) {
      // Proposals the viewer is recused from stay in the calculation (so the chair and the administrator see the same recommendation) but are never listed.
      if (!hidden.has(p.id)) excluded.push({ reference: p.reference, title: p.title, why });
      continue;
    }
    const ask = p.amount_requested_pence!;
    // A floor below the minimum grant is raised to it; one above the ask means all or nothing.
    let floor = p.part_funding_floor_pence;
    if (floor !== null && floor < group.min_grant_pence) floor = group.min_grant_pence;
    if (floor !== null && floor > ask) floor = null;
    candidates.push({ id: p.id, reference: p.reference, value: mean!, askPence: ask, floorPence: floor });
  }
  const referenceById = new Map(candidates.map((c) => [c.id, c.reference]));
  const pinnedIn = pins.pinnedIn.map((id) => referenceById.get(id)).filter((r): r is string => Boolean(r));
  const pinnedOut = pins.pinnedOut.map((id) => referenceById.get(id)).filter((r): r is string => Boolean(r));
  const rules: AllocationRules = {
    potPence: availablePence,
    minGrantPence: group.min_grant_pence,
    maxGrantPence: group.max_grant_pence,
    isPartFundingAllowed: true,
  };
  const fingerprint = JSON.stringify([support.hasVotes, rules, pinnedIn, pinnedOut, candidates.map((c) => [c.id, c.value, c.askPence, c.floorPence])]);
  const maximumTotal = scores.maximumTotal;
  return {
    group,
    maximumTotal,
    support,
    alreadyFundedPence,
    hidden,
    availablePence,
    excluded,
    candidates,
    awaiting,
    pins,
    pinnedIn,
    pinnedOut,
    rules,
    fingerprint,
  };
}

/** The view of a worked-out allocation: rows, plans and totals, with what the viewer may not see left out. */
export function allocationView(inputs: AllocationInputs, result: AllocationResult) {
  const { group, maximumTotal, support, alreadyFundedPence, hidden, availablePence, excluded, candidates, awaiting, pins, pinnedIn, pinnedOut } = inputs;
  const idByReference = new Map(candidates.map((c) => [c.reference, c.id]));
  const referenceById = new Map(candidates.map((c) => [c.id, c.reference]));
  const byId = new Map(awaiting.map((p) => [p.id, p]));
  // A recused viewer's totals leave out the value of what they cannot see, which would otherwise give its score away.
  const planFor = (plan: AllocationPlan) => ({
    fundedIds: plan.fundedReferences.map((r) => idByReference.get(r)!).filter((id) => !hidden.has(id)),
    totalValue: hidden.size ? null : plan.totalValue,
    totalAllocatedPence: plan.totalAllocatedPence,
    leftoverPence: plan.leftoverPence,
  });
  const rows: AllocationViewRow[] = result.isFeasible
    ? result.rows
        .map((r) => ({ ...r, id: idByReference.get(r.reference)! }))
        .filter((r) => !hidden.has(r.id))
        .map((r) => ({
          id: r.id,
          reference: r.reference,
          title: byId.get(r.id)!.title,
          statusLabel: STATUS_LABELS[byId.get(r.id)!.status],
          value: r.value,
          askPence: r.askPence,
          floorPence: r.floorPence,
          isPinnedIn: r.isPinnedIn,
          isPinnedOut: r.isPinnedOut,
          isFunded: r.isFunded,
          amountPence: r.amountPence,
          isFundedByGreedy: r.isFundedByGreedy,
          greedyAmountPence: r.greedyAmountPence,
        }))
    : candidates
        .filter((c) => !hidden.has(c.id))
        .map((c) => ({
          id: c.id,
          reference: c.reference,
          title: byId.get(c.id)!.title,
          statusLabel: STATUS_LABELS[byId.get(c.id)!.status],
          value: c.value,
          askPence: c.askPence,
          floorPence: c.floorPence ?? c.askPence,
          isPinnedIn: pinnedIn.includes(c.reference),
          isPinnedOut: pinnedOut.includes(c.reference),
          isFunded: false,
          amountPence: 0,
          isFundedByGreedy: false,
          greedyAmountPence: 0,
        }));
  return {
    basis: support.hasVotes ? ("votes" as const) : ("all" as const),
    potPence: group.pot_pence,
    alreadyFundedPence,
    availablePence,
    maximumTotal,
    rows,
    excluded,
    hiddenCount: awaiting.filter((p) => hidden.has(p.id)).length,
    pins: { pinnedIn: pins.pinnedIn.filter((id) => referenceById.has(id)), pinnedOut: pins.pinnedOut.filter((id) => referenceById.has(id)) },
    result: result.isFeasible
      ? {
          isFeasible: true as const,
          optimum: planFor(result.optimum),
          isProvenOptimal: result.isProvenOptimal,
          // Shown only to those who see every value, like the totals.
          maxShortfall: hidden.size ? null : result.maxShortfall,
          greedy: planFor(result.greedy),
          amounts: Object.fromEntries(
            result.rows.filter((r) => r.isFunded && !hidden.has(idByReference.get(r.reference)!)).map((r) => [idByReference.get(r.reference)!, r.amountPence]),
          ),
        }
      : { isFeasible: false as const, reason: result.reason },
    rules: result.rules,
  };
}

export type AllocationView = ReturnType<typeof allocationView>;

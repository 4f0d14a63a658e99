import { setImmediate as nextTurn } from "node:timers/promises";
import { startAllocation, type AllocationCandidate, type AllocationResult, type AllocationRules, type AllocationWhatIf } from "~/domain/allocation";

/** How long one allocation may search before it settles for the best set found (ALLOCATION_TIME_LIMIT_MS, default 2 s). */
export function allocationTimeLimitMs(): number {
  const fromEnv = Number(process.env.ALLOCATION_TIME_LIMIT_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 2_000;
}

/** Longest stretch the search keeps the event loop before letting other requests in. */
const SLICE_MS = 8;
const NODES_PER_CHECK = 50;

/**
 * Runs the exact allocation a slice at a time, handing the event loop back
 * between slices so other requests are served while it searches. Knapsack is
 * NP-hard, so a hard group can take longer than `timeLimitMs`: the search then
 * stops and the result says so (isProvenOptimal false) and how far from the
 * best possible total it could be (maxShortfall). Throws a DomainError for
 * invalid input, like recommendAllocation.
 */
export async function runAllocation(
  candidates: readonly AllocationCandidate[],
  rules: AllocationRules,
  whatIf: AllocationWhatIf = {},
  { timeLimitMs = allocationTimeLimitMs() }: { timeLimitMs?: number } = {},
): Promise<AllocationResult> {
  const search = startAllocation(candidates, rules, whatIf);
  const deadline = performance.now() + timeLimitMs;
  for (;;) {
    // Other work first (the caller may have just done some, such as loading the scores), then a slice.
    await nextTurn();
    const sliceEnd = Math.min(deadline, performance.now() + SLICE_MS);
    let isDone = false;
    while (!isDone && performance.now() < sliceEnd) isDone = search.step(NODES_PER_CHECK);
    if (isDone || performance.now() >= deadline) return search.result();
  }
}

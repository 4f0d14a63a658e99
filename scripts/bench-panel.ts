// npx tsx scripts/bench-panel.ts (also the end of npm run bench) — the decision panel's pure domain code
// on one large decision group: 1,000 proposals, 60 members each scoring every proposal on 5 weighted
// criteria (60,000 score sets), then an allocation of a £4m pot. Data come from a seeded PRNG, so every
// run times the same work. Prints each figure in ms and the total; the target is under 500 ms.
import { performance } from "node:perf_hooks";
import { recommendAllocation, type AllocationCandidate } from "~/domain/allocation";
import { normaliseScores, sortByDisagreement, sortByScore, tallyScores, type ProposalScores, type ScoringCriterion } from "~/domain/scoring";
import { mulberry32 } from "./seeded-random";

const random = mulberry32(2023);
const PROPOSALS = 1_000;
const MEMBERS = 60;
const criteria: ScoringCriterion[] = [
  { id: "need", name: "Need", weight: 3 },
  { id: "benefit", name: "Who benefits", weight: 2 },
  { id: "deliver", name: "Deliverability", weight: 2 },
  { id: "value", name: "Value for money", weight: 2 },
  { id: "legacy", name: "Lasting change", weight: 1 },
];
const references = Array.from({ length: PROPOSALS }, (_, i) => `CRF-${String(i + 1).padStart(4, "0")}`);
// Each proposal has a quality and each member a leniency, so the normalisation has something to correct.
const quality = references.map(() => random() * 4);
const leniency = Array.from({ length: MEMBERS }, () => random() * 2 - 1);
const proposals: ProposalScores[] = references.map((reference, p) => ({
  reference,
  scoreSets: Array.from({ length: MEMBERS }, (_, m) => ({
    scorerId: `member-${String(m + 1).padStart(2, "0")}`,
    marks: Object.fromEntries(criteria.map((c) => [c.id, Math.max(0, Math.min(5, Math.round(quality[p] + leniency[m] + random() * 2 - 0.5)))])),
  })),
}));
const asks = references.map(() => (10_000 + Math.floor(random() * 140_001)) * 100); // £10k–£150k
const floors = asks.map((ask, i) => (i % 3 === 0 ? Math.max(1_000_000, Math.round((ask * (0.5 + random() * 0.4)) / 100) * 100) : null));

const figures: [string, number][] = [];
function time<T>(name: string, fn: () => T): T {
  const start = performance.now();
  const result = fn();
  figures.push([name, performance.now() - start]);
  return result;
}

const tally = time(`tally: statistics for ${PROPOSALS} proposals (${PROPOSALS * MEMBERS} score sets, ${criteria.length} criteria)`, () => {
  const t = tallyScores(criteria, proposals);
  sortByScore(t.proposals);
  sortByDisagreement(t.proposals);
  return t;
});
const normalised = time(`z-score normalisation (${MEMBERS} scorers)`, () => normaliseScores(tally));
const candidates: AllocationCandidate[] = tally.proposals.map((p, i) => ({
  reference: p.reference,
  value: p.mean ?? 0,
  askPence: asks[i],
  floorPence: floors[i],
}));
const allocation = time(`allocation: exact optimum + greedy, ${PROPOSALS} candidates, £4m pot, part-funding for a third`, () =>
  recommendAllocation(candidates, { potPence: 400_000_000, minGrantPence: 1_000_000, maxGrantPence: 15_000_000, isPartFundingAllowed: true }),
);

for (const [name, ms] of figures) console.log(`${name}: ${ms.toFixed(1)} ms`);
const total = figures.reduce((sum, [, ms]) => sum + ms, 0);
console.log(`panel total (target under 500 ms): ${total.toFixed(1)} ms`);
if (allocation.isFeasible) {
  const { optimum, greedy } = allocation;
  console.log(
    `  (optimum funds ${optimum.fundedReferences.length} proposals, value ${optimum.totalValue.toFixed(1)}, £${(optimum.leftoverPence / 100).toFixed(2)} left; ` +
      `greedy funds ${greedy.fundedReferences.length}, value ${greedy.totalValue.toFixed(1)}, £${(greedy.leftoverPence / 100).toFixed(2)} left; ` +
      `${normalised.scorers.filter((s) => s.standardDeviation === 0).length} scorers with no spread)`,
  );
}

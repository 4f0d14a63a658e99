/**
 * The Method of Equal Shares with its completion, counted the straightforward
 * way: voter by voter, every project priced again after each purchase that
 * touched its voters, and every £1 step of the completion counted in full.
 * This is how app/domain/ballot-counting.ts counted before decision 0045; the
 * unit tests check the fast count against it on random elections.
 */
import { COMPLETION_STEP_PENCE, LEVEL_TOLERANCE, type CountInput } from "~/domain/ballot-counting";
import type { EqualSharesUtility } from "~/domain/ballot-rules";

export interface ReferencePot {
  potId: string;
  perVoterSharePence: number;
  completionSteps: number;
  fundedByEqualShares: string[];
  fundedByGreedyStep: string[];
  /** voter = the ballot's index in the input. */
  payments: { voter: number; projectId: string; amountPence: number }[];
}

const isLevel = (a: number, b: number) => Math.abs(a - b) <= LEVEL_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
const tolerance = (cost: number) => Math.max(1e-6, cost * 1e-12);

export function referenceEqualShares(input: CountInput, utility: EqualSharesUtility = "cost", isCompleted = true): ReferencePot[] {
  const isPoints = input.ballots.some((b) => b.kind === "points");
  return input.pots.map((pot) => {
    const projects = input.projects.filter((p) => p.potId === pot.id).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const index = new Map(projects.map((p, j) => [p.id, j]));
    // Local voters: the ballots that chose something in this pot, in ballot order.
    const voterBallot: number[] = [];
    const choices: number[][] = [];
    const supporters: number[][] = projects.map(() => []);
    const weights: number[][] = projects.map(() => []);
    input.ballots.forEach((ballot, b) => {
      const entries = ballot.kind === "points" ? Object.entries(ballot.points) : ballot.projectIds.map((id) => [id, 1] as const);
      const mine = entries.filter(([id, w]) => index.has(id) && w > 0);
      if (mine.length === 0) return;
      for (const [id, w] of mine) {
        supporters[index.get(id)!].push(voterBallot.length);
        weights[index.get(id)!].push(w);
      }
      choices.push(mine.map(([id]) => index.get(id)!));
      voterBallot.push(b);
    });
    const n = voterBallot.length;
    const votes = weights.map((w) => w.reduce((s, x) => s + x, 0));
    const util = weights.map((w, j) => w.map((x) => (isPoints ? x : utility === "approval" ? 1 : projects[j].costPence)));
    const tie = (a: number, b: number) =>
      projects[a].costPence - projects[b].costPence || votes[b] - votes[a] || (projects[a].id < projects[b].id ? -1 : projects[a].id > projects[b].id ? 1 : 0);

    const run = (share: number) => {
      const budget = new Array<number>(n).fill(share);
      const rho = projects.map(() => Infinity);
      const isOpen = votes.map((v) => v > 0);
      const isDirty = projects.map(() => true);
      const funded: number[] = [];
      const payments: [number, number, number][] = [];
      let spent = 0;
      const priceOf = (j: number) => {
        const sup = supporters[j];
        const u = util[j];
        const cost = projects[j].costPence;
        let total = 0;
        let uSum = 0;
        sup.forEach((v, k) => {
          total += budget[v];
          uSum += u[k];
        });
        if (total < cost - tolerance(cost)) return Infinity;
        let price = cost / uSum;
        let cappedCount = -1;
        for (;;) {
          let remaining = cost;
          let uncapped = 0;
          let count = 0;
          let largest = 0;
          sup.forEach((v, k) => {
            if (budget[v] < u[k] * price) {
              remaining -= budget[v];
              count += 1;
              largest = Math.max(largest, budget[v] / u[k]);
            } else uncapped += u[k];
          });
          if (uncapped === 0) return largest;
          if (count === cappedCount) return price;
          cappedCount = count;
          price = Math.max(price, remaining / uncapped);
        }
      };
      for (;;) {
        let best = -1;
        for (let j = 0; j < projects.length; j += 1) {
          if (!isOpen[j]) continue;
          if (isDirty[j]) {
            rho[j] = priceOf(j);
            isDirty[j] = false;
            if (rho[j] === Infinity) {
              isOpen[j] = false;
              continue;
            }
          }
          if (best === -1 || (isLevel(rho[j], rho[best]) ? tie(j, best) < 0 : rho[j] < rho[best])) best = j;
        }
        if (best === -1) break;
        isOpen[best] = false;
        funded.push(best);
        spent += projects[best].costPence;
        supporters[best].forEach((v, k) => {
          const pay = Math.min(budget[v], util[best][k] * rho[best]);
          if (pay <= 0) return;
          budget[v] -= pay;
          payments.push([v, best, pay]);
          for (const other of choices[v]) isDirty[other] = true;
        });
      }
      return { funded, spent, payments };
    };

    if (n === 0) return { potId: pot.id, perVoterSharePence: 0, completionSteps: 0, fundedByEqualShares: [], fundedByGreedyStep: [], payments: [] };
    const start = pot.budgetPence / n;
    let share = start;
    let steps = 0;
    let kept = run(share);
    const isExhaustive = (funded: number[], left: number) => projects.every((p, j) => funded.includes(j) || votes[j] === 0 || p.costPence > left);
    if (isCompleted) {
      while (!isExhaustive(kept.funded, pot.budgetPence - kept.spent)) {
        const next = start + (steps + 1) * COMPLETION_STEP_PENCE;
        if (next > pot.budgetPence + COMPLETION_STEP_PENCE) break;
        const attempt = run(next);
        if (attempt.spent > pot.budgetPence) break;
        kept = attempt;
        share = next;
        steps += 1;
      }
    }
    const greedy: number[] = [];
    if (isCompleted) {
      let left = pot.budgetPence - kept.spent;
      const order = projects
        .map((_, j) => j)
        .filter((j) => votes[j] > 0 && !kept.funded.includes(j))
        .sort((a, b) => votes[b] - votes[a] || tie(a, b));
      for (const j of order) {
        if (projects[j].costPence <= left) {
          greedy.push(j);
          left -= projects[j].costPence;
        }
      }
    }
    return {
      potId: pot.id,
      perVoterSharePence: share,
      completionSteps: steps,
      fundedByEqualShares: kept.funded.map((j) => projects[j].id),
      fundedByGreedyStep: greedy.map((j) => projects[j].id),
      payments: kept.payments.map(([v, j, amount]) => ({ voter: voterBallot[v], projectId: projects[j].id, amountPence: amount })),
    };
  });
}

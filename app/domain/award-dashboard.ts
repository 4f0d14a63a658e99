/**
 * The administrators' awards dashboard, assembled from a handful of SQL
 * sums. Pure: the figures for each fund are the sums of its groups', so the
 * page adds up to the payments recorded.
 *
 * Every figure is net of withdrawals and clawbacks: a withdrawn award is
 * neither awarded nor remaining; what was paid on it counts as paid only
 * until it is clawed back, and only what the group keeps still uses the pot.
 */
import type { AwardStatus } from "./payments";

export const AWARD_STATUSES: readonly AwardStatus[] = ["offered", "accepted", "declined", "closed", "withdrawn"];

export const AWARD_STATUS_LABELS: Record<AwardStatus, string> = {
  offered: "Offered",
  accepted: "Accepted",
  declined: "Declined",
  closed: "Closed",
  withdrawn: "Withdrawn",
};

export interface GroupRow {
  groupId: string;
  groupName: string;
  fundId: string;
  fundName: string;
  potPence: number;
}

export interface Figures {
  potPence: number;
  /** Accepted and closed awards. */
  awardedPence: number;
  /** Offers not yet accepted: committed but not awarded. */
  offeredPence: number;
  /** Payments with status paid, less what is clawed back from withdrawn awards. */
  paidPence: number;
  /** Clawbacks asked for when awards were withdrawn. */
  clawedBackPence: number;
  /** Paid on withdrawn awards and not clawed back: spent from the pot, though no longer awarded. */
  keptOnWithdrawnPence: number;
  /** Awarded less what is paid on those (accepted and closed) awards. */
  remainingPence: number;
  /** The pot less what is awarded, offered, and kept by groups whose awards were withdrawn. */
  uncommittedPence: number;
  byStatus: Record<AwardStatus, number>;
  overdueReports: number;
  outstandingConditions: number;
}

export interface DashboardGroup extends Figures {
  groupId: string;
  groupName: string;
}

export interface DashboardFund extends Figures {
  fundId: string;
  fundName: string;
  groups: DashboardGroup[];
  /** Paid per month ("YYYY-MM"), less clawbacks in the month of their withdrawal, oldest first; adds up to paidPence. */
  spendByMonth: { month: string; paidPence: number }[];
}

const emptyStatuses = (): Record<AwardStatus, number> => ({ offered: 0, accepted: 0, declined: 0, closed: 0, withdrawn: 0 });

export interface DashboardInputs {
  groups: readonly GroupRow[];
  awardsByStatus: readonly { groupId: string; status: AwardStatus; count: number; amountPence: number }[];
  /** Paid payments by the status of their award. */
  paidByGroup: readonly { groupId: string; awardStatus: AwardStatus; paidPence: number }[];
  /** Clawbacks of withdrawn awards. */
  clawbackByGroup: readonly { groupId: string; clawbackPence: number }[];
  overdueByGroup: readonly { groupId: string; count: number }[];
  conditionsByGroup: readonly { groupId: string; count: number }[];
  spendByFundMonth: readonly { fundId: string; month: string; paidPence: number }[];
  clawbackByFundMonth: readonly { fundId: string; month: string; clawbackPence: number }[];
}

const OPEN_OR_CLOSED: readonly AwardStatus[] = ["accepted", "closed"];

function finish<T extends Omit<Figures, "remainingPence" | "uncommittedPence">>(f: T): T & Pick<Figures, "remainingPence" | "uncommittedPence"> {
  // paidPence (net) = paid on accepted and closed awards + kept on withdrawn ones.
  const paidOnAwardedPence = f.paidPence - f.keptOnWithdrawnPence;
  return { ...f, remainingPence: f.awardedPence - paidOnAwardedPence, uncommittedPence: f.potPence - f.awardedPence - f.offeredPence - f.keptOnWithdrawnPence };
}

/** Payments by month less clawbacks by month, oldest first. */
function netSpendByMonth(inputs: DashboardInputs, fundId: string): { month: string; paidPence: number }[] {
  const months = new Map<string, number>();
  for (const s of inputs.spendByFundMonth) if (s.fundId === fundId) months.set(s.month, (months.get(s.month) ?? 0) + s.paidPence);
  for (const c of inputs.clawbackByFundMonth) if (c.fundId === fundId) months.set(c.month, (months.get(c.month) ?? 0) - c.clawbackPence);
  return [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, paidPence]) => ({ month, paidPence }));
}

export function buildDashboard(inputs: DashboardInputs): DashboardFund[] {
  const lookup = <R extends { groupId: string }>(rows: readonly R[]) => {
    const map = new Map<string, R[]>();
    for (const r of rows) map.set(r.groupId, [...(map.get(r.groupId) ?? []), r]);
    return map;
  };
  const statuses = lookup(inputs.awardsByStatus);
  const paid = lookup(inputs.paidByGroup);
  const clawbacks = lookup(inputs.clawbackByGroup);
  const overdue = lookup(inputs.overdueByGroup);
  const conditions = lookup(inputs.conditionsByGroup);

  const funds = new Map<string, DashboardFund>();
  for (const g of inputs.groups) {
    const byStatus = emptyStatuses();
    let awardedPence = 0;
    let offeredPence = 0;
    for (const s of statuses.get(g.groupId) ?? []) {
      byStatus[s.status] += s.count;
      if (s.status === "accepted" || s.status === "closed") awardedPence += s.amountPence;
      if (s.status === "offered") offeredPence += s.amountPence;
    }
    const paidRows = paid.get(g.groupId) ?? [];
    const paidAllPence = paidRows.reduce((t, r) => t + r.paidPence, 0);
    const paidOnAwardedPence = paidRows.filter((r) => OPEN_OR_CLOSED.includes(r.awardStatus)).reduce((t, r) => t + r.paidPence, 0);
    const clawedBackPence = (clawbacks.get(g.groupId) ?? []).reduce((t, r) => t + r.clawbackPence, 0);
    const group: DashboardGroup = finish({
      groupId: g.groupId,
      groupName: g.groupName,
      potPence: g.potPence,
      awardedPence,
      offeredPence,
      paidPence: paidAllPence - clawedBackPence,
      clawedBackPence,
      keptOnWithdrawnPence: paidAllPence - paidOnAwardedPence - clawedBackPence,
      byStatus,
      overdueReports: (overdue.get(g.groupId) ?? []).reduce((t, r) => t + r.count, 0),
      outstandingConditions: (conditions.get(g.groupId) ?? []).reduce((t, r) => t + r.count, 0),
    });
    const fund = funds.get(g.fundId) ?? {
      fundId: g.fundId,
      fundName: g.fundName,
      groups: [],
      spendByMonth: netSpendByMonth(inputs, g.fundId),
      ...finish({
        potPence: 0,
        awardedPence: 0,
        offeredPence: 0,
        paidPence: 0,
        clawedBackPence: 0,
        keptOnWithdrawnPence: 0,
        byStatus: emptyStatuses(),
        overdueReports: 0,
        outstandingConditions: 0,
      }),
    };
    fund.groups.push(group);
    funds.set(g.fundId, fund);
  }
  return [...funds.values()].map((fund) => {
    const byStatus = emptyStatuses();
    for (const g of fund.groups) for (const s of AWARD_STATUSES) byStatus[s] += g.byStatus[s];
    const sum = (
      key: "potPence" | "awardedPence" | "offeredPence" | "paidPence" | "clawedBackPence" | "keptOnWithdrawnPence" | "overdueReports" | "outstandingConditions",
    ) => fund.groups.reduce((t, g) => t + g[key], 0);
    return {
      ...fund,
      ...finish({
        potPence: sum("potPence"),
        awardedPence: sum("awardedPence"),
        offeredPence: sum("offeredPence"),
        paidPence: sum("paidPence"),
        clawedBackPence: sum("clawedBackPence"),
        keptOnWithdrawnPence: sum("keptOnWithdrawnPence"),
        byStatus,
        overdueReports: sum("overdueReports"),
        outstandingConditions: sum("outstandingConditions"),
      }),
    };
  });
}

/** A bar's length as a percentage of the largest, for a chart that also writes the figure beside it. */
export const barPercent = (value: number, max: number): number => (max <= 0 ? 0 : Math.round((value / max) * 100));

/**
 * The administrators' awards dashboard, assembled from a handful of SQL
 * sums. Pure: the figures for each fund are the sums of its groups', so the
 * page adds up to the payments recorded.
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
  /** Payments with status paid. */
  paidPence: number;
  /** Awarded less paid. */
  remainingPence: number;
  /** The pot less what is awarded and offered. */
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
  /** Paid per month ("YYYY-MM"), oldest first. */
  spendByMonth: { month: string; paidPence: number }[];
}

const emptyStatuses = (): Record<AwardStatus, number> => ({ offered: 0, accepted: 0, declined: 0, closed: 0, withdrawn: 0 });

export interface DashboardInputs {
  groups: readonly GroupRow[];
  awardsByStatus: readonly { groupId: string; status: AwardStatus; count: number; amountPence: number }[];
  paidByGroup: readonly { groupId: string; paidPence: number }[];
  overdueByGroup: readonly { groupId: string; count: number }[];
  conditionsByGroup: readonly { groupId: string; count: number }[];
  spendByFundMonth: readonly { fundId: string; month: string; paidPence: number }[];
}

function finish<T extends Omit<Figures, "remainingPence" | "uncommittedPence">>(f: T): T & Pick<Figures, "remainingPence" | "uncommittedPence"> {
  return { ...f, remainingPence: f.awardedPence - f.paidPence, uncommittedPence: f.potPence - f.awardedPence - f.offeredPence };
}

export function buildDashboard(inputs: DashboardInputs): DashboardFund[] {
  const lookup = <R extends { groupId: string }>(rows: readonly R[]) => {
    const map = new Map<string, R[]>();
    for (const r of rows) map.set(r.groupId, [...(map.get(r.groupId) ?? []), r]);
    return map;
  };
  const statuses = lookup(inputs.awardsByStatus);
  const paid = lookup(inputs.paidByGroup);
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
    const group: DashboardGroup = finish({
      groupId: g.groupId,
      groupName: g.groupName,
      potPence: g.potPence,
      awardedPence,
      offeredPence,
      paidPence: (paid.get(g.groupId) ?? []).reduce((t, r) => t + r.paidPence, 0),
      byStatus,
      overdueReports: (overdue.get(g.groupId) ?? []).reduce((t, r) => t + r.count, 0),
      outstandingConditions: (conditions.get(g.groupId) ?? []).reduce((t, r) => t + r.count, 0),
    });
    const fund = funds.get(g.fundId) ?? {
      fundId: g.fundId,
      fundName: g.fundName,
      groups: [],
      spendByMonth: inputs.spendByFundMonth.filter((s) => s.fundId === g.fundId).map(({ month, paidPence }) => ({ month, paidPence })),
      ...finish({ potPence: 0, awardedPence: 0, offeredPence: 0, paidPence: 0, byStatus: emptyStatuses(), overdueReports: 0, outstandingConditions: 0 }),
    };
    fund.groups.push(group);
    funds.set(g.fundId, fund);
  }
  return [...funds.values()].map((fund) => {
    const byStatus = emptyStatuses();
    for (const g of fund.groups) for (const s of AWARD_STATUSES) byStatus[s] += g.byStatus[s];
    const sum = (key: "potPence" | "awardedPence" | "offeredPence" | "paidPence" | "overdueReports" | "outstandingConditions") =>
      fund.groups.reduce((t, g) => t + g[key], 0);
    return {
      ...fund,
      ...finish({
        potPence: sum("potPence"),
        awardedPence: sum("awardedPence"),
        offeredPence: sum("offeredPence"),
        paidPence: sum("paidPence"),
        byStatus,
        overdueReports: sum("overdueReports"),
        outstandingConditions: sum("outstandingConditions"),
      }),
    };
  });
}

/** A bar's length as a percentage of the largest, for a chart that also writes the figure beside it. */
export const barPercent = (value: number, max: number): number => (max <= 0 ? 0 : Math.round((value / max) * 100));

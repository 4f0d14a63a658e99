/**
 * The administrator's home as a queue of work: each kind of task with how many
 * are waiting and the page that does it. Pure: the model counts, this decides
 * the words and the links, so the page and its test read the same list.
 */

/** One place to go and do some work, with how many items are waiting there. */
export interface QueueLink {
  label: string;
  count: number;
  href: string;
}

export interface QueueItem extends QueueLink {
  key: QueueKey;
  /** Where the work sits in more than one place (a decision group, an award): a link to each. */
  places: QueueLink[];
}

export type QueueKey = "screening" | "payments" | "evidence" | "overdueReports" | "decisions";

/** The counts the model gathers, one query each. */
export interface QueueCounts {
  /** Proposals the lead organisation supported, waiting to be marked eligible or not. */
  toScreen: number;
  /** Payments above the fund's threshold, waiting for a second administrator. */
  paymentsToApprove: number;
  /** Conditions whose evidence the group has sent, waiting for sign-off, per award. */
  evidenceByAward: Array<{ awardId: string; reference: string; organisationName: string; count: number }>;
  /** Reports still owed after their due date (the same rule as /admin/reports). */
  overdueReports: number;
  /** Eligible proposals with no decision yet, per decision group. */
  decisionsByGroup: Array<{ decisionGroupId: string; decisionGroupName: string; fundName: string; count: number }>;
}

const sum = (rows: ReadonlyArray<{ count: number }>) => rows.reduce((total, r) => total + r.count, 0);

/** The queue in the order the work usually flows; items with nothing waiting stay, with 0, so the page always says where things are done. */
export function adminWorkQueue(counts: QueueCounts): QueueItem[] {
  return [
    { key: "screening", label: "Proposals to screen", count: counts.toScreen, href: "/admin/screening", places: [] },
    {
      key: "decisions",
      label: "Decisions pending",
      count: sum(counts.decisionsByGroup),
      href: "/admin/funds",
      places: counts.decisionsByGroup.map((g) => ({
        label: `${g.decisionGroupName} (${g.fundName})`,
        count: g.count,
        href: `/admin/groups/${g.decisionGroupId}/decisions`,
      })),
    },
    {
      key: "evidence",
      label: "Evidence to sign off",
      count: sum(counts.evidenceByAward),
      href: "/admin/awards",
      places: counts.evidenceByAward.map((a) => ({ label: `${a.reference}: ${a.organisationName}`, count: a.count, href: `/admin/awards/${a.awardId}` })),
    },
    { key: "payments", label: "Payments to approve", count: counts.paymentsToApprove, href: "/admin/payments", places: [] },
    { key: "overdueReports", label: "Overdue reports", count: counts.overdueReports, href: "/admin/reports", places: [] },
  ];
}

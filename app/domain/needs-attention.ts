/**
 * The awards dashboard's pictures and its "needs attention" list (issue 10,
 * item 10). Pure: the model gathers rows with the shared definitions (overdue
 * is monitoring.server's overdueReports, evidence and payments are the
 * administrator's work queue's), this decides the words, the order and the links.
 */
import { formatPence } from "./money";
import { formatDate } from "./phases";

/** An offer still not accepted this many days after it was made needs a nudge. */
export const OFFER_NUDGE_DAYS = 14;

/** How many entries each kind lists before "see all". */
export const ATTENTION_LIMIT = 10;

export interface FundBar {
  key: "pot" | "awarded" | "paid";
  label: string;
  pence: number;
  /** Width as a whole percentage of the largest of the three (the pot, unless more was awarded), 0 to 100. */
  percent: number;
  /** The figure in words, shown beside the bar, so the bar never carries meaning alone. */
  text: string;
}

/** Three bars per fund, pot, awarded and paid, each with its figure in words beside it. */
export function fundBars(figures: { potPence: number; awardedPence: number; paidPence: number }): FundBar[] {
  const values = [
    { key: "pot" as const, label: "Pot", pence: figures.potPence },
    { key: "awarded" as const, label: "Awarded", pence: figures.awardedPence },
    { key: "paid" as const, label: "Paid", pence: figures.paidPence },
  ];
  const largest = Math.max(0, ...values.map((v) => v.pence));
  return values.map((v) => {
    const share = figures.potPence > 0 ? Math.round((v.pence / figures.potPence) * 100) : null;
    return {
      ...v,
      percent: largest > 0 ? Math.round((Math.max(0, v.pence) / largest) * 100) : 0,
      text: v.key === "pot" || share === null ? formatPence(v.pence) : `${formatPence(v.pence)} (${share}% of the pot)`,
    };
  });
}

export interface AttentionInput {
  overdueReports: ReadonlyArray<{ awardId: string; awardReference: string; organisationName: string; kind: string; dueOn: string }>;
  paymentsToApprove: ReadonlyArray<{ awardId: string; awardReference: string; organisationName: string; amountPence: number }>;
  staleOffers: ReadonlyArray<{ awardId: string; awardReference: string; organisationName: string; offeredAt: string }>;
  evidenceByAward: ReadonlyArray<{ awardId: string; reference: string; organisationName: string; count: number }>;
}

export interface AttentionEntry {
  label: string;
  href: string;
}

export interface AttentionItem {
  key: "overdueReports" | "paymentsToApprove" | "staleOffers" | "evidence";
  label: string;
  count: number;
  /** Where the whole list is kept. */
  href: string;
  /** The first ATTENTION_LIMIT, each linking to its award. */
  entries: AttentionEntry[];
  /** More entries than shown: the page links to the whole list. */
  hasMore: boolean;
}

const daysBetween = (fromIso: string, today: string) =>
  Math.floor((Date.parse(`${today}T00:00:00Z`) - Date.parse(fromIso.slice(0, 10) + "T00:00:00Z")) / 86_400_000);

/** The cut-off for a stale offer: made before this ISO date, OFFER_NUDGE_DAYS before `today` (a UK date). */
export function staleOfferCutoff(today: string): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) - OFFER_NUDGE_DAYS * 86_400_000).toISOString();
}

/** Each kind of work with a link to each award; kinds with nothing waiting are left out, so the list is only what needs doing. */
export function attentionList(input: AttentionInput, today: string): AttentionItem[] {
  const items: Omit<AttentionItem, "hasMore">[] = [
    {
      key: "overdueReports",
      label: "Overdue monitoring reports",
      count: input.overdueReports.length,
      href: "/admin/reports",
      entries: input.overdueReports.map((r) => ({
        label: `${r.awardReference}: ${r.organisationName}, ${r.kind} report due ${formatDate(r.dueOn)}`,
        href: `/admin/awards/${r.awardId}/reports`,
      })),
    },
    {
      key: "paymentsToApprove",
      label: "Payments waiting for a second approval",
      count: input.paymentsToApprove.length,
      href: "/admin/payments",
      entries: input.paymentsToApprove.map((p) => ({
        label: `${p.awardReference}: ${p.organisationName}, ${formatPence(p.amountPence)}`,
        href: `/admin/awards/${p.awardId}/payments`,
      })),
    },
    {
      key: "staleOffers",
      label: `Offers not accepted after ${OFFER_NUDGE_DAYS} days`,
      count: input.staleOffers.length,
      href: "/admin/awards",
      entries: input.staleOffers.map((o) => ({
        label: `${o.awardReference}: ${o.organisationName}, offered ${daysBetween(o.offeredAt, today)} days ago`,
        href: `/admin/awards/${o.awardId}`,
      })),
    },
    {
      key: "evidence",
      label: "Evidence to sign off",
      count: input.evidenceByAward.reduce((n, a) => n + a.count, 0),
      href: "/admin/awards",
      entries: input.evidenceByAward.map((a) => ({
        label: `${a.reference}: ${a.organisationName}, ${a.count} ${a.count === 1 ? "condition" : "conditions"}`,
        href: `/admin/awards/${a.awardId}`,
      })),
    },
  ];
  return items.filter((i) => i.count > 0).map((i) => ({ ...i, entries: i.entries.slice(0, ATTENTION_LIMIT), hasMore: i.entries.length > ATTENTION_LIMIT }));
}

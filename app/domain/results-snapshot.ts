/**
 * The public results as published: one immutable document per publication
 * (docs/decisions/0035), and how its long lists are cut into pages. Pure.
 */
import type { Constituency, DecisionOutcome } from "../../db/schema";
import type { Departure } from "./decision-departures";

/** Funded projects shown per page, on the fund's results page and on each group's. */
export const RESULTS_PAGE_SIZE = 50;

export interface SnapshotProject {
  id: string;
  reference: string;
  title: string;
  organisation: string;
  amountPence: number;
  reason: string;
}

/** A decision that went against the panel's vote or the adopted allocation, with its published reason. */
export interface SnapshotDeparture {
  id: string;
  reference: string;
  title: string;
  meetingId: string | null;
  outcome: DecisionOutcome;
  departures: Departure[];
  reason: string;
}

export interface ResultsCounts {
  received: number;
  eligible: number;
  funded: number;
  notFunded: number;
  reserve: number;
}

export interface SnapshotGroup {
  id: string;
  name: string;
  area: string;
  potPence: number;
  fundedPence: number;
  counts: ResultsCounts;
  funded: SnapshotProject[];
  panel: {
    counts: Record<Constituency, number>;
    total: number;
    publicNames: { name: string; constituency: Constituency | null; isChair: boolean }[];
  };
  minutes: { id: string; title: string; heldOn: string; minutes: string }[];
  declarations: { id: string; text: string }[];
  departed: SnapshotDeparture[];
}

/** Everything the public results pages show, as it stood when the results were published. */
export interface ResultsSnapshot {
  fund: { name: string; budgetPence: number };
  totals: { potsPence: number; fundedPence: number; received: number; eligible: number; funded: number };
  groups: SnapshotGroup[];
}

/** The fund's totals: the sum over its groups. */
export function fundTotals(groups: readonly Pick<SnapshotGroup, "potPence" | "fundedPence" | "counts">[]): ResultsSnapshot["totals"] {
  const sum = (f: (g: (typeof groups)[number]) => number) => groups.reduce((total, g) => total + f(g), 0);
  return {
    potsPence: sum((g) => g.potPence),
    fundedPence: sum((g) => g.fundedPence),
    received: sum((g) => g.counts.received),
    eligible: sum((g) => g.counts.eligible),
    funded: sum((g) => g.counts.funded),
  };
}

export interface Page<T> {
  items: T[];
  /** The page asked for (1 when none was). */
  page: number;
  pageCount: number;
  total: number;
  /** True when the page asked for does not exist (0, -1, "abc", or past the last page): items is empty. */
  isOutOfRange: boolean;
}

/** The ?page= value as asked for: 1 when absent, null when it is not a whole number from 1. */
export function requestedPage(raw: string | null): number | null {
  if (raw === null || raw === "") return 1;
  return /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : null;
}

/** One page of a list. A page that does not exist gives no items and says so; a list with no items has one (empty) page. */
export function pageOf<T>(items: readonly T[], requested: number | null, size = RESULTS_PAGE_SIZE): Page<T> {
  const pageCount = Math.max(1, Math.ceil(items.length / size));
  if (requested === null || requested > pageCount) return { items: [], page: requested ?? 1, pageCount, total: items.length, isOutOfRange: true };
  return { items: items.slice((requested - 1) * size, requested * size), page: requested, pageCount, total: items.length, isOutOfRange: false };
}

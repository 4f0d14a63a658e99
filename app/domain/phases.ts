// Made once: building an Intl.DateTimeFormat costs far more than formatting with one (about 8% of a page that lists dates).
const UK_DAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" });
const LONG_DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** Today's date in the UK (YYYY-MM-DD): the portal's deadlines are UK dates. */
export function ukDate(now: Date): string {
  return UK_DAY.format(now);
}

export interface FundPhases {
  opens_on: string | null;
  closes_on: string | null;
}

/** Proposals can be submitted from the opening date to the end of the closing date, UK time. */
export function submissionWindow(fund: FundPhases, now: Date): "not_open" | "open" | "closed" {
  const today = ukDate(now);
  if (fund.opens_on && today < fund.opens_on) return "not_open";
  if (fund.closes_on && today > fund.closes_on) return "closed";
  return "open";
}

/** "23 November 2026" from "2026-11-23". */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return "";
  return LONG_DATE.format(new Date(`${isoDate.slice(0, 10)}T12:00:00Z`));
}

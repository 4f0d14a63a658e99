import { z } from "zod";
import { parseForm } from "~/utils/forms";
import { nextIsoDate, optionalIsoDateField } from "./fields";

const optional = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => (v ? v : undefined));

/** The audit trail's filters (a GET form). */
export const AuditFilterSchema = z.object({
  entityType: optional,
  entityId: optional,
  actor: optional,
  action: optional,
  from: optionalIsoDateField("Enter the from date as a real date, for example 2027-03-31").transform((v) => v ?? undefined),
  to: optionalIsoDateField("Enter the to date as a real date, for example 2027-03-31").transform((v) => v ?? undefined),
});

/**
 * The audit filters from a query string; "to" becomes the exclusive start of
 * the next day. A filter that is not valid (a date not on the calendar) is
 * left out and `parsed` says why; the other filters still apply.
 */
export function auditFiltersFrom(params: URLSearchParams) {
  const parsed = parseForm(AuditFilterSchema, params);
  let usable = parsed;
  if (!parsed.ok) {
    const valid = new URLSearchParams([...params].filter(([key]) => !(key in parsed.errors)));
    usable = parseForm(AuditFilterSchema, valid);
  }
  const data = usable.ok ? usable.data : {};
  return { parsed, filters: { ...data, to: data.to ? nextIsoDate(data.to) : undefined } };
}

/** The audit trail's page links: ?before=<event id> (older events) or ?after=<event id> (newer ones). */
export const AUDIT_PAGE_LINK_ERROR = "This page link does not work. Go to the newest events.";

/**
 * Where a page of the audit trail starts, from ?before= or ?after=. A value that
 * is not a whole event number (or both at once) gives the newest page and an error.
 */
export function auditCursorFrom(params: URLSearchParams): { cursor: { before?: number; after?: number }; error: string | null } {
  // after=0 is the start of the trail (the "newer" link from an empty page past the oldest event).
  const read = (key: "before" | "after", lowest: number) => {
    const raw = params.get(key);
    if (raw === null) return { isGiven: false, value: undefined };
    const value = /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    return { isGiven: true, value: Number.isSafeInteger(value) && value >= lowest ? value : undefined };
  };
  const before = read("before", 1);
  const after = read("after", 0);
  const isBad = (before.isGiven && before.value === undefined) || (after.isGiven && after.value === undefined) || (before.isGiven && after.isGiven);
  if (isBad) return { cursor: {}, error: AUDIT_PAGE_LINK_ERROR };
  return { cursor: before.value !== undefined ? { before: before.value } : after.value !== undefined ? { after: after.value } : {}, error: null };
}

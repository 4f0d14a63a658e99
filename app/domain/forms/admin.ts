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

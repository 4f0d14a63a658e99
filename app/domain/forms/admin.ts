import { z } from "zod";
import { parseForm } from "~/utils/forms";

const optional = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => (v ? v : undefined));
const date = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .refine((v) => v === undefined || /^\d{4}-\d{2}-\d{2}$/.test(v), "Enter a date like 2026-11-23");

/** The audit trail's filters (a GET form). */
export const AuditFilterSchema = z.object({
  entityType: optional,
  entityId: optional,
  actor: optional,
  action: optional,
  from: date,
  to: date,
});

/** The audit filters from a query string; "to" becomes the exclusive start of the next day. */
export function auditFiltersFrom(params: URLSearchParams) {
  const parsed = parseForm(AuditFilterSchema, params);
  const to = parsed.ok && parsed.data.to ? new Date(Date.parse(parsed.data.to) + 86_400_000).toISOString().slice(0, 10) : undefined;
  return { parsed, filters: parsed.ok ? { ...parsed.data, to } : {} };
}

import { z } from "zod";

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

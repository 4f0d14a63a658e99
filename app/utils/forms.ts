import type { z } from "zod";

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string>;

export type ParsedForm<T> =
  | { ok: true; data: T; values: FormValues }
  | { ok: false; errors: FieldErrors; values: FormValues };

/** Fields never echoed back to the page, even on error. */
const SECRET_FIELDS = new Set(["password", "newPassword", "csrf"]);

/** Runs a form's zod schema; on failure gives one plain-English message per field and the input to keep. */
export function parseForm<S extends z.ZodTypeAny>(schema: S, form: FormData | URLSearchParams): ParsedForm<z.infer<S>> {
  const values: FormValues = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !SECRET_FIELDS.has(key)) values[key] = value;
  }
  const raw: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string") raw[key] = value;
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data, values };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values };
}

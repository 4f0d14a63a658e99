import { DecisionGroupSchema, LeadOrganisationIdsSchema, type DecisionGroupInput } from "~/domain/forms/fund";
import { parseForm, type FieldErrors, type FormValues } from "./forms";

export type ParsedDecisionGroup =
  | { ok: true; data: DecisionGroupInput; values: FormValues }
  | { ok: false; errors: FieldErrors; values: FormValues };

/** The decision group form: its single fields through the schema, and its lead-organisation checkboxes (many values, one name). */
export function parseDecisionGroupForm(form: FormData): ParsedDecisionGroup {
  const parsed = parseForm(DecisionGroupSchema, form);
  const checked = form.getAll("leadOrganisationIds").filter((v): v is string => typeof v === "string");
  const ids = LeadOrganisationIdsSchema.safeParse(checked);
  // The ticked boxes travel back in values as one space-separated string (ids have no spaces).
  const values = { ...parsed.values, leadOrganisationIds: checked.join(" ") };
  if (parsed.ok && ids.success) {
    return { ok: true, data: { ...parsed.data, leadOrganisationIds: ids.data }, values };
  }
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  if (!ids.success) errors.leadOrganisationIds = ids.error.issues[0]?.message ?? "Choose at least one lead organisation";
  return { ok: false, errors, values };
}

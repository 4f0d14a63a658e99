/**
 * A panel member's score sheet for one proposal: reading the form, checking
 * marks against the fund's scale, and the weighted total. Pure.
 */

export interface SheetCriterion {
  id: string;
  name: string;
  weight: number;
}

export type SheetState = "not_started" | "draft" | "submitted";

export const SHEET_STATE_LABELS: Record<SheetState, string> = {
  not_started: "Not started",
  draft: "Draft saved",
  submitted: "Scores submitted",
};

export function sheetState(sheet: { submitted_at: string | null } | null | undefined): SheetState {
  if (!sheet) return "not_started";
  return sheet.submitted_at ? "submitted" : "draft";
}

export const markField = (criterionId: string) => `mark-${criterionId}`;
export const commentField = (criterionId: string) => `comment-${criterionId}`;
export const OVERALL_FIELD = "overall";

export const MAX_COMMENT = 2000;
export const MAX_OVERALL = 5000;

export interface ScoreSheetInput {
  /** Criterion id → mark; a draft may leave criteria unmarked. */
  marks: Record<string, number>;
  comments: Record<string, string>;
  overall: string;
}

export type ParsedSheet = { ok: true; input: ScoreSheetInput } | { ok: false; errors: Record<string, string> };

/**
 * Reads a score sheet from form fields. Marks must be whole numbers from 0 to
 * the fund's top mark; on submit every criterion must be marked.
 */
export function parseScoreSheet(fields: Record<string, string>, criteria: readonly SheetCriterion[], scaleMax: number, isSubmit: boolean): ParsedSheet {
  const errors: Record<string, string> = {};
  const marks: Record<string, number> = {};
  const comments: Record<string, string> = {};
  for (const criterion of criteria) {
    const raw = (fields[markField(criterion.id)] ?? "").trim();
    const comment = (fields[commentField(criterion.id)] ?? "").trim();
    if (raw === "") {
      if (isSubmit) errors[markField(criterion.id)] = `Choose a score for "${criterion.name}"`;
      // A comment is stored with its mark, so a draft comment alone would be lost.
      else if (comment) errors[markField(criterion.id)] = `Choose a score for "${criterion.name}" so your comment on it can be saved`;
    } else if (!/^\d+$/.test(raw) || Number(raw) > scaleMax) {
      errors[markField(criterion.id)] = `The score for "${criterion.name}" must be a whole number from 0 to ${scaleMax}`;
    } else {
      marks[criterion.id] = Number(raw);
    }
    if (comment.length > MAX_COMMENT) errors[commentField(criterion.id)] = `Your comment on "${criterion.name}" must be 2,000 characters or fewer`;
    comments[criterion.id] = comment;
  }
  const overall = (fields[OVERALL_FIELD] ?? "").trim();
  if (overall.length > MAX_OVERALL) errors[OVERALL_FIELD] = "Your overall comment must be 5,000 characters or fewer";
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, input: { marks, comments, overall } };
}

/** Sum of mark × weight; null unless every criterion is marked. */
export function weightedTotal(criteria: readonly SheetCriterion[], marks: Readonly<Record<string, number>>): number | null {
  let total = 0;
  for (const c of criteria) {
    const mark = marks[c.id];
    if (mark === undefined) return null;
    total += mark * c.weight;
  }
  return total;
}

/** The most a scorer can give: top mark on every criterion. */
export const maximumTotal = (criteria: readonly SheetCriterion[], scaleMax: number) => criteria.reduce((sum, c) => sum + c.weight * scaleMax, 0);

/** "3 of 8 scored". */
export const progressText = (done: number, total: number) => `${done} of ${total} scored`;

/**
 * Equality monitoring ("who took part"): pure rules for the reference figures
 * and the report. Small groups are hidden so nobody can be picked out
 * (docs/decisions/0030).
 */

export type EqualityRoleGroup = "panel" | "applicant";

export const EQUALITY_ROLE_GROUPS: readonly EqualityRoleGroup[] = ["panel", "applicant"];

export const ROLE_GROUP_LABELS: Record<EqualityRoleGroup, string> = { panel: "Panel members", applicant: "Applicants" };

/** Every question offers this, and it is added for the administrator. */
export const PREFER_NOT_TO_SAY = "Prefer not to say";

/** A count (or a group) below this is hidden. */
export const SMALLEST_SHOWN = 5;

export const HIDDEN_TEXT = "Fewer than 5: hidden";

/** The options typed one a line: trimmed, blanks and repeats dropped, and "Prefer not to say" left out (it is always added last). */
export function parseOptionLines(text: string): string[] {
  const seen = new Set<string>();
  const options: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const label = line.trim();
    const key = label.toLowerCase();
    if (!label || seen.has(key) || key === PREFER_NOT_TO_SAY.toLowerCase()) continue;
    seen.add(key);
    options.push(label);
  }
  return options;
}

/** "12.5" → 125 tenths of a percent; "" → null (not known); undefined for anything that is not 0–100 with one decimal at most. */
export function parsePercent(text: string): number | null | undefined {
  const value = text.trim().replace(/%$/, "").trim();
  if (value === "") return null;
  if (!/^\d{1,3}(\.\d)?$/.test(value)) return undefined;
  const tenths = Math.round(Number(value) * 10);
  return tenths <= 1000 ? tenths : undefined;
}

/** 125 → "12.5%"; 120 → "12%". */
export function formatTenths(tenths: number): string {
  return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)}%`;
}

/** 125 → "12.5"; 50 → "5": a number of percentage points. */
const points = (tenths: number): string => (tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1));

/** What the area's figures for one question add up to, and a warning unless it is exactly 100%. */
export function referenceTotal(tenths: readonly (number | null)[]): { totalTenths: number; known: number; warning: string | null } {
  const known = tenths.filter((t): t is number => t !== null);
  const totalTenths = known.reduce((sum, t) => sum + t, 0);
  if (known.length === 0) return { totalTenths, known: 0, warning: null };
  if (totalTenths === 1000) return { totalTenths, known: known.length, warning: null };
  if (totalTenths > 1000)
    return { totalTenths, known: known.length, warning: `The area's figures add up to ${formatTenths(totalTenths)}. That is more than 100%.` };
  return {
    totalTenths,
    known: known.length,
    warning: `The area's figures add up to ${formatTenths(totalTenths)}, not 100%. The other ${formatTenths(1000 - totalTenths)} shows as unknown.`,
  };
}

/** The difference from the area in words: "5 points fewer than the area". */
export function differenceInWords(diffTenths: number): string {
  if (diffTenths === 0) return "The same as the area";
  const n = points(Math.abs(diffTenths));
  const unit = n === "1" ? "point" : "points";
  return diffTenths < 0 ? `${n} ${unit} fewer than the area` : `${n} ${unit} more than the area`;
}

/** The difference as a signed number of points: "−5", "+2.5", "0". */
export function differenceInNumbers(diffTenths: number): string {
  if (diffTenths === 0) return "0";
  return `${diffTenths < 0 ? "−" : "+"}${points(Math.abs(diffTenths))}`;
}

export interface ReportOption {
  id: string;
  label: string;
  isPreferNotToSay: boolean;
  referenceTenths: number | null;
}

export interface ReportQuestion {
  id: string;
  text: string;
  options: readonly ReportOption[];
}

export interface ReportCell {
  /** null when hidden. */
  count: number | null;
  /** The share of the group's answers to this question, in tenths of a percent; null when hidden. */
  shareTenths: number | null;
  /** Share minus the area's, in tenths; null when hidden or the area's is not known. */
  diffTenths: number | null;
  diffWords: string | null;
}

export interface ReportGroup {
  /** How many in the group answered this question; null when fewer than 5 (the whole group is hidden). */
  total: number | null;
  isHidden: boolean;
}

export interface ReportRow {
  optionId: string;
  label: string;
  referenceTenths: number | null;
  cells: Record<EqualityRoleGroup, ReportCell>;
}

export interface QuestionReport {
  id: string;
  text: string;
  groups: Record<EqualityRoleGroup, ReportGroup>;
  rows: ReportRow[];
  reference: ReturnType<typeof referenceTotal>;
}

const HIDDEN_CELL: ReportCell = { count: null, shareTenths: null, diffTenths: null, diffWords: null };

/**
 * Which counts of one group's answers to one question may be shown: none if
 * fewer than `smallest` (5 unless said) answered; otherwise each count of that or more. When only one
 * count (not a zero, which says nothing about anyone) would be hidden,
 * anyone could work it out from the total, so the smallest shown count is
 * hidden with it.
 */
export function shownCounts(counts: readonly number[], smallest = SMALLEST_SHOWN): boolean[] {
  const total = counts.reduce((s, c) => s + c, 0);
  if (total < smallest) return counts.map(() => false);
  const shown = counts.map((c) => c >= smallest);
  const hidden = counts.filter((_, i) => !shown[i]);
  if (hidden.length === 1 && hidden[0]! > 0 && shown.some(Boolean)) {
    let smallest = -1;
    counts.forEach((c, i) => {
      if (shown[i] && (smallest === -1 || c < counts[smallest]!)) smallest = i;
    });
    shown[smallest] = false;
  }
  return shown;
}

/**
 * The report for one question: each option's count and share for the panel
 * and the applicants beside the area's figure, with small numbers hidden.
 * `counts` is keyed "group:optionId".
 */
export function buildQuestionReport(question: ReportQuestion, counts: ReadonlyMap<string, number>): QuestionReport {
  const groups = {} as Record<EqualityRoleGroup, ReportGroup>;
  const cellsByGroup = {} as Record<EqualityRoleGroup, ReportCell[]>;
  for (const group of EQUALITY_ROLE_GROUPS) {
    const raw = question.options.map((o) => counts.get(`${group}:${o.id}`) ?? 0);
    const total = raw.reduce((s, c) => s + c, 0);
    const shown = shownCounts(raw);
    const isHidden = total < SMALLEST_SHOWN;
    groups[group] = { total: isHidden ? null : total, isHidden };
    cellsByGroup[group] = question.options.map((o, i) => {
      if (!shown[i]) return HIDDEN_CELL;
      const shareTenths = Math.round((raw[i]! * 1000) / total);
      const diffTenths = o.referenceTenths === null || o.isPreferNotToSay ? null : shareTenths - o.referenceTenths;
      return { count: raw[i]!, shareTenths, diffTenths, diffWords: diffTenths === null ? null : differenceInWords(diffTenths) };
    });
  }
  return {
    id: question.id,
    text: question.text,
    groups,
    rows: question.options.map((o, i) => ({
      optionId: o.id,
      label: o.label,
      referenceTenths: o.referenceTenths,
      cells: { panel: cellsByGroup.panel[i]!, applicant: cellsByGroup.applicant[i]! },
    })),
    reference: referenceTotal(question.options.map((o) => o.referenceTenths)),
  };
}

import { formatPence, parsePoundsToPence, penceToPoundsInput } from "./money";
import { isRealIsoDate } from "./forms/fields";
import {
  amountProblem,
  checklist,
  MAX_BUDGET_LINES,
  MAX_OUTCOMES,
  NEED_TYPES,
  SUMMARY_MAX_WORDS,
  wordCount,
  type BudgetLine,
  type GroupLimits,
  type NeedType,
  type Outcome,
  type ProposalContent,
} from "./proposal";

/**
 * The outline form as a GOV.UK task list: each section is its own page and
 * saves on its own. A field with a problem is not saved, and the message is
 * shown on that section's page only; everything else on the page is saved.
 */
export const SECTION_IDS = ["about", "benefits", "budget", "dates", "outcomes"] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export const isSectionId = (value: string | undefined): value is SectionId => (SECTION_IDS as readonly string[]).includes(value ?? "");

export interface SectionInfo {
  id: SectionId;
  title: string;
  /** The checklist items (app/domain/proposal.ts) this section completes. */
  checks: readonly string[];
}

export const SECTIONS: readonly SectionInfo[] = [
  { id: "about", title: "About the project", checks: ["title", "summary", "needType", "needEvidence", "whatBuilt"] },
  { id: "benefits", title: "Who benefits", checks: ["beneficiaries"] },
  { id: "budget", title: "Budget", checks: ["budget", "amountRequested"] },
  { id: "dates", title: "Dates", checks: ["startDate"] },
  { id: "outcomes", title: "Outcomes", checks: ["outcomes"] },
];

export const sectionOf = (id: SectionId): SectionInfo => SECTIONS.find((s) => s.id === id)!;

/** The section a checklist item belongs to, for links from "check your answers". */
export function sectionForCheck(field: string): SectionId {
  return SECTIONS.find((s) => s.checks.includes(field))?.id ?? "about";
}

export type SectionStatus = "not_started" | "in_progress" | "completed";

export const SECTION_STATUS_LABELS: Record<SectionStatus, string> = {
  not_started: "Not started",
  in_progress: "In progress",
  completed: "Completed",
};

/** What is stored besides the content: the least the group could accept (null means all or nothing). */
export interface ProposalDraft {
  content: ProposalContent;
  leastPence: number | null;
}

function hasAnything(id: SectionId, d: ProposalDraft): boolean {
  const c = d.content;
  switch (id) {
    case "about":
      return Boolean(c.title || c.summary || c.needType || c.needEvidence || c.whatBuilt);
    case "benefits":
      return Boolean(c.beneficiaries || c.beneficiaryCount !== null);
    case "budget":
      return c.budgetLines.length > 0 || c.amountRequestedPence !== null || d.leastPence !== null;
    case "dates":
      return Boolean(c.startDate || c.endDate);
    case "outcomes":
      return c.outcomes.length > 0;
  }
}

/** Each section with its status, worked out from what is saved. */
export function sectionStatuses(d: ProposalDraft, limits: GroupLimits): { id: SectionId; title: string; status: SectionStatus }[] {
  const done = new Map(checklist(d.content, limits).map((item) => [item.field, item.isDone]));
  return SECTIONS.map((s) => {
    const status: SectionStatus = !hasAnything(s.id, d) ? "not_started" : s.checks.every((f) => done.get(f)) ? "completed" : "in_progress";
    return { id: s.id, title: s.title, status };
  });
}

export type FormValues = Record<string, string>;
export type FieldErrors = Record<string, string>;

/** What one section's form changes, and what is wrong with it. */
export interface SectionResult {
  patch: Partial<ProposalContent> & { leastPence?: number | null };
  errors: FieldErrors;
}

/** How many words are left, or how many too many: worked out on the server, so it is right without JavaScript. */
export function wordsLeftMessage(text: string, max = SUMMARY_MAX_WORDS): string {
  const n = wordCount(text);
  if (n > max) return `You have ${n - max} ${n - max === 1 ? "word" : "words"} too many`;
  return `You have ${max - n} ${max - n === 1 ? "word" : "words"} left`;
}

const str = (values: FormValues, name: string) => (values[name] ?? "").trim();

/** A field the form did not send at all is left as it is saved. */
const isSent = (values: FormValues, ...names: string[]) => names.some((n) => values[n] !== undefined);

function textField(values: FormValues, name: string, label: string, max: number, result: SectionResult) {
  if (!isSent(values, name)) return undefined;
  const v = str(values, name);
  if (v.length > max) result.errors[name] = `${label} must be ${max.toLocaleString("en-GB")} characters or fewer. It has ${v.length.toLocaleString("en-GB")}`;
  else return v;
  return undefined;
}

export const TITLE_MAX = 150;
export const TEXT_MAX = 5000;

function parseAbout(values: FormValues): SectionResult {
  const r: SectionResult = { patch: {}, errors: {} };
  const title = textField(values, "title", "The title", TITLE_MAX, r);
  if (title !== undefined) r.patch.title = title;
  const summary = textField(values, "summary", "The summary", TEXT_MAX, r);
  if (summary !== undefined) {
    // Kept even when it is too long, so nothing typed is lost; the section stays "In progress" until it is short enough.
    r.patch.summary = summary;
    if (wordCount(summary) > SUMMARY_MAX_WORDS) r.errors.summary = `The summary must be ${SUMMARY_MAX_WORDS} words or fewer. ${wordsLeftMessage(summary)}`;
  }
  const needType = str(values, "needType");
  if (!isSent(values, "needType")) {
    // No choice sent: radios cannot be cleared, so the saved one stays.
  } else if (!needType) r.patch.needType = null;
  else if ((NEED_TYPES as readonly string[]).includes(needType)) r.patch.needType = needType as NeedType;
  else r.errors.needType = "Choose the kind of need from the list";
  const evidence = textField(values, "needEvidence", "The evidence of need", TEXT_MAX, r);
  if (evidence !== undefined) r.patch.needEvidence = evidence;
  const built = textField(values, "whatBuilt", "What will be built or bought", TEXT_MAX, r);
  if (built !== undefined) r.patch.whatBuilt = built;
  return r;
}

function parseBenefits(values: FormValues): SectionResult {
  const r: SectionResult = { patch: {}, errors: {} };
  const who = textField(values, "beneficiaries", "Who benefits", TEXT_MAX, r);
  if (who !== undefined) r.patch.beneficiaries = who;
  const count = str(values, "beneficiaryCount").replace(/,/g, "");
  if (!isSent(values, "beneficiaryCount")) {
    // Not on the form that was sent.
  } else if (!count) r.patch.beneficiaryCount = null;
  else if (/^\d{1,9}$/.test(count)) r.patch.beneficiaryCount = Number(count);
  else r.errors.beneficiaryCount = "Enter how many people will benefit as a whole number, like 250";
  return r;
}

/** Field names of the repeating rows: "budgetLines[0].item" and so on (the input's id too, so error links work). */
export const budgetItemField = (i: number) => `budgetLines[${i}].item`;
export const budgetCostField = (i: number) => `budgetLines[${i}].cost`;
export const outcomeField = (i: number) => `outcomes[${i}].outcome`;
export const measureField = (i: number) => `outcomes[${i}].measure`;

interface RowShape {
  prefix: "budgetLines" | "outcomes";
  fields: readonly [string, string];
  max: number;
}
const BUDGET_ROWS: RowShape = { prefix: "budgetLines", fields: ["item", "cost"], max: MAX_BUDGET_LINES };
const OUTCOME_ROWS: RowShape = { prefix: "outcomes", fields: ["outcome", "measure"], max: MAX_OUTCOMES };

/** The rows as typed, in page order (up to the most a page can send). */
function typedRows(values: FormValues, shape: RowShape): [string, string][] {
  const rows: [string, string][] = [];
  for (let i = 0; i < shape.max; i += 1) {
    const a = values[`${shape.prefix}[${i}].${shape.fields[0]}`];
    const b = values[`${shape.prefix}[${i}].${shape.fields[1]}`];
    if (a === undefined && b === undefined) continue;
    rows.push([(a ?? "").trim(), (b ?? "").trim()]);
  }
  return rows;
}

/** The rows' values renumbered from 0, to show the form again after a row was removed. */
function rowValues(rows: readonly [string, string][], shape: RowShape): FormValues {
  const out: FormValues = {};
  rows.forEach(([a, b], i) => {
    out[`${shape.prefix}[${i}].${shape.fields[0]}`] = a;
    out[`${shape.prefix}[${i}].${shape.fields[1]}`] = b;
  });
  return out;
}

/** The buttons a section page has: save, add a row, or remove row n (counted from 0). */
export type SectionIntent = { kind: "save" } | { kind: "add_row" } | { kind: "remove_row"; index: number };

export function sectionIntent(value: unknown): SectionIntent {
  const text = typeof value === "string" ? value : "";
  if (text === "add-row") return { kind: "add_row" };
  const remove = /^remove-row-(\d{1,3})$/.exec(text);
  if (remove) return { kind: "remove_row", index: Number(remove[1]) };
  return { kind: "save" };
}

/**
 * The rows a page should show after this press: the ones typed (less a
 * removed one), plus an empty one for "add another". Returns the values to
 * read and the number of rows to draw.
 */
export function applyRowIntent(values: FormValues, section: SectionId, intent: SectionIntent): { values: FormValues; rows: number } {
  const shape = section === "budget" ? BUDGET_ROWS : section === "outcomes" ? OUTCOME_ROWS : null;
  if (!shape) return { values, rows: 0 };
  let rows = typedRows(values, shape);
  if (intent.kind === "remove_row") rows = rows.filter((_, i) => i !== intent.index);
  const kept: FormValues = {};
  for (const [k, v] of Object.entries(values)) if (!k.startsWith(`${shape.prefix}[`)) kept[k] = v;
  const filled = rows.filter(([a, b]) => a || b);
  // One blank row stays when all are gone, so the page still sends the rows and an emptied list is saved as empty.
  const shown = intent.kind === "save" ? rows : filled.length ? filled : [["", ""] as [string, string]];
  const count = Math.min(shape.max, Math.max(1, (intent.kind === "save" ? shown.length : filled.length) + (intent.kind === "add_row" ? 1 : 0)));
  return { values: { ...kept, ...rowValues(shown, shape) }, rows: count };
}

function parseBudget(values: FormValues, limits: GroupLimits, saved: ProposalDraft): SectionResult {
  const r: SectionResult = { patch: {}, errors: {} };
  const rows = typedRows(values, BUDGET_ROWS);
  const lines: BudgetLine[] = [];
  let rowProblem = false;
  rows.forEach(([item, cost], i) => {
    if (!item && !cost) return;
    const n = i + 1;
    const costPence = cost ? parsePoundsToPence(cost) : null;
    if (!item) r.errors[budgetItemField(i)] = `Say what budget line ${n} is for`;
    else if (item.length > 200) r.errors[budgetItemField(i)] = `Budget line ${n} must be 200 characters or fewer`;
    if (!cost) r.errors[budgetCostField(i)] = `Enter the cost of budget line ${n}`;
    else if (costPence === null) r.errors[budgetCostField(i)] = `Enter the cost of budget line ${n} in pounds, like 1250 or 1250.50`;
    else if (costPence === 0) r.errors[budgetCostField(i)] = `The cost of budget line ${n} must be more than £0`;
    if (r.errors[budgetItemField(i)] || r.errors[budgetCostField(i)]) rowProblem = true;
    else lines.push({ item, costPence: costPence! });
  });
  // The list is saved whole or not at all, so a row with a problem never drops out of the saved budget.
  if (!rowProblem && rows.length) r.patch.budgetLines = lines;

  const amountText = str(values, "amountRequested");
  let amountPence: number | null = saved.content.amountRequestedPence;
  if (!isSent(values, "amountRequested")) {
    // Not on the form that was sent.
  } else if (!amountText) {
    r.patch.amountRequestedPence = amountPence = null;
  } else {
    const pence = parsePoundsToPence(amountText);
    const problem = pence === null ? "Enter the amount you ask for in pounds, like 50000 or 50000.50" : amountProblem(pence, limits);
    if (problem) r.errors.amountRequested = problem;
    else r.patch.amountRequestedPence = amountPence = pence;
  }

  const leastText = str(values, "leastPence");
  if (!isSent(values, "leastPence")) {
    // Not on the form that was sent.
  } else if (!leastText) {
    r.patch.leastPence = null;
  } else {
    const problem = leastProblem(leastText, amountPence, limits);
    if (problem) r.errors.leastPence = problem;
    else r.patch.leastPence = parsePoundsToPence(leastText);
  }
  return r;
}

/** Why the least the group could accept is not right, or null. It must be money, at least the minimum grant, and no more than the amount asked. */
export function leastProblem(text: string, amountPence: number | null, limits: GroupLimits): string | null {
  const cleaned = text.trim();
  if (/^-/.test(cleaned.replace(/^£/, ""))) return "The least you could accept cannot be less than £0";
  const pence = parsePoundsToPence(cleaned);
  if (pence === null) return "Enter the least you could accept in pounds, like 40000 or 40000.50";
  return leastPenceProblem(pence, amountPence, limits);
}

/** The same rules for an amount already in pence. */
export function leastPenceProblem(pence: number, amountPence: number | null, limits: GroupLimits): string | null {
  if (!Number.isSafeInteger(pence) || pence < 0) return "The least you could accept cannot be less than £0";
  if (amountPence !== null && pence > amountPence) {
    return `The least you could accept must not be more than the amount you ask for, ${formatPence(amountPence)}`;
  }
  if (pence < limits.minGrantPence) return `The least you could accept must be at least ${formatPence(limits.minGrantPence)}, the smallest grant`;
  return null;
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export const dateFieldNames = (name: "startDate" | "endDate") => ({ day: `${name}-day`, month: `${name}-month`, year: `${name}-year` });

/** A saved YYYY-MM-DD date as the three boxes show it. */
export function partsOf(iso: string | null): DateParts {
  if (!iso) return { day: "", month: "", year: "" };
  const [year = "", month = "", day = ""] = iso.split("-");
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/**
 * The GOV.UK date input rules: blank is no date; one or two boxes empty
 * says which are missing; numbers that make no date say so.
 */
export function readDate(parts: DateParts, label: string): { iso: string | null } | { error: string } {
  const day = parts.day.trim();
  const month = parts.month.trim();
  const year = parts.year.trim();
  if (!day && !month && !year) return { iso: null };
  const missing = [!day && "a day", !month && "a month", !year && "a year"].filter(Boolean) as string[];
  if (missing.length) return { error: `${label} must include ${missing.join(" and ")}` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d+$/.test(year)) return { error: `${label} must be a real date` };
  if (year.length !== 4) return { error: `The year of ${label.toLowerCase()} must have 4 numbers, like 2027` };
  const iso = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  if (!isRealIsoDate(iso)) return { error: `${label} must be a real date` };
  return { iso };
}

/** The fund's dates that bound a project's dates: it cannot start before the decisions are made. */
export interface DateRules {
  decisionsOn: string | null;
}

function parseDates(values: FormValues, rules: DateRules, formatDate: (iso: string) => string): SectionResult {
  const r: SectionResult = { patch: {}, errors: {} };
  const read = (name: "startDate" | "endDate", label: string) => {
    const f = dateFieldNames(name);
    if (!isSent(values, f.day, f.month, f.year)) return { skip: true as const };
    return readDate({ day: values[f.day] ?? "", month: values[f.month] ?? "", year: values[f.year] ?? "" }, label);
  };
  const start = read("startDate", "The start date");
  const end = read("endDate", "The end date");
  if ("skip" in start) {
    // Not on the form that was sent.
  } else if ("error" in start) r.errors.startDate = start.error;
  else if (start.iso && rules.decisionsOn && start.iso < rules.decisionsOn) {
    r.errors.startDate = `The start date must be on or after ${formatDate(rules.decisionsOn)}, when the fund makes its decisions`;
  } else r.patch.startDate = start.iso;
  if ("skip" in end) {
    // Not on the form that was sent.
  } else if ("error" in end) r.errors.endDate = end.error;
  else if (end.iso && "iso" in start && start.iso && end.iso < start.iso) r.errors.endDate = "The end date must be the same as or after the start date";
  else r.patch.endDate = end.iso;
  return r;
}

function parseOutcomes(values: FormValues): SectionResult {
  const r: SectionResult = { patch: {}, errors: {} };
  const outcomes: Outcome[] = [];
  let problem = false;
  const rows = typedRows(values, OUTCOME_ROWS);
  rows.forEach(([outcome, measure], i) => {
    if (!outcome && !measure) return;
    const n = i + 1;
    if (!outcome) r.errors[outcomeField(i)] = `Say what will be different for outcome ${n}`;
    else if (outcome.length > 500) r.errors[outcomeField(i)] = `Outcome ${n} must be 500 characters or fewer`;
    if (!measure) r.errors[measureField(i)] = `Say how you will measure outcome ${n}`;
    else if (measure.length > 500) r.errors[measureField(i)] = `How you will measure outcome ${n} must be 500 characters or fewer`;
    if (r.errors[outcomeField(i)] || r.errors[measureField(i)]) problem = true;
    else outcomes.push({ outcome, measure });
  });
  if (!problem && rows.length) r.patch.outcomes = outcomes;
  return r;
}

export interface SectionContext {
  limits: GroupLimits;
  dateRules: DateRules;
  saved: ProposalDraft;
  formatDate: (iso: string) => string;
}

/** Reads one section's form: what to save, and the messages for what is wrong on this page only. */
export function parseSection(section: SectionId, values: FormValues, ctx: SectionContext): SectionResult {
  switch (section) {
    case "about":
      return parseAbout(values);
    case "benefits":
      return parseBenefits(values);
    case "budget":
      return parseBudget(values, ctx.limits, ctx.saved);
    case "dates":
      return parseDates(values, ctx.dateRules, ctx.formatDate);
    case "outcomes":
      return parseOutcomes(values);
  }
}

/** The saved draft as the section's form fields, to fill the inputs. */
export function sectionValues(d: ProposalDraft): FormValues {
  const c = d.content;
  const values: FormValues = {
    title: c.title,
    summary: c.summary,
    needType: c.needType ?? "",
    needEvidence: c.needEvidence,
    whatBuilt: c.whatBuilt,
    beneficiaries: c.beneficiaries,
    beneficiaryCount: c.beneficiaryCount === null ? "" : String(c.beneficiaryCount),
    amountRequested: penceToPoundsInput(c.amountRequestedPence),
    leastPence: penceToPoundsInput(d.leastPence),
  };
  for (const name of ["startDate", "endDate"] as const) {
    const f = dateFieldNames(name);
    const p = partsOf(c[name]);
    values[f.day] = p.day;
    values[f.month] = p.month;
    values[f.year] = p.year;
  }
  Object.assign(
    values,
    rowValues(
      c.budgetLines.map((l) => [l.item, penceToPoundsInput(l.costPence)]),
      BUDGET_ROWS,
    ),
    rowValues(
      c.outcomes.map((o) => [o.outcome, o.measure]),
      OUTCOME_ROWS,
    ),
  );
  return values;
}

/** How many rows a section page draws for saved content: the saved rows, or one empty one to start. */
export function savedRowCount(section: SectionId, d: ProposalDraft, requested = 0): number {
  if (section === "budget") return Math.min(MAX_BUDGET_LINES, Math.max(1, d.content.budgetLines.length, requested));
  if (section === "outcomes") return Math.min(MAX_OUTCOMES, Math.max(1, d.content.outcomes.length, requested));
  return 0;
}

export const MAX_ROWS: Record<"budget" | "outcomes", number> = { budget: MAX_BUDGET_LINES, outcomes: MAX_OUTCOMES };

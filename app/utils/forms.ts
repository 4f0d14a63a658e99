import type { z } from "zod";

/** One plain-English message per field, keyed by the field's name (the input's id), so the error summary can link to it. */
export type FieldErrors = Record<string, string>;
/**
 * The user's input, by field name, to fill the form again. Rows keep their
 * own names ("budgetLines[0].item"); a name sent several times (checkboxes)
 * is kept as "name[0]", "name[1]"…: read it back with repeatedValues().
 */
export type FormValues = Record<string, string>;

/** What a form's action answers with a 400: the messages and the input to keep. */
export interface FormActionData {
  errors?: FieldErrors;
  values?: FormValues;
}

export type ParsedForm<T> = { ok: true; data: T; values: FormValues } | { ok: false; errors: FieldErrors; values: FormValues };

/** Fields never echoed back to the page, even on error. */
const SECRET_FIELDS = new Set(["password", "newPassword", "csrf"]);

type PathPart = string | number;

/** Row indexes are capped so a crafted name cannot make a huge array. */
const PATH_NAME = /^([A-Za-z_]\w*)((?:\[\d{1,3}\]|\.[A-Za-z_]\w*)*)$/;
const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** "budgetLines[0].item" → ["budgetLines", 0, "item"]; null for a plain name (no index). */
function pathOf(name: string): PathPart[] | null {
  const match = PATH_NAME.exec(name);
  if (!match || !match[2]!.includes("[")) return null;
  const path: PathPart[] = [match[1]!];
  for (const [, index, key] of match[2]!.matchAll(/\[(\d+)\]|\.(\w+)/g)) path.push(index !== undefined ? Number(index) : key!);
  return path.some((part) => typeof part === "string" && UNSAFE_KEYS.has(part)) ? null : path;
}

/** ["budgetLines", 0, "item"] → "budgetLines[0].item": the name of the input a row's message belongs to. */
function fieldName(path: readonly PathPart[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

function setPath(target: Record<string, unknown>, path: PathPart[], value: string) {
  let node: Record<string | number, unknown> = target;
  for (let i = 0; i < path.length - 1; i += 1) {
    const part = path[i]!;
    const wantsArray = typeof path[i + 1] === "number";
    const child = node[part];
    if (typeof child !== "object" || child === null || Array.isArray(child) !== wantsArray) node[part] = wantsArray ? [] : {};
    node = node[part] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** Rows nobody sent (gaps in the numbering) become undefined rather than holes, for zod to see. */
function fillGaps(value: unknown): unknown {
  if (Array.isArray(value)) return Array.from(value, fillGaps);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillGaps(v)]));
  }
  return value;
}

/**
 * What zod sees: a name sent once is a string; a name sent several times
 * (checkboxes, form.getAll) is an array; "rows[0].field" names become arrays
 * of objects. Files are left out (read them from the FormData).
 */
export function formInput(form: FormData | URLSearchParams) {
  const raw: Record<string, unknown> = {};
  const values: FormValues = {};
  const rowNames = new Set<string>();
  const plain = new Map<string, string[]>();
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") continue;
    const path = pathOf(key);
    if (path) {
      rowNames.add(String(path[0]));
      setPath(raw, path, value);
      if (!SECRET_FIELDS.has(String(path[0]))) values[key] = value;
    } else if (!UNSAFE_KEYS.has(key)) {
      plain.set(key, [...(plain.get(key) ?? []), value]);
    }
  }
  for (const [key, list] of plain) {
    if (rowNames.has(key)) continue;
    raw[key] = list.length === 1 ? list[0] : list;
    if (SECRET_FIELDS.has(key)) continue;
    if (list.length === 1) values[key] = list[0]!;
    else list.forEach((v, i) => (values[`${key}[${i}]`] = v));
  }
  return { raw: fillGaps(raw) as Record<string, unknown>, values, rowNames };
}

/**
 * Runs a form's zod schema; on failure gives one plain-English message per
 * field and the input to keep. A row's message is keyed by the row's input
 * ("budgetLines[2].cost"); a checkbox list's by the list's name.
 */
export function parseForm<S extends z.ZodTypeAny>(schema: S, form: FormData | URLSearchParams): ParsedForm<z.infer<S>> {
  const { raw, values, rowNames } = formInput(form);
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data, values };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const [head] = issue.path;
    const field = head === undefined ? "form" : rowNames.has(String(head)) ? fieldName(issue.path) : String(head);
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values };
}

/** The values kept for a name sent several times (checkboxes), in the order sent. */
export function repeatedValues(values: FormValues | null | undefined, name: string): string[] {
  if (!values) return [];
  if (values[name] !== undefined) return [values[name]];
  const list: string[] = [];
  for (let i = 0; values[`${name}[${i}]`] !== undefined; i += 1) list.push(values[`${name}[${i}]`]!);
  return list;
}

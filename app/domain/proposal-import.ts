/**
 * Checking a CSV of outline proposals gathered offline, row by row. Pure:
 * the caller loads the decision groups, organisations and existing
 * proposals, and writes nothing unless every row passes.
 */
import { isSimilarGroupName, looksLikePortalId, normaliseGroupName, normaliseRegistrationNumber, numbersOf } from "./group-names";
import { parsePoundsToPence } from "./money";
import {
  amountProblem,
  checklist,
  MAX_BUDGET_LINES,
  MAX_OUTCOMES,
  NEED_TYPES,
  SUMMARY_MAX_WORDS,
  wordCount,
  type BudgetLine,
  type NeedType,
  type Outcome,
  type ProposalContent,
} from "./proposal";

export interface ImportColumn {
  name: string;
  isRequired: boolean;
  help: string;
  example: string;
}

/** The documented header, in order. The page and the template are built from this. */
export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  { name: "decision_group", isRequired: true, help: "The decision group's name, exactly as the portal shows it.", example: "Inner City and East" },
  {
    name: "fund",
    isRequired: false,
    help: "The fund's name. Only needed when two funds have decision groups with the same name.",
    example: "",
  },
  {
    name: "community_group",
    isRequired: true,
    help: 'The community group\'s name. It is matched ignoring capitals, punctuation and "the". If no community group has this name, a new one is created (the check lists any group with a similar name, in case it is the same group). If two groups have this name, the row is refused: add the identifier.',
    example: "Easton Community Pantry",
  },
  {
    name: "community_group_identifier",
    isRequired: false,
    help: "The group's charity number (like 1234567), company number (like SC012345), or its portal id (shown on the group's page under Community groups). When given, the group is found by this first, whatever name the file uses. A number no group has yet is recorded on the new group.",
    example: "",
  },
  { name: "title", isRequired: true, help: "A short title, 200 characters or fewer.", example: "A kitchen for the community centre" },
  {
    name: "summary",
    isRequired: true,
    help: `What the group wants to do, in ${SUMMARY_MAX_WORDS} words or fewer.`,
    example: "We will fit out a kitchen so volunteers can cook hot meals for 200 neighbours a week.",
  },
  { name: "need_type", isRequired: true, help: "One of: felt, expressed, comparative, normative.", example: "expressed" },
  { name: "need_evidence", isRequired: true, help: "Evidence of the need.", example: "A waiting list of 60 families for the food club." },
  { name: "beneficiaries", isRequired: true, help: "Who benefits.", example: "Families on low incomes in Easton" },
  { name: "beneficiary_count", isRequired: true, help: "How many people benefit, as a whole number.", example: "200" },
  { name: "what_built", isRequired: true, help: "What will be built or bought.", example: "A commercial kitchen with cookers, fridges and a serving hatch" },
  {
    name: "budget_lines",
    isRequired: true,
    help: 'Costed lines as "item: cost", separated by semicolons. Costs are in pounds.',
    example: "Cookers and fridges: £28,000; Building work: £40,000",
  },
  {
    name: "amount_requested",
    isRequired: true,
    help: "The amount requested, in pounds, within the decision group's minimum and maximum grant.",
    example: "£68,000",
  },
  { name: "start_date", isRequired: true, help: "When the project starts: 2027-04-01 or 01/04/2027.", example: "2027-04-01" },
  { name: "end_date", isRequired: true, help: "When it ends, on or after the start date.", example: "2027-09-30" },
  {
    name: "outcomes",
    isRequired: true,
    help: `Up to ${MAX_OUTCOMES} outcomes as "outcome | how it will be measured", separated by semicolons.`,
    example: "200 hot meals a week | Meals served, counted each week; 20 volunteers trained | Food hygiene certificates",
  },
  { name: "contact_email", isRequired: false, help: "An email address for a new community group. Optional.", example: "pantry@example.org" },
];

export const IMPORT_COLUMN_NAMES = IMPORT_COLUMNS.map((c) => c.name);

/**
 * Proposals gathered offline arrive as "submitted": the lead organisation
 * gathered them with the group, as in Bristol's stage 1, so they land in the
 * lead organisation's "new" tab to support, ask for changes or decline.
 * Here, not in the import service, because the import page's text names it in
 * the browser too (a .server import is undefined there, which showed "undefined"
 * and broke hydration).
 */
export const IMPORTED_STATUS = "submitted" as const;
export const MAX_IMPORT_ROWS = 500;
/** Past this many, the rest of the errors are counted rather than listed. */
export const MAX_REPORTED_ERRORS = 100;

export interface ImportGroup {
  id: string;
  name: string;
  fundName: string;
  minGrantPence: number;
  maxGrantPence: number;
  potPence: number;
}

export interface ImportOrganisation {
  id: string;
  name: string;
  kind: "community_group" | "lead_org";
  /** The registration, charity and company numbers on record. */
  numbers?: readonly (string | null)[];
}

export interface ExistingProposal {
  reference: string;
  decisionGroupId: string;
  organisationName: string;
  title: string;
}

export interface ImportContext {
  groups: readonly ImportGroup[];
  organisations: readonly ImportOrganisation[];
  existing: readonly ExistingProposal[];
}

export interface ImportRow {
  /** The spreadsheet row: the header is row 1. */
  row: number;
  decisionGroupId: string;
  decisionGroupName: string;
  /** The group's name: the portal's for a group already there, the file's for a new one. */
  communityGroupName: string;
  /** null: no community group matches, so one is created. */
  organisationId: string | null;
  /** A new group's charity or company number, from the identifier column. */
  registrationNumber: string | null;
  /**
   * A new group's keys ("number:…", "name:…"): rows of one file that share a
   * key are one new group, however the name is written.
   */
  newGroupKeys: string[];
  contactEmail: string | null;
  content: ProposalContent;
}

/** Warnings do not stop an import: they say what it will do that may not be meant (a new group with a name like an existing one's). */
export type ImportResult = { ok: true; rows: ImportRow[]; warnings: string[] } | { ok: false; errors: string[] };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_TEXT = 5000;
const MAX_SHORT = 200;

/** "2027-04-01" or "01/04/2027" (UK order, as spreadsheets save it) to YYYY-MM-DD; null when not a real date. */
export function parseImportDate(input: string): string | null {
  const text = input.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (match) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text))) {
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    return null;
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** "item: £cost; item: cost" to budget lines, or the problem in words. */
export function parseBudgetLines(input: string): { lines: BudgetLine[] } | { problem: string } {
  const parts = input
    .split(";")
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return { problem: 'enter at least one budget line, like "Building work: £40,000"' };
  if (parts.length > MAX_BUDGET_LINES) return { problem: `enter ${MAX_BUDGET_LINES} budget lines or fewer` };
  const lines: BudgetLine[] = [];
  for (const part of parts) {
    const colon = part.lastIndexOf(":");
    const item = colon > 0 ? part.slice(0, colon).trim() : "";
    const cost = colon > 0 ? parsePoundsToPence(part.slice(colon + 1)) : null;
    if (!item || cost === null) return { problem: `the budget line "${part}" must be an item and a cost, like "Building work: £40,000"` };
    if (cost <= 0) return { problem: `the budget line "${item}" must cost more than £0` };
    lines.push({ item: item.slice(0, MAX_SHORT), costPence: cost });
  }
  return { lines };
}

/** "outcome | measure; outcome | measure" to outcomes, or the problem in words. */
export function parseOutcomes(input: string): { outcomes: Outcome[] } | { problem: string } {
  const parts = input
    .split(";")
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return { problem: 'enter at least one outcome, like "200 meals a week | meals counted weekly"' };
  if (parts.length > MAX_OUTCOMES) return { problem: `enter ${MAX_OUTCOMES} outcomes or fewer` };
  const outcomes: Outcome[] = [];
  for (const part of parts) {
    const [outcome = "", measure = "", ...rest] = part.split("|").map((p) => p.trim());
    if (!outcome || !measure || rest.length) {
      return { problem: `the outcome "${part}" must be an outcome and how it will be measured, separated by "|"` };
    }
    outcomes.push({ outcome, measure });
  }
  return { outcomes };
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const key = (...parts: string[]) => parts.map((p) => p.trim().toLowerCase()).join("\u0000");

/** Problems with the header row, in words; empty when it is right. */
export function headerProblems(header: readonly string[]): string[] {
  const names = header.map((h) => h.trim().toLowerCase());
  const problems: string[] = [];
  const missing = IMPORT_COLUMNS.filter((c) => c.isRequired && !names.includes(c.name)).map((c) => c.name);
  if (missing.length) problems.push(`The header row (row 1) is missing ${missing.length === 1 ? "the column" : "these columns"}: ${missing.join(", ")}.`);
  const unknown = names.filter((n) => n && !IMPORT_COLUMN_NAMES.includes(n));
  if (unknown.length)
    problems.push(
      `The header row (row 1) has ${unknown.length === 1 ? "a column" : "columns"} we do not recognise: ${unknown.join(", ")}. Check the spelling against the list on this page.`,
    );
  const repeated = names.filter((n, i) => n && names.indexOf(n) !== i);
  if (repeated.length) problems.push(`The header row (row 1) repeats: ${[...new Set(repeated)].join(", ")}.`);
  return problems;
}

/**
 * Checks every record (the first is the header) and returns either the rows
 * ready to write or every problem found, each starting "Row N:". Rows that
 * are entirely blank are skipped; row numbers still match the spreadsheet.
 */
export function validateImport(records: readonly (readonly string[])[], context: ImportContext): ImportResult {
  if (records.length === 0) return { ok: false, errors: ["The file is empty. It needs a header row and at least one proposal."] };
  const header = records[0]!.map((h) => h.trim().toLowerCase());
  const problems = headerProblems(records[0]!);
  if (problems.length) return { ok: false, errors: problems };

  const dataRows = records
    .slice(1)
    .map((cells, i) => ({ row: i + 2, cells }))
    .filter(({ cells }) => cells.some((c) => c.trim() !== ""));
  if (dataRows.length === 0) return { ok: false, errors: ["There are no proposals under the header row."] };
  if (dataRows.length > MAX_IMPORT_ROWS) {
    return { ok: false, errors: [`The file has ${dataRows.length} proposals. Import ${MAX_IMPORT_ROWS} or fewer at a time.`] };
  }

  const errors: string[] = [];
  const warnings: string[] = [];
  const rows: ImportRow[] = [];
  const communityGroups = context.organisations.filter((o) => o.kind === "community_group");
  const seen = new Map<string, number>();
  const existing = new Map(context.existing.map((p) => [key(p.decisionGroupId, p.organisationName, p.title), p.reference]));

  for (const { row, cells } of dataRows) {
    const problemsHere: string[] = [];
    const add = (message: string) => problemsHere.push(`Row ${row}: ${message}`);
    if (cells.length > header.length && cells.slice(header.length).some((c) => c.trim() !== "")) {
      add(`there are ${cells.length} cells but the header has ${header.length} columns. Check for a comma that should be inside quotes.`);
    }
    const get = (name: string) => {
      const index = header.indexOf(name);
      return index === -1 ? "" : (cells[index] ?? "").trim();
    };
    const text = (name: string, label: string, max = MAX_TEXT) => {
      const value = get(name);
      if (!value) add(`enter ${label}`);
      else if (value.length > max) add(`${label} must be ${max} characters or fewer`);
      return value;
    };

    // Decision group: by exact name, narrowed by fund when given.
    const groupName = get("decision_group");
    const fundName = get("fund");
    let group: ImportGroup | undefined;
    if (!groupName) {
      add("enter the decision group");
    } else {
      const matches = context.groups.filter((g) => g.name === groupName && (!fundName || g.fundName === fundName));
      if (matches.length === 1) group = matches[0];
      else if (matches.length > 1) add(`more than one fund has a decision group called "${groupName}". Add the fund column to say which`);
      else {
        const names = [...new Set(context.groups.map((g) => g.name))].join(", ");
        add(`there is no decision group called "${groupName}"${fundName ? ` in the fund "${fundName}"` : ""}. Use one of: ${names || "(none set up yet)"}`);
      }
    }

    // Community group: by its identifier first (portal id, then charity or company number), then by name.
    const nameInFile = text("community_group", "the community group", MAX_SHORT);
    const match = matchCommunityGroup(nameInFile, get("community_group_identifier"), context.organisations, communityGroups);
    for (const problem of match.problems) add(problem);
    if (match.warning) warnings.push(`Row ${row}: ${match.warning}`);
    const { organisationId, registrationNumber } = match;
    const communityGroupName = match.name;

    const title = text("title", "a title", MAX_SHORT);
    const summary = text("summary", "a summary");
    if (summary && wordCount(summary) > SUMMARY_MAX_WORDS) {
      add(`the summary must be ${SUMMARY_MAX_WORDS} words or fewer (it has ${wordCount(summary)})`);
    }

    const needRaw = get("need_type").toLowerCase();
    let needType: NeedType | null = null;
    if (!needRaw) add(`enter the kind of need: ${NEED_TYPES.join(", ")}`);
    else if ((NEED_TYPES as readonly string[]).includes(needRaw)) needType = needRaw as NeedType;
    else add(`the kind of need must be one of: ${NEED_TYPES.join(", ")}`);

    const needEvidence = text("need_evidence", "evidence of the need");
    const beneficiaries = text("beneficiaries", "who benefits");
    const countRaw = get("beneficiary_count").replace(/,/g, "");
    let beneficiaryCount: number | null = null;
    if (!countRaw) add("enter how many people benefit");
    else if (!/^\d{1,9}$/.test(countRaw) || Number(countRaw) < 1) add("how many people benefit must be a whole number, like 200");
    else beneficiaryCount = Number(countRaw);
    const whatBuilt = text("what_built", "what will be built or bought");

    let budgetLines: BudgetLine[] = [];
    const budget = parseBudgetLines(get("budget_lines"));
    if ("problem" in budget) add(budget.problem);
    else budgetLines = budget.lines;

    const amountRaw = get("amount_requested");
    let amountRequestedPence: number | null = null;
    if (!amountRaw) add("enter the amount requested");
    else {
      amountRequestedPence = parsePoundsToPence(amountRaw);
      if (amountRequestedPence === null) add(`the amount requested must be an amount in pounds, like £50,000 (not "${amountRaw}")`);
      else if (group) {
        const problem = amountProblem(amountRequestedPence, {
          minGrantPence: group.minGrantPence,
          maxGrantPence: group.maxGrantPence,
          potPence: group.potPence,
        });
        if (problem) add(lowerFirst(problem));
      }
    }

    const dates = (["start_date", "end_date"] as const).map((name) => {
      const label = name === "start_date" ? "start date" : "end date";
      const raw = get(name);
      if (!raw) {
        add(`enter the ${label}`);
        return null;
      }
      const parsed = parseImportDate(raw);
      if (!parsed) add(`the ${label} must be a real date, like 2027-04-01 or 01/04/2027`);
      return parsed;
    });
    const [startDate, endDate] = dates as [string | null, string | null];
    if (startDate && endDate && endDate < startDate) add("the end date must be on or after the start date");

    let outcomes: Outcome[] = [];
    const parsedOutcomes = parseOutcomes(get("outcomes"));
    if ("problem" in parsedOutcomes) add(parsedOutcomes.problem);
    else outcomes = parsedOutcomes.outcomes;

    const contactEmail = get("contact_email");
    if (contactEmail && (!EMAIL.test(contactEmail) || contactEmail.length > 254)) {
      add("the contact email must be an email address, like name@example.com");
    }

    if (group && communityGroupName && title) {
      const fileKey = key(group.id, communityGroupName, title);
      const earlier = seen.get(fileKey);
      if (earlier) add(`this repeats row ${earlier}: the same community group, decision group and title`);
      else seen.set(fileKey, row);
      const reference = existing.get(fileKey);
      if (reference)
        add(`"${communityGroupName}" already has a proposal called "${title}" in this decision group (${reference}). Was this file imported before?`);
    }

    if (problemsHere.length === 0 && group) {
      const content: ProposalContent = {
        title,
        summary,
        needType,
        needEvidence,
        beneficiaries,
        beneficiaryCount,
        whatBuilt,
        budgetLines,
        amountRequestedPence,
        startDate,
        endDate,
        outcomes,
      };
      // Belt and braces: an imported proposal must be as complete as one submitted online.
      const missing = checklist(content, { minGrantPence: group.minGrantPence, maxGrantPence: group.maxGrantPence, potPence: group.potPence }).filter(
        (c) => !c.isDone,
      );
      for (const item of missing) add(lowerFirst(item.label));
      if (missing.length === 0) {
        rows.push({
          row,
          decisionGroupId: group.id,
          decisionGroupName: group.name,
          communityGroupName,
          organisationId,
          registrationNumber,
          newGroupKeys: organisationId
            ? []
            : [
                registrationNumber ? `number:${normaliseRegistrationNumber(registrationNumber)}` : null,
                `name:${normaliseGroupName(communityGroupName)}`,
              ].filter((k): k is string => k !== null),
          contactEmail: contactEmail || null,
          content,
        });
      }
    }
    errors.push(...problemsHere);
  }

  if (errors.length) {
    if (errors.length > MAX_REPORTED_ERRORS) {
      const more = errors.length - MAX_REPORTED_ERRORS;
      return { ok: false, errors: [...errors.slice(0, MAX_REPORTED_ERRORS), `…and ${more} more ${more === 1 ? "problem" : "problems"}.`] };
    }
    return { ok: false, errors };
  }
  const shownWarnings =
    warnings.length > MAX_REPORTED_ERRORS
      ? [...warnings.slice(0, MAX_REPORTED_ERRORS), `…and ${warnings.length - MAX_REPORTED_ERRORS} more warnings.`]
      : warnings;
  return { ok: true, rows, warnings: shownWarnings };
}

const MAX_IDENTIFIER = 60;
const quoteList = (names: readonly string[]) => names.map((n) => `"${n}"`).join(", ");

/**
 * Which community group a row is for. The identifier column wins: a portal
 * id, or a charity or company number on record. Without one (or with a
 * number no group has yet) the name decides, ignoring case, punctuation and
 * "the": two groups with that name is a problem (add the identifier); none
 * means a new group, with a warning when an existing group's name is close.
 */
function matchCommunityGroup(
  nameInFile: string,
  identifier: string,
  organisations: readonly ImportOrganisation[],
  communityGroups: readonly ImportOrganisation[],
): { organisationId: string | null; name: string; registrationNumber: string | null; problems: string[]; warning: string | null } {
  const result = {
    organisationId: null as string | null,
    name: nameInFile,
    registrationNumber: null as string | null,
    problems: [] as string[],
    warning: null as string | null,
  };
  const found = (org: ImportOrganisation) => {
    if (org.kind === "lead_org") result.problems.push(`"${org.name}" is a lead organisation, not a community group`);
    else Object.assign(result, { organisationId: org.id, name: org.name });
    return result;
  };
  if (identifier) {
    const byId = organisations.find((o) => o.id.toLowerCase() === identifier.toLowerCase());
    if (byId) return found(byId);
    if (looksLikePortalId(identifier)) {
      result.problems.push(`no group has the portal id "${identifier}". Copy it from the group's page under Community groups`);
      return result;
    }
    // A charity or company number: letters and digits, like 1234567 or SC012345.
    if (!/^[A-Za-z0-9 -]{4,20}$/.test(identifier) || !/\d/.test(identifier)) {
      result.problems.push(
        `the community group identifier must be a charity number, a company number or a portal id, like 1234567 or SC012345 (not "${identifier.slice(0, MAX_IDENTIFIER)}")`,
      );
      return result;
    }
    const number = normaliseRegistrationNumber(identifier)!;
    const byNumber = communityGroups.filter((o) => numbersOf(o).includes(number));
    if (byNumber.length > 1) {
      result.problems.push(
        `${byNumber.length} groups have the number "${identifier}" (${quoteList(byNumber.map((o) => o.name))}). Use the group's portal id instead`,
      );
      return result;
    }
    if (byNumber.length === 1) return found(byNumber[0]!);
    result.registrationNumber = identifier.trim().toUpperCase();
  }
  if (!nameInFile) return result;
  const wanted = normaliseGroupName(nameInFile);
  const sameName = organisations.filter((o) => normaliseGroupName(o.name) === wanted);
  const groups = sameName.filter((o) => o.kind === "community_group");
  if (groups.length > 1) {
    result.problems.push(`${groups.length} groups are called "${nameInFile}": add the charity number or portal id in the community_group_identifier column`);
    return result;
  }
  if (groups.length === 1) {
    const group = groups[0]!;
    const onRecord = numbersOf(group);
    if (result.registrationNumber && onRecord.length && !onRecord.includes(normaliseRegistrationNumber(result.registrationNumber)!)) {
      result.problems.push(
        `"${group.name}" has the number ${onRecord.join(", ")} in the portal, not "${identifier}". Check the number, or use the group's portal id`,
      );
      return result;
    }
    return found(group);
  }
  if (sameName.length) return found(sameName[0]!);
  const similar = communityGroups
    .filter((o) => isSimilarGroupName(o.name, nameInFile))
    .map((o) => o.name)
    .sort()
    .slice(0, 3);
  if (similar.length) {
    result.warning = `no community group is called "${nameInFile}", so a new group will be created. ${quoteList(similar)} ${similar.length === 1 ? "has a" : "have"} similar name${similar.length === 1 ? "" : "s"}: if it is the same group, use its exact name or its portal id in the community_group_identifier column.`;
  }
  return result;
}

/** The template: the header and one example row for the first decision group. */
export function templateRecords(exampleGroupName?: string): string[][] {
  return [IMPORT_COLUMN_NAMES.slice(), IMPORT_COLUMNS.map((c) => (c.name === "decision_group" && exampleGroupName ? exampleGroupName : c.example))];
}

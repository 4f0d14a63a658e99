/**
 * Inviting many people at once from a CSV file (issue 10, "Operations at the
 * scale of a real round"): the columns, the template, and the check of every
 * row. Pure: the model gathers what already exists, this decides each row's
 * problems in plain English. See docs/decisions/0031-bulk-operations.md.
 */
import { z } from "zod";
import { CONSTITUENCIES, CONSTITUENCY_LABELS, ROLE_LABELS, ROLE_SCOPE, type Constituency, type Role } from "./roles";

/** The columns, in the template's order. */
export const BULK_INVITE_COLUMNS = ["name", "email", "role", "constituency", "group"] as const;

/** The most rows one file may hold, and the most bytes: a whole round (Bristol's was 129 people) fits many times over. */
export const MAX_BULK_INVITE_ROWS = 1000;
export const MAX_BULK_INVITE_BYTES = 1024 * 1024;

/**
 * The roles a file may invite. Administrators are left out on purpose: each
 * one can spend money, so each is invited alone, on the Invite someone page.
 */
export const BULK_INVITE_ROLES = ["panel_member", "lead_org", "adviser"] as const satisfies readonly Role[];
export type BulkInviteRole = (typeof BULK_INVITE_ROLES)[number];

/** The words a role cell may hold (any case): the code, the label, and a short form. */
const ROLE_WORDS: Record<string, BulkInviteRole> = {
  panel_member: "panel_member",
  "panel member": "panel_member",
  panel: "panel_member",
  lead_org: "lead_org",
  "lead organisation": "lead_org",
  "lead organisation staff": "lead_org",
  lead: "lead_org",
  adviser: "adviser",
  advisor: "adviser",
  "specialist adviser": "adviser",
};

const CONSTITUENCY_WORDS: Record<string, Constituency> = {
  ...Object.fromEntries(CONSTITUENCIES.map((c) => [c, c])),
  ...Object.fromEntries(CONSTITUENCIES.map((c) => [CONSTITUENCY_LABELS[c].toLowerCase(), c])),
};

export const BULK_INVITE_HELP: Record<(typeof BULK_INVITE_COLUMNS)[number], string> = {
  name: "The person's full name.",
  email: "Their email address. Each address once in the file.",
  role: `"${ROLE_LABELS.panel_member}", "${ROLE_LABELS.lead_org}" or "${ROLE_LABELS.adviser}".`,
  constituency: `Panel members only: "${CONSTITUENCIES.join('", "')}". Leave it empty for other roles.`,
  group:
    "Panel members and advisers: the decision group's name, or \"Name (Fund)\" when two funds have a group with that name. An adviser for a whole fund: the fund's name. Lead organisation staff: the lead organisation's name.",
};

/** The template: the header and one example row per role. */
export function bulkInviteTemplate(example: { decisionGroup?: string; leadOrganisation?: string } = {}): string[][] {
  const group = example.decisionGroup ?? "Inner City and East";
  return [
    [...BULK_INVITE_COLUMNS],
    ["Sam Resident", "sam@example.com", "Panel member", "resident", group],
    ["Kim Councillor", "kim@example.com", "Panel member", "councillor", group],
    ["Lee Staff", "lee@example.com", "Lead organisation", "", example.leadOrganisation ?? "Inner East Community Anchor"],
    ["Ali Surveyor", "ali@example.com", "Specialist adviser", "", group],
  ];
}

/** Who already holds, or has been sent, a role: its scope, for comparing with a row. */
export interface ExistingRole {
  email: string;
  role: Role;
  organisationId: string | null;
  decisionGroupId: string | null;
  fundId: string | null;
}

export interface BulkInviteContext {
  decisionGroups: readonly { id: string; name: string; fundName: string }[];
  leadOrganisations: readonly { id: string; name: string }[];
  funds: readonly { id: string; name: string }[];
  /** Roles people hold now (memberships not ended), by lower-case email. */
  memberships: readonly ExistingRole[];
  /** Invitations not yet accepted and not expired. */
  pendingInvitations: readonly ExistingRole[];
}

/** One row of the file, checked: what would be sent, or why not. */
export interface BulkInviteRow {
  /** The spreadsheet row: the header is row 1. */
  row: number;
  name: string;
  email: string;
  role: BulkInviteRole | null;
  constituency: Constituency | null;
  /** The group, fund or lead organisation found, as the page shows it. */
  placeName: string;
  decisionGroupId: string | null;
  organisationId: string | null;
  fundId: string | null;
  errors: string[];
}

export interface BulkInviteCheck {
  /** Problems with the whole file (no header, too many rows): nothing can be sent. */
  fileErrors: string[];
  rows: BulkInviteRow[];
}

const key = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();
const isEmail = (s: string) => z.string().email().max(254).safeParse(s).success;

/** The one place a cell names, found by id or name; `several` when a name is shared. */
function findByName<T extends { id: string }>(cell: string, items: readonly T[], names: (item: T) => string[]): { found?: T; several?: boolean } {
  const byId = items.find((i) => i.id === cell.trim());
  if (byId) return { found: byId };
  const matches = items.filter((i) => names(i).some((n) => key(n) === key(cell)));
  if (matches.length === 1) return { found: matches[0] };
  return matches.length > 1 ? { several: true } : {};
}

/** A role and what it covers, as one string, so a row and an existing role compare as data (ROLE_SCOPE: the organisation, or the fund or decision group). */
const scopeKey = (x: Omit<ExistingRole, "email">) =>
  [x.role, ROLE_SCOPE[x.role] === "organisation" ? x.organisationId : x.fundId ? `fund:${x.fundId}` : x.decisionGroupId].join("|");

/** Checks every row of a parsed CSV. Each row gets every problem it has, in words an administrator can act on. */
export function checkBulkInvitations(records: readonly (readonly string[])[], ctx: BulkInviteContext): BulkInviteCheck {
  const nonEmpty = records.filter((r) => r.some((c) => c.trim() !== ""));
  if (nonEmpty.length === 0) return { fileErrors: ["The file is empty. Start with the header row: " + BULK_INVITE_COLUMNS.join(",")], rows: [] };
  const header = records[0]!.map(key);
  const missing = BULK_INVITE_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) {
    return {
      fileErrors: [
        `The first row must name the columns. ${missing.length === 1 ? "This column is" : "These columns are"} missing: ${missing.join(", ")}. Download the template to see the header.`,
      ],
      rows: [],
    };
  }
  const at = Object.fromEntries(BULK_INVITE_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof BULK_INVITE_COLUMNS)[number], number>;
  const body = records.slice(1).map((cells, i) => ({ cells, row: i + 2 }));
  const data = body.filter((r) => r.cells.some((c) => c.trim() !== ""));
  if (data.length === 0) return { fileErrors: ["The file has a header but no people. Add one row for each person."], rows: [] };
  if (data.length > MAX_BULK_INVITE_ROWS) {
    return { fileErrors: [`The file has ${data.length} people. Send ${MAX_BULK_INVITE_ROWS} or fewer at a time: split the file.`], rows: [] };
  }

  const firstRowOfEmail = new Map<string, number>();
  const rows = data.map(({ cells, row }): BulkInviteRow => {
    const cell = (c: (typeof BULK_INVITE_COLUMNS)[number]) => (cells[at[c]] ?? "").trim();
    const errors: string[] = [];
    const name = cell("name");
    const email = cell("email").toLowerCase();
    const roleCell = cell("role");
    const constituencyCell = cell("constituency");
    const groupCell = cell("group");

    if (!name) errors.push("The name is empty.");
    else if (name.length > 120) errors.push("The name is longer than 120 characters.");

    if (!email) errors.push("The email address is empty.");
    else if (!isEmail(email)) errors.push(`"${email}" is not an email address. It should look like name@example.com.`);
    else if (firstRowOfEmail.has(email)) errors.push(`This email address is also on row ${firstRowOfEmail.get(email)}. Each person once per file.`);
    else firstRowOfEmail.set(email, row);

    const role: BulkInviteRole | null = ROLE_WORDS[key(roleCell)] ?? null;
    if (!roleCell) errors.push("The role is empty.");
    else if (key(roleCell) === "admin" || key(roleCell) === ROLE_LABELS.admin.toLowerCase()) {
      errors.push("Administrators are not invited from a file. Invite each one on the Invite someone page.");
    } else if (!role) errors.push(`"${roleCell}" is not a role we know. Use "Panel member", "Lead organisation" or "Specialist adviser".`);

    let constituency: Constituency | null = null;
    if (role === "panel_member") {
      constituency = CONSTITUENCY_WORDS[key(constituencyCell)] ?? null;
      if (!constituencyCell) errors.push("A panel member needs a constituency: resident, councillor or vcse.");
      else if (!constituency) errors.push(`"${constituencyCell}" is not a constituency. Use resident, councillor or vcse.`);
    } else if (role && constituencyCell) {
      errors.push("Only panel members have a constituency. Leave it empty for this role.");
    }

    let placeName = groupCell;
    let decisionGroupId: string | null = null;
    let organisationId: string | null = null;
    let fundId: string | null = null;
    if (role && !groupCell) {
      errors.push(role === "lead_org" ? "Name the lead organisation they work for in the group column." : "Name the decision group in the group column.");
    } else if (role === "lead_org") {
      const { found, several } = findByName(groupCell, ctx.leadOrganisations, (o) => [o.name]);
      if (found) [organisationId, placeName] = [found.id, found.name];
      else errors.push(several ? `More than one lead organisation is called "${groupCell}".` : `"${groupCell}" is not a lead organisation we know.`);
    } else if (role) {
      const { found, several } = findByName(groupCell, ctx.decisionGroups, (g) => [g.name, `${g.name} (${g.fundName})`]);
      const fund = role === "adviser" && !found && !several ? findByName(groupCell, ctx.funds, (f) => [f.name]).found : undefined;
      if (found) [decisionGroupId, placeName] = [found.id, `${found.name} (${found.fundName})`];
      else if (fund) [fundId, placeName] = [fund.id, `${fund.name} (whole fund)`];
      else if (several) errors.push(`More than one fund has a decision group called "${groupCell}". Write it as "${groupCell} (Fund name)".`);
      else errors.push(`"${groupCell}" is not a decision group we know.`);
    }

    if (role && errors.length === 0) {
      const wanted = scopeKey({ role, organisationId, decisionGroupId, fundId });
      const holds = (m: ExistingRole) => m.email === email && scopeKey(m) === wanted;
      if (ctx.memberships.some(holds)) errors.push("This person already has this role.");
      else if (ctx.pendingInvitations.some(holds)) {
        errors.push("This person was already invited to this role, and the invitation has not expired yet.");
      }
    }
    return { row, name, email, role, constituency, placeName, decisionGroupId, organisationId, fundId, errors };
  });
  return { fileErrors: [], rows };
}

/** The rows with no problem: the ones that are sent. */
export const sendableRows = (check: BulkInviteCheck) => (check.fileErrors.length ? [] : check.rows.filter((r) => r.errors.length === 0));

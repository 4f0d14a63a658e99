/**
 * The pabulib `.pb` format (https://pabulib.org/format; Faliszewski et al.
 * 2023, "Participatory budgeting: data, tools and analysis"), which the
 * research tools (pabutools, pabustats, equalshares.net) read: three
 * sections, META, PROJECTS and VOTES, each a header row and then rows of
 * fields separated by semicolons. A field holding a semicolon, a quote or a
 * line break is quoted as in CSV ("" for a quote).
 *
 * One file holds one pot (pabulib keeps one file per district, with the
 * district in `subunit`); `pabulibFilesForCount` writes one per pot. Costs and
 * budgets are written in pounds (currency GBP), with pence as decimals only
 * when there are any, and read back to whole pence exactly. Voters are
 * anonymous: the writer sorts the ballots by what they chose and numbers them
 * 1, 2, 3…, so a file says nothing about who voted or in what order, and the
 * same ballot keeps its number in every pot's file.
 *
 * `parsePabulib(writePabulib(x))` gives back x (with ballots in that order),
 * and counting the parsed file gives the same winners.
 */
import type { Ballot } from "./ballot-rules";
import type { CountInput } from "./ballot-counting";
import { DomainError } from "./errors";

export type PabulibVoteType = "approval" | "cumulative";

export interface PabulibMeta {
  description: string;
  country: string;
  unit: string;
  /** pabulib's name for the year or edition, for example "2026". */
  instance: string;
  /** The pot (district or area); absent for a single-pot fund. */
  subunit?: string;
  voteType: PabulibVoteType;
  budgetPence: number;
  /** The counting rule, in pabulib's words where one exists (greedy, equalshares, phragmen…). */
  rule: string;
  currency?: string;
  dateBegin?: string;
  dateEnd?: string;
  /** approval: the most projects a voter could choose. */
  maxLength?: number;
  /** cumulative: the fewest projects and the points each voter shared. */
  minLength?: number;
  maxSumPoints?: number;
  /** Any other META rows, kept as text. */
  extra?: Record<string, string>;
}

export interface PabulibProject {
  id: string;
  costPence: number;
  name?: string;
  /** Votes (approvals or points) as counted; optional, for readers. */
  votes?: number;
  /** 1 when funded by the rule in META, 0 when not; optional. */
  selected?: 0 | 1;
}

export interface PabulibVote {
  voterId: string;
  /** Chosen projects, in the order written. */
  projectIds: string[];
  /** cumulative only: the points for each of projectIds. */
  points?: number[];
}

export interface PabulibFile {
  meta: PabulibMeta;
  projects: PabulibProject[];
  votes: PabulibVote[];
}

const KNOWN_META = new Set([
  "key",
  "description",
  "country",
  "unit",
  "instance",
  "subunit",
  "num_projects",
  "num_votes",
  "budget",
  "vote_type",
  "rule",
  "currency",
  "date_begin",
  "date_end",
  "max_length",
  "min_length",
  "max_sum_points",
]);

/** The file's text. Throws a DomainError for amounts that are not whole pence. */
export function writePabulib(file: PabulibFile): string {
  const m = file.meta;
  const meta: [string, string][] = [
    ["description", m.description],
    ["country", m.country],
    ["unit", m.unit],
    ["instance", m.instance],
    ...(m.subunit !== undefined ? ([["subunit", m.subunit]] as [string, string][]) : []),
    ["num_projects", String(file.projects.length)],
    ["num_votes", String(file.votes.length)],
    ["budget", penceToPounds(m.budgetPence)],
    ["vote_type", m.voteType],
    ["rule", m.rule],
    ["currency", m.currency ?? "GBP"],
    ...(m.dateBegin !== undefined ? ([["date_begin", m.dateBegin]] as [string, string][]) : []),
    ...(m.dateEnd !== undefined ? ([["date_end", m.dateEnd]] as [string, string][]) : []),
    ...(m.maxLength !== undefined ? ([["max_length", String(m.maxLength)]] as [string, string][]) : []),
    ...(m.minLength !== undefined ? ([["min_length", String(m.minLength)]] as [string, string][]) : []),
    ...(m.maxSumPoints !== undefined ? ([["max_sum_points", String(m.maxSumPoints)]] as [string, string][]) : []),
    ...Object.entries(m.extra ?? {})
      .filter(([k]) => !KNOWN_META.has(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ];
  const lines = ["META", "key;value", ...meta.map(row)];

  const hasName = file.projects.some((p) => p.name !== undefined);
  const hasVotes = file.projects.some((p) => p.votes !== undefined);
  const hasSelected = file.projects.some((p) => p.selected !== undefined);
  const projectHeader = ["project_id", "cost", ...(hasVotes ? ["votes"] : []), ...(hasName ? ["name"] : []), ...(hasSelected ? ["selected"] : [])];
  lines.push("PROJECTS", row(projectHeader));
  for (const p of file.projects) {
    lines.push(
      row([
        p.id,
        penceToPounds(p.costPence),
        ...(hasVotes ? [p.votes === undefined ? "None" : String(p.votes)] : []),
        ...(hasName ? [p.name ?? "None"] : []),
        ...(hasSelected ? [p.selected === undefined ? "None" : String(p.selected)] : []),
      ]),
    );
  }

  const isCumulative = m.voteType === "cumulative";
  lines.push("VOTES", row(isCumulative ? ["voter_id", "vote", "points"] : ["voter_id", "vote"]));
  for (const v of file.votes) {
    lines.push(row(isCumulative ? [v.voterId, v.projectIds.join(","), (v.points ?? []).join(",")] : [v.voterId, v.projectIds.join(",")]));
  }
  return `${lines.join("\n")}\n`;
}

/** Reads a `.pb` file. Throws a DomainError naming the line of the first problem. */
export function parsePabulib(text: string): PabulibFile {
  const rows = splitRows(text.replace(/^\uFEFF/, ""));
  let section = "";
  let header: string[] = [];
  let expectHeader = false;
  const metaRows = new Map<string, string>();
  const projects: PabulibProject[] = [];
  const votes: PabulibVote[] = [];
  const fail = (line: number, message: string): never => {
    throw new DomainError(`Line ${line} of the .pb file: ${message}`);
  };

  for (const { line, fields } of rows) {
    if (fields.length === 1 && fields[0].trim() === "") continue;
    const first = fields[0].trim().toLowerCase();
    if (fields.length === 1 && (first === "meta" || first === "projects" || first === "votes")) {
      section = first;
      expectHeader = true;
      continue;
    }
    if (expectHeader) {
      header = fields.map((f) => f.trim());
      expectHeader = false;
      continue;
    }
    const record = (name: string) => {
      const i = header.indexOf(name);
      const value = i === -1 ? undefined : fields[i]?.trim();
      return value === undefined || value.toLowerCase() === "none" ? undefined : value;
    };
    if (section === "meta") {
      if (fields.length < 2) fail(line, "a META row needs a key and a value.");
      metaRows.set(fields[0].trim(), fields[1].trim());
    } else if (section === "projects") {
      const id = record("project_id");
      const cost = record("cost");
      if (!id) return fail(line, "a project has no project_id.");
      const costPence = cost === undefined ? null : poundsToPence(cost);
      if (costPence === null) return fail(line, `the cost of ${id} is not an amount of money.`);
      const votesText = record("votes");
      const selectedText = record("selected");
      const name = record("name");
      projects.push({
        id,
        costPence,
        ...(votesText !== undefined ? { votes: Number(votesText) } : {}),
        ...(name !== undefined ? { name } : {}),
        ...(selectedText !== undefined ? { selected: selectedText === "1" ? 1 : 0 } : {}),
      });
    } else if (section === "votes") {
      const voterId = record("voter_id");
      if (!voterId) return fail(line, "a vote has no voter_id.");
      const chosen = (record("vote") ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const pointsText = record("points");
      const vote: PabulibVote = { voterId, projectIds: chosen };
      if (pointsText !== undefined) {
        const points = pointsText.split(",").map((s) => Number(s.trim()));
        if (points.length !== chosen.length || points.some((p) => !Number.isSafeInteger(p) || p < 0)) {
          return fail(line, "the points do not match the projects voted for, or are not whole numbers.");
        }
        vote.points = points;
      }
      votes.push(vote);
    } else {
      return fail(line, "the file must start with a META section.");
    }
  }

  const need = (key: string) => {
    const value = metaRows.get(key);
    if (value === undefined) throw new DomainError(`The .pb file has no ${key} in META.`);
    return value;
  };
  const voteType = need("vote_type");
  if (voteType !== "approval" && voteType !== "cumulative")
    throw new DomainError(`The .pb file's vote_type is ${voteType}; only approval and cumulative can be read.`);
  const budgetPence = poundsToPence(need("budget"));
  if (budgetPence === null) throw new DomainError("The .pb file's budget is not an amount of money.");
  const whole = (key: string) => {
    const value = metaRows.get(key);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new DomainError(`The .pb file's ${key} is not a whole number.`);
    return n;
  };
  const extra: Record<string, string> = {};
  for (const [k, v] of metaRows) if (!KNOWN_META.has(k)) extra[k] = v;
  const optional = (key: string) => metaRows.get(key);
  const meta: PabulibMeta = {
    description: need("description"),
    country: need("country"),
    unit: need("unit"),
    instance: need("instance"),
    ...(optional("subunit") !== undefined ? { subunit: optional("subunit") } : {}),
    voteType,
    budgetPence,
    rule: need("rule"),
    currency: optional("currency") ?? "GBP",
    ...(optional("date_begin") !== undefined ? { dateBegin: optional("date_begin") } : {}),
    ...(optional("date_end") !== undefined ? { dateEnd: optional("date_end") } : {}),
    ...(whole("max_length") !== undefined ? { maxLength: whole("max_length") } : {}),
    ...(whole("min_length") !== undefined ? { minLength: whole("min_length") } : {}),
    ...(whole("max_sum_points") !== undefined ? { maxSumPoints: whole("max_sum_points") } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
  const declaredProjects = whole("num_projects");
  const declaredVotes = whole("num_votes");
  if (declaredProjects !== undefined && declaredProjects !== projects.length)
    throw new DomainError(`The .pb file says ${declaredProjects} projects but lists ${projects.length}.`);
  if (declaredVotes !== undefined && declaredVotes !== votes.length)
    throw new DomainError(`The .pb file says ${declaredVotes} votes but lists ${votes.length}.`);
  const known = new Set(projects.map((p) => p.id));
  for (const vote of votes) {
    for (const id of vote.projectIds) if (!known.has(id)) throw new DomainError(`Voter ${vote.voterId} voted for ${id}, which is not in PROJECTS.`);
  }
  return { meta, projects, votes };
}

export interface PabulibFileMeta {
  description: string;
  country: string;
  unit: string;
  instance: string;
  rule: string;
  dateBegin?: string;
  dateEnd?: string;
  maxLength?: number;
  minLength?: number;
  maxSumPoints?: number;
  /** Other META rows (for example the rules' SHA-256), written as given. */
  extra?: Record<string, string>;
}

/**
 * One anonymised `.pb` file per pot, from what was counted. Voters are
 * numbered 1, 2, 3… in the order of their sorted ballots (the same number
 * in every pot); a voter appears in a pot's file only if they chose something
 * there. `fundedIds` (optional) fills the `selected` column.
 */
export function pabulibFilesForCount(
  input: CountInput,
  meta: PabulibFileMeta,
  options: { potNames?: Record<string, string>; projectNames?: Record<string, string>; fundedIds?: readonly string[] } = {},
): { potId: string; fileName: string; text: string; file: PabulibFile }[] {
  const isCumulative = input.ballots.some((b) => b.kind === "points");
  const keyed = input.ballots.map((ballot) => ({ ballot, key: ballotKey(ballot) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const funded = options.fundedIds ? new Set(options.fundedIds) : null;
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "pot";
  return input.pots.map((pot) => {
    const projects = input.projects.filter((p) => p.potId === pot.id).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const inPot = new Set(projects.map((p) => p.id));
    const tally = new Map(projects.map((p) => [p.id, 0]));
    const votes: PabulibVote[] = [];
    keyed.forEach(({ ballot }, i) => {
      const entries = ballotEntries(ballot).filter(([id, w]) => inPot.has(id) && w > 0);
      if (entries.length === 0) return;
      for (const [id, w] of entries) tally.set(id, tally.get(id)! + w);
      votes.push({
        voterId: String(i + 1),
        projectIds: entries.map(([id]) => id),
        ...(isCumulative ? { points: entries.map(([, w]) => w) } : {}),
      });
    });
    const file: PabulibFile = {
      meta: {
        description: meta.description,
        country: meta.country,
        unit: meta.unit,
        instance: meta.instance,
        ...(input.pots.length > 1 || options.potNames?.[pot.id] ? { subunit: options.potNames?.[pot.id] ?? pot.id } : {}),
        voteType: isCumulative ? "cumulative" : "approval",
        budgetPence: pot.budgetPence,
        rule: meta.rule,
        currency: "GBP",
        ...(meta.dateBegin !== undefined ? { dateBegin: meta.dateBegin } : {}),
        ...(meta.dateEnd !== undefined ? { dateEnd: meta.dateEnd } : {}),
        ...(!isCumulative && meta.maxLength !== undefined ? { maxLength: meta.maxLength } : {}),
        ...(isCumulative && meta.minLength !== undefined ? { minLength: meta.minLength } : {}),
        ...(isCumulative && meta.maxSumPoints !== undefined ? { maxSumPoints: meta.maxSumPoints } : {}),
        ...(meta.extra ? { extra: meta.extra } : {}),
      },
      projects: projects.map((p) => ({
        id: p.id,
        costPence: p.costPence,
        votes: tally.get(p.id)!,
        ...(options.projectNames?.[p.id] !== undefined ? { name: options.projectNames[p.id] } : {}),
        ...(funded ? { selected: funded.has(p.id) ? 1 : 0 } : {}),
      })),
      votes,
    };
    const fileName = `${slug(meta.country)}_${slug(meta.unit)}_${slug(meta.instance)}${input.pots.length > 1 ? `_${slug(options.potNames?.[pot.id] ?? pot.id)}` : ""}.pb`;
    return { potId: pot.id, fileName, text: writePabulib(file), file };
  });
}

/** The parsed file as something to count: one pot (the file's budget), its projects and its ballots. */
export function countInputFromPabulib(file: PabulibFile, potId = file.meta.subunit ?? "pot"): CountInput {
  return {
    pots: [{ id: potId, budgetPence: file.meta.budgetPence }],
    projects: file.projects.map((p) => ({ id: p.id, costPence: p.costPence, potId })),
    ballots: file.votes.map((v): Ballot =>
      file.meta.voteType === "cumulative"
        ? { kind: "points", points: Object.fromEntries(v.projectIds.map((id, i) => [id, v.points?.[i] ?? 0])) }
        : { kind: "approval", projectIds: v.projectIds },
    ),
  };
}

function ballotEntries(ballot: Ballot): [string, number][] {
  const entries: [string, number][] = ballot.kind === "points" ? Object.entries(ballot.points) : ballot.projectIds.map((id) => [id, 1]);
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function ballotKey(ballot: Ballot): string {
  return ballotEntries(ballot)
    .filter(([, w]) => w > 0)
    .map(([id, w]) => `${id}\u0000${w}`)
    .join("\u0001");
}

function row(fields: readonly string[]): string {
  return fields.map((f) => (/[;"\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(";");
}

/** Splits into rows of fields, honouring quotes (a quoted field may hold ; and line breaks). */
function splitRows(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let isQuoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (isQuoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') isQuoted = false;
      else {
        if (ch === "\n") line += 1;
        field += ch;
      }
    } else if (ch === '"' && field === "") isQuoted = true;
    else if (ch === ";") {
      fields.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i += 1;
      fields.push(field);
      rows.push({ line: rowLine, fields });
      fields = [];
      field = "";
      line += 1;
      rowLine = line;
    } else field += ch;
  }
  if (field !== "" || fields.length > 0) {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  return rows;
}

function penceToPounds(pence: number): string {
  if (!Number.isSafeInteger(pence) || pence < 0) throw new DomainError("Amounts in a .pb file must be whole pence, 0 or more.");
  const pounds = Math.floor(pence / 100);
  const rest = pence % 100;
  return rest === 0 ? String(pounds) : `${pounds}.${String(rest).padStart(2, "0")}`;
}

/** "1234", "1234.5" or "1234.50" to whole pence; null otherwise (more than 2 decimals is not money). */
function poundsToPence(text: string): number | null {
  const cleaned = text.trim().replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  const [pounds, pence = ""] = cleaned.split(".");
  const value = Number(pounds) * 100 + Number(pence.padEnd(2, "0"));
  return Number.isSafeInteger(value) ? value : null;
}

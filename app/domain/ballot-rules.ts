/**
 * The rules of a community ballot, frozen when the ballot opens (issue 12,
 * "Rules fixed in advance"): the ballot kind and its limits, the budget of
 * each pot, the counting rule and the tie rule. Pure: the snapshot is plain
 * data, its canonical JSON and SHA-256 hash are what the public page shows,
 * and `validateBallot` checks one voter's ballot against it in plain English.
 *
 * Limits apply within each pot (as in Warsaw: up to K projects in your district
 * and up to K city-wide). A voter may leave a pot blank, but the whole ballot
 * must choose at least one project. See docs/decisions/0041-community-ballot-counting.md.
 *
 * This is the ONE rules model (docs/decisions/0043): the snapshot a fund's
 * vote freezes at opening (community-ballots.server.ts `openBallot`, served
 * at /funds/:fundId/ballot-rules.json) is a `BallotRules`, and the counting
 * rules (ballot-counting.ts), the pabulib writer and the voter's ballot check
 * all read that same snapshot.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "./audit-chain";
import { DomainError } from "./errors";
import { formatPence } from "./money";

export const BALLOT_RULES_VERSION = 1;

/** How each voter fills in the ballot. */
export type BallotLimits =
  /** Choose up to `maxProjects` projects in each pot. */
  | { kind: "approval"; maxProjects: number }
  /** Share up to `totalPoints` whole points in each pot, giving points to at least `minProjects` projects there. */
  | { kind: "points"; totalPoints: number; minProjects: number }
  /**
   * Choose projects whose costs add up to no more than a budget, in each pot:
   * `voterBudgetPence` when the fund sets one, otherwise the pot's own budget.
   */
  | { kind: "knapsack"; voterBudgetPence?: number };

export type BallotKind = BallotLimits["kind"];

/**
 * How the ballots become winners (see ballot-counting.ts):
 * - "greedy": most votes first, skipping what no longer fits;
 * - "optimum": the set of projects with the most votes in total that fits each pot;
 * - "equal-shares": the Method of Equal Shares, completed (add £1 per voter, then greedy);
 * - "phragmen": sequential Phragmén.
 */
export type CountingRuleId = "greedy" | "optimum" | "equal-shares" | "phragmen";

export const COUNTING_RULES: readonly CountingRuleId[] = ["greedy", "optimum", "equal-shares", "phragmen"];

/** The counting rules' names in a word or two, for table headings. */
export const COUNTING_RULE_SHORT_NAMES: Record<CountingRuleId, string> = {
  greedy: "Most votes first",
  optimum: "Best total",
  "equal-shares": "Equal Shares",
  phragmen: "Phragmén",
};

/** Names of the counting rules, for choosing one and for the results page. */
export const COUNTING_RULE_LABELS: Record<CountingRuleId, string> = {
  greedy: "Most votes first, while the money lasts",
  optimum: "The set of projects with the most votes in total that fits each pot",
  "equal-shares": "Method of Equal Shares (with a completion step)",
  phragmen: "Sequential Phragmén",
};

/**
 * How Equal Shares values an approval (or knapsack) ballot: "cost" (a voter
 * gains the project's cost from each chosen project that is funded: the
 * "effective vote count" method explained on equalshares.net), or "approval"
 * (each funded project counts 1). Points ballots always use the points.
 */
export type EqualSharesUtility = "cost" | "approval";

/** The one tie rule the portal offers (its wording for each counting rule is in `tieRuleText`). */
export type TieRuleId = "cheaper-then-more-votes-then-reference";

export const TIE_RULES: readonly TieRuleId[] = ["cheaper-then-more-votes-then-reference"];

/** Short names of the tie rules, for choosing one. */
export const TIE_RULE_LABELS: Record<TieRuleId, string> = {
  "cheaper-then-more-votes-then-reference": "The cheaper project first; at the same cost, more votes first; then the reference from A to Z",
};

export interface BallotPot {
  id: string;
  name: string;
  budgetPence: number;
}

/** A project on the ballot. `potId` is the pot (area) whose budget pays for it. */
export interface BallotProject {
  id: string;
  costPence: number;
  potId: string;
  /** The portal's reference (AI-0001) and title, frozen with the rules when given. */
  reference?: string;
  title?: string;
}

/** Which vote the rules belong to and when it runs, as the portal freezes them at opening. */
export interface BallotVoteDetails {
  fundId: string;
  ballotId: string;
  opensAt: string;
  closesAt: string;
  minAge: number | null;
}

/** The rules snapshot. Every number is a whole number (money in pence). */
export interface BallotRules {
  version: typeof BALLOT_RULES_VERSION;
  ballot: BallotLimits;
  pots: BallotPot[];
  counting: CountingRuleId;
  equalSharesUtility: EqualSharesUtility;
  tieRule: TieRuleId;
  /** The projects and their costs, frozen with the rules when given. */
  projects?: BallotProject[];
  /** The portal's vote these rules were frozen for, when given. */
  vote?: BallotVoteDetails;
}

/** One voter's ballot: the projects chosen (approval and knapsack), or points per project id. */
export type Ballot = { kind: "approval" | "knapsack"; projectIds: readonly string[] } | { kind: "points"; points: Readonly<Record<string, number>> };

const COUNTING_TEXT: Record<CountingRuleId, string> = {
  greedy:
    "Most votes first: in each pot, projects are funded in order of votes, highest first. A project that no longer fits in what is left of the pot is skipped, and the count goes on down the list.",
  optimum: "Best total: in each pot, the set of projects with the most votes added together whose costs fit in the pot.",
  "equal-shares":
    "Equal Shares: each pot is shared equally between the people who voted in it. A project is funded when the people who chose it can pay for it from their shares; the project they can pay for with the smallest share each goes first. Then each share is raised by £1 at a time while the winners still fit in the pot, and any money left goes down the list of votes.",
  phragmen:
    "Phragmén: each voter is given money at the same steady rate. A project is funded as soon as the people who chose it have earned its cost between them; they spend all they have earned on it. Projects that no longer fit are skipped.",
};

/** The counting rule in plain English. */
export function countingRuleText(rule: CountingRuleId): string {
  return COUNTING_TEXT[rule];
}

/** The tie rule in plain English, as it applies to the given counting rule. */
export function tieRuleText(rule: CountingRuleId): string {
  if (rule === "optimum") {
    return "If more than one set of projects has the same highest total of votes, the set is chosen by the allocation's own rule: better value for money (votes per pound) where the sets first differ, then more votes, then the reference earlier from A to Z.";
  }
  return "If projects are level, the cheaper project goes first. If they cost the same, the one with more votes goes first. If they are still level, the one whose reference comes first from A to Z goes first. Amounts within a billionth of each other count as level.";
}

/** Every problem with a rules snapshot, in plain English (empty when it is sound). */
export function checkBallotRules(rules: BallotRules): string[] {
  const errors: string[] = [];
  if (rules.version !== BALLOT_RULES_VERSION) errors.push(`The rules must be version ${BALLOT_RULES_VERSION}.`);
  const b = rules.ballot;
  if (b.kind === "approval") {
    if (!isWhole(b.maxProjects) || b.maxProjects < 1) errors.push("The most projects a voter can choose must be a whole number, 1 or more.");
  } else if (b.kind === "points") {
    if (!isWhole(b.totalPoints) || b.totalPoints < 1) errors.push("The points each voter shares must be a whole number, 1 or more.");
    if (!isWhole(b.minProjects) || b.minProjects < 1) errors.push("The fewest projects a voter must give points to must be a whole number, 1 or more.");
    else if (isWhole(b.totalPoints) && b.minProjects > b.totalPoints) errors.push("Voters cannot give points to more projects than they have points.");
  } else if (b.kind === "knapsack") {
    if (b.voterBudgetPence !== undefined && (!isWhole(b.voterBudgetPence) || b.voterBudgetPence < 1))
      errors.push("Each voter's budget must be a whole number of pence, more than 0.");
  } else {
    errors.push("The ballot must be approval, points or knapsack.");
  }
  if (!COUNTING_RULES.includes(rules.counting)) errors.push("The counting rule must be greedy, optimum, equal-shares or phragmen.");
  if (rules.equalSharesUtility !== "cost" && rules.equalSharesUtility !== "approval")
    errors.push("Equal Shares must value a choice by its cost or count it as 1.");
  if (!TIE_RULES.includes(rules.tieRule)) errors.push("The tie rule must be stated.");
  if (rules.pots.length === 0) errors.push("There must be at least one pot.");
  const potIds = new Set<string>();
  for (const pot of rules.pots) {
    if (!pot.id) errors.push("Every pot needs an id.");
    if (potIds.has(pot.id)) errors.push(`The pot ${pot.id} is listed twice.`);
    potIds.add(pot.id);
    if (!pot.name.trim()) errors.push(`The pot ${pot.id} needs a name.`);
    if (!isWhole(pot.budgetPence) || pot.budgetPence < 1) errors.push(`The budget of ${pot.name || pot.id} must be a whole number of pence, more than 0.`);
  }
  const projectIds = new Set<string>();
  for (const project of rules.projects ?? []) {
    if (!project.id) errors.push("Every project needs a reference.");
    if (projectIds.has(project.id)) errors.push(`The project ${project.id} is listed twice.`);
    projectIds.add(project.id);
    if (!isWhole(project.costPence) || project.costPence < 1) errors.push(`The cost of ${project.id} must be a whole number of pence, more than 0.`);
    if (!potIds.has(project.potId)) errors.push(`The project ${project.id} is in a pot that is not listed (${project.potId}).`);
  }
  return errors;
}

/** Throws a DomainError naming the first problem with the rules. */
export function assertBallotRules(rules: BallotRules): void {
  const [first] = checkBallotRules(rules);
  if (first) throw new DomainError(first);
}

/**
 * The rules as canonical JSON: keys sorted at every depth, no whitespace,
 * pots and projects sorted by id, whole numbers only (money in pence). The
 * same rules always give the same text, whatever order they were built in.
 * Throws a DomainError when the rules are not sound.
 */
export function canonicalRulesJson(rules: BallotRules): string {
  assertBallotRules(rules);
  const byId = <T extends { id: string }>(items: readonly T[]) => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const snapshot: BallotRules = {
    version: rules.version,
    ballot: rules.ballot,
    pots: byId(rules.pots).map(({ id, name, budgetPence }) => ({ id, name, budgetPence })),
    counting: rules.counting,
    equalSharesUtility: rules.equalSharesUtility,
    tieRule: rules.tieRule,
    ...(rules.projects
      ? { projects: byId(rules.projects).map(({ id, costPence, potId, reference, title }) => ({ id, costPence, potId, reference, title })) }
      : {}),
    ...(rules.vote ? { vote: rules.vote } : {}),
  };
  return canonicalJson(snapshot);
}

/** SHA-256 (hex) of the canonical JSON: the fingerprint shown on the public page. */
export function hashBallotRules(rules: BallotRules): string {
  return createHash("sha256").update(canonicalRulesJson(rules), "utf8").digest("hex");
}

/** Reads a published snapshot back; throws a DomainError when it is not sound rules JSON. */
export function parseBallotRules(json: string): BallotRules {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new DomainError("The rules are not valid JSON.");
  }
  if (!value || typeof value !== "object" || !("ballot" in value) || !("pots" in value) || !Array.isArray((value as BallotRules).pots)) {
    throw new DomainError("The rules are missing the ballot or the pots.");
  }
  const rules = value as BallotRules;
  assertBallotRules(rules);
  return rules;
}

/** The rules in plain English, one line each, for the public page. */
export function describeBallotRules(rules: BallotRules): string[] {
  const b = rules.ballot;
  const ballot =
    b.kind === "approval"
      ? `Choose up to ${b.maxProjects} project${b.maxProjects === 1 ? "" : "s"} in each pot.`
      : b.kind === "points"
        ? `Share up to ${b.totalPoints} points in each pot, between at least ${b.minProjects} project${b.minProjects === 1 ? "" : "s"}.`
        : b.voterBudgetPence !== undefined
          ? `Choose projects that cost ${formatPence(b.voterBudgetPence)} or less in each pot.`
          : "Choose projects whose costs fit in each pot's budget.";
  return [ballot, ...rules.pots.map((pot) => `${pot.name}: ${formatPence(pot.budgetPence)}.`), countingRuleText(rules.counting), tieRuleText(rules.counting)];
}

export type BallotCheck = { isValid: true } | { isValid: false; errors: string[] };

/**
 * Checks one ballot against the rules and the projects on it (by default the
 * projects frozen with the rules). Errors are plain English for the voter
 * ("You chose 3 projects. You can choose up to 2. Untick 1."); they name the
 * pot only when the ballot has more than one.
 */
export function validateBallot(
  ballot: Ballot,
  rules: Pick<BallotRules, "ballot" | "pots" | "projects">,
  projects: readonly BallotProject[] = rules.projects ?? [],
): BallotCheck {
  const errors: string[] = [];
  const projectById = new Map(projects.map((p) => [p.id, p]));
  const limits = rules.ballot;
  if (ballot.kind !== limits.kind) return { isValid: false, errors: [`This ballot must be ${limits.kind === "approval" ? "an" : "a"} ${limits.kind} ballot.`] };

  const entries: [string, number][] = ballot.kind === "points" ? Object.entries(ballot.points) : ballot.projectIds.map((id) => [id, 1]);
  const seen = new Set<string>();
  const byPot = new Map<string, { count: number; points: number; costPence: number }>();
  let isOffBallot = false;
  for (const [id, amount] of entries) {
    const project = projectById.get(id);
    if (!project) {
      isOffBallot = true;
      continue;
    }
    if (seen.has(id)) {
      errors.push("You chose a project twice. Choose each project once.");
      continue;
    }
    seen.add(id);
    if (ballot.kind === "points") {
      if (!isWhole(amount) || amount < 0) {
        errors.push("Use whole numbers of points.");
        continue;
      }
      if (amount === 0) continue;
    }
    const tally = byPot.get(project.potId) ?? { count: 0, points: 0, costPence: 0 };
    tally.count += 1;
    tally.points += amount;
    tally.costPence += project.costPence;
    byPot.set(project.potId, tally);
  }
  if (isOffBallot) errors.unshift("One of your choices is not on this ballot. Reload the page and choose again.");
  if (errors.length === 0 && byPot.size === 0)
    errors.push(ballot.kind === "points" ? "Give your points to at least one project." : "Choose at least one project.");

  const isOnePot = rules.pots.length <= 1;
  for (const [potId, tally] of byPot) {
    const pot = rules.pots.find((p) => p.id === potId);
    const inPot = isOnePot ? "" : ` in ${pot?.name ?? potId}`;
    if (limits.kind === "approval" && tally.count > limits.maxProjects) {
      const k = limits.maxProjects;
      errors.push(`You chose ${tally.count} projects${inPot}. You can choose up to ${k}. Untick ${tally.count - k}.`);
    }
    if (limits.kind === "points") {
      if (tally.points > limits.totalPoints) {
        errors.push(`You gave ${tally.points} points${inPot}. You have ${limits.totalPoints}. Take away ${tally.points - limits.totalPoints}.`);
      }
      if (tally.count < limits.minProjects) {
        errors.push(`Give points to at least ${limits.minProjects} projects${inPot}. You gave points to ${tally.count}.`);
      }
    }
    const budget = limits.kind === "knapsack" ? (limits.voterBudgetPence ?? pot?.budgetPence) : undefined;
    if (budget !== undefined && tally.costPence > budget) {
      errors.push(`Your projects${inPot} cost ${formatPence(tally.costPence)}. The budget is ${formatPence(budget)}. Take some out.`);
    }
  }
  return errors.length === 0 ? { isValid: true } : { isValid: false, errors };
}

/** One voter's choices (points, or 1 for a plain choice, by project id) as a ballot of the given kind. */
export function ballotFromChoices(kind: BallotKind, choices: Readonly<Record<string, number>>): Ballot {
  if (kind === "points") return { kind, points: Object.fromEntries(Object.entries(choices).filter(([, n]) => n !== 0)) };
  return { kind, projectIds: Object.keys(choices).filter((id) => (choices[id] ?? 0) > 0) };
}

function isWhole(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n);
}

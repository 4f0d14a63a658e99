/**
 * Representative panels: a fund's composition rules (how many, or what share,
 * of a panel each constituency may or must fill) checked against a whole
 * panel or against the members present at a meeting, and the quorum that
 * combines a minimum number present with the same rules. Pure; every breach
 * is a sentence in plain English for the page and the minutes.
 */
import type { Constituency } from "../../db/schema";
import { DomainError } from "./errors";

export type { Constituency };

/**
 * The limits on one constituency; a missing limit is no limit. Shares are
 * percentages of the panel (0 to 100), so "at most one third" is 33 or 34 —
 * choose which way to round, because 1 of 3 is 33.3%.
 */
export interface ConstituencyLimits {
  minShare?: number;
  maxShare?: number;
  minCount?: number;
  maxCount?: number;
}

/** As stored in fund.composition_rules (JSON). */
export type CompositionRules = Partial<Record<Constituency, ConstituencyLimits>>;

export interface PanelMember {
  id: string;
  constituency: Constituency;
}

const ORDER: readonly Constituency[] = ["resident", "councillor", "vcse"];

const PLURAL: Record<Constituency, string> = {
  resident: "residents",
  councillor: "councillors",
  vcse: "VCSE representatives",
};

const SINGULAR: Record<Constituency, string> = {
  resident: "resident",
  councillor: "councillor",
  vcse: "VCSE representative",
};

const members = (n: number, c: Constituency) => `${n} ${n === 1 ? SINGULAR[c] : PLURAL[c]}`;
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Rejects limits no panel could be checked against. */
function assertRules(rules: CompositionRules): void {
  for (const c of ORDER) {
    const limits = rules[c];
    if (!limits) continue;
    for (const key of ["minShare", "maxShare"] as const) {
      const share = limits[key];
      if (share !== undefined && (!Number.isFinite(share) || share < 0 || share > 100)) {
        throw new DomainError(`The share limits for ${PLURAL[c]} must be percentages from 0 to 100`);
      }
    }
    for (const key of ["minCount", "maxCount"] as const) {
      const count = limits[key];
      if (count !== undefined && (!Number.isInteger(count) || count < 0)) {
        throw new DomainError(`The number limits for ${PLURAL[c]} must be whole numbers, 0 or more`);
      }
    }
    if (limits.minShare !== undefined && limits.maxShare !== undefined && limits.minShare > limits.maxShare) {
      throw new DomainError(`The smallest share for ${PLURAL[c]} is more than their largest share`);
    }
    if (limits.minCount !== undefined && limits.maxCount !== undefined && limits.minCount > limits.maxCount) {
      throw new DomainError(`The fewest members for ${PLURAL[c]} is more than their most members`);
    }
  }
}

/**
 * A share to one decimal place, rounded as usual unless that would read as
 * meeting the limit it breaks (39.98% against a minimum of 40% would show as
 * 40.0%): then it is rounded away from the limit instead (39.9%).
 */
function shareText(count: number, total: number, limit: number, direction: "below" | "above"): string {
  const tenths = (count * 1000) / total;
  let rounded = Math.round(tenths) / 10;
  if (direction === "below" && rounded >= limit) rounded = Math.floor(tenths) / 10;
  if (direction === "above" && rounded <= limit) rounded = Math.ceil(tenths) / 10;
  return `${rounded}%`;
}

export interface CompositionOptions {
  /** How the group is named in sentences: "the panel" (default) or "the members present". */
  groupName?: string;
  /** The group's name is plural ("the members present have none"); and an empty group reads "nobody is present". */
  isPlural?: boolean;
}

/**
 * The ways a panel (or the members present at a meeting) breaks the fund's
 * composition rules, one plain-English sentence each, in constituency order;
 * empty when it meets them all. Throws a DomainError for impossible rules or a
 * member listed twice.
 */
export function compositionBreaches(panel: readonly PanelMember[], rules: CompositionRules, options: CompositionOptions = {}): string[] {
  assertRules(rules);
  const group = options.groupName ?? "the panel";
  const has = options.isPlural ? "have" : "has";
  const isEmpty = options.isPlural ? "nobody is present" : `${group} has no members`;
  const ids = new Set<string>();
  const counts: Record<Constituency, number> = { resident: 0, councillor: 0, vcse: 0 };
  for (const member of panel) {
    if (ids.has(member.id)) throw new DomainError(`${member.id} is listed twice`);
    ids.add(member.id);
    counts[member.constituency] += 1;
  }
  const total = panel.length;
  const breaches: string[] = [];
  for (const c of ORDER) {
    const limits = rules[c];
    if (!limits) continue;
    const n = counts[c];
    if (limits.minCount !== undefined && n < limits.minCount) {
      breaches.push(`${capitalise(group)} must include at least ${members(limits.minCount, c)}, but ${has} ${n === 0 ? "none" : n}.`);
    }
    if (limits.maxCount !== undefined && n > limits.maxCount) {
      breaches.push(`${capitalise(group)} may include at most ${members(limits.maxCount, c)}, but ${has} ${n}.`);
    }
    // Compared in whole numbers (n × 100 against share × total), so 2 of 5 is exactly 40%.
    if (limits.minShare !== undefined && limits.minShare > 0 && n * 100 < limits.minShare * total) {
      breaches.push(
        `${capitalise(PLURAL[c])} must be at least ${limits.minShare}% of ${group}, but are ${n} of ${total} (${shareText(n, total, limits.minShare, "below")}).`,
      );
    }
    if (limits.minShare !== undefined && limits.minShare > 0 && total === 0) {
      breaches.push(`${capitalise(PLURAL[c])} must be at least ${limits.minShare}% of ${group}, but ${isEmpty}.`);
    }
    if (limits.maxShare !== undefined && total > 0 && n * 100 > limits.maxShare * total) {
      breaches.push(
        `${capitalise(PLURAL[c])} may be at most ${limits.maxShare}% of ${group}, but are ${n} of ${total} (${shareText(n, total, limits.maxShare, "above")}).`,
      );
    }
  }
  return breaches;
}

export interface QuorumInput {
  /** The panel members present at the meeting. */
  present: readonly PanelMember[];
  /** The fewest members who must be present. */
  minimumPresent: number;
  rules: CompositionRules;
  /**
   * Members recused from the item being decided: they leave the room, so
   * they do not count towards its quorum (Localism Act 2011 s.31 principle).
   */
  recusedMemberIds?: readonly string[];
}

export interface QuorumResult {
  isQuorate: boolean;
  /** The members who count towards the quorum. */
  countingPresent: number;
  /** Why the meeting is or is not quorate, one sentence each. */
  reasons: string[];
}

/**
 * Whether a meeting (or one item of it) is quorate: enough members present,
 * and those present meet the composition rules. Throws a DomainError for a
 * minimum that is not a whole number of 1 or more.
 */
export function checkQuorum(input: QuorumInput): QuorumResult {
  if (!Number.isInteger(input.minimumPresent) || input.minimumPresent < 1) {
    throw new DomainError("The fewest members who must be present must be a whole number, 1 or more");
  }
  const recused = new Set(input.recusedMemberIds ?? []);
  const counting = input.present.filter((m) => !recused.has(m.id));
  const leftOut = input.present.length - counting.length;
  const whoLeft = leftOut > 0 ? `, not counting ${leftOut} recused from this item` : "";
  const n = counting.length;
  const isEnough = n >= input.minimumPresent;
  const breaches = compositionBreaches(counting, input.rules, { groupName: "the members present", isPlural: true });
  const reasons = [
    isEnough
      ? `${n} ${n === 1 ? "member is" : "members are"} present${whoLeft}, and at least ${input.minimumPresent} ${input.minimumPresent === 1 ? "is" : "are"} needed.`
      : `${n === 0 ? "No members are" : n === 1 ? "Only 1 member is" : `Only ${n} members are`} present${whoLeft}; at least ${input.minimumPresent} ${input.minimumPresent === 1 ? "is" : "are"} needed.`,
    ...(breaches.length === 0 ? ["The members present meet the fund's rules on the mix of residents, councillors and VCSE representatives."] : breaches),
  ];
  return { isQuorate: isEnough && breaches.length === 0, countingPresent: n, reasons };
}

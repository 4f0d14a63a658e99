/**
 * Telling whether two community groups are the same group: by a stable
 * identifier (the portal's id, a charity number or a company number) first,
 * then by name ignoring case, accents, punctuation and the word "the". Pure.
 * Registration (a group setting up its profile) and the CSV import use these,
 * so a group that is already on the portal is found instead of duplicated.
 */

/** "The Easton Repair Café!" → "easton repair cafe"; "&" reads as "and"; "St. Paul's" → "st pauls". */
export function normaliseGroupName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/['\u2019`]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .split(" ")
    .filter((word) => word && word !== "the")
    .join(" ");
}

/** " sc-012 345 " → "SC012345": a charity or company number as it is compared. Null when blank. */
export function normaliseRegistrationNumber(value: string | null | undefined): string | null {
  const compact = (value ?? "").toUpperCase().replace(/[^A-Z0-9]/g, "");
  return compact || null;
}

/** The portal's ids are UUIDs: a value shaped like one is a portal id, never a registration number. */
export const looksLikePortalId = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value.trim());

export interface KnownGroup {
  id: string;
  name: string;
  kind: "community_group" | "lead_org";
  /** The registration, charity and company numbers on record, in any spelling. */
  numbers?: readonly (string | null)[];
}

/** The normalised numbers a group has on record. */
export const numbersOf = (group: Pick<KnownGroup, "numbers">): string[] => [
  ...new Set((group.numbers ?? []).map(normaliseRegistrationNumber).filter((n): n is string => n !== null)),
];

export type MatchReason = "name" | "number";

/**
 * Community groups that look like the one being set up: the same name
 * (ignoring case, punctuation and "the") or the same charity or company
 * number. Each says why it matched; number matches first.
 */
export function findDuplicateGroups<G extends KnownGroup>(
  candidate: { name: string; registrationNumber?: string | null },
  groups: readonly G[],
): { group: G; reasons: MatchReason[] }[] {
  const name = normaliseGroupName(candidate.name);
  const number = normaliseRegistrationNumber(candidate.registrationNumber);
  const matches: { group: G; reasons: MatchReason[] }[] = [];
  for (const group of groups) {
    if (group.kind !== "community_group") continue;
    const reasons: MatchReason[] = [];
    if (number && numbersOf(group).includes(number)) reasons.push("number");
    if (name && normaliseGroupName(group.name) === name) reasons.push("name");
    if (reasons.length) matches.push({ group, reasons });
  }
  return matches.sort(
    (a, b) => Number(b.reasons.includes("number")) - Number(a.reasons.includes("number")) || a.group.name.localeCompare(b.group.name, "en-GB"),
  );
}

/** Edit distance, stopping early once it is past `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Whether two names are close without being the same group's name: a typing
 * slip ("Easton Pantry" / "Easton Pantri") or one name inside the other
 * ("Easton Pantry" / "Easton Community Pantry"). Names that are equal once
 * normalised are not "close": they are the same name.
 */
export function isSimilarGroupName(a: string, b: string): boolean {
  const x = normaliseGroupName(a);
  const y = normaliseGroupName(b);
  if (!x || !y || x === y) return false;
  const limit = Math.min(3, Math.floor(Math.min(x.length, y.length) / 6));
  if (limit > 0 && distance(x.replace(/ /g, ""), y.replace(/ /g, ""), limit) <= limit) return true;
  const [fewer, more] = x.split(" ").length <= y.split(" ").length ? [x.split(" "), new Set(y.split(" "))] : [y.split(" "), new Set(x.split(" "))];
  return fewer.length >= 2 && fewer.every((word) => more.has(word));
}

import type { Constituency, InterestRelationship } from "../../db/schema";
import { CONSTITUENCY_LABELS } from "./roles";

export interface RegisterEntry {
  memberName: string;
  constituency: Constituency | null;
  isNamePublic: boolean;
  relationship: InterestRelationship;
  isPecuniary: boolean;
  /** The organisation's name, or the proposal's reference and title. */
  subject: string;
  /** References of the proposals the declaration recuses the member from. */
  recusedFrom: readonly string[];
}

const RELATIONSHIP_PHRASES: Record<InterestRelationship, string> = {
  member: "as a member of",
  trustee: "as a trustee, director or committee member of",
  employee: "as someone who works for",
  family: "through a close family member or partner involved with",
  other: "through another connection with",
};

const UNNAMED: Record<Constituency, string> = {
  resident: "A resident",
  councillor: "A councillor",
  vcse: "A VCSE representative",
};

function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * One line of the register or the minutes, in plain English. In public the
 * member is named only if they agreed; otherwise by their constituency.
 */
export function declarationSentence(entry: RegisterEntry, options: { isPublic: boolean }): string {
  const who =
    options.isPublic && !entry.isNamePublic
      ? `${entry.constituency ? UNNAMED[entry.constituency] : "A member"} on the panel`
      : `${entry.memberName} (${entry.constituency ? CONSTITUENCY_LABELS[entry.constituency] : "panel member"})`;
  const kind = entry.isPecuniary ? "a pecuniary (financial) interest" : "a non-pecuniary interest";
  const recusal = entry.recusedFrom.length ? `, and took no part in ${listOf(entry.recusedFrom)}` : ", which does not touch any proposal in this group";
  return `${who} declared ${kind} ${RELATIONSHIP_PHRASES[entry.relationship]} ${entry.subject}${recusal}.`;
}

/**
 * The next round of a fund (docs/glossary.md, "Fund"): a copy of its set-up
 * with new dates and new money, and a new panel membership for each member
 * who comes back. Pure helpers for the pages and the service.
 */

const ROUND_SUFFIX = /^(.*\S)\s*\(round (\d{1,4})\)$/i;

/** The suggested name of the next round: "Fund" → "Fund (round 2)", "Fund (round 2)" → "Fund (round 3)". */
export function nextRoundName(name: string): string {
  const match = ROUND_SUFFIX.exec(name.trim());
  if (match) return `${match[1]} (round ${Number(match[2]) + 1})`;
  return `${name.trim()} (round 2)`;
}

/**
 * The same day a year on, as a suggestion for the next round's dates
 * (29 February becomes 28 February). Null stays null; text that is not a
 * date is not guessed at.
 */
export function sameDayNextYear(isoDate: string | null | undefined): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate ?? "");
  if (!match) return null;
  const [year, month, day] = [Number(match[1]) + 1, Number(match[2]), Number(match[3])];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${match[2]}-${String(Math.min(day, lastDay)).padStart(2, "0")}`;
}

/** Where one of last round's panel members stands with the new round's panel. */
export type ComingBack =
  /** They have a current panel membership in the new round's group. */
  | { kind: "on_panel"; since: string }
  /** An invitation is waiting for them to accept it. */
  | { kind: "invited"; sentAt: string; expiresAt: string }
  /** Their account is disabled: it cannot take a new membership. */
  | { kind: "disabled" }
  /** Not invited yet, or their last invitation expired (expiredAt). */
  | { kind: "not_invited"; expiredAt: string | null };

/**
 * What the invite-back page says about one person, from the facts read for
 * them: their current membership of the new group, their latest invitation to
 * it, and whether their account is disabled.
 */
export function comingBack(
  facts: {
    membershipStartedAt: string | null;
    invitation: { createdAt: string; expiresAt: string; acceptedAt: string | null } | null;
    isDisabled: boolean;
  },
  now: Date,
): ComingBack {
  if (facts.membershipStartedAt) return { kind: "on_panel", since: facts.membershipStartedAt };
  if (facts.isDisabled) return { kind: "disabled" };
  const invitation = facts.invitation;
  if (invitation && !invitation.acceptedAt && invitation.expiresAt > now.toISOString()) {
    return { kind: "invited", sentAt: invitation.createdAt, expiresAt: invitation.expiresAt };
  }
  // An accepted invitation whose membership has since ended: they may be asked again.
  return { kind: "not_invited", expiredAt: invitation && !invitation.acceptedAt ? invitation.expiresAt : null };
}

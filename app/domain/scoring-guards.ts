/**
 * Guard rails between scoring, review and decisions (decision record 0023).
 * Pure: the services load the facts and throw the message as a DomainError.
 */

export interface GroupScoringFacts {
  /** When the decision group's scoring closed, or null while it is open. */
  scoringClosedAt: string | null;
  /** The fund scores proposals at all (it has at least one criterion). */
  usesScoring: boolean;
}

export const OPEN_REVIEW_AFTER_CLOSE =
  "Scoring has closed for this decision group, so proposals opened for review now could never be scored and would reach the decisions unscored. They stay eligible. Decide them on the decisions page with a reason the group will read, or carry them to the next round.";

export const DECIDE_WHILE_SCORING_OPEN =
  "Scoring is still open for this group: close scoring first, on the group's scoring page, so that every decision is made on the panel's finished scores.";

/** Why eligible proposals may not be opened for panel review now, or null when they may. */
export function openReviewRefusal(group: GroupScoringFacts): string | null {
  return group.usesScoring && group.scoringClosedAt !== null ? OPEN_REVIEW_AFTER_CLOSE : null;
}

/** Why a decision may not be recorded yet, or null when it may: a fund that scores decides once its group's scoring has closed. */
export function decisionRefusal(group: GroupScoringFacts): string | null {
  return group.usesScoring && group.scoringClosedAt === null ? DECIDE_WHILE_SCORING_OPEN : null;
}

import type { ProposalStatus, TeamIdeaStatus, TeamSupportKind } from "../../db/schema";
import { DomainError } from "./errors";
import { STATUS_LABELS, TRANSITIONS } from "./proposal-status";
import type { Tone } from "./status-tone";

export type { TeamIdeaStatus, TeamSupportKind };

/**
 * Community teams (docs/decisions/0048): the pure rules. An idea moves
 * idea → developing → proposal → decided. "Proposal" is reached only by
 * turning the idea into an outline proposal; "decided" is where its proposal
 * ended, read from the proposal's own status, so the two never disagree.
 */
export const IDEA_STATUSES: readonly TeamIdeaStatus[] = ["idea", "developing", "proposal", "decided"];

export const IDEA_STATUS_LABELS: Record<TeamIdeaStatus, string> = {
  idea: "Idea",
  developing: "Developing",
  proposal: "Proposal",
  decided: "Decided",
};

const IDEA_STATUS_TONES: Record<TeamIdeaStatus, Tone> = { idea: "grey", developing: "yellow", proposal: "blue", decided: "green" };

/** The moves a team makes by hand; becoming a proposal is its own action (it starts the proposal). */
export const IDEA_TRANSITIONS: Record<TeamIdeaStatus, readonly TeamIdeaStatus[]> = {
  idea: ["developing"],
  developing: ["idea"],
  proposal: [],
  decided: [],
};

/** Throws a DomainError (on the field "status") unless the team may move the idea from `from` to `to`. */
export function assertIdeaTransition(from: TeamIdeaStatus, to: TeamIdeaStatus): void {
  if (!IDEA_TRANSITIONS[from].includes(to)) {
    throw new DomainError(`An idea that is "${IDEA_STATUS_LABELS[from]}" cannot be moved to "${IDEA_STATUS_LABELS[to]}".`, "status");
  }
}

/** Only an idea not yet a proposal can become one. */
export const canBecomeProposal = (status: TeamIdeaStatus): boolean => status === "idea" || status === "developing";

/** Where an idea got to, as its team's page and the public page show it. */
export interface IdeaProgress {
  status: TeamIdeaStatus;
  label: string;
  tone: Tone;
  /** The proposal's own status in words (the proposal-status domain), when it became one. */
  proposalLabel: string | null;
}

/**
 * The one rule for where an idea got to: before it is a proposal, its own
 * status; after, "Proposal" until the proposal reaches a status it cannot
 * leave (funded, not funded, declined, ineligible, withdrawn), then "Decided".
 */
export function ideaProgress(ideaStatus: TeamIdeaStatus, proposalStatus: ProposalStatus | null): IdeaProgress {
  const status: TeamIdeaStatus = proposalStatus === null ? ideaStatus : TRANSITIONS[proposalStatus].length === 0 ? "decided" : "proposal";
  return {
    status,
    label: IDEA_STATUS_LABELS[status],
    tone: IDEA_STATUS_TONES[status],
    proposalLabel: proposalStatus === null ? null : STATUS_LABELS[proposalStatus],
  };
}

export type TermState = "not_started" | "current" | "ended";

export const TERM_STATE_LABELS: Record<TermState, string> = {
  not_started: "Term not started",
  current: "Term current",
  ended: "Term ended",
};

export const TERM_STATE_TONES: Record<TermState, Tone> = { not_started: "blue", current: "green", ended: "grey" };

/** Whether a paid term (first and last day, YYYY-MM-DD) is current on `today` (YYYY-MM-DD). */
export function termState(term: { startsOn: string; endsOn: string }, today: string): TermState {
  if (today < term.startsOn) return "not_started";
  return today > term.endsOn ? "ended" : "current";
}

export const TEAM_SUPPORT_KIND_LABELS: Record<TeamSupportKind, string> = {
  mentoring: "Mentoring",
  training: "Training",
  other: "Other",
};

/** Engagement is counted, never named: text that holds an email address or a phone number is refused. */
export function looksLikeContactDetails(text: string): boolean {
  if (/[^\s@]+@[^\s@]+\.[^\s@]+/.test(text)) return true;
  return /(?:\d[\s-]?){7,}/.test(text);
}

/** The total of a team's engagement counts. */
export const totalPeople = (rows: readonly { peopleCount: number }[]): number => rows.reduce((sum, r) => sum + r.peopleCount, 0);

/** A team's heading as every team page shows it: who, where, and its paid term with whether it is current on `today`. */
export function teamHeading(
  team: { id: string; name: string; area: string; fundName: string; termStartsOn: string; termEndsOn: string },
  today: string,
  formatDate: (iso: string) => string,
) {
  const state = termState({ startsOn: team.termStartsOn, endsOn: team.termEndsOn }, today);
  return {
    team: { id: team.id, name: team.name, area: team.area, fundName: team.fundName },
    term: { from: formatDate(team.termStartsOn), to: formatDate(team.termEndsOn), state, label: TERM_STATE_LABELS[state], tone: TERM_STATE_TONES[state] },
  };
}

/** One line of a team's list of ideas: where it got to, and a link to its proposal at `proposalPath` (the reader's page for it). */
export function ideaListItem(
  idea: {
    id: string;
    title: string;
    area: string;
    status: TeamIdeaStatus;
    proposalId: string | null;
    proposalReference: string | null;
    proposalStatus: ProposalStatus | null;
  },
  proposalPath: (proposalId: string) => string,
) {
  return {
    id: idea.id,
    title: idea.title,
    area: idea.area,
    progress: ideaProgress(idea.status, idea.proposalStatus),
    proposal: idea.proposalId ? { href: proposalPath(idea.proposalId), reference: idea.proposalReference ?? "" } : null,
  };
}

export type IdeaListItem = ReturnType<typeof ideaListItem>;

import { formatUkDateTime, type BallotKind, type BallotPhase, type DecisionMethod } from "./community-ballot";

/**
 * The two "both" decision methods (issue 12, docs/decisions/0046): the panel
 * shortlists and residents vote on the shortlist, or residents vote and the
 * panel decides with the vote as advice. Pure: no clock, no database.
 */

/** The panel makes a shortlist first, and only shortlisted proposals go on the ballot. */
export const shortlistsFirst = (method: DecisionMethod): boolean => method === "shortlist_then_ballot";

/** The residents' vote is advice the panel sees beside its scores, once the vote has closed. */
export const voteAdvisesPanel = (method: DecisionMethod): boolean => method === "ballot_advises_panel";

/** How the panel makes its shortlist, said wherever the shortlist is shown or missing. */
export const SHORTLIST_RULE =
  "The panel's shortlist is the proposals it voted to fund at one of its meetings (the latest closed vote on each proposal counts). Only eligible proposals and those in panel review can be on it.";

/** Said on a meeting's agenda when the fund shortlists first: what a vote there means. */
export const SHORTLIST_MEETING_NOTE =
  "This fund's panel makes a shortlist for a community vote. A vote here to fund a proposal puts it on the shortlist; a vote not to fund leaves it off. People who live in the area then vote on the shortlist.";

/** Why a shortlist_then_ballot vote cannot open yet. */
export const EMPTY_SHORTLIST =
  "No proposal is on the panel's shortlist yet, so the vote cannot open. The panel shortlists a proposal by voting to fund it at one of its meetings. Once that vote has closed, the proposal is on the shortlist.";

/** Where a "both" fund is, in plain words for the public fund page; null for a fund decided by the panel or the vote alone. */
export function bothStage(method: DecisionMethod, vote: { phase: BallotPhase; opensAt: string; closesAt: string } | null, hasResults: boolean): string | null {
  if (!shortlistsFirst(method) && !voteAdvisesPanel(method)) return null;
  const phase = vote?.phase ?? "draft";
  if (shortlistsFirst(method)) {
    if (hasResults) return "Decided. The results are published.";
    if (phase === "draft") return "Shortlisting: the panel is choosing which ideas go to the vote.";
    if (phase === "scheduled") return `The panel has made its shortlist. Voting opens on ${formatUkDateTime(vote!.opensAt)}.`;
    if (phase === "open") return `Voting is open until ${formatUkDateTime(vote!.closesAt)}. People who live in the area vote on the shortlist.`;
    return "Voting has closed. The vote decides, counted by the rules fixed when it opened.";
  }
  if (hasResults) return "The panel has decided. The results are published.";
  if (phase === "draft") return "Getting ready: the ideas are being checked before the vote opens.";
  if (phase === "scheduled") return `Voting opens on ${formatUkDateTime(vote!.opensAt)}. After it closes, the panel decides.`;
  if (phase === "open") return `Voting is open until ${formatUkDateTime(vote!.closesAt)}. After that, the panel decides with the vote as advice.`;
  return "Voting has closed. The panel is deciding, with the residents' vote as advice.";
}

// ---------------------------------------------------------------------------
// The residents' vote as advice to the panel.

/** One proposal's figures from the counted ballots: how many voters chose it (or gave it points), and the points. */
export interface VoteFigure {
  supporters: number;
  points: number;
}

/**
 * Each project's figures from the anonymised ballots a count was made from
 * (each ballot's choices: points, or 1, by project id): how many ballots chose
 * it, and the points they gave it.
 */
export function voteFiguresOf(ballots: readonly Readonly<Record<string, number>>[]): Map<string, VoteFigure> {
  const figures = new Map<string, VoteFigure>();
  for (const ballot of ballots) {
    for (const [id, points] of Object.entries(ballot)) {
      if (points <= 0) continue;
      const figure = figures.get(id) ?? { supporters: 0, points: 0 };
      figure.supporters += 1;
      figure.points += points;
      figures.set(id, figure);
    }
  }
  return figures;
}

export const ADVICE_LABEL = "Residents' vote (advice)";

export const adviceIntro = (ballotsCounted: number, closedAt: string) =>
  `Advice, not the decision: ${ballotsCounted} ${ballotsCounted === 1 ? "person" : "people"} voted in the community vote, which closed on ${formatUkDateTime(closedAt)}. The panel decides. The figures count each voter's last ballot.`;

/** A share of voters as a whole percentage ("35%"); 0% when nobody voted. */
export const shareOfVoters = (supporters: number, ballotsCounted: number): string =>
  `${ballotsCounted === 0 ? 0 : Math.round((supporters / ballotsCounted) * 100)}%`;

/** One proposal's advice in words: "7 of 20 voters chose it (35%)", with points for a points ballot, or that it was not on the ballot. */
export function adviceText(kind: BallotKind, figure: VoteFigure | null, ballotsCounted: number, isOnBallot: boolean): string {
  if (!isOnBallot) return "Not on the ballot";
  const supporters = figure?.supporters ?? 0;
  const share = shareOfVoters(supporters, ballotsCounted);
  if (kind === "points") return `${figure?.points ?? 0} points from ${supporters} of ${ballotsCounted} voters (${share})`;
  return `${supporters} of ${ballotsCounted} voters chose it (${share})`;
}

/** What a panel page shows: the labelled intro, and each proposal's advice in words. */
export interface AdviceView {
  label: string;
  intro: string;
  byProposal: Record<string, string>;
}

/** The advice for the rows a page shows (only those: the caller has already left out rows the viewer may not see). */
export function adviceView(
  advice: { kind: BallotKind; closedAt: string; ballotsCounted: number; onBallot: readonly string[]; figures: Record<string, VoteFigure> },
  proposalIds: readonly string[],
): AdviceView {
  const onBallot = new Set(advice.onBallot);
  return {
    label: ADVICE_LABEL,
    intro: adviceIntro(advice.ballotsCounted, advice.closedAt),
    byProposal: Object.fromEntries(proposalIds.map((id) => [id, adviceText(advice.kind, advice.figures[id] ?? null, advice.ballotsCounted, onBallot.has(id))])),
  };
}

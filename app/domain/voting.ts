/**
 * Counting a panel's votes, by either of a fund's voting methods:
 * (a) per proposal: fund / don't fund / abstain, decided by a simple majority
 *     of the votes cast, with the fund's tie rule settling a tie;
 * (b) an approval ballot: each member approves up to N proposals, and the
 *     proposals are ranked by approvals.
 * Pure and deterministic; every result carries its reason in plain English,
 * so it can be minuted and fed back to applicants as it stands.
 */
import type { TieRule, VoteChoice } from "../../db/schema";
import { DomainError } from "./errors";

export type { TieRule };

export type ProposalVoteChoice = Exclude<VoteChoice, "approve">;

export interface CastVote {
  memberId: string;
  choice: ProposalVoteChoice;
}

export interface ProposalVoteInput {
  votes: readonly CastVote[];
  /** Members recorded as present at the meeting. */
  presentMemberIds: readonly string[];
  /** Members recused from this proposal: they may not vote on it. */
  recusedMemberIds?: readonly string[];
  tieRule: TieRule;
  /** Tie rule "chair": the chair's casting vote, once given. Ignored unless the vote is tied. */
  castingVote?: { memberId: string; choice: "fund" | "dont_fund" } | null;
  /**
   * Tie rule "higher_score": this proposal's score (null if nobody scored it)
   * and the scores of all the decision group's proposals, this one included.
   * Needed only when the vote is tied.
   */
  scores?: { proposalScore: number | null; groupScores: readonly number[] } | null;
}

export interface VoteCounts {
  fund: number;
  dontFund: number;
  abstain: number;
  /** Votes to fund plus votes not to fund: abstentions are not votes cast. */
  cast: number;
  /** Present members who are not recused. */
  eligible: number;
  /** Eligible members who have not voted. */
  notVoted: number;
}

export interface ProposalVoteResult {
  counts: VoteCounts;
  /** "awaiting_casting_vote": tied under the chair's rule, and the chair has not yet given a casting vote. */
  outcome: "fund" | "dont_fund" | "awaiting_casting_vote";
  decidedBy: "majority" | "casting_vote" | "score" | null;
  explanation: string;
}

export const TIE_RULE_TEXTS: Record<TieRule, string> = {
  chair: "A tied vote is settled by the chair's casting vote.",
  higher_score:
    "A tied vote is settled by score: the proposal is funded if its score is at or above the median score of all the decision group's proposals (the middle score, or the average of the middle two), and not funded otherwise, or if nobody scored it.",
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const number = (n: number) => String(Number(n.toFixed(2)));

/** The median of a list of numbers: the middle one, or the average of the middle two. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new DomainError("There are no scores to take the median of");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Counts the votes on one proposal and applies the majority and tie rules.
 * Throws a DomainError for a vote by someone absent or recused, a second vote
 * by the same member, or a tie that the rule cannot settle from what was given.
 */
export function countProposalVotes(input: ProposalVoteInput): ProposalVoteResult {
  const present = new Set(input.presentMemberIds);
  const recused = new Set(input.recusedMemberIds ?? []);
  const voted = new Set<string>();
  const counts = { fund: 0, dontFund: 0, abstain: 0 };
  for (const vote of input.votes) {
    if (!present.has(vote.memberId)) throw new DomainError(`${vote.memberId} is not recorded as present, so cannot vote`);
    if (recused.has(vote.memberId)) throw new DomainError(`${vote.memberId} is recused from this proposal, so cannot vote on it`);
    if (voted.has(vote.memberId)) throw new DomainError(`${vote.memberId} has already voted on this proposal`);
    voted.add(vote.memberId);
    if (vote.choice === "fund") counts.fund += 1;
    else if (vote.choice === "dont_fund") counts.dontFund += 1;
    else counts.abstain += 1;
  }
  const eligible = [...present].filter((id) => !recused.has(id)).length;
  const full: VoteCounts = { ...counts, cast: counts.fund + counts.dontFund, eligible, notVoted: eligible - voted.size };
  const abstentions = counts.abstain > 0 ? ` (${plural(counts.abstain, "abstention")})` : "";

  if (counts.fund !== counts.dontFund) {
    const isFunded = counts.fund > counts.dontFund;
    return {
      counts: full,
      outcome: isFunded ? "fund" : "dont_fund",
      decidedBy: "majority",
      explanation: `${isFunded ? "Funded" : "Not funded"}: ${plural(counts.fund, "vote")} to fund and ${plural(counts.dontFund, "vote")} not to fund${abstentions}. A simple majority of the ${plural(full.cast, "vote")} cast decides.`,
    };
  }

  // 0–0 (nobody voted either way) is an equality of votes too, so the tie rule settles it.
  const tied = full.cast === 0 ? `No votes were cast either way${abstentions}, so the vote is tied.` : `The vote is tied at ${counts.fund} each${abstentions}.`;
  const afterColon = tied.charAt(0).toLowerCase() + tied.slice(1);
  if (input.tieRule === "chair") {
    const casting = input.castingVote;
    if (!casting) {
      return {
        counts: full,
        outcome: "awaiting_casting_vote",
        decidedBy: null,
        explanation: `${tied} Under the fund's tie rule the chair has a casting vote, which has not been given yet.`,
      };
    }
    if (!present.has(casting.memberId) || recused.has(casting.memberId)) {
      throw new DomainError("The casting vote must come from a chair who is present and not recused from this proposal");
    }
    const isFunded = casting.choice === "fund";
    return {
      counts: full,
      outcome: isFunded ? "fund" : "dont_fund",
      decidedBy: "casting_vote",
      explanation: `${isFunded ? "Funded" : "Not funded"}: ${afterColon} The chair gave a casting vote ${isFunded ? "to fund" : "not to fund"}, as the fund's tie rule provides.`,
    };
  }

  const scores = input.scores;
  if (!scores) throw new DomainError("A tie settled by score needs the proposal's score and the scores of the group's proposals");
  if (scores.proposalScore === null) {
    return {
      counts: full,
      outcome: "dont_fund",
      decidedBy: "score",
      explanation: `Not funded: ${afterColon} The fund settles ties by score, and nobody scored this proposal.`,
    };
  }
  const middle = median(scores.groupScores);
  const isFunded = scores.proposalScore >= middle;
  return {
    counts: full,
    outcome: isFunded ? "fund" : "dont_fund",
    decidedBy: "score",
    explanation: `${isFunded ? "Funded" : "Not funded"}: ${afterColon} The fund settles ties by score: this proposal's score of ${number(scores.proposalScore)} is ${isFunded ? "at or above" : "below"} the median score of the group's proposals, ${number(middle)}.`,
  };
}

export interface ApprovalBallot {
  memberId: string;
  /** References of the proposals the member approves. */
  approvals: readonly string[];
}

export interface ApprovalInput {
  /** References of the proposals on the ballot. */
  proposals: readonly string[];
  ballots: readonly ApprovalBallot[];
  /** The most proposals one member may approve. */
  maxApprovals: number;
  /** For each member, the proposals they are recused from and so may not approve. */
  recusals?: Readonly<Record<string, readonly string[]>>;
  /** Optional: a score per proposal, to settle equal approvals before falling back to the reference. */
  tieBreakScores?: Readonly<Record<string, number | null>>;
}

export interface ApprovalRow {
  reference: string;
  approvals: number;
  /** 1 for the first place; every proposal has its own place, decided by the tie rule when approvals are equal. */
  position: number;
  /** Another proposal has the same number of approvals, so the tie rule decided the order between them. */
  isTied: boolean;
}

export interface ApprovalTally {
  rows: ApprovalRow[];
  ballotsCounted: number;
  rule: string;
}

/**
 * Tallies an approval ballot and ranks the proposals. Throws a DomainError
 * for a ballot approving more than the limit, the same proposal twice, a
 * proposal not on the ballot or one the member is recused from, or a second
 * ballot from the same member.
 */
export function tallyApprovals(input: ApprovalInput): ApprovalTally {
  if (!Number.isInteger(input.maxApprovals) || input.maxApprovals < 1) {
    throw new DomainError("The number of proposals each member may approve must be a whole number, 1 or more");
  }
  const tally = new Map<string, number>();
  for (const reference of input.proposals) {
    if (tally.has(reference)) throw new DomainError(`The proposal ${reference} is on the ballot twice`);
    tally.set(reference, 0);
  }
  const members = new Set<string>();
  for (const ballot of input.ballots) {
    if (members.has(ballot.memberId)) throw new DomainError(`${ballot.memberId} has more than one ballot`);
    members.add(ballot.memberId);
    if (ballot.approvals.length > input.maxApprovals) {
      throw new DomainError(`${ballot.memberId}'s ballot approves ${ballot.approvals.length} proposals; each member may approve up to ${input.maxApprovals}`);
    }
    const approved = new Set<string>();
    const recused = new Set(input.recusals?.[ballot.memberId] ?? []);
    for (const reference of ballot.approvals) {
      if (approved.has(reference)) throw new DomainError(`${ballot.memberId}'s ballot approves ${reference} more than once`);
      if (!tally.has(reference)) throw new DomainError(`${ballot.memberId}'s ballot approves ${reference}, which is not on the ballot`);
      if (recused.has(reference)) throw new DomainError(`${ballot.memberId} is recused from ${reference}, so cannot approve it`);
      approved.add(reference);
      tally.set(reference, tally.get(reference)! + 1);
    }
  }
  const scores = input.tieBreakScores;
  const scoreOf = (reference: string) => scores?.[reference] ?? null;
  const sorted = [...tally.entries()].sort(([a, na], [b, nb]) => {
    if (na !== nb) return nb - na;
    if (scores) {
      const sa = scoreOf(a);
      const sb = scoreOf(b);
      if (sa !== sb) {
        if (sa === null || sb === null) return sa === null ? 1 : -1;
        return sb - sa;
      }
    }
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const counts = new Map<number, number>();
  for (const [, n] of sorted) counts.set(n, (counts.get(n) ?? 0) + 1);
  return {
    rows: sorted.map(([reference, approvals], i) => ({ reference, approvals, position: i + 1, isTied: counts.get(approvals)! > 1 })),
    ballotsCounted: input.ballots.length,
    rule: scores
      ? "Ranked by the number of approvals, most first. Proposals with the same number of approvals are ordered by score, highest first (unscored last), then by reference, A to Z."
      : "Ranked by the number of approvals, most first. Proposals with the same number of approvals are ordered by reference, A to Z.",
  };
}

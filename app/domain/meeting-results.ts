import type { TieRule } from "../../db/schema";
import type { VoteCounts } from "./voting";

/** The quorum as it stood when a vote closed; "not quorate" travels with the result into the decision. */
export interface StoredQuorum {
  isQuorate: boolean;
  countingPresent: number;
  minimumPresent: number;
  reasons: string[];
  checkedAt: string;
}

interface StoredCommon {
  reference: string;
  explanation: string;
  tieRule: TieRule;
  tieRuleText: string;
  /** Votes left out because the voter is now recused or recorded as absent. */
  votesLeftOut: number;
  quorum: StoredQuorum;
  closedAt: string;
}

/**
 * What vote_item.result holds once the item closes (JSON). The decisions
 * page reads it through getVoteResult(db, meetingId, proposalId).
 */
export type StoredVoteResult =
  | (StoredCommon & {
      method: "per_proposal";
      counts: VoteCounts;
      outcome: "fund" | "dont_fund";
      decidedBy: "majority" | "casting_vote" | "score" | null;
      castingVote: { memberId: string; choice: "fund" | "dont_fund" } | null;
    })
  | (StoredCommon & {
      method: "approval";
      approvals: number;
      /** 1 is first place. */
      position: number;
      isTied: boolean;
      ballotsCounted: number;
      maxApprovals: number;
      rule: string;
    });

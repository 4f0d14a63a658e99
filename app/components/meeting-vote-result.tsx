import type { StoredVoteResult } from "~/domain/meeting-results";

export type { StoredVoteResult };

const copy = {
  countsCaption: "Votes",
  fund: "Fund",
  dontFund: "Don't fund",
  abstain: "Abstain",
  notVoted: "Did not vote",
  outcome: { fund: "Outcome: fund", dont_fund: "Outcome: don't fund" },
  approvals: (n: number, of: number) => `${n} of ${of} ballots approved it`,
  quorate: "The meeting was quorate for this vote.",
  notQuorate: "Not quorate: this vote was taken when the meeting was not quorate.",
  leftOut: (n: number) => `${n} ${n === 1 ? "vote was" : "votes were"} left out because the member is recused or was not recorded as present.`,
};

/** A closed vote's result in words: counts, outcome, how a tie was settled, and whether the meeting was quorate. */
export function MeetingVoteResult({ result }: { result: StoredVoteResult }) {
  return (
    <div>
      {result.method === "per_proposal" ? (
        <>
          <p className="text-lg font-bold">{copy.outcome[result.outcome]}</p>
          <dl className="mb-2 grid grid-cols-[max-content_1fr] gap-x-6">
            <dt className="font-semibold">{copy.fund}</dt>
            <dd>{result.counts.fund}</dd>
            <dt className="font-semibold">{copy.dontFund}</dt>
            <dd>{result.counts.dontFund}</dd>
            <dt className="font-semibold">{copy.abstain}</dt>
            <dd>{result.counts.abstain}</dd>
            <dt className="font-semibold">{copy.notVoted}</dt>
            <dd>{result.counts.notVoted}</dd>
          </dl>
        </>
      ) : (
        <p className="font-semibold">{copy.approvals(result.approvals, result.ballotsCounted)}</p>
      )}
      <p>{result.explanation}</p>
      {result.method === "approval" ? <p>{result.rule}</p> : null}
      {result.votesLeftOut > 0 ? <p>{copy.leftOut(result.votesLeftOut)}</p> : null}
      <p className={result.quorum.isQuorate ? "" : "font-semibold text-red-800"}>{result.quorum.isQuorate ? copy.quorate : copy.notQuorate}</p>
    </div>
  );
}

import type { DB } from "../../db/client";
import { jsonObjectEntries } from "../../db/json-sql";
import { ballotPhase, type BallotKind } from "~/domain/community-ballot";
import type { ResultOptions } from "~/domain/forms/decision";
import type { Actor } from "~/domain/permissions";
import { getGroupResults, type GroupFacts } from "./group-results.server";
import { readUntilChange } from "./read-cache.server";
import type { BallotResult } from "~/domain/ballot-result";
import { parseBallotRules } from "~/domain/ballot-rules";
import { adviceView, voteAdvisesPanel, voteFiguresOf, type AdviceView, type VoteFigure } from "~/domain/panel-and-residents";

export interface ResidentsVoteAdvice {
  kind: BallotKind;
  closedAt: string;
  /** Counted ballots: each voter's last one (voting online stops at the close; paper ballots may be keyed after it). */
  ballotsCounted: number;
  /** Proposals (of those asked about) that were on the ballot. */
  onBallot: string[];
  /** Figures by proposal id, for those asked about that someone chose. */
  figures: Record<string, VoteFigure>;
}

/** Every project's figures from a closed vote's counted ballots, in one grouped query (db/json-sql.ts: the JSON choices as rows). */
async function countCountedBallots(db: DB, ballotId: string) {
  const [total, projects, rows] = await Promise.all([
    db
      .selectFrom("ballot_paper")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("ballot_id", "=", ballotId)
      .where("is_counted", "=", 1)
      .executeTakeFirstOrThrow(),
    db.selectFrom("community_ballot_project").select("proposal_id").where("ballot_id", "=", ballotId).execute(),
    db
      .selectFrom(["ballot_paper", jsonObjectEntries(db, "ballot_paper.choices", "choice")])
      .select((eb) => ["choice.key as proposalId", eb.fn.countAll<number>().as("supporters"), eb.fn.sum<number>("choice.value").as("points")])
      .where("ballot_paper.ballot_id", "=", ballotId)
      .where("ballot_paper.is_counted", "=", 1)
      .groupBy("choice.key")
      .execute(),
  ]);
  return {
    ballotsCounted: Number(total.n),
    onBallot: new Set(projects.map((p) => p.proposal_id)),
    figures: new Map(rows.map((r) => [r.proposalId, { supporters: Number(r.supporters), points: Number(r.points) }])),
  };
}

/**
 * The figures from the stored count (ballot_result) and the projects frozen at
 * opening, so the advice is the published result exactly, whatever happens
 * to ballot rows afterwards. An approval or budget ballot gives each chosen
 * project one vote, so the stored votes are the supporters; a points ballot's
 * supporters are counted from the anonymised ballots the count was made from
 * (at city scale that file is about 25 MB, so only when needed). Undefined
 * before the count.
 */
async function readStoredCount(db: DB, ballotId: string, kind: BallotKind) {
  const stored = await db
    .selectFrom("ballot_result")
    .innerJoin("community_ballot", "community_ballot.id", "ballot_result.ballot_id")
    .select(["ballot_result.ballot_count", "ballot_result.result_json", "community_ballot.rules_json"])
    .where("ballot_result.ballot_id", "=", ballotId)
    .executeTakeFirst();
  if (!stored) return undefined;
  const rules = parseBallotRules(stored.rules_json ?? "");
  let figures: Map<string, VoteFigure>;
  if (kind === "points") {
    const ballots = await db.selectFrom("ballot_result").select("ballots_json").where("ballot_id", "=", ballotId).executeTakeFirstOrThrow();
    figures = voteFiguresOf(JSON.parse(ballots.ballots_json) as Record<string, number>[]);
  } else {
    const { votes } = JSON.parse(stored.result_json) as Pick<BallotResult, "votes">;
    figures = new Map(
      Object.entries(votes)
        .filter(([, n]) => n > 0)
        .map(([id, n]) => [id, { supporters: n, points: n }]),
    );
  }
  return { ballotsCounted: stored.ballot_count, onBallot: new Set((rules.projects ?? []).map((p) => p.id)), figures };
}

/**
 * The residents' vote as advice to the panel, for a fund decided by
 * ballot_advises_panel: per proposal, how many counted ballots chose it and
 * the points they gave. Once the vote is counted, from the stored count, so
 * the advice is the published result exactly; between the close and the
 * count, from the counted ballots as they stand. Null before the vote's close
 * time (counts stay sealed: nothing is counted then), and for any other
 * decision method. Only
 * the proposals asked about are returned, so a caller passes just the rows
 * its viewer may see (recusal stays with the caller's existing rule). The
 * count is shared between requests until the next write (readUntilChange):
 * at 79,000 ballots it takes over a second.
 */
export async function getResidentsVoteAdvice(db: DB, fundId: string, proposalIds: readonly string[], now = new Date()): Promise<ResidentsVoteAdvice | null> {
  const ballot = await db
    .selectFrom("community_ballot")
    .innerJoin("fund", "fund.id", "community_ballot.fund_id")
    .select([
      "community_ballot.id",
      "community_ballot.kind",
      "community_ballot.opened_at",
      "community_ballot.opens_at",
      "community_ballot.closes_at",
      "fund.decision_method",
    ])
    .where("community_ballot.fund_id", "=", fundId)
    .executeTakeFirst();
  if (!ballot || !voteAdvisesPanel(ballot.decision_method) || ballotPhase(ballot, now) !== "closed") return null;
  // Once counted, the stored count (what was published); between the close and the count, the counted ballots as they stand.
  const counts = await readUntilChange(
    db,
    `residents-vote:${ballot.id}`,
    async () => (await readStoredCount(db, ballot.id, ballot.kind)) ?? countCountedBallots(db, ballot.id),
  );
  const figures: Record<string, VoteFigure> = {};
  for (const id of proposalIds) {
    const figure = counts.figures.get(id);
    if (figure) figures[id] = figure;
  }
  return {
    kind: ballot.kind,
    closedAt: ballot.closes_at,
    ballotsCounted: counts.ballotsCounted,
    onBallot: proposalIds.filter((id) => counts.onBallot.has(id)),
    figures,
  };
}

/** The advice as the panel's pages show it (adviceView), for the rows they show; null while sealed or for other methods. */
export async function getResidentsVoteAdviceView(db: DB, fundId: string, proposalIds: readonly string[], now = new Date()): Promise<AdviceView | null> {
  const advice = await getResidentsVoteAdvice(db, fundId, proposalIds, now);
  return advice ? adviceView(advice, proposalIds) : null;
}

/**
 * A group's results for a viewer allowed to see them (getGroupResults), with
 * the residents' vote for the same rows: the two results pages ask this.
 */
export async function getGroupResultsWithAdvice(db: DB, viewer: Actor, group: GroupFacts, options: ResultOptions, page: number) {
  const results = await getGroupResults(db, viewer, group, options, page);
  const advice = await getResidentsVoteAdviceView(
    db,
    group.fund_id,
    results.rows.map((r) => r.id),
  );
  return { results, advice };
}

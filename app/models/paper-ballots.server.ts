import type { DB } from "../../db/client";
import type { Choices } from "~/domain/community-ballot";
import type { LinkedVoter } from "~/domain/equality-money";
import {
  publishedVoterEquality,
  reconcileVenues,
  turnoutReport,
  voterEqualityReport,
  type PublishedVoterEquality,
  type VenueCounts,
} from "~/domain/paper-ballots";
import { listEqualityQuestions } from "./equality.server";

/**
 * Read views for paper ballots and participation. Counts here are papers and
 * turnout, never votes for projects: nothing here totals choices
 * (docs/decisions/0042 and 0044). A mismatch's keyings are shown to the
 * administrator resolving it, one paper at a time.
 */

export const PAPER_LIST_PAGE_SIZE = 25;

/** The ballot's venues, by name. */
export function listVenues(db: DB, ballotId: string) {
  return db
    .selectFrom("ballot_venue")
    .select(["id", "name", "postcode", "papers_issued as issued", "papers_returned as returned"])
    .where("ballot_id", "=", ballotId)
    .orderBy("name")
    .execute();
}

/** Each venue's papers issued, returned, keyed and how they were settled, with the totals (two queries). */
export async function getVenueReconciliation(db: DB, ballotId: string) {
  const [venues, byStatus] = await Promise.all([
    listVenues(db, ballotId),
    db
      .selectFrom("paper_ballot")
      .select(["venue_id", "status", (eb) => eb.fn.countAll<number>().as("n")])
      .where("ballot_id", "=", ballotId)
      .groupBy(["venue_id", "status"])
      .execute(),
  ]);
  const counts: VenueCounts[] = venues.map((v) => {
    const of = (status: string) => Number(byStatus.find((r) => r.venue_id === v.id && r.status === status)?.n ?? 0);
    return {
      id: v.id,
      name: v.name,
      issued: v.issued,
      returned: v.returned,
      counted: of("counted"),
      spoilt: of("spoilt"),
      refused: of("refused"),
      waiting: of("waiting"),
      mismatch: of("mismatch"),
    };
  });
  return reconcileVenues(counts);
}

/** Papers waiting for something (a second keying, or a mismatch to resolve), oldest first, a page at a time. */
export async function listOpenPapers(db: DB, ballotId: string, status: "waiting" | "mismatch", page: number) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom("paper_ballot")
      .innerJoin("ballot_venue", "ballot_venue.id", "paper_ballot.venue_id")
      .select(["paper_ballot.id", "paper_ballot.created_at as createdAt", "ballot_venue.name as venueName"])
      .where("paper_ballot.ballot_id", "=", ballotId)
      .where("paper_ballot.status", "=", status)
      .orderBy("paper_ballot.created_at")
      .orderBy("paper_ballot.id")
      .limit(PAPER_LIST_PAGE_SIZE)
      .offset((page - 1) * PAPER_LIST_PAGE_SIZE)
      .execute(),
    db
      .selectFrom("paper_ballot")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("ballot_id", "=", ballotId)
      .where("status", "=", status)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Ballots refused because their voter already had a counted one, newest first, a page at a time. */
export async function listBallotFlags(db: DB, ballotId: string, page: number) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom("ballot_flag")
      .leftJoin("paper_ballot", "paper_ballot.id", "ballot_flag.paper_ballot_id")
      .leftJoin("ballot_venue", "ballot_venue.id", "paper_ballot.venue_id")
      .select(["ballot_flag.id", "ballot_flag.channel", "ballot_flag.reason", "ballot_flag.created_at as createdAt", "ballot_venue.name as venueName"])
      .where("ballot_flag.ballot_id", "=", ballotId)
      .orderBy("ballot_flag.created_at", "desc")
      .orderBy("ballot_flag.id")
      .limit(PAPER_LIST_PAGE_SIZE)
      .offset((page - 1) * PAPER_LIST_PAGE_SIZE)
      .execute(),
    db
      .selectFrom("ballot_flag")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("ballot_id", "=", ballotId)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** One paper of this ballot with its keyings (who keyed it, the venue, spoilt or the choices), for resolving a mismatch. */
export async function getPaperWithKeyings(db: DB, ballotId: string, paperId: string) {
  const paper = await db
    .selectFrom("paper_ballot")
    .select(["id", "status", "created_at as createdAt"])
    .where("id", "=", paperId)
    .where("ballot_id", "=", ballotId)
    .executeTakeFirst();
  if (!paper) return null;
  const keyings = await db
    .selectFrom("paper_keying")
    .innerJoin("user", "user.id", "paper_keying.keyed_by")
    .innerJoin("ballot_venue", "ballot_venue.id", "paper_keying.venue_id")
    .select([
      "paper_keying.id",
      "paper_keying.keyed_by as keyedBy",
      "user.name as keyerName",
      "paper_keying.venue_id as venueId",
      "ballot_venue.name as venueName",
      "paper_keying.is_spoilt as isSpoilt",
      "paper_keying.choices",
      "paper_keying.keyed_at as keyedAt",
    ])
    .where("paper_keying.paper_ballot_id", "=", paper.id)
    .orderBy("paper_keying.keyed_at")
    .orderBy("paper_keying.id")
    .execute();
  return {
    ...paper,
    keyings: keyings.map((k) => ({
      ...k,
      isSpoilt: k.isSpoilt === 1,
      choicesJson: k.choices,
      choices: k.choices ? (JSON.parse(k.choices) as Choices) : null,
    })),
  };
}

/** Turnout: counted ballots by the voter's postcode district and by channel (grouped in the database). */
export async function getTurnout(db: DB, ballotId: string) {
  const groups = await db
    .selectFrom("ballot_paper")
    .innerJoin("ballot_voter", "ballot_voter.id", "ballot_paper.voter_id")
    .leftJoin("paper_ballot", "paper_ballot.ballot_paper_id", "ballot_paper.id")
    .leftJoin("ballot_venue", "ballot_venue.id", "paper_ballot.venue_id")
    .select([
      "ballot_voter.postcode as voterPostcode",
      "ballot_venue.postcode as venuePostcode",
      "ballot_paper.channel",
      (eb) => eb.fn.countAll<number>().as("n"),
    ])
    .where("ballot_paper.ballot_id", "=", ballotId)
    .where("ballot_paper.is_counted", "=", 1)
    .groupBy(["ballot_voter.postcode", "ballot_venue.postcode", "ballot_paper.channel"])
    .execute();
  return turnoutReport(groups.map((g) => ({ voterPostcode: g.voterPostcode, venuePostcode: g.venuePostcode, channel: g.channel, count: Number(g.n) })));
}

/** How many voters gave each answer (by option id), in one grouped query over the anonymous answers. */
async function voterAnswerCounts(db: DB, fundId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("equality_response_choice as c")
    .innerJoin("equality_response as r", "r.id", "c.response_id")
    .select(["c.option_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("r.fund_id", "=", fundId)
    .where("r.role_group", "=", "voter")
    .groupBy("c.option_id")
    .execute();
  return new Map(rows.map((r) => [r.option_id, Number(r.n)]));
}

/** Voters' anonymous equality answers for the fund's questions, groups under 10 hidden. */
export async function getVoterEqualityReport(db: DB, fundId: string) {
  const [questions, counts] = await Promise.all([listEqualityQuestions(db, fundId), voterAnswerCounts(db, fundId)]);
  return voterEqualityReport(questions, counts);
}

/** The voters' equality groups as the public results page shows them (publishedVoterEquality): stored with the count. */
export async function getPublishedVoterEquality(db: DB, fundId: string): Promise<PublishedVoterEquality> {
  const [questions, counts] = await Promise.all([listEqualityQuestions(db, fundId), voterAnswerCounts(db, fundId)]);
  return publishedVoterEquality(questions, counts);
}

/**
 * The voters who agreed to keep their answers with their vote until the count
 * (voter_equality_link, docs/decisions/0055), each with their counted
 * ballot's choices and their answers: two queries for the whole fund, read
 * only by the count. A linked voter with no counted ballot is left out.
 */
export async function getLinkedVoters(db: DB, fundId: string, ballotId: string): Promise<LinkedVoter[]> {
  const [ballots, answers] = await Promise.all([
    db
      .selectFrom("voter_equality_link as l")
      .innerJoin("ballot_paper as b", "b.voter_id", "l.voter_id")
      .select(["l.voter_id", "b.choices"])
      .where("l.fund_id", "=", fundId)
      .where("b.ballot_id", "=", ballotId)
      .where("b.is_counted", "=", 1)
      .execute(),
    db
      .selectFrom("voter_equality_link as l")
      .innerJoin("equality_response_choice as c", "c.response_id", "l.response_id")
      .select(["l.voter_id", "c.question_id", "c.option_id"])
      .where("l.fund_id", "=", fundId)
      .execute(),
  ]);
  const answersOf = new Map<string, Record<string, string>>();
  for (const a of answers) answersOf.set(a.voter_id, { ...answersOf.get(a.voter_id), [a.question_id]: a.option_id });
  return ballots.map((b) => ({ choices: JSON.parse(b.choices) as Choices, answers: answersOf.get(b.voter_id) ?? {} }));
}

/** Whether this voter has answered the equality questions already. */
export async function hasVoterAnsweredEquality(db: DB, voterId: string): Promise<boolean> {
  const row = await db.selectFrom("ballot_voter_equality").select("voter_id").where("voter_id", "=", voterId).executeTakeFirst();
  return Boolean(row);
}

/** How the voter's counted ballot was cast (online or paper), or null when they have none. */
export async function getCountedChannel(db: DB, voterId: string) {
  const row = await db.selectFrom("ballot_paper").select("channel").where("voter_id", "=", voterId).where("is_counted", "=", 1).executeTakeFirst();
  return row?.channel ?? null;
}

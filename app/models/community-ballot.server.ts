import type { DB } from "../../db/client";
import { shortlistsFirst } from "~/domain/panel-and-residents";
import type { PublishedVoterEquality } from "~/domain/paper-ballots";
import type { PublishedEqualityMoney } from "~/domain/equality-money";
import { getPublishedVoterEquality } from "./paper-ballots.server";
import { panelShortlist } from "./panel-support.server";

/**
 * Read views for community ballots. Nothing here reads ballot_paper's choices
 * or counts them: counts stay sealed until the close (docs/decisions/0042).
 */

export const BALLOT_COLUMNS = [
  "community_ballot.id",
  "community_ballot.fund_id",
  "community_ballot.kind",
  "community_ballot.max_choices",
  "community_ballot.points_total",
  "community_ballot.points_min_projects",
  "community_ballot.budget_pence",
  "community_ballot.counting_rule",
  "community_ballot.tie_rule",
  "community_ballot.opens_at",
  "community_ballot.closes_at",
  "community_ballot.min_age",
  "community_ballot.postcode_prefixes",
  "community_ballot.rules_hash",
  "community_ballot.opened_at",
  "community_ballot.decisions_recorded_at",
] as const;

/** The fund's ballot (rules, times, hash), or undefined when it has none. */
export function getBallotForFund(db: DB, fundId: string) {
  return db.selectFrom("community_ballot").select(BALLOT_COLUMNS).where("community_ballot.fund_id", "=", fundId).executeTakeFirst();
}

export type BallotRow = NonNullable<Awaited<ReturnType<typeof getBallotForFund>>>;

/** Whether the fund's ballot has been opened (its rules are frozen). */
export async function hasOpenedBallot(db: DB, fundId: string): Promise<boolean> {
  const row = await db.selectFrom("community_ballot").select("id").where("fund_id", "=", fundId).where("opened_at", "is not", null).executeTakeFirst();
  return Boolean(row);
}

/** The frozen rules' canonical JSON, for anyone to recompute the hash; null before opening. */
export async function getFrozenRules(db: DB, fundId: string): Promise<{ json: string; hash: string } | null> {
  const row = await db.selectFrom("community_ballot").select(["rules_json", "rules_hash"]).where("fund_id", "=", fundId).executeTakeFirst();
  return row?.rules_json && row.rules_hash ? { json: row.rules_json, hash: row.rules_hash } : null;
}

/** How many postcodes are on the ballot's list. */
export async function countPostcodes(db: DB, ballotId: string): Promise<number> {
  const row = await db
    .selectFrom("community_ballot_postcode")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("ballot_id", "=", ballotId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether a normalised postcode is on the ballot's uploaded list. */
export async function isPostcodeOnList(db: DB, ballotId: string, postcode: string): Promise<boolean> {
  const row = await db
    .selectFrom("community_ballot_postcode")
    .select("postcode")
    .where("ballot_id", "=", ballotId)
    .where("postcode", "=", postcode)
    .executeTakeFirst();
  return Boolean(row);
}

/** For the administrator: how many people have joined, and printed codes made and used. Never how anyone voted. */
export async function getElectorateSummary(db: DB, ballotId: string) {
  const [voters, codes] = await Promise.all([
    db
      .selectFrom("ballot_voter")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("ballot_id", "=", ballotId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("ballot_voter_code")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.count<number>("used_at").as("used")])
      .where("ballot_id", "=", ballotId)
      .executeTakeFirstOrThrow(),
  ]);
  return { voters: Number(voters.n), codes: Number(codes.n), codesUsed: Number(codes.used) };
}

/** The fund's proposals ready for a vote: eligible, or under panel review. */
function listReadyForBallot(db: DB, fundId: string) {
  return db
    .selectFrom("proposal")
    .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
    .select([
      "proposal.id",
      "proposal.reference",
      "proposal.title",
      "proposal.amount_requested_pence",
      "decision_group.id as decisionGroupId",
      "decision_group.name as groupName",
      "decision_group.pot_pence as potPence",
    ])
    .where("decision_group.fund_id", "=", fundId)
    .where("proposal.status", "in", ["eligible", "under_review"])
    .orderBy("proposal.reference")
    .execute();
}

export type BallotCandidate = Awaited<ReturnType<typeof listReadyForBallot>>[number];

/**
 * What a ballot would carry if opened now, and why: the fund's proposals
 * ready for a vote; for a fund whose panel shortlists first, only those on
 * the panel's shortlist (panelShortlist), with the others as leftOff.
 */
export async function getBallotCandidates(
  db: DB,
  fundId: string,
): Promise<{ isShortlisting: boolean; candidates: BallotCandidate[]; leftOff: BallotCandidate[] }> {
  const [fund, ready] = await Promise.all([
    db.selectFrom("fund").select("decision_method").where("id", "=", fundId).executeTakeFirst(),
    listReadyForBallot(db, fundId),
  ]);
  if (!fund || !shortlistsFirst(fund.decision_method)) return { isShortlisting: false, candidates: ready, leftOff: [] };
  const shortlist = await panelShortlist(db, fundId);
  return { isShortlisting: true, candidates: ready.filter((p) => shortlist.has(p.id)), leftOff: ready.filter((p) => !shortlist.has(p.id)) };
}

/** The proposals a ballot would carry if opened now (see getBallotCandidates). */
export async function listBallotCandidates(db: DB, fundId: string): Promise<BallotCandidate[]> {
  return (await getBallotCandidates(db, fundId)).candidates;
}

/** The projects on an opened ballot, in ballot order, with what a voter reads: summary, cost and area. */
export function listBallotProjects(db: DB, ballotId: string) {
  return db
    .selectFrom("community_ballot_project")
    .innerJoin("proposal", "proposal.id", "community_ballot_project.proposal_id")
    .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
    .select([
      "proposal.id",
      "proposal.reference",
      "proposal.title",
      "proposal.summary",
      "community_ballot_project.cost_pence as costPence",
      "decision_group.name as groupName",
      "decision_group.area",
    ])
    .where("community_ballot_project.ballot_id", "=", ballotId)
    .orderBy("community_ballot_project.position")
    .execute();
}

/** The voter a session token (its hash) belongs to, while the session lasts. */
export function getVoterBySessionHash(db: DB, tokenHash: string, nowIso: string) {
  return db
    .selectFrom("ballot_voter_session")
    .innerJoin("ballot_voter", "ballot_voter.id", "ballot_voter_session.voter_id")
    .select(["ballot_voter.id", "ballot_voter.ballot_id as ballotId"])
    .where("ballot_voter_session.token_hash", "=", tokenHash)
    .where("ballot_voter_session.expires_at", ">", nowIso)
    .executeTakeFirst();
}

/** The voter's own counted ballot (their choices, for them alone), or null. */
export async function getOwnCountedChoices(db: DB, voterId: string): Promise<Record<string, number> | null> {
  const row = await db.selectFrom("ballot_paper").select(["choices"]).where("voter_id", "=", voterId).where("is_counted", "=", 1).executeTakeFirst();
  return row ? (JSON.parse(row.choices) as Record<string, number>) : null;
}

/** A pending join (the emailed code not entered yet), if it is still usable. */
export function getChallenge(db: DB, challengeId: string) {
  return db
    .selectFrom("ballot_voter_challenge")
    .select(["id", "ballot_id", "expires_at", "used_at", "attempts"])
    .where("id", "=", challengeId)
    .executeTakeFirst();
}

/**
 * The ballot's count, once it has been counted (after the close); undefined
 * before. The one place that reads a stored count: nothing is stored, so
 * nothing can be shown, before the close (docs/decisions/0043).
 */
export function getBallotResult(db: DB, ballotId: string) {
  return db
    .selectFrom("ballot_result")
    .select(["ballot_id", "rules_hash", "result_json", "result_hash", "ballots_hash", "ballot_count", "counted_at", "equality_json", "equality_money_json"])
    .where("ballot_id", "=", ballotId)
    .executeTakeFirst();
}

/** The anonymised ballots a count was made from (JSON), for the recount files; undefined before the count. */
export async function getCountedBallotsJson(db: DB, ballotId: string): Promise<string | undefined> {
  const row = await db.selectFrom("ballot_result").select("ballots_json").where("ballot_id", "=", ballotId).executeTakeFirst();
  return row?.ballots_json;
}

/** The area of each decision group (a ballot's pots), by id. */
export async function getPotAreas(db: DB, potIds: readonly string[]): Promise<Record<string, string>> {
  if (potIds.length === 0) return {};
  const rows = await db.selectFrom("decision_group").select(["id", "area"]).where("id", "in", potIds).execute();
  return Object.fromEntries(rows.map((r) => [r.id, r.area]));
}

/**
 * The voters' equality groups for the results page, as they stood at the
 * count (stored with it, so the page does not change when a late answer comes
 * in); for a count made before they were stored, as they stand now. Groups
 * under 10 are hidden either way. Funded money by equality group cannot be
 * worked out: the answers are kept apart from the ballots (docs/decisions/0049).
 */
/** The funded money by equality group stored with the count; null when the count was made before it was collected (docs/decisions/0055). */
export function getEqualityMoney(stored: { equality_money_json: string | null }): PublishedEqualityMoney | null {
  return stored.equality_money_json ? (JSON.parse(stored.equality_money_json) as PublishedEqualityMoney) : null;
}

export async function getEqualitySpread(db: DB, fundId: string, stored: { equality_json: string | null }): Promise<PublishedVoterEquality> {
  return stored.equality_json ? (JSON.parse(stored.equality_json) as PublishedVoterEquality) : getPublishedVoterEquality(db, fundId);
}

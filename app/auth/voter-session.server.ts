import type { DB } from "../../db/client";
import { ballotPhase, usesBallot } from "~/domain/community-ballot";
import { getBallotForFund, getVoterBySessionHash } from "~/models/community-ballot.server";
import { getFund } from "~/models/fund.server";
import { notFound } from "~/utils/http.server";
import { sha256 } from "~/utils/ids.server";
import { cookiePerProtocol } from "./cookies.server";

/**
 * A voter's short-lived session (docs/decisions/0042): a random token in its
 * own cookie, only its hash in ballot_voter_session. It is not a staff
 * session: it opens one fund's ballot pages and nothing else.
 */
export const VOTER_SESSION_MS = 2 * 60 * 60 * 1000;

export const voterCookieOf = cookiePerProtocol(
  { https: "__Host-voter", http: "__voter" },
  { httpOnly: true, sameSite: "lax", maxAge: VOTER_SESSION_MS / 1000 },
);

/** The Set-Cookie header that gives the browser a voter session token. */
export async function voterCookieHeader(request: Request, token: string): Promise<string> {
  return voterCookieOf(request).serialize(token);
}

/** The voter this request's cookie belongs to, for this ballot; null without a live session. */
export async function getVoter(db: DB, request: Request, ballotId: string, now = new Date()): Promise<{ id: string } | null> {
  const token = await voterCookieOf(request).parse(request.headers.get("Cookie"));
  if (typeof token !== "string" || token.length < 20) return null;
  const voter = await getVoterBySessionHash(db, sha256(token), now.toISOString());
  return voter && voter.ballotId === ballotId ? { id: voter.id } : null;
}

/**
 * What every vote page needs: the published fund, its opened ballot, where the
 * ballot is (scheduled, open, closed) and the voter, if this browser has a
 * session for it. Throws 404 when the fund has no opened vote.
 */
export async function getVoteContext(db: DB, request: Request, fundId: string, now = new Date()) {
  const fund = await getFund(db, fundId);
  if (!fund?.is_published || !usesBallot(fund.decision_method)) throw notFound();
  const ballot = await getBallotForFund(db, fund.id);
  if (!ballot?.opened_at) throw notFound();
  const phase = ballotPhase(ballot, now);
  const voter = phase === "open" ? await getVoter(db, request, ballot.id, now) : null;
  return { fund: { id: fund.id, name: fund.name }, ballot, phase, voter };
}

import { randomInt } from "node:crypto";
import { inTransaction, type DB } from "../../db/client";
import { anonymisedBallots, ballotsFromChoices, canonicalResultJson, countBallot, type BallotResult } from "~/domain/ballot-result";
import { ballotFromChoices, canonicalRulesJson, COUNTING_RULE_LABELS, parseBallotRules, validateBallot, type BallotRules } from "~/domain/ballot-rules";
import {
  ballotPhase,
  canonicalChoices,
  formatUkDateTime,
  normalisePostcode,
  postcodeInArea,
  type Choices,
  parsePostcodeList,
  parsePrefixes,
  rulesFromSettings,
  settingsProblems,
  usesBallot,
  type BallotSettings,
} from "~/domain/community-ballot";
import { canonicalJson } from "~/domain/audit-chain";
import { equalityMoney } from "~/domain/equality-money";
import { DomainError } from "~/domain/errors";
import { doubleVoteReason, ONLINE_REFUSED, type BallotChannel } from "~/domain/paper-ballots";
import { EMPTY_SHORTLIST, voteAdvisesPanel } from "~/domain/panel-and-residents";
import { can, type Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { getBallotCandidates, isPostcodeOnList } from "~/models/community-ballot.server";
import { queueEmail } from "~/models/outbox.server";
import { listEqualityQuestions } from "~/models/equality.server";
import { getLinkedVoters, getPublishedVoterEquality } from "~/models/paper-ballots.server";
import { normaliseCode } from "~/domain/public-meeting";
import { newId, newReadableCode, newToken, nowIso, sha256 } from "~/utils/ids.server";
import { VOTER_SESSION_MS } from "~/auth/voter-session.server";
import { recordDecision } from "./decisions.server";

/** Said whenever someone tries to change a ballot whose rules are frozen. */
export const RULES_FROZEN =
  "The vote has opened, so its rules are fixed. Nothing about them can change now: not the kind of ballot, the limits, the counting rule, the tie rule, the times or the area.";

function ballotManager(actor: Actor): string {
  if (!can(actor, "fund.manage")) throw new DomainError("Only a fund administrator can set up a community vote.");
  return actor.id;
}

async function requireBallotFund(trx: DB, fundId: string) {
  const fund = await trx.selectFrom("fund").select(["id", "decision_method"]).where("id", "=", fundId).executeTakeFirst();
  if (!fund) throw new DomainError("That fund does not exist. It may have been removed.");
  if (!usesBallot(fund.decision_method)) {
    throw new DomainError("This fund is decided by a panel only. To use a community vote, change who decides on the fund's page first.");
  }
  return fund;
}

export interface BallotSetupInput {
  settings: BallotSettings;
  /** The postcode list, uploaded or pasted; empty keeps the list already saved. */
  postcodes: string;
  /** Postcode beginnings ("BS5, BS2 9"); empty means the list is used. */
  prefixes: string;
}

/**
 * Saves the fund's ballot rules and area (creating the ballot the first time).
 * Refuses once the ballot has opened, or once any ballot has been cast: the
 * rules are frozen then.
 */
export async function saveBallotSetup(db: DB, actor: Actor, fundId: string, input: BallotSetupInput): Promise<string> {
  const uploaded = input.postcodes.trim() ? parsePostcodeList(input.postcodes) : null;
  if (uploaded && uploaded.rejected.length) {
    const shown = uploaded.rejected.slice(0, 3).map((r) => `"${r.slice(0, 20)}"`);
    throw new DomainError(
      `${uploaded.rejected.length} ${uploaded.rejected.length === 1 ? "line is" : "lines are"} not a postcode, like ${shown.join(", ")}. Fix or remove them and send the list again.`,
      "postcodes",
    );
  }
  const prefixes = parsePrefixes(input.prefixes);
  if (input.prefixes.trim() && prefixes.length === 0) {
    throw new DomainError("Write postcode beginnings like BS5 or BS2 9, with a comma between them", "prefixes");
  }
  return inTransaction(db, async (trx) => {
    const actorId = ballotManager(actor);
    await requireBallotFund(trx, fundId);
    const before = await trx.selectFrom("community_ballot").selectAll().where("fund_id", "=", fundId).executeTakeFirst();
    if (before?.opened_at) throw new DomainError(RULES_FROZEN);
    if (before) {
      const cast = await trx.selectFrom("ballot_paper").select("id").where("ballot_id", "=", before.id).limit(1).executeTakeFirst();
      if (cast) throw new DomainError(RULES_FROZEN);
    }
    const s = input.settings;
    const now = nowIso();
    const values = {
      kind: s.kind,
      max_choices: s.kind === "approval" ? s.maxChoices : null,
      points_total: s.kind === "points" ? s.pointsTotal : null,
      points_min_projects: s.kind === "points" ? s.pointsMinProjects : null,
      budget_pence: s.kind === "knapsack" ? s.budgetPence : null,
      counting_rule: s.countingRule,
      tie_rule: s.tieRule,
      opens_at: s.opensAt,
      closes_at: s.closesAt,
      min_age: s.minAge,
      postcode_prefixes: JSON.stringify(prefixes),
      updated_at: now,
    };
    const id = before?.id ?? newId();
    if (before) await trx.updateTable("community_ballot").set(values).where("id", "=", id).execute();
    else
      await trx
        .insertInto("community_ballot")
        .values({ id, fund_id: fundId, ...values, created_by: actorId, created_at: now })
        .execute();
    if (uploaded) {
      await trx.deleteFrom("community_ballot_postcode").where("ballot_id", "=", id).execute();
      // In slices: SQLite limits the variables in one statement.
      for (let i = 0; i < uploaded.postcodes.length; i += 400) {
        await trx
          .insertInto("community_ballot_postcode")
          .values(uploaded.postcodes.slice(i, i + 400).map((postcode) => ({ ballot_id: id, postcode })))
          .execute();
      }
    }
    const { n } = await trx
      .selectFrom("community_ballot_postcode")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("ballot_id", "=", id)
      .executeTakeFirstOrThrow();
    if (Number(n) === 0 && prefixes.length === 0) {
      throw new DomainError("Upload the area's postcode list, or enter the postcode beginnings people must live in", "postcodes");
    }
    await appendAuditEvent(trx, {
      actor: actorId,
      action: before ? "community_ballot.updated" : "community_ballot.created",
      entityType: "community_ballot",
      entityId: id,
      before: before ?? undefined,
      after: { id, fund_id: fundId, ...values, postcode_count: Number(n), postcode_list_replaced: Boolean(uploaded) },
    });
    return id;
  });
}

/**
 * Opens the fund's ballot: the proposals on it and its rules are frozen as
 * canonical JSON and hashed (SHA-256); the hash goes on the public fund page.
 */
export async function openBallot(db: DB, actor: Actor, fundId: string, now = new Date()): Promise<string> {
  return inTransaction(db, async (trx) => {
    const actorId = ballotManager(actor);
    await requireBallotFund(trx, fundId);
    const ballot = await trx.selectFrom("community_ballot").selectAll().where("fund_id", "=", fundId).executeTakeFirst();
    if (!ballot) throw new DomainError("Set up the vote's rules first.");
    if (ballot.opened_at) throw new DomainError(RULES_FROZEN);
    if (ballot.closes_at <= now.toISOString()) throw new DomainError("The closing time has passed. Set a later closing time, then open the vote.");
    const { isShortlisting, candidates } = await getBallotCandidates(trx, fundId);
    if (candidates.length === 0) {
      throw new DomainError(
        isShortlisting ? EMPTY_SHORTLIST : "No proposals are ready for the vote. A proposal goes on the ballot once it is marked eligible.",
      );
    }
    const settings: BallotSettings = {
      kind: ballot.kind,
      maxChoices: ballot.max_choices,
      pointsTotal: ballot.points_total,
      pointsMinProjects: ballot.points_min_projects,
      budgetPence: ballot.budget_pence,
      countingRule: ballot.counting_rule as BallotSettings["countingRule"],
      tieRule: ballot.tie_rule as BallotSettings["tieRule"],
      opensAt: ballot.opens_at,
      closesAt: ballot.closes_at,
      minAge: ballot.min_age,
    };
    const problem = Object.values(settingsProblems(settings, candidates.length))[0];
    if (problem) throw new DomainError(`${problem}. Change the rules, then open the vote.`);
    const pots = new Map(candidates.map((c) => [c.decisionGroupId, { id: c.decisionGroupId, name: c.groupName, budgetPence: c.potPence }]));
    const snapshot = rulesFromSettings(
      { fundId, ballotId: ballot.id },
      settings,
      [...pots.values()],
      candidates.map((c) => ({ id: c.id, reference: c.reference, title: c.title, costPence: c.amount_requested_pence ?? 0, potId: c.decisionGroupId })),
    );
    const json = canonicalRulesJson(snapshot);
    const hash = sha256(json);
    // In ballot order: by reference, as the candidates are listed.
    await trx
      .insertInto("community_ballot_project")
      .values(candidates.map((c, i) => ({ ballot_id: ballot.id, proposal_id: c.id, cost_pence: c.amount_requested_pence ?? 0, position: i + 1 })))
      .execute();
    const openedAt = now.toISOString();
    await trx
      .updateTable("community_ballot")
      .set({ rules_json: json, rules_hash: hash, opened_at: openedAt, updated_at: openedAt })
      .where("id", "=", ballot.id)
      .execute();
    await appendAuditEvent(trx, {
      actor: actorId,
      action: "community_ballot.opened",
      entityType: "community_ballot",
      entityId: ballot.id,
      after: { id: ballot.id, fund_id: fundId, opened_at: openedAt, rules_hash: hash, projects: candidates.length },
    });
    return hash;
  });
}

// ---------------------------------------------------------------------------
// Voters: no passwords (docs/decisions/0042).

/** How long an emailed code works, and how many wrong tries end it. */
export const JOIN_CODE_MS = 15 * 60 * 1000;
export const JOIN_CODE_TRIES = 5;
/** The most codes one email can be sent for one vote in an hour, so nobody can flood someone's inbox. */
export const JOIN_CODES_PER_HOUR = 10;
/**
 * The most joins one client address (an IPv6 /64 counts as one) can start for
 * one vote in an hour, so a script cannot fill the outbox with codes to many
 * addresses. High enough for a community venue where many people join on one
 * wifi; printed voter codes are not limited by it.
 */
export const JOINS_PER_CLIENT_PER_HOUR = 50;
const JOIN_LIMIT_WINDOW_MS = 60 * 60 * 1000;

const VOTING_CLOSED = "Voting has closed. You can no longer join or vote.";
const NOT_OPEN = "The vote is not open yet. Come back when it opens.";

/** An email's hash for one ballot: enough to keep one person to one ballot, without keeping the address. */
export const voterEmailHash = (ballotId: string, email: string): string => sha256(`ballot-voter:${ballotId}:${email.trim().toLowerCase()}`);

/** The fund's ballot while it takes votes (published, opened, between its times); a DomainError otherwise. */
export async function requireOpenBallot(trx: DB, fundId: string, now: Date) {
  const ballot = await ballotTakingPapers(trx, fundId);
  const phase = ballotPhase(ballot, now);
  if (phase === "closed") throw new DomainError(VOTING_CLOSED);
  if (phase !== "open") throw new DomainError(NOT_OPEN);
  return ballot;
}

/** Said when someone keys a paper ballot after the count. */
export const PAPERS_CLOSED = "The ballots have been counted, so no more paper ballots can be keyed.";

/**
 * The fund's ballot while paper ballots may be keyed: from the opening until
 * the count, so papers handed in at the close can still be keyed twice (the
 * count waits for them: countCommunityBallot). A DomainError otherwise.
 */
export async function requireBallotForPapers(trx: DB, fundId: string, now: Date) {
  const ballot = await ballotTakingPapers(trx, fundId);
  const phase = ballotPhase(ballot, now);
  if (phase !== "open" && phase !== "closed") throw new DomainError(NOT_OPEN);
  const counted = await trx.selectFrom("ballot_result").select("ballot_id").where("ballot_id", "=", ballot.id).executeTakeFirst();
  if (counted) throw new DomainError(PAPERS_CLOSED);
  return ballot;
}

async function ballotTakingPapers(trx: DB, fundId: string) {
  const ballot = await trx
    .selectFrom("community_ballot")
    .innerJoin("fund", "fund.id", "community_ballot.fund_id")
    .select([
      "community_ballot.id",
      "community_ballot.kind",
      "community_ballot.max_choices",
      "community_ballot.points_total",
      "community_ballot.points_min_projects",
      "community_ballot.budget_pence",
      "community_ballot.min_age",
      "community_ballot.postcode_prefixes",
      "community_ballot.opens_at",
      "community_ballot.closes_at",
      "community_ballot.opened_at",
      "community_ballot.rules_json",
      "fund.name as fundName",
      "fund.is_published",
    ])
    .where("community_ballot.fund_id", "=", fundId)
    .executeTakeFirst();
  if (!ballot || !ballot.is_published) throw new DomainError("This fund has no community vote.");
  return ballot;
}

async function startVoterSession(trx: DB, voterId: string, now: Date): Promise<string> {
  const token = newToken(32);
  await trx
    .insertInto("ballot_voter_session")
    .values({
      token_hash: sha256(token),
      voter_id: voterId,
      expires_at: new Date(now.getTime() + VOTER_SESSION_MS).toISOString(),
      created_at: now.toISOString(),
    })
    .execute();
  return token;
}

export interface JoinInput {
  postcode: string;
  ageConfirmed: boolean;
  email: string;
  /** The client's address key (clientKey), when known: the per-address limit counts by it. */
  client?: string | null;
}

/**
 * Step one of joining the electorate (or coming back to change a ballot):
 * checks the postcode and age, then emails a one-time code through the
 * outbox. Returns the pending join's id. The email itself is not kept.
 */
export async function startJoin(db: DB, fundId: string, input: JoinInput, now = new Date()): Promise<string> {
  const postcode = normalisePostcode(input.postcode);
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  return inTransaction(db, async (trx) => {
    const ballot = await requireOpenBallot(trx, fundId, now);
    const isOnList = await isPostcodeOnList(trx, ballot.id, postcode);
    if (!postcodeInArea(postcode, { prefixes: JSON.parse(ballot.postcode_prefixes) as string[], isOnList })) {
      throw new DomainError("This postcode is not in the area of this vote. Check it and try again.", "postcode");
    }
    if (ballot.min_age && !input.ageConfirmed) throw new DomainError(`Confirm that you are ${ballot.min_age} or older`, "ageConfirmed");
    const emailHash = voterEmailHash(ballot.id, input.email);
    const client = input.client ?? null;
    // Counted inside the write transaction (BEGIN IMMEDIATE), so parallel requests cannot slip past them.
    const recent = trx
      .selectFrom("ballot_voter_challenge")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("ballot_id", "=", ballot.id)
      .where("created_at", ">", new Date(now.getTime() - JOIN_LIMIT_WINDOW_MS).toISOString());
    const toEmail = await recent.where("email_hash", "=", emailHash).executeTakeFirstOrThrow();
    if (Number(toEmail.n) >= JOIN_CODES_PER_HOUR) {
      throw new DomainError(`We have sent ${JOIN_CODES_PER_HOUR} codes to this email in the last hour. Use the newest one, or try again later.`, "email");
    }
    const fromClient = client ? await recent.where("client_key", "=", client).executeTakeFirstOrThrow() : { n: 0 };
    if (Number(fromClient.n) >= JOINS_PER_CLIENT_PER_HOUR) {
      throw new DomainError(
        "Too many people have asked for a code from this internet connection in the last hour. Try again in an hour, or ask for a printed voter code at a community venue.",
      );
    }
    const id = newId();
    await trx
      .insertInto("ballot_voter_challenge")
      .values({
        id,
        ballot_id: ballot.id,
        email_hash: emailHash,
        postcode,
        age_confirmed: input.ageConfirmed ? 1 : 0,
        code_hash: sha256(`${id}:${code}`),
        expires_at: new Date(now.getTime() + JOIN_CODE_MS).toISOString(),
        used_at: null,
        created_at: now.toISOString(),
        client_key: client,
      })
      .execute();
    await queueEmail(trx, {
      to: input.email,
      subject: `Your code to vote: ${ballot.fundName}`,
      text: `Your code is ${code}\n\nType it on the vote page. It works once, for 15 minutes.\n\nIf you did not ask for this, you can ignore this email.`,
    });
    await appendAuditEvent(trx, {
      actor: "voter",
      action: "ballot_voter.code_sent",
      entityType: "community_ballot",
      entityId: ballot.id,
      after: { challenge_id: id },
    });
    return id;
  });
}

/**
 * Step two: the emailed code proves the email. The person joins the
 * electorate (once per email per ballot: a unique index backs it) or comes
 * back as the voter they already are. Returns a voter session token.
 */
export async function confirmJoin(db: DB, fundId: string, challengeId: string, code: string, now = new Date()): Promise<string> {
  const outcome = await inTransaction(db, async (trx) => {
    const ballot = await requireOpenBallot(trx, fundId, now);
    const challenge = await trx
      .selectFrom("ballot_voter_challenge")
      .selectAll()
      .where("id", "=", challengeId)
      .where("ballot_id", "=", ballot.id)
      .executeTakeFirst();
    if (!challenge || challenge.used_at || challenge.expires_at <= now.toISOString() || challenge.attempts >= JOIN_CODE_TRIES) {
      return { kind: "expired" as const };
    }
    if (sha256(`${challenge.id}:${code}`) !== challenge.code_hash) {
      // Kept (the transaction commits): each wrong try counts, even when tried in parallel.
      await trx
        .updateTable("ballot_voter_challenge")
        .set({ attempts: challenge.attempts + 1 })
        .where("id", "=", challenge.id)
        .execute();
      return { kind: "wrong" as const };
    }
    await trx.updateTable("ballot_voter_challenge").set({ used_at: now.toISOString() }).where("id", "=", challenge.id).execute();
    const inserted = await trx
      .insertInto("ballot_voter")
      .values({
        id: newId(),
        ballot_id: ballot.id,
        email_hash: challenge.email_hash,
        voter_code_id: null,
        postcode: challenge.postcode,
        age_confirmed: challenge.age_confirmed,
        joined_at: now.toISOString(),
      })
      .onConflict((oc) => oc.columns(["ballot_id", "email_hash"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    const voter = await trx
      .selectFrom("ballot_voter")
      .select("id")
      .where("ballot_id", "=", ballot.id)
      .where("email_hash", "=", challenge.email_hash)
      .executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: `voter:${voter.id}`,
      action: inserted ? "ballot_voter.joined" : "ballot_voter.signed_in",
      entityType: "ballot_voter",
      entityId: voter.id,
      after: { ballot_id: ballot.id, via: "email" },
    });
    return { kind: "ok" as const, token: await startVoterSession(trx, voter.id, now) };
  });
  if (outcome.kind === "expired") throw new DomainError("This code has run out or been used. Start again to get a new code.", "code");
  if (outcome.kind === "wrong") throw new DomainError("That code is not right. Check the email and try again.", "code");
  return outcome.token;
}

export const normaliseVoterCode = normaliseCode;

/** Printed voter codes look like ABCD-EFGH-JK: no 0/O or 1/I/L to mix up. */
export function newVoterCode(): string {
  const chars = newReadableCode(10);
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** Makes printed single-use voter codes; returns them (shown once). Only their hashes are kept. */
export async function generateVoterCodes(db: DB, actor: Actor, fundId: string, count: number): Promise<string[]> {
  const codes = Array.from({ length: count }, newVoterCode);
  return inTransaction(db, async (trx) => {
    const actorId = ballotManager(actor);
    await requireBallotFund(trx, fundId);
    const ballot = await trx.selectFrom("community_ballot").select(["id", "closes_at"]).where("fund_id", "=", fundId).executeTakeFirst();
    if (!ballot) throw new DomainError("Set up the vote's rules first.", "count");
    const now = nowIso();
    for (let i = 0; i < codes.length; i += 200) {
      await trx
        .insertInto("ballot_voter_code")
        .values(
          codes
            .slice(i, i + 200)
            .map((c) => ({ id: newId(), ballot_id: ballot.id, code_hash: sha256(normaliseVoterCode(c)), created_by: actorId, created_at: now, used_at: null })),
        )
        .execute();
    }
    await appendAuditEvent(trx, { actor: actorId, action: "ballot_voter_code.created", entityType: "community_ballot", entityId: ballot.id, after: { count } });
    return codes;
  });
}

/** The voter a printed code belongs to: made (and the code marked used) the first time the code is used, online or on paper. */
export async function voterForCode(trx: DB, ballotId: string, codeId: string, now: Date): Promise<{ id: string }> {
  const voter = await trx.selectFrom("ballot_voter").select("id").where("voter_code_id", "=", codeId).executeTakeFirst();
  if (voter) return voter;
  const id = newId();
  await trx
    .insertInto("ballot_voter")
    .values({ id, ballot_id: ballotId, email_hash: null, voter_code_id: codeId, postcode: null, age_confirmed: 0, joined_at: now.toISOString() })
    .execute();
  await trx.updateTable("ballot_voter_code").set({ used_at: now.toISOString() }).where("id", "=", codeId).execute();
  return { id };
}

/** A printed code lets one person in: the first use makes the voter; later uses come back as them. Returns a voter session token. */
export async function redeemVoterCode(db: DB, fundId: string, rawCode: string, now = new Date()): Promise<string> {
  const hash = sha256(normaliseVoterCode(rawCode));
  return inTransaction(db, async (trx) => {
    const ballot = await requireOpenBallot(trx, fundId, now);
    const code = await trx
      .selectFrom("ballot_voter_code")
      .select(["id", "used_at"])
      .where("ballot_id", "=", ballot.id)
      .where("code_hash", "=", hash)
      .executeTakeFirst();
    if (!code) throw new DomainError("We do not know this code. Check it and try again.", "voterCode");
    const voter = await voterForCode(trx, ballot.id, code.id, now);
    await appendAuditEvent(trx, {
      actor: `voter:${voter.id}`,
      action: code.used_at ? "ballot_voter.signed_in" : "ballot_voter.joined",
      entityType: "ballot_voter",
      entityId: voter.id,
      after: { ballot_id: ballot.id, via: "printed_code" },
    });
    return startVoterSession(trx, voter.id, now);
  });
}

// ---------------------------------------------------------------------------
// Casting a ballot.

type OpenBallot = Awaited<ReturnType<typeof requireOpenBallot>>;

/** Throws a DomainError (on "choices") when the choices break the ballot's rules: the one check for online and paper ballots. */
export function assertChoicesFit(ballot: Pick<OpenBallot, "rules_json">, choices: Choices): void {
  const rules = frozenRules(ballot.rules_json);
  const check = validateBallot(ballotFromChoices(rules.ballot.kind, choices), rules);
  if (!check.isValid) throw new DomainError(check.errors[0]!, "choices");
}

/**
 * One person, one counted ballot across channels (doubleVoteReason): when the
 * voter already has a counted ballot this one may not follow, the refusal is
 * written to the administrator's list of flagged ballots and its reason returned.
 * `counted` is the channel of the voter's counted ballot (null: none) when the
 * caller has just read it in the same transaction; otherwise it is read here.
 */
export async function flagIfDoubleVote(
  trx: DB,
  ballotId: string,
  voterId: string,
  channel: BallotChannel,
  now: Date,
  paperBallotId: string | null = null,
  counted?: BallotChannel | null,
): Promise<string | null> {
  const countedChannel =
    counted !== undefined
      ? counted
      : ((await trx.selectFrom("ballot_paper").select("channel").where("voter_id", "=", voterId).where("is_counted", "=", 1).executeTakeFirst())?.channel ??
        null);
  const reason = doubleVoteReason(countedChannel, channel);
  if (!reason) return null;
  const flag = { id: newId(), ballot_id: ballotId, voter_id: voterId, channel, paper_ballot_id: paperBallotId, reason, created_at: now.toISOString() };
  await trx.insertInto("ballot_flag").values(flag).execute();
  await appendAuditEvent(trx, {
    actor: channel === "online" ? `voter:${voterId}` : "system",
    action: "ballot_paper.refused",
    entityType: "ballot_flag",
    entityId: flag.id,
    after: flag,
  });
  return reason;
}

/**
 * Writes a counted ballot for the voter, their earlier one kept but no longer
 * counted. The audit event holds a salted hash of the choices, never the choices.
 * `hasCountedBallot: false` says the caller read, in this transaction, that the
 * voter has no counted ballot, so there is none to set aside.
 */
export async function recordCountedBallot(
  trx: DB,
  input: { ballotId: string; voterId: string; choices: Choices; channel: BallotChannel; actor: string; now: Date; hasCountedBallot?: boolean },
): Promise<string> {
  const canonical = canonicalChoices(input.choices);
  const salt = newToken(16);
  const id = newId();
  const replaced =
    input.hasCountedBallot === false
      ? { numUpdatedRows: 0n }
      : await trx.updateTable("ballot_paper").set({ is_counted: 0 }).where("voter_id", "=", input.voterId).where("is_counted", "=", 1).executeTakeFirst();
  const row = {
    id,
    ballot_id: input.ballotId,
    voter_id: input.voterId,
    choices: canonical,
    choices_hash: sha256(salt + canonical),
    salt,
    is_counted: 1 as const,
    cast_at: input.now.toISOString(),
    channel: input.channel,
  };
  await trx.insertInto("ballot_paper").values(row).execute();
  await appendAuditEvent(trx, {
    actor: input.actor,
    action: "ballot_paper.cast",
    entityType: "ballot_paper",
    entityId: id,
    after: {
      ballot_id: input.ballotId,
      choices_hash: row.choices_hash,
      replaces_earlier: Number(replaced.numUpdatedRows) > 0,
      channel: input.channel,
    },
  });
  return id;
}

/**
 * Casts the voter's ballot online. Their earlier ballots are kept but no longer
 * counted; this one is (a partial unique index allows one counted ballot per
 * voter). Refused, and flagged for the administrator, when their paper ballot
 * is already counted.
 */
export async function castBallot(db: DB, voterId: string, fundId: string, choices: Choices, now = new Date()): Promise<void> {
  // The refusal is committed (the flag is kept), then told to the voter.
  const refusal = await inTransaction(db, async (trx) => {
    const ballot = await requireOpenBallot(trx, fundId, now);
    // The voter, and the channel of their counted ballot if they have one, in one read: a cast is the busiest write.
    const voter = await trx
      .selectFrom("ballot_voter")
      .leftJoin("ballot_paper", (join) => join.onRef("ballot_paper.voter_id", "=", "ballot_voter.id").on("ballot_paper.is_counted", "=", 1))
      .select(["ballot_voter.id", "ballot_paper.channel as countedChannel"])
      .where("ballot_voter.id", "=", voterId)
      .where("ballot_voter.ballot_id", "=", ballot.id)
      .executeTakeFirst();
    if (!voter) throw new DomainError("Join the vote first.");
    assertChoicesFit(ballot, choices);
    const counted = voter.countedChannel ?? null;
    if (await flagIfDoubleVote(trx, ballot.id, voterId, "online", now, null, counted)) return ONLINE_REFUSED;
    await recordCountedBallot(trx, {
      ballotId: ballot.id,
      voterId,
      choices,
      channel: "online",
      actor: `voter:${voterId}`,
      now,
      hasCountedBallot: counted !== null,
    });
    return null;
  });
  if (refusal) throw new DomainError(refusal, "choices");
}

/** The rules frozen at opening, as the one rules model (docs/decisions/0043). */
function frozenRules(json: string | null): BallotRules {
  if (!json) throw new DomainError("The vote has not opened, so it has no rules yet.");
  try {
    return parseBallotRules(json);
  } catch {
    throw new DomainError("This vote's rules were frozen in an older form that this version of the portal cannot read.");
  }
}

// ---------------------------------------------------------------------------
// The count (docs/decisions/0043).

/** Said when someone asks to count a ballot that has not closed yet. */
export const NOT_CLOSED_YET = (closesAt: string) => `Voting is still open until ${formatUkDateTime(closesAt)}. You can count the ballots after that.`;
/** Said when paper ballots still wait for a second keying or a choice between keyings: every paper counts before the count. */
export const PAPERS_UNSETTLED = (n: number) =>
  `${n === 1 ? "1 paper ballot is" : `${n} paper ballots are`} still waiting for a second keying or for someone to choose between keyings. Finish them on Paper ballots, then count.`;
export const ALREADY_COUNTED = "The ballots have been counted already. A count is kept as it is and never redone.";

/** The funded money by equality group (equalityMoney) from the linked voters' counted ballots and answers: four reads for the whole fund (questions, options, ballots, answers), none per voter or group. */
async function fundedMoneyByEqualityGroup(
  trx: DB,
  fundId: string,
  ballotId: string,
  rules: BallotRules,
  result: BallotResult,
  ballots: readonly Readonly<Record<string, number>>[],
) {
  const fundedIds = new Set(result.rules[result.chosenRule].fundedIds);
  const [questions, linked] = await Promise.all([listEqualityQuestions(trx, fundId), getLinkedVoters(trx, fundId, ballotId)]);
  return equalityMoney({
    kind: rules.ballot.kind,
    funded: (rules.projects ?? []).filter((p) => fundedIds.has(p.id)).map((p) => ({ id: p.id, costPence: p.costPence })),
    ballots,
    linked,
    questions,
  });
}

/**
 * Counts the fund's ballot after the close, once: every counted ballot (any
 * channel) by the rule frozen at opening and by every other rule, with the
 * fairness checks, stored with the anonymised ballots it was counted from
 * and their hashes, and audited with those hashes, in one transaction.
 * Returns the result's hash.
 */
export async function countCommunityBallot(db: DB, actor: Actor, fundId: string, now = new Date()): Promise<string> {
  return inTransaction(db, async (trx) => {
    const actorId = ballotManager(actor);
    await requireBallotFund(trx, fundId);
    const ballot = await trx
      .selectFrom("community_ballot")
      .select(["id", "opened_at", "opens_at", "closes_at", "rules_json", "rules_hash"])
      .where("fund_id", "=", fundId)
      .executeTakeFirst();
    if (!ballot?.opened_at || !ballot.rules_hash) throw new DomainError("The vote has not opened, so there is nothing to count.");
    if (ballotPhase(ballot, now) !== "closed") throw new DomainError(NOT_CLOSED_YET(ballot.closes_at));
    const counted = await trx.selectFrom("ballot_result").select("ballot_id").where("ballot_id", "=", ballot.id).executeTakeFirst();
    if (counted) throw new DomainError(ALREADY_COUNTED);
    const unsettled = await trx
      .selectFrom("paper_ballot")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("ballot_id", "=", ballot.id)
      .where("status", "in", ["waiting", "mismatch"])
      .executeTakeFirstOrThrow();
    if (Number(unsettled.n) > 0) throw new DomainError(PAPERS_UNSETTLED(Number(unsettled.n)));
    if (sha256(ballot.rules_json ?? "") !== ballot.rules_hash)
      throw new DomainError("The frozen rules do not match their hash, so the count stops. Check the audit trail.");
    const rules = frozenRules(ballot.rules_json);
    const papers = await trx.selectFrom("ballot_paper").select("choices").where("ballot_id", "=", ballot.id).where("is_counted", "=", 1).execute();
    const anonymised = anonymisedBallots(papers.map((p) => JSON.parse(p.choices) as Choices));
    const result = countBallot(rules, ballot.rules_hash, ballotsFromChoices(rules, anonymised));
    const resultJson = canonicalResultJson(result);
    const ballotsJson = canonicalJson(anonymised);
    const row = {
      ballot_id: ballot.id,
      rules_hash: ballot.rules_hash,
      result_json: resultJson,
      result_hash: sha256(resultJson),
      ballots_json: ballotsJson,
      ballots_hash: sha256(ballotsJson),
      ballot_count: anonymised.length,
      counted_by: actorId,
      counted_at: now.toISOString(),
      // The voters' equality groups as they stand at the count, so the published page stays as it is (docs/decisions/0049).
      equality_json: canonicalJson(await getPublishedVoterEquality(trx, fundId)),
      // Funded money by equality group, from the voters who agreed to keep their answers with their vote until now (docs/decisions/0055).
      equality_money_json: canonicalJson(await fundedMoneyByEqualityGroup(trx, fundId, ballot.id, rules, result, anonymised)),
    };
    await trx.insertInto("ballot_result").values(row).execute();
    // Only totals are kept: every answer's link to its voter goes, in this transaction.
    const unlinked = await trx.deleteFrom("voter_equality_link").where("fund_id", "=", fundId).executeTakeFirst();
    await appendAuditEvent(trx, {
      actor: actorId,
      action: "community_ballot.counted",
      entityType: "community_ballot",
      entityId: ballot.id,
      after: {
        ballot_id: ballot.id,
        rules_hash: row.rules_hash,
        result_hash: row.result_hash,
        ballots_hash: row.ballots_hash,
        ballot_count: row.ballot_count,
        counting_rule: rules.counting,
        funded: result.rules[rules.counting].fundedIds,
        equality_links_deleted: Number(unlinked.numDeletedRows),
      },
    });
    return row.result_hash;
  });
}

// ---------------------------------------------------------------------------
// The count's winners become decisions (docs/decisions/0043).

/** Said when someone records the winners before the count. */
export const NOT_COUNTED_YET = "The ballots have not been counted yet. Count them first, then record the winners as decisions.";
/** Said for a fund whose vote is advice: the panel decides there. */
export const VOTE_IS_ADVICE =
  "In this fund the vote is advice to the panel, so the count's winners are not decisions. The panel decides each proposal on its decisions page, with the vote beside its scores.";

/** The reason an applicant reads: their project's votes, the rule, the date and the published result. */
function countReason(isFunded: boolean, votes: string, rule: string, countedAt: string): string {
  const how = `The community vote was counted on ${formatUkDateTime(countedAt)} by the rule fixed before it opened: ${rule}. This project had ${votes}.`;
  return isFunded
    ? `Chosen by the community vote. ${how} The published result is on the fund's page.`
    : `Not chosen by the community vote: the money went to other projects. ${how} The published result is on the fund's page.`;
}

/**
 * Records the count's winners as decisions, once, after the count: each
 * winning project under the rule frozen at opening is funded for its cost on
 * the ballot, and every other project on the ballot is not funded, each
 * through recordDecision (its checks, audit events and notice) with the count
 * as the reason. One transaction: all or nothing. A second time changes
 * nothing and says so (isAlreadyRecorded). Refused before the count, and for
 * a fund whose vote is only advice to the panel.
 */
export async function recordBallotDecisions(db: DB, actor: Actor, fundId: string): Promise<{ isAlreadyRecorded: boolean; funded: number; notFunded: number }> {
  return inTransaction(db, async (trx) => {
    const actorId = ballotManager(actor);
    const fund = await requireBallotFund(trx, fundId);
    if (voteAdvisesPanel(fund.decision_method)) throw new DomainError(VOTE_IS_ADVICE);
    const ballot = await trx
      .selectFrom("community_ballot")
      .innerJoin("ballot_result", "ballot_result.ballot_id", "community_ballot.id")
      .select([
        "community_ballot.id",
        "community_ballot.rules_json",
        "community_ballot.decisions_recorded_at",
        "ballot_result.result_json",
        "ballot_result.result_hash",
        "ballot_result.counted_at",
      ])
      .where("community_ballot.fund_id", "=", fundId)
      .executeTakeFirst();
    if (!ballot) throw new DomainError(NOT_COUNTED_YET);
    if (ballot.decisions_recorded_at) return { isAlreadyRecorded: true, funded: 0, notFunded: 0 };
    const rules = frozenRules(ballot.rules_json);
    const result = JSON.parse(ballot.result_json) as BallotResult;
    const winners = new Set(result.rules[result.chosenRule].fundedIds);
    const unit = rules.ballot.kind === "points" ? "point" : "vote";
    const ruleLabel = COUNTING_RULE_LABELS[result.chosenRule];
    const funded: string[] = [];
    const notFunded: string[] = [];
    for (const project of rules.projects ?? []) {
      const isFunded = winners.has(project.id);
      const n = result.votes[project.id] ?? 0;
      try {
        await recordDecision(trx, actor, project.id, {
          outcome: isFunded ? "funded" : "not_funded",
          amountPence: isFunded ? project.costPence : null,
          conditions: "",
          reason: countReason(isFunded, `${n} ${unit}${n === 1 ? "" : "s"}`, ruleLabel, ballot.counted_at),
          feedback: "",
          meetingId: null,
        });
      } catch (error) {
        // Rolls back every decision already written here: all or nothing.
        if (error instanceof DomainError) throw new DomainError(`${project.reference ?? project.title ?? "A project"}: ${error.message}`);
        throw error;
      }
      (isFunded ? funded : notFunded).push(project.id);
    }
    const stamp = nowIso();
    await trx.updateTable("community_ballot").set({ decisions_recorded_at: stamp, updated_at: stamp }).where("id", "=", ballot.id).execute();
    await appendAuditEvent(trx, {
      actor: actorId,
      action: "community_ballot.decisions_recorded",
      entityType: "community_ballot",
      entityId: ballot.id,
      after: { decisions_recorded_at: stamp, result_hash: ballot.result_hash, counting_rule: result.chosenRule, funded, not_funded: notFunded },
    });
    return { isAlreadyRecorded: false, funded: funded.length, notFunded: notFunded.length };
  });
}

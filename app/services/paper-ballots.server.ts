import { inTransaction, type DB } from "../../db/client";
import { canonicalChoices, type Choices } from "~/domain/community-ballot";
import { DomainError } from "~/domain/errors";
import { settleKeyings, type Keying, type KeyingOutcome, type PaperBallotStatus } from "~/domain/paper-ballots";
import { can, type Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { newId, sha256 } from "~/utils/ids.server";
import { assertChoicesFit, flagIfDoubleVote, normaliseVoterCode, recordCountedBallot, requireBallotForPapers, voterForCode } from "./community-ballots.server";

/**
 * Paper community ballots (docs/decisions/0044): venues and their papers
 * issued and returned, each paper keyed twice by different people, and
 * mismatches resolved by a third keying or by an administrator who keyed neither.
 */

function requireKeyer(actor: Actor): string {
  if (!can(actor, "paper_ballot.key")) throw new DomainError("Only a fund administrator can work with paper ballots.");
  return actor.id;
}

async function requireBallot(trx: DB, fundId: string) {
  const ballot = await trx.selectFrom("community_ballot").select(["id"]).where("fund_id", "=", fundId).executeTakeFirst();
  if (!ballot) throw new DomainError("Set up the vote's rules first.");
  return ballot;
}

export interface VenueInput {
  name: string;
  postcode: string | null;
  issued: number;
  returned: number;
}

/** Adds a venue that hands out paper ballots, or (with venueId) changes its details and its papers issued and returned. */
export async function saveVenue(db: DB, actor: Actor, fundId: string, input: VenueInput, venueId: string | null = null): Promise<string> {
  const actorId = requireKeyer(actor);
  return inTransaction(db, async (trx) => {
    const ballot = await requireBallot(trx, fundId);
    const before = venueId
      ? await trx.selectFrom("ballot_venue").selectAll().where("id", "=", venueId).where("ballot_id", "=", ballot.id).executeTakeFirst()
      : undefined;
    if (venueId && !before) throw new DomainError("That venue is not part of this vote.");
    const clash = await trx
      .selectFrom("ballot_venue")
      .select("id")
      .where("ballot_id", "=", ballot.id)
      .where("name", "=", input.name)
      .$if(Boolean(venueId), (qb) => qb.where("id", "!=", venueId!))
      .executeTakeFirst();
    if (clash) throw new DomainError("There is already a venue with this name. Give this one a different name", "name");
    const now = new Date().toISOString();
    const values = { name: input.name, postcode: input.postcode, papers_issued: input.issued, papers_returned: input.returned, updated_at: now };
    const id = venueId ?? newId();
    if (before) await trx.updateTable("ballot_venue").set(values).where("id", "=", id).execute();
    else
      await trx
        .insertInto("ballot_venue")
        .values({ id, ballot_id: ballot.id, ...values, created_by: actorId, created_at: now })
        .execute();
    await appendAuditEvent(trx, {
      actor: actorId,
      action: before ? "ballot_venue.updated" : "ballot_venue.created",
      entityType: "ballot_venue",
      entityId: id,
      before,
      after: { id, ballot_id: ballot.id, ...values },
    });
    return id;
  });
}

export interface PaperKeyingInput {
  venueId: string;
  voterCode: string;
  isSpoilt: boolean;
  /** Ignored when the paper is spoilt. */
  choices: Choices;
}

const asKeying = (k: { id: string; keyed_by: string; venue_id: string; is_spoilt: 0 | 1; choices: string | null }): Keying => ({
  id: k.id,
  keyedBy: k.keyed_by,
  venueId: k.venue_id,
  isSpoilt: k.is_spoilt === 1,
  choices: k.choices,
});

function listKeyings(trx: DB, paperId: string) {
  return trx
    .selectFrom("paper_keying")
    .select(["id", "keyed_by", "venue_id", "is_spoilt", "choices"])
    .where("paper_ballot_id", "=", paperId)
    .orderBy("keyed_at")
    .orderBy("id")
    .execute();
}

/** Moves a paper on by what its keyings settle: a mismatch to resolve, or (agreed) spoilt, counted, or refused as a double vote. */
async function settlePaper(
  trx: DB,
  paper: { id: string; ballot_id: string; voter_code_id: string; status: PaperBallotStatus },
  outcome: KeyingOutcome,
  actorId: string,
  now: Date,
  resolvedBy: string | null = null,
): Promise<PaperBallotStatus> {
  if (outcome.kind === "waiting") return paper.status;
  const at = now.toISOString();
  if (outcome.kind === "mismatch") {
    if (paper.status !== "mismatch") {
      await trx.updateTable("paper_ballot").set({ status: "mismatch" }).where("id", "=", paper.id).execute();
      await appendAuditEvent(trx, {
        actor: actorId,
        action: "paper_ballot.mismatch",
        entityType: "paper_ballot",
        entityId: paper.id,
        before: { status: paper.status },
        after: { status: "mismatch" },
      });
    }
    return "mismatch";
  }
  const keying = outcome.keying;
  let status: PaperBallotStatus = "spoilt";
  let ballotPaperId: string | null = null;
  if (!keying.isSpoilt) {
    const voter = await voterForCode(trx, paper.ballot_id, paper.voter_code_id, now);
    const refusal = await flagIfDoubleVote(trx, paper.ballot_id, voter.id, "paper", now, paper.id);
    if (refusal) status = "refused";
    else {
      const choices = JSON.parse(keying.choices ?? "{}") as Choices;
      ballotPaperId = await recordCountedBallot(trx, { ballotId: paper.ballot_id, voterId: voter.id, choices, channel: "paper", actor: actorId, now });
      status = "counted";
    }
  }
  await trx
    .updateTable("paper_ballot")
    .set({ status, venue_id: keying.venueId, ballot_paper_id: ballotPaperId, resolved_by: resolvedBy, settled_at: at })
    .where("id", "=", paper.id)
    .execute();
  await appendAuditEvent(trx, {
    actor: actorId,
    action: resolvedBy ? "paper_ballot.resolved" : "paper_ballot.settled",
    entityType: "paper_ballot",
    entityId: paper.id,
    before: { status: paper.status },
    after: { status, venue_id: keying.venueId, keying_id: keying.id, keyed_by: keying.keyedBy, ballot_paper_id: ballotPaperId, resolved_by: resolvedBy },
  });
  return status;
}

/**
 * One person keys one paper: its venue, the voter code printed on it, and its
 * choices (checked by the same rules as an online ballot) or that it is spoilt.
 * The paper is known by its code. The same person cannot key it twice; when
 * two people's keyings agree it is counted for the code's voter (or refused
 * and flagged when that voter already has a counted ballot); when they differ
 * it waits in the list of mismatches.
 */
export async function keyPaperBallot(db: DB, actor: Actor, fundId: string, input: PaperKeyingInput, now = new Date()) {
  const actorId = requireKeyer(actor);
  const codeHash = sha256(normaliseVoterCode(input.voterCode));
  return inTransaction(db, async (trx) => {
    const ballot = await requireBallotForPapers(trx, fundId, now);
    const venue = await trx.selectFrom("ballot_venue").select("id").where("id", "=", input.venueId).where("ballot_id", "=", ballot.id).executeTakeFirst();
    if (!venue) throw new DomainError("Choose the venue the paper came from", "venueId");
    const code = await trx.selectFrom("ballot_voter_code").select("id").where("ballot_id", "=", ballot.id).where("code_hash", "=", codeHash).executeTakeFirst();
    if (!code) throw new DomainError("We do not know this voter code. Check the code printed on the paper and type it again", "voterCode");
    if (!input.isSpoilt) assertChoicesFit(ballot, input.choices);
    let paper = await trx
      .selectFrom("paper_ballot")
      .select(["id", "ballot_id", "voter_code_id", "status"])
      .where("voter_code_id", "=", code.id)
      .where("status", "in", ["waiting", "mismatch"])
      .executeTakeFirst();
    if (!paper) {
      paper = { id: newId(), ballot_id: ballot.id, voter_code_id: code.id, status: "waiting" };
      await trx
        .insertInto("paper_ballot")
        .values({ ...paper, venue_id: venue.id, ballot_paper_id: null, resolved_by: null, created_at: now.toISOString(), settled_at: null })
        .execute();
    }
    const keyings = await listKeyings(trx, paper.id);
    if (!can(actor, "paper_ballot.key", { type: "paper_ballot", keyedBy: keyings.map((k) => k.keyed_by) })) {
      throw new DomainError("You have keyed this paper already. Someone else must key it again, so the two keyings are made apart", "voterCode");
    }
    const keying = {
      id: newId(),
      paper_ballot_id: paper.id,
      venue_id: venue.id,
      keyed_by: actorId,
      is_spoilt: (input.isSpoilt ? 1 : 0) as 0 | 1,
      choices: input.isSpoilt ? null : canonicalChoices(input.choices),
      keyed_at: now.toISOString(),
    };
    await trx.insertInto("paper_keying").values(keying).execute();
    // The choices stay out of the audit trail, as for an online ballot (docs/decisions/0042).
    await appendAuditEvent(trx, {
      actor: actorId,
      action: "paper_keying.recorded",
      entityType: "paper_ballot",
      entityId: paper.id,
      after: { keying_id: keying.id, venue_id: venue.id, is_spoilt: keying.is_spoilt, keying_number: keyings.length + 1 },
    });
    const status = await settlePaper(trx, paper, settleKeyings([...keyings, keying].map(asKeying)), actorId, now);
    return { paperId: paper.id, status };
  });
}

/**
 * An administrator who keyed neither copy chooses which keying of a mismatched
 * paper is right; the paper is then settled as if the keyings had agreed on it.
 */
export async function resolvePaperMismatch(db: DB, actor: Actor, fundId: string, paperId: string, keyingId: string, now = new Date()) {
  const actorId = requireKeyer(actor);
  return inTransaction(db, async (trx) => {
    const ballot = await requireBallotForPapers(trx, fundId, now);
    const paper = await trx
      .selectFrom("paper_ballot")
      .select(["id", "ballot_id", "voter_code_id", "status"])
      .where("id", "=", paperId)
      .where("ballot_id", "=", ballot.id)
      .executeTakeFirst();
    if (!paper) throw new DomainError("That paper ballot is not part of this vote.");
    if (paper.status !== "mismatch") throw new DomainError("This paper has been settled already. Nothing more is needed.");
    const keyings = await listKeyings(trx, paper.id);
    if (!can(actor, "paper_ballot.resolve", { type: "paper_ballot", keyedBy: keyings.map((k) => k.keyed_by) })) {
      throw new DomainError("You keyed this paper, so someone who did not must choose the right keying.", "keying");
    }
    const chosen = keyings.find((k) => k.id === keyingId);
    if (!chosen) throw new DomainError("Choose the keying that matches the paper", "keying");
    const status = await settlePaper(trx, paper, { kind: "agreed", keying: asKeying(chosen) }, actorId, now, actorId);
    return { paperId: paper.id, status };
  });
}

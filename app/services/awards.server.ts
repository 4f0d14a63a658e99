import { inTransaction, type DB } from "../../db/client";
import { awardReference, conditionsFromText, nextAwardStatus } from "~/domain/award";
import { DomainError } from "~/domain/errors";
import { MAX_ATTACHMENT_BYTES, sniffFileType } from "~/domain/file-type";
import { formatPence } from "~/domain/money";
import { awardScope, can, type Actor } from "~/domain/permissions";
import type { ProposalContent } from "~/domain/proposal";
import { awardResource, inAwardScope, listGroupOffersToMake } from "~/models/award.server";
import { currentMembersOf } from "~/models/membership.server";
import { appendAuditEvent } from "~/models/audit.server";
import { queueEmail } from "~/models/outbox.server";
import { contentOf, PROPOSAL_COLUMNS, rowOf } from "~/models/proposal.server";
import { getEnv } from "~/utils/env.server";
import { keepUploadedFiles } from "~/utils/file-store.server";
import { newId, nowIso } from "~/utils/ids.server";
import { TOO_LARGE, WRONG_TYPE } from "./attachments.server";
import type { Submission } from "~/domain/submissions";
import { inTransactionOnce } from "./submissions.server";

const NOT_FOUND = "We could not find that award, or you do not have access to it.";

function requireAdmin(actor: Actor, doing: string) {
  if (!can(actor, "awards.oversee")) throw new DomainError(`Only a fund administrator can ${doing}.`);
}

/** The award, if the actor may see it (the policy's awardScope: administrators any, a group member only their organisation's). */
async function awardFor(trx: DB, actor: Actor, awardId: string) {
  const award = await trx
    .selectFrom("award")
    .innerJoin("proposal", "proposal.id", "award.proposal_id")
    .select([
      "award.id",
      "award.reference",
      "award.status",
      "award.amount_pence",
      "award.organisation_id",
      "award.decision_group_id",
      "award.proposal_id",
      "proposal.title as proposal_title",
      "proposal.reference as proposal_reference",
    ])
    .where("award.id", "=", awardId)
    .where(inAwardScope(awardScope(actor)))
    .executeTakeFirst();
  if (!award) throw new DomainError(NOT_FOUND);
  return award;
}

/** Throws unless the actor may act on the award as a member of the funded group (the policy's award.act). */
function requireGroupMember(actor: Actor, award: Parameters<typeof awardResource>[0], doing: string) {
  if (!can(actor, "award.act", awardResource(award))) throw new DomainError(`Only a member of the group can ${doing}.`);
}

/** A notice in the portal and an email to each active member of the group, linking to the award. Inside a transaction. */
async function notifyGroup(
  trx: DB,
  award: { id: string; organisation_id: string; proposal_id: string; proposal_title: string },
  subject: string,
  text: string,
  linkPath: string,
) {
  const link = `${getEnv().APP_URL}${linkPath}`;
  await trx
    .insertInto("notification")
    .values({ id: newId(), organisation_id: award.organisation_id, proposal_id: award.proposal_id, body: `${text} ${link}`, created_at: nowIso() })
    .execute();
  const members = await currentMembersOf(trx, [award.organisation_id]);
  for (const member of members) {
    await queueEmail(trx, { to: member.email, subject: `${subject}: ${award.proposal_title}`, text: [`Hello ${member.name},`, "", text, "", link].join("\n") });
  }
}

async function nextAwardReference(trx: DB): Promise<string> {
  const { n } = await trx
    .selectFrom("award")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  for (let sequence = Number(n) + 1; ; sequence += 1) {
    const reference = awardReference(sequence);
    const taken = await trx.selectFrom("award").select("id").where("reference", "=", reference).executeTakeFirst();
    if (!taken) return reference;
  }
}

/**
 * Makes the offer for a funded decision: the award (amount from the decision),
 * one condition per line of the decision's conditions, version 1 of its terms,
 * the audit event and a notice to the group linking to the offer letter.
 */
export async function createAward(db: DB, actor: Actor, proposalId: string, submission?: Submission | null): Promise<string> {
  requireAdmin(actor, "make an offer");
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    const proposal = await trx
      .selectFrom("proposal")
      .select(["id", "reference", "title", "status", "organisation_id", "decision_group_id"])
      .where("id", "=", proposalId)
      .executeTakeFirst();
    if (!proposal) throw new DomainError("We could not find that proposal.");
    const decision = await trx
      .selectFrom("decision")
      .select(["id", "outcome", "amount_pence", "conditions"])
      .where("proposal_id", "=", proposalId)
      .executeTakeFirst();
    if (!decision || decision.outcome !== "funded" || proposal.status !== "funded" || !decision.amount_pence) {
      throw new DomainError("Only a proposal the panel decided to fund can be offered an award.");
    }
    const existing = await trx.selectFrom("award").select("reference").where("proposal_id", "=", proposalId).executeTakeFirst();
    if (existing) throw new DomainError(`This proposal already has an award (${existing.reference}).`);

    const stamp = nowIso();
    const id = newId();
    const conditions = conditionsFromText(decision.conditions);
    const row = {
      id,
      reference: await nextAwardReference(trx),
      proposal_id: proposal.id,
      decision_id: decision.id,
      organisation_id: proposal.organisation_id,
      decision_group_id: proposal.decision_group_id,
      status: "offered" as const,
      amount_pence: decision.amount_pence,
      offered_at: stamp,
      accepted_at: null,
      accepted_by: null,
      signatory_name: null,
      signatory_role: null,
      declined_at: null,
      decline_reason: null,
      closed_at: null,
      outcome_summary: null,
      withdrawn_at: null,
      withdrawal_reason: null,
      clawback_pence: null,
      created_by: actor.id,
      created_at: stamp,
      updated_at: stamp,
    };
    await trx.insertInto("award").values(row).execute();
    if (conditions.length) {
      await trx
        .insertInto("award_condition")
        .values(
          conditions.map((text, index) => ({
            id: newId(),
            award_id: id,
            position: index + 1,
            text,
            status: "outstanding" as const,
            evidence_note: null,
            signed_off_by: null,
            signed_off_at: null,
            created_at: stamp,
          })),
        )
        .execute();
    }
    const terms = { amount_pence: row.amount_pence, conditions };
    await trx
      .insertInto("award_version")
      .values({
        id: newId(),
        award_id: id,
        version: 1,
        snapshot: JSON.stringify(terms),
        reason: "Offer made from the panel's decision",
        created_by: actor.id,
        created_at: stamp,
      })
      .execute();
    await appendAuditEvent(trx, { actor: actor.id, action: "award.offered", entityType: "award", entityId: id, after: { ...row, conditions } });
    await notifyGroup(
      trx,
      { id, organisation_id: proposal.organisation_id, proposal_id: proposal.id, proposal_title: proposal.title || proposal.reference },
      "Your grant offer",
      `You have been offered a grant of ${formatPence(row.amount_pence)} for "${proposal.title || proposal.reference}" (award ${row.reference}). Read the offer letter and accept or decline it in the portal.`,
      `/awards/${id}/offer`,
    );
    return id;
  });
}

export interface GroupOffersMade {
  groupName: string;
  count: number;
  totalPence: number;
  references: string[];
}

/**
 * Makes every offer a decision group is waiting for, in one transaction: one
 * award per funded decision that has none yet (each made, audited and told
 * exactly as "Make offer" does), so awards already offered are skipped and a
 * repeat makes nothing new. Returns what was made.
 */
export async function createGroupAwards(db: DB, actor: Actor, decisionGroupId: string, submission?: Submission | null): Promise<GroupOffersMade> {
  requireAdmin(actor, "make offers");
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    const group = await trx.selectFrom("decision_group").select(["id", "name"]).where("id", "=", decisionGroupId).executeTakeFirst();
    if (!group) throw new DomainError("We could not find that decision group.");
    const waiting = await listGroupOffersToMake(trx, group.id);
    const references: string[] = [];
    let totalPence = 0;
    for (const offer of waiting) {
      // Inside this transaction createAward runs in it (inTransaction nests): one audit event and notice per award.
      const awardId = await createAward(trx, actor, offer.proposal_id);
      const award = await trx.selectFrom("award").select(["reference", "amount_pence"]).where("id", "=", awardId).executeTakeFirstOrThrow();
      references.push(award.reference);
      totalPence += award.amount_pence;
    }
    return { groupName: group.name, count: references.length, totalPence, references };
  });
}

/** A member of the group accepts the offer, naming the authorised signatory. */
export async function acceptAward(db: DB, actor: Actor, awardId: string, input: { signatoryName: string; signatoryRole: string }): Promise<void> {
  const signatoryName = input.signatoryName.trim();
  const signatoryRole = input.signatoryRole.trim();
  if (!signatoryName) throw new DomainError("Enter the name of the person signing for your group", "signatoryName");
  if (!signatoryRole) throw new DomainError("Enter the signatory's role in your group, for example chair or treasurer", "signatoryRole");
  await inTransaction(db, async (trx) => {
    const award = await awardFor(trx, actor, awardId);
    const to = nextAwardStatus("accept", award.status, actor.role);
    requireGroupMember(actor, award, "accept its offer");
    const stamp = nowIso();
    const after = { status: to, accepted_at: stamp, accepted_by: actor.id, signatory_name: signatoryName, signatory_role: signatoryRole };
    await trx
      .updateTable("award")
      .set({ ...after, updated_at: stamp })
      .where("id", "=", award.id)
      .execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "award.accepted",
      entityType: "award",
      entityId: award.id,
      before: { status: award.status },
      after,
    });
    await notifyGroup(
      trx,
      award,
      "Offer accepted",
      `${signatoryName} (${signatoryRole}) accepted the grant offer ${award.reference} for your group. Next, send evidence for the conditions.`,
      `/awards/${award.id}`,
    );
  });
}

/** A member of the group declines the offer, giving a reason. */
export async function declineAward(db: DB, actor: Actor, awardId: string, reason: string): Promise<void> {
  const why = reason.trim();
  if (!why) throw new DomainError("Tell us why your group is declining the offer", "reason");
  await inTransaction(db, async (trx) => {
    const award = await awardFor(trx, actor, awardId);
    const to = nextAwardStatus("decline", award.status, actor.role);
    requireGroupMember(actor, award, "decline its offer");
    const stamp = nowIso();
    const after = { status: to, declined_at: stamp, decline_reason: why };
    await trx
      .updateTable("award")
      .set({ ...after, updated_at: stamp })
      .where("id", "=", award.id)
      .execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "award.declined",
      entityType: "award",
      entityId: award.id,
      before: { status: award.status },
      after,
    });
    await notifyGroup(trx, award, "Offer declined", `Your group declined the grant offer ${award.reference}. Reason given: ${why}`, `/awards/${award.id}`);
  });
}

/** A condition on an award the actor may act on. */
async function conditionFor(trx: DB, actor: Actor, conditionId: string) {
  const condition = await trx
    .selectFrom("award_condition")
    .select(["id", "award_id", "text", "status", "evidence_note"])
    .where("id", "=", conditionId)
    .executeTakeFirst();
  if (!condition) throw new DomainError("We could not find that condition.");
  const award = await awardFor(trx, actor, condition.award_id);
  return { condition, award };
}

/**
 * A member of the group sends evidence for a condition: a note, and a file if
 * they have one (sniffed, kept in the file store under a random name, never
 * without its award_file row: app/utils/file-store.server.ts).
 */
export async function submitConditionEvidence(
  db: DB,
  actor: Actor,
  conditionId: string,
  input: { note: string; file?: { name: string; bytes: Uint8Array } | null },
): Promise<void> {
  const note = input.note.trim();
  if (!note) throw new DomainError("Describe the evidence you are sending for this condition", "note");
  if (note.length > 5000) throw new DomainError("The note must be 5,000 characters or fewer", "note");
  const file = input.file && input.file.bytes.byteLength > 0 ? input.file : null;
  const type = file ? sniffFileType(file.bytes) : null;
  if (file) {
    if (file.bytes.byteLength > MAX_ATTACHMENT_BYTES) throw new DomainError(TOO_LARGE, "file");
    if (!type) throw new DomainError(WRONG_TYPE, "file");
  }
  const check = async (trx: DB) => {
    const found = await conditionFor(trx, actor, conditionId);
    requireGroupMember(actor, found.award, "send evidence for a condition");
    if (found.award.status !== "accepted") throw new DomainError("Evidence can be sent once the offer is accepted, and until the award closes.");
    if (found.condition.status === "met") throw new DomainError("This condition is already met.");
    return found;
  };
  await check(db);

  await keepUploadedFiles(db, file ? [file.bytes] : [], async (trx, [storedName]) => {
    const { condition, award } = await check(trx);
    const stamp = nowIso();
    let fileRow = null;
    if (file && type && storedName) {
      fileRow = {
        id: newId(),
        award_id: award.id,
        condition_id: condition.id,
        report_id: null,
        original_name: (file.name.split(/[/\\]/).pop() ?? "").trim().slice(0, 200) || `evidence.${type.extension}`,
        stored_name: storedName,
        mime_type: type.mime,
        size_bytes: file.bytes.byteLength,
        uploaded_by: actor.id,
        created_at: stamp,
      };
      await trx.insertInto("award_file").values(fileRow).execute();
    }
    await trx.updateTable("award_condition").set({ status: "evidence_submitted", evidence_note: note }).where("id", "=", condition.id).execute();
    const { stored_name: _stored, ...visibleFile } = fileRow ?? { stored_name: null };
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "award.condition.evidence_submitted",
      entityType: "award",
      entityId: award.id,
      before: { conditionId: condition.id, status: condition.status, evidence_note: condition.evidence_note },
      after: { conditionId: condition.id, status: "evidence_submitted", evidence_note: note, file: fileRow ? visibleFile : null },
    });
  });
}

/** The administrator signs off a condition whose evidence has been sent. */
export async function signOffCondition(db: DB, actor: Actor, conditionId: string): Promise<void> {
  requireAdmin(actor, "sign off a condition");
  await inTransaction(db, async (trx) => {
    const { condition, award } = await conditionFor(trx, actor, conditionId);
    if (award.status !== "accepted") throw new DomainError("Conditions can be signed off only on an accepted award.");
    if (condition.status === "met") throw new DomainError("This condition is already signed off.");
    if (condition.status !== "evidence_submitted")
      throw new DomainError("The group has not sent evidence for this condition yet, so it cannot be signed off.", "conditionId");
    const stamp = nowIso();
    const after = { status: "met" as const, signed_off_by: actor.id, signed_off_at: stamp };
    await trx.updateTable("award_condition").set(after).where("id", "=", condition.id).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "award.condition.met",
      entityType: "award",
      entityId: award.id,
      before: { conditionId: condition.id, status: condition.status },
      after: { conditionId: condition.id, ...after },
    });
    await notifyGroup(trx, award, "Condition met", `The fund signed off the condition "${condition.text}" on award ${award.reference}.`, `/awards/${award.id}`);
  });
}

export interface SupportInput {
  kind: "meeting" | "advice" | "referral" | "other";
  status: "offered" | "given";
  description: string;
  minutes: number;
  occurredOn: string;
}

/** The administrator records development support offered or given to the group. */
export async function logSupport(db: DB, actor: Actor, awardId: string, input: SupportInput, submission?: Submission | null): Promise<string> {
  requireAdmin(actor, "record support");
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    const award = await awardFor(trx, actor, awardId);
    if (award.status === "declined" || award.status === "withdrawn") {
      throw new DomainError(`This award is ${award.status}, so support can no longer be recorded against it.`);
    }
    const row = {
      id: newId(),
      award_id: award.id,
      kind: input.kind,
      status: input.status,
      description: input.description.trim(),
      minutes: input.minutes,
      occurred_on: input.occurredOn,
      recorded_by: actor.id,
      created_at: nowIso(),
    };
    await trx.insertInto("support_log").values(row).execute();
    await appendAuditEvent(trx, { actor: actor.id, action: "award.support_logged", entityType: "award", entityId: award.id, after: row });
    return row.id;
  });
}

/**
 * After accepting, the group refines its proposal. The new content is saved as
 * the next version; every earlier version is kept in proposal_version (the one
 * being replaced is frozen first if it never was).
 */
export async function refineProposal(db: DB, actor: Actor, awardId: string, content: ProposalContent): Promise<number> {
  return inTransaction(db, async (trx) => {
    const award = await awardFor(trx, actor, awardId);
    requireGroupMember(actor, award, "refine its proposal");
    if (award.status !== "accepted") throw new DomainError("You can refine the proposal once the offer is accepted, and until the award closes.");
    const proposal = await trx.selectFrom("proposal").select(PROPOSAL_COLUMNS).where("proposal.id", "=", award.proposal_id).executeTakeFirstOrThrow();
    const before = contentOf(proposal);
    const stamp = nowIso();
    const frozen = await trx
      .selectFrom("proposal_version")
      .select("id")
      .where("proposal_id", "=", proposal.id)
      .where("version", "=", proposal.version)
      .executeTakeFirst();
    if (!frozen) {
      await trx
        .insertInto("proposal_version")
        .values({
          id: newId(),
          proposal_id: proposal.id,
          version: proposal.version,
          snapshot: JSON.stringify(before),
          submitted_by: proposal.created_by,
          submitted_at: proposal.submitted_at ?? proposal.updated_at,
        })
        .execute();
    }
    const version = proposal.version + 1;
    await trx
      .updateTable("proposal")
      .set({ ...rowOf(content), version, updated_at: stamp })
      .where("id", "=", proposal.id)
      .execute();
    await trx
      .insertInto("proposal_version")
      .values({ id: newId(), proposal_id: proposal.id, version, snapshot: JSON.stringify(content), submitted_by: actor.id, submitted_at: stamp })
      .execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "proposal.refined",
      entityType: "proposal",
      entityId: proposal.id,
      before: { version: proposal.version, ...before },
      after: { version, awardId: award.id, ...content },
    });
    return version;
  });
}

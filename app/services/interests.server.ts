import { inTransaction, type DB } from "../../db/client";
import type { InterestRelationship } from "../../db/schema";
import { DomainError } from "~/domain/errors";
import { can, type Actor } from "~/domain/permissions";
import { appendAuditEvent } from "~/models/audit.server";
import { actingPanelMembership } from "~/models/membership.server";
import { findPanelProposal } from "~/models/scoring.server";
import { newId, nowIso } from "~/utils/ids.server";

export interface InterestInput {
  relationship: InterestRelationship;
  isPecuniary: boolean;
  details: string;
}

export type Declaration = { nothingToDeclare: true } | ({ nothingToDeclare?: false; organisationId: string } & InterestInput);

function assertMember(actor: Actor) {
  if (!can(actor, "panel.take_part")) throw new DomainError("Only panel members declare interests.");
}

/**
 * Records a declared connection to an organisation, or confirms there is
 * nothing (more) to declare. Either marks the member's interests as declared,
 * which opens the panel's proposals to them.
 */
export async function declareInterests(db: DB, actor: Actor, declaration: Declaration): Promise<void> {
  assertMember(actor);
  await inTransaction(db, async (trx) => {
    const stamp = nowIso();
    const user = await actingPanelMembership(trx, actor);
    if (!user) throw new DomainError("Only panel members declare interests.");
    if (declaration.nothingToDeclare) {
      await appendAuditEvent(trx, {
        actor: actor.id,
        action: "interest.nothing_further_to_declare",
        entityType: "membership",
        entityId: user.id,
        before: { interests_declared_at: user.interests_declared_at },
        after: { interests_declared_at: user.interests_declared_at ?? stamp },
      });
    } else {
      const organisation = await trx.selectFrom("organisation").select(["id", "name"]).where("id", "=", declaration.organisationId).executeTakeFirst();
      if (!organisation) throw new DomainError("Choose an organisation from the list", "organisationId");
      const row = {
        id: newId(),
        user_id: actor.id,
        membership_id: user.id,
        organisation_id: organisation.id,
        proposal_id: null,
        relationship: declaration.relationship,
        is_pecuniary: declaration.isPecuniary ? (1 as const) : (0 as const),
        details: declaration.details,
        created_at: stamp,
      };
      await trx.insertInto("interest_declaration").values(row).execute();
      await appendAuditEvent(trx, {
        actor: actor.id,
        action: "interest.declared",
        entityType: "interest_declaration",
        entityId: row.id,
        after: { ...row, organisation_name: organisation.name },
      });
    }
    if (!user.interests_declared_at) await trx.updateTable("membership").set({ interests_declared_at: stamp }).where("id", "=", user.id).execute();
  });
}

/** Declares an interest in one proposal from its panel page; the member is recused from it at once. */
export async function addProposalInterest(db: DB, actor: Actor, proposalId: string, input: InterestInput): Promise<void> {
  assertMember(actor);
  await inTransaction(db, async (trx) => {
    const [proposal, membership] = await Promise.all([findPanelProposal(trx, actor, proposalId), actingPanelMembership(trx, actor)]);
    if (!proposal || !membership) throw new DomainError("We could not find that proposal, or you have already declared an interest in it.");
    const stamp = nowIso();
    const row = {
      id: newId(),
      user_id: actor.id,
      membership_id: membership.id,
      organisation_id: null,
      proposal_id: proposal.id,
      relationship: input.relationship,
      is_pecuniary: input.isPecuniary ? (1 as const) : (0 as const),
      details: input.details,
      created_at: stamp,
    };
    await trx.insertInto("interest_declaration").values(row).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "interest.declared",
      entityType: "interest_declaration",
      entityId: row.id,
      after: { ...row, proposal_reference: proposal.reference },
    });
  });
}

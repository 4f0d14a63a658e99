import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import type { PanelRulesInput } from "~/domain/forms/panel-rules";
import { can, type Actor } from "~/domain/permissions";
import { currentPanel } from "~/models/membership.server";
import { appendAuditEvent } from "~/models/audit.server";
import { PANEL_RULE_COLUMNS } from "~/models/panel.server";

/**
 * Saves a fund's panel rules. Refuses to change the score scale once any
 * score sheet has been submitted on the old one: marks out of 5 would
 * silently become marks out of 10.
 */
export async function savePanelRules(db: DB, actor: Actor, fundId: string, input: PanelRulesInput): Promise<void> {
  if (!can(actor, "fund.manage")) throw new DomainError("Only a fund administrator can set a fund's panel rules.");
  const actorId = actor.id;
  await inTransaction(db, async (trx) => {
    const before = await trx.selectFrom("fund").select(PANEL_RULE_COLUMNS).where("fund.id", "=", fundId).executeTakeFirst();
    if (!before) throw new DomainError("That fund does not exist. It may have been removed.");
    if (before.score_scale_max !== input.scoreScaleMax) {
      const scored = await trx
        .selectFrom("score_sheet")
        .innerJoin("proposal", "proposal.id", "score_sheet.proposal_id")
        .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
        .select("score_sheet.id")
        .where("decision_group.fund_id", "=", fundId)
        .where("score_sheet.submitted_at", "is not", null)
        .limit(1)
        .executeTakeFirst();
      if (scored) {
        throw new DomainError(
          `Panel members have already submitted scores from 0 to ${before.score_scale_max}, so the top score cannot change now`,
          "scoreScaleMax",
        );
      }
    }
    const after = {
      score_scale_max: input.scoreScaleMax,
      voting_method: input.votingMethod,
      approval_max: input.approvalMax,
      tie_rule: input.tieRule,
      quorum_min_present: input.quorumMinPresent,
      composition_rules: JSON.stringify(input.compositionRules),
    };
    await trx.updateTable("fund").set(after).where("id", "=", fundId).execute();
    await appendAuditEvent(trx, {
      actor: actorId,
      action: "fund.panel_rules_updated",
      entityType: "fund",
      entityId: fundId,
      before,
      after: { id: fundId, ...after },
    });
  });
}

/** Makes one panel member of the group its chair; anyone else who chaired it stops. */
export async function setChair(db: DB, actor: Actor, groupId: string, chairId: string): Promise<void> {
  if (!can(actor, "fund.manage")) throw new DomainError("Only a fund administrator can choose a panel's chair.");
  const actorId = actor.id;
  await inTransaction(db, async (trx) => {
    const member = await currentPanel(trx, groupId)
      .select(["user.id", "user.name", "membership.is_chair"])
      .where("user.id", "=", chairId)
      .where("user.disabled_at", "is", null)
      .executeTakeFirst();
    if (!member) throw new DomainError("Choose a member of this group's panel", "chairId");
    const previous = await currentPanel(trx, groupId).select(["user.id", "user.name"]).where("membership.is_chair", "=", 1).orderBy("user.id").execute();
    if (previous.length === 1 && previous[0]!.id === chairId) return;
    const panelOf = (userId?: string) => {
      let query = trx.updateTable("membership").where("decision_group_id", "=", groupId).where("role", "=", "panel_member").where("ended_at", "is", null);
      if (userId) query = query.where("user_id", "=", userId);
      return query;
    };
    await panelOf().set({ is_chair: 0 }).where("is_chair", "=", 1).execute();
    await panelOf(chairId).set({ is_chair: 1 }).execute();
    await appendAuditEvent(trx, {
      actor: actorId,
      action: "decision_group.chair_set",
      entityType: "decision_group",
      entityId: groupId,
      before: { chairs: previous },
      after: { chairs: [{ id: member.id, name: member.name }] },
    });
  });
}

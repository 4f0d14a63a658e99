import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import type { NextRoundInput } from "~/domain/forms/next-round";
import { grantRangeProblem, potsProblem } from "~/domain/fund";
import { formatPence } from "~/domain/money";
import { can, type Actor } from "~/domain/permissions";
import { formatDate } from "~/domain/phases";
import { appendAuditEvent } from "~/models/audit.server";
import { newId, nowIso } from "~/utils/ids.server";
import { inviteUser } from "./accounts.server";

/**
 * Starts the next round of a fund: a new, unpublished fund with the old one's
 * purpose, type, eligibility questions, criteria, panel rules, payment and
 * open-data settings, and decision groups (name, area, grant range, lead
 * organisations), with the new name, dates, budget and pots from the form.
 * Proposals, panels, scores, meetings, decisions and awards stay with the old
 * round. One transaction. Returns the new fund's id.
 *
 * Audit: one event per record written, rather than one event holding the
 * whole copy. The audit trail is read record by record (filtered by entity
 * type and id), so each copied question, criterion and group starts its own
 * history with a "created" event, as if added by hand, naming the row it was
 * copied from; the fund's own event, fund.round_started, names the fund it
 * was copied from.
 */
export async function startNextRound(db: DB, actor: Actor, previousFundId: string, input: NextRoundInput): Promise<string> {
  if (!can(actor, "fund.manage")) throw new DomainError("Only a fund administrator can start the next round of a fund.");
  return inTransaction(db, async (trx) => {
    const old = await trx.selectFrom("fund").selectAll().where("id", "=", previousFundId).executeTakeFirst();
    if (!old) throw new DomainError("That fund does not exist. It may have been removed.");
    // One next round per fund keeps the rounds a line (and a second click from making a second copy).
    const started = await trx.selectFrom("fund").select(["id", "name"]).where("previous_fund_id", "=", old.id).executeTakeFirst();
    if (started) throw new DomainError(`The next round of this fund has already been started: ${started.name}. Change that round instead.`);

    const oldGroups = await trx
      .selectFrom("decision_group")
      .select(["id", "name", "area", "area_code", "pot_pence", "min_grant_pence", "max_grant_pence"])
      .where("fund_id", "=", old.id)
      .orderBy("name")
      .orderBy("id")
      .execute();
    const potFor = new Map(input.pots.map((p) => [p.decisionGroupId, p.pot]));
    if (potFor.size !== oldGroups.length || oldGroups.some((g) => !potFor.has(g.id))) {
      throw new DomainError("The fund's decision groups have changed since you opened this page. Check the pots and send the form again");
    }
    // The form checks these too; checked again here, in the transaction, as saveDecisionGroup does (0006).
    for (const g of oldGroups) {
      const range = grantRangeProblem({ potPence: potFor.get(g.id)!, minGrantPence: g.min_grant_pence, maxGrantPence: g.max_grant_pence });
      if (range) throw new DomainError(`The pot for ${g.name} must be at least ${formatPence(g.max_grant_pence)}, its maximum grant`);
    }
    const overBudget = potsProblem(input.budget, [...potFor.values()]);
    if (overBudget) throw new DomainError(overBudget, "budget");

    const stamp = nowIso();
    const fund = {
      id: newId(),
      name: input.name,
      purpose: old.purpose,
      type: old.type,
      budget_pence: input.budget,
      is_published: 0 as const,
      created_at: stamp,
      opens_on: input.opensOn,
      closes_on: input.closesOn,
      review_on: input.reviewOn,
      decisions_on: input.decisionsOn,
      awards_on: input.awardsOn,
      score_scale_max: old.score_scale_max,
      voting_method: old.voting_method,
      approval_max: old.approval_max,
      tie_rule: old.tie_rule,
      quorum_min_present: old.quorum_min_present,
      composition_rules: old.composition_rules,
      results_published_at: null,
      payment_approval_threshold_pence: old.payment_approval_threshold_pence,
      funder_prefix: old.funder_prefix,
      funder_org_id: old.funder_org_id,
      funder_org_name: old.funder_org_name,
      previous_fund_id: old.id,
    };
    await trx.insertInto("fund").values(fund).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "fund.round_started",
      entityType: "fund",
      entityId: fund.id,
      after: { ...fund, previousFundName: old.name },
    });

    const questions = await trx.selectFrom("eligibility_question").selectAll().where("fund_id", "=", old.id).orderBy("position").orderBy("id").execute();
    for (const q of questions) {
      const row = { ...q, id: newId(), fund_id: fund.id };
      await trx.insertInto("eligibility_question").values(row).execute();
      await appendAuditEvent(trx, {
        actor: actor.id,
        action: "eligibility_question.created",
        entityType: "eligibility_question",
        entityId: row.id,
        after: { ...row, copiedFrom: q.id },
      });
    }

    const criteria = await trx.selectFrom("criterion").selectAll().where("fund_id", "=", old.id).orderBy("position").orderBy("id").execute();
    for (const c of criteria) {
      const row = { ...c, id: newId(), fund_id: fund.id };
      await trx.insertInto("criterion").values(row).execute();
      await appendAuditEvent(trx, {
        actor: actor.id,
        action: "criterion.created",
        entityType: "criterion",
        entityId: row.id,
        after: { ...row, copiedFrom: c.id },
      });
    }

    const links = oldGroups.length
      ? await trx
          .selectFrom("decision_group_lead_org")
          .select(["decision_group_id", "organisation_id"])
          .where(
            "decision_group_id",
            "in",
            oldGroups.map((g) => g.id),
          )
          .execute()
      : [];
    for (const g of oldGroups) {
      const group = {
        id: newId(),
        fund_id: fund.id,
        name: g.name,
        area: g.area,
        area_code: g.area_code,
        pot_pence: potFor.get(g.id)!,
        min_grant_pence: g.min_grant_pence,
        max_grant_pence: g.max_grant_pence,
        created_at: stamp,
        scoring_closed_at: null,
        previous_decision_group_id: g.id,
      };
      await trx.insertInto("decision_group").values(group).execute();
      const leadOrganisationIds = links
        .filter((l) => l.decision_group_id === g.id)
        .map((l) => l.organisation_id)
        .sort();
      if (leadOrganisationIds.length) {
        await trx
          .insertInto("decision_group_lead_org")
          .values(leadOrganisationIds.map((organisation_id) => ({ decision_group_id: group.id, organisation_id })))
          .execute();
      }
      await appendAuditEvent(trx, {
        actor: actor.id,
        action: "decision_group.created",
        entityType: "decision_group",
        entityId: group.id,
        after: { ...group, leadOrganisationIds },
      });
    }
    return fund.id;
  });
}

/**
 * Invites one of last round's panel members onto the panel of the decision
 * group copied from theirs, for the same constituency. inviteUser emails them;
 * they accept with the password they already have, which keeps their account
 * and adds a new panel membership (they declare their interests afresh under
 * it). Refuses someone who was not on that panel, a disabled account, and a
 * second invitation while one is still waiting. Returns the invitation's id.
 */
export async function invitePanelMemberBack(db: DB, actor: Actor, fundId: string, decisionGroupId: string, userId: string, now = new Date()): Promise<string> {
  if (!can(actor, "fund.manage")) throw new DomainError("Only a fund administrator can invite last round's panel back.");
  return inTransaction(db, async (trx) => {
    const group = await trx
      .selectFrom("decision_group")
      .select(["id", "previous_decision_group_id"])
      .where("id", "=", decisionGroupId)
      .where("fund_id", "=", fundId)
      .executeTakeFirst();
    if (!group) throw new DomainError("That decision group is not part of this fund.");
    if (!group.previous_decision_group_id) throw new DomainError("That decision group was not copied from a previous round.");
    const member = await trx
      .selectFrom("membership")
      .innerJoin("user", "user.id", "membership.user_id")
      .select(["user.id", "user.name", "user.email", "user.disabled_at", "membership.constituency"])
      .where("membership.role", "=", "panel_member")
      .where("membership.decision_group_id", "=", group.previous_decision_group_id)
      .where("membership.user_id", "=", userId)
      .executeTakeFirst();
    if (!member) throw new DomainError("That person was not on last round's panel for this decision group.");
    if (member.disabled_at) throw new DomainError(`${member.name}'s account is disabled, so they cannot be invited back.`);
    const waiting = await trx
      .selectFrom("invitation")
      .select(["created_at", "expires_at"])
      .where("email", "=", member.email)
      .where("role", "=", "panel_member")
      .where("decision_group_id", "=", group.id)
      .where("accepted_at", "is", null)
      .where("expires_at", ">", now.toISOString())
      .executeTakeFirst();
    if (waiting) {
      throw new DomainError(
        `${member.name} was already invited back on ${formatDate(waiting.created_at)}. Their link works until ${formatDate(waiting.expires_at)}.`,
      );
    }
    const { id } = await inviteUser(
      trx,
      actor,
      { name: member.name, email: member.email, role: "panel_member", constituency: member.constituency, decisionGroupId: group.id },
      now,
    );
    return id;
  });
}

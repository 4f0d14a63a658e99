import type { DB } from "../../db/client";
import { currentMembersOf } from "~/models/membership.server";
import { queueEmail } from "~/models/outbox.server";
import { getEnv } from "~/utils/env.server";
import { newId, nowIso } from "~/utils/ids.server";

interface ProposalRef {
  id: string;
  reference: string;
  title: string;
}

const proposalLink = (p: ProposalRef) => `${getEnv().APP_URL}/proposals/${p.id}`;

/** A notice in the portal for an organisation, and an email to each of its active members. Inside a transaction. */
export async function notifyOrganisation(trx: DB, organisationId: string, proposal: ProposalRef, subject: string, text: string) {
  await trx
    .insertInto("notification")
    .values({ id: newId(), organisation_id: organisationId, proposal_id: proposal.id, body: text, created_at: nowIso() })
    .execute();
  const members = await currentMembersOf(trx, [organisationId]);
  for (const member of members) {
    await queueEmail(trx, {
      to: member.email,
      subject: `${subject}: ${proposal.title || proposal.reference}`,
      text: [`Hello ${member.name},`, "", text, "", `See the proposal: ${proposalLink(proposal)}`].join("\n"),
    });
  }
}

/** Tells every lead organisation of a decision group. */
export async function notifyLeadOrganisations(trx: DB, decisionGroupId: string, proposal: ProposalRef, subject: string, text: string) {
  const leads = await trx.selectFrom("decision_group_lead_org").select("organisation_id").where("decision_group_id", "=", decisionGroupId).execute();
  for (const lead of leads) await notifyOrganisation(trx, lead.organisation_id, proposal, subject, text);
}

export function listNotifications(db: DB, organisationId: string, limit = 10) {
  return db
    .selectFrom("notification")
    .select(["id", "proposal_id", "body", "created_at"])
    .where("organisation_id", "=", organisationId)
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
}

import { inTransaction, type DB } from "../../db/client";
import type { Proposal, ProposalMessageKind, ProposalStatus } from "../../db/schema";
import { DomainError } from "~/domain/errors";
import { ineligibleAnswer, type QuestionRule } from "~/domain/eligibility";
import {
  can,
  isPreparingLead,
  preparedByOf,
  startRefusal,
  type Actor,
  type NewProposalResource,
  type ProposalResource,
  type StartRefusal,
} from "~/domain/permissions";
import { submissionWindow, formatDate } from "~/domain/phases";
import { amountProblem, checklist, EMPTY_CONTENT, type ProposalContent } from "~/domain/proposal";
import { leastPenceProblem, type SectionId, type SectionResult } from "~/domain/proposal-sections";
import { isEditable, nextStatus, STATUS_LABELS, type ProposalAction } from "~/domain/proposal-status";
import { appendAuditEvent } from "~/models/audit.server";
import { isOnline } from "~/models/membership.server";
import { contentOf, findProposalFor, getGroupContext, leadOrganisationIdsOf, proposalFacts, rowOf } from "~/models/proposal.server";
import { newId, nowIso } from "~/utils/ids.server";
import { notifyLeadOrganisations, notifyOrganisation } from "./notifications.server";
import type { Submission } from "~/domain/submissions";
import { inTransactionOnce } from "./submissions.server";

type Trx = DB;

/** The proposal, if the actor may read it, with the facts the policy's rules need: read inside the caller's transaction. */
async function loadForUpdate(trx: Trx, actor: Actor, proposalId: string): Promise<{ proposal: Proposal; facts: ProposalResource }> {
  const proposal = await findProposalFor(trx, actor, proposalId);
  if (!proposal) throw new DomainError("We could not find that proposal, or you do not have access to it.");
  return { proposal: proposal as Proposal, facts: await proposalFacts(trx, proposal, actor) };
}

export const NOT_AUTHOR = "Only the group's own members, or the lead organisation that prepared the proposal with them, can change it.";

/** Why a proposal cannot be started, in words for the form (startRefusal in the policy says which). */
const START_REFUSALS: Record<StartRefusal, [string, string?]> = {
  cannot_start: ["Your role cannot start a proposal."],
  not_own_group: ["Set up your group's profile before you start a proposal.", "organisationId"],
  not_served: ["You can only prepare proposals for the decision groups your organisation serves.", "decisionGroupId"],
  group_online: [
    "This group is already online, so its members start their own proposals. Offer them your help, or choose a group that is not online yet.",
    "organisationId",
  ],
};

async function groupLimits(trx: Trx, decisionGroupId: string) {
  const group = await getGroupContext(trx, decisionGroupId);
  if (!group) throw new DomainError("That decision group does not exist.");
  return {
    group,
    limits: { minGrantPence: group.min_grant_pence, maxGrantPence: group.max_grant_pence, potPence: group.pot_pence },
  };
}

/** The next reference (P-0001…), counted from the rows; call it inside the transaction that inserts. */
export async function nextReference(trx: Trx): Promise<string> {
  const { n } = await trx
    .selectFrom("proposal")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return `P-${String(Number(n) + 1).padStart(4, "0")}`;
}

/** Loads a fund's eligibility questions as rules. */
export async function eligibilityRules(db: DB, fundId: string): Promise<(QuestionRule & { text: string; kind: string })[]> {
  const rows = await db
    .selectFrom("eligibility_question")
    .select(["id", "text", "kind", "options", "ineligible_answers", "ineligible_reason"])
    .where("fund_id", "=", fundId)
    .orderBy("position")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    text: r.text,
    kind: r.kind,
    options: JSON.parse(r.options) as string[],
    ineligibleAnswers: JSON.parse(r.ineligible_answers) as string[],
    ineligibleReason: r.ineligible_reason,
  }));
}

export interface StartInput {
  decisionGroupId: string;
  /** The community group the proposal is for. */
  organisationId: string;
  eligibilityAnswers: Record<string, string>;
}

/**
 * Starts a draft after the eligibility questions. An ineligible answer stops
 * it with the reason (a DomainError on the field "eligibility").
 * A lead organisation may start one on behalf of a group that is not online.
 */
export async function startProposal(db: DB, actor: Actor, input: StartInput, submission?: Submission | null): Promise<string> {
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    const { group } = await groupLimits(trx, input.decisionGroupId);
    if (!group.is_published) throw new DomainError("This fund is not open for proposals.", "decisionGroupId");
    const org = await trx.selectFrom("organisation").select(["id", "kind"]).where("id", "=", input.organisationId).executeTakeFirst();
    const resource: NewProposalResource = {
      type: "new_proposal",
      decisionGroupId: input.decisionGroupId,
      leadOrganisationIds: await leadOrganisationIdsOf(trx, input.decisionGroupId),
      organisationId: input.organisationId,
      isOrganisationOnline: org ? await isOnline(trx, org.id) : false,
    };
    if (!can(actor, "proposal.start", resource)) {
      const [message, field] = START_REFUSALS[startRefusal(actor, resource) ?? "cannot_start"];
      throw new DomainError(message, field);
    }
    if (!org || org.kind !== "community_group") throw new DomainError("Choose the community group this proposal is for.", "organisationId");

    const rules = await eligibilityRules(trx, group.fund_id);
    for (const rule of rules) {
      const answer = input.eligibilityAnswers[rule.id];
      if (!answer || !rule.options.includes(answer)) throw new DomainError(`Answer the question: ${rule.text}`, `q_${rule.id}`);
    }
    const stop = ineligibleAnswer(rules, input.eligibilityAnswers);
    if (stop) throw new DomainError(stop.ineligibleReason, "eligibility");

    const id = newId();
    const now = nowIso();
    const row = {
      id,
      reference: await nextReference(trx),
      decision_group_id: input.decisionGroupId,
      organisation_id: input.organisationId,
      status: "draft" as const,
      ...rowOf(EMPTY_CONTENT),
      version: 0,
      submitted_at: null,
      imported_by: null,
      group_confirmation: null,
      eligibility_answers: JSON.stringify(input.eligibilityAnswers),
      prepared_by_organisation_id: preparedByOf(actor),
      created_by: actor.id,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto("proposal").values(row).execute();
    await appendAuditEvent(trx, { actor: actor.id, action: "proposal.status.draft", entityType: "proposal", entityId: id, after: row });
    return id;
  });
}

/** Saves whatever the group has written so far. Only drafts and proposals with changes requested can be edited. */
export async function saveDraft(db: DB, actor: Actor, proposalId: string, content: ProposalContent): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { proposal, facts } = await loadForUpdate(trx, actor, proposalId);
    if (!isEditable(proposal.status)) {
      throw new DomainError(`This proposal is "${STATUS_LABELS[proposal.status]}", so it cannot be edited now.`);
    }
    if (!can(actor, "proposal.edit", facts)) throw new DomainError(NOT_AUTHOR);
    const { limits } = await groupLimits(trx, proposal.decision_group_id);
    if (content.amountRequestedPence !== null) {
      const problem = amountProblem(content.amountRequestedPence, limits);
      if (problem) throw new DomainError(problem, "amountRequested");
    }
    const before = contentOf(proposal);
    const after = rowOf(content);
    await trx
      .updateTable("proposal")
      .set({ ...after, updated_at: nowIso() })
      .where("id", "=", proposalId)
      .execute();
    await appendAuditEvent(trx, { actor: actor.id, action: "proposal.draft_saved", entityType: "proposal", entityId: proposalId, before, after: content });
  });
}

/**
 * Saves one section of the task list: only the fields the section's form
 * read without a problem (app/domain/proposal-sections.ts). Other sections
 * are left as they are, however incomplete. The amount and the least the
 * group could accept are checked again here, against the saved values.
 */
export async function saveSection(db: DB, actor: Actor, proposalId: string, section: SectionId, patch: SectionResult["patch"]): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { proposal, facts } = await loadForUpdate(trx, actor, proposalId);
    if (!isEditable(proposal.status)) {
      throw new DomainError(`This proposal is "${STATUS_LABELS[proposal.status]}", so it cannot be edited now.`);
    }
    if (!can(actor, "proposal.edit", facts)) throw new DomainError(NOT_AUTHOR);
    const { limits } = await groupLimits(trx, proposal.decision_group_id);
    const { leastPence, ...contentPatch } = patch;
    const before = contentOf(proposal);
    const content: ProposalContent = { ...before, ...contentPatch };
    const least = leastPence === undefined ? proposal.part_funding_floor_pence : leastPence;
    if (contentPatch.amountRequestedPence !== undefined && content.amountRequestedPence !== null) {
      const problem = amountProblem(content.amountRequestedPence, limits);
      if (problem) throw new DomainError(problem, "amountRequested");
    }
    if (least !== null) {
      const problem = leastPenceProblem(least, content.amountRequestedPence, limits);
      if (problem) throw new DomainError(problem, "leastPence");
    }
    await trx
      .updateTable("proposal")
      .set({ ...rowOf(content), part_funding_floor_pence: least, updated_at: nowIso() })
      .where("id", "=", proposalId)
      .execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "proposal.draft_saved",
      entityType: "proposal",
      entityId: proposalId,
      before: { ...before, leastPence: proposal.part_funding_floor_pence },
      after: { section, ...content, leastPence: least },
    });
  });
}

/**
 * Submits to the lead organisation: checks the checklist and the closing
 * date, keeps a frozen copy of this version, and tells the lead organisation.
 * A lead organisation submitting on a group's behalf must record the group's confirmation.
 */
export async function submitProposal(
  db: DB,
  actor: Actor,
  proposalId: string,
  options: { groupConfirmation?: string; now?: Date; submission?: Submission | null } = {},
): Promise<void> {
  const now = options.now ?? new Date();
  await inTransactionOnce(db, actor.id, options.submission, async (trx) => {
    const { proposal, facts } = await loadForUpdate(trx, actor, proposalId);
    const to = nextStatus("submit", proposal.status, actor.role);
    if (!can(actor, "proposal.submit", facts)) throw new DomainError(NOT_AUTHOR);
    const { group, limits } = await groupLimits(trx, proposal.decision_group_id);
    const window = submissionWindow(group, now);
    if (window === "closed") {
      throw new DomainError(`Proposals for this fund closed on ${formatDate(group.closes_on)}. You can no longer submit.`);
    }
    if (window === "not_open") throw new DomainError(`Proposals for this fund open on ${formatDate(group.opens_on)}.`);
    const content = contentOf(proposal);
    const missing = checklist(content, limits).filter((item) => !item.isDone);
    if (missing.length) throw new DomainError(`Before you submit: ${missing.map((m) => m.label.toLowerCase()).join("; ")}.`);
    let groupConfirmation = proposal.group_confirmation;
    // A lead organisation submitting the proposal it prepared does so on the group's behalf.
    if (isPreparingLead(actor, facts)) {
      if (!options.groupConfirmation?.trim()) {
        throw new DomainError("Record how the group confirmed they want this proposal submitted", "groupConfirmation");
      }
      groupConfirmation = options.groupConfirmation.trim();
    }
    const version = proposal.version + 1;
    const stamp = now.toISOString();
    await trx
      .updateTable("proposal")
      .set({ status: to, version, submitted_at: stamp, updated_at: stamp, group_confirmation: groupConfirmation })
      .where("id", "=", proposalId)
      .execute();
    await trx
      .insertInto("proposal_version")
      .values({ id: newId(), proposal_id: proposalId, version, snapshot: JSON.stringify(content), submitted_by: actor.id, submitted_at: stamp })
      .execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: `proposal.status.${to}`,
      entityType: "proposal",
      entityId: proposalId,
      before: { status: proposal.status },
      after: { status: to, version, groupConfirmation },
    });
    const ref = { id: proposalId, reference: proposal.reference, title: content.title };
    const resubmitted = version > 1;
    await notifyLeadOrganisations(
      trx,
      proposal.decision_group_id,
      ref,
      resubmitted ? "Proposal resubmitted" : "New proposal submitted",
      `${content.title} (${proposal.reference}) has been ${resubmitted ? "resubmitted" : "submitted"} to you for ${group.name}. Read it and support it, ask for changes, or decline it.`,
    );
    await notifyOrganisation(
      trx,
      proposal.organisation_id,
      ref,
      "Proposal submitted",
      `Your proposal "${content.title}" was submitted to the lead organisation (version ${version}). They will support it, ask for changes, or decline it with a reason.`,
    );
  });
}

const LEAD_DECISIONS: Record<"request_changes" | "support" | "decline", { kind: ProposalMessageKind; subject: string; field: string; missing: string }> = {
  request_changes: { kind: "changes_requested", subject: "Changes requested", field: "note", missing: "Write a note saying what the group should change" },
  support: { kind: "support_statement", subject: "Proposal supported", field: "statement", missing: "Write a support statement" },
  decline: { kind: "decline_reason", subject: "Proposal not supported", field: "reason", missing: "Write the reason for declining" },
};

/** A lead organisation asks for changes, supports (with a statement) or declines (with a reason). The group is told. */
export async function leadOrganisationDecision(
  db: DB,
  actor: Actor,
  proposalId: string,
  decision: "request_changes" | "support" | "decline",
  text: string,
): Promise<ProposalStatus> {
  const rule = LEAD_DECISIONS[decision];
  if (!text.trim()) throw new DomainError(rule.missing, rule.field);
  return inTransaction(db, async (trx) => {
    const { proposal, facts } = await loadForUpdate(trx, actor, proposalId);
    if (!can(actor, "proposal.lead_decide", facts)) {
      throw new DomainError("This proposal is for a decision group your organisation does not serve, so you cannot act on it.");
    }
    const to = nextStatus(decision, proposal.status, actor.role);
    return applyTransition(trx, actor, proposal, to, rule.kind, text.trim(), rule.subject);
  });
}

async function applyTransition(
  trx: Trx,
  actor: Actor,
  proposal: Proposal,
  to: ProposalStatus,
  kind: ProposalMessageKind,
  text: string,
  subject: string,
): Promise<ProposalStatus> {
  if (!actor.role) throw new DomainError("Your role cannot do that to a proposal.");
  const stamp = nowIso();
  await trx.updateTable("proposal").set({ status: to, updated_at: stamp }).where("id", "=", proposal.id).execute();
  await trx
    .insertInto("proposal_message")
    .values({ id: newId(), proposal_id: proposal.id, kind, body: text, author_id: actor.id, author_role: actor.role, created_at: stamp })
    .execute();
  await appendAuditEvent(trx, {
    actor: actor.id,
    action: `proposal.status.${to}`,
    entityType: "proposal",
    entityId: proposal.id,
    before: { status: proposal.status },
    after: { status: to, [kind]: text },
  });
  await notifyOrganisation(
    trx,
    proposal.organisation_id,
    { id: proposal.id, reference: proposal.reference, title: proposal.title },
    subject,
    `Your proposal "${proposal.title}" is now: ${STATUS_LABELS[to]}.\n\n${text}`,
  );
  return to;
}

/**
 * The administrator's eligibility screen, for one proposal or many at once.
 * All succeed or none do. Ineligible needs a reason; the group is told either way.
 */
export async function screenEligibility(
  db: DB,
  actor: Actor,
  proposalIds: readonly string[],
  outcome: "eligible" | "ineligible",
  reason: string,
): Promise<number> {
  if (!can(actor, "proposal.screen")) throw new DomainError("Only the fund administrator screens eligibility.");
  if (proposalIds.length === 0) throw new DomainError("Choose at least one proposal", "proposalIds");
  if (outcome === "ineligible" && !reason.trim()) throw new DomainError("Write the reason the proposal is not eligible", "reason");
  const action: ProposalAction = outcome === "eligible" ? "mark_eligible" : "mark_ineligible";
  return inTransaction(db, async (trx) => {
    for (const id of proposalIds) {
      const { proposal } = await loadForUpdate(trx, actor, id);
      const to = nextStatus(action, proposal.status, actor.role);
      const text = outcome === "eligible" ? reason.trim() || "The fund administrator checked this proposal and found it eligible." : reason.trim();
      await applyTransition(
        trx,
        actor,
        proposal,
        to,
        outcome === "eligible" ? "eligible" : "ineligible_reason",
        text,
        outcome === "eligible" ? "Proposal eligible" : "Proposal not eligible",
      );
    }
    return proposalIds.length;
  });
}

/** A lead organisation hands a proposal it prepared to the group to finish and submit. */
export async function handToGroup(db: DB, actor: Actor, proposalId: string, note: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { proposal, facts } = await loadForUpdate(trx, actor, proposalId);
    if (!isPreparingLead(actor, facts)) throw new DomainError("Only the lead organisation that prepared this proposal can hand it over.");
    if (!can(actor, "proposal.hand_to_group", facts)) throw new DomainError("Only a draft can be handed to the group.");
    const stamp = nowIso();
    const body = note.trim() || "Your lead organisation prepared this proposal with you. Check it, finish anything missing and submit it.";
    await trx
      .insertInto("proposal_message")
      .values({ id: newId(), proposal_id: proposalId, kind: "handed_to_group", body, author_id: actor.id, author_role: "lead_org", created_at: stamp })
      .execute();
    await appendAuditEvent(trx, { actor: actor.id, action: "proposal.handed_to_group", entityType: "proposal", entityId: proposalId, after: { note: body } });
    await notifyOrganisation(
      trx,
      proposal.organisation_id,
      { id: proposalId, reference: proposal.reference, title: proposal.title },
      "A proposal is ready for you",
      body,
    );
  });
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, TypedResponse } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ProposalActionHeader, ProposalMessages } from "~/components/proposal-summary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { GroupInviteSchema } from "~/domain/forms/group-membership";
import { LeadDecisionSchema } from "~/domain/forms/screening";
import { can, isPreparingLead, type Actor } from "~/domain/permissions";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { getProposalSummaryForLeadOrg, proposalExists } from "~/models/proposal-lists.server";
import { communityGroupResourceForProposal } from "~/models/community-group.server";
import { listGroupMembers } from "~/models/organisation.server";
import { listMessages, proposalFacts } from "~/models/proposal.server";
import { inviteToGroup } from "~/services/group-membership.server";
import { handToGroup, leadOrganisationDecision } from "~/services/proposals.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { forbidden, notFound } from "~/utils/http.server";

const copy = {
  title: "Proposal",
  back: "Back to your proposals",
  readAll: "Read the whole proposal",
  otherArea:
    "This proposal is for a decision group your organisation does not serve, or the group has not submitted it yet, so you cannot see it or act on it.",
  notPrepared: "Only the lead organisation that prepared this proposal can hand it to the group.",
  notFound: "We could not find that proposal. It may have been removed, or the link may be wrong.",
  decide: "Your decision",
  decideHint: "Each choice tells the group at once, by email and in the portal. Write in plain English: the group reads exactly what you write.",
  notReady: (status: string) => `This proposal is "${status}". There is nothing for you to decide now.`,
  requestChanges: {
    heading: "Ask the group for changes",
    label: "What should the group change?",
    hint: "The proposal goes back to the group to edit and resubmit.",
    button: "Request changes",
  },
  support: {
    heading: "Support the proposal",
    label: "Support statement",
    hint: "Why your organisation supports this proposal. The fund administrator and the decision panel read it.",
    button: "Support",
  },
  decline: {
    heading: "Decline the proposal",
    label: "Reason for declining",
    hint: "The group reads this reason. Say what would have to change for you to support it.",
    button: "Decline",
  },
  hand: {
    heading: "Hand to the group",
    intro: "You prepared this draft. Hand it to the group so they can check it, finish anything missing and submit it.",
    label: "Note to the group (optional)",
    button: "Hand to the group",
  },
  messages: "Messages",
  noMembers: (group: string) =>
    `No one in ${group} has an account yet. Invite someone from the group: they will be its first member, and can then follow and answer for its proposals.`,
  memberCount: (group: string, names: string) => `Members of ${group} on the portal: ${names}.`,
  invite: (group: string) => `Invite someone to ${group}`,
  inviteIntro:
    "They get an email with a link to join the group, valid for 7 days. Someone who already has an account enters their password and the group is added to it.",
  inviteName: "Their full name",
  inviteEmail: "Their email address",
  sendInvite: "Send invitation",
  invited: (email: string) => `Invitation sent to ${email}.`,
  done: {
    request_changes: "Changes requested. The group has been told.",
    support: "Proposal supported. The group has been told, and the fund administrator will check it is eligible.",
    decline: "Proposal declined. The group has been told your reason.",
    hand_to_group: "The group has been told the proposal is ready for them.",
  },
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.proposal ? `${data.proposal.reference} ${data.proposal.title}` : copy.title} – Community Grant Decisions` },
];

/** The proposal, if this lead organisation may see it: 404 when there is none, 403 when it is another area's. */
async function loadForLeadOrg(user: Actor, proposalId: string) {
  const db = getDb();
  const proposal = await getProposalSummaryForLeadOrg(db, user, proposalId);
  if (!proposal) {
    if (await proposalExists(db, proposalId)) throw forbidden(copy.otherArea);
    throw notFound(copy.notFound);
  }
  const facts = await proposalFacts(
    db,
    {
      id: proposal.id,
      status: proposal.status,
      organisation_id: proposal.organisation_id,
      decision_group_id: proposal.decisionGroupId,
      prepared_by_organisation_id: proposal.prepared_by_organisation_id,
      submitted_at: proposal.submitted_at,
    },
    user,
  );
  return { proposal, facts };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "lead.queue");
  const { proposal, facts } = await loadForLeadOrg(user, params.proposalId ?? "");
  const [messages, group] = await Promise.all([listMessages(getDb(), proposal.id), communityGroupResourceForProposal(getDb(), proposal.id)]);
  // The group's members and the invitation form, when this lead organisation may bring people into the group.
  const canInvite = Boolean(group) && can(user, "group_member.invite", group);
  const memberNames = canInvite && group ? (await listGroupMembers(getDb(), group.id)).members.map((m) => m.name) : [];
  return json({
    proposal,
    messages,
    canInvite,
    memberNames,
    // The three decisions are for a submitted proposal (the state machine); who may take them is the policy's.
    canDecide: can(user, "proposal.lead_decide", facts) && proposal.status === "submitted",
    canHandOver: can(user, "proposal.hand_to_group", facts),
  });
}

type ActionData = FormActionData & { done?: string; intent?: string };

export async function action({ request, params }: ActionFunctionArgs): Promise<TypedResponse<ActionData>> {
  const user = await requirePermission(request, "lead.queue");
  const form = await readVerifiedForm(request);
  const { proposal, facts } = await loadForLeadOrg(user, params.proposalId ?? "");
  const intent = typeof form.get("intent") === "string" ? String(form.get("intent")) : undefined;
  if (intent === "invite_member") {
    const group = await communityGroupResourceForProposal(getDb(), proposal.id);
    if (!group || !can(user, "group_member.invite", group)) throw forbidden(copy.otherArea);
    return submitForm(
      form,
      GroupInviteSchema,
      async (data) => {
        await inviteToGroup(getDb(), user, group.id, { name: data.inviteName, email: data.inviteEmail, submission: data.submission });
        return json({ done: copy.invited(data.inviteEmail) });
      },
      { extra: { intent } },
    );
  }
  return submitForm(
    form,
    LeadDecisionSchema,
    async (data) => {
      if (data.intent === "hand_to_group") {
        if (!isPreparingLead(user, facts)) throw forbidden(copy.notPrepared);
        await handToGroup(getDb(), user, proposal.id, data.handNote);
      } else {
        // The service checks this too; here it is a 403, not a form error.
        if (!can(user, "proposal.lead_decide", facts)) throw forbidden(copy.otherArea);
        const text = data.intent === "request_changes" ? data.note : data.intent === "support" ? data.statement : data.reason;
        await leadOrganisationDecision(getDb(), user, proposal.id, data.intent, text);
      }
      return json({ done: copy.done[data.intent] });
    },
    { extra: { intent } },
  );
}

function DecisionForm({
  intent,
  field,
  text,
  values,
  errors,
}: {
  intent: "request_changes" | "support" | "decline";
  field: "note" | "statement" | "reason";
  text: { heading: string; label: string; hint: string; button: string };
  values?: Record<string, string>;
  errors?: Record<string, string>;
}) {
  return (
    <Form method="post" className="mb-8 border-2 border-slate-300 p-4">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <h3 className="mt-0">{text.heading}</h3>
      <TextareaField
        name={field}
        label={text.label}
        hint={text.hint}
        error={errors?.[field]}
        defaultValue={values?.intent === intent ? values?.[field] : undefined}
        rows={5}
      />
      <button type="submit" className={intent === "decline" ? "btn-warning" : intent === "support" ? "btn" : "btn-secondary"}>
        {text.button}
      </button>
    </Form>
  );
}

export default function LeadProposal() {
  const { proposal, messages, canDecide, canHandOver, canInvite, memberNames } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values: Record<string, string> | undefined = actionData?.values
    ? { ...actionData.values, intent: actionData.intent ?? actionData.values.intent ?? "" }
    : undefined;
  return (
    <div className="max-w-3xl">
      <ProposalActionHeader
        proposal={proposal}
        back={{ to: "/lead", label: copy.back }}
        untitled={copy.title}
        readAll={copy.readAll}
        errors={actionData?.errors}
        done={actionData?.done}
      />

      {canDecide ? (
        <section aria-labelledby="decide-title">
          <h2 id="decide-title">{copy.decide}</h2>
          <p>{copy.decideHint}</p>
          <DecisionForm intent="support" field="statement" text={copy.support} values={values} errors={actionData?.errors} />
          <DecisionForm intent="request_changes" field="note" text={copy.requestChanges} values={values} errors={actionData?.errors} />
          <DecisionForm intent="decline" field="reason" text={copy.decline} values={values} errors={actionData?.errors} />
        </section>
      ) : proposal.status !== "draft" ? (
        <p className="panel">{copy.notReady(STATUS_LABELS[proposal.status])}</p>
      ) : null}

      {canHandOver ? (
        <Form method="post" className="mb-8 border-2 border-slate-300 p-4">
          <CsrfInput />
          <input type="hidden" name="intent" value="hand_to_group" />
          <h2 className="mt-0">{copy.hand.heading}</h2>
          <p>{copy.hand.intro}</p>
          <TextareaField name="handNote" label={copy.hand.label} error={actionData?.errors?.handNote} defaultValue={values?.handNote} rows={4} />
          <button type="submit" className="btn">
            {copy.hand.button}
          </button>
        </Form>
      ) : null}

      {canInvite ? (
        <section aria-labelledby="invite-title" className="mb-8 border-2 border-slate-300 p-4">
          <h2 id="invite-title" className="mt-0">
            {copy.invite(proposal.communityGroupName)}
          </h2>
          <p>{memberNames.length ? copy.memberCount(proposal.communityGroupName, memberNames.join(", ")) : copy.noMembers(proposal.communityGroupName)}</p>
          <p>{copy.inviteIntro}</p>
          <Form method="post" noValidate key={actionData?.intent === "invite_member" && !actionData.errors ? actionData.done : "invite"}>
            <CsrfInput />
            <input type="hidden" name="intent" value="invite_member" />
            <TextField
              name="inviteName"
              label={copy.inviteName}
              autoComplete="off"
              defaultValue={values?.intent === "invite_member" ? values.inviteName : undefined}
              error={actionData?.errors?.inviteName}
            />
            <TextField
              name="inviteEmail"
              label={copy.inviteEmail}
              type="email"
              spellCheck={false}
              autoComplete="off"
              defaultValue={values?.intent === "invite_member" ? values.inviteEmail : undefined}
              error={actionData?.errors?.inviteEmail}
            />
            <button type="submit" className="btn-secondary">
              {copy.sendInvite}
            </button>
          </Form>
        </section>
      ) : null}

      <ProposalMessages messages={messages} title={copy.messages} />
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

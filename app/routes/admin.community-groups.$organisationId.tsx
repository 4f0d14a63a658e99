import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { GroupInviteSchema } from "~/domain/forms/group-membership";
import { formatDate } from "~/domain/phases";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { getCommunityGroup, listPendingJoinRequests, listProposalsOfGroup } from "~/models/community-group.server";
import { listGroupMembers } from "~/models/organisation.server";
import { inviteToGroup } from "~/services/group-membership.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  back: "All community groups",
  portalId: "Portal id",
  portalIdHint: "Put this in the import file's community_group_identifier column to add proposals to this group, whatever name the spreadsheet uses.",
  registrationNumber: "Charity or company number",
  postcode: "Postcode",
  contact: "Contact",
  recorded: (who: string, when: string) => `Recorded by ${who} on ${when}`,
  recordedOn: (when: string) => `Recorded on ${when}`,
  members: "Members",
  membersCaption: "People in this group",
  noMembers: "No one in this group has an account yet. Invite someone below: they will be its first member.",
  columns: ["Name", "Email"],
  pending: "Invitations waiting",
  pendingCaption: "Invitations not yet accepted",
  pendingColumns: ["Name", "Email", "Link expires"],
  requests: "Requests to join, waiting",
  requestsCaption: "Requests to join this group",
  requestColumns: ["Person", "Asked on", "Action"],
  answer: "Answer",
  proposals: "Proposals",
  proposalsCaption: "This group's proposals, newest first",
  proposalColumns: ["Reference", "Title", "Decision group", "Status"],
  noProposals: "No proposals yet.",
  untitled: "Untitled draft",
  invite: "Invite someone to this group",
  inviteIntro:
    "They get an email with a link to join the group, valid for 7 days. Someone new creates an account; someone who already has an account enters their password and the group is added to it.",
  inviteName: "Their full name",
  inviteEmail: "Their email address",
  send: "Send invitation",
  invited: (email: string) => `Invitation sent to ${email}.`,
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.group.name ?? "Community group"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const db = getDb();
  const group = await getCommunityGroup(db, params.organisationId ?? "");
  if (!group) throw notFound("We could not find that community group.");
  const [people, proposals, requests] = await Promise.all([
    listGroupMembers(db, group.id),
    listProposalsOfGroup(db, group.id),
    listPendingJoinRequests(db, { organisationId: group.id }),
  ]);
  return json({
    group,
    ...people,
    proposals: proposals.map((p) => ({ ...p, statusLabel: STATUS_LABELS[p.status] })),
    requests: requests.map((r) => ({ id: r.id, name: r.requesterName, email: r.requesterEmail, createdAt: r.created_at })),
  });
}

type ActionData = FormActionData & { invitedTo?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "fund.manage");
  const form = await readVerifiedForm(request);
  const group = await getCommunityGroup(getDb(), params.organisationId ?? "");
  if (!group) throw notFound("We could not find that community group.");
  return submitForm(form, GroupInviteSchema, async (data) => {
    // The service asks can("group_member.invite") on the group's facts, in its transaction.
    await inviteToGroup(getDb(), admin, group.id, { name: data.inviteName, email: data.inviteEmail, submission: data.submission });
    return json<ActionData>({ invitedTo: data.inviteEmail });
  });
}

export default function CommunityGroup() {
  const { group, members, invitations, proposals, requests } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const values = actionData?.invitedTo ? {} : (actionData?.values ?? {});
  const errors = actionData?.errors;
  return (
    <div className="max-w-4xl">
      <ErrorSummary errors={errors} />
      {actionData?.invitedTo ? (
        <p role="status" className="panel font-semibold">
          {copy.invited(actionData.invitedTo)}
        </p>
      ) : null}
      <p>
        <Link to="/admin/community-groups">{copy.back}</Link>
      </p>
      <h1>{group.name}</h1>
      <dl className="mb-6 grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold">{copy.portalId}</dt>
        <dd>
          <code className="break-all">{group.id}</code>
          <span className="block text-sm text-slate-700">{copy.portalIdHint}</span>
        </dd>
        {group.registration_number || group.charity_number || group.company_number ? (
          <>
            <dt className="font-semibold">{copy.registrationNumber}</dt>
            <dd>{[group.registration_number, group.charity_number, group.company_number].filter(Boolean).join(", ")}</dd>
          </>
        ) : null}
        {group.postcode ? (
          <>
            <dt className="font-semibold">{copy.postcode}</dt>
            <dd>{group.postcode}</dd>
          </>
        ) : null}
        {group.contact_name || group.contact_email ? (
          <>
            <dt className="font-semibold">{copy.contact}</dt>
            <dd className="break-all">{[group.contact_name, group.contact_email].filter(Boolean).join(", ")}</dd>
          </>
        ) : null}
      </dl>
      <p>{group.createdByName ? copy.recorded(group.createdByName, formatDate(group.created_at)) : copy.recordedOn(formatDate(group.created_at))}</p>

      <h2>{copy.members}</h2>
      {members.length ? (
        <DataTable caption={copy.membersCaption} columns={copy.columns}>
          {members.map((m) => (
            <tr key={m.id}>
              <td>{m.name}</td>
              <td className="break-all">{m.email}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>{copy.noMembers}</p>
      )}

      {invitations.length ? (
        <>
          <h3>{copy.pending}</h3>
          <DataTable caption={copy.pendingCaption} columns={copy.pendingColumns}>
            {invitations.map((i) => (
              <tr key={i.id}>
                <td>{i.name}</td>
                <td className="break-all">{i.email}</td>
                <td>{formatDate(i.expires_at)}</td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}

      {requests.length ? (
        <>
          <h3>{copy.requests}</h3>
          <DataTable caption={copy.requestsCaption} columns={copy.requestColumns}>
            {requests.map((r) => (
              <tr key={r.id}>
                <td>
                  {r.name}
                  <br />
                  <span className="break-all">{r.email}</span>
                </td>
                <td>{formatDate(r.createdAt)}</td>
                <td>
                  <Link to={`/join-requests/${r.id}`}>
                    {copy.answer}
                    <span className="sr-only"> {r.name}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}

      <h2 id="invite">{copy.invite}</h2>
      <p className="max-w-3xl">{copy.inviteIntro}</p>
      <Form method="post" noValidate className="max-w-xl" key={actionData?.invitedTo ?? "invite"}>
        <CsrfInput />
        <TextField name="inviteName" label={copy.inviteName} autoComplete="off" defaultValue={values.inviteName} error={errors?.inviteName} />
        <TextField
          name="inviteEmail"
          label={copy.inviteEmail}
          type="email"
          spellCheck={false}
          autoComplete="off"
          defaultValue={values.inviteEmail}
          error={errors?.inviteEmail}
        />
        <button type="submit" className="btn">
          {copy.send}
        </button>
      </Form>

      <h2>{copy.proposals}</h2>
      {proposals.length ? (
        <DataTable caption={copy.proposalsCaption} columns={copy.proposalColumns}>
          {proposals.map((p) => (
            <tr key={p.id}>
              <td className="whitespace-nowrap">
                <Link to={`/admin/proposals/${p.id}`}>{p.reference}</Link>
              </td>
              <td>{p.title || copy.untitled}</td>
              <td>{p.decisionGroupName}</td>
              <td>{p.statusLabel}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>{copy.noProposals}</p>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

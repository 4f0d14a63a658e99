import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { TeamIdeasTable } from "~/components/team-ideas-table";
import { TeamHeader } from "~/components/team-nav";
import { AddForm } from "~/components/ui/add-form";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { Pagination } from "~/components/ui/pagination";
import { ideaListItem, teamHeading } from "~/domain/community-teams";
import { AddTeamMemberSchema } from "~/domain/forms/community-teams";
import { formatDate } from "~/domain/phases";
import { getTeam, listTeamIdeas } from "~/models/community-team.server";
import { listGroupMembers } from "~/models/organisation.server";
import { inviteToGroup } from "~/services/group-membership.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";
import { pageFrom } from "~/utils/pagination";

const PAGE_SIZE = 20;

const copy = {
  back: "All the fund's teams",
  members: "Members",
  membersCaption: "The team's members",
  columns: ["Name", "Email"],
  noMembers: "No members yet. Invite the team's residents below.",
  pending: "Invitations waiting",
  pendingCaption: "Invitations not yet accepted",
  pendingColumns: ["Name", "Email", "Link expires"],
  invite: "Add a member",
  inviteIntro:
    "They get an email with a link to join the team, valid for 7 days. Someone new creates an account; someone who already has one enters their password and the team is added to it. Members can end their membership like any other role.",
  inviteName: "Their full name",
  inviteEmail: "Their email address",
  send: "Send invitation",
  invited: (email: string) => `Invitation sent to ${email}.`,
  ideas: "Where the team's ideas got to",
  noIdeas: "No ideas yet.",
  group: "The team's community group on the portal",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.heading.team.name ?? "Community team"} – Community Grant Decisions` }];

async function teamForAdmin(request: Request, teamId: string | undefined) {
  const admin = await requirePermission(request, "community_team.manage");
  const team = await getTeam(getDb(), teamId ?? "");
  if (!team) throw notFound("We could not find that community team.");
  return { admin, team };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { team } = await teamForAdmin(request, params.teamId);
  const db = getDb();
  const page = pageFrom(new URL(request.url));
  const [people, ideas] = await Promise.all([listGroupMembers(db, team.organisationId), listTeamIdeas(db, team.id, page, PAGE_SIZE)]);
  return json({
    heading: teamHeading(team, new Date().toISOString().slice(0, 10), formatDate),
    fundId: team.fundId,
    organisationId: team.organisationId,
    members: people.members,
    invitations: people.invitations.map((i) => ({ id: i.id, name: i.name, email: i.email, expires: formatDate(i.expires_at) })),
    page,
    total: ideas.total,
    ideas: ideas.rows.map((i) => ideaListItem(i, (id) => `/admin/proposals/${id}`)),
  });
}

type ActionData = FormActionData & { invitedTo?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { admin, team } = await teamForAdmin(request, params.teamId);
  return submitForm(form, AddTeamMemberSchema, async (data) => {
    // The group's invitation: the service asks can("group_member.invite") on the team's group, in its transaction.
    await inviteToGroup(getDb(), admin, team.organisationId, { name: data.inviteName, email: data.inviteEmail, submission: data.submission });
    return json<ActionData>({ invitedTo: data.inviteEmail });
  });
}

export default function AdminTeam() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const location = useLocation();
  const errors = actionData?.errors;
  const values = actionData?.invitedTo ? {} : (actionData?.values ?? {});
  const { team, term } = data.heading;
  return (
    <div className="max-w-4xl">
      <p>
        <Link to={`/admin/funds/${data.fundId}/teams`}>{copy.back}</Link>
      </p>
      <ErrorSummary errors={errors} />
      {actionData?.invitedTo ? (
        <p role="status" className="panel font-semibold">
          {copy.invited(actionData.invitedTo)}
        </p>
      ) : null}
      <TeamHeader team={team} term={term} />
      <p>
        <Link to={`/admin/community-groups/${data.organisationId}`}>{copy.group}</Link>
      </p>

      <h2>{copy.members}</h2>
      {data.members.length ? (
        <DataTable caption={copy.membersCaption} columns={copy.columns}>
          {data.members.map((m) => (
            <tr key={m.id}>
              <td>{m.name}</td>
              <td className="break-all">{m.email}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>{copy.noMembers}</p>
      )}
      {data.invitations.length ? (
        <>
          <h3 className="mt-6">{copy.pending}</h3>
          <DataTable caption={copy.pendingCaption} columns={copy.pendingColumns}>
            {data.invitations.map((i) => (
              <tr key={i.id}>
                <td>{i.name}</td>
                <td className="break-all">{i.email}</td>
                <td>{i.expires}</td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}
      <h3 className="mt-6">{copy.invite}</h3>
      <p>{copy.inviteIntro}</p>
      <AddForm method="post" noValidate>
        <CsrfInput />
        <TextField name="inviteName" label={copy.inviteName} defaultValue={values.inviteName} error={errors?.inviteName} autoComplete="off" />
        <TextField name="inviteEmail" label={copy.inviteEmail} type="email" defaultValue={values.inviteEmail} error={errors?.inviteEmail} autoComplete="off" />
        <button type="submit" className="btn">
          {copy.send}
        </button>
      </AddForm>

      <h2 className="mt-8">{copy.ideas}</h2>
      {data.ideas.length === 0 ? <p>{copy.noIdeas}</p> : <TeamIdeasTable teamId={team.id} ideas={data.ideas} />}
      <Pagination page={data.page} pageSize={PAGE_SIZE} total={data.total} search={location.search} />
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

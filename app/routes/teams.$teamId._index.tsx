import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { requireTeamAccess, submitTeamForm } from "~/auth/team-guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { TeamIdeasTable } from "~/components/team-ideas-table";
import { TeamPage } from "~/components/team-nav";
import { AddForm } from "~/components/ui/add-form";
import { CsrfInput } from "~/components/ui/csrf-input";
import { TextField } from "~/components/ui/field";
import { Pagination } from "~/components/ui/pagination";
import { TextareaField } from "~/components/ui/textarea-field";
import { ideaListItem, teamHeading } from "~/domain/community-teams";
import { TeamIdeaSchema } from "~/domain/forms/community-teams";
import { can } from "~/domain/permissions";
import { formatDate } from "~/domain/phases";
import { listTeamIdeas } from "~/models/community-team.server";
import { recordIdea } from "~/services/community-teams.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { pageFrom } from "~/utils/pagination";

const PAGE_SIZE = 20;

const copy = {
  ideas: "Ideas and where they got to",
  ideasIntro: "Each idea starts as an idea. Move it to developing while you work on it with people. When it is ready, turn it into a proposal.",
  none: "No ideas yet. Add the first one below.",
  add: "Add an idea",
  title: "Title of the idea",
  summary: "What is the idea?",
  summaryHint: "Say what it is and who it is for, in a few sentences.",
  area: "Area",
  areaHint: "The estate, street or town it is for.",
  save: "Add idea",
  added: "Idea added.",
  adminLink: "Manage this team",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.heading.team.name ?? "Community team"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, team } = await requireTeamAccess(request, params.teamId);
  const page = pageFrom(new URL(request.url));
  const ideas = await listTeamIdeas(getDb(), team.id, page, PAGE_SIZE);
  return json({
    heading: teamHeading(team, new Date().toISOString().slice(0, 10), formatDate),
    isAdmin: can(user, "community_team.manage"),
    page,
    total: ideas.total,
    ideas: ideas.rows.map((i) => ideaListItem(i, (id) => `/proposals/${id}`)),
  });
}

export const action = (args: ActionFunctionArgs) => submitTeamForm(args, TeamIdeaSchema, recordIdea, "");

export default function TeamIdeas() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const location = useLocation();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  return (
    <TeamPage heading={data.heading} errors={errors} added={copy.added}>
      {data.isAdmin ? (
        <p>
          <Link to={`/admin/teams/${data.heading.team.id}`}>{copy.adminLink}</Link>
        </p>
      ) : null}
      <h2>{copy.ideas}</h2>
      <p>{copy.ideasIntro}</p>
      {data.ideas.length === 0 ? <p>{copy.none}</p> : <TeamIdeasTable teamId={data.heading.team.id} ideas={data.ideas} />}
      <Pagination page={data.page} pageSize={PAGE_SIZE} total={data.total} search={location.search} />
      <h2 className="mt-8">{copy.add}</h2>
      <AddForm method="post" noValidate>
        <CsrfInput />
        <TextField name="title" label={copy.title} defaultValue={values.title} error={errors?.title} />
        <TextareaField name="summary" label={copy.summary} hint={copy.summaryHint} defaultValue={values.summary} error={errors?.summary} rows={4} />
        <TextField name="area" label={copy.area} hint={copy.areaHint} defaultValue={values.area} error={errors?.area} />
        <button type="submit" className="btn">
          {copy.save}
        </button>
      </AddForm>
    </TeamPage>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

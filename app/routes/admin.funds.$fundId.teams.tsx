import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundAdminNav } from "~/components/fund-admin-nav";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { Pagination } from "~/components/ui/pagination";
import { StatusTag } from "~/components/ui/status-tag";
import { teamHeading } from "~/domain/community-teams";
import { NewTeamSchema } from "~/domain/forms/community-teams";
import { formatDate } from "~/domain/phases";
import { listTeamsOfFund } from "~/models/community-team.server";
import { getFund } from "~/models/fund.server";
import { createTeam } from "~/services/community-teams.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";
import { pageFrom } from "~/utils/pagination";

const PAGE_SIZE = 25;

const copy = {
  title: "Community teams",
  intro:
    "Teams of paid residents who develop ideas with their neighbours and turn them into proposals. Each team has an area and a paid term. Its members sign in and record the team's ideas, the people they engaged and the support they had.",
  caption: "The fund's community teams",
  columns: ["Team", "Area", "Paid term", "Members", "Ideas"],
  none: "This fund has no community teams yet.",
  add: "Set up a team",
  name: "Team name",
  area: "Area",
  areaHint: "The town, estate or neighbourhood the team works in.",
  termStartsOn: "First day of the paid term",
  termEndsOn: "Last day of the paid term",
  dateHint: "For example, 2027-04-01",
  save: "Set up team",
  publicPage: "See the teams' public page",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "community_team.manage");
  const db = getDb();
  const fund = await getFund(db, params.fundId ?? "");
  if (!fund) throw notFound();
  const page = pageFrom(new URL(request.url));
  const teams = await listTeamsOfFund(db, fund.id, page, PAGE_SIZE);
  const today = new Date().toISOString().slice(0, 10);
  return json({
    fund: { id: fund.id, name: fund.name },
    page,
    total: teams.total,
    teams: teams.rows.map((t) => ({ ...teamHeading({ ...t, fundName: fund.name }, today, formatDate), memberCount: t.memberCount, ideaCount: t.ideaCount })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "community_team.manage");
  const form = await readVerifiedForm(request);
  const fundId = params.fundId ?? "";
  return submitForm(form, NewTeamSchema, async (data) => {
    const teamId = await createTeam(getDb(), admin, fundId, data, data.submission);
    return redirect(`/admin/teams/${teamId}`, 303);
  });
}

export default function AdminFundTeams() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const location = useLocation();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  return (
    <div className="max-w-4xl">
      <FundAdminNav fundId={data.fund.id} fundName={data.fund.name} />
      <ErrorSummary errors={errors} />
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <p>
        <Link to={`/funds/${data.fund.id}/teams`}>{copy.publicPage}</Link>
      </p>
      {data.teams.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <DataTable caption={copy.caption} columns={copy.columns}>
          {data.teams.map(({ team, term, memberCount, ideaCount }) => (
            <tr key={team.id}>
              <td>
                <Link to={`/admin/teams/${team.id}`}>{team.name}</Link>
              </td>
              <td>{team.area}</td>
              <td>
                {term.from} to {term.to} <StatusTag tone={term.tone}>{term.label}</StatusTag>
              </td>
              <td>{memberCount}</td>
              <td>{ideaCount}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pagination page={data.page} pageSize={PAGE_SIZE} total={data.total} search={location.search} />
      <h2 className="mt-8">{copy.add}</h2>
      <Form method="post" noValidate>
        <CsrfInput />
        <TextField name="name" label={copy.name} defaultValue={values.name} error={errors?.name} />
        <TextField name="area" label={copy.area} hint={copy.areaHint} defaultValue={values.area} error={errors?.area} />
        <TextField
          name="termStartsOn"
          label={copy.termStartsOn}
          hint={copy.dateHint}
          type="date"
          defaultValue={values.termStartsOn}
          error={errors?.termStartsOn}
          className="max-w-[20ch]"
        />
        <TextField
          name="termEndsOn"
          label={copy.termEndsOn}
          hint={copy.dateHint}
          type="date"
          defaultValue={values.termEndsOn}
          error={errors?.termEndsOn}
          className="max-w-[20ch]"
        />
        <button type="submit" className="btn">
          {copy.save}
        </button>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

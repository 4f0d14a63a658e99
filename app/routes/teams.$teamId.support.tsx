import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { requireTeamAccess, submitTeamForm } from "~/auth/team-guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { TeamPage } from "~/components/team-nav";
import { AddForm } from "~/components/ui/add-form";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { RadioGroup, TextField } from "~/components/ui/field";
import { Pagination } from "~/components/ui/pagination";
import { TextareaField } from "~/components/ui/textarea-field";
import { formatMinutes } from "~/domain/award";
import { TEAM_SUPPORT_KIND_LABELS, teamHeading } from "~/domain/community-teams";
import { TeamSupportSchema } from "~/domain/forms/support";
import { formatDate } from "~/domain/phases";
import { listTeamSupport } from "~/models/community-team.server";
import { logTeamSupport } from "~/services/community-teams.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { pageFrom } from "~/utils/pagination";

const PAGE_SIZE = 25;

const copy = {
  title: "Mentoring and training",
  intro: "The support the team had: mentoring, training and anything else that helped, with the time it took.",
  total: (time: string) => `Time in total: ${time}.`,
  caption: "Support the team had, newest first",
  columns: ["Date", "Kind", "Time", "Given by", "Notes"],
  none: "No support recorded yet.",
  add: "Record support",
  givenOn: "Date",
  givenOnHint: "For example, 2027-03-14",
  kind: "Kind of support",
  hours: "Time, in hours",
  hoursHint: "For example, 1.5 for an hour and a half.",
  givenBy: "Who gave it",
  givenByHint: "The organisation, or the mentor or trainer.",
  notes: "What it covered",
  save: "Record support",
  added: "Support recorded.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { team } = await requireTeamAccess(request, params.teamId);
  const page = pageFrom(new URL(request.url));
  const support = await listTeamSupport(getDb(), team.id, page, PAGE_SIZE);
  return json({
    heading: teamHeading(team, new Date().toISOString().slice(0, 10), formatDate),
    page,
    total: support.total,
    totalTime: formatMinutes(support.totalMinutes),
    rows: support.rows.map((r) => ({ ...r, givenOn: formatDate(r.givenOn), kind: TEAM_SUPPORT_KIND_LABELS[r.kind], time: formatMinutes(r.minutes) })),
  });
}

export const action = (args: ActionFunctionArgs) => submitTeamForm(args, TeamSupportSchema, logTeamSupport, "/support");

export default function TeamSupport() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const location = useLocation();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  return (
    <TeamPage heading={data.heading} errors={errors} added={copy.added}>
      <h2>{copy.title}</h2>
      <p>{copy.intro}</p>
      {data.total === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <>
          <p>{copy.total(data.totalTime)}</p>
          <DataTable caption={copy.caption} columns={copy.columns}>
            {data.rows.map((r) => (
              <tr key={r.id}>
                <td className="whitespace-nowrap">{r.givenOn}</td>
                <td>{r.kind}</td>
                <td className="whitespace-nowrap">{r.time}</td>
                <td>{r.givenBy}</td>
                <td className="whitespace-pre-line">{r.notes}</td>
              </tr>
            ))}
          </DataTable>
          <Pagination page={data.page} pageSize={PAGE_SIZE} total={data.total} search={location.search} />
        </>
      )}
      <h2 className="mt-8">{copy.add}</h2>
      <AddForm method="post" noValidate>
        <CsrfInput />
        <TextField
          name="givenOn"
          label={copy.givenOn}
          hint={copy.givenOnHint}
          type="date"
          defaultValue={values.givenOn}
          error={errors?.givenOn}
          className="max-w-[20ch]"
        />
        <RadioGroup
          name="kind"
          label={copy.kind}
          defaultValue={values.kind}
          error={errors?.kind}
          options={Object.entries(TEAM_SUPPORT_KIND_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <TextField
          name="hours"
          label={copy.hours}
          hint={copy.hoursHint}
          inputMode="decimal"
          defaultValue={values.hours}
          error={errors?.hours}
          className="max-w-[10ch]"
        />
        <TextField name="givenBy" label={copy.givenBy} hint={copy.givenByHint} defaultValue={values.givenBy} error={errors?.givenBy} />
        <TextareaField name="notes" label={copy.notes} defaultValue={values.notes} error={errors?.notes} rows={3} />
        <button type="submit" className="btn">
          {copy.save}
        </button>
      </AddForm>
    </TeamPage>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

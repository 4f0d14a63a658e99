import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { requireTeamAccess, submitTeamForm } from "~/auth/team-guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { TeamPage } from "~/components/team-nav";
import { AddForm } from "~/components/ui/add-form";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { TextField } from "~/components/ui/field";
import { Pagination } from "~/components/ui/pagination";
import { teamHeading, totalPeople } from "~/domain/community-teams";
import { EngagementSchema } from "~/domain/forms/community-teams";
import { formatDate } from "~/domain/phases";
import { listEngagement } from "~/models/community-team.server";
import { recordEngagement } from "~/services/community-teams.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { pageFrom } from "~/utils/pagination";

const PAGE_SIZE = 25;

const copy = {
  title: "People engaged",
  intro:
    "Record how many people the team talked to or worked with: where, when and how. Write numbers only. Do not write anyone's name, email or phone number.",
  byArea: "People engaged by area",
  byAreaCaption: "People engaged in each area, all dates",
  byAreaColumns: ["Area", "People"],
  total: (n: number) => `${n.toLocaleString("en-GB")} people engaged in all.`,
  caption: "Each record, newest first",
  columns: ["Date", "Area", "Activity", "People"],
  none: "Nothing recorded yet.",
  add: "Record people engaged",
  engagedOn: "Date",
  engagedOnHint: "For example, 2027-05-14",
  area: "Area",
  areaHint: "The estate, street or town.",
  activity: "Activity",
  activityHint: "For example: door knocking, a stall at the fun day, a coffee morning.",
  peopleCount: "How many people",
  peopleCountHint: "A whole number, like 12.",
  save: "Record",
  added: "Recorded.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { team } = await requireTeamAccess(request, params.teamId);
  const page = pageFrom(new URL(request.url));
  const engagement = await listEngagement(getDb(), team.id, page, PAGE_SIZE);
  return json({
    heading: teamHeading(team, new Date().toISOString().slice(0, 10), formatDate),
    page,
    total: engagement.total,
    rows: engagement.rows.map((r) => ({ ...r, engagedOn: formatDate(r.engagedOn) })),
    byArea: engagement.byArea,
    people: totalPeople(engagement.byArea.map((a) => ({ peopleCount: a.people }))),
  });
}

export const action = (args: ActionFunctionArgs) => submitTeamForm(args, EngagementSchema, recordEngagement, "/engagement");

export default function TeamEngagement() {
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
          <h3>{copy.byArea}</h3>
          <p>{copy.total(data.people)}</p>
          <DataTable caption={copy.byAreaCaption} columns={copy.byAreaColumns}>
            {data.byArea.map((a) => (
              <tr key={a.area}>
                <td>{a.area}</td>
                <td>{a.people.toLocaleString("en-GB")}</td>
              </tr>
            ))}
          </DataTable>
          <h3 className="mt-6">{copy.caption}</h3>
          <DataTable caption={copy.caption} columns={copy.columns}>
            {data.rows.map((r) => (
              <tr key={r.id}>
                <td className="whitespace-nowrap">{r.engagedOn}</td>
                <td>{r.area}</td>
                <td>{r.activity}</td>
                <td>{r.peopleCount.toLocaleString("en-GB")}</td>
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
          name="engagedOn"
          label={copy.engagedOn}
          hint={copy.engagedOnHint}
          type="date"
          defaultValue={values.engagedOn}
          error={errors?.engagedOn}
          className="max-w-[20ch]"
        />
        <TextField name="area" label={copy.area} hint={copy.areaHint} defaultValue={values.area} error={errors?.area} />
        <TextField name="activity" label={copy.activity} hint={copy.activityHint} defaultValue={values.activity} error={errors?.activity} />
        <TextField
          name="peopleCount"
          label={copy.peopleCount}
          hint={copy.peopleCountHint}
          inputMode="numeric"
          defaultValue={values.peopleCount}
          error={errors?.peopleCount}
          className="max-w-[10ch]"
        />
        <button type="submit" className="btn">
          {copy.save}
        </button>
      </AddForm>
    </TeamPage>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireOpenedBallotWork } from "~/auth/paper-ballot-guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PaperBallotHeading } from "~/components/paper-ballot-heading";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { TextField } from "~/components/ui/field";
import { VenueSchema } from "~/domain/forms/paper-ballots";
import { listVenues } from "~/models/paper-ballots.server";
import { saveVenue } from "~/services/paper-ballots.server";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "Venues and papers handed out",
  intro:
    "A venue hands out printed voter codes with paper ballots and collects the papers. Record how many papers each venue handed out and how many came back: the paper ballots page checks them against the papers keyed.",
  back: "Paper ballots",
  add: "Add a venue",
  name: "Venue name",
  postcode: "Venue postcode (optional)",
  postcodeHint: "Used in the participation report for paper voters who gave no postcode.",
  issued: "Papers handed out",
  returned: "Papers handed back",
  save: "Save",
  addButton: "Add the venue",
  none: "No venues yet.",
  columns: ["Venue", "Postcode", "Handed out", "Handed back", ""],
  change: "Change",
  changeHeading: (name: string) => `Change ${name}`,
  done: { saved: "The venue is saved." } as Record<string, string>,
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title}: ${data?.fund.name ?? "Fund"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, fund, ballot } = await requireOpenedBallotWork(request, params.fundId);
  const url = new URL(request.url);
  const done = url.searchParams.get("done") ?? "";
  const venues = await listVenues(db, ballot.id);
  // One form on the page at a time (its fields' ids are their names): a venue's, chosen by ?venue=, or a new one's.
  const editing = venues.find((v) => v.id === url.searchParams.get("venue")) ?? null;
  return json({ fund, venues, editing, done: copy.done[done] ? done : null });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { db, user, fund } = await requireOpenedBallotWork(request, params.fundId);
  return submitForm(form, VenueSchema, async (data) => {
    await saveVenue(db, user, fund.id, data, data.venueId || null);
    return redirect(`/admin/funds/${fund.id}/ballot/paper/venues?done=saved`);
  });
}

export default function Venues() {
  const { fund, venues, editing, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {
    name: editing?.name ?? "",
    postcode: editing?.postcode ?? "",
    issued: editing ? String(editing.issued) : "",
    returned: editing ? String(editing.returned) : "",
  };
  const base = `/admin/funds/${fund.id}/ballot/paper`;
  return (
    <div className="max-w-3xl">
      <PaperBallotHeading
        fundId={fund.id}
        fundName={fund.name}
        title={copy.title}
        back={copy.back}
        errors={errors}
        status={done && !actionData ? copy.done[done] : null}
      />
      <p>{copy.intro}</p>
      {venues.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <DataTable caption={copy.title} columns={copy.columns}>
          {venues.map((v) => (
            <tr key={v.id}>
              <th scope="row" className="text-left">
                {v.name}
              </th>
              <td>{v.postcode ?? "–"}</td>
              <td className="text-right">{v.issued}</td>
              <td className="text-right">{v.returned}</td>
              <td>
                <Link to={`${base}/venues?venue=${v.id}`}>
                  {copy.change}
                  <span className="sr-only"> {v.name}</span>
                </Link>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <h2>{editing ? copy.changeHeading(editing.name) : copy.add}</h2>
      <Form method="post" noValidate key={editing?.id ?? "new"}>
        <CsrfInput />
        {editing ? <input type="hidden" name="venueId" value={editing.id} /> : null}
        <TextField name="name" label={copy.name} defaultValue={values.name} error={errors?.name} />
        <TextField
          name="postcode"
          label={copy.postcode}
          hint={copy.postcodeHint}
          className="max-w-xs"
          defaultValue={values.postcode}
          error={errors?.postcode}
        />
        <TextField name="issued" label={copy.issued} inputMode="numeric" className="max-w-xs" defaultValue={values.issued} error={errors?.issued} />
        <TextField name="returned" label={copy.returned} inputMode="numeric" className="max-w-xs" defaultValue={values.returned} error={errors?.returned} />
        <button type="submit" className="btn">
          {editing ? copy.save : copy.addButton}
        </button>
      </Form>
      {editing ? (
        <p>
          <Link to={`${base}/venues`}>{copy.add}</Link>
        </p>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

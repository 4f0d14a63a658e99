import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup, SelectField, TextField } from "~/components/ui/field";
import { formatUkDateTime } from "~/domain/community-ballot";
import { ScheduleMeetingSchema } from "~/domain/forms/public-meeting";
import { ADMISSION_LABELS, ADMISSIONS } from "~/domain/public-meeting";
import { listMeetingScopes, listPublicMeetings } from "~/models/public-meeting.server";
import { scheduleMeeting } from "~/services/public-meetings.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";
import { forbidden } from "~/utils/http.server";
import { can } from "~/domain/permissions";

const copy = {
  title: "Public meetings",
  intro: "Meetings in public where the people in the room vote from their phones, or by a show of hands.",
  none: "No public meetings yet.",
  schedule: "Schedule a public meeting",
  scope: "For",
  scopeHint: "A meeting for a decision group can be run by that group's chair.",
  name: "Name of the meeting",
  venue: "Where",
  venueHint: "The venue and its address, as people will see it.",
  startsAt: "Starts at (UK time)",
  startsAtHint: "For example 2027-03-01 18:30.",
  admission: "Who can vote",
  submit: "Schedule the meeting",
  whole: "whole fund",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

/** Administrators, and chairs for their own group: anyone else is refused. */
async function requireScopes(request: Request) {
  const user = await requireUser(request);
  const db = getDb();
  const scopes = await listMeetingScopes(db, user);
  if (scopes.length === 0) throw forbidden();
  return { user, db, scopes };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, db, scopes } = await requireScopes(request);
  const meetings = await listPublicMeetings(db, can(user, "fund.manage") ? {} : { groupIds: scopes.map((s) => s.groupId!) });
  return json({
    scopes: scopes.map(({ value, label }) => ({ value, label })),
    meetings: meetings.map((m) => ({ id: m.id, title: m.title, fund: m.fundName, group: m.groupName, venue: m.venue, startsAt: m.starts_at })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, db } = await requireScopes(request);
  return submitForm(form, ScheduleMeetingSchema, async (data) => {
    const id = await scheduleMeeting(db, user, data);
    return redirect(`/public-meetings/${id}`);
  });
}

export default function PublicMeetings() {
  const { scopes, meetings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const kept = actionData?.values;
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      {meetings.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <ul className="mb-8 space-y-2">
          {meetings.map((m) => (
            <li key={m.id}>
              <Link to={`/public-meetings/${m.id}`}>{m.title}</Link> – {m.fund}, {m.group ?? copy.whole}. {m.venue}, {formatUkDateTime(m.startsAt)}
            </li>
          ))}
        </ul>
      )}
      <h2>{copy.schedule}</h2>
      <Form method="post" noValidate>
        <CsrfInput />
        <SelectField name="scope" label={copy.scope} hint={copy.scopeHint} options={scopes} defaultValue={kept?.scope} error={errors?.scope} />
        <TextField name="title" label={copy.name} defaultValue={kept?.title} error={errors?.title} />
        <TextField name="venue" label={copy.venue} hint={copy.venueHint} defaultValue={kept?.venue} error={errors?.venue} />
        <TextField
          name="startsAt"
          type="datetime-local"
          label={copy.startsAt}
          hint={copy.startsAtHint}
          className="max-w-xs"
          defaultValue={kept?.startsAt}
          error={errors?.startsAt}
        />
        <RadioGroup
          name="admission"
          label={copy.admission}
          options={ADMISSIONS.map((a) => ({ value: a, label: ADMISSION_LABELS[a] }))}
          defaultValue={kept?.admission ?? "open"}
          error={errors?.admission}
        />
        <button type="submit" className="btn">
          {copy.submit}
        </button>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

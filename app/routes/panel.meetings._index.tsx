import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { SelectField, TextField } from "~/components/ui/field";
import { DomainError } from "~/domain/errors";
import { OpenMeetingSchema } from "~/domain/forms/meeting";
import { can, meetingScope } from "~/domain/permissions";
import { formatDate } from "~/domain/phases";
import { listDecisionGroups } from "~/models/directory.server";
import { listMeetings } from "~/models/meeting.server";
import { chairIdsOf } from "~/models/membership.server";
import { openMeeting } from "~/services/meetings.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";
import { forbidden } from "~/utils/http.server";
import { DataTable } from "~/components/ui/data-table";

const copy = {
  title: "Panel meetings",
  intro: "At a meeting the panel records who is present, discusses the proposals on the agenda (the most contested first) and votes.",
  noGroup: "You are not yet on a decision group's panel. Ask the fund administrator.",
  none: "No meetings yet.",
  caption: "Meetings, newest first",
  columns: ["Meeting", "Decision group", "Date", "Status"],
  status: { open: "Open", closed: "Closed" } as Record<string, string>,
  open: "Open a meeting",
  openHint: "Only the chair or the fund administrator can open a meeting.",
  publicMeetings: "Public meetings, where the people in the room vote",
  meetingTitle: "Title",
  meetingTitleHint: "For example: Decision meeting 1",
  heldOn: "Date of the meeting",
  heldOnHint: "For example: 2027-03-14",
  group: "Decision group",
  submit: "Open meeting",
  filter: "Show meetings of",
  allGroups: "All decision groups",
  show: "Show",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

/** Who may see the list, and whose meetings (the policy's meetingScope): administrators every group's, a panel member their own group's. */
async function requireMeetingViewer(request: Request) {
  const user = await requireUser(request);
  const scope = meetingScope(user);
  // A panel member not yet on a group's panel sees the page with nothing on it.
  if (scope.kind === "none" && !can(user, "home.panel_member")) throw forbidden();
  return { user, scope };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, scope } = await requireMeetingViewer(request);
  const db = getDb();
  if (scope.kind === "all") {
    const groupFilter = new URL(request.url).searchParams.get("group") ?? "";
    const groups = await listDecisionGroups(db);
    const groupId = groups.some((g) => g.id === groupFilter) ? groupFilter : null;
    return json({
      isAdmin: true,
      hasGroup: true,
      canOpen: true,
      groupId,
      meetings: await listMeetings(db, groupId),
      groups: groups.map((g) => ({ id: g.id, name: `${g.name} (${g.fundName})` })),
    });
  }
  if (scope.kind === "none") return json({ isAdmin: false, hasGroup: false, canOpen: false, groupId: null, meetings: [], groups: [] });
  const [meetings, chairIds] = await Promise.all([listMeetings(db, scope.decisionGroupId), chairIdsOf(db, scope.decisionGroupId)]);
  const canOpen = can(user, "meeting.run", { type: "panel", decisionGroupId: scope.decisionGroupId, chairIds });
  return json({ isAdmin: false, hasGroup: true, canOpen, groupId: scope.decisionGroupId, meetings, groups: [] });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, scope } = await requireMeetingViewer(request);
  return submitForm(form, OpenMeetingSchema, async (data) => {
    // An administrator chooses the group; a chair opens their own group's meetings.
    const groupId = scope.kind === "all" ? data.groupId : scope.kind === "decision_group" ? scope.decisionGroupId : "";
    if (scope.kind === "all" && !groupId) throw new DomainError("Choose the decision group whose panel is meeting", "groupId");
    const db = getDb();
    if (!can(user, "meeting.run", { type: "panel", decisionGroupId: groupId, chairIds: await chairIdsOf(db, groupId) })) throw forbidden();
    const meetingId = await openMeeting(db, user, groupId, data, data.submission);
    return redirect(`/panel/meetings/${meetingId}`);
  });
}

export default function Meetings() {
  const { isAdmin, hasGroup, canOpen, groupId, meetings, groups } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  if (!hasGroup) {
    return (
      <div className="max-w-3xl">
        <h1>{copy.title}</h1>
        <p>{copy.noGroup}</p>
      </div>
    );
  }
  return (
    <div className="max-w-4xl">
      <ErrorSummary errors={errors} />
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      {isAdmin ? (
        <Form method="get" className="mb-6 flex flex-wrap items-end gap-4">
          <div className="min-w-0 flex-1">
            <SelectField
              name="group"
              label={copy.filter}
              defaultValue={groupId ?? ""}
              placeholder={copy.allGroups}
              options={groups.map((g) => ({ value: g.id, label: g.name }))}
            />
          </div>
          <button type="submit" className="btn-secondary mb-6">
            {copy.show}
          </button>
        </Form>
      ) : null}
      {meetings.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <DataTable caption={copy.caption} columns={copy.columns}>
          {meetings.map((m) => (
            <tr key={m.id}>
              <th scope="row" className="font-normal">
                <Link to={`/panel/meetings/${m.id}`}>{m.title}</Link>
              </th>
              <td>{m.groupName}</td>
              <td className="whitespace-nowrap">{formatDate(m.held_on)}</td>
              <td>
                <span className="tag">{copy.status[m.status]}</span>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {canOpen ? (
        <>
          <p>
            <Link to="/public-meetings">{copy.publicMeetings}</Link>
          </p>
          <h2>{copy.open}</h2>
          <p>{copy.openHint}</p>
          <Form method="post" noValidate className="max-w-xl">
            <CsrfInput />
            {isAdmin ? (
              <SelectField
                name="groupId"
                label={copy.group}
                defaultValue={values.groupId ?? groupId ?? ""}
                error={errors?.groupId}
                options={groups.map((g) => ({ value: g.id, label: g.name }))}
              />
            ) : null}
            <TextField name="title" label={copy.meetingTitle} hint={copy.meetingTitleHint} defaultValue={values.title} error={errors?.title} />
            <TextField name="heldOn" label={copy.heldOn} hint={copy.heldOnHint} defaultValue={values.heldOn} error={errors?.heldOn} className="max-w-[12rem]" />
            <button type="submit" className="btn">
              {copy.submit}
            </button>
          </Form>
        </>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

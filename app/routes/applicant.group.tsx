import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { sessionIdOf } from "~/auth/session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable, scrollRegion } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup, TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { DifferentGroupSchema, JoinRequestSchema } from "~/domain/forms/group-membership";
import { GroupMemberInviteSchema, GroupProfileSchema, ORGANISATION_TYPE_LABELS, ORGANISATION_TYPES } from "~/domain/forms/organisation";
import { formatDate } from "~/domain/phases";
import { findExistingGroupsLike, listJoinRequestsOf, listPendingJoinRequests, type ExistingGroupMatch } from "~/models/community-group.server";
import { getGroupProfile, listGroupMembers } from "~/models/organisation.server";
import { requestToJoinGroup } from "~/services/group-membership.server";
import { createGroupProfile, inviteGroupMember, updateGroupProfile } from "~/services/organisations.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";

const copy = {
  createTitle: "Set up your group's profile",
  editTitle: "Your group's profile",
  createIntro:
    "Tell us about your community group. Lead organisations and the fund administrator use this to contact you about your proposals. We do not ask for bank details here.",
  editIntro: "Keep your group's details up to date. Everyone in your group can change them.",
  name: "Group name",
  orgType: "What kind of group are you?",
  registrationNumber: "Registration number",
  registrationHint: "Your charity number or company number. You only need it if your group is a registered charity, a CIC or a company limited by guarantee.",
  address: "Address",
  addressHint: "Where your group meets or is based.",
  postcode: "Postcode",
  contactName: "Contact name",
  contactNameHint: "The person we should contact about your proposals.",
  contactEmail: "Contact email address",
  contactPhone: "Contact phone number (optional)",
  create: "Create profile",
  save: "Save changes",
  created: "Your group's profile has been created. You can now start a proposal.",
  updated: "Your changes have been saved.",
  start: "Start a proposal",
  back: "Back to your home page",
  members: "People in your group",
  membersCaption: "People in your group",
  pending: "Invitations waiting",
  pendingCaption: "Invitations not yet accepted",
  nameColumn: "Name",
  emailColumn: "Email",
  expiresColumn: "Link expires",
  invite: "Invite someone to your group",
  inviteIntro:
    "They will get an email with a link to join your group. Someone new makes an account. Someone who already has one enters their password, and your group is added to it. The link works once and lasts 7 days.",
  inviteName: "Their full name",
  inviteEmail: "Their email address",
  sendInvite: "Send invitation",
  invited: (email: string) => `Invitation sent to ${email}.`,
  requested: "Your request to join has been sent. The group's members, its lead organisation or the fund administrator will answer it. We will email you.",
  matchesTitle: "Is your group already on the portal?",
  matchesIntro:
    "A group that looks like yours is already on the portal. Its lead organisation or the fund administrator may have added it. If it is your group, ask to join it. Do not set it up again. Its members, its lead organisation or the fund administrator will approve you.",
  matchedOn: { name: "same name", number: "same charity or company number" },
  chooseGroup: "Which group is yours?",
  message: "A message for whoever approves you (optional)",
  messageHint: "For example, what you do in the group, or who in the group knows you.",
  askToJoin: (name: string) => `Ask to join ${name}`,
  askToJoinChosen: "Ask to join the group I chose",
  differentTitle: "It's a different group",
  differentIntro: "Only set up a new profile if your group really is a different group from the one shown.",
  confirmDifferent: (names: string) => `I have checked: my group is not ${names}`,
  createDifferent: "Set up my group as a new group",
  requestsTitle: "Your requests to join a group",
  requestsCaption: "Your requests to join a group, newest first",
  requestColumns: ["Group", "Asked on", "Answer"],
  requestStatus: { pending: "Waiting for an answer", approved: "Approved: you are a member", refused: "Not approved" },
  waitingTitle: "People asking to join your group",
  waitingIntro: "Approve someone only if you know they belong to your group.",
  waitingCaption: "Requests to join your group",
  waitingColumns: ["Name", "Email", "Asked on", "Answer"],
  answer: (name: string) => `Answer ${name}'s request`,
};

type ActionData = FormActionData & { intent?: "profile" | "invite" | "join" | "different"; invitedTo?: string; duplicates?: ExistingGroupMatch[] };

/** The profile's fields, carried again (hidden) by the "ask to join" and "different group" forms, so nothing typed is lost. */
const PROFILE_FIELDS = ["name", "orgType", "registrationNumber", "address", "postcode", "contactName", "contactEmail", "contactPhone"] as const;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.profile ? copy.editTitle : copy.createTitle} – Community Grant Decisions` }];

/** A member of a group edits its profile; anyone else signed in may set up a new group. */
async function requireGroupPageUser(request: Request) {
  try {
    return await requirePermission(request, "home.applicant");
  } catch (thrown) {
    if (thrown instanceof Response && thrown.status === 403) return requirePermission(request, "organisation.create_profile");
    throw thrown;
  }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireGroupPageUser(request);
  const db = getDb();
  const profile = user.organisationId ? ((await getGroupProfile(db, user.organisationId)) ?? null) : null;
  const [people, myRequests, waiting] = await Promise.all([
    profile ? listGroupMembers(db, profile.id) : Promise.resolve<Awaited<ReturnType<typeof listGroupMembers>>>({ members: [], invitations: [] }),
    listJoinRequestsOf(db, user.id),
    profile ? listPendingJoinRequests(db, { organisationId: profile.id }) : Promise.resolve([]),
  ]);
  const joinRequests = myRequests.map((r) => ({
    id: r.id,
    groupName: r.groupName,
    status: r.status,
    createdAt: r.created_at,
    refusalReason: r.refusal_reason,
  }));
  const askingToJoin = waiting.map((r) => ({ id: r.id, name: r.requesterName, email: r.requesterEmail, createdAt: r.created_at }));
  return json({ profile, ...people, joinRequests, askingToJoin });
}

/** Community groups already on the portal like the one typed into the profile form. */
function existingGroupsLike(form: FormData) {
  const text = (name: string) => (typeof form.get(name) === "string" ? String(form.get(name)) : "");
  return findExistingGroupsLike(getDb(), { name: text("name"), registrationNumber: text("registrationNumber") });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const user = await requireGroupPageUser(request);
  const db = getDb();
  if (form.get("intent") === "invite") {
    return submitForm(
      form,
      GroupMemberInviteSchema,
      async (data) => {
        await inviteGroupMember(db, user, { name: data.inviteName, email: data.inviteEmail });
        return json<ActionData>({ intent: "invite", invitedTo: data.inviteEmail });
      },
      { extra: { intent: "invite" as const } },
    );
  }
  if (form.get("intent") === "join") {
    return submitForm(
      form,
      JoinRequestSchema,
      async (data) => {
        await requestToJoinGroup(db, user, data.organisationId, { nameGiven: data.name, message: data.message });
        return redirect("/applicant/group?saved=requested");
      },
      { extra: { intent: "join" as const, duplicates: await existingGroupsLike(form) } },
    );
  }
  // Setting up a new group: one that looks like a group already on the portal is offered "ask to join"
  // first, and is created only from the "It's a different group" form, with its box ticked.
  // The group this person keeps the profile of, if they are acting as its member (a lead organisation's staff are not).
  const groupId = user.organisationId && (await getGroupProfile(db, user.organisationId)) ? user.organisationId : null;
  const isDifferent = !groupId && form.get("intent") === "different";
  const duplicates = groupId ? [] : await existingGroupsLike(form);
  return submitForm(
    form,
    isDifferent ? DifferentGroupSchema : GroupProfileSchema,
    async (data, values) => {
      if (groupId) await updateGroupProfile(db, user, groupId, data);
      else if (duplicates.length && !isDifferent) return json<ActionData>({ intent: "profile", duplicates, values });
      else await createGroupProfile(db, user, data, await sessionIdOf(request), { isDifferentGroupConfirmed: isDifferent, submission: data.submission });
      return redirect(`/applicant/group?saved=${groupId ? "updated" : "created"}`);
    },
    { extra: { intent: isDifferent ? ("different" as const) : ("profile" as const), duplicates: isDifferent ? duplicates : [] } },
  );
}

export default function GroupProfilePage() {
  const { profile, members, invitations, joinRequests, askingToJoin } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [search] = useSearchParams();
  const saved = search.get("saved");
  const errors = actionData?.errors;
  const isInvite = actionData?.intent === "invite" || Boolean(actionData?.errors?.inviteEmail);
  const profileValues: Record<string, string | undefined> =
    actionData?.values && !isInvite
      ? actionData.values
      : {
          name: profile?.name,
          orgType: profile?.org_type ?? undefined,
          registrationNumber: profile?.registration_number ?? undefined,
          address: profile?.address ?? undefined,
          postcode: profile?.postcode ?? undefined,
          contactName: profile?.contact_name ?? undefined,
          contactEmail: profile?.contact_email ?? undefined,
          contactPhone: profile?.contact_phone ?? undefined,
        };
  const inviteValues = isInvite && !actionData?.invitedTo ? (actionData?.values ?? {}) : {};
  const duplicates = profile ? [] : (actionData?.duplicates ?? []);
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      {saved === "requested" ? (
        <p role="status" className="panel font-semibold">
          {copy.requested}
        </p>
      ) : saved ? (
        <div role="status" className="panel">
          <p className="font-semibold">{saved === "created" ? copy.created : copy.updated}</p>
          {saved === "created" ? (
            <p className="mb-0">
              <Link to="/proposals/new">{copy.start}</Link>
            </p>
          ) : null}
        </div>
      ) : null}
      {actionData?.invitedTo ? (
        <p role="status" className="panel font-semibold">
          {copy.invited(actionData.invitedTo)}
        </p>
      ) : null}
      <h1>{profile ? copy.editTitle : copy.createTitle}</h1>
      {duplicates.length ? <ExistingGroups duplicates={duplicates} values={profileValues} errors={errors} /> : null}
      <p>{profile ? copy.editIntro : copy.createIntro}</p>
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="profile" />
        <TextField name="name" label={copy.name} autoComplete="organization" defaultValue={profileValues.name} error={isInvite ? undefined : errors?.name} />
        <RadioGroup
          name="orgType"
          label={copy.orgType}
          defaultValue={profileValues.orgType}
          error={errors?.orgType}
          options={ORGANISATION_TYPES.map((t) => ({ value: t, label: ORGANISATION_TYPE_LABELS[t] }))}
        />
        <TextField
          name="registrationNumber"
          label={copy.registrationNumber}
          hint={copy.registrationHint}
          className="max-w-xs"
          spellCheck={false}
          defaultValue={profileValues.registrationNumber}
          error={errors?.registrationNumber}
        />
        <TextareaField
          name="address"
          label={copy.address}
          hint={copy.addressHint}
          rows={3}
          autoComplete="street-address"
          defaultValue={profileValues.address}
          error={errors?.address}
        />
        <TextField
          name="postcode"
          label={copy.postcode}
          className="max-w-[10rem]"
          autoComplete="postal-code"
          spellCheck={false}
          defaultValue={profileValues.postcode}
          error={errors?.postcode}
        />
        <TextField
          name="contactName"
          label={copy.contactName}
          hint={copy.contactNameHint}
          autoComplete="name"
          defaultValue={profileValues.contactName}
          error={errors?.contactName}
        />
        <TextField
          name="contactEmail"
          label={copy.contactEmail}
          type="email"
          autoComplete="email"
          spellCheck={false}
          defaultValue={profileValues.contactEmail}
          error={errors?.contactEmail}
        />
        <TextField
          name="contactPhone"
          label={copy.contactPhone}
          type="tel"
          autoComplete="tel"
          className="max-w-xs"
          defaultValue={profileValues.contactPhone}
          error={errors?.contactPhone}
        />
        <button type="submit" className="btn">
          {profile ? copy.save : copy.create}
        </button>
      </Form>

      {askingToJoin.length ? (
        <>
          <h2>{copy.waitingTitle}</h2>
          <p>{copy.waitingIntro}</p>
          <DataTable caption={copy.waitingCaption} columns={copy.waitingColumns}>
            {askingToJoin.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td className="break-all">{r.email}</td>
                <td>{formatDate(r.createdAt)}</td>
                <td>
                  <Link to={`/join-requests/${r.id}`}>{copy.answer(r.name)}</Link>
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}

      {joinRequests.length ? (
        <>
          <h2>{copy.requestsTitle}</h2>
          <DataTable caption={copy.requestsCaption} columns={copy.requestColumns}>
            {joinRequests.map((r) => (
              <tr key={r.id}>
                <td>{r.groupName}</td>
                <td>{formatDate(r.createdAt)}</td>
                <td>
                  {copy.requestStatus[r.status]}
                  {r.refusalReason ? <span className="block whitespace-pre-line break-words">{r.refusalReason}</span> : null}
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}

      {profile ? (
        <>
          <h2>{copy.members}</h2>
          <div {...scrollRegion(copy.membersCaption)}>
            <table className="table">
              <caption className="sr-only">{copy.membersCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{copy.nameColumn}</th>
                  <th scope="col">{copy.emailColumn}</th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.id}>
                    <td>{m.name}</td>
                    <td className="break-all">{m.email}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {invitations.length ? (
            <>
              <h3>{copy.pending}</h3>
              <div {...scrollRegion(copy.pendingCaption)}>
                <table className="table">
                  <caption className="sr-only">{copy.pendingCaption}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{copy.nameColumn}</th>
                      <th scope="col">{copy.emailColumn}</th>
                      <th scope="col">{copy.expiresColumn}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {invitations.map((i) => (
                      <tr key={i.id}>
                        <td>{i.name}</td>
                        <td className="break-all">{i.email}</td>
                        <td>{formatDate(i.expires_at)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
          <h2 id="invite">{copy.invite}</h2>
          <p>{copy.inviteIntro}</p>
          <Form method="post" noValidate key={actionData?.invitedTo ?? "invite"}>
            <CsrfInput />
            <input type="hidden" name="intent" value="invite" />
            <TextField name="inviteName" label={copy.inviteName} defaultValue={inviteValues.inviteName} error={errors?.inviteName} />
            <TextField
              name="inviteEmail"
              label={copy.inviteEmail}
              type="email"
              spellCheck={false}
              defaultValue={inviteValues.inviteEmail}
              error={errors?.inviteEmail}
            />
            <button type="submit" className="btn-secondary">
              {copy.sendInvite}
            </button>
          </Form>
        </>
      ) : null}
      <p className="mt-8">
        <Link to="/applicant">{copy.back}</Link>
      </p>
    </div>
  );
}

/** The profile typed so far, sent again with the "ask to join" or "different group" choice. */
function ProfileHiddenFields({ values }: { values: Record<string, string | undefined> }) {
  return (
    <>
      {PROFILE_FIELDS.map((field) => (
        <input key={field} type="hidden" name={field} value={values[field] ?? ""} />
      ))}
    </>
  );
}

/** Groups already on the portal that look like the one being set up: ask to join one, or say it is a different group. */
function ExistingGroups({
  duplicates,
  values,
  errors,
}: {
  duplicates: ExistingGroupMatch[];
  values: Record<string, string | undefined>;
  errors?: Record<string, string>;
}) {
  const [only] = duplicates;
  const describe = (d: ExistingGroupMatch) => [d.postcode, d.reasons.map((r) => copy.matchedOn[r]).join(" and ")].filter(Boolean).join(", ");
  return (
    <section aria-labelledby="matches-title" className="panel mb-8">
      <h2 id="matches-title" className="mt-0">
        {copy.matchesTitle}
      </h2>
      <p>{copy.matchesIntro}</p>
      <Form method="post" noValidate className="mb-6">
        <CsrfInput />
        <input type="hidden" name="intent" value="join" />
        <ProfileHiddenFields values={values} />
        {duplicates.length === 1 && only ? (
          <>
            <input type="hidden" name="organisationId" value={only.id} />
            <p>
              <strong>{only.name}</strong> ({describe(only)})
            </p>
          </>
        ) : (
          <RadioGroup
            name="organisationId"
            label={copy.chooseGroup}
            error={errors?.organisationId}
            options={duplicates.map((d) => ({ value: d.id, label: `${d.name} (${describe(d)})` }))}
          />
        )}
        <TextareaField name="message" label={copy.message} hint={copy.messageHint} rows={3} defaultValue={values.message} error={errors?.message} />
        <button type="submit" className="btn">
          {duplicates.length === 1 && only ? copy.askToJoin(only.name) : copy.askToJoinChosen}
        </button>
      </Form>
      <h3>{copy.differentTitle}</h3>
      <p>{copy.differentIntro}</p>
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="different" />
        <ProfileHiddenFields values={values} />
        <div className={`mb-6 ${errors?.confirmDifferent ? "border-l-4 border-red-700 pl-3" : ""}`}>
          {errors?.confirmDifferent ? (
            <p id="confirmDifferent-error" className="mb-1 font-semibold text-red-800">
              <span className="sr-only">Error: </span>
              {errors.confirmDifferent}
            </p>
          ) : null}
          <div className="flex items-start gap-2">
            <input
              type="checkbox"
              id="confirmDifferent"
              name="confirmDifferent"
              value="yes"
              className="mt-0.5 h-6 w-6 shrink-0"
              aria-describedby={errors?.confirmDifferent ? "confirmDifferent-error" : undefined}
              aria-invalid={errors?.confirmDifferent ? true : undefined}
            />
            <label htmlFor="confirmDifferent">{copy.confirmDifferent(duplicates.map((d) => d.name).join(" or "))}</label>
          </div>
        </div>
        <button type="submit" className="btn-secondary">
          {copy.createDifferent}
        </button>
      </Form>
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

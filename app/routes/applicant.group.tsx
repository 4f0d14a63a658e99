import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { sessionIdOf } from "~/auth/session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup, TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { GroupMemberInviteSchema, GroupProfileSchema, ORGANISATION_TYPE_LABELS, ORGANISATION_TYPES } from "~/domain/forms/organisation";
import { formatDate } from "~/domain/phases";
import { getGroupProfile, listGroupMembers } from "~/models/organisation.server";
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
  registrationHint: "Your charity number or company number. You only need this if you are a registered charity, a CIC or a company limited by guarantee.",
  address: "Address",
  addressHint: "Where your group meets or is based.",
  postcode: "Postcode",
  contactName: "Contact name",
  contactNameHint: "The person we should contact about your proposals.",
  contactEmail: "Contact email address",
  contactPhone: "Contact phone number (optional)",
  create: "Create profile",
  save: "Save changes",
  created: "Your group's profile has been created. You can now start an outline proposal.",
  updated: "Your changes have been saved.",
  start: "Start an outline proposal",
  back: "Back to your home page",
  members: "People in your group",
  membersCaption: "People in your group",
  pending: "Invitations waiting",
  pendingCaption: "Invitations not yet accepted",
  nameColumn: "Name",
  emailColumn: "Email",
  expiresColumn: "Link expires",
  invite: "Invite someone to your group",
  inviteIntro: "They will get an email with a link to create an account that is part of your group. The link works once and lasts 7 days.",
  inviteName: "Their full name",
  inviteEmail: "Their email address",
  sendInvite: "Send invitation",
  invited: (email: string) => `Invitation sent to ${email}.`,
};

type ActionData = FormActionData & { intent?: "profile" | "invite"; invitedTo?: string };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.profile ? copy.editTitle : copy.createTitle} – Community Grant Decisions` },
];

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
  const people = profile ? await listGroupMembers(db, profile.id) : { members: [], invitations: [] };
  return json({ profile, ...people });
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
  return submitForm(
    form,
    GroupProfileSchema,
    async (data) => {
      if (user.organisationId) await updateGroupProfile(db, user, user.organisationId, data);
      else await createGroupProfile(db, user, data, await sessionIdOf(request));
      return redirect(`/applicant/group?saved=${user.organisationId ? "updated" : "created"}`);
    },
    { extra: { intent: "profile" as const } },
  );
}

export default function GroupProfilePage() {
  const { profile, members, invitations } = useLoaderData<typeof loader>();
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
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      {saved ? (
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
        <TextareaField name="address" label={copy.address} hint={copy.addressHint} rows={3} autoComplete="street-address" defaultValue={profileValues.address} error={errors?.address} />
        <TextField name="postcode" label={copy.postcode} className="max-w-[10rem]" autoComplete="postal-code" spellCheck={false} defaultValue={profileValues.postcode} error={errors?.postcode} />
        <TextField name="contactName" label={copy.contactName} hint={copy.contactNameHint} autoComplete="name" defaultValue={profileValues.contactName} error={errors?.contactName} />
        <TextField name="contactEmail" label={copy.contactEmail} type="email" autoComplete="email" spellCheck={false} defaultValue={profileValues.contactEmail} error={errors?.contactEmail} />
        <TextField name="contactPhone" label={copy.contactPhone} type="tel" autoComplete="tel" className="max-w-xs" defaultValue={profileValues.contactPhone} error={errors?.contactPhone} />
        <button type="submit" className="btn">
          {profile ? copy.save : copy.create}
        </button>
      </Form>

      {profile ? (
        <>
          <h2>{copy.members}</h2>
          <div className="overflow-x-auto">
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
              <div className="overflow-x-auto">
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
            <TextField name="inviteEmail" label={copy.inviteEmail} type="email" spellCheck={false} defaultValue={inviteValues.inviteEmail} error={errors?.inviteEmail} />
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

export const ErrorBoundary = GeneralErrorBoundary;

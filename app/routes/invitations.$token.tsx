import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { afterPassword } from "~/auth/sign-in.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { DomainError } from "~/domain/errors";
import { AcceptInvitationSchema } from "~/domain/forms/auth";
import { CONSTITUENCY_LABELS, ROLE_LABELS } from "~/domain/roles";
import { acceptInvitation, getUsableInvitation } from "~/services/accounts.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";
import { getOrganisation } from "~/models/directory.server";
import { findUserByEmail } from "~/models/user.server";
import { PASSWORD_HINT } from "~/domain/password-hint";

const copy = {
  title: "Accept your invitation",
  invitedAs: "You have been invited to join as",
  email: "Your account's email address is",
  name: "Full name",
  password: "Create a password",
  passwordHint: PASSWORD_HINT,
  submit: "Create my account",
  hasAccount: "You already have an account with this email address. Enter the password you sign in with, and this role is added to your account.",
  yourPassword: "Your password",
  addRole: "Add this role to my account",
  goneTitle: "This invitation cannot be used",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ params }: LoaderFunctionArgs) {
  try {
    const invitation = await getUsableInvitation(getDb(), params.token ?? "");
    const role = ROLE_LABELS[invitation.role];
    // The role with its scope, as the header names a hat: "Applicant, Easton Pantry".
    const scope = invitation.organisation_id ? (await getOrganisation(getDb(), invitation.organisation_id))?.name : undefined;
    const label = [invitation.constituency ? `${role} (${CONSTITUENCY_LABELS[invitation.constituency]})` : role, scope].filter(Boolean).join(", ");
    const hasAccount = Boolean(await findUserByEmail(getDb(), invitation.email));
    return json({ invitation: { email: invitation.email, name: invitation.name, roleLabel: label, hasAccount }, problem: null });
  } catch (error) {
    if (error instanceof DomainError) return json({ invitation: null, problem: error.message }, { status: 410 });
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  return submitForm(form, AcceptInvitationSchema, async (data) => {
    const db = getDb();
    const userId = await acceptInvitation(db, params.token ?? "", data);
    // An existing account with two-factor sign-in gives its code too before it is signed in.
    return afterPassword(db, request, userId);
  });
}

export default function AcceptInvitation() {
  const { invitation, problem } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!invitation) {
    return (
      <div className="max-w-xl">
        <h1>{copy.goneTitle}</h1>
        <p>{problem}</p>
      </div>
    );
  }
  const values = actionData?.values ?? {};
  return (
    <div className="max-w-xl">
      <ErrorSummary errors={actionData?.errors} />
      <h1>{copy.title}</h1>
      <p>
        {copy.invitedAs} <strong>{invitation.roleLabel}</strong>. {copy.email} <strong>{invitation.email}</strong>.
      </p>
      <Form method="post" noValidate>
        <CsrfInput />
        {invitation.hasAccount ? (
          <>
            <p>{copy.hasAccount}</p>
            <input type="hidden" name="name" value={invitation.name} />
            <TextField name="password" label={copy.yourPassword} type="password" autoComplete="current-password" error={actionData?.errors?.password} />
          </>
        ) : (
          <>
            <TextField name="name" label={copy.name} autoComplete="name" defaultValue={values.name ?? invitation.name} error={actionData?.errors?.name} />
            <TextField
              name="password"
              label={copy.password}
              hint={copy.passwordHint}
              type="password"
              autoComplete="new-password"
              error={actionData?.errors?.password}
            />
          </>
        )}
        <button type="submit" className="btn">
          {invitation.hasAccount ? copy.addRole : copy.submit}
        </button>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

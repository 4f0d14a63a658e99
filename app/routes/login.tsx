import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { authenticator, SignInError } from "~/auth/authenticator.server";
import { isUnencryptedNetworkRequest } from "~/auth/cookies.server";
import { readVerifiedForm } from "~/auth/csrf.server";
import { getUser } from "~/auth/guards.server";
import { afterPassword } from "~/auth/sign-in.server";
import { rememberClient } from "~/auth/throttle.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { LoginSchema } from "~/domain/forms/auth";
import { landingPath } from "~/domain/memberships";
import { getDb } from "~/utils/db.server";
import { formError, submitForm } from "~/utils/forms.server";

const copy = {
  title: "Sign in",
  email: "Email address",
  password: "Password",
  submit: "Sign in",
  submitting: "Signing in…",
  forgot: "Forgotten your password?",
  register: "New to the portal? Create an account for your group",
  invited: "Are you on a panel, at a lead organisation, or an adviser? Use the link in the email that invited you.",
  unencryptedTitle: "This connection is not encrypted",
  unencrypted:
    "This page came over plain HTTP from another computer. Anyone on the network could read your password and your session. You can still sign in. Whoever runs the portal should set up HTTPS before it holds real data: see the README, “Sessions and cookies”.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(landingPath(user.memberships));
  return json({ isUnencrypted: isUnencryptedNetworkRequest(request) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  rememberClient(request, context);
  const form = await readVerifiedForm(request);
  return submitForm(form, LoginSchema, async (data, values) => {
    let userId: string;
    try {
      ({ id: userId } = await authenticator.authenticate("form", request));
    } catch (error) {
      if (error instanceof SignInError) return formError({ email: error.message }, values);
      // Too many sign-ins at once (app/auth/password.server.ts): the form again, with "try again in a minute", as a 503.
      if (error instanceof Response && error.status === 503) {
        return json({ errors: { email: await error.text() }, values }, { status: 503, headers: { "Retry-After": error.headers.get("Retry-After") ?? "60" } });
      }
      throw error;
    }
    // With two-factor sign-in, no session yet: the second step (/login/code) starts one.
    return afterPassword(getDb(), request, userId, data.redirectTo);
  });
}

export default function Login() {
  const { isUnencrypted } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const isSubmitting = useNavigation().state === "submitting";
  const values = actionData?.values ?? {};
  const errors = actionData?.errors;
  return (
    <div className="max-w-xl">
      <ErrorSummary errors={errors} />
      <h1>{copy.title}</h1>
      {isUnencrypted ? (
        <div role="note" aria-labelledby="unencrypted-title" className="mb-6 border-l-8 border-amber-600 bg-amber-50 p-4" data-testid="unencrypted-warning">
          <h2 id="unencrypted-title" className="mt-0 text-lg">
            {copy.unencryptedTitle}
          </h2>
          <p className="mb-0">{copy.unencrypted}</p>
        </div>
      ) : null}
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={values.redirectTo ?? searchParams.get("redirectTo") ?? ""} />
        <TextField name="email" label={copy.email} type="email" autoComplete="username" spellCheck={false} defaultValue={values.email} error={errors?.email} />
        <TextField name="password" label={copy.password} type="password" autoComplete="current-password" error={errors?.password} />
        <button type="submit" className="btn" disabled={isSubmitting}>
          {isSubmitting ? copy.submitting : copy.submit}
        </button>
      </Form>
      <p className="mt-6">
        <Link to="/forgot-password">{copy.forgot}</Link>
      </p>
      <p>
        <Link to="/register">{copy.register}</Link>
      </p>
      <p className="text-slate-700">{copy.invited}</p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

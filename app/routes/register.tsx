import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { getUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { RegisterSchema } from "~/domain/forms/auth";
import { landingPath } from "~/domain/memberships";
import { requestRegistration } from "~/services/accounts.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";
import { PASSWORD_HINT } from "~/domain/password-hint";

const copy = {
  title: "Create an account for your community group",
  intro: "Make an account to set up your group's profile. Then write proposals with help from your local lead organisation. You can save a draft at any time.",
  name: "Full name",
  email: "Email address",
  emailHint: "We will only use this to tell you about your proposals.",
  password: "Create a password",
  passwordHint: PASSWORD_HINT,
  submit: "Create account",
  haveAccount: "Already have an account? Sign in",
  sentTitle: "Check your email",
  sent: "We have sent an email to the address you gave. Open the link in it to finish making your account. The link works once and lasts 24 hours.",
  notArrived: "If no email comes in a few minutes, check your spam folder, or create your account again.",
  signInInstead: "Go to sign in",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(landingPath(user.memberships));
  return json({ isSent: new URL(request.url).searchParams.get("sent") === "1" });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  return submitForm(form, RegisterSchema, async (data) => {
    // The same answer whether or not the address has an account: the email says which (decision record 0018).
    await requestRegistration(getDb(), data);
    return redirect("/register?sent=1");
  });
}

export default function Register() {
  const { isSent } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (isSent && !actionData) {
    return (
      <div className="max-w-xl">
        <h1>{copy.sentTitle}</h1>
        <p role="status">{copy.sent}</p>
        <p>{copy.notArrived}</p>
        <Link to="/login">{copy.signInInstead}</Link>
      </div>
    );
  }
  const values = actionData?.values ?? {};
  const errors = actionData?.errors;
  return (
    <div className="max-w-xl">
      <ErrorSummary errors={errors} />
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <Form method="post" noValidate>
        <CsrfInput />
        <TextField name="name" label={copy.name} autoComplete="name" defaultValue={values.name} error={errors?.name} />
        <TextField
          name="email"
          label={copy.email}
          hint={copy.emailHint}
          type="email"
          autoComplete="email"
          spellCheck={false}
          defaultValue={values.email}
          error={errors?.email}
        />
        <TextField name="password" label={copy.password} hint={copy.passwordHint} type="password" autoComplete="new-password" error={errors?.password} />
        <button type="submit" className="btn">
          {copy.submit}
        </button>
      </Form>
      <p className="mt-6">
        <Link to="/login">{copy.haveAccount}</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

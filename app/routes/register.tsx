import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { issueCsrfToken, readVerifiedForm } from "~/auth/csrf.server";
import { getUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { RegisterSchema } from "~/domain/forms/auth";
import { homeOf, landingPath } from "~/domain/memberships";
import { registerApplicant, signIn } from "~/services/accounts.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "Create an account for your community group",
  intro:
    "Register to create your group's profile and draft outline proposals with the support of your local lead organisation. You can save a draft at any point.",
  name: "Full name",
  email: "Email address",
  emailHint: "We will only use this to tell you about your proposals.",
  password: "Create a password",
  passwordHint: "At least 10 characters. A good way is three random words, for example 'teapot river lantern'.",
  submit: "Create account",
  haveAccount: "Already have an account? Sign in",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(landingPath(user.memberships));
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  return submitForm(form, RegisterSchema, async (data) => {
    const db = getDb();
    const userId = await registerApplicant(db, data);
    const headers = new Headers();
    headers.append("Set-Cookie", await signIn(db, userId, request));
    headers.append("Set-Cookie", (await issueCsrfToken(request)).setCookie);
    return redirect(homeOf(null), { headers });
  });
}

export default function Register() {
  const actionData = useActionData<typeof action>();
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

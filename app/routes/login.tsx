import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { authenticator, SignInError } from "~/auth/authenticator.server";
import { issueCsrfToken, readVerifiedForm } from "~/auth/csrf.server";
import { getUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { LoginSchema } from "~/domain/forms/auth";
import { landingPath } from "~/domain/memberships";
import { listActiveMemberships } from "~/models/membership.server";
import { signIn } from "~/services/accounts.server";
import { getDb } from "~/utils/db.server";
import { formError, submitForm } from "~/utils/forms.server";
import { safeRedirectPath } from "~/utils/http.server";

const copy = {
  title: "Sign in",
  email: "Email address",
  password: "Password",
  submit: "Sign in",
  submitting: "Signing in…",
  forgot: "Forgotten your password?",
  register: "New community group member? Create an account",
  invited: "Panel members, lead organisations and advisers join through the invitation link the fund administrator emails them.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(landingPath(user.memberships));
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  return submitForm(form, LoginSchema, async (data, values) => {
    let userId: string;
    try {
      ({ id: userId } = await authenticator.authenticate("form", request));
    } catch (error) {
      if (error instanceof SignInError) return formError({ email: error.message }, values);
      throw error;
    }
    const db = getDb();
    const memberships = await listActiveMemberships(db, userId);
    const sessionCookie = await signIn(db, userId, request);
    const csrf = await issueCsrfToken(request);
    const headers = new Headers();
    headers.append("Set-Cookie", sessionCookie);
    headers.append("Set-Cookie", csrf.setCookie);
    return redirect(safeRedirectPath(data.redirectTo, landingPath(memberships)), { headers });
  });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const isSubmitting = useNavigation().state === "submitting";
  const values = actionData?.values ?? {};
  const errors = actionData?.errors;
  return (
    <div className="max-w-xl">
      <ErrorSummary errors={errors} />
      <h1>{copy.title}</h1>
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

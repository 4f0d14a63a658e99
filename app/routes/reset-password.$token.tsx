import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { ResetPasswordSchema } from "~/domain/forms/auth";
import { isUsableResetToken, resetPassword } from "~/services/accounts.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";
import { PASSWORD_HINT } from "~/domain/password-hint";

const copy = {
  title: "Choose a new password",
  password: "New password",
  passwordHint: PASSWORD_HINT,
  submit: "Save new password",
  goneTitle: "This link cannot be used",
  gone: "This reset link has already been used or has expired.",
  again: "Ask for a new link",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ params }: LoaderFunctionArgs) {
  return json({ isUsable: await isUsableResetToken(getDb(), params.token ?? "") });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  return submitForm(form, ResetPasswordSchema, async (data) => {
    await resetPassword(getDb(), params.token ?? "", data.password);
    return redirect("/login?passwordReset=1");
  });
}

export default function ResetPassword() {
  const { isUsable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!isUsable && !actionData) {
    return (
      <div className="max-w-xl">
        <h1>{copy.goneTitle}</h1>
        <p>{copy.gone}</p>
        <Link to="/forgot-password">{copy.again}</Link>
      </div>
    );
  }
  return (
    <div className="max-w-xl">
      <ErrorSummary errors={actionData?.errors} />
      <h1>{copy.title}</h1>
      <Form method="post" noValidate>
        <CsrfInput />
        <TextField
          name="password"
          label={copy.password}
          hint={copy.passwordHint}
          type="password"
          autoComplete="new-password"
          error={actionData?.errors?.password}
        />
        <button type="submit" className="btn">
          {copy.submit}
        </button>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

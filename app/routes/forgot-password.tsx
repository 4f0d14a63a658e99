import type { ActionFunctionArgs, MetaFunction, TypedResponse } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { ForgotPasswordSchema } from "~/domain/forms/auth";
import { requestPasswordReset } from "~/services/accounts.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "Reset your password",
  intro: "Enter the email address you use to sign in. We will email you a link to choose a new password.",
  email: "Email address",
  submit: "Send reset link",
  sentTitle: "Check your email",
  sent: "If there is an account with that email address, we have sent it a link to reset the password. The link works once and lasts 1 hour.",
  back: "Back to sign in",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function action({ request }: ActionFunctionArgs): Promise<TypedResponse<FormActionData & { isSent?: boolean }>> {
  const form = await readVerifiedForm(request);
  return submitForm(form, ForgotPasswordSchema, async (data) => {
    await requestPasswordReset(getDb(), data.email);
    return json({ isSent: true });
  });
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  if (actionData?.isSent) {
    return (
      <div className="max-w-xl">
        <h1>{copy.sentTitle}</h1>
        <p role="status">{copy.sent}</p>
        <Link to="/login">{copy.back}</Link>
      </div>
    );
  }
  return (
    <div className="max-w-xl">
      <ErrorSummary errors={actionData?.errors} />
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <Form method="post" noValidate>
        <CsrfInput />
        <TextField
          name="email"
          label={copy.email}
          type="email"
          autoComplete="email"
          spellCheck={false}
          defaultValue={actionData?.values?.email}
          error={actionData?.errors?.email}
        />
        <button type="submit" className="btn">
          {copy.submit}
        </button>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

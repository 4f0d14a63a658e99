import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { startSession } from "~/auth/sign-in.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { NoFieldsSchema } from "~/domain/forms/fields";
import { confirmRegistration, isUsableRegistrationToken } from "~/services/accounts.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "Finish creating your account",
  intro: "Your email address is confirmed. Create the account to sign in and set up your group's profile.",
  submit: "Create my account",
  goneTitle: "This link cannot be used",
  gone: "This link has already been used or has expired.",
  again: "Create your account again",
  signIn: "Sign in",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

// A button, not the link itself, creates the account: email scanners open links, and a GET must change nothing.
export async function loader({ params }: LoaderFunctionArgs) {
  return json({ isUsable: await isUsableRegistrationToken(getDb(), params.token ?? "") });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  return submitForm(form, NoFieldsSchema, async () => {
    const db = getDb();
    const userId = await confirmRegistration(db, params.token ?? "");
    return startSession(db, request, userId);
  });
}

export default function ConfirmRegistration() {
  const { isUsable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!isUsable && !actionData) {
    return (
      <div className="max-w-xl">
        <h1>{copy.goneTitle}</h1>
        <p>{copy.gone}</p>
        <p>
          <Link to="/register">{copy.again}</Link>
        </p>
        <p>
          <Link to="/login">{copy.signIn}</Link>
        </p>
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
        <button type="submit" className="btn">
          {copy.submit}
        </button>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

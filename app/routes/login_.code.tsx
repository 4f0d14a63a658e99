import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { startSession } from "~/auth/sign-in.server";
import { checkSecondFactor, endPendingSignIn, readPendingSignIn } from "~/auth/two-factor.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { SecondFactorSchema } from "~/domain/forms/two-factor";
import { recordRecoveryCodeSignIn } from "~/services/two-factor.server";
import { getDb } from "~/utils/db.server";
import { formError, submitForm } from "~/utils/forms.server";

const copy = {
  title: "Enter your sign-in code",
  intro: "Your password was right. Now open the authenticator app on your phone and enter the 6-digit code it shows for Community Grant Decisions.",
  code: "Code",
  codeHint: "The 6-digit code from your app, or one of your recovery codes if you do not have your phone.",
  submit: "Continue",
  submitting: "Checking…",
  startAgain: "Sign in again",
  lostPhone: "Lost your phone and your recovery codes? Contact the people who run this portal: they can reset your two-factor sign-in.",
  errors: {
    wrong: "The code is not right. Check the time on your phone is set automatically, and enter the code your app shows now.",
    used: "That code has already been used. Wait for your app to show a new code, then enter it.",
    locked: "There have been too many wrong codes for this account. Wait 15 minutes, then sign in again.",
    ended: "You entered too many wrong codes, so this sign-in has ended. Sign in again with your email address and password.",
  },
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

/** Only someone whose password was right a moment ago has a pending sign-in; anyone else starts at /login. */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!(await readPendingSignIn(getDb(), request))) throw redirect("/login");
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const db = getDb();
  const pending = await readPendingSignIn(db, request);
  if (!pending) return redirect("/login");
  return submitForm(form, SecondFactorSchema, async ({ code }, values) => {
    const result = await checkSecondFactor(db, pending, code);
    if (!result.ok) {
      if (result.reason !== "ended") return formError({ code: copy.errors[result.reason] }, values);
      const cleared = await endPendingSignIn(db, request, null);
      const errors: Record<string, string> = { form: copy.errors.ended };
      return json({ errors, values: {}, hasEnded: true }, { status: 400, headers: { "Set-Cookie": cleared } });
    }
    const cleared = await endPendingSignIn(db, request, pending.id);
    if (result.method === "recovery_code") await recordRecoveryCodeSignIn(db, pending.userId);
    return startSession(db, request, pending.userId, pending.redirectTo, [cleared]);
  });
}

export default function SignInCode() {
  const actionData = useActionData<typeof action>();
  const isSubmitting = useNavigation().state === "submitting";
  const errors = actionData?.errors;
  const hasEnded = Boolean(actionData && "hasEnded" in actionData && actionData.hasEnded);
  return (
    <div className="max-w-xl">
      <ErrorSummary errors={errors} />
      <h1>{copy.title}</h1>
      {hasEnded ? (
        <p>
          <Link to="/login" className="btn">
            {copy.startAgain}
          </Link>
        </p>
      ) : (
        <>
          <p>{copy.intro}</p>
          <Form method="post" noValidate>
            <CsrfInput />
            <TextField
              name="code"
              label={copy.code}
              hint={copy.codeHint}
              autoComplete="one-time-code"
              spellCheck={false}
              autoCapitalize="characters"
              className="w-48"
              error={errors?.code}
            />
            <button type="submit" className="btn" disabled={isSubmitting}>
              {isSubmitting ? copy.submitting : copy.submit}
            </button>
          </Form>
          <p className="mt-6 text-slate-700">{copy.lostPhone}</p>
          <p>
            <Link to="/login">{copy.startAgain}</Link>
          </p>
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

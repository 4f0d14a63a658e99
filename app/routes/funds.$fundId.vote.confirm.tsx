import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { getVoteContext, voterCookieHeader } from "~/auth/voter-session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { ConfirmCodeSchema } from "~/domain/forms/community-ballot";
import { confirmJoin } from "~/services/community-ballots.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "Check your email",
  intro: "We sent you an email with a code of 6 numbers. It works once, for 15 minutes.",
  closed: "Voting has closed.",
  code: "The code from the email",
  submit: "Continue",
  again: "No email? Check your spam folder, or start again",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title}: ${data?.fund.name ?? "Fund"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { fund, phase } = await getVoteContext(getDb(), request, params.fundId ?? "");
  const challenge = new URL(request.url).searchParams.get("challenge")?.slice(0, 64) ?? "";
  return json({ fund, phase, challenge });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { fund } = await getVoteContext(getDb(), request, params.fundId ?? "");
  return submitForm(form, ConfirmCodeSchema, async (data) => {
    const token = await confirmJoin(getDb(), fund.id, data.challenge, data.code);
    return redirect(`/funds/${fund.id}/vote`, { headers: { "Set-Cookie": await voterCookieHeader(request, token) } });
  });
}

export default function ConfirmVoteCode() {
  const { fund, phase, challenge } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  return (
    <div className="max-w-2xl">
      <ErrorSummary errors={errors} />
      <h1>{copy.title}</h1>
      <p className="text-lg">{fund.name}</p>
      {phase !== "open" ? (
        <p className="font-semibold">{copy.closed}</p>
      ) : (
        <>
          <p>{copy.intro}</p>
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="challenge" value={actionData?.values?.challenge ?? challenge} />
            <TextField
              name="code"
              label={copy.code}
              inputMode="numeric"
              autoComplete="one-time-code"
              className="max-w-xs"
              defaultValue={actionData?.values?.code}
              error={errors?.code ?? errors?.challenge}
            />
            <button type="submit" className="btn">
              {copy.submit}
            </button>
          </Form>
          <p className="mt-6">
            <Link to={`/funds/${fund.id}/vote/join`}>{copy.again}</Link>
          </p>
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

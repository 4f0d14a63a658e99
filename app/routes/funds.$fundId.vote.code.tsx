import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { getVoteContext, voterCookieHeader } from "~/auth/voter-session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { VoterCodeEntrySchema } from "~/domain/forms/community-ballot";
import { redeemVoterCode } from "~/services/community-ballots.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "Vote with a printed code",
  intro: "Did you get a card with a voter code at a community venue? Type the code here. Each code lets one person vote.",
  closed: "Voting has closed.",
  notOpen: "The vote is not open yet.",
  code: "The code on your card",
  codeHint: "For example ABCD-EFGH-JK.",
  submit: "Continue",
  back: "Back to the vote",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title}: ${data?.fund.name ?? "Fund"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { fund, phase } = await getVoteContext(getDb(), request, params.fundId ?? "");
  return json({ fund, phase });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { fund } = await getVoteContext(getDb(), request, params.fundId ?? "");
  return submitForm(form, VoterCodeEntrySchema, async (data) => {
    const token = await redeemVoterCode(getDb(), fund.id, data.voterCode);
    return redirect(`/funds/${fund.id}/vote`, { headers: { "Set-Cookie": await voterCookieHeader(request, token) } });
  });
}

export default function VoteWithCode() {
  const { fund, phase } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  return (
    <div className="max-w-2xl">
      <ErrorSummary errors={errors} />
      <p>
        <Link to={`/funds/${fund.id}/vote`}>{copy.back}</Link>
      </p>
      <h1>{copy.title}</h1>
      <p className="text-lg">{fund.name}</p>
      {phase !== "open" ? (
        <p className="font-semibold">{phase === "closed" ? copy.closed : copy.notOpen}</p>
      ) : (
        <>
          <p>{copy.intro}</p>
          <Form method="post" noValidate>
            <CsrfInput />
            <TextField
              name="voterCode"
              label={copy.code}
              hint={copy.codeHint}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              className="max-w-xs"
              defaultValue={actionData?.values?.voterCode}
              error={errors?.voterCode}
            />
            <button type="submit" className="btn">
              {copy.submit}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

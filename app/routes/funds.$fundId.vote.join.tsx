import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { getVoteContext } from "~/auth/voter-session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CheckboxGroup } from "~/components/ui/checkbox-group";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { clientKey } from "~/domain/client-address";
import { JoinSchema } from "~/domain/forms/community-ballot";
import { startJoin } from "~/services/community-ballots.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "Join the vote",
  intro: "You do not need a password. We email you a code. Type it on the next page, and then you can vote.",
  closed: "Voting has closed.",
  notOpen: "The vote is not open yet.",
  postcode: "Your postcode",
  postcodeHint: "You must live in the area. For example BS5 0AB.",
  age: "Your age",
  ageLabel: (n: number) => `I am ${n} or older`,
  email: "Your email address",
  emailHint: "We send the code here. We keep only a scrambled form of it, so nobody can read it.",
  submit: "Send me a code",
  noEmail: "No email? Use a printed voter code",
  back: "Back to the vote",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title}: ${data?.fund.name ?? "Fund"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { fund, ballot, phase } = await getVoteContext(getDb(), request, params.fundId ?? "");
  return json({ fund, phase, minAge: ballot.min_age });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { fund } = await getVoteContext(getDb(), request, params.fundId ?? "");
  return submitForm(form, JoinSchema, async (data) => {
    const challenge = await startJoin(getDb(), fund.id, {
      postcode: data.postcode,
      ageConfirmed: data.ageConfirmed === "yes",
      email: data.email,
      client: clientKey(context?.clientAddress),
    });
    return redirect(`/funds/${fund.id}/vote/confirm?${new URLSearchParams({ challenge })}`);
  });
}

export default function JoinVote() {
  const { fund, phase, minAge } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = actionData?.values ?? {};
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
              name="postcode"
              label={copy.postcode}
              hint={copy.postcodeHint}
              autoComplete="postal-code"
              className="max-w-xs"
              defaultValue={values.postcode}
              error={errors?.postcode}
            />
            {minAge ? (
              <CheckboxGroup
                name="ageConfirmed"
                legend={copy.age}
                error={errors?.ageConfirmed}
                options={[{ value: "yes", label: copy.ageLabel(minAge), isChecked: values.ageConfirmed === "yes" }]}
              />
            ) : null}
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
            <button type="submit" className="btn">
              {copy.submit}
            </button>
          </Form>
          <p className="mt-6">
            <Link to={`/funds/${fund.id}/vote/code`}>{copy.noEmail}</Link>
          </p>
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
